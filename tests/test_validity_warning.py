"""有效期: in its last six months in force a policy says 将于…失效 on every page of it, and once expired
已失效; before that, nothing. (The calculator's default answer leaving out expired policies is
tests/test_calculator.py's.)"""

import datetime

import pytest
from django.utils import timezone

from measures.domain.models import Policy, months_before
from tests.html import page

PAGES = [
    "/policies/kjcx-2025/",
    "/policies/kjcx-2025/pillars/1/",
    "/policies/kjcx-2025/measures/3/",
    "/policies/kjcx-2025/measures/3/history/",
]


def in_force_until(policy, last_day: datetime.date):
    """Make the policy's three years end on `last_day`."""
    Policy.objects.filter(pk=policy.pk).update(
        validity_years=3, effective_date=(last_day + datetime.timedelta(days=1)).replace(year=last_day.year - 3)
    )


@pytest.mark.parametrize("url", PAGES)
def test_a_policy_in_its_last_six_months_says_when_it_expires_on_every_page(client, real_policy, url):
    last_day = timezone.localdate() + datetime.timedelta(days=40)
    in_force_until(real_policy, last_day)
    html = page(client, url)
    ends_on = last_day + datetime.timedelta(days=1)
    assert f"将于{ends_on:%Y年%-m月%-d日}失效（有效期至{last_day:%Y年%-m月%-d日}）" in html
    assert "validity-warning--expired" not in html


def test_an_expired_policy_says_so_on_every_page_even_a_pending_measure(client, real_policy):
    last_day = timezone.localdate() - datetime.timedelta(days=1)
    in_force_until(real_policy, last_day)
    for url in [*PAGES, "/policies/kjcx-2025/measures/12/"]:
        html = page(client, url, status=404 if url.endswith("/12/") else 200)
        assert f"已失效：有效期至{last_day:%Y年%-m月%-d日}" in html, url


def test_a_policy_with_more_than_six_months_left_shows_no_warning(client, real_policy):
    in_force_until(real_policy, months_before(timezone.localdate(), -7))
    assert 'class="validity-warning' not in page(client, PAGES[2])


def test_the_warning_starts_the_day_after_six_months_before_the_last_day():
    policy = Policy(issue_date=datetime.date(2025, 2, 17), validity_years=3)  # in force until 2028-02-16
    assert policy.validity_warning(datetime.date(2027, 8, 16)) is None
    assert not policy.validity_warning(datetime.date(2027, 8, 17)).expired
    assert not policy.validity_warning(datetime.date(2028, 2, 16)).expired
    assert policy.validity_warning(datetime.date(2028, 2, 17)).expired
    assert Policy(issue_date=datetime.date(2025, 2, 17)).validity_warning(datetime.date(2090, 1, 1)) is None


def test_the_warning_reads_in_english(client, real_policy):
    last_day = timezone.localdate() + datetime.timedelta(days=40)
    in_force_until(real_policy, last_day)
    client.cookies["django_language"] = "en"
    assert f"expires on {last_day + datetime.timedelta(days=1):%-d %B %Y}" in page(client, PAGES[2])
