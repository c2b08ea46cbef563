"""Browsing in a real browser: home → pillar → measure → clause, on a phone and a laptop; the skip link."""

import re

import pytest
from playwright.sync_api import expect


def assert_fits_the_width(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]} px of content in {widths[1]} px"


@pytest.mark.parametrize("width", [375, 1280])
def test_a_visitor_browses_from_the_home_page_to_a_pillar_to_a_measure_and_one_of_its_clauses(
    page, site, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(site + "/")
    expect(page.locator("main")).to_contain_text("厦委发〔2025〕1号")
    assert_fits_the_width(page)
    screenshot(page, f"home-{width}")

    page.get_by_role("link", name="一、提升科技与产业协同创新平台功能", exact=True).click()
    expect(page).to_have_url(site + "/policies/kjcx-2025/pillars/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("一、提升科技与产业协同创新平台功能")
    assert_fits_the_width(page)
    screenshot(page, f"pillar-{width}")

    page.locator(".measure-list").get_by_role("link", name=re.compile(r"第3条\s*拓展科技交流合作平台")).click()
    expect(page).to_have_url(site + "/policies/kjcx-2025/measures/3/")
    expect(page.get_by_role("heading", level=1)).to_have_text("第3条 拓展科技交流合作平台")
    expect(page.locator("#clause-1 .award__amount").first).to_have_text("一次性200万元")
    assert_fits_the_width(page)
    screenshot(page, width)

    page.locator('#clause-1 a[href="#clause-1"]').click()
    expect(page).to_have_url(site + "/policies/kjcx-2025/measures/3/#clause-1")
    # The anchor scrolled its clause to the top of the window.
    assert page.evaluate("() => Math.abs(document.getElementById('clause-1').getBoundingClientRect().top)") < 40


def test_the_first_tab_reaches_the_skip_link_which_shows_itself_and_leads_to_the_content(page, site):
    page.goto(site + "/")
    skip_link = page.locator("a.skip-link")
    assert skip_link.bounding_box()["y"] + skip_link.bounding_box()["height"] <= 0, "hidden until focused"

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text("跳到主要内容")
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/#main")
    expect(page.locator("main#main")).to_be_focused()
