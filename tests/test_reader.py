"""Reading Chinese policy text (measures/text/document_reader.py, clause_reader.py, and the amounts
through measures/text/money.py): amounts in every notation, the structure of a document, awards with their
qualifiers and recipients, amounts that are not awards, every value traceable to its exact characters, nothing guessed.
Pure functions: no database."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measures.text import clause_reader, document_reader, money

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "kjcx-2025.json"
WAN = money.YUAN_PER_WAN


# Amounts in every notation


@pytest.mark.parametrize(
    ("written", "yuan"),
    [
        ("3000万元", 30_000_000),
        ("3,000万元", 30_000_000),
        ("1.2亿元", 120_000_000),
        ("500万", 5_000_000),
        ("三千万元", 30_000_000),
        ("两千万", 20_000_000),
        ("一亿二千万元", 120_000_000),
        ("3千万", 30_000_000),
        ("叁仟万元", 30_000_000),
        ("伍佰万元", 5_000_000),
        ("30000000元", 30_000_000),
        ("0.3亿", 30_000_000),
        ("叁仟万", 30_000_000),
        ("三千万", 30_000_000),
        ("十万元", 100_000),
        ("一千零五十元", 1_050),
        ("一亿零五百万元", 105_000_000),
        ("一点五亿元", 150_000_000),
        ("3万5000元", 35_000),
        ("5千元", 5_000),
        ("10亿元", 1_000_000_000),
        ("１２００万元", 12_000_000),  # full-width digits
        ("￥3000万", 30_000_000),
        ("人民币50万元", 500_000),
        ("貳佰萬元", 2_000_000),
        ("0.5万元", 5_000),
    ],
)
def test_an_amount_reads_as_the_same_yuan_in_every_notation(written, yuan):
    assert money.read_amount(written) == yuan


@pytest.mark.parametrize(
    "written",
    [
        "3000",
        "万元",
        "三千",
        "三五百万元",
        "千万元",
        "百万元",
        "0.00001元",
        "30,00万元",
        "3三万元",
        "二〇二五元",
        "孵化器",
        "",
    ],
)
def test_what_is_not_an_amount_or_cannot_be_read_surely_reads_as_none(written):
    assert money.read_amount(written) is None


def test_amounts_are_found_in_text_with_their_exact_characters_and_counts_are_not_money():
    text = "2025年，第一条：给予500万元奖励；1万余家企业，500万人次，3万平方米，二十大，万众创新，重点支持1000万元。"
    found = money.find_amounts(text)
    assert [(a.text, a.yuan) for a in found] == [("500万元", 5_000_000), ("1000万元", 10_000_000)]
    for amount in found:
        assert text[amount.start : amount.end] == amount.text


@pytest.mark.parametrize("written", ["500余万元", "数百万元", "上千万元", "三五百万元"])
def test_an_approximate_amount_is_found_but_not_read(written):
    (found,) = money.find_amounts(f"给予{written}支持。")
    assert found.yuan is None


@pytest.mark.parametrize(
    ("written", "low", "high"),
    [
        ("500万以上", 500 * WAN, None),
        ("500万元及以上", 500 * WAN, None),
        ("不低于1000万", 1000 * WAN, None),
        ("100万到300万", 100 * WAN, 300 * WAN),
        ("100万至300万元", 100 * WAN, 300 * WAN),
        ("100-300万", 100 * WAN, 300 * WAN),
        ("300万以内", None, 300 * WAN),
        ("不超过300万", None, 300 * WAN),
        ("0.5亿以下", None, 5000 * WAN),
        ("超过500万", 500 * WAN + 1, None),
        ("三千万以上", 3000 * WAN, None),
    ],
)
def test_a_range_in_words_reads_as_inclusive_bounds(written, low, high):
    assert money.read_range(written) == money.AmountRange(low, high)


@pytest.mark.parametrize("written", ["500万", "孵化器", "以上", "到300万", "500万以上的企业"])
def test_words_that_are_not_a_range_are_not_read_as_one(written):
    assert money.read_range(written) is None


# The property: any number written in one notation reads back as the same yuan

_LOWER = ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九")
_UPPER = ("零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖")


def _four(n: int, digits, units) -> str:
    """0 < n < 10000 in Chinese numerals, with 零 for the gaps (一千零五)."""
    text, gap = "", False
    for value, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = n // value % 10
        if digit:
            text += (digits[0] if gap else "") + digits[digit] + unit
            gap = False
        elif text:
            gap = True
    return text


def chinese(n: int, upper: bool = False) -> str:
    """n (below 1万亿) in Chinese numerals, written independently of the code under test."""
    digits, units = (_UPPER, "拾佰仟") if upper else (_LOWER, "十百千")
    if n == 0:
        return digits[0]
    yi, rest = divmod(n, 10**8)
    wan, low = divmod(rest, 10**4)
    text = ""
    if yi:
        text += _four(yi, digits, units) + "亿"
    if wan:
        text += (digits[0] if yi and wan < 1000 else "") + _four(wan, digits, units) + "万"
    if low:
        text += (digits[0] if (yi or wan) and low < 1000 else "") + _four(low, digits, units)
    return text


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


@st.composite
def written_amounts(draw):
    yuan = draw(st.integers(min_value=1, max_value=10**12 - 1))
    notations = [
        f"{yuan}元",
        f"{yuan:,}元",
        f"{_plain(Decimal(yuan) / WAN)}万元",
        f"{_plain(Decimal(yuan) / 10**8)}亿元",
    ]
    notations += [chinese(yuan) + "元", chinese(yuan, upper=True) + "元"]
    if yuan % WAN == 0:
        wan = yuan // WAN
        notations += [f"{wan}万", f"{wan:,}万元"]
        if wan < 10**4:  # 三千万元, 叁仟万, 三千万: the 万 said once (1万万 is not written)
            notations += [chinese(wan) + "万元", chinese(wan, upper=True) + "万", chinese(yuan)]
        if wan % 1000 == 0 and wan < 10**4:
            notations.append(f"{wan // 1000}千万元")  # 3千万元
    return yuan, draw(st.sampled_from(notations))


@settings(max_examples=400, deadline=None)
@given(written_amounts())
def test_any_number_written_in_one_notation_reads_back_as_the_same_yuan(case):
    yuan, written = case
    assert money.read_amount(written) == yuan, written
    (found,) = money.find_amounts(f"给予{written}奖励。")
    assert found.yuan == yuan, written


# The real policy: exactly the eight recorded awards


def real_policy_data():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_reading_the_real_policys_clauses_proposes_exactly_its_eight_recorded_awards():
    recorded, proposed = [], []
    for measure in real_policy_data()["measures"]:
        for clause in measure["clauses"]:
            for award in clause["awards"]:
                recorded.append(
                    (
                        measure["number"],
                        money.wan_to_yuan(award["amount_wan"]),
                        award["limit"],
                        award["recurrence"],
                        award["per_recipient"],
                        award["nature"],
                        award["recipient"],
                        award["source_phrase"],
                    )
                )
            for award in clause_reader.read_clause(clause["text"]).awards:
                proposed.append(
                    (
                        measure["number"],
                        award.amount_yuan,
                        award.limit,
                        award.recurrence,
                        award.per_recipient,
                        award.nature,
                        award.recipient,
                        award.source_phrase,
                    )
                )
    assert len(recorded) == 8
    assert proposed == recorded


def test_the_real_policy_as_one_document_reads_back_its_pillars_measures_and_awards():
    data = real_policy_data()
    lines = [data["policy"]["title"], data["policy"]["document_number"], data["policy"]["preamble"]]
    numerals = "一二三四五六七八九十"
    for pillar in data["pillars"]:
        lines.append(f"{numerals[pillar['number'] - 1]}、{pillar['title']}")
        for measure in (m for m in data["measures"] if m["pillar"] == pillar["number"]):
            lines.append(f"（{numerals[measure['number'] - 1]}）{measure['title']}。{measure['clauses'][0]['text']}")
            lines.extend(clause["text"] for clause in measure["clauses"][1:])
    text = "\n".join(lines)
    reading = document_reader.read_policy(text)
    assert reading.title == data["policy"]["title"]
    assert reading.document_number == "厦委发〔2025〕1号"
    assert reading.preamble == data["policy"]["preamble"]
    assert [(p.number, p.title) for p in reading.pillars] == [(p["number"], p["title"]) for p in data["pillars"]]
    assert [(m.number, m.title, m.pillar) for m in reading.measures] == [
        (m["number"], m["title"], m["pillar"]) for m in data["measures"]
    ]
    assert [[c.text for c in m.clauses] for m in reading.measures] == [
        [c["text"] for c in m["clauses"]] for m in data["measures"]
    ]
    assert len(reading.awards) == 8
    assert_every_value_is_an_exact_substring(reading)


# Structure


OFFICIAL_STYLE = """关于支持示例产业发展的若干措施
厦示〔2025〕3号
为推动示例产业发展，结合我市实际，制定如下措施。
一、强化平台建设
（一）支持新型研发机构。对新认定的市级新型研发机构，给予最高500万元奖励。一是加强统筹，二是优化服务。
（责任单位：市科技局、市财政局）
（二）支持孵化器。支持科技企业孵化器建设，连续三年每年给予每家不超过200万元补助。
孵化器获得最高不超过1000万元信用贷款的，按年化1%的利息给予补贴。
（牵头单位：市科技局；配合单位：各区人民政府）
二、壮大企业主体
（三）培育高新技术企业。对年营业收入首次突破1亿元的企业，给予一次性50万元奖励。
本措施自印发之日起实施，有效期3年。
2025年2月14日
"""


def test_a_document_reads_as_title_number_preamble_pillars_and_measures():
    reading = document_reader.read_policy(OFFICIAL_STYLE)
    assert reading.title == "关于支持示例产业发展的若干措施"
    assert reading.document_number == "厦示〔2025〕3号"
    assert reading.preamble == "为推动示例产业发展，结合我市实际，制定如下措施。"
    assert [(p.number, p.title) for p in reading.pillars] == [(1, "强化平台建设"), (2, "壮大企业主体")]
    assert [(m.number, m.title, m.pillar) for m in reading.measures] == [
        (1, "支持新型研发机构", 1),
        (2, "支持孵化器", 1),
        (3, "培育高新技术企业", 2),
    ]


def test_a_measures_title_ends_at_the_first_full_stop_and_the_rest_is_its_first_clause():
    first = document_reader.read_policy(OFFICIAL_STYLE).measures[0]
    assert first.title == "支持新型研发机构"
    assert first.clauses[0].text == "对新认定的市级新型研发机构，给予最高500万元奖励。一是加强统筹，二是优化服务。"


def test_one_two_inside_a_paragraph_is_not_a_new_measure():
    reading = document_reader.read_policy(OFFICIAL_STYLE)
    assert len(reading.measures) == 3
    assert "一是加强统筹，二是优化服务" in reading.measures[0].clauses[0].text


def test_the_responsible_units_line_names_the_departments_and_is_not_a_clause():
    measures = document_reader.read_policy(OFFICIAL_STYLE).measures
    assert measures[0].responsible_units == ["市科技局", "市财政局"]
    assert measures[1].responsible_units == ["市科技局", "各区人民政府"]
    assert all("单位" not in clause.text for measure in measures for clause in measure.clauses)
    assert [len(m.clauses) for m in measures] == [1, 2, 1]


def test_a_responsible_units_ending_on_the_same_line_is_taken_off_the_clause():
    reading = document_reader.read_policy(
        "（一）支持研发。给予最高100万元奖励。（责任单位：市科技局）\n（二）支持转化。具体办法另行制定。"
    )
    assert reading.measures[0].responsible_units == ["市科技局"]
    assert reading.measures[0].clauses[0].text == "给予最高100万元奖励。"


def test_the_closing_paragraphs_are_not_clauses_of_the_last_measure():
    reading = document_reader.read_policy(OFFICIAL_STYLE)
    assert [c.text for c in reading.measures[-1].clauses] == ["对年营业收入首次突破1亿元的企业，给予一次性50万元奖励。"]
    assert reading.closing == ["本措施自印发之日起实施，有效期3年。", "2025年2月14日"]
    assert any("本措施自印发之日起实施" in warning for warning in reading.warnings)


@pytest.mark.parametrize(
    "numbered",
    [
        ["1. 支持研发。给予最高100万元奖励。", "2. 支持转化。给予最高200万元奖励。", "3. 支持人才。具体办法另行制定。"],
        ["1．支持研发。给予最高100万元奖励。", "2．支持转化。给予最高200万元奖励。", "3．支持人才。具体办法另行制定。"],
        [
            "第一条 支持研发。给予最高100万元奖励。",
            "第二条 支持转化。给予最高200万元奖励。",
            "第三条 支持人才。具体办法另行制定。",
        ],
        ["01 支持研发。给予最高100万元奖励。", "02 支持转化。给予最高200万元奖励。", "03 支持人才。具体办法另行制定。"],
        [
            "(一)支持研发。给予最高100万元奖励。",
            "(二)支持转化。给予最高200万元奖励。",
            "(三)支持人才。具体办法另行制定。",
        ],
        [
            "一、支持研发。给予最高100万元奖励。",
            "二、支持转化。给予最高200万元奖励。",
            "三、支持人才。具体办法另行制定。",
        ],
    ],
    ids=["1.", "1．", "第一条", "01", "(一)", "一、 without pillars"],
)
def test_measures_are_found_in_every_usual_numbering_directly_under_the_title(numbered):
    reading = document_reader.read_policy("\n".join(["关于示例的若干措施", "为支持示例，制定如下措施。", *numbered]))
    assert reading.pillars == []
    assert [(m.number, m.title, m.pillar) for m in reading.measures] == [
        (1, "支持研发", None),
        (2, "支持转化", None),
        (3, "支持人才", None),
    ]
    assert [a.amount_yuan for a in reading.awards] == [100 * WAN, 200 * WAN]


def test_sub_items_numbered_1_2_inside_a_measure_are_its_clauses():
    text = "\n".join(
        [
            "一、平台",
            "（一）支持研发。总体要求如下。",
            "1.给予最高100万元奖励。",
            "2.给予最高50万元奖励。",
            "（二）支持转化。另行制定。",
        ]
    )
    reading = document_reader.read_policy(text)
    assert [m.title for m in reading.measures] == ["支持研发", "支持转化"]
    assert [c.text for c in reading.measures[0].clauses] == [
        "总体要求如下。",
        "1.给予最高100万元奖励。",
        "2.给予最高50万元奖励。",
    ]


def test_measures_numbered_afresh_in_each_pillar_are_numbered_in_order_and_the_editor_is_told():
    text = "一、甲\n（一）措施甲一。正文。\n（二）措施甲二。正文。\n二、乙\n（一）措施乙一。正文。"
    reading = document_reader.read_policy(text)
    assert [(m.number, m.pillar, m.printed_number) for m in reading.measures] == [
        (1, 1, "一"),
        (2, 1, "二"),
        (3, 2, "一"),
    ]
    assert any("没有依次增大" in warning for warning in reading.warnings)


def test_a_text_of_only_the_new_measures_keeps_their_printed_numbers():
    reading = document_reader.read_policy("（七）措施七。给予最高10万元奖励。\n（八）措施八。正文。")
    assert [(m.number, m.title) for m in reading.measures] == [(7, "措施七"), (8, "措施八")]
    assert not any("编号" in warning for warning in reading.warnings)


def test_a_text_with_no_numbered_measure_says_so():
    reading = document_reader.read_policy("这是一段没有编号的文字。")
    assert reading.measures == []
    assert any("没有读到任何措施" in warning for warning in reading.warnings)


def test_a_notice_wrapping_the_policy_gives_the_policys_own_title():
    reading = document_reader.read_policy("关于印发《厦门市示例若干措施》的通知\n（一）支持研发。正文。")
    assert reading.title == "厦门市示例若干措施"


# Awards and their qualifiers


def awards_of(text):
    return [
        (a.amount_yuan, a.limit, a.recurrence, a.per_recipient, a.nature, a.recipient, a.condition)
        for a in clause_reader.read_clause(text).awards
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("给予一次性3000万元奖励。", (3000 * WAN, "exact", "once", False, "reward")),
        ("给予最高300万元支持。", (300 * WAN, "ceiling", "unspecified", False, "support")),
        ("给予不超过100万元补助。", (100 * WAN, "ceiling", "unspecified", False, "subsidy")),
        ("给予最高不超过100万元资助。", (100 * WAN, "ceiling", "unspecified", False, "support")),
        ("给予100万元以内的补贴。", (100 * WAN, "ceiling", "unspecified", False, "subsidy")),
        ("给予每年最高200万元奖励。", (200 * WAN, "ceiling", "per_year", False, "reward")),
        ("给予每年每家最高500万元奖励。", (500 * WAN, "ceiling", "per_year", True, "reward")),
        ("连续三年每年给予最高100万元补助。", (100 * WAN, "ceiling", "per_year", False, "subsidy")),
        ("奖励叁仟万元。", (3000 * WAN, "exact", "unspecified", False, "reward")),
        ("给予一亿二千万元支持。", (12000 * WAN, "exact", "unspecified", False, "support")),
        ("按投入的30%给予补助，最高不超过1000万元。", (1000 * WAN, "ceiling", "unspecified", False, "subsidy")),
        ("按贷款利息的50%给予每年每家最高300万元补助。", (300 * WAN, "ceiling", "per_year", True, "subsidy")),
    ],
)
def test_an_award_is_read_with_its_ceiling_recurrence_organisation_and_nature(text, expected):
    ((*read, _recipient, _condition),) = awards_of(text)
    assert tuple(read) == expected


def test_respectively_gives_two_awards_each_paired_with_its_own_recipient():
    text = "支持甲基地、乙基地建设，考核评估优良的分别给予不超过100万元、50万元奖励。"
    assert [(a[0], a[1], a[5], a[6]) for a in awards_of(text)] == [
        (100 * WAN, "ceiling", "甲基地", "考核评估优良"),
        (50 * WAN, "ceiling", "乙基地", "考核评估优良"),
    ]


def test_a_recipient_and_its_condition_are_read_from_the_words_before_the_award():
    assert [(a[5], a[6]) for a in awards_of("对新认定的市级新型研发机构，给予最高500万元奖励。")] == [
        ("市级新型研发机构", "新认定")
    ]
    assert [(a[5], a[6]) for a in awards_of("对金砖创新合作项目给予最高300万元支持。")] == [("金砖创新合作项目", "")]


@pytest.mark.parametrize(
    ("text", "kind", "yuan"),
    [
        ("获得最高不超过1000万元信用贷款。", "loan", 1000 * WAN),
        ("给予最高1000万元信用贷款。", "loan", 1000 * WAN),
        ("设立基金规模10亿元。", "fund", 10 * 10**8),
        ("设立总规模10亿元的产业基金。", "fund", 10 * 10**8),
        ("对年营业收入首次突破1亿元的企业给予奖励。", "threshold", 10**8),
        ("设备投资额达到5000万元以上的项目。", "threshold", 5000 * WAN),
        ("项目总投资5000万元。", "investment", 5000 * WAN),
        ("按实际投入的30%给予补助。", "rate", None),
        ("给予年化1%的利息补贴。", "rate", None),
        ("全市研发经费达到300亿元。", "threshold", 300 * 10**8),
    ],
)
def test_an_amount_that_is_not_an_award_is_labelled_and_never_proposed_as_one(text, kind, yuan):
    reading = clause_reader.read_clause(text)
    assert reading.awards == []
    assert [(other.kind, other.amount_yuan) for other in reading.other_amounts] == [(kind, yuan)]


def test_a_threshold_and_an_award_in_one_sentence_are_told_apart():
    reading = clause_reader.read_clause("对年营业收入首次突破1亿元的企业，给予一次性50万元奖励。")
    assert [(a.amount_yuan, a.recipient, a.condition) for a in reading.awards] == [
        (50 * WAN, "企业", "年营业收入首次突破1亿元")
    ]
    assert [(o.kind, o.amount_yuan) for o in reading.other_amounts] == [("threshold", 10**8)]


def test_text_that_cannot_be_read_surely_is_flagged_not_guessed():
    reading = clause_reader.read_clause("给予数百万元支持；给予500余万元奖励；给予100、50万元奖励。")
    assert [a.amount_yuan for a in reading.awards] == [50 * WAN]
    assert [flag.text for flag in reading.flags] == ["百万元", "500余万元", "100、50万元"]
    # The one award read beside a list it could not read is proposed with that doubt.
    assert "100、50万元" in reading.awards[0].doubt
    document = document_reader.read_policy("（一）示例。给予500余万元奖励。")
    assert any("500余万元" in warning and "请核对" in warning for warning in document.warnings)


def test_an_award_whose_recipient_cannot_be_read_asks_the_editor():
    document = document_reader.read_policy("（一）示例。一是加强统筹，三是给予三千万元支持。")
    assert [(a.amount_yuan, a.recipient) for a in document.awards] == [(3000 * WAN, "")]
    assert any("未读出支持对象" in warning for warning in document.warnings)


# Nothing invented: every value is the text's own characters


def assert_every_value_is_an_exact_substring(reading):
    text = reading.text
    for measure in reading.measures:
        for clause in measure.clauses:
            assert text[clause.start : clause.end] == clause.text
            for value in [*clause.awards, *clause.other_amounts]:
                assert text[value.start : value.end] == value.source_phrase
                assert text[value.amount_start : value.amount_end] == value.amount_text
                assert value.start <= value.amount_start < value.amount_end <= value.end
            for flag in clause.flags:
                assert text[flag.start : flag.end] == flag.text
    for measure in reading.measures:
        assert measure.title in text
    for pillar in reading.pillars:
        assert text[pillar.start : pillar.end].endswith(pillar.title) or pillar.title in text[pillar.start : pillar.end]


def test_every_phrase_and_amount_of_a_document_is_an_exact_substring_at_its_offsets():
    # Windows line ends, full-width spaces and a byte order mark do not shift an offset.
    text = "\ufeff" + OFFICIAL_STYLE.replace("\n", "\r\n").replace("（二）", "\u3000（二）")
    reading = document_reader.read_policy(text)
    assert len(reading.awards) == 3
    assert_every_value_is_an_exact_substring(reading)


def test_the_json_proposal_has_exactly_the_documented_shape():
    proposal = document_reader.read_policy(OFFICIAL_STYLE).as_json()
    assert set(proposal) == {"title", "document_number", "preamble", "pillars", "measures", "warnings"}
    measure = proposal["measures"][1]
    assert set(measure) == {"number", "title", "pillar", "responsible_units", "clauses"}
    clause = measure["clauses"][1]
    assert set(clause) == {"text", "awards", "other_amounts"}
    assert set(proposal["measures"][0]["clauses"][0]["awards"][0]) == {
        "amount_yuan",
        "limit",
        "recurrence",
        "per_recipient",
        "nature",
        "recipient",
        "condition",
        "source_phrase",
        "start",
        "end",
        "doubt",
    }
    assert {o["kind"] for o in clause["other_amounts"]} == {"loan", "rate"}
    assert set(clause["other_amounts"][0]) == {"amount_yuan", "kind", "source_phrase", "start", "end"}
    json.dumps(proposal)  # plain JSON values only


# A long paragraph full of amounts is read in linear time (GitHub issue 25, item 9)

SENTENCE = "对新认定的企业，给予最高500万元奖励，对孵化器、加速器分别给予100万元、50万元补助；"


def one_line_policy(characters: int, sentence: str = SENTENCE) -> str:
    """A measure whose one paragraph is `sentence` repeated to `characters` characters: a page pasted
    from a PDF as one line."""
    return "关于测试的若干措施\n（一）测试措施。" + (sentence * (characters // len(sentence) + 1))[:characters]


def work_of_reading(text: str, monkeypatch) -> int:
    """Characters of the paragraph that reading `text` looks at in its phrase-by-phrase steps: the words
    taken apart for a recipient and the phrases searched for amounts. Counted, not timed, so that the
    test says the same on a loaded machine."""
    looked_at = []
    subject, find_amounts = clause_reader._subject, money.find_amounts

    def counting_subject(head):
        looked_at.append(len(head))
        return subject(head)

    def counting_find_amounts(text):
        looked_at.append(len(text))
        return find_amounts(text)

    with monkeypatch.context() as patch:
        patch.setattr(clause_reader, "_subject", counting_subject)
        patch.setattr(money, "find_amounts", counting_find_amounts)
        document_reader.read_policy(text)
    return sum(looked_at)


@pytest.mark.parametrize(
    "sentence",
    [
        SENTENCE,
        "给予100万元奖励",
        "100万元",
        "1、2万元",
        "对甲、乙分别给予1万元、2万元奖励",
        "对甲、乙、丙分别给予3、2、1万元奖励；",
        "按投入的30%给予补助，每个项目最高不超过200万元；其他平台单个最高50万元，",
        "国家级100万元、省级50万元，",
    ],
)
def test_reading_four_times_the_text_is_four_times_the_work(monkeypatch, sentence):
    # Before, each amount walked back through every phrase before it: sixteen times the work.
    small = work_of_reading(one_line_policy(4_000, sentence), monkeypatch)
    large = work_of_reading(one_line_policy(16_000, sentence), monkeypatch)
    assert large <= 4.5 * small, (small, large)


def test_a_long_one_line_paragraph_is_read_whole():
    text = one_line_policy(100_000)
    reading = document_reader.read_policy(text)
    assert len(reading.measures) == 1
    assert len(reading.awards) == 3 * (100_000 // len(SENTENCE))  # the last sentence, cut, has no amount
    assert {award.amount_yuan for award in reading.awards} == {5_000_000, 1_000_000, 500_000}
    assert all(text[a.start : a.end] == a.source_phrase for a in reading.awards)
    assert [a.recipient for a in reading.awards[1:3]] == ["孵化器", "加速器"]


def test_text_without_punctuation_is_read_in_phrases_of_bounded_length():
    text = one_line_policy(20_000, "给予100万元奖励")
    reading = document_reader.read_policy(text)
    assert len(reading.awards) == 20_000 // len("给予100万元奖励")
    assert all(len(a.source_phrase) <= clause_reader.MAX_PHRASE_LENGTH for a in reading.awards)
    assert all(text[a.start : a.end] == a.source_phrase for a in reading.awards)
    assert all(a.amount_text == "100万元" and a.amount_yuan == 1_000_000 for a in reading.awards)


# Issue 27: every number accounted for


def test_a_pillars_number_is_its_own_printed_numeral_and_its_measures_follow_it():
    text = "\n".join(
        [
            "三、夯实企业科技创新主体地位",
            "第七条 支持企业研发。给予最高100万元奖励。",
            "第八条 支持企业转化。给予最高50万元奖励。",
            "第九条 支持企业上市。具体办法另行制定。",
            "第四部分 完善科技成果转移转化支撑体系",
            "第十条 支持技术转移。给予最高20万元奖励。",
        ]
    )
    reading = document_reader.read_policy(text)
    assert [(p.number, p.title) for p in reading.pillars] == [
        (3, "夯实企业科技创新主体地位"),
        (4, "完善科技成果转移转化支撑体系"),
    ]
    assert [(m.number, m.pillar) for m in reading.measures] == [(7, 3), (8, 3), (9, 3), (10, 4)]
    assert not any("编号" in warning for warning in reading.warnings)


def test_pillar_numerals_that_do_not_rise_are_numbered_in_order_and_the_editor_is_told():
    reading = document_reader.read_policy("二、甲\n（一）措施一。正文。\n二、乙\n（二）措施二。正文。")
    assert [p.number for p in reading.pillars] == [1, 2]
    assert [m.pillar for m in reading.measures] == [1, 2]
    assert any("方面的编号（二、二）没有依次增大" in warning for warning in reading.warnings)


def test_a_ceiling_per_project_after_a_rate_is_the_awards_ceiling():
    (award,) = clause_reader.read_clause("按项目研发投入的30%给予补助，每个项目最高不超过200万元").awards
    assert (award.amount_yuan, award.limit, award.per_recipient, award.nature) == (
        200 * WAN,
        "ceiling",
        True,
        "subsidy",
    )
    assert award.source_phrase == "按项目研发投入的30%给予补助，每个项目最高不超过200万元"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("按投入的30%给予补助，每家企业最高不超过100万元。", (100 * WAN, "ceiling", "unspecified", True)),
        ("按投入的30%给予补助，每年最高100万元。", (100 * WAN, "ceiling", "per_year", False)),
        ("按投入的30%给予补助，单家企业年度最高100万元。", (100 * WAN, "ceiling", "per_year", True)),
    ],
)
def test_a_ceiling_with_its_share_named_reads_as_the_award_before_it(text, expected):
    ((amount, limit, recurrence, per_recipient, *_rest),) = awards_of(text)
    assert (amount, limit, recurrence, per_recipient) == expected


@pytest.mark.parametrize("numbered", ["二、", "（二）", "第二条 ", "2."])
def test_a_title_separated_from_its_text_by_a_space_gives_a_title_a_clause_and_an_award(numbered):
    reading = document_reader.read_policy(f"{numbered}支持企业研发投入 对企业研发费用按比例给予补助,最高补助300万元。")
    (measure,) = reading.measures
    assert measure.title == "支持企业研发投入"
    assert [c.text for c in measure.clauses] == ["对企业研发费用按比例给予补助,最高补助300万元。"]
    assert [(a.amount_yuan, a.limit, a.nature) for a in reading.awards] == [(300 * WAN, "ceiling", "subsidy")]
    assert not any("只有标题" in warning for warning in reading.warnings)


def test_a_title_with_a_space_inside_and_no_sentence_after_stays_whole():
    reading = document_reader.read_policy("（一）强化厦门科学城 超级孵化器功能\n给予最高100万元奖励。")
    assert reading.measures[0].title == "强化厦门科学城 超级孵化器功能"


def test_respectively_with_the_unit_said_once_pairs_each_amount_with_its_recipient():
    reading = clause_reader.read_clause("支持甲基地、乙基地建设，考核评估优良的分别给予100、50万元奖励。")
    assert [(a.amount_yuan, a.amount_text, a.recipient, a.doubt) for a in reading.awards] == [
        (100 * WAN, "100", "甲基地", ""),
        (50 * WAN, "50万元", "乙基地", ""),
    ]
    assert reading.flags == []
    assert [
        a.amount_yuan for a in clause_reader.read_clause("对甲、乙、丙分别给予一百、五十、二十万元奖励").awards
    ] == [
        100 * WAN,
        50 * WAN,
        20 * WAN,
    ]


@pytest.mark.parametrize("text", ["对甲、乙给予100、50万元奖励。", "给予10-50万元奖励。"])
def test_a_list_or_range_with_the_unit_said_once_and_no_respectively_is_flagged_and_its_award_doubted(text):
    reading = clause_reader.read_clause(text)
    assert len(reading.flags) == 1
    (award,) = reading.awards
    assert award.amount_yuan == 50 * WAN and "单位只写了一次" in award.doubt


def test_an_amount_neither_award_nor_known_kind_is_a_warning():
    reading = document_reader.read_policy("（一）示例。国家级100万元、省级50万元、市级20万元。")
    assert reading.awards == []
    assert [o.kind for o in reading.measures[0].clauses[0].other_amounts] == ["other"] * 3
    assert sum("读不出是奖补还是贷款、投资、门槛等其他金额" in w for w in reading.warnings) == 3


def test_an_amount_outside_every_clause_is_a_warning():
    reading = document_reader.read_policy("奖励1000万元的若干措施\n（一）最高500万元的奖励\n（二）措施二。正文。")
    assert [a.text for a in reading.unread_amounts] == ["1000万元", "500万元"]
    assert any("“500万元”" in w and "第1条的标题中" in w for w in reading.warnings)
    assert any("“1000万元”" in w and "标题或序言中" in w for w in reading.warnings)
