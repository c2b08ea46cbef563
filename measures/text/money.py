"""The one money convention of xmpolicy.

Amounts are stored once, as an integer number of yuan (no floats anywhere). People speak 万元
(10,000 yuan): forms, filters and fixtures take 万元 and convert here; every displayed amount is
formatted here, so the pages, the admin and the exports always agree. English readers get the same
amounts in millions and billions ("RMB 30 million" for 3000万元), from the same functions.
"""

from decimal import Decimal, InvalidOperation

from xmpolicy.locale import is_english

YUAN_PER_WAN = 10_000
YUAN_PER_YI = 100_000_000  # 1亿 = 10,000万
YUAN_PER_MILLION = 1_000_000  # 100万
YUAN_PER_BILLION = 1_000_000_000  # 10亿

# Award.Recurrence values that show in an award's text ("unspecified" shows nothing).
ONCE = "once"
PER_YEAR = "per_year"


class AmountError(ValueError):
    """An amount in 万元 that cannot be stored as whole yuan."""


def wan_to_yuan(wan) -> int:
    """3000 (万元) -> 30_000_000 (yuan). Accepts int, Decimal or a numeric string.

    Refuses negatives, non-numbers and fractions of a yuan (more than four decimal places).
    """
    try:
        value = Decimal(str(wan).strip())
    except InvalidOperation:
        raise AmountError(f"“{wan}”不是有效的金额。") from None
    if not value.is_finite():
        raise AmountError(f"“{wan}”不是有效的金额。")
    if value < 0:
        raise AmountError("金额不能为负数。")
    yuan = value * YUAN_PER_WAN
    if yuan != yuan.to_integral_value():
        raise AmountError("金额最多保留四位小数（精确到元）。")
    return int(yuan)


def yuan_to_wan(yuan: int) -> Decimal:
    """30_000_000 -> Decimal('3000'); 5_000 -> Decimal('0.5')."""
    return _plain(Decimal(yuan) / YUAN_PER_WAN)


def format_amount(yuan: int) -> str:
    """The Chinese display of an amount: '3000万元', '50万元', '1.2亿元'."""
    if yuan >= YUAN_PER_YI:
        return f"{_plain(Decimal(yuan) / YUAN_PER_YI)}亿元"
    return f"{yuan_to_wan(yuan)}万元"


def format_amount_en(yuan: int) -> str:
    """The English display: 'RMB 30 million' (3000万元), 'RMB 120 million' (1.2亿元), 'RMB 1 billion'
    (10亿元), 'RMB 5,000' (0.5万元).

    Millions and billions only while they need at most three decimals; otherwise whole yuan, grouped
    ('RMB 1,234,567'), so no amount is ever rounded."""
    for unit, word in ((YUAN_PER_BILLION, "billion"), (YUAN_PER_MILLION, "million")):
        if yuan >= unit and yuan % (unit // 1000) == 0:
            return f"RMB {_plain(Decimal(yuan) / unit):,} {word}"
    return f"RMB {yuan:,}"


def format_amount_in(yuan: int, language: str | None) -> str:
    """format_amount_en for an English interface, format_amount otherwise."""
    return format_amount_en(yuan) if is_english(language) else format_amount(yuan)


def format_award(yuan: int, *, ceiling: bool, recurrence: str, per_recipient: bool, language: str | None) -> str:
    """An award's amount with how it is given, in the interface language ('en…' or else Chinese):

    '一次性3000万元' / 'one-off RMB 30 million', '最高300万元' / 'up to RMB 3 million',
    '每年每家最高500万元' / 'up to RMB 5 million per year per organisation'."""
    if is_english(language):
        parts = ["one-off"] if recurrence == ONCE else []
        if ceiling:
            parts.append("up to")
        parts.append(format_amount_en(yuan))
        if recurrence == PER_YEAR:
            parts.append("per year")
        if per_recipient:
            parts.append("per organisation")
        return " ".join(parts)
    parts = []
    if recurrence == ONCE:
        parts.append("一次性")
    elif recurrence == PER_YEAR:
        parts.append("每年")
    if per_recipient:
        parts.append("每家")
    if ceiling:
        parts.append("最高")
    parts.append(format_amount(yuan))
    return "".join(parts)


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (3E+3 -> 3000)."""
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral_value() else normalized
