"""Presentation helpers for the public templates."""

from django import template

register = template.Library()

_DIGITS = "〇一二三四五六七八九"


@register.filter
def zh_numeral(value):
    """1 -> '一', 10 -> '十', 12 -> '十二', 40 -> '四十': how a policy numbers its parts (一、二、…).

    Numbers outside 1–99 are returned as they are."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return value
    if not 1 <= n <= 99:
        return str(n)
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")
