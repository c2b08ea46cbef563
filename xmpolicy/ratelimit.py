"""Fair use: one client may load the search page and call the API only so often, so that a script
hammering them cannot starve everyone else.

Two limits counted apart (SEARCH_RATE_LIMIT, API_RATE_LIMIT), per client address (an IPv6 /64) and fixed
window, in Django's cache; every other page is never limited. The middleware runs before the page cache,
so cached answers count too. A cache that fails lets the request through.
See docs/architecture.md#fair-use-counting.
"""

import ipaddress
import math
import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext, ngettext_lazy

from xmpolicy.api_errors import API_PREFIX
from xmpolicy.locale import chosen_language
from xmpolicy.optional_cache import OptionalCache
from xmpolicy.proxies import client_ip

SEARCH_PATH = "/search/"

# How the limit reads on the page, for each period the settings accept (xmpolicy/env.py env_rate).
PERIOD_PHRASES = {
    1: ngettext_lazy("每秒 %(count)s 次", "每秒 %(count)s 次", "count"),
    60: ngettext_lazy("每分钟 %(count)s 次", "每分钟 %(count)s 次", "count"),
    60 * 60: ngettext_lazy("每小时 %(count)s 次", "每小时 %(count)s 次", "count"),
    24 * 60 * 60: ngettext_lazy("每天 %(count)s 次", "每天 %(count)s 次", "count"),
}

COUNTERS = OptionalCache("rate limit counter")


def now() -> float:
    """The clock the windows are counted by (the tests turn it)."""
    return time.time()


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope, rate = limited_scope(request.path_info)
        if rate is not None:
            retry_after = over_limit(scope, rate, client_of(request))
            if retry_after:
                return too_many_requests(request, scope, rate, retry_after)
        return self.get_response(request)


def limited_scope(path: str) -> tuple[str, tuple[int, int] | None]:
    """Which counter a path uses, and its limit as (requests, seconds); None for no limit."""
    if path == SEARCH_PATH:
        return "search", settings.SEARCH_RATE_LIMIT
    if path.startswith(API_PREFIX):
        return "api", settings.API_RATE_LIMIT
    return "", None


def client_of(request) -> str:
    """The address the client is counted by."""
    address = client_ip(request)
    if address is None:
        # No usable address (a misconfigured socket): such requests are counted together, rather than
        # each one being let through unlimited.
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def over_limit(scope: str, rate: tuple[int, int], client: str) -> int:
    """Count this request; 0 if it is within the limit, else the seconds until the window ends."""
    requests, seconds = rate
    moment = now()
    window = int(moment // seconds)
    # The window is in the key, so a new one starts from zero without resetting anything; the
    # timeout only lets old counters go.
    key = f"ratelimit:{scope}:{seconds}:{window}:{client}"
    count = COUNTERS.count(key, timeout=seconds)
    if count is None or count <= requests:  # None: the cache failed (logged), the request is served
        return 0
    return max(1, math.ceil((window + 1) * seconds - moment))


def too_many_requests(request, scope: str, rate: tuple[int, int], retry_after: int):
    requests, seconds = rate
    # Before the language middleware: the visitor's language is chosen here, as it would be there.
    with translation.override(chosen_language(request)):
        if scope == "api":
            detail = ngettext(
                "请求过于频繁，请 %(seconds)s 秒后再试。", "请求过于频繁，请 %(seconds)s 秒后再试。", retry_after
            ) % {"seconds": retry_after}
            response = JsonResponse({"detail": detail}, status=429, json_dumps_params={"ensure_ascii": False})
        else:
            phrase = PERIOD_PHRASES.get(seconds)
            context = {
                "limit": phrase % {"count": requests} if phrase else "",
                "retry_after": retry_after,
                # A wait of minutes (an hourly or daily limit) reads better in minutes.
                "retry_minutes": math.ceil(retry_after / 60) if retry_after >= 120 else 0,
            }
            response = render(request, "429.html", context, status=429)
        response.headers["Content-Language"] = translation.get_language()
    response.headers["Retry-After"] = str(retry_after)
    # Neither a browser nor a CDN may keep it: it is about this client, at this moment.
    add_never_cache_headers(response)
    return response
