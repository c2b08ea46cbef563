"""The award finder in a real browser: a custom range in 万元, and a malformed one."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect


def test_a_visitor_finds_the_awards_from_ten_to_thirty_million_yuan(page, site, screenshot):
    page.goto(site + "/")
    page.get_by_role("navigation").get_by_role("link", name="奖补查询", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(site + "/awards/")))

    page.locator("#id_min").fill("1000")
    page.locator("#id_max").fill("3000")
    page.get_by_role("button", name="筛选").click()

    results = page.locator("li.award-result")
    expect(results).to_have_count(3)
    query = parse_qs(urlsplit(page.url).query)
    assert query["min"] == ["1000"]
    assert query["max"] == ["3000"]
    amounts = sorted(re.search(r"(\d+)万元", text).group(1) for text in results.all_inner_texts())
    assert amounts == ["1000", "3000", "3000"]
    expect(page.locator("#id_min")).to_have_value("1000")

    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, width)


def test_a_malformed_amount_is_explained_in_an_alert(page, site):
    response = page.goto(site + "/awards/?min=abc")
    assert response.status in (200, 400)
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).not_to_be_empty()
    expect(page.locator("li.award-result")).to_have_count(0)
