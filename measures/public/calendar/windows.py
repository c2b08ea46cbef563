"""Which awards' application windows fall in each part of the calendar. An award's window is its own
record's, else its measure's (as merge_facts reads them), copied onto the award by the database
(`listed_window_*`, migration 0027), so that a section or a month is a range of the award table's columns.

Sections are disjoint for dated windows: 即将截止 (open, closing within CLOSING_SOON_DAYS), 正在受理 (the
rest of those open), 即将开始 (opening later), 今年已截止 (closed earlier this year). 常年受理 and
以年度通知为准 are their own sections; an award with no window is 未公布, counted and listed, never hidden.
Awards of expired policies drop out before any of this (`calendar_awards`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual, Range
from django.utils.translation import gettext_lazy as _

from measures.domain.eligibility import WindowKind
from measures.domain.id_lists import OneOf
from measures.domain.models import LISTING_ORDER, Policy, last_day_in_force, window_closes

CLOSING_SOON_DAYS = 30
DATES = WindowKind.DATES


@dataclass(frozen=True)
class Section:
    slug: str  # as in ?section=
    title: str
    about: str  # may name CLOSING_SOON_DAYS, filled in when read (in the visitor's language)

    @property
    def explanation(self) -> str:
        return str(self.about) % {"days": CLOSING_SOON_DAYS}

    def infos(self, today: datetime.date) -> Q:
        """The application facts whose window belongs to this section on `today`."""
        return SECTION_RULES[self.slug](today)


def _closes_between(first: datetime.date, last: datetime.date | None = None) -> Q:
    """Dated windows closing from `first` to `last`, or any day after `first` (those closing on no given
    day too) when `last` is None: one range of the closing day, which the index `award_window_closing`
    reads as such."""
    closes = Range(window_closes(), (first, last)) if last else GreaterThanOrEqual(window_closes(), first)
    return Q(listed_window_kind=DATES) & Q(closes)


def _opened_by(day: datetime.date) -> Q:
    return Q(listed_window_opens__isnull=True) | Q(listed_window_opens__lte=day)


def _closing_soon(today):
    # Open today (opened on a day past or not given) and closing in the next CLOSING_SOON_DAYS.
    return _closes_between(today, today + datetime.timedelta(days=CLOSING_SOON_DAYS)) & _opened_by(today)


def _open_later(today):
    # Open today, closing after CLOSING_SOON_DAYS or on a day not given.
    later = today + datetime.timedelta(days=CLOSING_SOON_DAYS + 1)
    return _closes_between(later) & _opened_by(today)


SECTION_RULES = {
    "closing-soon": _closing_soon,
    "open": _open_later,
    "opening-soon": lambda today: Q(listed_window_kind=DATES, listed_window_opens__gt=today),
    "closed": lambda today: _closes_between(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=1)),
    "year-round": lambda today: Q(listed_window_kind=WindowKind.YEAR_ROUND),
    "annual-notice": lambda today: Q(listed_window_kind=WindowKind.ANNUAL_NOTICE),
}

SECTIONS = [
    Section("closing-soon", _("即将截止"), _("正在受理，%(days)d天内截止。")),
    Section("open", _("正在受理"), _("已经开始受理，截止日期在%(days)d天以后或未公布。")),
    Section("opening-soon", _("即将开始"), _("申报时间段已公布，尚未开始受理。")),
    Section("closed", _("今年已截止"), _("今年的申报时间段已经结束。")),
    Section("year-round", _("常年受理"), _("不限申报时间，随时可以申请。")),
    Section("annual-notice", _("以年度通知为准"), _("每年的申报时间以当年发布的申报通知为准。")),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}
UNPUBLISHED = "unpublished"  # ?section= for the awards with no window


def calendar_awards(awards, today: datetime.date, expired: set[int] | None = None, every: set[int] | None = None):
    """`awards` (published ones, filtered as the visitor asked) without those of expired policies: an
    expired policy's windows are no longer anyone's to apply for. One query (the policies; there are few),
    none when the ids of the `expired` policies and of `every` policy are given
    (measures/public/calendar/tally.py keeps them)."""
    if expired is None or every is None:
        rows = list(Policy.objects.order_by().values_list("id", "issue_date", "effective_date", "validity_years"))
        expired, every = expired_policies(rows, today), {row[0] for row in rows}
    return without_expired(awards, expired, every)


def expired_policies(rows, today: datetime.date) -> set[int]:
    """The ids of the policies expired on `today` (Policy.validity_status) of (id, issue date, effective
    date, validity years) rows: read as rows, since a city's library holds hundreds of policies."""
    expired = set()
    for pk, issue_date, effective_date, validity_years in rows:
        start = effective_date or issue_date
        last = last_day_in_force(start, validity_years)
        if today >= start and last is not None and today > last:
            expired.add(pk)
    return expired


def without_expired(awards, expired: set[int], every: set[int]):
    """`awards` but those of the `expired` policies (ids; `every` policy's ids too), said with the shorter
    list: the policies left out, or those kept when most have expired, bound as one value (OneOf)."""
    if not expired:
        return awards
    kept = every - expired
    if kept and len(kept) < len(expired):  # (an empty list would skip the query: counts stay fixed)
        return awards.filter(OneOf("listed_policy_id", sorted(kept)))
    return awards.exclude(OneOf("listed_policy_id", sorted(expired)))


def in_section_q(slug: str, today: datetime.date) -> Q:
    """The awards (by their window's columns) of a section, or of UNPUBLISHED."""
    if slug == UNPUBLISHED:
        return Q(listed_window_kind__isnull=True)
    return SECTIONS_BY_SLUG[slug].infos(today)


def in_section(awards, slug: str, today: datetime.date):
    return awards.filter(in_section_q(slug, today))


def in_month(awards, first_day: datetime.date):
    """Awards whose dated window overlaps the month starting on `first_day`."""
    last_day = (first_day + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return awards.filter(_closes_between(first_day) & _opened_by(last_day))


def dated(awards):
    """Awards with a dated window (the only ones a calendar program can place)."""
    return awards.filter(listed_window_kind=DATES)


def year_of_months(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in range(1, 13)]


def in_order(awards, slug: str | None):
    """A section's awards in the order an applicant reads them: the nearest date first (the latest first
    for those closed), else in their policies' order."""
    if slug in ("closing-soon", "open", None):
        dates = [window_closes().asc(), F("listed_window_opens").asc(nulls_first=True)]
    elif slug == "opening-soon":
        dates = [F("listed_window_opens").asc()]
    elif slug == "closed":
        dates = [window_closes().desc()]
    else:
        return awards.order_by(*LISTING_ORDER)
    return awards.order_by(*dates, *LISTING_ORDER)
