"""What every calendar page reads of the whole library, read once per content revision and day by each
worker rather than on each request: the policies (those expired today, whose awards the calendar leaves
out, and those its form offers), the recipient kinds its form offers, and how many awards each section
holds and how many a month lists (the calendar's tally). The awards are counted by section and by the
months their window opens and closes in, per policy and pillar and per kind and pillar, so that a page's
counts, whichever of kind, pillar and policy it asks for, are lookups; one naming both a kind and a
policy is counted by the database (one query over that policy's awards of that kind, few). Four queries
when a worker first reads a revision on a day, none after. See docs/architecture.md. Like the finder's
tally (measures/public/finder/tally.py) it is keyed by the content revision, so never stale; unlike it,
it is kept only in the worker (it is a few thousand small rows, counted in tens of milliseconds), and
also by the day, since sections are read from today's date.
"""

import datetime
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Value, When
from django.db.models.functions import TruncMonth
from django.utils.html import escape
from django.utils.safestring import mark_safe

from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Policy
from measures.public.calendar import windows
from measures.public.formatting import zh_lang

EVERY_AWARD = "all"  # every policy's awards; a policy's are ("policy", id), a kind's ("kind", id)
OUTSIDE = "outside"  # a dated window in no section: closed before this year
SLUGS = [section.slug for section in windows.SECTIONS] + [windows.UNPUBLISHED]


@dataclass(frozen=True)
class KindChoice:
    slug: str
    name: str


@dataclass(frozen=True)
class PolicyChoice:
    slug: str
    label: str  # its short title, else its title


class CalendarTally:
    """One revision's and one day's policies, kinds and section counts."""

    def __init__(self, policies, every, expired, kinds, award_rows, kind_rows):
        self.policies = policies  # [PolicyChoice] of the policies holding a public award, by slug
        self.every = every  # ids of every policy
        self.expired = expired  # ids of the policies expired today
        self.kinds = kinds  # [KindChoice], in the kinds' order
        self.counts = defaultdict(Counter)  # (scope, pillar number or None) -> {section slug: awards}
        # (scope, pillar number or None) -> {(first month, last month) of a dated window: awards}, the
        # months as month_number()s, None where the window gives no day.
        self.spans = defaultdict(Counter)
        for policy, pillar, section, window_kind, opens, closes, count in award_rows:
            if policy in expired:
                continue
            for scope in (EVERY_AWARD, ("policy", policy)):
                self._add(scope, pillar, section, window_kind, opens, closes, count)
        for kind, pillar, section, window_kind, opens, closes, count in kind_rows:
            self._add(("kind", kind), pillar, section, window_kind, opens, closes, count)
        # Each option's slug and label escaped once, for the form's <option>s.
        self._policy_options = [
            (policy.slug, escape(policy.slug), escape(f"《{policy.label}》")) for policy in policies
        ]
        self._kind_options = [(kind.slug, escape(kind.slug), escape(kind.name)) for kind in kinds]

    def _add(self, scope, pillar, section, window_kind, opens, closes, count):
        for number in {None, pillar}:
            self.counts[scope, number][section] += count
            if window_kind == windows.DATES:
                self.spans[scope, number][month_number(opens), month_number(closes)] += count

    def section_counts(self, cleaned: dict) -> dict[str, int] | None:
        """How many awards each section holds (UNPUBLISHED too) for a calendar question (an AwardFilter's
        cleaned data); None when the question names both a kind and a policy (not tallied)."""
        scope = _scope(cleaned)
        if scope is None:
            return None
        counts = self.counts.get((scope, cleaned.get("pillar")), {})
        return {slug: counts.get(slug, 0) for slug in SLUGS}

    def month_count(self, cleaned: dict, first_day: datetime.date) -> int | None:
        """How many awards' dated windows overlap the month of `first_day` (windows.in_month) for a
        calendar question; None when it names both a kind and a policy (not tallied)."""
        scope = _scope(cleaned)
        if scope is None:
            return None
        month = month_number(first_day)
        return sum(
            count
            for (first, last), count in self.spans.get((scope, cleaned.get("pillar")), {}).items()
            if (first is None or first <= month) and (last is None or last >= month)
        )

    def policy_options(self, chosen: str | None):
        """The form's <option>s of the policies, `chosen` (a slug) selected: written here rather than by a
        template loop, since a city's library offers hundreds."""
        return _options_html(self._policy_options, chosen)

    def kind_options(self, chosen: str | None):
        """The form's <option>s of the recipient kinds, `chosen` (a slug) selected, as policy_options: a
        template loop over the tens of kinds cost every calendar page about as much as its form's rest."""
        return _options_html(self._kind_options, chosen)


def _options_html(options, chosen: str | None):
    """<option>s of (slug, escaped slug, escaped label) rows, the one of slug `chosen` selected; each in
    Chinese (zh_lang), as the names are."""
    lang = zh_lang()
    return mark_safe(
        "".join(
            f'<option{lang} value="{slug}"{" selected" if raw == chosen else ""}>{label}</option>'
            for raw, slug, label in options
        )
    )


def _scope(cleaned: dict):
    """The tally's scope of a question: EVERY_AWARD, its policy's or its kind's; None when it names both."""
    policy, kind = cleaned.get("policy"), cleaned.get("kind")
    if policy is not None and kind is not None:
        return None
    return ("policy", policy.pk) if policy is not None else ("kind", kind.pk) if kind is not None else EVERY_AWARD


def month_number(day: datetime.date | None) -> int | None:
    """The month of `day` as one number (months since year 0), so that months compare as numbers."""
    return None if day is None else day.year * 12 + day.month - 1


def section_of(today: datetime.date) -> Case:
    """The slug of the section an award's window belongs to on `today` (OUTSIDE for none), as an SQL
    expression over the award's window columns (those of a query of the kinds' links: WINDOW_OF_LINKED)."""
    whens = [When(windows.in_section_q(slug, today), then=Value(slug)) for slug in SLUGS]
    return Case(*whens, default=Value(OUTSIDE), output_field=CharField())


# The award's columns the sections and months read, named as on the award, in a query of its kinds' links.
WINDOW_OF_LINKED = {
    name: F(f"award__{name}") for name in ("listed_window_kind", "listed_window_opens", "listed_window_closes")
}


def count_in_database(awards, today: datetime.date) -> dict[str, int]:
    """How many of `awards` each section holds: one query."""
    counts = awards.order_by().aggregate(
        **{
            f"section_{index}": Count("pk", filter=windows.in_section_q(slug, today))
            for index, slug in enumerate(SLUGS)
        }
    )
    return {slug: counts[f"section_{index}"] for index, slug in enumerate(SLUGS)}


WINDOW_MONTHS = ("opens_month", "closes_month")


def _months() -> dict:
    """The months a window opens and closes in (the first day of each), to count awards by month."""
    return {"opens_month": TruncMonth("listed_window_opens"), "closes_month": TruncMonth("listed_window_closes")}


def _count(today: datetime.date, published) -> CalendarTally:
    """Four queries: the policies, the awards by policy, pillar, section and window (its kind, the
    months it opens and closes in), the kinds' links by kind, pillar, section and window, the kinds."""
    rows = list(
        Policy.objects.order_by("slug").values_list(
            "id", "slug", "short_title", "title", "issue_date", "effective_date", "validity_years"
        )
    )
    expired = windows.expired_policies([(pk, *dates) for pk, _slug, _short, _title, *dates in rows], today)
    awards = published.order_by()
    award_rows = list(
        awards.annotate(section=section_of(today), **_months())
        .values_list("listed_policy_id", "listed_pillar_number", "section", "listed_window_kind", *WINDOW_MONTHS)
        .annotate(Count("pk"))
    )
    listed = {policy for policy, *_rest in award_rows}
    policies = [PolicyChoice(slug, short or title) for pk, slug, short, title, *_dates in rows if pk in listed]
    every = {pk for pk, *_rest in rows}
    kept = windows.without_expired(awards, expired, every)
    kind_rows = list(
        AwardRecipientKind.objects.filter(award__in=kept.values("pk"))
        .order_by()
        .alias(**WINDOW_OF_LINKED)
        .annotate(section=section_of(today), **_months())
        .values_list("kind_id", "award__listed_pillar_number", "section", "award__listed_window_kind", *WINDOW_MONTHS)
        .annotate(Count("award_id"))
    )
    kinds = [
        KindChoice(slug, name) for slug, name in RecipientKind.objects.public().in_order().values_list("slug", "name")
    ]
    return CalendarTally(policies, every, expired, kinds, award_rows, kind_rows)


class _Latest:
    """The tally of the latest revision and day this worker has read (one: an edit or a new day makes
    the last one useless)."""

    def __init__(self):
        self.key, self.tally = None, None
        self.lock = threading.Lock()

    def get(self, revision_key: str, today: datetime.date, published) -> CalendarTally:
        """The tally of the revision and day, counted from `published` (the awards the finder shows,
        finder_awards()) when this worker has not yet counted them."""
        key = (revision_key, today)
        with self.lock:
            if self.key != key:
                self.key, self.tally = key, _count(today, published)
            return self.tally

    def clear(self) -> None:
        with self.lock:
            self.key, self.tally = None, None


COUNTED = _Latest()
