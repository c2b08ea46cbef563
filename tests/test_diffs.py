from measures.domain.diffs import Segment, char_diff, field_changes
from measures.domain.models import Award, Clause


def test_chinese_text_is_compared_character_by_character():
    assert char_diff("一次性3000万元奖励", "一次性2000万元奖励") == [
        Segment("equal", "一次性"),
        Segment("delete", "3"),
        Segment("insert", "2"),
        Segment("equal", "000万元奖励"),
    ]


def test_an_amount_change_reads_in_wan_and_bookkeeping_is_left_out():
    old = {"amount_yuan": 30_000_000, "limit": "exact", "version": 1, "updated_at": "x"}
    new = {"amount_yuan": 20_000_000, "limit": "ceiling", "version": 2, "updated_at": "y"}
    changes = {c.name: (c.label, c.old, c.new) for c in field_changes(Award, old, new)}
    assert changes == {
        "amount_yuan": ("金额", "3000万元", "2000万元"),
        "limit": ("金额性质", "定额", "最高限额"),
    }


def test_a_created_row_shows_every_filled_field_as_new():
    changes = field_changes(Clause, None, {"text": "新段落", "position": 2, "is_complete": True})
    assert {c.name: c.new for c in changes} == {"text": "新段落", "position": "2", "is_complete": "是"}
    assert all(c.old == "" for c in changes)


def test_numbers_choices_and_yes_no_change_as_whole_values_and_text_character_by_character():
    old = {"amount_yuan": 2_000_000, "per_recipient": False, "recipient": "孵化器"}
    new = {"amount_yuan": 2_500_000, "per_recipient": True, "recipient": "孵化器和加速器"}
    changes = {c.name: c for c in field_changes(Award, old, new)}
    assert changes["amount_yuan"].segments == [Segment("delete", "200万元"), Segment("insert", "250万元")]
    assert changes["per_recipient"].segments == [Segment("delete", "否"), Segment("insert", "是")]
    assert changes["recipient"].segments == [Segment("equal", "孵化器"), Segment("insert", "和加速器")]
