"""What changed between two versions of a row, in the words an editor or a citizen reads.

Used by the admin's history pages, the stale-edit message and the public history pages, so that all
three describe a change the same way: field by field, with the field's label, amounts in 万元
(money.py), choices by their label, and text compared character by character (Chinese has no spaces
to compare words by).
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import models

from measures.text import money

# Bookkeeping that changes on every save and says nothing about the content.
NOT_CONTENT = {"id", "created_at", "updated_at", "updated_by", "version", "search_tokens"}


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions ('equal'), or only in the old ('delete') or
    only in the new ('insert')."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str

    @property
    def segments(self) -> list[Segment]:
        return char_diff(self.old, self.new)


def char_diff(old: str, new: str) -> list[Segment]:
    """'一次性3000万元' -> '一次性2000万元': [= 一次性, - 3, + 2, = 000万元]."""
    segments = []
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", old[a_start:a_end]))
            continue
        if a_end > a_start:
            segments.append(Segment("delete", old[a_start:a_end]))
        if b_end > b_start:
            segments.append(Segment("insert", new[b_start:b_end]))
    return segments


def display_value(field: models.Field, value) -> str:
    """A stored value as people read it: amounts in 万元, choices by label, yes/no, '' for empty."""
    if value is None or value == "":
        return ""
    if field.name == "amount_yuan":
        return money.format_amount(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    return str(value)


def content_fields(model) -> list[models.Field]:
    """The fields of a content model (or of its historical model) that hold content."""
    names = {f.name for f in model._meta.concrete_fields} - NOT_CONTENT
    return [f for f in model._meta.concrete_fields if f.name in names and not f.name.startswith("history_")]


def field_changes(model, old_values: dict | None, new_values: dict) -> list[FieldChange]:
    """The content fields whose values differ, `old_values` None meaning the row was created.

    Values are keyed by attname (`clause_id`, not `clause`), as in `Model.objects.values()` or a
    historical record's `__dict__`, so no related row is read."""
    changes = []
    for field in content_fields(model):
        old = display_value(field, (old_values or {}).get(field.attname))
        new = display_value(field, new_values.get(field.attname))
        if old != new:
            changes.append(FieldChange(field.name, str(field.verbose_name), old, new))
    return changes
