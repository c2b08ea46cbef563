"""申报日历 on a phone (375 px) and in the 长辈版: the real policy's honest empty calendar, then, once an
editor has recorded windows, the award closing soon with where to apply, the months, the feed a calendar
program subscribes to, and the awards whose window is still unknown, with nothing wider than the screen."""

import datetime
import re

import icalendar
from django.utils import timezone
from playwright.sync_api import expect

from measures.domain.eligibility import ApplicationDepartment, ApplicationInfo, Department
from measures.domain.models import Measure

WIDER_THAN_THE_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth"


def record_windows():
    """Measure 6 (the incubators' yearly award) closes in ten days; measure 3's awards are taken year-round."""
    today = timezone.localdate()
    sixth = Measure.objects.get(policy__slug="kjcx-2025", number=6)
    info = ApplicationInfo.objects.create(
        measure=sixth,
        window_kind="dates",
        window_opens=today - datetime.timedelta(days=20),
        window_closes=today + datetime.timedelta(days=10),
    )
    department = Department.objects.create(name="厦门市科学技术局", website="https://example.org/kjj")
    ApplicationDepartment.objects.create(info=info, department=department)
    ApplicationInfo.objects.create(
        measure=Measure.objects.get(policy__slug="kjcx-2025", number=3), window_kind="year_round"
    )


def test_a_phone_user_reads_the_calendar_and_subscribes_to_it(page, site, axe_violations, screenshot):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/")
    page.get_by_role("navigation").get_by_role("link", name="申报日历", exact=True).click()
    expect(page).to_have_url(site + "/calendar/")
    expect(page.get_by_role("heading", name="还没有已知的申报时间")).to_be_visible()
    expect(page.locator(".calendar-section--unpublished h2")).to_contain_text("（8 项）")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "empty")

    record_windows()
    page.reload()
    expect(page.get_by_role("heading", name="还没有已知的申报时间")).to_have_count(0)
    closing = page.locator(".calendar-section--closing-soon li.calendar-entry")
    expect(closing.locator(".award__amount")).to_have_text(["每年每家最高500万元", "最高3000万元"])
    expect(closing.first.get_by_role("link", name="厦门市科学技术局")).to_have_attribute(
        "href", "https://example.org/kjj"
    )
    expect(page.locator(".calendar-section--year-round li.calendar-entry").first).to_be_visible()
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    assert axe_violations(page) == []
    screenshot(page, "closing-soon")

    feed = page.request.get(site + page.get_by_role("link", name=re.compile("^订阅申报日历")).get_attribute("href"))
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    events = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == [
        "申报：第6条 培育发展高端科技服务业 每年每家最高500万元",
        "申报：第6条 培育发展高端科技服务业 最高3000万元",
    ]
    assert all(len(event.walk("VALARM")) == 2 for event in events)

    page.get_by_role("link", name=re.compile("^查看这 \\d+ 项奖补")).click()
    expect(page.get_by_role("heading", name="申报时间未公布")).to_be_visible()
    expect(page.locator("li.calendar-entry").first.locator(".tag--pending").first).to_be_visible()


def test_the_calendar_in_the_elder_version_on_a_phone(page, site, axe_violations):
    record_windows()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/calendar/")
    page.get_by_role("button", name="长辈版", exact=True).click()
    expect(page.locator("html")).to_have_class("elder")
    expect(page.locator(".calendar-section--closing-soon li.calendar-entry")).to_have_count(2)
    assert page.evaluate("() => getComputedStyle(document.body).fontSize") == "20px"
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    months = page.locator(".calendar-months__list a")
    for index in range(months.count()):
        box = months.nth(index).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, months.nth(index).inner_text()
    assert axe_violations(page) == []
    months.nth(timezone.localdate().month - 1).click()
    expect(page.locator("#calendar-chosen")).to_contain_text("可以申报的奖补")
    expect(page.locator("li.calendar-entry .award__amount")).to_have_text(["每年每家最高500万元", "最高3000万元"])
