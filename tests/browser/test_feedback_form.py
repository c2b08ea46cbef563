"""报告问题 on a phone (375 px): from an award on a measure page to the form, a mistake explained beside
the field and in the summary, then the reference number and the confirmation mail. The whole journey
through the editors' queue and the published 问答 is the merger's test (issue 30)."""

import re

import pytest
from playwright.sync_api import expect

from measures.domain.feedback import Feedback


def assert_fits_the_width(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]} px of content in {widths[1]} px"


@pytest.fixture
def phone(page, site, settings):
    settings.SITE_URL = site
    page.set_viewport_size({"width": 375, "height": 800})
    return page


def test_a_reader_on_a_phone_reports_a_wrong_amount_and_gets_a_reference_and_a_mail(
    phone, site, mailoutbox, screenshot, axe_violations
):
    page = phone
    page.goto(site + "/policies/kjcx-2025/measures/3/")
    screenshot(page, "measure-375")
    award_link = page.locator(".feedback-links--award a").first
    box = award_link.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    award_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报告问题或提问")
    expect(page.locator(".follow__what")).to_contain_text("第3条")
    expect(page.get_by_role("radio", name=re.compile("报告问题"))).to_be_checked()
    expect(page.locator("#id_website")).to_be_hidden()  # the honeypot
    for label in page.locator(".feedback-form label:has(input[type=radio])").all():
        assert label.bounding_box()["height"] >= 44
    assert_fits_the_width(page)

    page.get_by_label("内容").fill("这里的金额和原文不一致")
    page.get_by_label("邮箱地址（选填，用于答复）").fill("wang@example")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".form-errors")).to_contain_text("邮箱地址的格式不对")
    expect(page.locator("#id_email_error")).to_contain_text("邮箱地址的格式不对")
    expect(page.get_by_label("内容")).to_have_value("这里的金额和原文不一致")  # nothing typed is lost
    assert_fits_the_width(page)
    assert not axe_violations(page)
    screenshot(page, "feedback-error-375")

    page.get_by_label("邮箱地址（选填，用于答复）").fill("wang@example.cn")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("已收到您的留言")
    item = Feedback.objects.get()
    expect(page.locator(".feedback-reference")).to_have_text(item.reference)
    assert item.award is not None and item.email == "wang@example.cn"
    assert_fits_the_width(page)
    assert not axe_violations(page)
    screenshot(page, "feedback-received-375")
    (message,) = mailoutbox
    assert item.reference in message.subject
