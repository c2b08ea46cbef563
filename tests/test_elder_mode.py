"""长辈版 (large print) and the accessibility rules the server can be held to (issue 17): the switch and
its cookie, the page cache and ETags per version, the language of parts on English pages, the skip
link and the 无障碍声明. What a browser computes (sizes, spacing, reflow, axe, the keyboard) is
tests/browser/test_elder_mode.py."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext

from measures.public.page_cache.middleware import display_variant
from tests.html import between, page
from xmpolicy.elder import COOKIE_NAME

YEAR = 365 * 24 * 60 * 60
MEASURE = "/policies/kjcx-2025/measures/3/"


@pytest.fixture
def elder(client):
    """A client that turned on the 长辈版 with the header's switch."""
    response = client.post("/elder/", {"elder": "on", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.fixture
def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


# The switch


def test_the_switch_keeps_the_choice_for_a_year_and_returns_to_the_page(client, db):
    response = client.post("/elder/", {"elder": "on", "next": "/awards/?min=1000"})
    assert response.status_code == 302
    assert response["Location"] == "/awards/?min=1000"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == "on"
    assert cookie["max-age"] == YEAR
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP in development; see the next test
    assert "no-cache" in response["Cache-Control"]


def test_in_production_the_cookie_goes_over_https_only(client, db, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post("/elder/", {"elder": "on", "next": "/"})
    assert response.cookies[COOKIE_NAME]["secure"]


def test_a_plain_link_turns_it_on_too(client, db):
    response = client.get("/elder/", {"elder": "on", "next": MEASURE})
    assert response["Location"] == MEASURE
    assert response.cookies[COOKIE_NAME].value == "on"


def test_leaving_the_elder_version_removes_the_cookie(elder):
    response = elder.post("/elder/", {"elder": "off", "next": "/"})
    assert response.cookies[COOKIE_NAME].value == ""
    assert response.cookies[COOKIE_NAME]["max-age"] == 0


def test_an_unknown_choice_changes_nothing(client, db):
    response = client.post("/elder/", {"elder": "big", "next": "/"})
    assert response.status_code == 302
    assert COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_switch_never_sends_the_visitor_to_another_site(client, db, next_url):
    response = client.post("/elder/", {"elder": "on", "next": next_url})
    assert response["Location"] == "/"


def test_the_switch_works_with_csrf_protection_on_and_needs_no_token(real_policy):
    browser = Client(enforce_csrf_checks=True)
    html = page(browser, "/")
    switch = between(html, '<form class="elder-switch"', "</form>")
    assert 'name="csrfmiddlewaretoken"' not in switch
    assert browser.post("/elder/", {"elder": "on", "next": "/"}).status_code == 302
    assert "csrftoken" not in browser.cookies


def test_every_page_offers_the_switch_back_to_itself_and_links_to_the_accessibility_statement(client, real_policy):
    for url in ("/", MEASURE, "/awards/?min=1000", "/accessibility/", "/no/such/page/"):
        html = client.get(url).content.decode()
        switch = between(html, '<form class="elder-switch"', "</form>")
        assert 'action="/elder/" method="post"' in switch, url
        assert f'name="next" value="{url}"' in switch, url
        assert '<button type="submit" name="elder" value="on">长辈版</button>' in switch, url
        assert '<html lang="zh-Hans">' in html, url
        footer = between(html, '<footer class="site-footer">', "</footer>")
        assert '<a href="/accessibility/">无障碍声明</a>' in footer, url


def test_in_the_elder_version_the_page_is_marked_and_offers_the_way_back(elder, real_policy):
    html = page(elder, MEASURE)
    assert '<html lang="zh-Hans" class="elder">' in html
    assert '<button type="submit" name="elder" value="off">退出长辈版</button>' in html


def test_the_elder_version_works_in_english(english, real_policy):
    assert '<button type="submit" name="elder" value="on">Large print</button>' in page(english, "/")
    english.post("/elder/", {"elder": "on", "next": "/"})
    html = page(english, "/")
    assert '<html lang="en" class="elder">' in html
    assert ">Leave large print</button>" in html


def test_the_elder_version_lists_the_award_chart_as_a_table_first(client, elder, real_policy):
    standard = page(Client(), "/")
    assert standard.index('<svg class="award-chart__svg"') < standard.index('<table class="award-chart__table">')
    assert '<details class="award-chart__data">' in standard

    large = page(elder, "/")
    assert large.index('<table class="award-chart__table">') < large.index('<svg class="award-chart__svg"')
    assert '<details class="award-chart__data">' not in large
    assert "（与下图数据相同）" in large


def test_the_elder_version_needs_no_more_queries(elder, real_policy):
    for url in ("/", MEASURE, "/awards/"):
        page(Client(), url)  # the first request of the process reads what later ones reuse
        cache.clear()  # each version rendered afresh, not from the page cache
        with CaptureQueriesContext(connection) as standard:
            page(Client(), url)
        cache.clear()
        with CaptureQueriesContext(connection) as large:
            assert 'class="elder"' in page(elder, url)
        assert len(large) == len(standard), url


# The page cache and conditional GETs


def test_the_page_cache_and_etags_keep_the_two_versions_apart(client, real_policy):
    standard = client.get("/")
    assert "Cookie" in standard["Vary"]
    client.cookies[COOKIE_NAME] = "on"
    large = client.get("/")
    assert large["ETag"] != standard["ETag"]
    assert 'class="elder"' in large.content.decode()
    # A browser that kept the standard page does not get a 304 for the large one, nor the reverse.
    assert client.get("/", headers={"if-none-match": standard["ETag"]}).status_code == 200
    assert client.get("/", headers={"if-none-match": large["ETag"]}).status_code == 304
    del client.cookies[COOKIE_NAME]
    again = client.get("/")
    assert again["ETag"] == standard["ETag"]
    assert 'class="elder"' not in again.content.decode()


def test_without_the_elder_cookie_the_cache_key_is_the_language_alone():
    factory = RequestFactory()
    assert display_variant(factory.get("/")) == "zh-hans"
    assert display_variant(factory.get("/", HTTP_COOKIE="django_language=en")) == "en"
    assert display_variant(factory.get("/", HTTP_COOKIE=f"{COOKIE_NAME}=on")) == "zh-hans:elder"
    assert display_variant(factory.get("/", HTTP_COOKIE=f"{COOKIE_NAME}=nonsense")) == "zh-hans"


def test_the_switch_itself_is_never_kept_by_the_page_cache(client, db):
    response = client.get("/elder/", {"elder": "on", "next": "/"})
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


# Keyboard and language of parts


def test_the_first_link_of_every_page_skips_to_the_main_content(client, english, real_policy):
    html = page(Client(), MEASURE)
    body = html[html.index("<body>") :]
    assert re.search(r'<body>\s*<a class="skip-link" href="#main">跳到主要内容</a>', body)
    assert '<main id="main"' in html
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page(english, MEASURE)


def test_english_pages_mark_the_policys_chinese_content_as_chinese(english, real_policy):
    html = page(english, MEASURE)
    assert '<h1>Measure 3 <span lang="zh-Hans">拓展科技交流合作平台</span></h1>' in html
    assert '<div class="clause__text" lang="zh-Hans">' in html
    assert re.search(r'<dd lang="zh-Hans">[^<]+</dd>', between(html, '<dl class="award__facts">', "</dl>"))
    assert '<q lang="zh-Hans">' in html
    awards = page(english, "/awards/?min=1000")
    assert '<dd lang="zh-Hans">' in between(awards, '<li class="award-result">', "</li>")
    home = page(english, "/")
    assert '<dd lang="zh-Hans">中共厦门市委、厦门市人民政府</dd>' in home
    assert '<div lang="zh-Hans"><p>' in between(home, '<section class="preamble"', "</section>")
    search = page(english, "/search/?q=孵化")
    assert '<p class="search-result__snippet" lang="zh-Hans">' in search


def test_chinese_pages_need_no_such_marks(client, real_policy):
    html = page(client, MEASURE)
    # The page is Chinese: only the language switch's "中文" and "English" say which language they are in.
    assert re.findall(r'lang="[^"]+"', html) == ['lang="zh-Hans"', 'lang="zh-Hans"', 'lang="en"']


# 无障碍声明


def test_the_accessibility_statement_names_the_standards_the_tests_the_limits_and_the_missing_contact(
    client, english, real_policy
):
    html = page(Client(), "/accessibility/")
    for text in (
        "国办公开办函〔2021〕28号",
        "GB/T 37668-2019",
        "《互联网网站适老化通用设计规范》",
        "WCAG）2.1 的 AA 级",
        "axe-core",
        "Playwright",
        "Nu HTML Checker",
        "已知的不足",
        "待录入",
    ):
        assert text in html, text
    assert "tel:" not in html and "mailto:" not in html  # no contact is invented

    english_html = page(english, "/accessibility/")
    assert "<h1>Accessibility statement</h1>" in english_html
    assert '<span lang="zh-Hans">国办公开办函〔2021〕28号</span>' in english_html
