"""关注 on a phone (375 px): from a measure page to the form, a mistake explained, the confirmation mail's
link, and the page where the reader sees and changes what they follow."""

import re

import pytest
from playwright.sync_api import expect

from measures.domain.subscriptions import Subscription


def assert_fits_the_width(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]} px of content in {widths[1]} px"


def path_in(message, name):
    found = re.search(rf"https?://[^/\s]+(/follow/{name}/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def phone(page, site, settings):
    settings.SITE_URL = site  # the mail's links lead to this live server
    page.set_viewport_size({"width": 375, "height": 800})
    return page


def test_a_reader_on_a_phone_follows_a_measure_confirms_by_mail_and_manages_it(
    phone, site, mailoutbox, screenshot, axe_violations
):
    page = phone
    page.goto(site + "/policies/kjcx-2025/measures/3/")
    page.get_by_role("link", name="关注本条措施的修改").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关注更新")
    expect(page.locator(".follow__what")).to_contain_text("《若干措施》第3条 拓展科技交流合作平台")
    assert_fits_the_width(page)

    # An address the browser lets through but that is not one: the page says what is wrong.
    page.get_by_label("邮箱地址").fill("wang@example")
    page.get_by_role("button", name="关注", exact=True).click()
    expect(page.locator(".form-errors")).to_contain_text("邮箱地址的格式不对")
    expect(page.get_by_label("邮箱地址")).to_have_attribute("aria-invalid", "true")
    assert_fits_the_width(page)
    assert not axe_violations(page)
    screenshot(page, "error-375")

    page.get_by_label("邮箱地址").fill("wang@example.cn")
    page.get_by_role("radio", name=re.compile("每日汇总")).check()
    page.get_by_role("button", name="关注", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("请查收邮件")
    screenshot(page, "sent-375")
    (message,) = mailoutbox
    assert Subscription.objects.get().confirmed_at is None

    page.goto(site + path_in(message, "confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("确认关注")
    page.get_by_role("button", name="确认关注").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关注成功")
    expect(page.locator("main")).to_contain_text("每日汇总")
    assert Subscription.objects.get().confirmed_at is not None

    page.get_by_role("link", name="查看、修改或取消您的关注").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的关注")
    expect(page.locator(".manage-item")).to_contain_text("《若干措施》第3条 拓展科技交流合作平台")
    assert_fits_the_width(page)
    assert not axe_violations(page)
    screenshot(page, "manage-375")
    page.get_by_label("频率").select_option("instant")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".form-notice")).to_have_text("已保存。")
    assert Subscription.objects.get().frequency == "instant"
    page.get_by_label("取消这项关注").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("这个邮箱已没有任何关注，这个页面的链接随之失效。")
    assert not Subscription.objects.exists()


def test_following_a_search_from_its_results_page(phone, site, mailoutbox):
    page = phone
    page.goto(site + "/search/?q=孵化器")
    page.get_by_role("link", name="关注这个搜索的新结果").click()
    expect(page.locator(".follow__what")).to_contain_text("搜索：孵化器")
    page.get_by_label("邮箱地址").fill("li@example.cn")
    page.get_by_role("button", name="关注", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("请查收邮件")
    assert Subscription.objects.get().query == "孵化器"
