"""Importing a policy's official text: the reading compared with what is recorded (`plan_import`), and what
the editor accepts created as drafts (`apply_plan`), for the admin's 从原文导入 and `import_policy_text`.

Only what differs from the records is proposed, and nothing is public until an editor publishes it.
Policies and pillars are never created: they have no draft state. See
docs/architecture.md#importing-a-policys-text.
"""

import difflib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from measures.domain import public_history
from measures.domain.eligibility import ApplicationDepartment, ApplicationInfo, Department
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PublicationStatus
from measures.text import clause_reader, document_reader, money, vocabulary

TEXT_IMPORT_REASON = "从原文导入"
PENDING = "待录入"  # what no source gives (DESIGN.md): an award whose recipient the text does not name
# How alike a paragraph and a recorded one must be to be the same paragraph changed (difflib's ratio).
SAME_PARAGRAPH = 0.5


class ImportRefused(Exception):
    """A plan whose accepted rows cannot be created, with a message for the editor (nothing is written)."""


# --- the plan ---------------------------------------------------------------------------------------

NEW, CHANGED, SAME, RECORDED = "new", "changed", "same", "recorded"


@dataclass
class AwardChange:
    key: str
    proposal: clause_reader.ProposedAward
    recorded: Award | None = None

    @property
    def status(self) -> str:
        return RECORDED if self.recorded else NEW

    @property
    def proposed(self) -> bool:
        return self.recorded is None

    @property
    def doubt(self) -> str:
        """Why the reading may be wrong: such a proposal starts unticked."""
        return self.proposal.doubt

    @property
    def display_text(self) -> str:
        return money.format_award(
            self.proposal.amount_yuan,
            ceiling=self.proposal.limit == vocabulary.CEILING,
            recurrence=self.proposal.recurrence,
            per_recipient=self.proposal.per_recipient,
            language="zh-hans",
        )


@dataclass
class ClauseChange:
    key: str
    reading: clause_reader.ClauseReading
    status: str  # NEW, CHANGED (a recorded paragraph of the official text, changed or completed) or SAME
    recorded: Clause | None = None
    awards: list[AwardChange] = field(default_factory=list)
    problem: str = ""  # why it cannot be imported (a pending draft of a change already exists)

    @property
    def proposed(self) -> bool:
        return self.status in (NEW, CHANGED) and not self.problem

    @property
    def status_label(self) -> str:
        return {NEW: "新增", CHANGED: "有修改", SAME: "与记录相同"}[self.status]

    @property
    def diff(self) -> list[tuple[str, str]]:
        """The recorded text against the new one: (kind, characters) with kind ' ', '-' or '+'."""
        if self.recorded is None:
            return [("+", self.reading.text)]
        return character_diff(self.recorded.text, self.reading.text)


@dataclass
class UnitChange:
    """A responsible department (责任单位) the text names for a measure: linked already, or proposed (a
    department of that name linked, or created first when none is recorded)."""

    key: str
    name: str
    department: Department | None  # the recorded department of that name
    linked: bool = False

    @property
    def proposed(self) -> bool:
        return not self.linked


@dataclass
class MeasureChange:
    key: str
    reading: document_reader.MeasureReading
    recorded: Measure | None
    pillar: Pillar | None
    clauses: list[ClauseChange] = field(default_factory=list)
    units: list[UnitChange] = field(default_factory=list)
    # Recorded paragraphs the text does not have (news summaries, or paragraphs since removed): listed only.
    not_in_text: list[Clause] = field(default_factory=list)
    problem: str = ""

    @property
    def status(self) -> str:
        return NEW if self.recorded is None else SAME

    @property
    def needs_pillar(self) -> bool:
        """A new measure whose pillar the text does not match to a recorded one: the editor chooses it."""
        return self.recorded is None and self.pillar is None

    @property
    def title_differs(self) -> bool:
        return self.recorded is not None and self.recorded.title != self.reading.title

    @property
    def proposed(self) -> bool:
        return not self.problem and (
            self.recorded is None
            or any(c.proposed for c in self.clauses)
            or any(a.proposed for c in self.clauses for a in c.awards)
            or any(u.proposed for u in self.units)
        )


@dataclass
class ImportPlan:
    reading: document_reader.PolicyReading
    policy: Policy
    measures: list[MeasureChange]
    # Differences shown but not imported (titles, pillars that differ or are missing): warnings.
    notes: list[str] = field(default_factory=list)
    # The policy's pillars, in order: what a new measure may be put under.
    pillars: list[Pillar] = field(default_factory=list)

    @property
    def proposed_measures(self) -> list[MeasureChange]:
        return [m for m in self.measures if m.proposed]

    def default_keys(self) -> set[str]:
        """What the preview ticks and an import without choices creates: everything proposed but the
        awards read with a doubt (an editor ticks those after checking them)."""
        doubtful = {a.key for m in self.measures for c in m.clauses for a in c.awards if a.doubt}
        doubtful |= {m.key for m in self.measures if m.needs_pillar}
        return self.proposed_keys() - doubtful

    def proposed_keys(self) -> set[str]:
        """Everything the plan proposes: what an import that accepts all of it creates."""
        keys = set()
        for measure in self.proposed_measures:
            if measure.recorded is None:
                keys.add(measure.key)
            for clause in measure.clauses:
                if clause.proposed:
                    keys.add(clause.key)
                if clause.proposed or clause.status == SAME:
                    keys.update(a.key for a in clause.awards if a.proposed)
            keys.update(unit.key for unit in measure.units if unit.proposed)
        return keys


def character_diff(old: str, new: str) -> list[tuple[str, str]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append((" ", old[a1:a2]))
            continue
        if a2 > a1:
            pieces.append(("-", old[a1:a2]))
        if b2 > b1:
            pieces.append(("+", new[b1:b2]))
    return pieces


def find_policy(reading: document_reader.PolicyReading) -> Policy | None:
    """The recorded policy the text is, by its 文号, else by its title."""
    if reading.document_number:
        found = Policy.objects.filter(document_number=reading.document_number).first()
        if found:
            return found
    if reading.title:
        return Policy.objects.filter(title=reading.title).first()
    return None


def plan_import(reading: document_reader.PolicyReading, policy: Policy) -> ImportPlan:
    """What the text adds to or changes in `policy`, measure by measure and clause by clause."""
    plan = ImportPlan(reading, policy, [], pillars=list(policy.pillars.order_by("number")))
    pillars = _match_pillars(plan)
    recorded_measures = {
        measure.number: measure
        for measure in Measure.objects.filter(policy=policy).prefetch_related("clauses__awards", "clauses__drafts")
    }
    for measure_reading in reading.measures:
        recorded = recorded_measures.get(measure_reading.number)
        pillar = pillars.get(measure_reading.pillar) if measure_reading.pillar else None
        if recorded is not None:
            pillar = recorded.pillar
        elif pillar is None and measure_reading.pillar is None and len(plan.pillars) == 1:
            pillar = plan.pillars[0]  # a policy of one pillar: its measures are all in it
        change = MeasureChange(f"m{measure_reading.number}", measure_reading, recorded, pillar)
        plan.measures.append(change)
        if recorded is None:
            if measure_reading.number > policy.declared_measure_count:
                change.problem = (
                    f"本政策宣布共{policy.declared_measure_count}条措施，原文读到第{measure_reading.number}条："
                    "请核对原文，或先修改政策的“措施总条数”。"
                )
            elif not plan.pillars:
                change.problem = "这项政策还没有录入任何方面：请先在后台添加方面，再导入措施。"
        elif change.title_differs:
            plan.notes.append(
                f"第{recorded.number}条的标题不同：记录为“{recorded.title}”，原文为“{measure_reading.title}”（未改动）。"
            )
        _plan_clauses(change)
    _plan_units(plan)
    return plan


def _match_pillars(plan: ImportPlan) -> dict[int, Pillar]:
    """The recorded pillar of each pillar the text names, by its number and title: both agreeing, or
    the title alone (the number differs), or the number alone (the title differs); every disagreement
    is a note (a warning), as is a pillar not recorded (its new measures wait for the editor's choice)."""
    by_number = {pillar.number: pillar for pillar in plan.pillars}
    by_title = {pillar.title: pillar for pillar in plan.pillars}
    matched = {}
    for pillar in plan.reading.pillars:
        numbered, titled = by_number.get(pillar.number), by_title.get(pillar.title)
        if numbered is not None and numbered == titled:
            matched[pillar.number] = numbered
        elif titled is not None:
            matched[pillar.number] = titled
            plan.notes.append(
                f"原文的第{pillar.number}个方面“{pillar.title}”在记录中是第{titled.number}个方面："
                f"其下的新措施放入记录的第{titled.number}个方面，请核对。"
            )
        elif numbered is not None:
            matched[pillar.number] = numbered
            plan.notes.append(
                f"第{pillar.number}个方面的标题不同：记录为“{numbered.title}”，原文为“{pillar.title}”（未改动），"
                "其下的新措施放入记录的这一方面，请核对。"
            )
        else:
            plan.notes.append(
                f"原文的第{pillar.number}个方面“{pillar.title}”尚未录入：请为其下的新措施选定所属方面，"
                "或先在后台添加这一方面。"
            )
    return matched


def _plan_units(plan: ImportPlan) -> None:
    """The responsible departments the text names for each measure, as proposals: those not yet linked
    to the measure's application facts. Two queries, whatever the number of measures."""
    names = {name for change in plan.measures for name in change.reading.responsible_units}
    if not names:
        return
    departments = {department.name: department for department in Department.objects.filter(name__in=names)}
    recorded_ids = [change.recorded.pk for change in plan.measures if change.recorded is not None]
    linked = set(
        ApplicationDepartment.objects.filter(info__measure_id__in=recorded_ids).values_list(
            "info__measure_id", "department__name"
        )
    )
    for change in plan.measures:
        for number, name in enumerate(change.reading.responsible_units, 1):
            unit = UnitChange(f"{change.key}u{number}", name, departments.get(name))
            unit.linked = change.recorded is not None and (change.recorded.pk, name) in linked
            change.units.append(unit)


def _plan_clauses(change: MeasureChange) -> None:
    recorded_clauses = (
        [] if change.recorded is None else [c for c in change.recorded.clauses.all() if c.draft_of_id is None]
    )
    unmatched = list(recorded_clauses)
    recorded_awards = [a for c in recorded_clauses for a in c.awards.all()]
    matched_awards: set[int] = set()
    for position, clause_reading in enumerate(change.reading.clauses, 1):
        key = f"{change.key}c{position}"
        recorded, status = _match_clause(clause_reading.text, unmatched)
        if recorded is not None:
            unmatched.remove(recorded)
        clause = ClauseChange(key, clause_reading, status, recorded)
        if status == CHANGED and any(d.pk for d in recorded.drafts.all()):
            clause.problem = f"“{recorded}”已有一份待发布的修改草稿：请先发布或删除那份草稿，再导入这段的修改。"
        for number, proposal in enumerate(clause_reading.awards, 1):
            award = AwardChange(f"{key}a{number}", proposal)
            for candidate in recorded_awards:
                if candidate.pk not in matched_awards and _same_award(candidate, proposal):
                    award.recorded = candidate
                    matched_awards.add(candidate.pk)
                    break
            clause.awards.append(award)
        change.clauses.append(clause)
    change.not_in_text = unmatched


def _match_clause(text: str, candidates: list[Clause]) -> tuple[Clause | None, str]:
    """The recorded paragraph this one is: SAME when equal; CHANGED when it is recorded official text
    (never a journalist's summary) that is alike, or the start of this one as an incomplete text is;
    else (None, NEW)."""
    for clause in candidates:
        if clause.text == text:
            return clause, SAME
    best, best_ratio = None, 0.0
    for clause in candidates:
        if clause.provenance != Clause.Provenance.POLICY_TEXT:
            continue
        recorded = clause.text.rstrip("…. ")
        if recorded and (text.startswith(recorded) or recorded.startswith(text)):
            return clause, CHANGED
        ratio = difflib.SequenceMatcher(None, clause.text, text, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = clause, ratio
    if best is not None and best_ratio >= SAME_PARAGRAPH:
        return best, CHANGED
    return None, NEW


def _same_award(award: Award, proposal: clause_reader.ProposedAward) -> bool:
    return (award.amount_yuan, award.limit, award.recurrence, award.per_recipient) == (
        proposal.amount_yuan,
        proposal.limit,
        proposal.recurrence,
        proposal.per_recipient,
    )


# --- creating the drafts ----------------------------------------------------------------------------

AWARD_FIELDS = ("amount_yuan", "limit", "recurrence", "per_recipient", "nature", "recipient", "condition", "basis")


def award_values(change: AwardChange) -> dict:
    """The award's fields as the reader proposes them (what the preview's form starts from)."""
    proposal = change.proposal
    return {
        "amount_yuan": proposal.amount_yuan,
        "limit": proposal.limit,
        "recurrence": proposal.recurrence,
        "per_recipient": proposal.per_recipient,
        "nature": proposal.nature,
        "recipient": proposal.recipient or PENDING,
        "condition": proposal.condition,
        "basis": proposal.basis,
        "source_phrase": proposal.source_phrase,
    }


@dataclass
class ImportResult:
    measures: list[Measure] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)  # new paragraphs and drafts of changes
    awards: list[Award] = field(default_factory=list)
    units: list[ApplicationDepartment] = field(default_factory=list)  # departments linked to measures
    departments: list[Department] = field(default_factory=list)  # departments created for those links

    @property
    def count(self) -> int:
        return len(self.measures) + len(self.clauses) + len(self.awards) + len(self.units)

    @property
    def summary(self) -> str:
        """What was created, as the admin's message and the command say it."""
        said = f"{len(self.measures)}条措施、{len(self.clauses)}段条款、{len(self.awards)}项奖补"
        if self.units:
            said += f"、{len(self.units)}个责任单位"
            if self.departments:
                said += f"（其中新建{len(self.departments)}个）"
        return said


def apply_plan(
    plan: ImportPlan,
    *,
    user=None,
    source_url: str,
    accepted: set[str] | None = None,
    edited_awards: dict[str, dict] | None = None,
    pillars: dict[str, Pillar] | None = None,
) -> ImportResult:
    """Create, as drafts, what `accepted` names of the plan (what it proposes with no doubt when None),
    with the awards' fields in `edited_awards` where the editor changed them and each new measure under
    the pillar `pillars` gives for its key (else the one the text's pillar matched). One transaction: a
    row that fails its checks refuses the whole import (ImportRefused, nothing written)."""
    accepted = plan.default_keys() if accepted is None else accepted & plan.proposed_keys()
    edited_awards = edited_awards or {}
    pillars = pillars or {}
    result = ImportResult()
    with transaction.atomic(), public_history.batch():
        for change in plan.proposed_measures:
            measure = change.recorded
            if measure is None:
                if change.key not in accepted:
                    continue
                pillar = pillars.get(change.key) or change.pillar
                if pillar is None or pillar.policy_id != plan.policy.pk:
                    raise ImportRefused(f"第{change.reading.number}条措施无法导入：请选定它所属的方面。")
                measure = Measure(
                    policy=plan.policy,
                    pillar=pillar,
                    number=change.reading.number,
                    title=change.reading.title,
                    status=PublicationStatus.DRAFT,
                )
                _save(measure, user, f"第{change.reading.number}条措施")
                result.measures.append(measure)
            next_position = (
                measure.clauses.filter(draft_of__isnull=True).aggregate(Max("position"))["position__max"] or 0
            ) + 1
            for clause_change in change.clauses:
                clause = clause_change.recorded
                if clause_change.proposed and clause_change.key in accepted:
                    clause = Clause(
                        measure=measure,
                        text=clause_change.reading.text,
                        provenance=Clause.Provenance.POLICY_TEXT,
                        source_url=source_url,
                        is_complete=True,
                        status=PublicationStatus.DRAFT,
                    )
                    if clause_change.status == CHANGED:
                        clause.position, clause.draft_of = clause_change.recorded.position, clause_change.recorded
                    else:
                        clause.position, next_position = next_position, next_position + 1
                    _save(clause, user, f"第{measure.number}条的段落")
                    result.clauses.append(clause)
                # Awards of a changed paragraph go on the recorded one (a draft of a change carries none).
                target = clause_change.recorded if clause_change.status == CHANGED else clause
                if target is None or (target.pk is None):
                    continue
                position = (target.awards.aggregate(Max("position"))["position__max"] or 0) + 1
                for award_change in clause_change.awards:
                    if not (award_change.proposed and award_change.key in accepted):
                        continue
                    values = {**award_values(award_change), **edited_awards.get(award_change.key, {})}
                    award = Award(clause=target, position=position, status=PublicationStatus.DRAFT, **values)
                    _save(award, user, f"第{measure.number}条的奖补“{award_change.proposal.source_phrase}”")
                    result.awards.append(award)
                    position += 1
            _link_units(change, measure, accepted, user, result)
    return result


def _link_units(change: MeasureChange, measure: Measure, accepted: set[str], user, result: ImportResult) -> None:
    """The accepted responsible departments of a measure, linked to its application facts (created when it
    has none), each department created first when none of that name is recorded. Application facts have no
    draft state: they are public when (and only when) their measure is."""
    units = [unit for unit in change.units if unit.proposed and unit.key in accepted]
    if not units:
        return
    info = ApplicationInfo.objects.filter(measure=measure).first()
    if info is None:
        info = ApplicationInfo(measure=measure)
        _save(info, user, f"第{measure.number}条的申兑信息")
    for unit in units:
        department = unit.department or Department.objects.filter(name=unit.name).first()
        if department is None:
            department = Department(name=unit.name)
            _save(department, user, f"责任单位“{unit.name}”")
            result.departments.append(department)
        link = ApplicationDepartment(info=info, department=department)
        _save(link, user, f"第{measure.number}条的责任单位“{unit.name}”")
        result.units.append(link)


def _save(obj, user, what: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        messages = "；".join(f"{message}" for messages in error.message_dict.values() for message in messages)
        raise ImportRefused(f"{what}无法导入：{messages}") from None
    obj.updated_by = user
    obj._history_user = user
    obj._change_reason = TEXT_IMPORT_REASON
    obj.save()
