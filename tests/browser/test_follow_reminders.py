"""申报提醒 on a phone (375 px): a calculator answer followed with reminders ticked, the choice kept on the
confirm page and changed on the manage page, in the 长辈版 too."""

import re

import pytest
from playwright.sync_api import expect

from measures.domain.subscriptions import Subscription

ANSWER = "/calculator/?kind=tech-business-incubator&kind=accelerator"


def assert_fits_the_width(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]} px of content in {widths[1]} px"


@pytest.fixture
def phone(page, site, settings):
    settings.SITE_URL = site  # the mail's links lead to this live server
    page.set_viewport_size({"width": 375, "height": 800})
    return page


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_a_reader_follows_a_calculator_answer_with_reminders_and_turns_them_off(
    phone, site, mailoutbox, axe_violations, elder
):
    page = phone
    if elder:
        page.context.add_cookies([{"name": "elder", "value": "on", "url": site}])
    page.goto(site + ANSWER)
    page.get_by_role("link", name="关注这些申报主体的奖补和申报时间").click()
    expect(page.locator(".follow__what")).to_contain_text("政策计算器：科技型企业孵化器、加速器")
    page.get_by_label("邮箱地址").fill("wang@example.cn")
    page.get_by_role("checkbox", name=re.compile("同时接收申报提醒")).check()
    assert_fits_the_width(page)
    assert not axe_violations(page)
    page.get_by_role("button", name="关注", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("请查收邮件")
    assert Subscription.objects.get().reminders

    confirm = re.search(r"https?://[^/\s]+(/follow/confirm/\S+/)", mailoutbox[0].body).group(1)
    page.goto(site + confirm)
    reminders = page.get_by_role("checkbox", name=re.compile("同时接收申报提醒"))
    expect(reminders).to_be_checked()
    assert_fits_the_width(page)
    assert not axe_violations(page)
    page.get_by_role("button", name="确认关注").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关注成功")

    page.get_by_role("link", name="查看、修改或取消您的关注").click()
    box = page.get_by_role("checkbox", name="申报提醒")
    expect(box).to_be_checked()
    assert_fits_the_width(page)
    assert not axe_violations(page)
    box.uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".form-notice")).to_have_text("已保存。")
    expect(page.get_by_role("checkbox", name="申报提醒")).not_to_be_checked()
    assert not Subscription.objects.get().reminders
