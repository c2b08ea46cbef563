"""The application calendar (/calendar/) and its iCalendar feeds: the whole calendar (/calendar.ics), a
measure's (/policies/<slug>/measures/<n>/calendar.ics) and a calculator answer's (/calculator/calendar.ics).

The page and /calendar.ics read `kind`, `pillar` and `policy` as the award finder does (its AwardFilter),
the calculator's feed reads its question as the calculator does (CalculatorQuery): a parameter they
cannot read is a 400 that says why, never a partial answer. Queries are fixed whatever the data: the
calendar's tally on a revision's (or a day's) first page (four: the policies, the kinds and the counts,
measures/public/calendar/tally.py), each section's first awards (their ids, a query a section, then the
awards in one) or a page of them (measures/public/calendar/windows.py), the application facts of the
awards listed (four), and the counts when a question names both a kind and a policy (one).
"""

import datetime
import re

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.domain.eligibility import attach_eligibility
from measures.domain.models import LISTING_ORDER, Measure
from measures.public import calculator
from measures.public.calendar import ics, tally, windows
from measures.public.finder.filters import AwardFilter, finder_awards
from measures.public.finder.tally import KnownCountPaginator, revision_key
from measures.public.formatting import site_url
from measures.public.query_urls import pager_urls, query_with, with_query

CALENDAR_FILTERS = ("kind", "pillar", "policy")
PER_SECTION = 5  # awards shown in each section of the overview; its own page lists them all
# A section's or a month's page: each entry is a card with its window, kinds, departments, guides and where
# to apply, a reading and a rendering cost of its own; twenty fill a screen or two, the pager turns.
PER_PAGE = 20
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def calendar_page(request):
    today = timezone.localdate()
    known = tally.COUNTED.get(revision_key(request), today, finder_awards())
    finder = AwardFilter(_filter_params(request.GET))
    errors = finder.error_messages() if not finder.is_valid() else []
    section, month = request.GET.get("section", ""), request.GET.get("month", "")
    if section and section not in windows.SECTIONS_BY_SLUG and section != windows.UNPUBLISHED:
        errors.append(("section", _("“%(value)s”不是日历的一部分。") % {"value": section[:60]}))
    first_day = _month(month)
    if month and first_day is None:
        errors.append(("month", _("月份无效：请写成 2026-03 这样的年份和月份。")))
    context = {
        "today": today,
        "form": finder.form,
        "filters": _filters_chosen(finder) if not errors else {},
        "errors": [message for _name, message in errors],
        "kind_options": known.kind_options(finder.form["kind"].value()),
        "policy_options": known.policy_options(finder.form["policy"].value()),
        "months": [],
    }
    if errors:
        return render(request, "measures/calendar.html", context, status=400)
    awards = windows.calendar_awards(finder.qs, today, known.expired, known.every)
    year = first_day.year if first_day else today.year
    context["months"] = [{"first_day": day, "url": _month_url(request, day)} for day in windows.year_of_months(year)]
    context.update(
        year=year,
        month=first_day,
        previous_year_url=_month_url(request, datetime.date(year - 1, 12, 1)),
        next_year_url=_month_url(request, datetime.date(year + 1, 1, 1)),
        feed_url=with_query(reverse("measures:calendar_ics"), _filter_params(request.GET)),
    )
    counts = None if first_day else _section_counts(known, finder, awards, today)
    if first_day or section:
        if first_day:
            chosen = windows.in_month(awards, first_day)
            # From the tally; None (counted by the paginator) when the question names a kind and a policy.
            count = known.month_count(finder.form.cleaned_data, first_day)
        else:
            chosen, count = windows.in_section(awards, section, today), counts[section]
        listed = windows.in_order(chosen, None if first_day else section).for_finder()
        results = _page(listed, request.GET.get("page"), count)
        context.update(
            chosen_section=windows.SECTIONS_BY_SLUG.get(section),
            unpublished_chosen=section == windows.UNPUBLISHED,
            results=results,
            overview_url=_overview_url(request),
            **pager_urls(request, results),
        )
        return render(request, "measures/calendar.html", context)
    first = _first_of_each_section(awards, today)
    context["overview"] = [_section(request, one, first[one.slug], counts[one.slug]) for one in windows.SECTIONS]
    attach_eligibility([award for item in context["overview"] for award in item["awards"]])
    context["unpublished_count"] = counts[windows.UNPUBLISHED]
    context["unpublished_url"] = query_with(request, "section", windows.UNPUBLISHED)
    context["known_count"] = sum(item["count"] for item in context["overview"])
    return render(request, "measures/calendar.html", context)


def _section_counts(known, finder, awards, today) -> dict[str, int]:
    """Each section's awards (未公布 too) for the question: from the tally, or one query when it names
    both a kind and a policy."""
    counts = known.section_counts(finder.form.cleaned_data)
    return counts if counts is not None else tally.count_in_database(awards, today)


def calendar_ics(request):
    """Every dated window of the calendar, with the page's filters."""
    finder = AwardFilter(_filter_params(request.GET))
    if not finder.is_valid():
        return _refused([message for _name, message in finder.error_messages()])
    awards = windows.dated(windows.calendar_awards(finder.qs, timezone.localdate()))
    page = site_url(with_query(reverse("measures:calendar"), _filter_params(request.GET)))
    return _feed(awards, _("申报日历 · 厦门科技创新政策库"), page, "calendar.ics")


def measure_ics(request, slug, number):
    measure = Measure.objects.published().filter(policy__slug=slug, number=number).select_related("policy").first()
    if measure is None:
        raise Http404(_("没有这条措施。"))
    awards = windows.dated(
        windows.calendar_awards(
            finder_awards().filter(listed_policy=measure.policy, listed_measure_number=number),
            timezone.localdate(),
        )
    )
    name = _("第%(number)d条 %(title)s · 申报日历") % {"number": number, "title": measure.title}
    return _feed(awards, name, site_url(measure.get_absolute_url()), f"measure-{number}.ics")


def calculator_ics(request):
    query = calculator.CalculatorQuery.from_params(request.GET, require_kind=True)
    answered = calculator.answered_awards(query)  # the awards, not their sums: a feed does not show them
    if query.errors:
        return _refused([message for _name, message in query.errors])
    awards = windows.dated(windows.calendar_awards(answered, timezone.localdate()))
    names = "、".join(kind.name for kind in query.kinds)
    page = site_url(with_query(reverse("measures:calculator"), request.GET))
    return _feed(awards, _("%(kinds)s · 申报日历") % {"kinds": names}, page, "calculator.ics")


def _feed(awards, name, page, filename):
    # In the policies' order, not by date: a calendar program places the events itself.
    listed = attach_eligibility(list(awards.order_by(*LISTING_ORDER).for_finder()))
    response = HttpResponse(ics.calendar_of(listed, name, page), content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _refused(messages):
    lines = [_("查询条件有误：")] + messages
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


def _first_of_each_section(awards, today) -> dict[str, list]:
    """Each section's first PER_SECTION of `awards`, in the section's order: their ids read section by
    section from the award table alone (its indexes; a query each), then the awards with their clause,
    measure, pillar and policy in one query, rather than that five-table join planned once a section."""
    ids = {
        section.slug: list(
            windows.in_order(windows.in_section(awards, section.slug, today), section.slug).values_list(
                "pk", flat=True
            )[:PER_SECTION]
        )
        for section in windows.SECTIONS
    }
    read = finder_awards().for_finder().in_bulk([pk for listed in ids.values() for pk in listed])
    # (An award unpublished since its id was read is left out, as the next page would.)
    return {slug: [read[pk] for pk in listed if pk in read] for slug, listed in ids.items()}


def _section(request, section, first, count):
    """A section of the overview: its count (known), its `first` awards (their facts are read with every
    section's, by the caller) and a link to all of them when there are more."""
    return {
        "section": section,
        "awards": first,
        "count": count,
        "more_url": query_with(request, "section", section.slug) if count > len(first) else None,
    }


def _page(listed, number, count=None):
    """A page of the awards `listed`; `count`, their number when known (else counted: one query)."""
    paginator = Paginator(listed, PER_PAGE) if count is None else KnownCountPaginator(listed, PER_PAGE, count=count)
    page = paginator.get_page(number)
    page.object_list = attach_eligibility(list(page.object_list))
    return page


def _filter_params(params):
    kept = params.copy()
    for name in list(kept):
        if name not in CALENDAR_FILTERS:
            del kept[name]
    return kept


def _filters_chosen(finder):
    cleaned = finder.form.cleaned_data
    return {name: cleaned.get(name) for name in CALENDAR_FILTERS if cleaned.get(name) not in (None, "")}


def _month(value):
    found = MONTH.match(value)
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def _overview_url(request):
    return with_query(request.path, _filter_params(request.GET))


def _month_url(request, first_day):
    """The calendar of that month, with the same filters (not the section nor the page)."""
    query = _filter_params(request.GET)
    query["month"] = first_day.strftime("%Y-%m")
    return with_query(request.path, query)
