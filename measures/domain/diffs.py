"""What changed between two versions of a row, in the words an editor or a citizen reads.

Used by the admin's history pages, the stale-edit message and the public history pages, so that all
three describe a change the same way: field by field, with the field's label, amounts in 万元
(money.py), choices by their label, and text compared in tokens: each amount with its unit, number and
Latin word whole, Chinese character by character (it has no spaces to compare words by). A long text
shows its changes in context, the unchanged stretches between them cut short.
"""

import re
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
    "title_en": _("英文译名（非官方）"),
    "name_en": _("英文名称（非官方）"),
    # A 问答's (measures/domain/questions.py).
    "question": _("问题"),
    "answer": _("答复"),
    "answered_on": _("答复日期"),
}
# The fields written in English (the glosses): their diffs are marked lang="en" on every page.
ENGLISH_FIELDS = {"title_en", "name_en"}


# How many characters of unchanged text stay on each side of a change; more is cut to "…".
CONTEXT = 15
GAP = "……"
# Where a cut context would rather begin or end: at a punctuation mark, if one leaves enough to read.
BREAKS = "，。；：、！？,;:"
SHORTEST_CONTEXT = 4

# Numbers that are not amounts of money (find_amounts finds those), with a percent sign if they have one,
# and words in Latin letters: each one token.
_NUMBER_OR_WORD = re.compile(r"[0-9０-９]+(?:[.,．][0-9０-９]+)*[%％‰]?|[A-Za-z]+")


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions ('equal'), or only in the old ('delete') or
    only in the new ('insert'), or unchanged text left out of the diff ('skip', reading "…")."""

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
    def is_english(self) -> bool:
        return self.name in ENGLISH_FIELDS

    @property
    def segments(self) -> list[Segment]:
        """What a reader is shown: a text's changes in context, any other value whole."""
        if self.whole:
            return [segment for segment in (Segment("delete", self.old), Segment("insert", self.new)) if segment.text]
        return text_diff(self.old, self.new, context=CONTEXT)


def diff_tokens(text: str) -> list[str]:
    """The units a text is compared in: '最高100万元，按30%补助' -> [最, 高, 100万元, ，, 按, 30%, 补, 助]."""
    found, position = [], 0
    for amount in money.find_amounts(text):
        found += _small_tokens(text[position : amount.start])
        found.append(text[amount.start : amount.end])
        position = amount.end
    return found + _small_tokens(text[position:])


def _small_tokens(text: str) -> list[str]:
    found, position = [], 0
    for match in _NUMBER_OR_WORD.finditer(text):
        found += text[position : match.start()]
        found.append(match.group())
        position = match.end()
    return found + list(text[position:])


def text_diff(old: str, new: str, context: int | None = None) -> list[Segment]:
    """'不超过100万元' -> '不超过120万元': [= 不超过, - 100万元, + 120万元]; an amount, a number or a Latin
    word changes whole (never "1<del>0</del><ins>2</ins>0万元", read as 1020万元). With `context`, an
    unchanged stretch keeps that many characters (whole tokens) beside each change, the rest is "…"."""
    old_tokens, new_tokens = diff_tokens(old), diff_tokens(new)
    opcodes = SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False).get_opcodes()
    segments = []
    for index, (op, a_start, a_end, b_start, b_end) in enumerate(opcodes):
        if op == "equal":
            kept = old_tokens[a_start:a_end]
            first, last = index == 0, index == len(opcodes) - 1
            segments += _in_context(kept, context, after_change=not first, before_change=not last)
            continue
        if a_end > a_start:
            segments.append(Segment("delete", "".join(old_tokens[a_start:a_end])))
        if b_end > b_start:
            segments.append(Segment("insert", "".join(new_tokens[b_start:b_end])))
    return segments


def _in_context(kept: list[str], context: int | None, *, after_change: bool, before_change: bool) -> list[Segment]:
    """An unchanged stretch: whole, or its ends beside the changes with "…" between."""
    text = "".join(kept)
    limit = (after_change + before_change) * (context or 0)
    if context is None or len(text) <= limit + len(GAP):
        return [Segment("equal", text)]
    head = _take(kept, context) if after_change else ""
    tail = _take(kept[::-1], context, reverse=True) if before_change else ""
    # The context as whole phrases where a punctuation mark allows: "补助，支持……", not "补助，支持企业开展研……".
    end_of_phrase = max(head.rfind(mark) for mark in BREAKS) + 1
    if end_of_phrase >= SHORTEST_CONTEXT:
        head = head[:end_of_phrase]
    start_of_phrase = [tail.find(mark) + 1 for mark in BREAKS if tail.find(mark) >= 0]
    if start_of_phrase and len(tail) - min(start_of_phrase) >= SHORTEST_CONTEXT:
        tail = tail[min(start_of_phrase) :]
    return [
        segment for segment in (Segment("equal", head), Segment("skip", GAP), Segment("equal", tail)) if segment.text
    ]


def _take(kept: list[str], characters: int, reverse: bool = False) -> str:
    """Whole tokens from the start of `kept` up to `characters` characters (of `kept` reversed: its end)."""
    taken, length = [], 0
    for token in kept:
        if length + len(token) > characters and taken:
            break
        taken.append(token)
        length += len(token)
    return "".join(taken[::-1] if reverse else taken)


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
