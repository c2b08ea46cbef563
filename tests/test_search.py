"""Search, /search/?q=: Chinese terms of two characters and more, several terms narrowing, ranked and
highlighted results, bad input answered calmly, and the same results as a plain substring scan on
every database (on PostgreSQL through the GIN index on the clauses' search tokens)."""

import importlib
import random
import re
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from measures.domain.models import Award, Clause, Measure
from measures.search import query as search
from measures.search import table as search_table
from measures.search.synonyms import SearchSynonym
from measures.text import tokens
from tests.data import naive_scan
from tests.html import page
from tests.query_budgets import CONTENT_REVISION_QUERIES, SEARCH_QUESTIONS_QUERIES

# After the content fingerprint that every public page reads first for its ETag (measures/public/page_cache/):
# the synonyms and kinds' aliases that widen the words (measures/search/widening.py); the matches, then the
# clauses shown; on PostgreSQL first the token counts that choose the plan (measures/search/table.py);
# then the recipient kinds and the related documents the words name, and the 政策问答 holding them.
RESULTS_PAGE_QUERIES = (
    CONTENT_REVISION_QUERIES + 1 + 2 + (connection.vendor == "postgresql") + 2 + SEARCH_QUESTIONS_QUERIES
)
# Nothing found: no clause to read, but the suggestions' kinds and the count of the words they offer.
EMPTY_RESULTS_PAGE_QUERIES = RESULTS_PAGE_QUERIES - 1 + 2

RESULT_LINK = re.compile(r'<h3 class="search-result__title"><a href="([^"]+)"')


def search_page(client, query, status=200):
    return page(client, "/search/?q=" + quote(query), status)


def result_links(html):
    """The links of the results, in the order shown."""
    return RESULT_LINK.findall(html)


def measure_link(number, position=1, slug="kjcx-2025"):
    return f"/policies/{slug}/measures/{number}/#clause-{position}"


def add_clause(measure, text, position=None, provenance=Clause.Provenance.POLICY_TEXT):
    position = position or (measure.clauses.count() + 1)
    return Clause.objects.create(
        measure=measure, position=position, text=text, provenance=provenance, source_url="https://example.org/test"
    )


# Finding Chinese terms


@pytest.mark.parametrize(("term", "number"), [("中试", 6), ("金砖", 3), ("苏颂", 5), ("概念验证", 6)])
def test_a_two_character_term_finds_the_one_clause_that_contains_it(client, real_policy, term, number):
    html = search_page(client, term)
    assert "找到 1 段" in html
    assert result_links(html) == [measure_link(number)]


def test_a_term_found_in_a_measure_title_and_in_a_clause_lists_both_measures_title_match_first(client, real_policy):
    # 孵化器 is in measure 1's title (超级孵化器) and in measure 6's text (企业孵化器).
    html = search_page(client, "孵化器")
    assert "找到 2 段" in html
    assert result_links(html) == [measure_link(1), measure_link(6)]


def test_several_terms_narrow_the_results_to_clauses_containing_every_one(client, real_policy):
    assert result_links(search_page(client, "孵化器 中试")) == [measure_link(6)]
    assert result_links(search_page(client, "孵化器　中试")) == [measure_link(6)]  # a full-width space
    assert "找到 0 段" in search_page(client, "金砖 中试")


@pytest.mark.usefixtures("empty_database")
def test_a_term_only_in_a_measure_title_finds_that_measures_clauses(client, small_policy):
    platform = Measure.objects.get(policy=small_policy, number=2)  # 平台建设
    add_clause(platform, "支持研发机构发展。", position=1)
    add_clause(platform, "具体办法另行制定。", position=2)
    html = search_page(client, "平台")
    assert result_links(html) == [measure_link(2, 1, "test-policy"), measure_link(2, 2, "test-policy")]
    assert "<mark>平台</mark>建设" in html


def test_latin_letters_match_whatever_their_case(client, small_policy):
    add_clause(Measure.objects.get(policy=small_policy, number=3), "推动AI与产业融合。")
    assert result_links(search_page(client, "ai")) == [measure_link(3, 1, "test-policy")]
    assert "<mark>AI</mark>" in search_page(client, "Ai")


def test_an_unknown_term_finds_nothing_and_the_page_suggests_what_to_try(client, real_policy):
    html = search_page(client, "量子引力")
    assert "找到 0 段" in html
    assert "没有找到包含“量子引力”的段落" in html
    assert 'class="search-results"' not in html


# Ranking


def test_clauses_are_ranked_by_occurrences_with_a_title_match_weighing_three(client, small_policy):
    # Ranked in the reverse of the policy's order, so that only the rank can explain the order.
    once = Clause.objects.get(measure__policy=small_policy, measure__number=1)
    once.text = "一个示范。"  # 1
    once.save()
    add_clause(Measure.objects.get(policy=small_policy, number=2), "示范、示范、再示范。", position=1)  # 3
    titled = Measure.objects.get(policy=small_policy, number=3)
    titled.title = "示范成果转化"
    titled.save()
    add_clause(titled, "给予奖励。", position=1)  # 3 for the title
    add_clause(titled, "给予示范奖励。", position=2)  # 3 for the title, 1 for the text
    assert result_links(search_page(client, "示范")) == [
        measure_link(3, 2, "test-policy"),
        measure_link(2, 1, "test-policy"),
        measure_link(3, 1, "test-policy"),
        measure_link(1, 1, "test-policy"),
    ]


def test_more_occurrences_rank_higher_and_ties_follow_the_order_of_the_policy(client, real_policy):
    # 平台: measure 2 (its title, 5 times in its second clause, twice in its first), then measures 3
    # (its title only) and 6 (3 times in its text), which tie.
    assert result_links(search_page(client, "平台")) == [
        measure_link(2, 2),
        measure_link(2, 1),
        measure_link(3, 1),
        measure_link(6, 1),
    ]
    results = search.find(search.parse_query("科技"), limit=100)
    assert len(results.clauses) > 3
    assert [clause.pk for clause in results.clauses] == naive_scan(["科技"])


# What a result shows


def test_a_result_shows_the_measure_title_provenance_and_a_snippet_with_every_term_marked(client, real_policy):
    html = search_page(client, "中试 孵化器")
    start = html.index('<li class="search-result">')
    result = html[start : html.index("</li>", start)]
    assert f'<a href="{measure_link(6)}">第6条 培育发展高端科技服务业</a>' in result
    assert "新闻摘要" in result
    snippet = result[result.index('class="search-result__snippet"') :]
    assert "<mark>中试</mark>" in snippet
    assert "<mark>孵化器</mark>" in snippet


def test_the_terms_are_marked_in_the_measure_title_too(client, real_policy):
    html = search_page(client, "孵化器")
    assert f'<a href="{measure_link(1)}">第1条 强化厦门科学城“超级<mark>孵化器</mark>”功能</a>' in html


def test_an_incomplete_policy_text_is_labelled_so(client, real_policy):
    html = search_page(client, "有组织科研")
    assert result_links(html) == [measure_link(2, 1)]
    assert '<span class="badge badge--policy_text">政策原文</span>' in html
    assert "内容不完整" in html


def test_the_snippet_is_a_window_around_the_first_term_of_a_long_clause():
    text = "甲" * 200 + "中试平台" + "乙" * 200
    snippet = search.highlight(text, ("中试",))
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "<mark>中试</mark>平台" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) == search.SNIPPET_WIDTH + 2


def test_highlighting_escapes_the_text_and_marks_every_term_and_case():
    assert (
        search.highlight("<b>孵化器</b>与中试、AI及ai", ("孵化器", "中试", "ai"))
        == "&lt;b&gt;<mark>孵化器</mark>&lt;/b&gt;与<mark>中试</mark>、<mark>AI</mark>及<mark>ai</mark>"
    )
    # The longer of two overlapping terms is marked whole.
    assert search.highlight("孵化器", ("孵化", "孵化器")) == "<mark>孵化器</mark>"
    assert search.highlight("<i>", ()) == "&lt;i&gt;"


def test_html_in_a_clause_is_escaped_in_the_results(client, small_policy):
    add_clause(Measure.objects.get(policy=small_policy, number=3), "<b>粗体</b><script>alert(1)</script>")
    html = search_page(client, "粗体")
    assert "&lt;b&gt;<mark>粗体</mark>&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_more_than_fifty_results_are_capped_and_the_page_says_so(client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=2)
    for position in range(1, 62):
        add_clause(measure, f"第{position}项重复条款。", position=position)
    html = search_page(client, "重复条款")
    assert "找到 61 段" in html
    assert html.count('<li class="search-result">') == search.RESULTS_SHOWN == 50
    assert "只列出最相关的 50 段" in html


# The page


def test_the_empty_search_page_invites_a_query_and_offers_example_terms_that_find_something(client, real_policy):
    html = page(client, "/search/")
    assert "<title>搜索 · 厦门科技创新政策库</title>" in html
    assert "找到" not in html
    assert 'class="search-results"' not in html
    examples = re.findall(r'<li><a href="(/search/\?q=[^"]+)">', html)
    assert len(examples) >= 3
    assert f'href="/search/?q={quote("中试")}"' in html
    for url in examples:
        assert result_links(page(client, url)), url


@pytest.mark.parametrize("query", ["", "   ", "\u3000"])
def test_an_empty_or_blank_query_shows_the_form_without_results(client, real_policy, query):
    html = search_page(client, query)
    assert "试试这些词" in html
    assert "找到" not in html


def test_the_form_has_a_labelled_box_that_keeps_the_query(client, real_policy):
    html = search_page(client, "孵化器 中试")
    assert '<label class="search-form__label" for="search-page-q">搜索关键词</label>' in html
    assert 'id="search-page-q" name="q" value="孵化器 中试"' in html
    assert 'action="/search/"' in html
    assert 'method="get"' in html


def test_the_search_form_partial_renders_on_its_own_for_the_site_header():
    html = render_to_string("measures/_search_form.html")
    assert 'action="/search/"' in html
    assert '<label class="search-form__label" for="site-search-q">搜索关键词</label>' in html
    assert 'id="site-search-q" name="q" value=""' in html


def test_a_results_page_has_its_own_title_and_description_and_asks_not_to_be_indexed(client, real_policy):
    response = client.get("/search/", {"q": "中试"})
    html = response.content.decode()
    assert "<title>搜索“中试” · 厦门科技创新政策库</title>" in html
    assert '<meta name="description" content="在厦门科技创新政策库的措施标题和条款中搜索“中试”的结果。">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "X-Robots-Tag" not in client.get("/search/")


# Bad input


def test_a_ten_thousand_character_query_is_cut_and_the_page_says_so(client, real_policy):
    html = search_page(client, "中试" * 5000)
    assert f"搜索词太长，只按前 {search.MAX_QUERY_LENGTH} 个字符搜索" in html
    assert f'value="{"中试" * (search.MAX_QUERY_LENGTH // 2)}"' in html
    assert "找到 0 段" in html


def test_a_query_with_too_many_terms_keeps_the_first_ones_and_says_so(client, real_policy):
    html = search_page(client, "孵化器 中试 " + " ".join(f"词{n}" for n in range(10)))
    assert f"搜索词太多，只按前 {search.MAX_TERMS} 个词搜索" in html
    assert "找到 0 段" in html
    assert "太长" not in html


@pytest.mark.parametrize("query", ["' OR 1=1 --", '" OR ""="', "1; DROP TABLE measures_clause; --", "\\", "\x00中试"])
def test_sql_fragments_and_odd_characters_are_searched_as_plain_text(client, real_policy, query):
    clauses = Clause.objects.count()
    html = search_page(client, query)
    if query.startswith("\x00"):
        assert result_links(html) == [measure_link(6)]
    else:
        assert "找到 0 段" in html
    assert Clause.objects.count() == clauses


def test_percent_underscore_and_backslash_match_only_themselves(client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=3)
    percent = add_clause(measure, "收入增长10%以上。", position=1)
    underscore = add_clause(measure, "代码 a_b。", position=2)
    backslash = add_clause(measure, "路径 C:\\data。", position=3)
    for query, clause in [("%", percent), ("10%", percent), ("_", underscore), ("a_b", underscore), ("\\", backslash)]:
        assert result_links(search_page(client, query)) == [measure_link(3, clause.position, "test-policy")], query
    assert "找到 0 段" in search_page(client, "1%0")
    assert "找到 0 段" in search_page(client, "a%b")


def test_a_script_query_is_escaped_everywhere_on_the_page(client, real_policy):
    html = search_page(client, "<script>alert(1)</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "找到 0 段" in html


# The correctness contract: the same results as a substring scan, on every database


@pytest.fixture
def varied_clauses(real_policy, small_policy):
    """The real policy, plus clauses made of its own characters shuffled with Latin letters of both
    cases, digits and LIKE's special characters, so that pairs and terms occur in many combinations."""
    rng = random.Random(2025)
    alphabet = sorted(set("".join(Clause.objects.values_list("text", flat=True)))) + list("AaIi%_\\0 ")
    measures = list(Measure.objects.filter(policy=small_policy))
    for measure in measures:
        for position in range(2, 42):
            add_clause(measure, "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 120))), position)
    return rng


SAMPLE_QUERIES = [
    "中试",
    "金砖",
    "苏颂",
    "孵化器",
    "孵化器 中试",
    "创新 平台",
    "科技 创新 平台 建设",
    "厦",
    "，",
    "“苏颂",
    "超级孵化器",
    "3000万元",
    "a",
    "AI",
    "%",
    "_",
    "\\",
    "i%",
    "测试政策",
    "不存在的词",
]


def test_search_finds_exactly_what_a_substring_scan_finds_ranked_the_same(varied_clauses):
    texts = list(Clause.objects.values_list("text", flat=True))
    queries = list(SAMPLE_QUERIES)
    for _ in range(60):  # random substrings of the clauses, alone and in pairs
        text = varied_clauses.choice(texts)
        start = varied_clauses.randrange(len(text))
        term = text[start : start + varied_clauses.randint(1, 4)].strip() or "创新"
        queries.append(term if len(queries) % 2 else f"{term} {varied_clauses.choice('科技创新平台')}")
    found_something = 0
    for query in queries:
        parsed = search.parse_query(query)
        results = search.find(parsed, limit=10_000)
        expected = naive_scan(parsed.terms)
        assert [clause.pk for clause in results.clauses] == expected, query
        assert results.total == len(expected), query
        found_something += bool(expected)
    assert found_something > len(queries) // 2


def test_a_term_is_always_among_the_tokens_of_a_text_containing_it():
    # The prefilter may let too much through but never too little: a term's tokens are a subset of
    # the tokens of any text containing it, whatever the case (ſ, ς and ı fold like the database).
    rng = random.Random(7)
    alphabet = "孵化器中试金砖AaBbſSσςΣıIi%_-— 0"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        start = rng.randrange(len(text))
        term = text[start : start + rng.randint(1, 6)]
        for variant in (term, term.upper(), term.lower()):
            assert set(tokens.query_tokens(variant)) <= set(tokens.tokens(text.swapcase())), (term, text)


def test_tokens_are_the_characters_and_overlapping_pairs_of_each_run_of_letters():
    assert tokens.tokens("孵化器 AI") == ["孵", "孵化", "化", "化器", "器", "a", "ai", "i"]
    assert tokens.query_tokens("孵化器") == ["孵化", "化器"]
    assert tokens.query_tokens("厦") == ["厦"]
    assert tokens.query_tokens("“苏颂”") == ["苏颂"]
    assert tokens.query_tokens("%") == []


# Keeping the tokens up to date


@pytest.mark.usefixtures("empty_database")
def test_a_clause_found_by_its_new_text_after_an_edit_not_by_its_old_one(client, small_policy):
    clause = Clause.objects.get(measure__policy=small_policy)
    clause.text = "支持概念验证中心建设。"
    clause.save()
    assert result_links(search_page(client, "概念验证")) == [measure_link(1, 1, "test-policy")]
    assert "找到 0 段" in search_page(client, "500万元")
    assert "概念" in Clause.objects.get(pk=clause.pk).search_tokens.split()


@pytest.mark.usefixtures("empty_database")
def test_a_measures_new_title_finds_its_clauses_after_an_edit(client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=2)  # 平台建设
    add_clause(measure, "支持研发机构发展。", position=1)
    measure.title = "科技企业加速器"
    measure.save()
    assert result_links(search_page(client, "加速器")) == [measure_link(2, 1, "test-policy")]
    assert "找到 0 段" in search_page(client, "平台")
    tokens = Clause.objects.get(measure=measure).search_tokens.split()
    assert "加速" in tokens
    assert "研发" in tokens  # still in the clause's text
    assert "平台" not in tokens  # in the old title only


def test_saving_a_measure_with_an_unchanged_title_leaves_its_clauses_alone(small_policy):
    measure = Measure.objects.get(policy=small_policy, number=1)
    measure.number = 4
    with CaptureQueriesContext(connection) as captured:
        measure.save()
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert writes and not [sql for sql in writes if "measures_clause" in sql]  # the measure's only


def test_a_clause_saved_with_update_fields_still_refreshes_its_tokens(small_policy):
    clause = Clause.objects.select_related("measure").get(measure__policy=small_policy)
    clause.text = "中试平台"
    clause.save(update_fields=["text"])
    assert Clause.objects.get(pk=clause.pk).search_tokens == tokens.clause_tokens("孵化器建设", "中试平台")


def test_the_loaded_policy_has_the_tokens_of_every_clause(real_policy):
    for clause in Clause.objects.select_related("measure"):
        assert clause.search_tokens == tokens.clause_tokens(clause.measure.title, clause.text)


def test_the_migration_fills_the_tokens_of_clauses_already_in_the_database(real_policy):
    Clause.objects.update(search_tokens="")
    migration = importlib.import_module("measures.migrations.0002_clause_search_tokens")
    migration.fill_tokens(apps, SimpleNamespace(connection=connection))
    for clause in Clause.objects.select_related("measure"):
        assert clause.search_tokens == tokens.clause_tokens(clause.measure.title, clause.text)


# Query budget


def test_a_search_runs_the_same_queries_however_many_results_and_none_without_a_query_besides_the_fingerprint(
    client, small_policy, django_assert_num_queries
):
    with django_assert_num_queries(CONTENT_REVISION_QUERIES):
        page(client, "/search/")
    with django_assert_num_queries(RESULTS_PAGE_QUERIES):
        search_page(client, "孵化器")
    measure = Measure.objects.get(policy=small_policy, number=2)
    for position in range(1, 61):
        add_clause(measure, f"孵化器第{position}段", position=position)
    with django_assert_num_queries(RESULTS_PAGE_QUERIES):
        assert "找到 60 段" in search_page(client, "孵化器 段")
    with django_assert_num_queries(EMPTY_RESULTS_PAGE_QUERIES):
        assert "找到 0 段" in search_page(client, "不存在的词")


# A term in too many clauses to rank


@pytest.fixture
def common_term(small_policy, monkeypatch):
    """孵化器 in 61 clauses, with only 5 ranked at most."""
    monkeypatch.setattr(search, "MAX_RANKED", 5)
    measure = Measure.objects.get(policy=small_policy, number=2)
    for position in range(1, 61):
        add_clause(measure, "孵化器" * (1 + position % 4) + f"第{position}段", position=position)
    return small_policy


@pytest.mark.usefixtures("empty_database")
def test_a_term_in_more_clauses_than_can_be_ranked_lists_them_in_the_policys_order_and_says_so(client, common_term):
    html = search_page(client, "孵化器")
    assert "找到超过 5 段" in html
    assert "太多而无法按相关程度排列" in html
    # Measure 1 (the fixture's clause) comes first, then measure 2's clauses by position.
    expected = ["/policies/test-policy/measures/1/#clause-1"] + [
        f"/policies/test-policy/measures/2/#clause-{position}" for position in range(1, 5)
    ]
    assert result_links(html) == expected


def test_capped_results_follow_the_policies_order_across_policies(client, common_term, real_policy):
    # The real policy (kjcx-2025) sorts before test-policy; its 孵化器 clauses were saved after them.
    expected = [measure_link(1), measure_link(6)] + [
        "/policies/test-policy/measures/1/#clause-1",
        "/policies/test-policy/measures/2/#clause-1",
        "/policies/test-policy/measures/2/#clause-2",
    ]
    assert result_links(search_page(client, "孵化器")) == expected


def test_a_capped_search_is_the_same_with_and_without_the_index(common_term):
    parsed = search.parse_query("孵化器")
    indexed, naive = search.find(parsed), search.find(parsed, indexed=False)
    assert indexed.capped and naive.capped
    assert [c.pk for c in indexed.clauses] == [c.pk for c in naive.clauses]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search table exists on PostgreSQL only")
@pytest.mark.parametrize(
    ("walk_share", "walk_rows", "sorted_candidates"),
    [(0.0, 12_000, 5_000), (0.0, 10, 5_000), (2.0, 12_000, 5_000), (2.0, 12_000, 0)],
    ids=[
        "walked in document order",
        "a walk too short, then the index",
        "through the index, sorted",
        "through the index, then a walk to the page",
    ],
)
def test_on_postgresql_every_plan_finds_what_the_naive_scan_finds(
    common_term, monkeypatch, walk_share, walk_rows, sorted_candidates
):
    """measures/search/table.py chooses per query between walking in document order and the index; each
    gives the naive scan's results, capped (more than MAX_RANKED, here 5) or ranked, on every page."""
    monkeypatch.setattr(search_table, "WALK_SHARE", walk_share)
    monkeypatch.setattr(search_table, "WALK_ROWS", walk_rows)
    monkeypatch.setattr(search_table, "SORTED_CANDIDATES", sorted_candidates)
    # An award of 500万 whose source phrase is not in its clause's text: in the ranges, not found as 五百万.
    award = Award.objects.get(clause__measure__policy=common_term)
    award.pk, award.clause = None, Clause.objects.get(measure__policy=common_term, measure__number=2, position=3)
    award.save()
    for text in [
        "孵化器",
        "孵化器 段",
        "第1",
        "第12段",
        "器第",
        "孵化器孵化器孵化器",
        "不存在的词",
        "%",
        "500万以上",
        "孵化器 五百万",
        "五百万",
        "孵化器 500万以上",
    ]:
        parsed = search.parse_query(text)
        indexed, naive = search.Matches(parsed), search.Matches(parsed, indexed=False)
        assert (len(indexed), indexed.capped) == (len(naive), naive.capped), text
        for start, stop in [(0, len(naive)), (0, 2), (2, 4), (3, 5)]:
            assert [c.pk for c in indexed[start:stop]] == [c.pk for c in naive[start:stop]], (text, start, stop)


def test_a_capped_search_costs_no_more_queries(client, common_term, django_assert_num_queries):
    with django_assert_num_queries(RESULTS_PAGE_QUERIES):
        search_page(client, "孵化器")


@pytest.mark.usefixtures("empty_database")
def test_the_api_pages_through_the_capped_matches_in_the_policys_order(client, common_term):
    body = client.get("/api/v1/search/", {"q": "孵化器"}).json()
    assert body["count"] == 5
    assert [(r["measure"], r["position"]) for r in body["results"]] == [(1, 1), (2, 1), (2, 2), (2, 3), (2, 4)]


# PostgreSQL: the index


@pytest.mark.usefixtures("empty_database")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
@pytest.mark.parametrize("query", ["中试", "小试"], ids=["a term", "a term widened by a synonym"])
def test_on_postgresql_a_rare_term_is_searched_through_the_gin_index_of_the_search_table(client, small_policy, query):
    SearchSynonym.objects.create(words="中试、小试")  # 小试 finds 中试: one of two words' tokens, still the index
    rng = random.Random(3)
    measure = Measure.objects.get(policy=small_policy, number=2)
    filler = "科技创新产业发展支持建设平台服务企业研发机构项目资金管理"
    Clause.objects.bulk_create(
        Clause(
            measure=measure,
            position=position,
            text=(text := "".join(rng.choice(filler) for _ in range(40))),
            search_tokens=tokens.clause_tokens(measure.title, text),
            provenance=Clause.Provenance.POLICY_TEXT,
            source_url="https://example.org/test",
        )
        for position in range(1, 2001)
    )
    add_clause(Measure.objects.get(policy=small_policy, number=3), "国家级制造业中试平台。", position=1)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE measures_clause, {search_table.TABLE}")
    with CaptureQueriesContext(connection) as queries:
        html = search_page(client, query)
    assert result_links(html) == [measure_link(3, 1, "test-policy")]
    # The ETag's fingerprint (measures/public/page_cache/), the synonyms and aliases, the token counts, the
    # matches, the clause shown, the recipient kinds, the related documents and the 政策问答 the word names.
    _fingerprint, _widening, _counts, matches, _shown, _kinds, _documents, _questions = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(matches["sql"].replace("SELECT", "EXPLAIN SELECT", 1))  # with the settings it ran with
        while cursor.description is None:
            cursor.nextset()
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {search_table.TOKENS_INDEX}" in plan, plan
