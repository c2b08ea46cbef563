"""Search that understands amounts: a term that reads as an amount finds the awards of that amount in any
notation (and highlights them however the clause writes them); a range in words filters by amount as the
award finder does; the page and the API say how the query was understood and link to the finder."""

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.domain.models import Award, Clause
from measures.search import query as search

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


def test_an_award_whose_phrase_was_edited_out_of_its_clause_no_longer_finds_it(client, small_policy):
    clause = Clause.objects.get(measure__policy=small_policy)
    assert links(search_page(client, "五百万")) == ["/policies/test-policy/measures/1/#clause-1"]
    clause.text = "支持孵化器建设。"
    clause.save()
    assert "找到 0 段" in search_page(client, "五百万")


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
    kinds = 1  # a query with words also looks for the recipient kinds they name; amounts alone do not
    counts = {}
    for query in ("孵化器", "三千万", "500万以上", "孵化器 500万以上", "孵化器 500万以上 三千万"):
        with CaptureQueriesContext(connection) as queries:
            search_page(client, query)
        counts[query] = len(queries)
    word = counts["孵化器"]
    assert counts == {
        "孵化器": word,
        "三千万": word - kinds + per_amount,
        "500万以上": word - kinds + per_amount,
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
        "finder_url",
    }


def test_the_english_page_says_the_same_in_english(client, real_policy):
    client.cookies["django_language"] = "en"
    html = search_page(client, "500万以上")
    assert "read as an amount: amount ≥ RMB 5 million" in html
    assert "See these amounts in the award finder" in html
