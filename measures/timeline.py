"""Reading the published history: what a measure's changes were, and what it said on a given day.

The domain side of the public transparency pages (measure history, /changes/ and its feed, and a
measure page's ?as_of=). It reads django-simple-history's records, and only what the public saw:

- a record is public when its row was published (status) and, for a clause, was not a draft of a
  change to another clause (draft_of). Awards count only on public clauses;
- a draft that is published shows as a change from draft to published: it is listed as 发布 and
  compared with the last public version of the same row (none for a new row);
- edits made before the measure itself was first published are part of its preparation, not
  public changes, and are left out (the measure's own 发布 covers them).

Who made a change is shown as the neutral 编辑部 (PUBLIC_EDITOR), never an editor's username: the
bureau, not an individual civil servant, answers to the public for its text, and admin usernames
are half of a login. The admin's own history pages keep the names for the bureau's internal audit.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.diffs import FieldChange, field_changes
from measures.models import Award, Clause, Measure, PublicationStatus

PUBLIC_EDITOR = _("编辑部")

# How many changes a history page, /changes/ and the feed list: the newest ones, so that each page
# runs a fixed number of queries and reads a bounded number of records however long history grows.
LATEST_CHANGES = 50

# The kinds of change, and how the pages name them.
CREATED, CHANGED, DELETED, PUBLISHED = "created", "changed", "deleted", "published"
KIND_LABELS = {CREATED: _("新增"), CHANGED: _("修改"), DELETED: _("删除"), PUBLISHED: _("发布")}

# Fields a public diff leaves out: the publication status (the kind of change, 发布, says it) and
# the links between rows (ids mean nothing to a reader; where a row sits is said by the change's subject).
NOT_SHOWN = {"status", "draft_of", "measure", "clause", "policy", "pillar"}


@dataclass
class Change:
    """One public change of a measure, of one of its clauses, or of one of their awards."""

    key: str  # unique and stable: the kind of row and the history record's id ('clause-42')
    date: datetime.datetime
    who: str
    reason: str
    kind: str  # CREATED, CHANGED, DELETED or PUBLISHED
    subject: str  # 'measure', 'clause' or 'award'
    position: int | None  # the clause's paragraph number, for a clause or an award
    fields: list[FieldChange]
    measure_id: int
    measure: Measure | None = None  # set by recent_changes(), for the site-wide lists

    @property
    def anchor(self) -> str:
        return f"change-{self.key}"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass
class MeasureAsOf:
    """A measure as it stood at the end of `day`: its title, pillar, and its clauses (Clause
    instances built from history, each with its awards readable as `clause.awards.all`)."""

    day: datetime.date
    title: str
    pillar_id: int
    clauses: list[Clause] = field(default_factory=list)


def measure_changes(measure: Measure, limit: int = LATEST_CHANGES) -> list[Change]:
    """The measure's public changes, newest first, at most `limit`, each with `change.measure` set
    to `measure`. Seven queries."""
    changes = _changes(
        measures=Measure.history.filter(id=measure.pk),
        clauses=Clause.history.filter(measure_id=measure.pk),
        awards=Award.history.filter(clause_id__in=_public_clause_ids().filter(measure_id=measure.pk)),
        limit=limit,
    )
    for change in changes:
        change.measure = measure
    return changes


def recent_changes(limit: int = LATEST_CHANGES) -> list[Change]:
    """Public changes across the site, newest first, at most `limit`, each with its measure (and
    the measure's policy) in `change.measure`; changes of measures not published now are left out.
    Seven queries."""
    return _changes(
        measures=Measure.history.all(),
        clauses=Clause.history.all(),
        awards=Award.history.filter(clause_id__in=_public_clause_ids()),
        limit=limit,
        attach_measures=True,
    )


def measure_as_of(measure: Measure, day: datetime.date) -> MeasureAsOf | None:
    """The measure as it stood at the end of `day` in Xiamen (TIME_ZONE), or None when it was not
    yet recorded (or not yet published) then. Three queries."""
    end = _end_of(day)
    record = (
        Measure.history.filter(id=measure.pk, history_date__lt=end).order_by("-history_date", "-history_id").first()
    )
    if record is None or record.history_type == "-" or record.status != PublicationStatus.PUBLISHED:
        return None
    clause_records = (
        _latest_each(Clause, end)
        .filter(measure_id=measure.pk, draft_of__isnull=True, status=PublicationStatus.PUBLISHED)
        .exclude(history_type="-")
        .order_by("position")
    )
    clauses = [_instance(Clause, r) for r in clause_records]
    award_records = (
        _latest_each(Award, end)
        .filter(clause_id__in=[c.pk for c in clauses], status=PublicationStatus.PUBLISHED)
        .exclude(history_type="-")
        .order_by("position")
    )
    awards_by_clause = {}
    for award_record in award_records:
        awards_by_clause.setdefault(award_record.clause_id, []).append(_instance(Award, award_record))
    for clause in clauses:
        # What a prefetch_related("awards") leaves behind, so the measure template reads the
        # historical awards the way it reads the current ones, without a query per clause.
        clause._prefetched_objects_cache = {"awards": awards_by_clause.get(clause.pk, [])}
    return MeasureAsOf(day=day, title=record.title, pillar_id=record.pillar_id, clauses=clauses)


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in Xiamen (TIME_ZONE)."""
    xiamen = timezone.get_default_timezone()
    if day >= timezone.localdate():  # today or later: everything recorded so far (and no overflow at 9999-12-31)
        return timezone.now() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=xiamen)


def _public_clause_ids():
    """Ids of clauses that are not drafts of a change (including clauses since deleted)."""
    return Clause.history.filter(draft_of__isnull=True).values("id")


def _public(queryset):
    return queryset.filter(status=PublicationStatus.PUBLISHED)


def _earlier(model, outer="history_date"):
    """The records of the same row as the outer query's record, made before it."""
    return model.history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef(outer)) | Q(history_date=OuterRef(outer), history_id__lt=OuterRef("history_id"))
    )


def _latest_each(model, end):
    """Each row's latest record made before `end` (deletions included), ties broken by record id."""
    before = model.history.filter(history_date__lt=end)
    later = before.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return before.filter(~Exists(later))


def _instance(model, record):
    """A model instance holding a record's values, without the query simple_history's
    `record.instance` makes for excluded fields (a clause's search_tokens)."""
    names = {f.attname for f in record._meta.concrete_fields}
    return model(**{f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields if f.attname in names})


def _annotated(model, queryset, limit):
    """The newest `limit` public records of `queryset`, each annotated with the status of the
    record just before it (`previous_status`) and the id of the last public record before it
    (`previous_public_id`). One query."""
    earlier = _earlier(model).order_by("-history_date", "-history_id")
    return list(
        _public(queryset)
        .annotate(
            previous_status=Subquery(earlier.values("status")[:1]),
            previous_public_id=Subquery(_public(earlier).values("history_id")[:1]),
        )
        .order_by("-history_date", "-history_id")[:limit]
    )


def _values(record) -> dict:
    return {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}


def _changes(*, measures, clauses, awards, limit, attach_measures=False) -> list[Change]:
    measure_records = _annotated(Measure, measures, limit)
    clause_records = _annotated(Clause, clauses.filter(draft_of__isnull=True), limit)
    # An award's clause, from the clause's history so that awards of deleted clauses keep theirs.
    clause_of = Clause.history.filter(id=OuterRef("clause_id")).order_by("-history_date", "-history_id")
    award_records = _annotated(
        Award,
        awards.annotate(
            measure_ref=Subquery(clause_of.values("measure_id")[:1]),
            clause_position=Subquery(clause_of.values("position")[:1]),
            clause_first_published=Subquery(
                _public(clause_of).order_by("history_date", "history_id").values("history_date")[:1]
            ),
        ),
        limit,
    )
    groups = [
        (Measure, "measure", measure_records, lambda r: r.id, lambda r: None),
        (Clause, "clause", clause_records, lambda r: r.measure_id, lambda r: r.position),
        (Award, "award", award_records, lambda r: r.measure_ref, lambda r: r.clause_position),
    ]

    # The last public versions the changes are compared with: one query per kind of row.
    previous = {}
    for model, _name, records, _m, _p in groups:
        ids = [r.previous_public_id for r in records if r.previous_public_id]
        previous[model] = {r.history_id: _values(r) for r in model.history.filter(history_id__in=ids)} if ids else {}

    measure_ids = {measure_of(r) for _model, _name, records, measure_of, _p in groups for r in records}
    first_published = _first_published(measure_ids, attach_measures)

    changes = []
    for model, name, records, measure_of, position_of in groups:
        for record in records:
            measure_id = measure_of(record)
            if measure_id not in first_published or record.history_date < first_published[measure_id][0]:
                continue  # a measure not published now, or its preparation before it was
            if model is Award and (
                record.clause_first_published is None or record.history_date < record.clause_first_published
            ):
                continue  # an award prepared on a clause the public did not see yet
            change = _change(model, name, record, previous[model].get(record.previous_public_id))
            if change is None:
                continue
            change.measure_id = measure_id
            change.position = position_of(record)
            change.measure = first_published[measure_id][1]
            changes.append(change)
    changes.sort(key=lambda c: (c.date, c.key), reverse=True)
    return changes[:limit]


def _first_published(measure_ids, attach_measures):
    """{measure id: (when it was first published, the measure)} for the measures published now.
    One query (the measure's policy joined when the site-wide lists need its slug)."""
    first = (
        _public(Measure.history.filter(id=OuterRef("pk"))).order_by("history_date", "history_id").values("history_date")
    )
    queryset = Measure.objects.filter(pk__in=measure_ids, status=PublicationStatus.PUBLISHED).annotate(
        first_published=Subquery(first[:1])
    )
    if attach_measures:
        queryset = queryset.select_related("policy").only("id", "number", "title", "status", "policy__slug")
    else:
        queryset = queryset.only("id")
    return {m.pk: (m.first_published, m if attach_measures else None) for m in queryset if m.first_published}


def _change(model, name, record, previous_values) -> Change | None:
    if record.history_type == "-":
        kind, fields = DELETED, field_changes(model, _values(record), {})
    else:
        if record.history_type == "+":
            kind = CREATED
        elif record.previous_status != PublicationStatus.PUBLISHED:
            kind = PUBLISHED
        else:
            kind = CHANGED
        fields = field_changes(model, previous_values, _values(record))
    fields = [f for f in fields if f.name not in NOT_SHOWN]
    if kind == CHANGED and not fields:
        return None  # a save that changed nothing a reader sees
    return Change(
        key=f"{name}-{record.history_id}",
        date=record.history_date,
        who=PUBLIC_EDITOR,
        reason=record.history_change_reason or "",
        kind=kind,
        subject=name,
        position=None,
        fields=fields,
        measure_id=0,
    )
