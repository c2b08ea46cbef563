"""The award finder (/awards/), its full list of policies (/awards/policies/) and its CSV export
(/awards/export.csv).

All read the GET parameters through measures.public.finder.filters.AwardFilter, so the page and the file always
hold the same awards in the same order. Queries, whatever the amount of data: the page runs one for the
results and one for where to apply (去办理); its count and its facets come from the finder's tally
(measures/public/finder/tally.py, read once per revision, and finder/facets.py). A `policy` parameter
adds two (checking it, counting the kinds of its awards), a `kind` two (checking it, counting the policies
of its awards). The CSV runs one.
"""

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from measures.domain.eligibility import attach_entries
from measures.domain.models import Policy
from measures.public import exports
from measures.public.alerts import follow_url
from measures.public.alerts.targets import FINDER_FILTERS
from measures.public.finder.facets import finder_facets, policy_choices
from measures.public.finder.filters import DEFAULT_SORT, SORT_CHOICES, AwardFilter
from measures.public.finder.tally import KnownCountPaginator, finder_count
from measures.public.formatting import pillar_numeral, site_url
from measures.public.query_urls import facet_links, pager_urls, with_query
from xmpolicy.nul import without_nul

# Enough for every award of a policy on one page; a city-wide library gets pages.
RESULTS_PER_PAGE = 50
MAX_POLICY_WORDS = 100  # characters of a policy's name searched for at most


def award_finder(request):
    finder = AwardFilter(request.GET)
    context = {
        "form": finder.form,
        "sort_choices": SORT_CHOICES,
        "sort": request.GET.get("sort") or DEFAULT_SORT,
    }
    if not finder.is_valid():
        # With a wrong parameter nothing is listed (the page says so): a list filtered by only
        # some of what the user asked for would look like an answer to the whole question.
        context["errors"] = finder.error_messages()
        context["kept_params"] = finder.selected().items()
        return render(request, "measures/awards.html", context)
    selected = finder.selected()
    # Counted from the finder's counts, not by a COUNT(*). get_page forgives a bad `page` (not a
    # number: the first page; past the end: the last one).
    paginator = KnownCountPaginator(finder.qs.for_finder(), RESULTS_PER_PAGE, count=finder_count(finder, request))
    results = paginator.get_page(request.GET.get("page"))
    # Where to apply for each award on the page, for its 去办理 (one query).
    results.object_list = attach_entries(results.object_list)
    context.update(
        results=results,
        **pager_urls(request, results),
        facets=[_facet_links(request, facet, selected.get(facet.name)) for facet in finder_facets(finder, request)],
        # The form carries the facets chosen by links, so that typing an amount keeps them.
        kept_params=selected.items(),
        # What the phones' 筛选 button says is already chosen: the facets and the amounts typed.
        chosen_count=len(selected) + sum(finder.form.cleaned_data.get(name) is not None for name in ("min", "max")),
        csv_url=with_query(reverse("measures:awards_csv"), request.GET),
        # 关注 these filters: mail when an award they list appears or changes (not the page or order).
        follow_url=follow_url(kind="awards", filters=_filters_query(request)),
        follow_kind="awards",
    )
    return render(request, "measures/awards.html", context)


def award_policies(request):
    """The policy facet's full list (/awards/policies/): every policy with an award the finder's question
    finds, with its count, those whose title holds `q` when it is given; each links back to the finder
    with that policy chosen, the rest of the question kept."""
    finder = AwardFilter(request.GET)
    words = without_nul(request.GET.get("q", "")).strip()[:MAX_POLICY_WORDS]
    query = _without_policy(request)
    context = {
        "words": words,
        "kept_params": query.items(),
        "any_url": with_query(reverse("measures:awards"), query),
        "all_url": with_query(request.path, query),
    }
    if not finder.is_valid():
        context["errors"] = finder.error_messages()
        return render(request, "measures/award_policies.html", context, status=400)
    choices = policy_choices(finder, request)
    # Full titles here: short ones may repeat from one policy to another (若干措施).
    policies = Policy.objects.filter(slug__in=[choice.value for choice in choices])
    if words:
        policies = policies.filter(Q(title__icontains=words) | Q(short_title__icontains=words))
    titles = dict(policies.values_list("slug", "title"))
    choices = [choice for choice in choices if choice.value in titles]
    chosen = finder.selected().get("policy")
    context["choices"] = [
        {
            "label": f"《{titles[choice.value]}》",
            "count": choice.count,
            "url": with_query(reverse("measures:awards"), _with_policy(query, choice.value)),
            "selected": choice.value == chosen,
        }
        for choice in choices
    ]
    return render(request, "measures/award_policies.html", context)


def _without_policy(request):
    """The finder's question but for its policy (and the page, and the policy list's own `q`)."""
    query = request.GET.copy()
    for name in ("policy", "page", "q"):
        query.pop(name, None)
    return query


def _with_policy(query, policy):
    query = query.copy()
    query["policy"] = policy
    return query


def award_export_csv(request):
    finder = AwardFilter(request.GET)
    if not finder.is_valid():
        lines = [_("筛选条件有误：")] + [f"{name}: {message}" for name, message in finder.error_messages()]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")
    # The finder's columns of measures.public.exports (shared with the bulk downloads).
    response = exports.csv_response(exports.FINDER_AWARD_COLUMNS, finder.qs.for_finder(), site_url)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("finder", "csv")}"'
    return response


def _filters_query(request) -> str:
    query = request.GET.copy()
    for name in list(query):
        if name not in FINDER_FILTERS or not query.get(name, "").strip():
            del query[name]
    return query.urlencode()


def _facet_links(request, facet, selected_value):
    """A finder facet as links (query_urls.facet_links), with the policies' "more" where some are not listed."""
    links = facet_links(request, facet, selected_value, label=lambda option: _option_label(facet.name, option))
    more = {}
    if facet.more:  # the policies not listed: a search among them, and the full list
        query = _without_policy(request)
        more = {
            "more": facet.more,
            "more_url": with_query(reverse("measures:award_policies"), query),
            "kept": query.items(),
        }
    return {**links, **more}


def _option_label(facet_name, option):
    if facet_name == "pillar":
        number = pillar_numeral(option.value)
        # The same msgid as the pillar headings in the templates: 二、… in Chinese, "Pillar 2: …" in English.
        return _("%(number)s、%(title)s") % {"number": number, "title": option.label} if option.label else number
    if facet_name == "policy":
        return f"《{option.label}》" if option.label else option.value
    return option.label
