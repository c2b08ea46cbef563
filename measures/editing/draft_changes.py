"""What publishing a draft will change, row by row, for the editor who confirms it (or reviews it).

The same rows publish_draft (measures/editing/publishing.py) writes, compared with what they hold now,
field by field through measures/domain/diffs.py (the admin's history and the public history describe
changes the same way): a draft of a change against its clause and the clause's awards (each copy against
its award, the awards added and dropped); a draft measure, clause or award as rows that appear.
"""

from dataclasses import dataclass, field

from measures.domain.diffs import FieldChange, field_changes
from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.editing.publishing import AWARD_CONTENT_FIELDS, CLAUSE_CONTENT_FIELDS, draft_reason, published_with

KINDS_LABEL = "申报主体"
MEASURE_SHOWN_FIELDS = ("number", "title")


@dataclass(frozen=True)
class RowChange:
    """One row publishing changes: `subject` is 'measure', 'clause' or 'award'; `kind` is 'changed',
    'added' or 'removed'."""

    subject: str
    kind: str
    name: str
    fields: list[FieldChange]

    @property
    def kind_label(self) -> str:
        return {"changed": "修改", "added": "新增", "removed": "删除"}[self.kind]


@dataclass
class DraftChanges:
    """A draft, the 变更说明 of its last save, and the rows publishing it changes (none: it changes nothing)."""

    draft: object
    reason: str
    rows: list[RowChange] = field(default_factory=list)

    def count(self, subject: str) -> int:
        return sum(row.subject == subject for row in self.rows)


def draft_changes(draft) -> DraftChanges:
    """What publishing `draft` would change. A few queries per draft (its rows and their awards' kinds)."""
    changes = DraftChanges(draft, draft_reason(draft))
    if isinstance(draft, Clause) and draft.draft_of_id is not None:
        changes.rows = _change_of_clause(draft)
    elif isinstance(draft, Measure):
        changes.rows = _new_measure(draft)
    elif draft.status == PublicationStatus.DRAFT:
        changes.rows = [_added(draft)]
    return changes


def _values(row, names) -> dict:
    return {row._meta.get_field(name).attname: getattr(row, row._meta.get_field(name).attname) for name in names}


def _kind_names(award) -> list[str]:
    return [link.kind.name for link in award.kind_links.all()]


def _award_name(award: Award) -> str:
    return f"第{award.position}项奖补 {award.display_text}（{award.recipient}）"


def _change_of_clause(draft: Clause) -> list[RowChange]:
    original = Clause.objects.select_related("measure").get(pk=draft.draft_of_id)
    rows = []
    clause_fields = field_changes(
        Clause, _values(original, CLAUSE_CONTENT_FIELDS), _values(draft, CLAUSE_CONTENT_FIELDS)
    )
    if clause_fields:
        rows.append(RowChange("clause", "changed", str(original), clause_fields))
    with_kinds = Award.objects.order_by("position").prefetch_related("kind_links__kind")
    awards = list(with_kinds.filter(clause=original))
    copies = {copy.draft_of_id: copy for copy in with_kinds.filter(clause=draft, draft_of__isnull=False)}
    for award in awards:
        copy = copies.get(award.pk)
        if copy is None:
            rows.append(RowChange("award", "removed", _award_name(award), _award_fields(award, None)))
            continue
        fields = field_changes(Award, _values(award, AWARD_CONTENT_FIELDS), _values(copy, AWARD_CONTENT_FIELDS))
        old_kinds, new_kinds = _kind_names(award), _kind_names(copy)
        if old_kinds != new_kinds:
            fields.append(FieldChange("recipient_kinds", KINDS_LABEL, "、".join(old_kinds), "、".join(new_kinds), True))
        if fields:
            rows.append(RowChange("award", "changed", _award_name(award), fields))
    known = {award.pk for award in awards}
    for copy in with_kinds.filter(clause=draft):
        if copy.draft_of_id not in known:
            rows.append(RowChange("award", "added", _award_name(copy), _award_fields(None, copy)))
    return rows


def _award_fields(old: Award | None, new: Award | None) -> list[FieldChange]:
    """An award that appears or goes: its fields and its kinds, from nothing or to nothing."""
    old_values = _values(old, AWARD_CONTENT_FIELDS) if old else None
    fields = field_changes(Award, old_values, _values(new, AWARD_CONTENT_FIELDS) if new else {})
    kinds = ("、".join(_kind_names(old)) if old else "", "、".join(_kind_names(new)) if new else "")
    if any(kinds):
        fields.append(FieldChange("recipient_kinds", KINDS_LABEL, *kinds, True))
    return fields


def _added(row) -> RowChange:
    if isinstance(row, Award):
        return RowChange("award", "added", _award_name(row), _award_fields(None, row))
    return RowChange("clause", "added", str(row), field_changes(Clause, None, _values(row, CLAUSE_CONTENT_FIELDS)))


def _new_measure(measure: Measure) -> list[RowChange]:
    """publish_measure's rows: the measure, its draft clauses and the draft awards on its clauses."""
    if measure.status != PublicationStatus.DRAFT:
        return []
    rows = [
        RowChange(
            "measure", "added", str(measure), field_changes(Measure, None, _values(measure, MEASURE_SHOWN_FIELDS))
        )
    ]
    clauses, awards = published_with(measure)
    for clause in clauses.select_related("measure").order_by("position"):
        rows.append(_added(clause))
    for award in awards.order_by("clause__position", "position").prefetch_related("kind_links__kind"):
        rows.append(_added(award))
    return rows
