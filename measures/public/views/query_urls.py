"""Addresses made from the current page's query string: the finder's facet links, the pagers of the
finder and the calculator, and their CSV links."""


def with_query(path, query) -> str:
    """`path` with this QueryDict as its query string (none when it is empty)."""
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def query_with(request, name, value) -> str:
    """The current page's URL with one parameter set to `value`, or removed when it is None. Any
    other change than turning the page starts again from the first page."""
    query = request.GET.copy()
    query.pop(name, None)
    if name != "page":
        query.pop("page", None)
    if value is not None:
        query[name] = value
    return with_query(request.path, query)


def pager_urls(request, results) -> dict:
    """The context of measures/_pager.html for this page of results: the addresses of the pages before
    and after it (None at either end)."""
    return {
        "previous_page_url": query_with(request, "page", results.previous_page_number())
        if results.has_previous()
        else None,
        "next_page_url": query_with(request, "page", results.next_page_number()) if results.has_next() else None,
    }
