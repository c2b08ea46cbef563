"""Addresses made from the current page's query string: the facet links of the finder and the policy
library, the pagers of the finder and the calculator, and their CSV links."""

from urllib.parse import urlencode

from django.utils.translation import gettext as _


def with_query(path, query) -> str:
    """`path` with this QueryDict as its query string (none when it is empty)."""
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def query_with(request, name, value) -> str:
    """The current page's URL with one parameter set to `value`, or removed when it is None. Any
    other change than turning the page starts again from the first page."""
    return query_with_each(request, name)(value)


def query_with_each(request, name):
    """query_with(request, name, value) as a function of `value`, for the many options of one parameter
    (a facet's links): the rest of the query is copied and encoded once, not once a link."""
    query = request.GET.copy()
    query.pop(name, None)
    query.pop("page", None)
    rest = query.urlencode()

    def url(value) -> str:
        parts = [rest] if rest else []
        if value is not None:
            parts.append(urlencode({name: str(value)}))  # last, as setting it on the QueryDict put it
        return f"{request.path}?{'&'.join(parts)}" if parts else request.path

    return url


def facet_links(request, facet, selected_value, label=None) -> dict:
    """A facet as links (measures/_facet.html): "不限" (the parameter removed), then one per option, each
    the current query with that option chosen. `label(option)` names an option (default: its label)."""
    url = query_with_each(request, facet.name)
    total = facet.total if facet.total is not None else sum(option.count for option in facet.options)
    links = [{"label": _("不限"), "count": total, "url": url(None), "selected": selected_value is None}]
    links += [
        {
            "label": label(option) if label else option.label,
            "count": option.count,
            "url": url(option.value),
            "selected": option.value == selected_value,
        }
        for option in facet.options
    ]
    return {"name": facet.name, "label": facet.label, "links": links}


def pager_urls(request, results) -> dict:
    """The context of measures/_pager.html for this page of results: the addresses of the pages before
    and after it (None at either end)."""
    return {
        "previous_page_url": query_with(request, "page", results.previous_page_number())
        if results.has_previous()
        else None,
        "next_page_url": query_with(request, "page", results.next_page_number()) if results.has_next() else None,
    }
