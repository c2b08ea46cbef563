"""Search that understands amounts: a term that reads as an amount finds the awards of that amount in any
notation (and highlights them however the clause writes them); a range in words filters by amount as the
award finder does; the page and the API say how the query was understood and link to the finder."""

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from measures.domain.models import Award, Clause
from measures.search import query as search
from tests.query_budgets import SEARCH_QUESTIONS_QUERIES

RESULT_LINK = re.compile(r'<h3 class="search-result__title"><a href="([^"]+)"')
MEASURE_2_NEWS = "/policies/kjcx-2025/measures/2/#clause-2"
MEASURE_3 = "/policies/kjcx-2025/measures/3/#clause-1"
MEASURE_6 = "/policies/kjcx-2025/measures/6/#clause-1"


def search_page(client, query):
    response = client.get("/search/?q=" + quote(query))
    assert response.status_code == 200
    return response.content.decode()


def links(html):
    return RESULT_LINK.findall(html)


@pytest.mark.parametrize(
    "written", ["三千万", "3000万", "3千万元", "0.3亿", "叁仟万", "30000000元", "3,000万元", "三千万元"]
)
def test_an_amount_in_any_notation_finds_the_two_3000_wan_awards_clauses(client, real_policy, written):
    html = search_page(client, written)
    assert "找到 2 段" in html
    assert links(html) == [MEASURE_2_NEWS, MEASURE_6]
    # The clause's own wording is marked, though the query wrote it differently.
    assert "给予一次性<mark>3000万元</mark>奖励" in html
    assert "最高<mark>3000万元</mark>补助" in html


def test_the_page_says_how_an_amount_was_understood_and_links_to_the_finder(client, real_policy):
    html = search_page(client, "三千万")
    assert "“三千万”按金额理解：金额 = 3000万元" in html
    assert 'href="/awards/?min=3000&amp;max=3000"' in html
    finder = client.get("/awards/", {"min": "3000", "max": "3000"}).content.decode()
    assert finder.count('<li class="award-result">') == 2


@pytest.mark.parametrize(
    ("written", "understood", "finder", "found"),
    [
        ("500万以上", "金额 ≥ 500万元", "/awards/?min=500", [MEASURE_2_NEWS, MEASURE_3, MEASURE_6]),
        ("不低于1000万", "金额 ≥ 1000万元", "/awards/?min=1000", [MEASURE_2_NEWS, MEASURE_3, MEASURE_6]),
        ("100万到300万", "金额 100万元 – 300万元", "/awards/?min=100&amp;max=300", [MEASURE_3]),
        ("300万以内", "金额 ≤ 300万元", "/awards/?max=300", [MEASURE_3]),
        ("三千万以上", "金额 ≥ 3000万元", "/awards/?min=3000", [MEASURE_2_NEWS, MEASURE_6]),
        ("1亿以上", "金额 ≥ 1亿元", "/awards/?min=10000", []),
    ],
)
def test_a_range_in_words_filters_by_amount_inclusively_as_the_finder_does(
    client, real_policy, written, understood, finder, found
):
    html = search_page(client, written)
    assert f"“{written}”按金额理解：{understood}" in html
    assert f'href="{finder}"' in html
    assert links(html) == found


def test_a_range_keeps_exactly_the_clauses_of_the_finders_awards(client, real_policy):
    for low in (50, 100, 300, 500, 1000, 3000):
        expected = {
            (award.clause.measure.number, award.clause.position)
            for award in Award.objects.published()
            .filter(amount_yuan__gte=low * 10_000)
            .select_related("clause__measure")
        }
        hits = client.get("/api/v1/search/", {"q": f"{low}万以上"}).json()["results"]
        assert {(hit["measure"], hit["position"]) for hit in hits} == expected, low


def test_words_and_a_range_both_apply(client, real_policy):
    assert links(search_page(client, "孵化器 500万以上")) == [MEASURE_6]  # measure 1's 孵化器 has no award
    assert links(search_page(client, "金砖 500万以上")) == [MEASURE_3]
    assert "找到 0 段" in search_page(client, "中试 1000万以上 100万以内")


def test_an_amount_in_a_range_is_marked_in_the_snippet(client, real_policy):
    html = search_page(client, "金砖 100万到300万")
    assert "<mark>金砖</mark>" in html
    # 200万元 and 100万元 are in the range and marked; 50万元 beside them is not.
    assert "一次性<mark>200万元</mark>奖励" in html
    assert "不超过<mark>100万元</mark>、50万元奖励" in html


def test_a_draft_award_is_never_found_by_its_amount(client, real_policy):
    Award.objects.filter(source_phrase="按设备投入情况给予最高3000万元补助").update(status="draft")
    assert links(search_page(client, "三千万")) == [MEASURE_2_NEWS]


@pytest.mark.usefixtures("empty_database")
def test_an_award_whose_phrase_was_edited_out_of_its_clause_no_longer_finds_it(client, small_policy):
    clause = Clause.objects.get(measure__policy=small_policy)
    assert links(search_page(client, "五百万")) == ["/policies/test-policy/measures/1/#clause-1"]
    clause.text = "支持孵化器建设。"
    clause.save()
    assert "找到 0 段" in search_page(client, "五百万")


@pytest.mark.usefixtures("empty_database")
def test_an_award_whose_amount_is_changed_is_found_by_its_new_amount_at_once(client, small_policy):
    # On PostgreSQL through the index: each amount is a token of the clause's search row, rewritten by the
    # awards' trigger (migration 0015).
    clause_link = ["/policies/test-policy/measures/1/#clause-1"]
    assert links(search_page(client, "500万以上")) == clause_link
    Award.objects.filter(clause__measure__policy=small_policy).update(amount_yuan=6_000_000)
    assert links(search_page(client, "550万以上")) == clause_link
    assert links(search_page(client, "六百万")) == clause_link  # its source phrase (最高500万元) is still in the text
    assert "找到 0 段" in search_page(client, "五百万")
    assert "找到 0 段" in search_page(client, "100万到550万")


def test_terms_that_are_not_amounts_search_as_written(client, real_policy):
    assert search.parse_query("3000 孵化器 万元").amounts == ()
    html = search_page(client, "3000")
    assert links(html) == [MEASURE_2_NEWS, MEASURE_6]
    assert "按金额理解" not in html
    assert "<mark>3000</mark>万元" in html


def test_an_amount_search_costs_a_fixed_number_of_queries_whatever_the_data(client, real_policy):
    # SQLite: the ids of the clauses with such awards are read first, one query per amount
    # (measures/search/query.py says why). PostgreSQL: each amount is a token of the search's own table,
    # counted in the query that chooses the plan (measures/search/table.py): no query more.
    per_amount = 0 if connection.vendor == "postgresql" else 1
    # A query with words also reads the synonyms and aliases that widen them, and looks for the recipient
    # kinds, the related documents and the 政策问答 they name; amounts alone do none of these.
    words_only = 3 + SEARCH_QUESTIONS_QUERIES
    counts = {}
    for query in ("孵化器", "三千万", "500万以上", "孵化器 500万以上", "孵化器 500万以上 三千万"):
        with CaptureQueriesContext(connection) as queries:
            search_page(client, query)
        counts[query] = len(queries)
    word = counts["孵化器"]
    assert counts == {
        "孵化器": word,
        "三千万": word - words_only + per_amount,
        "500万以上": word - words_only + per_amount,
        "孵化器 500万以上": word + per_amount,
        "孵化器 500万以上 三千万": word + 2 * per_amount,
    }


def test_the_api_finds_the_same_and_says_how_it_understood_the_amounts(client, real_policy):
    body = client.get("/api/v1/search/", {"q": "叁仟万"}).json()
    assert [(hit["measure"], hit["position"]) for hit in body["results"]] == [(2, 2), (6, 1)]
    assert "3000万元" in body["results"][0]["snippet"]
    assert body["amounts"] == [
        {
            "term": "叁仟万",
            "min_yuan": 30_000_000,
            "max_yuan": 30_000_000,
            "exact": True,
            "description": "金额 = 3000万元",
            "beyond_any_award": False,
            "finder_url": "http://testserver/awards/?min=3000&max=3000",
        }
    ]
    ranged = client.get("/api/v1/search/", {"q": "孵化器 500万以上"}).json()
    assert [(hit["measure"], hit["position"]) for hit in ranged["results"]] == [(6, 1)]
    assert ranged["amounts"][0]["min_yuan"] == 5_000_000 and ranged["amounts"][0]["max_yuan"] is None
    assert client.get("/api/v1/search/", {"q": "孵化器"}).json()["amounts"] == []


def test_the_api_schema_documents_the_amounts(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    response = schema["paths"]["/api/v1/search/"]["get"]["responses"]["200"]["content"]["application/json"]
    name = response["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][name]["properties"]
    assert set(properties["amounts"]["items"]["properties"]) == {
        "term",
        "min_yuan",
        "max_yuan",
        "exact",
        "description",
        "beyond_any_award",
        "finder_url",
    }
    assert properties["amounts"]["items"]["properties"]["finder_url"]["nullable"] is True


def test_the_english_page_says_the_same_in_english(client, real_policy):
    client.cookies["django_language"] = "en"
    html = search_page(client, "500万以上")
    assert "read as an amount: amount ≥ RMB 5 million" in html
    assert "See these amounts in the award finder" in html


# --- amounts however large (GitHub issue 25, item 8) ----------------------------------------------

HUGE = ["10000000000000000000000000000万", "1000000000000000000000000000000000元", "9999999999999999999999999万亿"]


@pytest.mark.parametrize("written", HUGE)
def test_an_amount_beyond_any_award_is_explained_not_a_server_error(client, real_policy, written):
    html = search_page(client, written)
    assert f"“{written}”按金额理解：金额 = " in html
    assert "超出任何奖补（奖补查询以10000亿元为限）" in html
    assert "在奖补查询中查看这些金额" not in html  # the finder would answer nothing but an error
    assert "没有找到" in html


@pytest.mark.parametrize("written", HUGE)
def test_the_api_says_an_amount_is_beyond_any_award(client, real_policy, written):
    response = client.get("/api/v1/search/", {"q": written})
    assert response.status_code == 200
    (amount,) = response.json()["amounts"]
    assert amount["beyond_any_award"] is True and amount["finder_url"] is None
    assert amount["min_yuan"] == amount["max_yuan"] >= 10**32
    assert response.json()["count"] == 0


def test_an_amount_is_read_exactly_whatever_its_length(client, real_policy):
    # 28 significant digits is all Decimal keeps by default: one more and the amount would read rounded.
    written = "1234567890123456789012345678901234元"
    (amount,) = client.get("/api/v1/search/", {"q": written}).json()["amounts"]
    assert amount["min_yuan"] == 1234567890123456789012345678901234
    assert "金额 = 12345678901234567890123456.78901234亿元" in search_page(client, written)


def test_a_range_open_beyond_any_award_links_to_the_finder_without_that_end(client, real_policy):
    html = search_page(client, "1万到99999999999999999999999999万")
    assert links(html) == [MEASURE_2_NEWS, MEASURE_3, MEASURE_6]
    assert 'href="/awards/?min=1"' in html
    assert client.get("/awards/", {"min": "1"}).status_code == 200
    assert "超出任何奖补" not in html
    at_most = client.get("/api/v1/search/", {"q": "不超过9999999999999999999999万"}).json()
    assert at_most["count"] == 3 and at_most["amounts"][0]["finder_url"] == "http://testserver/awards/?"


# Numerals of any length in every notation the money reader knows, with every unit, alone, mixed or as
# a range: whatever reads as an amount, the page and the API answer it (200), or name the problem (400).
ARABIC = st.text("0123456789", min_size=1, max_size=60)
GROUPED = st.lists(st.text("0123456789", min_size=3, max_size=3), min_size=1, max_size=12).map(
    lambda groups: "1," + ",".join(groups)
)
CHINESE = st.text("零〇一二两三四五六七八九十百千万亿点", min_size=1, max_size=40)
CAPITAL = st.text("零壹贰叁肆伍陆柒捌玖拾佰仟万亿", min_size=1, max_size=40)
MIXED = st.lists(st.one_of(ARABIC, CHINESE, CAPITAL, st.just(".5")), min_size=1, max_size=4).map("".join)
UNITS = st.sampled_from(["元", "万", "万元", "亿", "亿元", "万亿", "万亿元", " 元", ""])
AMOUNT = st.builds(lambda numeral, unit: numeral + unit, st.one_of(ARABIC, GROUPED, CHINESE, CAPITAL, MIXED), UNITS)
RANGE = st.one_of(
    st.builds(lambda word, amount: word + amount, st.sampled_from(["不超过", "超过", "不低于", "低于", "¥"]), AMOUNT),
    st.builds(lambda amount, word: amount + word, AMOUNT, st.sampled_from(["以上", "以下", "以内"])),
    st.builds(lambda low, high: f"{low}到{high}", AMOUNT, AMOUNT),
)
AMOUNT_QUERY = st.lists(st.one_of(AMOUNT, RANGE), min_size=1, max_size=3).map(" ".join)
AMOUNT_FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,  # derandomized: nothing to remember between runs
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.fuzz
def test_any_amount_however_written_answers_the_page_and_the_api(client, real_policy):
    @AMOUNT_FUZZ
    @given(AMOUNT_QUERY)
    @example(" ".join(HUGE))
    @example("9" * 99 + "万亿")
    @example("0.00000000000000000000000000001亿 不超过1." + "0" * 40 + "1万")
    def check(query):
        page = client.get("/search/", {"q": query})
        assert page.status_code in {200, 400}, (query, page.status_code)
        api = client.get("/api/v1/search/", {"q": query})
        assert api.status_code in {200, 400}, (query, api.status_code)
        assert api["Content-Type"].startswith("application/json"), query
        for amount in api.json().get("amounts", []):
            if amount["finder_url"] is not None:
                finder = amount["finder_url"].removeprefix("http://testserver")
                assert client.get(finder).status_code == 200, (query, finder)

    check()
