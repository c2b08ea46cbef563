from decimal import Decimal

import pytest

from measures.money import AmountError, format_amount, wan_to_yuan, yuan_to_wan


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
