"""Search in the words people use: a term is also searched with its synonyms (补贴 finds 补助) and a
recipient kind's common alias with the kind's name (国家重点实验室 finds 全国重点实验室), and the page says so;
a search that finds nothing suggests words and kinds that do find something; snippets never cut a figure;
an amount is shown back in other notations. On every database (run with DATABASE_URL for PostgreSQL)."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from measures.domain.eligibility import RecipientKind
from measures.editing.history import REASON_FIELD
from measures.editing.loader import PolicyLoader
from measures.search import query as search
from measures.search.synonyms import SearchSynonym
from measures.search.widening import widen
from tests.admin_forms import form_data
from tests.data import REAL_POLICY_FILE
from tests.html import between, page

RESULT_LINK = re.compile(r'<h3 class="search-result__title"><a href="([^"]+)"')


def search_page(client, query):
    return page(client, "/search/?q=" + quote(query))


def result_links(html):
    return RESULT_LINK.findall(html)


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def found(query):
    """The ids of the clauses the search finds for `query`, widened as the pages widen it."""
    return [clause.pk for clause in search.find(widen(search.parse_query(query))).clauses]


def unwidened(query):
    return {clause.pk for clause in search.find(search.parse_query(query)).clauses}


# Synonyms


def test_a_subsidy_in_other_words_finds_the_clauses_that_say_buzhu(client, real_policy):
    html = search_page(client, "补贴")
    assert set(found("补贴")) == unwidened("补助") | unwidened("资助") != set()
    assert len(result_links(html)) == len(found("补贴"))
    assert "已同时搜索：补助、资助（近义词）" in text_of(between(html, 'class="search-widened"', "</div>"))
    assert "<mark>补助</mark>" in html


def test_each_word_of_a_synonym_row_finds_the_others_clauses(real_policy):
    assert set(found("奖补")) == unwidened("奖补") | unwidened("奖励")
    assert set(found("奖励")) == set(found("奖补"))


def test_a_term_holding_a_synonym_is_searched_with_it_replaced(real_policy):
    query = widen(search.parse_query("给予补贴"))
    assert query.alternatives("给予补贴") == ("给予补贴", "给予补助", "给予资助")


def test_a_term_with_no_synonym_says_nothing_of_widening(client, real_policy):
    html = search_page(client, "孵化器")
    assert "search-widened" not in html
    assert "已同时搜索" not in html


def test_a_widened_term_still_narrows_with_the_other_terms(real_policy):
    both = set(found("补助 中试"))
    assert both and both <= set(found("补贴")) & unwidened("中试")
    assert set(found("补贴 中试")) == both


def test_widening_finds_the_same_as_a_plain_scan_of_every_word(real_policy):
    """The contract of search (docs/derived-data.md): the index or the plain scan, the same clauses."""
    query = widen(search.parse_query("补贴 支持"))
    indexed = [clause.pk for clause in search.find(query).clauses]
    scanned = [clause.pk for clause in search.find(query, indexed=False).clauses]
    assert indexed == scanned != []


def test_a_synonym_row_an_editor_adds_widens_the_next_search_at_once(client, real_policy):
    assert "已同时搜索" not in search_page(client, "加速器")  # also kept in the page cache
    SearchSynonym.objects.create(words="加速器、孵化器")
    html = search_page(client, "加速器")
    assert "已同时搜索：孵化器" in text_of(html)
    assert len(result_links(html)) == len(unwidened("加速器") | unwidened("孵化器"))


def test_an_editor_adds_a_synonym_row_with_a_reason_and_it_keeps_its_history(editor_client, real_policy):
    add = reverse("admin:measures_searchsynonym_add")
    data = form_data(editor_client.get(add), "searchsynonym")
    data.update({"words": "中试，试验", REASON_FIELD: "读者常把中试叫作试验"})
    assert editor_client.post(add, data).status_code == 302
    row = SearchSynonym.objects.get(words="中试、试验")  # kept in one notation
    assert row.history.get().history_change_reason == "读者常把中试叫作试验"
    assert str(row) == "中试↔试验"


def test_a_synonym_row_needs_two_different_words(editor_client, real_policy):
    add = reverse("admin:measures_searchsynonym_add")
    data = form_data(editor_client.get(add), "searchsynonym")
    data.update({"words": "中试、中试", REASON_FIELD: "试一下"})
    response = editor_client.post(add, data)
    assert response.status_code == 200
    assert "至少填写两个不同的词" in response.content.decode()


def test_an_english_page_says_the_same_with_the_chinese_marked(client, real_policy):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    widened = between(search_page(client, "国家重点实验室"), 'class="search-widened"', "</div>")
    assert "also searched for" in widened
    assert 'is a common name for the recipient kind “<span lang="zh-Hans">全国重点实验室</span>”' in widened
    assert '<span lang="zh-Hans">五十万 = 50万元' in search_page(client, "五十万")


# Recipient kinds' aliases


def test_the_common_name_of_a_national_key_laboratory_finds_what_its_name_finds(client, real_policy):
    html = search_page(client, "国家重点实验室")
    assert result_links(html) == result_links(search_page(client, "全国重点实验室")) != []
    widened = text_of(between(html, 'class="search-widened"', "</div>"))
    assert "已同时搜索：全国重点实验室" in widened
    assert "“国家重点实验室”是申报主体“全国重点实验室”的常见叫法" in widened
    kinds = between(html, 'class="search-kinds"', "</section>")
    assert "?kind=national-key-laboratory" in kinds


def test_an_alias_an_editor_gives_a_kind_is_searched_with_its_name(editor_client, client, real_policy):
    kind = RecipientKind.objects.get(slug="accelerator")
    url = reverse("admin:measures_recipientkind_change", args=[kind.pk])
    data = form_data(editor_client.get(url), "recipientkind")
    data.update({"aliases": "企业加速器", REASON_FIELD: "常见叫法"})
    assert editor_client.post(url, data).status_code == 302
    assert kind.history.latest().aliases == "企业加速器"
    html = search_page(client, "企业加速器")
    assert result_links(html) == result_links(search_page(client, "加速器")) != []


def test_a_kinds_alias_is_not_its_own_name(editor_client, real_policy):
    kind = RecipientKind.objects.get(slug="accelerator")
    url = reverse("admin:measures_recipientkind_change", args=[kind.pk])
    data = form_data(editor_client.get(url), "recipientkind")
    data.update({"aliases": "加速器", REASON_FIELD: "试一下"})
    assert "常见叫法不必重复名称本身" in editor_client.post(url, data).content.decode()


def test_loading_again_keeps_a_synonym_row_an_editor_deleted(real_policy):
    row = SearchSynonym.objects.get(words="奖励、奖补")
    row._change_reason = "不需要"
    row.delete()
    report = PolicyLoader().load_file(REAL_POLICY_FILE)
    assert not SearchSynonym.objects.filter(words="奖励、奖补").exists()
    assert report.kept == ["搜索近义词「奖励、奖补」（已由编辑修改或删除）"]
    PolicyLoader(force=True).load_file(REAL_POLICY_FILE)
    assert SearchSynonym.objects.filter(words="奖励、奖补").exists()


# The API widens the same way


def test_the_api_widens_the_same_way_and_says_so(client, real_policy):
    body = client.get("/api/v1/search/", {"q": "补贴"}).json()
    assert body["count"] == len(found("补贴"))
    assert body["widened"] == [{"term": "补贴", "words": ["补助", "资助"]}]
    assert client.get("/api/v1/search/", {"q": "孵化器"}).json()["widened"] == []


# Nothing found


def test_nothing_found_suggests_words_that_find_something(client, real_policy):
    html = search_page(client, "孵化器建设方案")
    assert "找到 0 段" in html
    suggestions = between(html, 'class="search-suggestions"', "</ul>")
    links = re.findall(r'href="([^"]+)"', suggestions)
    assert "/search/?q=%E5%AD%B5%E5%8C%96%E5%99%A8" in links  # 孵化器
    assert any(link.startswith("/calculator/?kind=tech-business-incubator") for link in links)
    for link in links:  # every suggestion gives results
        target = page(client, link.replace("&amp;", "&"))
        assert "找到 0 段" not in target
        assert "award" in target or "search-result" in target


def test_nothing_found_with_several_terms_suggests_each_that_finds_alone(client, real_policy):
    html = search_page(client, "金砖 苏颂")
    suggestions = text_of(between(html, 'class="search-suggestions"', "</ul>"))
    assert "金砖" in suggestions and "苏颂" in suggestions


# Snippets and amounts


FIGURE = re.compile(r"[0-9][0-9,.]*[0-9]|[0-9]")


def test_a_snippet_never_starts_or_ends_inside_an_amount():
    text = "甲" * 30 + "对符合条件的项目给予一次性300万元支持，" + "乙" * 60 + "每年最高1,500万元"
    whole = set(FIGURE.findall(text))
    for width in range(10, 60):
        snippet = str(search.highlight(text, ("支持",), width=width))
        assert set(FIGURE.findall(snippet)) <= whole, snippet  # never "0万元" for "300万元"
        assert not snippet.startswith("…万"), snippet
    assert "300万元<mark>支持</mark>" in str(search.highlight(text, ("支持",), width=12))


def test_no_snippet_of_the_real_policy_cuts_a_figure(client, real_policy):
    html = search_page(client, "支持")
    snippets = re.findall(r'<p class="search-result__snippet"[^>]*>(.*?)</p>', html)
    assert snippets
    whole = {
        figure for clause in search.find(search.parse_query("支持")).clauses for figure in FIGURE.findall(clause.text)
    }
    for snippet in snippets:
        assert set(FIGURE.findall(snippet)) <= whole, snippet
        assert not re.search(r"…[万亿元]", snippet), snippet


def test_an_amount_is_shown_back_in_other_notations(client, real_policy):
    understood = text_of(between(search_page(client, "五十万"), 'class="search-understood"', "</div>"))
    assert "五十万 = 50万元 = 0.005亿元 = 500,000元" in understood
    assert "三千万" not in understood


def test_an_amount_written_as_shown_is_not_repeated(client, real_policy):
    understood = text_of(between(search_page(client, "3000万元"), 'class="search-understood"', "</div>"))
    assert "3000万元 = 0.3亿元 = 30,000,000元" in understood


@pytest.mark.parametrize("query", ["补贴 %", "%", "国家重点实验室 ——", "补贴" * 60, "\u0000补贴"])
def test_odd_queries_with_widened_words_are_answered_calmly(client, real_policy, query):
    assert client.get("/search/", {"q": query}).status_code == 200
    assert client.get("/api/v1/search/", {"q": query}).status_code == 200
