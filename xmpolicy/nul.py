"""NUL characters in what a visitor sends: the one rule, for every surface.

PostgreSQL refuses a NUL (U+0000) in any text it is sent, with an error: a lookup or a filter that
passed one on would be a 500. No id, slug, filter value or search term of this site holds one, so
wherever visitor input reaches a query it is checked here first, and a NUL means what a wrong value
means on that surface:

- an id or slug in an API address: 404 (measures/public/api/views.py);
- the award finder's `policy`: "政策无效" on the page, 400 from the API (measures/public/finder/filters.py);
- a search query: a separator between terms, like a space (measures/search/query.py);
- an admin list's filters or search: 400 (measures/editing/admin.py).

(A session key is stricter still: letters and digits only, xmpolicy/sessions.py.)
"""

NUL = "\x00"


def has_nul(*values) -> bool:
    """Whether any of `values` (strings, or what str() makes of them) holds a NUL."""
    return any(NUL in str(value) for value in values)


def query_has_nul(query) -> bool:
    """Whether any key or value of a QueryDict (request.GET) holds a NUL."""
    return any(has_nul(key, *values) for key, values in query.lists())


def without_nul(text: str, replacement: str = "") -> str:
    """`text` with every NUL replaced (by default, removed)."""
    return text.replace(NUL, replacement)
