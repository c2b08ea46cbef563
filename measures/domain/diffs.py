"""What changed between two versions of a row, in the words an editor or a citizen reads.

Used by the admin's history pages, the stale-edit message and the public history pages, so that all
three describe a change the same way: field by field, with the field's label, amounts in 万元
(money.py), choices by their label, and text compared character by character (Chinese has no spaces
to compare words by).
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import models
from django.utils.translation import gettext_lazy as _

from measures.text import money

# Bookkeeping that changes on every save and says nothing about the content.
NOT_CONTENT = {"id", "created_at", "updated_at", "updated_by", "version", "search_tokens"}

# The names a change gives its fields, in the interface language (the models' verbose names are the
# admin's Chinese labels). An amount is shown in 万元, so its label does not say 元.
LABELS = {
    "title": _("标题"),
    "number": _("条目编号"),
    "text": _("条款内容"),
    "position": _("段落序号"),
    "provenance": _("文字来源"),
    "source_url": _("来源网址"),
    "is_complete": _("文字完整"),
    "amount_yuan": _("金额"),
    "limit": _("金额性质"),
    "recurrence": _("发放频次"),
    "per_recipient": _("按每家计"),
    "nature": _("资助方式"),
    "recipient": _("支持对象"),
    "condition": _("条件"),
    "basis": _("计算依据"),
    "source_phrase": _("原文表述"),
}


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions ('equal'), or only in the old ('delete') or
    only in the new ('insert')."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One field's change. A text is compared character by character (`segments`); a number, a date,
    a choice, a yes/no or a link changes as a whole value (`whole`): "200万元 → 250万元", never
    "2<del>0</del><ins>5</ins>0万元", which a screen reader or a copy would read as 2050万元."""

    name: str
    label: str
    old: str
    new: str
    whole: bool = False

    @property
    def segments(self) -> list[Segment]:
        if self.whole:
            return [segment for segment in (Segment("delete", self.old), Segment("insert", self.new)) if segment.text]
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
        return str(_("是") if value else _("否"))
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
            whole = field.is_relation or bool(field.choices) or not isinstance(field, TEXT_FIELDS)
            label = str(LABELS.get(field.name, field.verbose_name))
            changes.append(FieldChange(field.name, label, old, new, whole))
    return changes


TEXT_FIELDS = (models.CharField, models.TextField)
