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
class MeasureChange:
    key: str
    reading: document_reader.MeasureReading
    recorded: Measure | None
    pillar: Pillar | None
    clauses: list[ClauseChange] = field(default_factory=list)
    # Recorded paragraphs the text does not have (news summaries, or paragraphs since removed): listed only.
    not_in_text: list[Clause] = field(default_factory=list)
    problem: str = ""

    @property
    def status(self) -> str:
        return NEW if self.recorded is None else SAME

    @property
    def title_differs(self) -> bool:
        return self.recorded is not None and self.recorded.title != self.reading.title

    @property
    def proposed(self) -> bool:
        return not self.problem and (
            self.recorded is None
            or any(c.proposed for c in self.clauses)
            or any(a.proposed for c in self.clauses for a in c.awards)
        )


@dataclass
class ImportPlan:
    reading: document_reader.PolicyReading
    policy: Policy
    measures: list[MeasureChange]
    notes: list[str] = field(default_factory=list)  # differences shown but not imported (titles, pillars)

    @property
    def proposed_measures(self) -> list[MeasureChange]:
        return [m for m in self.measures if m.proposed]

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
    plan = ImportPlan(reading, policy, [])
    pillars = {pillar.number: pillar for pillar in policy.pillars.all()}
    for pillar in reading.pillars:
        recorded = pillars.get(pillar.number)
        if recorded is None:
            plan.notes.append(
                f"原文的第{pillar.number}个方面“{pillar.title}”尚未录入：请先在后台添加，再导入其下的措施。"
            )
        elif recorded.title != pillar.title:
            plan.notes.append(
                f"第{pillar.number}个方面的标题不同：记录为“{recorded.title}”，原文为“{pillar.title}”（未改动）。"
            )
    recorded_measures = {
        measure.number: measure
        for measure in Measure.objects.filter(policy=policy).prefetch_related("clauses__awards", "clauses__drafts")
    }
    for measure_reading in reading.measures:
        recorded = recorded_measures.get(measure_reading.number)
        pillar = pillars.get(measure_reading.pillar) if measure_reading.pillar else None
        if recorded is not None:
            pillar = recorded.pillar
        elif pillar is None and measure_reading.pillar is None and len(pillars) == 1:
            pillar = next(iter(pillars.values()))  # a policy of one pillar: its measures are all in it
        change = MeasureChange(f"m{measure_reading.number}", measure_reading, recorded, pillar)
        plan.measures.append(change)
        if recorded is None:
            if measure_reading.number > policy.declared_measure_count:
                change.problem = (
                    f"本政策宣布共{policy.declared_measure_count}条措施，原文读到第{measure_reading.number}条："
                    "请核对原文，或先修改政策的“措施总条数”。"
                )
            elif pillar is None:
                change.problem = (
                    f"所属的第{measure_reading.pillar}个方面尚未录入，请先添加。"
                    if measure_reading.pillar
                    else "原文没有分方面，请先为这条措施选定或添加所属方面。"
                )
        elif change.title_differs:
            plan.notes.append(
                f"第{recorded.number}条的标题不同：记录为“{recorded.title}”，原文为“{measure_reading.title}”（未改动）。"
            )
        _plan_clauses(change)
    return plan


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

    @property
    def count(self) -> int:
        return len(self.measures) + len(self.clauses) + len(self.awards)


def apply_plan(
    plan: ImportPlan,
    *,
    user=None,
    source_url: str,
    accepted: set[str] | None = None,
    edited_awards: dict[str, dict] | None = None,
) -> ImportResult:
    """Create, as drafts, what `accepted` names of the plan (everything it proposes when None), with
    the awards' fields in `edited_awards` where the editor changed them. One transaction: a row that
    fails its checks refuses the whole import (ImportRefused, nothing written)."""
    accepted = plan.proposed_keys() if accepted is None else accepted & plan.proposed_keys()
    edited_awards = edited_awards or {}
    result = ImportResult()
    with transaction.atomic(), public_history.batch():
        for change in plan.proposed_measures:
            measure = change.recorded
            if measure is None:
                if change.key not in accepted:
                    continue
                measure = Measure(
                    policy=plan.policy,
                    pillar=change.pillar,
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
    return result


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
