"""The one money convention of xmpolicy.

Amounts are stored once, as an integer number of yuan (no floats anywhere). People speak 万元
(10,000 yuan): forms, filters and fixtures take 万元 and convert here; every displayed amount is
formatted here, so the pages, the admin and the exports always agree.
"""

from decimal import Decimal, InvalidOperation

YUAN_PER_WAN = 10_000
YUAN_PER_YI = 100_000_000  # 1亿 = 10,000万


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


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (3E+3 -> 3000)."""
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral_value() else normalized
