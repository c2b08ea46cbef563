"""Sources and unknowns beside every amount, on a phone (375 px): an incubator operator reads where the amount
comes from and its condition, sees the draft incubator rules beside it, and follows the measure to hear
when the application facts are entered; once one fact is known, the facts read as label and value."""

import re

import pytest
from playwright.sync_api import expect

from measures.domain.eligibility import ApplicationInfo
from measures.domain.models import Measure


def assert_fits_the_width(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]} px of content in {widths[1]} px"


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 375, "height": 800})
    return page


def test_an_incubator_operator_reads_the_source_the_condition_and_follows_the_pending_facts(
    phone, site, screenshot, axe_violations
):
    page = phone
    page.goto(site + "/calculator/?kind=tech-business-incubator")
    expect(page.get_by_role("heading", name="可能适用的奖补")).to_be_visible()
    award = page.locator("li.calculator-award")
    expect(award.locator(".award__condition")).to_have_text("适用条件：建设")
    expect(award.locator(".award-source .badge")).to_have_text("新闻摘要")
    expect(page.locator(".measure-documents")).to_contain_text("《厦门市科技型企业孵化器管理办法(征求意见稿)》")
    pending = award.locator(".application-facts--pending")
    expect(pending).to_contain_text("申报信息尚未公布 · 录入后通知我")
    assert_fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "calculator-375")

    pending.get_by_role("link", name=re.compile("^录入后通知我")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关注更新")
    expect(page.locator(".follow__what")).to_contain_text("《若干措施》第6条 培育发展高端科技服务业")


def test_with_one_fact_known_each_label_sits_beside_its_value_on_a_phone(phone, site, screenshot):
    ApplicationInfo.objects.create(measure=Measure.objects.get(number=6), hotline="0592-0000000")
    page = phone
    page.goto(site + "/policies/kjcx-2025/measures/6/")
    facts = page.locator("li.award").first.locator(".application-facts dl > div")
    expect(facts).to_have_count(6)
    # Each label on the same line as its own value, never as the next label's.
    for row in range(6):
        label, value = facts.nth(row).locator("dt"), facts.nth(row).locator("dd")
        label_box, value_box = label.bounding_box(), value.bounding_box()
        assert abs(label_box["y"] - value_box["y"]) < 4 and label_box["x"] < value_box["x"], row
    expect(facts.nth(5)).to_have_text(re.compile("咨询电话\\s*0592-0000000"))
    assert_fits_the_width(page)
    screenshot(page, "facts-375")


def test_a_pending_measure_offers_to_mail_when_it_is_entered(phone, site):
    page = phone
    page.goto(site + "/policies/kjcx-2025/measures/9/")
    page.get_by_role("link", name="录入后通知我").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关注更新")
    expect(page.locator(".follow__what")).to_contain_text("《关于深化拓展科技创新引领工程")
