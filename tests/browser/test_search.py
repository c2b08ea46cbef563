"""Search in a real browser: a Chinese term typed into the search box, its matches highlighted."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect


def test_a_visitor_searches_for_incubators_and_sees_the_term_highlighted(page, site, screenshot):
    page.goto(site + "/search/")
    box = page.locator('input[name="q"]')
    box.fill("孵化器")
    box.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(site + "/search/?")))
    assert parse_qs(urlsplit(page.url).query)["q"] == ["孵化器"]
    results = page.locator("li.search-result")
    expect(results.first).to_be_visible()
    assert results.count() >= 2  # measure 1's title (超级孵化器) and measure 6's clause (科技型企业孵化器)
    marks = results.locator("mark")
    expect(marks.first).to_be_visible()
    assert set(marks.all_inner_texts()) == {"孵化器"}
    clause_result = results.filter(has=page.locator('a[href*="/policies/kjcx-2025/measures/6/"]'))
    assert "<mark>孵化器</mark>" in clause_result.first.inner_html()
    expect(box).to_have_value("孵化器")

    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, width)


def test_a_national_key_laboratory_searches_in_its_own_words_and_is_told_how(page, site, screenshot):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/search/?q=国家重点实验室")
    widened = page.locator(".search-widened")
    expect(widened).to_contain_text("已同时搜索：全国重点实验室")
    expect(page.locator("li.search-result").first).to_be_visible()
    expect(page.locator(".search-kinds a[href*='kind=national-key-laboratory']")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, 375)

    page.goto(site + "/search/?q=补贴")
    expect(page.locator(".search-widened")).to_contain_text("补助、资助")
    assert "补助" in page.locator("li.search-result mark").all_inner_texts()


def test_a_search_that_finds_nothing_leads_to_one_that_does(page, site):
    page.goto(site + "/search/?q=孵化器建设方案")
    expect(page.locator(".search-count")).to_have_text("找到 0 段")
    page.locator(".search-suggestions a", has_text=re.compile("^孵化器$")).click()
    expect(page).to_have_url(re.compile(re.escape(site + "/search/?q=")))
    expect(page.locator("li.search-result").first).to_be_visible()
