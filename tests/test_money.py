from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest

from measures.text.money import (
    AmountError,
    format_amount,
    format_amount_en,
    format_award,
    notations,
    read_amount,
    read_number,
    wan_to_yuan,
    yuan_to_wan,
)


@pytest.mark.parametrize(
    ("wan", "yuan"),
    [(3000, 30_000_000), ("500", 5_000_000), ("0.5", 5_000), (Decimal("1.2345"), 12_345), ("0", 0)],
)
def test_wan_convert_to_whole_yuan(wan, yuan):
    assert wan_to_yuan(wan) == yuan
    assert isinstance(wan_to_yuan(wan), int)


@pytest.mark.parametrize("bad", ["-1", "abc", "", "1.23456", "NaN", "Infinity"])
def test_amounts_that_cannot_be_whole_yuan_are_refused(bad):
    with pytest.raises(AmountError):
        wan_to_yuan(bad)


@pytest.mark.parametrize(
    ("wan", "rounding", "yuan"),
    [
        ("1.23456", ROUND_CEILING, 12_346),
        ("1.23456", ROUND_FLOOR, 12_345),
        ("0.00001", ROUND_CEILING, 1),
        ("5", ROUND_FLOOR, 50_000),
    ],
)
def test_a_bound_finer_than_a_yuan_is_made_whole_the_way_asked(wan, rounding, yuan):
    assert wan_to_yuan(wan, rounding=rounding) == yuan


def test_rounding_still_refuses_negatives_and_non_numbers():
    for bad in ("-0.00001", "NaN", "abc"):
        with pytest.raises(AmountError):
            wan_to_yuan(bad, rounding=ROUND_CEILING)


def test_a_negative_amount_is_refused_in_chinese():
    with pytest.raises(AmountError, match="金额不能为负数"):
        wan_to_yuan(-100)


@pytest.mark.parametrize(
    ("yuan", "text"),
    [
        (30_000_000, "3000万元"),
        (500_000, "50万元"),
        (5_000, "0.5万元"),
        (100_000_000, "1亿元"),
        (120_000_000, "1.2亿元"),
        (0, "0万元"),
    ],
)
def test_amounts_display_in_wan_below_one_yi_and_in_yi_above(yuan, text):
    assert format_amount(yuan) == text


def test_yuan_to_wan_never_uses_exponent_notation():
    assert str(yuan_to_wan(30_000_000)) == "3000"
    assert str(yuan_to_wan(12_345)) == "1.2345"
    assert str(yuan_to_wan(0)) == "0"


# Beyond Decimal's 28 digits (GitHub issue 25, item 8): an amount read from a search or a text may have
# more, and is neither rounded nor a crash.


def test_an_amount_of_any_size_converts_and_displays_exactly():
    huge = 10**33
    assert str(yuan_to_wan(huge)) == "1" + "0" * 29
    assert format_amount(huge) == "1" + "0" * 25 + "亿元"
    assert format_amount(huge + 1) == "1" + "0" * 25 + ".00000001亿元"
    assert format_amount_en(huge) == "RMB " + f"{10**24:,}" + " billion"


@pytest.mark.parametrize(
    ("written", "yuan"),
    [
        ("1234567890123456789012345678901234元", 1234567890123456789012345678901234),
        ("9999999999999999999999999万亿", 9999999999999999999999999 * 10**12),
        ("一点" + "零" * 30 + "五亿", None),  # a fraction of a yuan, not 1亿 rounded
        ("1." + "0" * 30 + "1亿", None),
    ],
)
def test_a_long_numeral_is_read_exactly(written, yuan):
    assert read_amount(written) == yuan


def test_read_number_keeps_every_digit():
    assert read_number("1." + "0" * 30 + "1亿") == Decimal("100000000." + "0" * 22 + "1")


@pytest.mark.parametrize(
    ("wan", "rounding", "yuan"),
    [
        ("1." + "0" * 30 + "1", ROUND_CEILING, 10_001),  # rounded to 28 digits first, it would be 10,000
        ("0." + "9" * 32, ROUND_FLOOR, 9_999),
    ],
)
def test_a_bound_with_many_digits_is_rounded_from_its_exact_value(wan, rounding, yuan):
    assert wan_to_yuan(wan, rounding=rounding) == yuan


@pytest.mark.parametrize("wan", ["1e999999999", "922337203685478", str(10**40)])
def test_an_amount_no_column_can_hold_is_refused_without_being_expanded(wan):
    with pytest.raises(AmountError, match="金额过大"):
        wan_to_yuan(wan, rounding=ROUND_FLOOR)


# In English: millions and billions, never a rounded amount


@pytest.mark.parametrize(
    ("yuan", "text"),
    [
        (30_000_000, "RMB 30 million"),  # 3000万元
        (15_000_000, "RMB 15 million"),  # 1500万元
        (12_345_000, "RMB 12.345 million"),  # 1234.5万元
        (120_000_000, "RMB 120 million"),  # 1.2亿元
        (1_000_000_000, "RMB 1 billion"),  # 10亿元
        (1_250_000_000, "RMB 1.25 billion"),  # 12.5亿元
        (1_000_000, "RMB 1 million"),  # 100万元
        (500_000, "RMB 500,000"),  # 50万元
        (125_000, "RMB 125,000"),  # 12.5万元
        (5_000, "RMB 5,000"),  # 0.5万元
        (1_234_567, "RMB 1,234,567"),  # 123.4567万元: more than three decimals of a million
        (0, "RMB 0"),
    ],
)
def test_amounts_display_in_english_in_millions_and_billions(yuan, text):
    assert format_amount_en(yuan) == text


@pytest.mark.parametrize(
    ("fields", "chinese", "english"),
    [
        (
            dict(yuan=30_000_000, ceiling=False, recurrence="once", per_recipient=False),
            "一次性3000万元",
            "one-off RMB 30 million",
        ),
        (
            dict(yuan=3_000_000, ceiling=True, recurrence="unspecified", per_recipient=False),
            "最高300万元",
            "up to RMB 3 million",
        ),
        (
            dict(yuan=5_000_000, ceiling=True, recurrence="per_year", per_recipient=True),
            "每年每家最高500万元",
            "up to RMB 5 million per year per organisation",
        ),
        (
            dict(yuan=120_000_000, ceiling=False, recurrence="per_year", per_recipient=False),
            "每年1.2亿元",
            "RMB 120 million per year",
        ),
        (
            dict(yuan=2_000_000, ceiling=True, recurrence="once", per_recipient=True),
            "一次性每家最高200万元",
            "one-off up to RMB 2 million per organisation",
        ),
    ],
)
def test_an_award_reads_the_same_way_in_both_languages(fields, chinese, english):
    yuan = fields.pop("yuan")
    assert format_award(yuan, **fields, language="zh-hans") == chinese
    assert format_award(yuan, **fields, language=None) == chinese
    assert format_award(yuan, **fields, language="en") == english
    assert format_award(yuan, **fields, language="en-gb") == english


@pytest.mark.parametrize(
    ("yuan", "written"),
    [
        (500_000, ["50万元", "0.005亿元", "500,000元"]),
        (30_000_000, ["3000万元", "0.3亿元", "30,000,000元"]),
        (5_000, ["0.5万元", "5,000元"]),  # 0.00005亿元 would be a worse way to say it
        (123_456_789, ["12345.6789万元", "123,456,789元"]),
    ],
)
def test_an_amount_is_written_in_every_notation_a_reader_may_search_with(yuan, written):
    assert notations(yuan) == written
    assert all(read_amount(each) == yuan for each in written)
