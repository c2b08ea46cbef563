from measures.domain.diffs import GAP, Segment, field_changes, text_diff
from measures.domain.models import Award, Clause

# A real clause's length, its amount in the middle.
LONG_CLAUSE = (
    "培育研发产业，健全全链条产业孵化服务体系，优化“创新飞地”布局，率先融入、积极承接国家重大科技任务，"
    "对新获批建设的企业给予最高100万元补助，支持企业开展研发活动，提升自主创新能力，加快培育一批科技领军企业。"
)


def test_chinese_text_is_compared_character_by_character():
    assert text_diff("支持孵化器建设", "支持加速器建设") == [
        Segment("equal", "支持"),
        Segment("delete", "孵化"),
        Segment("insert", "加速"),
        Segment("equal", "器建设"),
    ]


def test_an_amount_in_a_text_changes_whole_with_its_unit():
    assert text_diff("一次性3000万元奖励", "一次性2000万元奖励") == [
        Segment("equal", "一次性"),
        Segment("delete", "3000万元"),
        Segment("insert", "2000万元"),
        Segment("equal", "奖励"),
    ]
    assert text_diff("不超过100万元", "不超过120万元") == [
        Segment("equal", "不超过"),
        Segment("delete", "100万元"),
        Segment("insert", "120万元"),
    ]


def test_amounts_in_chinese_numerals_percentages_and_other_numbers_change_whole():
    assert text_diff("最高三千万元", "最高二千万元")[1:] == [
        Segment("delete", "三千万元"),
        Segment("insert", "二千万元"),
    ]
    assert text_diff("按30%给予补助", "按35%给予补助")[1:3] == [Segment("delete", "30%"), Segment("insert", "35%")]
    assert text_diff("第15条", "第16条")[1:3] == [Segment("delete", "15"), Segment("insert", "16")]


def test_a_long_paragraph_shows_its_change_in_context_not_whole():
    shown = field_changes(Clause, {"text": LONG_CLAUSE}, {"text": LONG_CLAUSE.replace("100万元", "120万元")})[0]

    assert shown.segments == [
        Segment("skip", GAP),
        Segment("equal", "对新获批建设的企业给予最高"),
        Segment("delete", "100万元"),
        Segment("insert", "120万元"),
        Segment("equal", "补助，支持企业开展研发活动，"),
        Segment("skip", GAP),
    ]


def test_two_changes_far_apart_each_keep_their_context_and_the_text_between_is_cut():
    new = LONG_CLAUSE.replace("培育研发产业", "培育研发服务业").replace("领军企业", "领军人才")
    segments = text_diff(LONG_CLAUSE, new, context=15)

    assert [segment.op for segment in segments] == [
        "equal",
        "delete",
        "insert",
        "equal",
        "skip",
        "equal",
        "delete",
        "insert",
        "equal",
    ]
    assert segments[0].text == "培育研发" and segments[-1].text == "。"
    assert "100万元" not in "".join(segment.text for segment in segments)


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
