"""A dated window may give no closing day (or no day at all): open as far as anyone knows, it is in
正在受理 once opened, after the windows that close on a given day, and in every month from its opening
on (measures/public/calendar/windows.py reads it as closing on the last day a date holds)."""

import datetime
import re

import pytest
from django.utils import timezone

from measures.domain.eligibility import ApplicationInfo
from measures.domain.models import Clause, Measure
from tests.data import add_award
from tests.html import between, page

DAY = datetime.timedelta(days=1)


@pytest.fixture
def open_ended(small_policy):
    """Awards whose dated windows give a closing day, none, an opening day only, or neither."""
    today = timezone.localdate()
    measure = Measure.objects.get(policy=small_policy, number=3)
    clause = Clause.objects.create(
        measure=measure, position=1, text="成果转化补助。", source_url="https://example.org/x"
    )
    windows = {
        "closes later": (today - 10 * DAY, today + 40 * DAY),
        "no closing day": (today - 10 * DAY, None),
        "no day": (None, None),
        "opens later, no closing day": (today + 5 * DAY, None),
    }
    amounts = {}
    for position, (name, (opens, closes)) in enumerate(windows.items(), start=1):
        award = add_award(clause, position, 1_000_000 * (10 + position), source_phrase=f"给予补助{position}")
        ApplicationInfo.objects.create(award=award, window_kind="dates", window_opens=opens, window_closes=closes)
        amounts[name] = f"一次性最高{100 * (10 + position)}万元"
    return amounts


def listed(html):
    return re.findall(r'<strong class="award__amount">(.*?)</strong>', html)


def test_a_window_with_no_closing_day_is_open_after_those_closing_on_a_day(client, open_ended):
    expected = [open_ended["closes later"], open_ended["no day"], open_ended["no closing day"]]
    overview = page(client, "/calendar/?policy=test-policy")
    assert listed(between(overview, 'calendar-section--open"', "</section>")) == expected
    assert "（3 项）" in between(overview, 'calendar-section--open"', "</section>")
    assert listed(page(client, "/calendar/?policy=test-policy&section=open")) == expected
    assert listed(page(client, "/calendar/?policy=test-policy&section=opening-soon")) == [
        open_ended["opens later, no closing day"]
    ]
    for slug in ("closing-soon", "closed"):
        assert not set(open_ended.values()) & set(listed(page(client, f"/calendar/?section={slug}")))


def test_a_window_with_no_closing_day_is_in_every_month_from_its_opening(client, open_ended):
    today = timezone.localdate()
    later = (today.replace(day=1) + 100 * DAY).strftime("%Y-%m")  # three months on: "closes later" closed
    html = page(client, f"/calendar/?policy=test-policy&month={later}")
    assert listed(html) == [
        open_ended["no day"],
        open_ended["no closing day"],
        open_ended["opens later, no closing day"],
    ]
    assert "共 3 项" in html
