"""The award chart on the policy page: an SVG bar per award, grouped by measure, and the same figures as a table."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from measures.domain.models import Award, Clause, Measure
from measures.public.charts import PLOT_WIDTH, award_chart, scale_step, scaled
from measures.public.formatting import amount
from tests.data import add_more_data
from tests.html import between, page, text_of
from tests.query_budgets import POLICY_PAGE_QUERIES

# The real policy's awards in policy order (measure, clause, position), as the chart labels them.
REAL_LABELS = [
    "一次性3000万元 奖励",
    "一次性200万元 奖励",
    "最高100万元 奖励",
    "最高50万元 奖励",
    "最高300万元 支持",
    "最高1000万元 支持",
    "每年每家最高500万元 奖励",
    "最高3000万元 补助",
]
REAL_AMOUNTS_WAN = [3000, 200, 100, 50, 300, 1000, 500, 3000]


def svg_of(html):
    return between(html, '<svg class="award-chart__svg"', "</svg>")


def table_of(html):
    return between(html, '<table class="award-chart__table"', "</table>")


def bars(svg):
    """(class, width) of each bar, in drawing order."""
    return [
        (match["kind"], Decimal(match["width"]))
        for match in re.finditer(
            r'<rect class="award-chart__bar award-chart__bar--(?P<kind>\w+)"[^>]*? width="(?P<width>[\d.]+)"', svg
        )
    ]


def labels(svg):
    return re.findall(r'<text class="award-chart__label"[^>]*>([^<]*)</text>', svg)


def add_award(policy, measure_number, amount_yuan, recipient="企业"):
    measure = Measure.objects.get(policy=policy, number=measure_number)
    clause, _ = Clause.objects.get_or_create(
        measure=measure,
        position=9,
        defaults=dict(text="新增段落", provenance=Clause.Provenance.POLICY_TEXT, source_url="https://example.org/t"),
    )
    return Award.objects.create(
        clause=clause,
        position=clause.awards.count() + 1,
        amount_yuan=amount_yuan,
        limit=Award.Limit.EXACT,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient=recipient,
        source_phrase="给予补助",
    )


# The picture


def test_the_home_page_draws_one_bar_per_award_of_the_real_policy_labelled_in_policy_order(client, real_policy):
    svg = svg_of(page(client, "/"))
    assert len(bars(svg)) == 8
    assert labels(svg) == REAL_LABELS


def test_the_policy_page_draws_the_same_chart_as_the_home_page(client, real_policy):
    assert labels(svg_of(page(client, "/policies/kjcx-2025/"))) == REAL_LABELS


def test_bar_widths_are_proportional_to_the_amounts(client, real_policy):
    widths = [width for _kind, width in bars(svg_of(page(client, "/")))]
    largest = widths[0]
    assert largest == PLOT_WIDTH  # 3000万元 is the end of the scale
    assert widths[0] == widths[7]  # 一次性3000万元 and 最高3000万元
    fifty = widths[REAL_AMOUNTS_WAN.index(50)]
    assert abs(largest / fifty - 60) < Decimal("0.1")
    for width, wan in zip(widths, REAL_AMOUNTS_WAN, strict=True):
        # Rounded to hundredths of a unit, never further.
        assert abs(width - largest * wan / 3000) <= Decimal("0.005"), wan


def test_exact_amounts_are_solid_bars_and_ceilings_are_hatched_as_the_legend_explains(client, real_policy):
    html = page(client, "/")
    kinds = [kind for kind, _width in bars(svg_of(html))]
    assert kinds == ["exact", "exact", "ceiling", "ceiling", "ceiling", "ceiling", "ceiling", "ceiling"]
    assert html.count('fill="url(#award-chart-hatch)"') == 6 + 1  # six bars and the legend's swatch
    legend = between(html, 'class="award-chart__legend"', "</ul>")
    assert "实心：定额" in legend
    assert "斜线：最高限额" in legend
    assert "圆点：每年发放" in legend


def test_the_yearly_award_is_marked_with_a_dot_after_its_bar(client, real_policy):
    svg = svg_of(page(client, "/"))
    assert svg.count('class="award-chart__per-year"') == 1
    yearly = between(svg, ">每年每家最高500万元 奖励</text>", "</g>")
    assert 'class="award-chart__per-year"' in yearly


def test_the_legend_only_explains_what_the_chart_shows(client, small_policy):
    legend = between(page(client, "/policies/test-policy/"), 'class="award-chart__legend"', "</ul>")
    assert "斜线：最高限额" in legend
    assert "圆点：每年发放" in legend
    assert "实心：定额" not in legend


def test_the_scale_ends_on_a_round_amount_with_labelled_gridlines(client, real_policy):
    svg = svg_of(page(client, "/"))
    ticks = re.findall(r'<text class="award-chart__tick"[^>]*>([^<]*)</text>', svg)
    assert ticks == ["0", "1000万元", "2000万元", "3000万元"]


def test_the_chart_groups_the_bars_under_their_measures(client, real_policy):
    svg = svg_of(page(client, "/"))
    headings = re.findall(r'<text class="award-chart__measure"[^>]*>([^<]*)</text>', svg)
    assert headings == ["第2条 加强高能级创新平台建设", "第3条 拓展科技交流合作平台", "第6条 培育发展高端科技服务业"]
    assert svg.index("第3条") < svg.index("一次性200万元") < svg.index("第6条")


def test_the_chart_is_an_accessible_image_with_a_title_and_a_description_in_words(client, real_policy):
    svg = svg_of(page(client, "/"))
    opening = svg[: svg.index(">")]
    assert 'role="img"' in opening
    assert 'aria-labelledby="chart-title chart-desc"' in opening
    assert '<title id="chart-title">《若干措施》各项奖补金额</title>' in svg
    desc = between(svg, '<desc id="chart-desc">', "</desc>")
    assert "共8项奖补金额" in desc
    assert "第2条 加强高能级创新平台建设：一次性3000万元奖励。" in desc
    assert "第6条 培育发展高端科技服务业：每年每家最高500万元奖励、最高3000万元补助。" in desc
    assert "刻度从0到3000万元" in desc
    assert "斜线横条为最高限额" in desc


def test_the_chart_scales_to_a_phone_and_keeps_its_text_legible(client, real_policy):
    svg = svg_of(page(client, "/"))
    opening = svg[: svg.index(">")]
    view_width = int(re.search(r'viewBox="0 0 (\d+) \d+"', opening)[1])
    assert 'width="100%"' in opening
    # About one unit per pixel on a 375 px phone (the page keeps 1rem of margin each side).
    assert 320 <= view_width <= 400
    sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
    assert sizes
    assert min(sizes) >= 12


def test_each_bar_names_its_recipient_in_a_tooltip(client, real_policy):
    svg = svg_of(page(client, "/"))
    assert "<title>最高3000万元补助，支持对象：企业自主建设的国家级制造业中试平台</title>" in svg


# The table


def test_the_data_table_lists_the_same_eight_amounts_under_their_measure_numbers(client, real_policy):
    html = page(client, "/")
    assert "<summary>查看数据表</summary>" in html
    table = table_of(html)
    assert '<caption id="award-chart-table-caption">各项奖补金额（与上图数据相同）</caption>' in table
    assert re.findall(r'<th scope="col" id="[^"]+">([^<]*)</th>', table) == ["金额", "方式", "支持对象"]
    groups = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", table, flags=re.S):
        heading = re.search(
            r'<th class="award-chart__table-measure" scope="rowgroup" colspan="3" id="[^"]+">'
            r'<a href="([^"]+)">([^<]*)</a>',
            body,
        )
        amounts = [
            text_of(a) for a in re.findall(r'<td class="award-chart__amount"[^>]*><a [^>]*>(.*?)</a></td>', body)
        ]
        groups.append((heading[1], heading[2], amounts))
    assert groups == [
        ("/policies/kjcx-2025/measures/2/", "第2条 加强高能级创新平台建设", ["一次性3000万元"]),
        (
            "/policies/kjcx-2025/measures/3/",
            "第3条 拓展科技交流合作平台",
            ["一次性200万元", "最高100万元", "最高50万元", "最高300万元", "最高1000万元"],
        ),
        ("/policies/kjcx-2025/measures/6/", "第6条 培育发展高端科技服务业", ["每年每家最高500万元", "最高3000万元"]),
    ]
    assert [amount for _url, _heading, amounts in groups for amount in amounts] == [
        label.split(" ")[0] for label in REAL_LABELS
    ]
    assert "企业自主建设的国家级制造业中试平台" in table


def test_each_cell_of_the_table_names_its_measure_and_its_column(client, real_policy):
    table = table_of(page(client, "/"))
    assert '<th scope="col" id="award-chart-amount">金额</th>' in table
    assert 'scope="rowgroup" colspan="3" id="award-chart-measure-6">' in table
    cells = re.findall(r'<td class="award-chart__amount" headers="([^"]+)">', table)
    assert len(cells) == 8 and cells[-1] == "award-chart-measure-6 award-chart-amount"


def test_each_amount_in_the_table_links_to_its_clause(client, real_policy):
    table = table_of(page(client, "/"))
    assert f'<a href="/policies/kjcx-2025/measures/2/#clause-2">{amount("一次性3000万元")}</a>' in table
    assert f'<a href="/policies/kjcx-2025/measures/3/#clause-1">{amount("最高1000万元")}</a>' in table


# Edge cases


def test_a_policy_without_awards_shows_no_chart(client, small_policy):
    Award.objects.filter(clause__measure__policy=small_policy).delete()
    html = page(client, "/policies/test-policy/")
    assert "award-chart" not in html
    assert "查看数据表" not in html


def test_a_recipient_with_markup_is_escaped_in_the_chart_and_the_table(client, small_policy):
    Award.objects.filter(clause__measure__policy=small_policy).update(recipient="<script>alert(1)</script>")
    html = page(client, "/policies/test-policy/")
    assert "<script>" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escaped in svg_of(html)
    assert escaped in table_of(html)


def test_a_measure_title_with_markup_is_escaped_in_the_chart(client, small_policy):
    Measure.objects.filter(policy=small_policy, number=1).update(title="<b>孵化</b>")
    html = page(client, "/policies/test-policy/")
    assert "<b>孵化</b>" not in html
    assert "&lt;b&gt;孵化&lt;/b&gt;" in svg_of(html)


def test_amounts_of_a_hundred_million_and_more_are_scaled_and_labelled_in_yi(client, small_policy):
    add_award(small_policy, 2, 120_000_000)
    svg = svg_of(page(client, "/policies/test-policy/"))
    assert "一次性1.2亿元 补助" in labels(svg)
    ticks = re.findall(r'<text class="award-chart__tick"[^>]*>([^<]*)</text>', svg)
    assert ticks == ["0", "5000万元", "1亿元", "1.5亿元"]
    widths = [width for _kind, width in bars(svg)]
    assert widths == [scaled(5_000_000, 150_000_000), scaled(120_000_000, 150_000_000)]


def test_the_chart_grows_with_the_data_without_more_queries(client, small_policy, django_assert_num_queries):
    add_more_data(small_policy)
    with django_assert_num_queries(POLICY_PAGE_QUERIES):
        html = page(client, "/policies/test-policy/")
    assert len(bars(svg_of(html))) == 7


# The geometry


def test_the_scale_step_is_one_two_or_five_times_a_power_of_ten_with_at_most_four_intervals():
    assert scale_step(30_000_000) == 10_000_000
    assert scale_step(5_000_000) == 2_000_000
    assert scale_step(120_000_000) == 50_000_000
    assert scale_step(4) == 1
    assert scale_step(5) == 2


def test_bar_lengths_are_computed_in_integers_and_rounded_half_up_to_hundredths():
    assert scaled(500_000, 30_000_000, 340) == Decimal("5.67")
    assert scaled(30_000_000, 30_000_000, 340) == Decimal("340")
    assert scaled(1, 8, 1) == Decimal("0.13")  # 0.125 rounds up
    assert scaled(0, 30_000_000) == 0
    assert scaled(5, 0) == 0


def test_no_awards_make_no_chart():
    assert award_chart([]) is None


@pytest.mark.usefixtures("empty_database")
def test_a_chart_of_zero_amounts_draws_empty_bars_without_failing(small_policy):
    Award.objects.update(amount_yuan=0)
    chart = award_chart(Award.objects.for_listing())
    assert [bar.width for bar in chart.bars] == [0]
    assert [tick.label for tick in chart.ticks] == ["0"]


def test_the_scale_is_labelled_in_the_interface_language(real_policy):
    with translation.override("en"):
        chart = award_chart(Award.objects.in_policy(real_policy).for_listing())
    # 'RMB 20 million' would run into 'RMB 30 million' at the end of the axis: its gridline stays unlabelled.
    assert [tick.label for tick in chart.ticks] == ["0", "RMB 10 million", "", "RMB 30 million"]


def test_every_gridline_is_labelled_when_the_labels_fit(real_policy):
    with translation.override("zh-hans"):
        chart = award_chart(Award.objects.in_policy(real_policy).for_listing())
    assert [tick.label for tick in chart.ticks] == ["0", "1000万元", "2000万元", "3000万元"]
