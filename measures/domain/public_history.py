"""The public history: what the public could see of each measure, clause, award and 问答, and when that changed.

The rule, written once: a row is visible when it and every row above it are published, and a change is
public (修改, 新增, 发布, 撤回, 删除) when the row is visible or absent on both sides of it, shown with
public values only. `record_change` writes the entry in the same transaction as each historical record;
`rebuild` replays the whole history to the same result. See docs/architecture.md#the-public-history.
"""

import contextlib
import dataclasses
import datetime
import functools
import operator
import threading
import uuid
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _

from measures.domain.diffs import content_fields
from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import LISTED_FIELDS, Award, Clause, Measure, PublicationStatus, is_public_clause
from measures.domain.questions import QuestionAnswer, is_public_question
from measures.domain.revision import ContentRevision


class PublicChange(models.Model):
    """One entry of the public history (measure history pages, /changes/, the feed): a change the
    public could see, with the public values before and after it and nothing else. Written by
    measures/domain/public_history.py as the change happens (or by its `rebuild`), never by hand."""

    class Subject(models.TextChoices):
        MEASURE = "measure", _("措施")
        CLAUSE = "clause", _("条款")
        AWARD = "award", _("奖补金额")
        # An award's recipient kinds (its object_id is the award's, its history_id a kind link's record).
        KINDS = "kinds", _("申报主体")
        # A measure's 政策问答 (measures/domain/questions.py): visible when it and its measure are published.
        QA = "qa", _("政策问答")

    class Kind(models.TextChoices):
        CREATED = "created", _("首次录入")
        CHANGED = "changed", _("修改")
        PUBLISHED = "published", _("发布")
        WITHDRAWN = "withdrawn", _("撤回")
        DELETED = "deleted", _("删除")

    date = models.DateTimeField("时间")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    subject = models.CharField("对象", max_length=10, choices=Subject.choices)
    object_id = models.BigIntegerField("对象编号")
    # The historical record of the save that made this change (in the subject's history table).
    history_id = models.BigIntegerField("历史记录编号")
    # Plain ids, not foreign keys: the measure may since have been deleted, and its history stays public.
    measure_id = models.BigIntegerField("所在措施")
    clause_position = models.PositiveSmallIntegerField("段落序号", null=True)
    # Where a clause or an award was listed before it moved (a move is public when both places are).
    moved_from_measure_id = models.BigIntegerField("移出的措施", null=True)
    moved_from_clause_position = models.PositiveSmallIntegerField("移出的段落", null=True)
    old_values = models.JSONField("修改前（公开的内容）", default=dict)
    new_values = models.JSONField("修改后（公开的内容）", default=dict)
    reason = models.TextField("变更说明", blank=True)

    class Meta:
        verbose_name = "公开修改记录"
        verbose_name_plural = "公开修改记录"
        ordering = ["-date", "-id"]
        indexes = [
            # /changes/ and the feed read the newest; a measure's history page reads its own newest.
            models.Index(fields=["-date", "-id"], name="public_change_newest"),
            models.Index(fields=["measure_id", "-date"], name="public_change_of_measure"),
            models.Index(fields=["moved_from_measure_id"], name="public_change_moved_from"),
        ]

    def __str__(self):
        return f"{self.get_subject_display()} {self.object_id} {self.get_kind_display()}"


class PublicState(models.Model):
    """What the public last saw of a measure, clause or award that has ever been public: whether it
    still sees it, its public values and where it was shown. The memory that lets the next change be
    compared with what was public (measures/domain/public_history.py), never with a draft's values."""

    subject = models.CharField(max_length=10, choices=PublicChange.Subject.choices)
    object_id = models.BigIntegerField()
    visible = models.BooleanField()
    values = models.JSONField(default=dict)
    measure_id = models.BigIntegerField(null=True)
    clause_position = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name = "公开状态"
        constraints = [models.UniqueConstraint(fields=["subject", "object_id"], name="public_state_per_row")]
        indexes = [
            # A policy's alerts ask for its measures as the public saw them (measures/public/alerts/targets.py):
            # without it, every measure's state is read to find one policy's (docs/benchmarks.md).
            models.Index(
                KeyTransform("policy_id", "values"),
                condition=models.Q(subject="measure"),
                name="public_state_measure_policy",
            )
        ]

    def __str__(self):
        return f"{self.subject} {self.object_id}"


PUBLISHED = PublicationStatus.PUBLISHED

MEASURE, CLAUSE, AWARD = PublicChange.Subject.MEASURE, PublicChange.Subject.CLAUSE, PublicChange.Subject.AWARD
KINDS = PublicChange.Subject.KINDS
QA = PublicChange.Subject.QA
MODELS = {MEASURE: Measure, CLAUSE: Clause, AWARD: Award, QA: QuestionAnswer}
KIND_NAMES = "names"  # the one value of an award's KINDS row: its kinds' names, in the kinds' order

# Columns that say where a row is shown, or whether, rather than what it says; and the date a measure
# was checked against its sources (核对), which changes nothing the page says.
NOT_PUBLIC_VALUES = {"status", "draft_of", "is_public", "checked_on", *LISTED_FIELDS}


def public_attnames(model) -> list[str]:
    """The columns of a row that the public reads (its text, amounts, numbers and place)."""
    return [f.attname for f in content_fields(model) if f.name not in NOT_PUBLIC_VALUES]


PUBLIC_ATTNAMES = {subject: public_attnames(model) for subject, model in MODELS.items()}
# A clause moves between measures, an award between clauses, a 问答 between measures.
PARENT_ATTNAME = {CLAUSE: "measure_id", AWARD: "clause_id", QA: "measure_id"}
# What a reader is shown of a change: not the ids linking a row to its parents (a move is shown as
# one, from the place it was listed in to the new one).
SHOWN_ATTNAMES = {
    subject: [name for name in names if name not in {"policy_id", "pillar_id", "measure_id", "clause_id"}]
    for subject, names in PUBLIC_ATTNAMES.items()
}
SHOWN_ATTNAMES[KINDS] = [KIND_NAMES]


@dataclass(frozen=True)
class RowState:
    """A row as it stands after a save: whether the public sees it, and if so what and where."""

    subject: str
    id: int
    visible: bool
    values: dict  # its public values (only meaningful when visible)
    measure_id: int | None  # the measure it is shown in (a measure: itself)
    clause_position: int | None  # a clause's paragraph number, or an award's clause's


@dataclass(frozen=True)
class Record:
    """The historical record that caused a change: its row, kind ('+', '~', '-'), time and reason."""

    subject: str
    id: int
    history_id: int
    history_type: str
    date: datetime.datetime
    reason: str


def transition(record: Record | None, state: RowState, before: PublicState | None):
    """What a row's new state means for the public: (the entry to list or None, the PublicState to
    keep or None). `record` is the row's own save that led here, None when only a row above it
    changed (then its change is folded into that row's entry). The one place that applies the rule,
    whose table of cases is in docs/architecture.md#the-public-history."""
    was_visible = before is not None and before.visible
    kind = old = new = None
    moved_from = None
    if state.subject == KINDS and not (was_visible and state.visible):
        pass  # an award's kinds appear and go with it: folded into its entry
    elif was_visible and state.visible:
        parent = PARENT_ATTNAME.get(state.subject)
        moved = parent is not None and before.values.get(parent) != state.values.get(parent)
        shown = SHOWN_ATTNAMES[state.subject]
        if moved or any(before.values.get(name) != state.values.get(name) for name in shown):
            kind, old, new = PublicChange.Kind.CHANGED, before.values, state.values
            moved_from = before if moved else None
    elif state.visible:
        created = record is not None and record.history_type == "+"
        kind = PublicChange.Kind.CREATED if created else PublicChange.Kind.PUBLISHED
        old, new = {}, state.values
    elif was_visible:
        deleted = record is not None and record.history_type == "-"
        kind = PublicChange.Kind.DELETED if deleted else PublicChange.Kind.WITHDRAWN
        old, new = (before.values, {}) if deleted else ({}, {})

    if not state.visible and before is None:
        row = None  # never public: nothing to remember
    elif state.visible:
        row = PublicState(
            subject=state.subject,
            object_id=state.id,
            visible=True,
            values=state.values,
            measure_id=state.measure_id,
            clause_position=state.clause_position,
        )
    else:  # no longer visible: keep what the public last saw
        row = PublicState(
            subject=before.subject,
            object_id=before.object_id,
            visible=False,
            values=before.values,
            measure_id=before.measure_id,
            clause_position=before.clause_position,
        )

    entry = None
    if kind is not None and record is not None:
        place = before if state.visible is False else state
        entry = PublicChange(
            date=record.date,
            kind=kind,
            subject=state.subject,
            object_id=state.id,
            history_id=record.history_id,
            measure_id=place.measure_id,
            clause_position=place.clause_position,
            moved_from_measure_id=moved_from and moved_from.measure_id,
            moved_from_clause_position=moved_from and moved_from.clause_position,
            old_values=old,
            new_values=new,
            reason=record.reason,
        )
    return entry, row


def _save(entries, rows, known):
    """Write entries and keep the rows' new public states (`known`: the PublicStates read before)."""
    PublicChange.objects.bulk_create(entries)
    for row in rows:
        existing = known.get((row.subject, row.object_id))
        if existing is None:
            row.save()
        elif (existing.visible, existing.values, existing.measure_id, existing.clause_position) != (
            row.visible,
            row.values,
            row.measure_id,
            row.clause_position,
        ):
            row.pk = existing.pk
            row.save()


def _apply(own: dict, states, known: dict) -> tuple[list, list]:
    """transition() for each state; `own`: the rows' own records, by (subject, id)."""
    entries, rows = [], []
    for state in states:
        key = (state.subject, state.id)
        entry, row = transition(own.get(key), state, known.get(key))
        if entry is not None:
            entries.append(entry)
        if row is not None:
            rows.append(row)
    return entries, rows


# Recording each change as it happens


class Batch:
    """Saves that belong together (one admin form, one publication, one load): each row's public
    change is judged once, from what the public saw before the first of them to the state after the
    last, so that nothing between (a clause's old text at the instant its measure was published in
    the same form) is ever taken for public."""

    def __init__(self):
        self.id = uuid.uuid4()
        self.records: dict[tuple[str, int], Record] = {}

    def add(self, record: Record):
        key = (record.subject, record.id)
        first = self.records.get(key)
        if first is not None and first.history_type == "+" and record.history_type != "-":
            record = dataclasses.replace(record, history_type="+")  # created in this batch: still a creation
        self.records[key] = record

    def flush(self, using=DEFAULT_DB_ALIAS):
        if self.records:
            _record(list(self.records.values()), using)
            self.records.clear()


_open = threading.local()


@contextlib.contextmanager
def batch():
    """Group the saves made inside into one change per row (see Batch). Open it inside the
    transaction that makes them; a batch opened inside another is part of it."""
    if getattr(_open, "batch", None) is not None:
        yield _open.batch
        return
    _open.batch = current = Batch()
    try:
        yield current
        current.flush()
    finally:
        _open.batch = None


def batched(function):
    """The decorator form of batch(), under @transaction.atomic."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with batch():
            return function(*args, **kwargs)

    return wrapper


def stamp_batch(sender, history_instance, **kwargs):
    """pre_create_historical_record: mark the record with its batch, so that a replay groups it alike."""
    current = getattr(_open, "batch", None)
    if current is not None and (sender in SUBJECT_OF_HISTORY or sender is KIND_LINK_HISTORY):
        history_instance.history_batch = current.id


def record_change(sender, instance, history_instance, **kwargs):
    """post_create_historical_record: a measure, clause or award was saved or deleted, or an award's
    kind link (a change of the award's KINDS row)."""
    if sender is KIND_LINK_HISTORY:
        subject, pk = KINDS, history_instance.award_id
    else:
        subject, pk = SUBJECT_OF_HISTORY.get(sender), history_instance.id
    if subject is None:
        return
    record = Record(
        subject=subject,
        id=pk,
        history_id=history_instance.history_id,
        history_type=history_instance.history_type,
        date=history_instance.history_date,
        reason=history_instance.history_change_reason or "",
    )
    current = getattr(_open, "batch", None)
    if current is not None:
        current.add(record)
    else:
        _record([record], kwargs.get("using") or DEFAULT_DB_ALIAS)


def record_bulk_write(sender, pks, using, **kwargs):
    """rows_recorded: content rows were written in bulk (ContentQuerySet) and their history recorded."""
    subject = {model: subject for subject, model in MODELS.items()}.get(sender)
    if sender is AwardRecipientKind:
        subject = KINDS
    if subject is None or not pks:
        return
    history = sender.history.model.objects.using(using)
    latest = {}
    for record in history.filter(id__in=pks).order_by("history_date", "history_id"):
        latest[record.award_id if subject == KINDS else record.id] = record
    current = getattr(_open, "batch", None)
    group = current or Batch()
    history.filter(history_id__in=[r.history_id for r in latest.values()]).update(history_batch=group.id)
    for record in latest.values():
        group.add(
            Record(
                subject,
                record.award_id if subject == KINDS else record.id,
                record.history_id,
                record.history_type,
                record.history_date,
                record.history_change_reason or "",
            )
        )
    if current is None:
        group.flush(using)


def _record(records: list[Record], using):
    """The public changes made by these records, judged on the rows as they stand now."""
    with transaction.atomic(using=using):
        states = {}
        for record in records:
            if (record.subject, record.id) in states:
                # Read with a row before it (a measure's read holds its clauses', awards' and kinds'
                # states, a clause's its awards'): the same rows, read again, would say the same.
                continue
            for state in _live_states(record.subject, record.id):
                states.setdefault((state.subject, state.id), state)
        known = _known(states.values())
        entries, rows = _apply({(r.subject, r.id): r for r in records}, states.values(), known)
        _save(entries, rows, known)
        if entries:
            # The public history is public content too: a page cached before these entries existed
            # must not be served after (measures/domain/revision.py).
            ContentRevision.bump()


def _values(subject, source) -> dict:
    """The public values of a live row or a historical record (both have the same attnames)."""
    return {name: _plain(getattr(source, name)) for name in PUBLIC_ATTNAMES[subject]}


def _plain(value):
    """A value as the JSON of a PublicState keeps it: a date (a 问答's 答复日期) as its ISO text."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def _gone(subject, pk) -> RowState:
    return RowState(subject, pk, False, {}, None, None)


def _live_states(subject: str, pk: int) -> list[RowState]:
    """The row's state now, and its clauses', awards' and their kinds' (whose visibility depends on
    it). Three or four queries, none ordered by the models' own ordering: it would join the policy to
    every one, and every save pays for these."""
    if subject == QA:
        question = _one(QuestionAnswer.objects.select_related("measure").filter(pk=pk))
        if question is None:
            return [_gone(QA, pk)]
        return [_question_state(question, question.measure.status)]
    if subject == MEASURE:
        measure = _one(Measure.objects.filter(pk=pk))
        if measure is None:
            return [_gone(MEASURE, pk)]
        visible = measure.status == PUBLISHED
        states = [RowState(MEASURE, pk, visible, _values(MEASURE, measure) if visible else {}, pk, None)]
        clauses = list(Clause.objects.filter(measure_id=pk, draft_of__isnull=True).order_by("position"))
        measure_visible = visible
        # Its 问答 appear and go with it (folded into its entry), as its clauses do.
        states.extend(
            _question_state(q, measure.status) for q in QuestionAnswer.objects.filter(measure_id=pk).order_by("pk")
        )
    elif subject == CLAUSE:
        clause = _one(Clause.objects.select_related("measure").filter(pk=pk))
        if clause is None:
            return [_gone(CLAUSE, pk)]
        states, clauses = [], [clause]
        measure_visible = clause.measure.status == PUBLISHED
    else:  # an award, or its kinds (keyed by the award)
        award = _one(Award.objects.select_related("clause__measure").filter(pk=pk))
        if award is None:
            return _with_kinds([_gone(AWARD, pk)])
        clause = award.clause
        return _with_kinds([_award_state(award, clause, _clause_visible(clause, clause.measure.status == PUBLISHED))])
    awards_by_clause = {}
    for award in Award.objects.filter(clause__in=[c.pk for c in clauses]).order_by("position"):
        awards_by_clause.setdefault(award.clause_id, []).append(award)
    for clause in clauses:
        clause_visible = _clause_visible(clause, measure_visible)
        states.append(
            RowState(
                CLAUSE,
                clause.pk,
                clause_visible,
                _values(CLAUSE, clause) if clause_visible else {},
                clause.measure_id,
                clause.position,
            )
        )
        states.extend(_award_state(a, clause, clause_visible) for a in awards_by_clause.get(clause.pk, []))
    return _with_kinds(states)


def _question_state(question, measure_status) -> RowState:
    visible = is_public_question(status=question.status, measure_status=measure_status)
    values = _values(QA, question) if visible else {}
    return RowState(QA, question.pk, visible, values, question.measure_id, None)


def _one(queryset):
    """The row a primary-key filter finds, or None."""
    return next(iter(queryset.order_by()[:1]), None)


def _clause_visible(clause, measure_visible: bool) -> bool:
    measure_status = PUBLISHED if measure_visible else PublicationStatus.DRAFT
    return is_public_clause(status=clause.status, draft_of=clause.draft_of_id, measure_status=measure_status)


def _award_state(award, clause, clause_visible: bool) -> RowState:
    visible = clause_visible and award.status == PUBLISHED
    values = _values(AWARD, award) if visible else {}
    return RowState(AWARD, award.pk, visible, values, clause.measure_id, clause.position)


def _with_kinds(states: list[RowState], names_of=None) -> list[RowState]:
    """These states, each award's followed by its kinds'. `names_of(award ids)`: their kinds' names by
    award (by default read from the links: one query, none without a visible award)."""
    awards = [state for state in states if state.subject == AWARD]
    visible = [state.id for state in awards if state.visible]
    names = (names_of or _live_kind_names)(visible) if visible else {}
    return states + [_kinds_state(state, names.get(state.id, [])) for state in awards]


def _live_kind_names(award_ids) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    links = AwardRecipientKind.objects.filter(award_id__in=award_ids).order_by("kind__order", "kind__slug")
    for award_id, name in links.values_list("award_id", "kind__name"):
        names.setdefault(award_id, []).append(name)
    return names


def _kinds_state(award: RowState, names: list[str]) -> RowState:
    values = {KIND_NAMES: names} if award.visible else {}
    return RowState(KINDS, award.id, award.visible, values, award.measure_id, award.clause_position)


def _known(states) -> dict:
    """The PublicStates of these rows, by (subject, id): one query, each subject's ids looked up in the
    (subject, object_id) index (the ids alone would read the whole table)."""
    ids_by_subject: dict[str, set[int]] = {}
    for state in states:
        ids_by_subject.setdefault(state.subject, set()).add(state.id)
    if not ids_by_subject:
        return {}
    wanted = functools.reduce(
        operator.or_, (Q(subject=subject, object_id__in=ids) for subject, ids in ids_by_subject.items())
    )
    return {(r.subject, r.object_id): r for r in PublicState.objects.filter(wanted)}


SUBJECT_OF_HISTORY = {model.history.model: subject for subject, model in MODELS.items()}
KIND_LINK_HISTORY = AwardRecipientKind.history.model
KIND_VOCABULARY = "kind"  # a recipient kind's own record, in the replay: it names the kinds of awards


# Replaying the whole history


def _records(using):
    """Every historical record of measures, clauses, awards, their kind links and the kinds, in groups
    saved together (a batch,
    or a record on its own), the groups in the order they ended, each record with the row's values
    as they were then."""
    records = []
    order = {MEASURE: 0, CLAUSE: 1, AWARD: 2, QA: 5}
    for subject, model in MODELS.items():
        extra = {MEASURE: ["status"], CLAUSE: ["status", "draft_of_id"], AWARD: ["status"], QA: ["status"]}[subject]
        names = [*PUBLIC_ATTNAMES[subject], *extra]
        columns = ["id", "history_id", "history_type", "history_date", "history_change_reason", "history_batch"]
        rows = model.history.model.objects.using(using).order_by().values(*columns, *names)
        for row in rows.iterator(chunk_size=2000):
            records.append((row["history_date"], order[subject], row["history_id"], subject, row))
    # The kinds' names and order as they were (to name an award's kinds), and the awards' kind links.
    kinds = RecipientKind.history.model.objects.using(using).order_by()
    for row in kinds.values("id", "history_id", "history_type", "history_date", "slug", "name", "order").iterator():
        records.append((row["history_date"], 3, row["history_id"], KIND_VOCABULARY, row))
    links = KIND_LINK_HISTORY.objects.using(using).order_by()
    for row in links.values(*columns, "award_id", "kind_id").iterator(chunk_size=2000):
        records.append((row["history_date"], 4, row["history_id"], KINDS, row))
    records.sort(key=lambda item: item[:3])
    groups, ends = {}, {}
    for position, (_date, _order, _history_id, subject, row) in enumerate(records):
        key = row.get("history_batch") or ("alone", position)
        groups.setdefault(key, []).append((subject, row))
        ends[key] = position
    return [groups[key] for key in sorted(groups, key=ends.__getitem__)]


def rebuild(using=DEFAULT_DB_ALIAS) -> int:
    """Forget the recorded public history and replay every historical record to write it again, in
    one transaction. Returns the number of entries. Reads each history table once, in memory."""
    with transaction.atomic(using=using):
        return _rebuild(using)


def _rebuild(using) -> int:
    PublicChange.objects.using(using).all().delete()
    PublicState.objects.using(using).all().delete()
    current = {MEASURE: {}, CLAUSE: {}, AWARD: {}, QA: {}}  # each row's values as of the records replayed so far
    clauses_of, awards_of = {}, {}  # measure id -> clause ids; clause id -> award ids
    questions_of = {}  # measure id -> 问答 ids
    known, entries = {}, []
    kinds, kinds_of = {}, {}  # kind id -> (order, slug, name); award id -> {link id: kind id}

    def kind_names(award_ids) -> dict[int, list[str]]:
        return {
            award_id: [kind[2] for kind in sorted(kinds[k] for k in kinds_of.get(award_id, {}).values() if k in kinds)]
            for award_id in award_ids
        }

    for group in _records(using):
        own = Batch()
        for subject, row in group:
            if subject == KIND_VOCABULARY:
                kinds[row["id"]] = (row["order"], row["slug"], row["name"])
                continue
            reason = row["history_change_reason"] or ""
            if subject == KINDS:
                links = kinds_of.setdefault(row["award_id"], {})
                if row["history_type"] == "-":
                    links.pop(row["id"], None)
                else:
                    links[row["id"]] = row["kind_id"]
                own.add(
                    Record(KINDS, row["award_id"], row["history_id"], row["history_type"], row["history_date"], reason)
                )
                continue
            pk = row["id"]
            previous = current[subject].get(pk)
            if row["history_type"] == "-":
                current[subject].pop(pk, None)
            else:
                current[subject][pk] = row
            if subject == CLAUSE:
                _move(clauses_of, previous and previous["measure_id"], row["measure_id"], pk, row["history_type"])
            elif subject == AWARD:
                _move(awards_of, previous and previous["clause_id"], row["clause_id"], pk, row["history_type"])
            elif subject == QA:
                _move(questions_of, previous and previous["measure_id"], row["measure_id"], pk, row["history_type"])
            own.add(Record(subject, pk, row["history_id"], row["history_type"], row["history_date"], reason))
        states = {}
        for subject, pk in own.records:
            replayed = _replayed_states(
                AWARD if subject == KINDS else subject, pk, current, clauses_of, awards_of, questions_of
            )
            for state in _with_kinds(replayed, kind_names):
                states.setdefault((state.subject, state.id), state)
        new_entries, rows = _apply(own.records, states.values(), known)
        entries.extend(new_entries)
        for public_state in rows:
            known[(public_state.subject, public_state.object_id)] = public_state
    PublicState.objects.using(using).bulk_create(known.values(), batch_size=2000)
    PublicChange.objects.using(using).bulk_create(entries, batch_size=2000)
    return len(entries)


def _move(children_of, old_parent, new_parent, pk, history_type):
    if old_parent is not None:
        children_of.get(old_parent, set()).discard(pk)
    if history_type != "-":
        children_of.setdefault(new_parent, set()).add(pk)


def _replayed_states(subject, pk, current, clauses_of, awards_of, questions_of) -> list[RowState]:
    """_live_states, from the replayed rows instead of the database."""
    measures, clauses, awards, questions = current[MEASURE], current[CLAUSE], current[AWARD], current[QA]

    def measure_visible(measure_id):
        measure = measures.get(measure_id)
        return measure is not None and measure["status"] == PUBLISHED

    def clause_visible(clause):
        measure_status = PUBLISHED if measure_visible(clause["measure_id"]) else PublicationStatus.DRAFT
        return is_public_clause(status=clause["status"], draft_of=clause["draft_of_id"], measure_status=measure_status)

    def award_state(award, clause, visible_clause):
        visible = visible_clause and award["status"] == PUBLISHED
        values = {n: award[n] for n in PUBLIC_ATTNAMES[AWARD]} if visible else {}
        return RowState(AWARD, award["id"], visible, values, clause["measure_id"], clause["position"])

    def clause_states(clause):
        visible = clause_visible(clause)
        values = {n: clause[n] for n in PUBLIC_ATTNAMES[CLAUSE]} if visible else {}
        states = [RowState(CLAUSE, clause["id"], visible, values, clause["measure_id"], clause["position"])]
        for award_id in sorted(awards_of.get(clause["id"], ())):
            states.append(award_state(awards[award_id], clause, visible))
        return states

    def question_state(question):
        measure = measures.get(question["measure_id"])
        measure_status = measure["status"] if measure is not None else None
        visible = is_public_question(status=question["status"], measure_status=measure_status)
        values = {n: _plain(question[n]) for n in PUBLIC_ATTNAMES[QA]} if visible else {}
        return RowState(QA, question["id"], visible, values, question["measure_id"], None)

    if subject == QA:
        question = questions.get(pk)
        return [question_state(question)] if question else [_gone(QA, pk)]
    if subject == MEASURE:
        measure = measures.get(pk)
        if measure is None:
            return [_gone(MEASURE, pk)]
        visible = measure["status"] == PUBLISHED
        values = {n: measure[n] for n in PUBLIC_ATTNAMES[MEASURE]} if visible else {}
        states = [RowState(MEASURE, pk, visible, values, pk, None)]
        for clause_id in sorted(clauses_of.get(pk, ())):
            if clauses[clause_id]["draft_of_id"] is None:
                states.extend(clause_states(clauses[clause_id]))
        states.extend(question_state(questions[q]) for q in sorted(questions_of.get(pk, ())))
        return states
    if subject == CLAUSE:
        clause = clauses.get(pk)
        return clause_states(clause) if clause else [_gone(CLAUSE, pk)]
    award = awards.get(pk)
    clause = award and clauses.get(award["clause_id"])
    if clause is None:
        return [_gone(AWARD, pk)]
    return [award_state(award, clause, clause_visible(clause))]
