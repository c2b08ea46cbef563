"""How current a page is, in Debian's Chromium: a measure checked against its sources, with a change
scheduled on it, of a policy in its last months, read on a phone (375 px) in the standard version and the
长辈版: the three notices are visible, nothing scrolls sideways, and axe-core finds no violation (in the
长辈版 by the 7:1 contrast rule)."""

import datetime

import pytest
from playwright.sync_api import expect

from measures.domain.models import Measure
from tests.public_pages import check_expire_and_schedule

MEASURE_3 = "/policies/kjcx-2025/measures/3/"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
AAA_CONTRAST = {**WCAG_21_AA, "rules": {"color-contrast-enhanced": {"enabled": True}}}


@pytest.fixture
def current_measure(site, real_policy):
    check_expire_and_schedule(Measure.objects.get(policy=real_policy, number=3), checked_on=datetime.date(2026, 12, 1))
    return site


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_the_measure_says_how_current_it_is_on_a_phone(page, current_measure, axe_violations, elder):
    site = current_measure
    cookies = [{"name": "django_language", "value": "zh-hans", "url": site}]
    if elder:
        cookies.append({"name": "elder", "value": "on", "url": site})
    page.context.add_cookies(cookies)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + MEASURE_3)

    expect(page.locator(".page-header__checked")).to_have_text("本页内容已于2026年12月1日与来源核对")
    expect(page.locator(".validity-warning")).to_contain_text("将于")
    expect(page.get_by_role("heading", name="已知的后续变化")).to_be_visible()
    expect(page.locator(".upcoming li")).to_contain_text("一项已审核的修改定于")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page, AAA_CONTRAST if elder else WCAG_21_AA, impacts=None) == []
