"""The policy calculator (政策计算器) on a phone: choose a kind of applicant, read what it can get, where the
policy says so and what is still pending; choose two, and the totals show their terms."""

import re

from playwright.sync_api import expect


def test_an_incubator_on_a_phone_sees_its_award_its_source_and_the_pending_facts(
    page, site, screenshot, axe_violations
):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/")
    page.get_by_role("navigation").get_by_role("link", name="政策计算器", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(site + "/calculator/")))
    expect(page.get_by_label("只看有效政策")).to_be_checked()

    page.get_by_role("checkbox", name=re.compile("^科技型企业孵化器")).check()
    page.get_by_role("button", name="查看可能适用的奖补").click()

    awards = page.locator("li.calculator-award")
    expect(awards).to_have_count(1)
    award = awards.first
    expect(award.locator(".award__amount")).to_have_text("每年每家最高500万元")
    expect(award.locator("q")).to_have_text("给予每年每家最高500万元奖励")
    expect(award.locator(".application-facts--pending")).to_contain_text("申报信息尚未公布")
    expect(award.get_by_role("link", name="第6条第1段")).to_have_attribute(
        "href", "/policies/kjcx-2025/measures/6/#clause-1"
    )
    expect(page.locator(".calculator-totals li")).to_have_text(["每年合计最高 500 = 500万元"])
    expect(page.get_by_text("原文未说明能否同时享受", exact=False)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    screenshot(page, "one-kind")

    # The choice is kept in the form: add a second kind.
    expect(page.get_by_role("checkbox", name=re.compile("^科技型企业孵化器"))).to_be_checked()
    page.get_by_role("checkbox", name=re.compile("^国家级国际科技合作基地")).check()
    page.get_by_role("button", name="查看可能适用的奖补").click()
    expect(page.locator("li.calculator-award")).to_have_count(3)
    expect(page.locator(".calculator-totals li")).to_have_text(
        ["一次性奖励合计 200 = 200万元", "每年合计最高 500 = 500万元", "未注明频次的金额合计最高 100 = 100万元"]
    )
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "two-kinds")
