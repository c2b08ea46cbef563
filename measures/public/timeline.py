"""Reading the public history: a measure's changes, the site's latest, and a measure as it stood on a day.

The domain side of the public transparency pages (measure history, /changes/ and its feed, and a
measure page's ?as_of=). What counts as a public change, and what of it may be shown, is decided
once, when the change happens (measures/domain/public_history.py): these functions only read its entries.

Who made a change is shown as the neutral 编辑部 (PUBLIC_EDITOR), never an editor's username: the
bureau, not an individual civil servant, answers to the public for its text, and admin usernames
are half of a login. The admin's own history pages keep the names for the bureau's internal audit.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from measures.domain.diffs import FieldChange, field_changes
from measures.domain.models import Award, Clause, Measure, Policy, PublicationStatus, is_public_clause
from measures.domain.public_history import KIND_NAMES, PublicChange, PublicState
from measures.domain.questions import QuestionAnswer, is_public_question
from measures.text import money

PUBLIC_EDITOR = _("编辑部")

# How many changes a history page, /changes/ and the feed list: the newest ones, so that each page
# runs a fixed number of queries and reads a bounded number of records however long history grows.
LATEST_CHANGES = 50

Kind = PublicChange.Kind
MODELS = {"measure": Measure, "clause": Clause, "award": Award, "qa": QuestionAnswer}

# How close to its measure's first entry a clause's or award's first entry, with the same reason, counts
# as part of the same first load (one save of the measure with its clauses, or one run of load_policy).
FIRST_LOAD_WINDOW = datetime.timedelta(minutes=1)

# Fields a public diff leaves out: the links between rows (ids mean nothing to a reader; where a row
# sits is said by the change's subject, and a move by its own line).
NOT_SHOWN = {"measure", "clause", "policy", "pillar"}
# A 问答's place in its list is not what it says: its changes show its wording and date.
NOT_SHOWN_OF = {"qa": {"position"}}

# A run of line breaks and other control characters (C0, DEL, C1, the Unicode line and paragraph
# separators), with the spaces around it: a reason is shown as one line, so that an editor's text cannot
# add lines of its own to the plain-text mail (a fake link, a fake sign-off) nor break a page's layout.
LINE_BREAKING = re.compile(r" *[\x00-\x1f\x7f-\x9f\u2028\u2029]+[\x00-\x20\x7f-\x9f\u2028\u2029]*")


@dataclass(frozen=True)
class PublicMeasure:
    """A measure as the public last saw it: its number and title then, and whether it is still public."""

    id: int
    policy_slug: str
    policy_title: str
    number: int
    title: str
    visible: bool


@dataclass
class Change:
    """One public change of a measure, of one of its clauses, or of one of their awards."""

    key: str  # unique and stable: the kind of row and its history record's id ('clause-42')
    date: datetime.datetime
    who: str
    reason: str
    kind: str
    subject: str  # 'measure', 'clause', 'award', 'kinds' or 'qa'
    position: int | None  # the clause's paragraph number, for a clause or an award
    fields: list[FieldChange]
    measure: PublicMeasure
    summary: str = ""  # what a row said when it appeared, in a sentence (instead of its fields)
    parts: list["Change"] = field(default_factory=list)  # a first load's clauses and awards, shown as one entry

    @property
    def anchor(self) -> str:
        return f"change-{self.key}"

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


def change_url(change) -> str:
    """Where a change is shown: its entry on its measure's history page."""
    url = reverse("measures:measure_history", args=[change.measure.policy_slug, change.measure.number])
    return f"{url}#{change.anchor}"


def change_title(change) -> str:
    """'第3条 第2段 修改', '第3条 第2段的奖补金额 新增', '第3条 第2段奖补的申报主体 修改', '第3条 措施 发布'."""
    measure = gettext("第%(number)s条") % {"number": change.measure.number}
    if change.subject == "clause":
        subject = gettext("第%(position)s段") % {"position": change.position}
    elif change.subject == "award":
        subject = gettext("第%(position)s段的奖补金额") % {"position": change.position}
    elif change.subject == "kinds":
        subject = gettext("第%(position)s段奖补的申报主体") % {"position": change.position}
    elif change.subject == "qa":
        subject = gettext("政策问答")
    else:
        subject = change.measure.title
    return f"{measure} {subject} {change.kind_label}"


@dataclass
class MeasureAsOf:
    """A measure as it stood at the end of `day`: its title, pillar, and its clauses (Clause
    instances built from history, each with its awards readable as `clause.awards.all`)."""

    day: datetime.date
    title: str
    pillar_id: int
    clauses: list[Clause] = field(default_factory=list)
    questions: list[QuestionAnswer] = field(default_factory=list)  # its 政策问答 public then, in order


def public_measure(policy: Policy, number: int) -> PublicMeasure | None:
    """The measure the public knows (or knew) as number `number` of `policy`: the one shown now, else
    the last one shown under that number (withdrawn or deleted since), else None. One query."""
    states = PublicState.objects.filter(
        subject=PublicChange.Subject.MEASURE, values__policy_id=policy.pk, values__number=number
    ).order_by("-visible", "-object_id")
    state = states.first()
    if state is None:
        return None
    return _public_measure(state, {policy.pk: policy})


def measure_changes(measure: PublicMeasure, limit: int = LATEST_CHANGES) -> list[Change]:
    """The measure's public changes, newest first, at most `limit` entries (those of rows moved out of
    it included), its first load shown as one (first_load_as_one). Three queries."""
    return first_load_as_one(_changes(_entries_of(measure.id)[:limit]))


def last_change(measure_id: int) -> PublicChange | None:
    """The measure's latest public change (its date and reason: what its page says under its title).
    One query."""
    entry = _entries_of(measure_id).only("date", "reason", "kind").first()
    if entry is not None:
        entry.reason = one_line(entry.reason)
    return entry


def _entries_of(measure_id: int):
    return PublicChange.objects.filter(Q(measure_id=measure_id) | Q(moved_from_measure_id=measure_id))


def first_load_as_one(changes: list[Change]) -> list[Change]:
    """A measure's changes (newest first) with the clauses and awards that first appeared with the
    measure itself — the same reason, within FIRST_LOAD_WINDOW — folded into its 首次录入 entry as
    `parts`: a measure loaded with its text reads as one entry, not one per paragraph and amount."""
    first = next((c for c in changes if c.subject == "measure" and c.kind == Kind.CREATED), None)
    if first is None:
        return changes

    def loaded_with_it(change):
        return (
            change is not first
            and change.kind == Kind.CREATED
            and change.reason == first.reason
            and change.measure.id == first.measure.id
            and abs(change.date - first.date) <= FIRST_LOAD_WINDOW
        )

    first.parts = sorted((c for c in changes if loaded_with_it(c)), key=lambda c: (c.date, c.key))
    folded = {id(c) for c in first.parts}
    return [c for c in changes if id(c) not in folded]


def recent_changes(limit: int = LATEST_CHANGES) -> list[Change]:
    """Public changes across the site, newest first, at most `limit`. Three queries."""
    return _changes(PublicChange.objects.all()[:limit])


def changes_of(entries) -> list[Change]:
    """These public history entries as the public pages show them (the e-mail alerts' mail, too).
    Two queries."""
    return _changes(entries)


def _changes(entries) -> list[Change]:
    entries = list(entries)
    measure_ids = {e.measure_id for e in entries} | {e.moved_from_measure_id for e in entries}
    states = list(PublicState.objects.filter(subject=PublicChange.Subject.MEASURE, object_id__in=measure_ids))
    policies = Policy.objects.in_bulk({s.values.get("policy_id") for s in states})
    measures = {s.object_id: _public_measure(s, policies) for s in states}
    return [_change(entry, measures) for entry in entries if entry.measure_id in measures]


def _public_measure(state: PublicState, policies: dict) -> PublicMeasure:
    policy = policies[state.values["policy_id"]]
    return PublicMeasure(
        id=state.object_id,
        policy_slug=policy.slug,
        policy_title=policy.title,
        number=state.values["number"],
        title=state.values["title"],
        visible=state.visible,
    )


def _change(entry: PublicChange, measures: dict) -> Change:
    summary = ""
    if entry.subject == PublicChange.Subject.KINDS:  # only ever changed: it appears and goes with its award
        fields = [kinds_change(entry.old_values, entry.new_values)]
    elif entry.kind in (Kind.CREATED, Kind.PUBLISHED):
        # What appeared, in a sentence: not a table of internal fields (序号, 金额性质, 按每家计 …).
        summary, fields = appeared(entry.subject, entry.new_values), []
    elif entry.kind == Kind.WITHDRAWN:
        fields = []  # nothing of what the row says since it was withdrawn
    else:
        fields = field_changes(MODELS[entry.subject], entry.old_values or None, entry.new_values)
    fields = [f for f in fields if f.name not in NOT_SHOWN and f.name not in NOT_SHOWN_OF.get(entry.subject, ())]
    if entry.moved_from_measure_id is not None:
        fields.insert(0, _move(entry, measures))
    return Change(
        # The record that made the change, not the entry's own id: the same after a rebuild.
        key=f"{entry.subject}-{entry.history_id}",
        date=entry.date,
        who=PUBLIC_EDITOR,
        reason=one_line(entry.reason),
        kind=entry.kind,
        subject=entry.subject,
        position=entry.clause_position,
        fields=fields,
        measure=measures[entry.measure_id],
        summary=summary,
    )


def kinds_change(old_values: dict, new_values: dict) -> FieldChange:
    """An award's kinds before and after: '科技型企业孵化器 → 科技型企业孵化器、加速器'."""
    separator = "、"  # the policy's own list mark: the names are the policy's words

    def names(values):
        return separator.join(values.get(KIND_NAMES, []))

    return FieldChange(KIND_NAMES, str(_("申报主体")), names(old_values), names(new_values), whole=True)


def one_line(reason: str) -> str:
    """A change's reason as every face shows it (history pages, /changes/, the feed, the mail): on one line."""
    return LINE_BREAKING.sub(" ", reason).strip()


def appeared(subject: str, values: dict) -> str:
    """A measure's title, a clause's text, or an award as the measure page states it
    ('每年每家最高500万元奖励（孵化器）'), in the interface language where it is not the policy's own words."""
    if subject == "measure":
        return values.get("title", "")
    if subject == "clause":
        return values.get("text", "")
    if subject == "qa":
        return _("问：%(question)s") % {"question": values.get("question", "")}
    amount = money.format_award(
        values.get("amount_yuan") or 0,
        ceiling=values.get("limit") == Award.Limit.CEILING,
        recurrence=values.get("recurrence"),
        per_recipient=bool(values.get("per_recipient")),
        language=get_language(),
    )
    nature = Award.Nature(values["nature"]).label if values.get("nature") in Award.Nature.values else ""
    return _("%(amount)s%(nature)s（%(recipient)s）") % {
        "amount": amount,
        "nature": nature,
        "recipient": values.get("recipient", ""),
    }


def _move(entry: PublicChange, measures: dict) -> FieldChange:
    """'第2条第1段 → 第3条第1段' (a clause) or '第2条第1段 → 第2条第3段' (an award)."""

    def place(measure_id, position):
        number = measures[measure_id].number if measure_id in measures else "?"
        if entry.subject == "clause" or position is None:
            return str(_("第%(number)s条") % {"number": number})
        return str(_("第%(number)s条第%(position)s段") % {"number": number, "position": position})

    old = place(entry.moved_from_measure_id, entry.moved_from_clause_position)
    new = place(entry.measure_id, entry.clause_position)
    return FieldChange("place", str(_("位置")), old, new)


def measure_as_of(measure: Measure, day: datetime.date) -> MeasureAsOf | None:
    """The measure as it stood at the end of `day` in Xiamen (TIME_ZONE), or None when it was not
    yet recorded (or not yet published) then. Four queries."""
    end = _end_of(day)
    record = (
        Measure.history.filter(id=measure.pk, history_date__lt=end).order_by("-history_date", "-history_id").first()
    )
    if record is None or record.history_type == "-" or record.status != PublicationStatus.PUBLISHED:
        return None
    clause_records = _latest_each(Clause, end).filter(measure_id=measure.pk).exclude(history_type="-")
    clauses = [
        _instance(Clause, r)
        for r in clause_records.order_by("position")
        if is_public_clause(status=r.status, draft_of=r.draft_of_id, measure_status=record.status)
    ]
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
    question_records = _latest_each(QuestionAnswer, end).filter(measure_id=measure.pk).exclude(history_type="-")
    questions = [
        _instance(QuestionAnswer, r)
        for r in question_records.order_by("position", "id")
        if is_public_question(status=r.status, measure_status=record.status)
    ]
    positions = {clause.pk: clause.position for clause in clauses}
    for question in questions:
        question._clause_position = positions.get(question.clause_id)  # the paragraph as it was numbered then
    return MeasureAsOf(day=day, title=record.title, pillar_id=record.pillar_id, clauses=clauses, questions=questions)


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in Xiamen (TIME_ZONE)."""
    xiamen = timezone.get_default_timezone()
    if day >= timezone.localdate():  # today or later: everything recorded so far (and no overflow at 9999-12-31)
        return timezone.now() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=xiamen)


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
