"""Issue 27's rule for reading official text: no number with a money unit is silently dropped. Each amount
the text holds is an award, an other amount with its kind, or a warning (in the preview and the JSON).

A property test writes texts from the phrase patterns of real policies, in Arabic, Chinese and 大写 numerals,
and checks the rule; a small corpus of real sentences (quoted from /work/shared/sources/) is read as the
sources' notes say a careful reader should. Pure functions: no database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measures.text import clause_reader, document_reader, money

WAN = money.YUAN_PER_WAN


def chinese(n: int, upper: bool = False) -> str:
    """0 < n < 10000 in Chinese numerals (一千零五, 叁佰), written independently of the code under test."""
    digits = "零壹贰叁肆伍陆柒捌玖" if upper else "零一二三四五六七八九"
    units = ("仟", "佰", "拾", "") if upper else ("千", "百", "十", "")
    text, gap = "", False
    for value, unit in zip((1000, 100, 10, 1), units, strict=True):
        digit = n // value % 10
        if digit:
            text += (digits[0] if gap else "") + digits[digit] + unit
            gap = False
        elif text:
            gap = True
    return text


def unaccounted(reading: document_reader.PolicyReading) -> list[money.AmountInText]:
    """The amounts of the text that are no award, no other amount, no flag and no warned unread amount."""
    spans = []
    for measure in reading.measures:
        for clause in measure.clauses:
            spans += [(a.amount_start, a.amount_end) for a in clause.awards]
            spans += [(o.amount_start, o.amount_end) for o in clause.other_amounts]
            spans += [(f.start, f.end) for f in clause.flags]
    spans += [(a.start, a.end) for a in reading.unread_amounts]
    return [
        amount
        for amount in money.find_amounts(reading.text)
        if not any(start < amount.end and amount.start < end for start, end in spans)
    ]


def assert_every_amount_is_accounted_for(reading: document_reader.PolicyReading) -> None:
    assert unaccounted(reading) == []
    warned = "\n".join(reading.warnings)
    for measure in reading.measures:
        for clause in measure.clauses:
            for other in clause.other_amounts:
                if other.kind == clause_reader.OTHER:
                    assert f"“{other.amount_text}”（第{other.amount_start}–{other.amount_end}字）" in warned
            for flag in clause.flags:
                assert f"“{flag.text}”（第{flag.start}–{flag.end}字）" in warned
    for amount in reading.unread_amounts:
        assert f"“{amount.text}”（第{amount.start}–{amount.end}字）" in warned
    proposal = reading.as_json()
    assert proposal["warnings"] == reading.warnings  # the JSON says it too


# The property: texts written from the phrase patterns of real policies


@st.composite
def wan_amounts(draw) -> tuple[int, str]:
    """An amount in 万元 and how a policy might write it: Arabic, Chinese, 大写, with or without 元."""
    wan = draw(st.integers(min_value=1, max_value=9999))
    written = draw(
        st.sampled_from(
            [f"{wan}万元", f"{wan}万", f"{wan:,}万元", chinese(wan) + "万元", chinese(wan, upper=True) + "万元"]
        )
    )
    return wan * WAN, written


GIVING = ("给予", "奖励", "补助", "资助", "给予一次性", "可给予")
NATURES = ("奖励", "补助", "资助", "支持", "补贴", "")
CEILINGS = ("最高", "不超过", "最高不超过", "")
SHARES = ("每个项目", "每家", "每年", "每年每家", "单家企业", "")
SUBJECTS = ("对新认定的企业", "对孵化器", "对新型研发机构", "支持甲基地、乙基地建设，考核优良的", "")
OTHER_WORDS = ("获得银行贷款", "项目总投资", "年营业收入超过", "设立基金规模", "累计投入")
SEPARATORS = ("，", "；", ",", "。", " ")


@st.composite
def phrases(draw) -> str:
    """One phrase of a policy, from the patterns of real ones."""
    pattern = draw(st.integers(min_value=0, max_value=7))
    _yuan, amount = draw(wan_amounts())
    _yuan, other = draw(wan_amounts())
    subject, giving, nature = (
        draw(st.sampled_from(SUBJECTS)),
        draw(st.sampled_from(GIVING)),
        draw(st.sampled_from(NATURES)),
    )
    ceiling, share = draw(st.sampled_from(CEILINGS)), draw(st.sampled_from(SHARES))
    number = draw(st.integers(min_value=1, max_value=999))
    if pattern == 0:
        return f"{subject}{giving}{share}{ceiling}{amount}{nature}"
    if pattern == 1:
        rate = draw(st.integers(min_value=1, max_value=99))
        return f"按研发投入的{rate}%给予补助，{share}{ceiling}{amount}"
    if pattern == 2:
        return f"{subject}分别给予{ceiling}{amount}、{other}{nature}"
    if pattern == 3:
        return f"{subject}分别给予{number}、{amount}{nature}"  # the unit said once
    if pattern == 4:
        return f"{subject}给予{number}、{amount}{nature}"  # the unit said once, no 分别: flagged
    if pattern == 5:
        return f"{draw(st.sampled_from(OTHER_WORDS))}{other}的，{giving}{ceiling}{amount}{nature}"
    if pattern == 6:
        return f"{amount}以内"
    return f"累计{ceiling}{amount}"


@st.composite
def documents(draw) -> str:
    lines = ["关于测试的若干措施（测试数据）"]
    for number in range(1, draw(st.integers(min_value=1, max_value=3)) + 1):
        parts = draw(st.lists(phrases(), min_size=1, max_size=4))
        text = "".join(phrase + draw(st.sampled_from(SEPARATORS)) for phrase in parts)
        title = draw(st.sampled_from(["测试措施", "给予最高100万元奖励", "支持企业研发投入"]))
        separator = draw(st.sampled_from(["。", " "]))
        lines.append(f"（{chinese(number)}）{title}{separator}{text}")
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(documents())
def test_every_amount_in_a_generated_text_is_an_award_an_other_amount_or_a_warning(text):
    assert_every_amount_is_accounted_for(document_reader.read_policy(text))


@settings(max_examples=200, deadline=None)
@given(wan_amounts(), st.sampled_from(GIVING), st.sampled_from(CEILINGS), st.sampled_from(SHARES))
def test_an_amount_given_is_read_as_an_award_of_that_amount(amount, giving, ceiling, share):
    yuan, written = amount
    text = f"对新认定的企业，{giving}{share}{ceiling}{written}奖励。"
    (award,) = clause_reader.read_clause(text).awards
    assert (award.amount_yuan, award.amount_text) == (yuan, written)
    assert award.limit == ("ceiling" if ceiling else "exact")


@settings(max_examples=200, deadline=None)
@given(wan_amounts(), st.sampled_from(CEILINGS), st.sampled_from(["每个项目", "每家企业", "单家企业年度", "每年"]))
def test_a_ceiling_after_a_rate_is_the_award_however_its_share_is_named(amount, ceiling, share):
    yuan, written = amount
    text = f"按项目研发投入的30%给予补助，{share}{ceiling or '最高'}{written}。"
    (award,) = clause_reader.read_clause(text).awards
    assert (award.amount_yuan, award.limit, award.nature, award.doubt) == (yuan, "ceiling", "subsidy", "")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=999), min_size=2, max_size=4), st.sampled_from(["万元", "万"]))
def test_respectively_pairs_every_amount_of_a_list_said_with_one_unit(numbers, unit):
    names = ["甲", "乙", "丙", "丁"][: len(numbers)]
    listed = "、".join(str(n) for n in numbers[:-1])
    text = f"对{'、'.join(names)}分别给予{listed}、{numbers[-1]}{unit}奖励。"
    reading = clause_reader.read_clause(text)
    assert [(a.amount_yuan, a.recipient) for a in reading.awards] == [
        (n * WAN, name) for n, name in zip(numbers, names, strict=True)
    ]
    assert reading.flags == []


# Real sentences (quoted from /work/shared/sources/amount-phrases.md, as the pages give them)


def read(text):
    reading = clause_reader.read_clause(text)
    awards = [(a.amount_yuan, a.limit, a.per_recipient) for a in reading.awards]
    others = [(o.kind, o.amount_yuan) for o in reading.other_amounts]
    return reading, awards, others


def test_two_awards_the_second_a_further_one():
    _reading, awards, _others = read(
        "对于通过国家级高企认定的企业,给予10万元奖励;对于资格有效期内的市级高新技术企业,首次通过国家级高企认定的,再给予2万元奖励。"
    )
    assert awards == [(10 * WAN, "exact", False), (2 * WAN, "exact", False)]


def test_a_threshold_greater_than_is_not_the_award():
    _reading, awards, others = read(
        "对于申报上年度研究开发费用总额大于200万元(含)的企业,通过国家级高企认定的,再给予10万元奖励"
    )
    assert awards == [(10 * WAN, "exact", False)]
    assert others == [("threshold", 200 * WAN)]


def test_a_share_threshold_in_percent_is_a_rate_and_the_award_is_read():
    _reading, awards, others = read(
        "每孵化一家首次通过认定的国家级高企且持股比例不低于30%的,根据实际投入、技术支持情况等因素,给予20万元奖励。"
    )
    assert awards == [(20 * WAN, "exact", False)]
    assert others == [("rate", None)]


def test_a_per_mille_rate_and_a_yearly_ceiling_per_company():
    reading, awards, others = read("按全年综合经济贡献增量的3‰给予奖励,单家企业年度最高150万元。")
    assert awards == [(150 * WAN, "ceiling", True)]
    assert reading.awards[0].recurrence == "per_year"
    assert others == [("rate", None)]


def test_ceilings_per_platform_each_read_the_last_with_a_doubt():
    reading, awards, _others = read(
        "特别重大的小试中试平台和概念验证中心,每个最高资助2000万元;生物医药类平台,单个最高资助300万元;"
        "其他公共技术服务平台单个最高500万元。"
    )
    assert awards == [(2000 * WAN, "ceiling", True), (300 * WAN, "ceiling", True), (500 * WAN, "ceiling", True)]
    assert [bool(a.doubt) for a in reading.awards] == [False, False, True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "重大科技项目最高支持2000万;国家项目配套最高1000万。",
            [(2000 * WAN, "ceiling", False), (1000 * WAN, "ceiling", False)],
        ),
        (
            "国家级平台奖励3000万;公共技术平台支持最高2000万。",
            [(3000 * WAN, "exact", False), (2000 * WAN, "ceiling", False)],
        ),
    ],
)
def test_amounts_without_yuan_given_or_supported_are_awards(text, expected):
    assert read(text)[1] == expected


def test_a_list_of_levels_with_no_giving_word_is_warned_about_not_dropped():
    reading = document_reader.read_policy("（一）测试。国家级100万元、省级50万元、市级20万元\n（二）其他。正文。")
    assert reading.awards == []
    assert_every_amount_is_accounted_for(reading)
    assert sum("读不出是奖补还是" in warning for warning in reading.warnings) == 3


def test_the_news_articles_sentences_give_their_awards_and_account_for_every_amount():
    # 厦门网 2025-02-17 (000_deb1e9ce42bd1eb1.txt), the paragraphs with amounts, as the article gives them.
    paragraphs = [
        "《若干措施》提出将支持国家级国际科技合作基地、对台科技合作与交流基地建设,对新入选基地给予一次性200万元奖励;"
        "考核评估优良的分别给予不超过100万元、50万元奖励。推进金砖国家新工业革命伙伴关系创新基地、中国—金砖国家新时代"
        "科创孵化园,对金砖创新合作项目给予最高300万元支持。对国家重点研发计划“政府间国际科技创新合作”项目成果在厦转化落地,"
        "给予最高1000万元支持。协调推进海洋负排放国际大科学计划,打造国际海洋科学中心。",
        "支持科技型企业孵化器、加速器等建设,给予每年每家最高500万元奖励。对企业自主建设的国家级制造业中试平台,"
        "按设备投入情况给予最高3000万元补助,并纳入市技术创新基金支持范围。",
    ]
    reading = document_reader.read_policy("\n".join(["（一）测试", *paragraphs]))
    assert [a.amount_yuan // WAN for a in reading.awards] == [200, 100, 50, 300, 1000, 500, 3000]
    assert_every_amount_is_accounted_for(reading)
