"""Addresses the project's own layers must recognise before (or without) resolving a URL.

Everything under API_PREFIX is the read-only JSON API (measures/public/api/, mounted there by
xmpolicy/urls.py): its refusals and errors are JSON, never a page (a 429 from xmpolicy/ratelimit.py,
a 503 from xmpolicy/faults.py), and it has its own rate limit (API_RATE_LIMIT).
"""

API_PREFIX = "/api/"


def is_api(request) -> bool:
    """Whether a request is for the JSON API."""
    return request.path_info.startswith(API_PREFIX)
