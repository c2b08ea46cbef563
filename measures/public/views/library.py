"""The policy library (/policies/) and its CSV (/policies/export.csv).

Both read the GET parameters through measures.public.library.filters.LibraryFilter, so the page and the
file hold the same policies in the same order. Queries, whatever the number of policies: none of the
page's own; the catalogue (measures/public/library/catalogue.py) is read once per content revision.
"""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from measures.public import exports
from measures.public.formatting import site_url
from measures.public.library.columns import LIBRARY_COLUMNS
from measures.public.library.filters import LIBRARY_DEFAULT_SORT, LIBRARY_SORT_CHOICES, LibraryFilter
from measures.public.query_urls import facet_links, pager_urls, with_query

POLICIES_PER_PAGE = 30


def library_filter(request) -> LibraryFilter:
    return LibraryFilter(request.GET, request=request)


def policy_library(request):
    library = library_filter(request)
    context = {
        "form": library.form,
        "sort_choices": LIBRARY_SORT_CHOICES,
        "sort": request.GET.get("sort") or LIBRARY_DEFAULT_SORT,
        "words": request.GET.get("q", ""),
        "all_count": len(library.catalogue.entries),
    }
    if not library.is_valid():
        # As in the finder: with a wrong parameter nothing is listed, and the page says what was wrong.
        context["errors"] = library.error_messages()
        context["kept_params"] = library.selected().items()
        return render(request, "measures/policy_library.html", context, status=400)
    selected = library.selected()
    results = Paginator(library.listed(), POLICIES_PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        results=results,
        **pager_urls(request, results),
        words=library.form.cleaned_data.get("q") or "",
        facets=[facet_links(request, facet, selected.get(facet.name)) for facet in library.facets()],
        kept_params=selected.items(),
        chosen_count=len(selected) + bool(library.form.cleaned_data.get("q")),
        csv_url=with_query(reverse("measures:policies_csv"), request.GET),
    )
    return render(request, "measures/policy_library.html", context)


def policy_library_csv(request):
    library = library_filter(request)
    if not library.is_valid():
        lines = [_("筛选条件有误：")] + [f"{name}: {message}" for name, message in library.error_messages()]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")
    response = exports.csv_response(LIBRARY_COLUMNS, library.listed(), site_url)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("policies", "csv")}"'
    return response
