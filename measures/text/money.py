"""The one money convention of xmpolicy.

Amounts are stored once, as an integer number of yuan (no floats anywhere). People speak 万元
(10,000 yuan): forms, filters and fixtures take 万元 and convert here; every displayed amount is
formatted here, so the pages, the admin and the exports always agree. English readers get the same
amounts in millions and billions ("RMB 30 million" for 3000万元), from the same functions.

Amounts written in text are read here too, in every notation a Chinese document uses (3000万元,
3,000万元, 1.2亿元, 500万, 三千万元, 两千万, 一亿二千万元, 3千万, 叁仟万元, 30000000元): the clause
reader (measures/text/clause_reader.py), the amount check on awards and the search all call `read_amount`
and `find_amounts`, so 三千万 means 30,000,000 yuan everywhere.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from measures.text.vocabulary import ONCE, PER_YEAR
from xmpolicy.locale import is_english

YUAN_PER_WAN = 10_000
YUAN_PER_YI = 100_000_000  # 1亿 = 10,000万
YUAN_PER_MILLION = 1_000_000  # 100万
YUAN_PER_BILLION = 1_000_000_000  # 10亿
# Far above any award (more than the city's output in a year): the largest amount the award finder
# filters by and the search compares with awards; a larger one is beyond any award. Refusing larger
# filter values also keeps one like 1e999999999 from being expanded into a billion-digit integer.
LARGEST_AWARD_YUAN = 1_000_000_000_000  # 1万亿元
# The most a BIGINT column (Award.amount_yuan) holds: a larger amount read from a text cannot be stored.
LARGEST_STORABLE_YUAN = 2**63 - 1


class AmountError(ValueError):
    """An amount in 万元 that cannot be stored as whole yuan."""


def wan_to_yuan(wan, rounding: str | None = None) -> int:
    """3000 (万元) -> 30_000_000 (yuan). Accepts int, Decimal or a numeric string.

    Refuses negatives, non-numbers and fractions of a yuan (more than four decimal places), unless
    `rounding` (decimal.ROUND_CEILING, ROUND_FLOOR…) says how to make them whole: a bound compared with
    whole-yuan amounts, where "at least 0.1 yuan" means exactly "at least 1 yuan".
    """
    try:
        value = Decimal(str(wan).strip())
    except InvalidOperation:
        raise AmountError(f"“{wan}”不是有效的金额。") from None
    if not value.is_finite():
        raise AmountError(f"“{wan}”不是有效的金额。")
    if value < 0:
        raise AmountError("金额不能为负数。")
    yuan = _shifted(value, YUAN_PER_WAN)
    if yuan > LARGEST_STORABLE_YUAN:  # compared as it is written: 1e999999999 is never expanded
        raise AmountError("金额过大，超出可以存储的范围。")
    if rounding is not None:
        yuan = yuan.to_integral_value(rounding=rounding)
    if yuan != yuan.to_integral_value():
        raise AmountError("金额最多保留四位小数（精确到元）。")
    return int(yuan)


def yuan_to_wan(yuan: int) -> Decimal:
    """30_000_000 -> Decimal('3000'); 5_000 -> Decimal('0.5'). Exact however large."""
    return _plain(_shifted(Decimal(yuan), YUAN_PER_WAN, divide=True))


def format_amount(yuan: int) -> str:
    """The Chinese display of an amount: '3000万元', '50万元', '1.2亿元'."""
    if yuan >= YUAN_PER_YI:
        return f"{_plain(_shifted(Decimal(yuan), YUAN_PER_YI, divide=True))}亿元"
    return f"{yuan_to_wan(yuan)}万元"


def notations(yuan: int) -> list[str]:
    """The same amount as a reader may write it: in 万元, in 亿元 (while at most four decimals say it
    exactly) and in grouped yuan. 500000 -> ['50万元', '0.005亿元', '500,000元']."""
    written = [f"{yuan_to_wan(yuan)}万元"]
    in_yi = _plain(_shifted(Decimal(yuan), YUAN_PER_YI, divide=True))
    if -in_yi.as_tuple().exponent <= 4:
        written.append(f"{in_yi}亿元")
    written.append(f"{yuan:,}元")
    return written


def format_amount_en(yuan: int) -> str:
    """The English display: 'RMB 30 million' (3000万元), 'RMB 120 million' (1.2亿元), 'RMB 1 billion'
    (10亿元), 'RMB 5,000' (0.5万元).

    Millions and billions only while they need at most three decimals; otherwise whole yuan, grouped
    ('RMB 1,234,567'), so no amount is ever rounded."""
    for unit, word in ((YUAN_PER_BILLION, "billion"), (YUAN_PER_MILLION, "million")):
        if yuan >= unit and yuan % (unit // 1000) == 0:
            return f"RMB {_plain(_shifted(Decimal(yuan), unit, divide=True)):,} {word}"
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


def _shifted(value: Decimal, unit: int, *, divide: bool = False) -> Decimal:
    """value × unit (or ÷ unit), a power of ten, exactly: arithmetic would round to the context's 28
    digits (an amount read from a search or a text may have more), moving the exponent loses nothing."""
    places = len(str(unit)) - 1
    sign, digits, exponent = value.as_tuple()
    return Decimal((sign, digits, exponent - places if divide else exponent + places))


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (3E+3 -> 3000); exact however many
    digits (Decimal's normalize() and quantize() would round to 28, or fail)."""
    sign, digits, exponent = value.as_tuple()
    if not any(digits):
        return Decimal(0)
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    if exponent > 0:
        digits, exponent = digits + (0,) * exponent, 0
    return Decimal((sign, digits, exponent))


# Reading amounts written in text ------------------------------------------------------------------

_DIGITS = {
    **dict.fromkeys("零〇", 0),
    **dict.fromkeys("一壹", 1),
    **dict.fromkeys("二两贰貳兩", 2),
    **dict.fromkeys("三叁參", 3),
    **dict.fromkeys("四肆", 4),
    **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆陸", 6),
    **dict.fromkeys("七柒", 7),
    **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}
_SMALL_UNITS = {**dict.fromkeys("十拾", 10), **dict.fromkeys("百佰", 100), **dict.fromkeys("千仟", 1000)}
_BIG_UNITS = {**dict.fromkeys("万萬", YUAN_PER_WAN), **dict.fromkeys("亿億", YUAN_PER_YI)}
_CHINESE_NUMERALS = "".join([*_DIGITS, *_SMALL_UNITS])
# Every character an amount in text may be written with (find_amounts' reach, approximate words included).
AMOUNT_CHARACTERS = frozenset(
    [*_DIGITS, *_SMALL_UNITS, *_BIG_UNITS, *"0123456789０１２３４５６７８９.．,点元余多来几数上 \u00a0"]
)
# Full-width digits and points read as ASCII ones; one character for one, so offsets do not move.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

# An Arabic number: digits grouped by commas in threes (3,000) or not, with an optional decimal part.
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_NUMERAL_PIECE = rf"(?:{_ARABIC}|[{_CHINESE_NUMERALS}]|[万萬亿億]|点)"
# In text: a numeral (Arabic, Chinese, 大写 or mixed) ending in 万/亿 or followed by 元.
_AMOUNT_IN_TEXT = re.compile(rf"{_NUMERAL_PIECE}+(?:[ \u00a0]?元)?")
_TOKEN = re.compile(rf"({_ARABIC})|([{''.join(_DIGITS)}])|([{''.join(_SMALL_UNITS)}])|([万萬亿億])|(点)")
# What may come after 万/亿 when no 元 is written and the number is a count, not money (500万人次, 1亿吨).
MEASURE_WORDS = frozenset("人家个项台套户名次吨亩件册所座条张份篇株只头辆艘架部字平千瓦度斤箱批位")
# Words that say an amount is approximate: 500余万元, 数百万元, 上千万元.
_APPROXIMATE_AFTER = re.compile(r"[余多来几][万亿]?元")
_CURRENCY_PREFIX = re.compile(r"^(?:人民币|RMB|CNY|[¥￥])\s*", re.IGNORECASE)


def read_number(numeral: str) -> Decimal | None:
    """The value of a numeral without its 元: '3000万' 30000000, '三千万' 30000000, '1.2亿' 120000000,
    '一亿二千万' 120000000, '3千万' 30000000, '叁仟万' 30000000, '一万五' 15000, '3,000' 3000.
    None when it cannot be read with confidence (two digits in a row as in 三五百万, units out of
    order, a unit with no number as in 千万, commas out of place)."""
    numeral = numeral.translate(_HALF_WIDTH).replace(" ", "").replace("\u00a0", "")
    if not numeral:
        return None
    position, tokens = 0, []
    for match in _TOKEN.finditer(numeral):
        if match.start() != position:
            return None
        position = match.end()
        arabic, digit, small, big, point = match.groups()
        if point is not None:
            tokens.append(("point", None))
        elif arabic is not None:
            tokens.append(("arabic", Decimal(arabic.replace(",", ""))))
        elif digit is not None:
            tokens.append(("zero" if _DIGITS[digit] == 0 else "digit", Decimal(_DIGITS[digit])))
        elif small is not None:
            tokens.append(("small", _SMALL_UNITS[small]))
        else:
            tokens.append(("big", _BIG_UNITS[big]))
    if position != len(numeral):
        return None
    if not any(kind in ("arabic", "digit", "zero") for kind, _ in tokens) and tokens[0] != ("small", 10):
        return None  # units with no number (千万); 十万 is ten of them
    # Each character adds at most eight digits (亿): at this precision nothing is rounded, where the
    # default 28 digits would read a long numeral as another amount.
    with localcontext(prec=9 * len(numeral) + 28):
        return _value(tokens)


def _value(tokens: list[tuple[str, Decimal | int | None]]) -> Decimal | None:
    """What read_number's tokens add up to, or None when they are out of order."""
    total = wan = section = Decimal(0)
    pending: Decimal | None = None
    pending_kind = None
    last_small = last_big = None
    previous = None  # the kind of the token before
    decimals = 0  # digits read after 点 (一点五亿): each one a tenth of the one before
    for kind, value in tokens:
        if kind == "point":
            if pending is None or pending_kind != "digit" or decimals:
                return None
            decimals = 1
        elif decimals and kind in ("digit", "zero"):
            pending += value / (10**decimals)
            decimals += 1
            kind = "fraction"
        elif decimals and kind == "arabic":
            return None
        elif kind in ("arabic", "digit"):
            if pending is not None:
                return None  # 三五, 3三: two numbers in a row
            pending, pending_kind = value, kind
        elif kind == "zero":
            if pending is not None and pending_kind == "digit":
                return None
            if previous is None and len(tokens) == 1:
                pending, pending_kind = Decimal(0), "digit"
            # otherwise a placeholder (一千零五十)
        elif kind == "small":
            decimals = 0
            if pending is None:
                if previous is not None or value != 10:
                    return None  # 千万 alone, 百万元级: no number said
                pending = Decimal(1)
            if last_small is not None and value >= last_small:
                return None
            section += pending * value
            pending, last_small = None, value
        else:  # 万 or 亿
            decimals = 0
            group = section + (pending or 0)
            if value == YUAN_PER_WAN:
                if last_big == YUAN_PER_WAN or group == 0:
                    return None
                wan = group * YUAN_PER_WAN
            else:
                group += wan
                if last_big == YUAN_PER_YI or group == 0:
                    return None
                total = (total + group) * YUAN_PER_YI
                wan = Decimal(0)
            section, pending, last_small, last_big = Decimal(0), None, None, value
        previous = kind
    if decimals == 1:
        return None  # 一点 with nothing after
    if pending is not None:
        if pending_kind == "digit" and previous == "digit" and len(tokens) > 1:
            # A digit straight after a unit stands for the next unit down: 一万五 15000, 三千五 3500.
            unit_before = tokens[-2]
            if unit_before[0] in ("small", "big") and unit_before[1] >= 100:
                pending *= Decimal(unit_before[1]) / 10
        section += pending
    return total + wan + section


@dataclass(frozen=True)
class AmountInText:
    """An amount found in a text: its characters [start, end) and what they read as. `yuan` is None
    when the characters look like an amount but cannot be read with confidence (flag them, do not
    guess); `unit_stated` is False for 500万 without 元."""

    start: int
    end: int
    text: str
    yuan: int | None
    unit_stated: bool = True


def _yuan(value: Decimal | None) -> int | None:
    if value is None or value != value.to_integral_value() or value < 0:
        return None  # a fraction of a yuan is not an amount this project can store
    return int(value)


def read_amount(text: str) -> int | None:
    """Yuan, when the whole of `text` is an amount in any notation ('三千万', '3000万元', '0.3亿',
    '叁仟万', '30000000元', '¥3,000万'); None otherwise. A number needs its unit (万, 亿 or 元):
    '3000' alone is not an amount."""
    text = _CURRENCY_PREFIX.sub("", (text or "").strip())
    if text.endswith("元"):
        numeral = text[:-1].rstrip()
    elif text[-1:] in _BIG_UNITS:
        numeral = text
    else:
        return None
    if not numeral or not re.fullmatch(rf"{_NUMERAL_PIECE}+", numeral.translate(_HALF_WIDTH)):
        return None
    return _yuan(read_number(numeral))


def find_amounts(text: str) -> list[AmountInText]:
    """Every amount of money written in `text`, in order, with its offsets. A numeral counts when it
    ends in 万/亿 or is followed by 元 (2025年, 第一条 and 二十大 are not amounts); 万/亿 without 元
    followed by a counter (500万人次, 1万余家) is a count, not money. What looks like money but cannot
    be read (三五百万元, 500余万元, 数百万元) is returned with yuan None."""
    found = []
    normalized = text.translate(_HALF_WIDTH)
    for match in _AMOUNT_IN_TEXT.finditer(normalized):
        start, end = match.span()
        raw = match.group()
        # A numeral's own characters only: a leading unit or point belongs to the words before
        # (万众创新, 重点).
        while raw and (raw[0] in _BIG_UNITS or raw[0] == "点"):
            raw, start = raw[1:], start + 1
        stated = raw.endswith("元")
        numeral = raw[:-1].rstrip() if stated else raw
        has_number = any(c.isdigit() or c in _DIGITS for c in numeral) or numeral[:1] in ("十", "拾")
        approximate = _APPROXIMATE_AFTER.match(normalized, end)
        if approximate and has_number and not stated:
            found.append(AmountInText(start, approximate.end(), text[start : approximate.end()], None))
            continue
        if not stated and (not numeral or numeral[-1] not in _BIG_UNITS):
            continue  # a number, not an amount (3年, 第一条)
        if not has_number:
            if stated and _SMALL_UNITS.keys() & set(numeral):
                found.append(AmountInText(start, end, text[start:end], None))  # 百万元, 上千万元: no number said
            continue
        if not stated and (
            normalized[end : end + 1] in MEASURE_WORDS
            or (normalized[end : end + 1] in "余多" and normalized[end + 1 : end + 2] in MEASURE_WORDS)
        ):
            continue
        found.append(AmountInText(start, end, text[start:end], _yuan(read_number(numeral)), stated))
    return found


@dataclass(frozen=True)
class AmountRange:
    """Amounts from `low` to `high` yuan, both included (an open end is None), as the award finder's
    min and max are."""

    low: int | None
    high: int | None

    def __contains__(self, yuan: int) -> bool:
        return (self.low is None or yuan >= self.low) and (self.high is None or yuan <= self.high)


# Range words around an amount. 以上, 以下 and 以内 include the number itself (as in Chinese law and
# as the finder's min and max do); 超过, 高于, 低于 and 不到 do not.
_AT_LEAST_BEFORE = ("不低于", "不少于", "至少", "最少", "≥", ">=", "＞=")
_MORE_THAN_BEFORE = ("超过", "高于", "大于", "多于", ">", "＞")
_AT_MOST_BEFORE = ("不超过", "不高于", "不多于", "最多", "至多", "≤", "<=", "＜=")
_LESS_THAN_BEFORE = ("低于", "少于", "小于", "不到", "不足", "<", "＜")
_AT_LEAST_AFTER = ("及以上", "以上")
_AT_MOST_AFTER = ("及以下", "以下", "以内")
_BETWEEN = re.compile(r"^(?P<low>.+?)(?:到|至|-|~|～|—|－|–)(?P<high>.+?)(?:之间)?$")
_UNIT_AT_END = re.compile(r"(?:[万萬亿億]?元|[万萬亿億])$")


def read_range(text: str) -> AmountRange | None:
    """A range of amounts written in words, when that is the whole of `text`: '500万以上' and '不低于1000万'
    (at least), '300万以内' and '不超过300万' (at most), '100万到300万', '100万至300万' and
    '100-300万' (from … to, the unit shared); '超过500万' is more than, so from 500万 and one yuan.
    None for anything else, a single amount included."""
    text = (text or "").strip()
    for words, shift in ((_AT_LEAST_BEFORE, 0), (_MORE_THAN_BEFORE, 1)):
        for word in words:
            if text.startswith(word) and (yuan := read_amount(text[len(word) :])) is not None:
                return AmountRange(yuan + shift, None)
    for words, shift in ((_AT_MOST_BEFORE, 0), (_LESS_THAN_BEFORE, 1)):
        for word in words:
            if text.startswith(word) and (yuan := read_amount(text[len(word) :])) is not None:
                return AmountRange(None, yuan - shift) if yuan - shift >= 0 else None
    for word in _AT_LEAST_AFTER:
        if text.endswith(word) and (yuan := read_amount(text[: -len(word)])) is not None:
            return AmountRange(yuan, None)
    for word in _AT_MOST_AFTER:
        if text.endswith(word) and (yuan := read_amount(text[: -len(word)])) is not None:
            return AmountRange(None, yuan)
    between = _BETWEEN.match(text)
    if between:
        low_text, high_text = between.group("low"), between.group("high")
        high = read_amount(high_text)
        low = read_amount(low_text)
        unit = _UNIT_AT_END.search(high_text)
        if low is None and unit and not _UNIT_AT_END.search(low_text):
            low = read_amount(low_text + unit.group())  # 100-300万: the unit said once
        if low is not None and high is not None:
            return AmountRange(min(low, high), max(low, high))
    return None
