"""The award finder (/awards/) and its CSV export (/awards/export.csv), against the real policy.

The real policy's eight awards, in 万元: measure 2: 一次性3000; measure 3: 一次性200, 最高100, 最高50,
最高300, 最高1000; measure 6: 每年每家最高500, 最高3000 (measures 2–3 are pillar 1, measure 6 pillar 2).
"""

import csv
import io
import re

import pytest

from measures.domain.models import Award, Clause, Measure
from measures.public.exports import spreadsheet_safe
from measures.public.finder import facets
from tests.data import LARGEST_FIRST, add_award
from tests.html import amounts, between, page, result_items, text_of
from tests.query_budgets import CONTENT_REVISION_QUERIES, FINDER_TALLY_QUERIES

# Each after the content fingerprint that every public page reads first for its ETag (measures/public/page_cache/).
# The page of results and where to apply for them (去办理); its count and the facets' come from the tally.
FINDER_QUERIES = CONTENT_REVISION_QUERIES + FINDER_TALLY_QUERIES + 2
CSV_QUERIES = CONTENT_REVISION_QUERIES + 1  # the results
POLICY_CHECK_QUERIES = 1  # a `policy` parameter is looked up
POLICY_KINDS_QUERIES = 1  # the kinds of one policy's awards, counted by the database
# A `kind` parameter is looked up, and the policies of its awards counted by the database.
KIND_CHECK_QUERIES = 2


def clause_links(html):
    return [re.search(r'href="(/policies/[^"]+)"', item).group(1) for item in result_items(html)]


def csv_rows(response):
    """The CSV as a list of dicts keyed by the header; checks it starts with the BOM."""
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def small_clause(small_policy):
    return Clause.objects.get(measure__policy=small_policy, measure__number=1, position=1)


# Listing and filters


def test_the_finder_lists_all_eight_awards_largest_first(client, real_policy):
    html = page(client, "/awards/")
    assert amounts(html) == LARGEST_FIRST
    assert "共 8 项" in html


def test_a_minimum_of_1000_wan_finds_exactly_the_three_awards_of_1000_wan_and_more(client, real_policy):
    html = page(client, "/awards/?min=1000")
    assert amounts(html) == ["一次性3000万元", "最高3000万元", "最高1000万元"]
    assert "共 3 项" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("min=1000&max=1000", ["最高1000万元"]),
        ("min=500&max=500", ["每年每家最高500万元"]),
        ("min=50&max=100", ["最高100万元", "最高50万元"]),
        ("max=50", ["最高50万元"]),
        ("min=999.9999&max=1000.0001", ["最高1000万元"]),
    ],
)
def test_the_minimum_and_maximum_are_inclusive(client, real_policy, query, expected):
    assert amounts(page(client, f"/awards/?{query}")) == expected


def test_amounts_in_wan_may_have_decimals_down_to_one_yuan(client, small_policy, small_clause):
    add_award(small_clause, 2, 5_000, recipient="半万元的奖补")  # 0.5万元
    assert amounts(page(client, "/awards/?max=0.5")) == ["一次性最高0.5万元"]
    assert amounts(page(client, "/awards/?max=0.4999")) == []


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("under-100", ["最高50万元"]),
        ("100-500", ["最高300万元", "一次性200万元", "最高100万元"]),
        ("500-1000", ["每年每家最高500万元"]),
        ("1000-plus", ["一次性3000万元", "最高3000万元", "最高1000万元"]),
    ],
)
def test_each_amount_band_includes_its_lower_bound_and_excludes_its_upper(client, real_policy, band, expected):
    assert amounts(page(client, f"/awards/?band={band}")) == expected


def test_pillar_2_finds_only_the_two_awards_of_measure_6(client, real_policy):
    html = page(client, "/awards/?pillar=2")
    assert amounts(html) == ["最高3000万元", "每年每家最高500万元"]
    assert clause_links(html) == ["/policies/kjcx-2025/measures/6/#clause-1"] * 2


def test_yearly_recurrence_finds_the_500_wan_award(client, real_policy):
    assert amounts(page(client, "/awards/?recurrence=per_year")) == ["每年每家最高500万元"]


def test_an_exact_limit_finds_the_3000_and_200_wan_awards(client, real_policy):
    assert amounts(page(client, "/awards/?limit=exact")) == ["一次性3000万元", "一次性200万元"]


def test_filters_combine(client, real_policy):
    assert amounts(page(client, "/awards/?pillar=1&limit=ceiling&min=100")) == [
        "最高1000万元",
        "最高300万元",
        "最高100万元",
    ]


def test_the_policy_filter_keeps_one_policys_awards(client, real_policy, small_policy):
    assert amounts(page(client, "/awards/?policy=test-policy")) == ["每年每家最高500万元"]
    assert len(amounts(page(client, "/awards/?policy=kjcx-2025"))) == 8
    assert len(amounts(page(client, "/awards/"))) == 9


def test_results_can_be_sorted_by_amount_both_ways(client, real_policy):
    assert amounts(page(client, "/awards/?sort=-amount")) == LARGEST_FIRST
    ascending = amounts(page(client, "/awards/?sort=amount"))
    assert ascending[:3] == ["最高50万元", "最高100万元", "一次性200万元"]
    assert ascending[-3:] == ["最高1000万元", "一次性3000万元", "最高3000万元"]


def test_nothing_matching_says_so_and_offers_all_awards(client, real_policy):
    html = page(client, "/awards/?min=5000")
    assert result_items(html) == []
    assert "共 0 项" in html
    empty = between(html, 'class="finder-empty"', "</p>")
    assert "没有符合条件的奖补" in empty
    assert 'href="/awards/"' in empty


# What a result shows


def test_each_result_links_to_its_clause(client, real_policy):
    html = page(client, "/awards/")
    assert clause_links(html) == [
        "/policies/kjcx-2025/measures/2/#clause-2",
        "/policies/kjcx-2025/measures/6/#clause-1",
        "/policies/kjcx-2025/measures/3/#clause-1",
        "/policies/kjcx-2025/measures/6/#clause-1",
        "/policies/kjcx-2025/measures/3/#clause-1",
        "/policies/kjcx-2025/measures/3/#clause-1",
        "/policies/kjcx-2025/measures/3/#clause-1",
        "/policies/kjcx-2025/measures/3/#clause-1",
    ]
    assert '<a href="/policies/kjcx-2025/measures/2/#clause-2">第2条 加强高能级创新平台建设</a>' in html


def test_a_result_shows_its_nature_recipient_and_condition(client, real_policy):
    (result,) = result_items(page(client, "/awards/?min=3000&limit=exact"))
    assert "一次性3000万元" in text_of(result)
    assert "奖励" in result
    assert "全国重点实验室、国家工程研究中心、国家技术创新中心、国家制造业创新中心等国家级创新平台" in result
    assert "新获批建设（含重组入列）" in result


def test_content_is_escaped_in_the_results(client, small_policy):
    Award.objects.update(recipient="<script>alert(1)</script>")
    html = page(client, "/awards/")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# The form and the facets


def test_the_form_has_labelled_amount_inputs_and_a_submit_button(client, real_policy):
    form = between(page(client, "/awards/?min=100&max=500"), '<form method="get"', "</form>")
    assert 'class="finder-form"' in form
    assert '<label for="id_min">' in form
    assert '<label for="id_max">' in form
    assert 'id="id_min" value="100"' in form
    assert 'id="id_max" value="500"' in form
    assert ">筛选</button>" in form


def test_the_form_keeps_the_facets_chosen_by_links(client, real_policy):
    form = between(page(client, "/awards/?band=1000-plus&pillar=1"), '<form method="get"', "</form>")
    assert '<input type="hidden" name="band" value="1000-plus">' in form
    assert '<input type="hidden" name="pillar" value="1">' in form


def test_facets_count_each_option_with_the_other_filters_applied(client, real_policy):
    html = page(client, "/awards/")
    bands = between(html, 'class="facet facet--band"', "</ul>")
    for label, count in [("100万元以下", 1), ("100–500万元", 3), ("500–1000万元", 1), ("1000万元及以上", 3)]:
        assert f"{label} ({count})" in bands
    assert '<a class="chip" href="/awards/?band=1000-plus">1000万元及以上 (3)</a>' in bands
    pillars = between(html, 'class="facet facet--pillar"', "</ul>")
    assert "一、提升科技与产业协同创新平台功能 (6)" in pillars
    assert "二、深化科技管理服务创新 (2)" in pillars
    recurrence = between(html, 'class="facet facet--recurrence"', "</ul>")
    assert "一次性 (2)" in recurrence
    assert "每年 (1)" in recurrence
    limit = between(html, 'class="facet facet--limit"', "</ul>")
    assert "定额 (2)" in limit
    assert "最高限额 (6)" in limit


def test_with_a_band_chosen_the_band_facet_still_counts_the_other_bands(client, real_policy):
    html = page(client, "/awards/?band=1000-plus")
    bands = between(html, 'class="facet facet--band"', "</ul>")
    assert '<a class="chip" href="/awards/?band=under-100">100万元以下 (1)</a>' in bands
    assert '<a class="chip" href="/awards/?band=100-500">100–500万元 (3)</a>' in bands
    assert 'aria-current="true">1000万元及以上 (3)</a>' in bands
    assert '<a class="chip" href="/awards/">不限 (8)</a>' in bands
    # The other facets count within the chosen band.
    pillars = between(html, 'class="facet facet--pillar"', "</ul>")
    assert "一、提升科技与产业协同创新平台功能 (2)" in pillars
    assert "二、深化科技管理服务创新 (1)" in pillars


def test_the_policy_facet_lists_the_largest_policies_and_the_rest_are_searched_on_a_page_of_their_own(
    client, real_policy, small_policy, monkeypatch
):
    monkeypatch.setattr(facets, "POLICIES_SHOWN", 1)
    policies = between(page(client, "/awards/?min=1&sort=amount"), 'class="facet facet--policy"', "</details>")
    # 9 awards: the real policy's 8 (the one listed) and the small policy's 1.
    assert (
        '<a class="chip chip--selected" href="/awards/?min=1&amp;sort=amount" aria-current="true">不限 (9)</a>'
        in policies
    )
    assert "《若干措施》 (8)" in policies
    assert "测试政策" not in policies
    assert '<input type="hidden" name="min" value="1">' in policies  # the search keeps the question
    assert '<a href="/awards/policies/?min=1&amp;sort=amount">全部政策</a>' in policies

    every = page(client, "/awards/policies/?min=1&sort=amount")
    # The full titles: short ones may repeat.
    assert (
        f'<a href="/awards/?min=1&amp;sort=amount&amp;policy=kjcx-2025">《{real_policy.title}》</a>'
        ' <span class="policy-choices__count">8 项奖补</span>'
    ) in every
    assert '<a href="/awards/?min=1&amp;sort=amount&amp;policy=test-policy">《测试政策》</a>' in every
    assert '<span class="policy-choices__count">1 项奖补</span>' in every
    assert '<a href="/awards/?min=1&amp;sort=amount">不限政策</a>' in every

    found = page(client, "/awards/policies/?min=1&sort=amount&q=测试")
    assert "policy=test-policy" in found and "policy=kjcx-2025" not in found
    assert "共 1 项政策" in found
    nothing = page(client, "/awards/policies/?q=没有这样的政策")
    assert "没有名称含“没有这样的政策”且录入了相符奖补的政策。" in nothing
    assert '<a href="/awards/policies/">列出全部政策</a>' in nothing
    # Only the policies with a matching award: the small policy's is 500万元.
    assert "test-policy" not in page(client, "/awards/policies/?min=1000")


def test_the_policy_list_names_a_wrong_filter_and_lists_nothing(client, real_policy):
    html = page(client, "/awards/policies/?min=abc&q=%00", status=400)
    assert "最低金额必须是数字" in html
    assert "policy=kjcx-2025" not in html


def test_a_facet_link_keeps_the_rest_of_the_query(client, real_policy):
    bands = between(page(client, "/awards/?pillar=1&sort=amount"), 'class="facet facet--band"', "</ul>")
    assert 'href="/awards/?pillar=1&amp;sort=amount&amp;band=1000-plus">1000万元及以上 (2)</a>' in bands
    assert "500–1000万元 (0)" in bands  # measure 6's 500万元 is pillar 2


def test_a_chosen_option_without_results_is_still_shown_as_chosen(client, real_policy):
    pillars = between(page(client, "/awards/?pillar=3"), 'class="facet facet--pillar"', "</ul>")
    assert 'aria-current="true">三 (0)</a>' in pillars


def test_the_home_page_leads_to_every_award_of_1000_wan_and_more_in_one_tap(client, real_policy):
    figures = between(page(client, "/"), 'class="figures"', "</section>")
    link = re.search(r'<a href="([^"]+)">1000万元及以上的奖补 →</a>', figures).group(1)
    assert link == "/awards/?band=1000-plus"
    assert amounts(page(client, link)) == ["一次性3000万元", "最高3000万元", "最高1000万元"]


def test_the_export_link_carries_the_same_query(client, real_policy):
    html = page(client, "/awards/?band=1000-plus&sort=amount")
    assert 'href="/awards/export.csv?band=1000-plus&amp;sort=amount"' in html
    assert ">导出CSV</a>" in html


# Bad input


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("min=abc", "最低金额必须是数字（万元）"),
        ("max=abc", "最高金额必须是数字（万元）"),
        ("min=2000&max=1000", "最低金额不能大于最高金额"),
        ("min=-5", "金额不能为负数"),
        ("max=-0.5", "金额不能为负数"),
        ("min=0.00001", "最多保留四位小数"),
        ("min=1e999999999", "最低金额太大"),
        ("min=NaN", "最低金额必须是数字（万元）"),
        ("band=bogus", "金额区间无效"),
        ("sort=bogus", "排序无效"),
        ("pillar=abc", "方面无效"),
        ("pillar=0", "方面无效"),
        ("recurrence=sometimes", "发放频次无效"),
        ("limit=maybe", "金额性质无效"),
        ("policy=no-such-policy", "政策无效"),
        ("policy=a%00b", "政策无效"),
    ],
)
def test_a_bad_parameter_is_explained_on_the_page_with_no_results(client, real_policy, query, message):
    html = page(client, f"/awards/?{query}")
    alert = between(html, 'role="alert"', "</div>")
    assert message in alert
    assert "条件有误时不列出结果" in alert
    assert result_items(html) == []
    assert 'class="finder-form"' in html
    assert ">导出CSV<" not in html


def test_every_bad_parameter_is_listed_and_the_typed_values_are_kept(client, real_policy):
    html = page(client, "/awards/?min=abc&max=-5&band=bogus")
    alert = between(html, 'role="alert"', "</div>")
    assert alert.count("<li>") == 3
    assert 'id="id_min" value="abc"' in html
    assert 'aria-invalid="true"' in between(html, 'id="id_min"', ">")


def test_a_bad_value_is_escaped_in_the_message(client, real_policy):
    html = page(client, "/awards/?band=%3Cscript%3E")
    assert "<script>" not in html
    assert "“&lt;script&gt;”" in html


# CSV export


def test_the_csv_is_an_excel_friendly_utf8_attachment(client, real_policy):
    response = client.get("/awards/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="xmpolicy-finder.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == (
        "金额编号,政策,方面,措施编号,措施标题,段落,金额（元）,金额（万元）,金额表述,定额/最高,频次,每家,"
        "资助方式,支持对象,条件,计算依据,原文表述,条款链接"
    )


def test_a_csv_row_holds_the_awards_details_in_chinese(client, real_policy):
    rows = csv_rows(client.get("/awards/export.csv?recurrence=per_year"))
    assert rows == [
        {
            # The award's id, as in the bulk download (/downloads/awards.csv), so that the two join.
            "金额编号": str(Award.objects.published().get(recurrence=Award.Recurrence.PER_YEAR).pk),
            "政策": "关于深化拓展科技创新引领工程 推动科技创新和产业创新深度融合的若干措施",
            "方面": "2 深化科技管理服务创新",
            "措施编号": "6",
            "措施标题": "培育发展高端科技服务业",
            "段落": "1",
            "金额（元）": "5000000",
            "金额（万元）": "500",
            "金额表述": "每年每家最高500万元",
            "定额/最高": "最高限额",
            "频次": "每年",
            "每家": "是",
            "资助方式": "奖励",
            "支持对象": "科技型企业孵化器、加速器等",
            "条件": "建设",
            "计算依据": "",
            "原文表述": "给予每年每家最高500万元奖励",
            "条款链接": "http://testserver/policies/kjcx-2025/measures/6/#clause-1",
        }
    ]


@pytest.mark.parametrize(
    "query", ["", "min=1000", "band=100-500&sort=amount", "pillar=2", "limit=exact&recurrence=once", "min=5000"]
)
def test_the_csv_holds_exactly_the_pages_results_in_the_same_order(client, real_policy, query):
    html = page(client, f"/awards/?{query}")
    rows = csv_rows(client.get(f"/awards/export.csv?{query}"))
    assert [row["金额表述"] for row in rows] == amounts(html)
    assert [row["条款链接"] for row in rows] == [f"http://testserver{link}" for link in clause_links(html)]


@pytest.mark.usefixtures("empty_database")
def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(client, small_policy, small_clause):
    add_award(
        small_clause,
        2,
        1_000_000,
        recipient='=HYPERLINK("http://evil.example","点击")',
        condition="+1+1",
        basis="-2",
        source_phrase="@SUM(A1)",
    )
    (row,) = csv_rows(client.get("/awards/export.csv?max=100"))
    assert row["支持对象"] == '\'=HYPERLINK("http://evil.example","点击")'
    assert row["条件"] == "'+1+1"
    assert row["计算依据"] == "'-2"
    assert row["原文表述"] == "'@SUM(A1)"
    assert row["金额（元）"] == "1000000"


def test_only_text_that_starts_like_a_formula_is_changed():
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("\t=1") == "'\t=1"
    assert spreadsheet_safe("企业=1") == "企业=1"
    assert spreadsheet_safe(5000000) == 5000000
    assert spreadsheet_safe("") == ""


@pytest.mark.parametrize(
    "cell", ["＝1+1", "＋1", "－1", "＠SUM(A1)", " =1+1", "\u200b=1+1", "\ufeff@x", "\n-1", "\u3000＝1"]
)
def test_full_width_and_hidden_formula_starts_are_neutralised_like_the_ascii_ones(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["企业＝1", "a-b", "１２３", "\u200b企业"])
def test_text_with_a_formula_sign_inside_is_left_alone(cell):
    assert spreadsheet_safe(cell) == cell


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("min=abc", ["min", "最低金额必须是数字（万元）"]),
        ("min=9&max=1", ["min", "最低金额不能大于最高金额"]),
        ("band=bogus", ["band", "金额区间无效"]),
        ("sort=up", ["sort", "排序无效"]),
    ],
)
def test_a_bad_filter_on_the_csv_is_a_400_naming_the_parameter(client, real_policy, query, names):
    response = client.get(f"/awards/export.csv?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    for name in names:
        assert name in text


# Query budgets


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/awards/", FINDER_QUERIES),
        ("/awards/?min=100&max=3000&band=100-500&pillar=1&recurrence=once&limit=exact&sort=amount", FINDER_QUERIES),
        ("/awards/?policy=kjcx-2025", FINDER_QUERIES + POLICY_CHECK_QUERIES + POLICY_KINDS_QUERIES),
        ("/awards/?kind=accelerator", FINDER_QUERIES + KIND_CHECK_QUERIES),
        ("/awards/?min=abc", CONTENT_REVISION_QUERIES),
        ("/awards/export.csv", CSV_QUERIES),
        ("/awards/export.csv?policy=kjcx-2025&band=1000-plus", CSV_QUERIES + POLICY_CHECK_QUERIES),
    ],
)
def test_the_finder_runs_a_fixed_number_of_queries(client, real_policy, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        client.get(url)


@pytest.mark.parametrize(("url", "queries"), [("/awards/", FINDER_QUERIES), ("/awards/export.csv", CSV_QUERIES)])
def test_the_number_of_queries_does_not_grow_with_the_awards(
    client, small_policy, small_clause, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        client.get(url)
    second_measure = Measure.objects.get(policy=small_policy, number=3)
    other_clause = Clause.objects.create(
        measure=second_measure,
        position=1,
        text="另一段",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/full-text",
    )
    for position in range(2, 12):
        add_award(small_clause, position, 1_000_000 * position)
        add_award(other_clause, position, 2_000_000 * position, recurrence=Award.Recurrence.PER_YEAR)
    with django_assert_num_queries(queries):
        response = client.get(url)
    # Each award links to its clause: once in the file, twice on the page (its place, and its amount's source).
    links = response.content.decode("utf-8-sig").count("/policies/test-policy/measures/")
    assert links == (21 if url.endswith(".csv") else 2 * 21)


# Pages of results


@pytest.fixture
def sixty_awards(small_clause):
    """The small policy's award plus 59 more, of 1 to 59万元: 60 awards, two pages of results."""
    for position in range(2, 61):
        add_award(small_clause, position, 10_000 * (position - 1))


@pytest.mark.usefixtures("empty_database")
def test_results_beyond_fifty_are_on_a_second_page(client, sixty_awards):
    first = page(client, "/awards/?sort=amount")
    assert len(result_items(first)) == 50
    assert "共 60 项" in first
    assert amounts(first)[:2] == ["一次性最高1万元", "一次性最高2万元"]
    assert 'rel="next" href="/awards/?sort=amount&amp;page=2"' in first
    second = page(client, "/awards/?sort=amount&page=2")
    assert len(result_items(second)) == 10
    assert '<ol class="finder-results" start="51">' in second
    assert 'rel="prev" href="/awards/?sort=amount&amp;page=1"' in second


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize(("page_param", "expected_count"), [("abc", 50), ("99", 10), ("-1", 10)])
def test_a_page_number_that_is_not_there_shows_the_nearest_page(client, sixty_awards, page_param, expected_count):
    assert len(result_items(page(client, f"/awards/?page={page_param}"))) == expected_count


def test_choosing_a_facet_starts_again_from_the_first_page(client, sixty_awards):
    html = page(client, "/awards/?page=2")
    assert 'href="/awards/?band=under-100"' in html
    assert "page=2&amp;band" not in html


def test_the_csv_holds_every_result_not_just_one_page(client, sixty_awards):
    response = client.get("/awards/export.csv?page=2")
    assert response.content.decode("utf-8-sig").count("/policies/test-policy/measures/") == 60
