"""A database that is down is a 503 "temporarily unavailable" for the visitor, never a 500 or a trace.

When PostgreSQL restarts, fails over or cannot be reached, the driver's connection errors surface as
django.db.OperationalError or InterfaceError: from the content revision that measures/public/caching.py
reads first on every public GET, from a view, from a template, from the session. This middleware
turns any of them into a 503 with `Retry-After: 30` and `Cache-Control: no-store`: templates/503.html
in the visitor's language (the site is temporarily unavailable, nothing was lost, try again shortly),
or {"detail": …} in JSON under /api/. The failure is logged once, at ERROR, as one line without a
traceback (a trace per request would flood the log during an outage and says nothing more). Any other
exception is still Django's 500, as before.

Nothing has to be restarted afterwards. A kept connection (CONN_MAX_AGE) that the database dropped is
found by the first query that uses it; the content revision (the first query of every public request)
and /healthz then open a fresh connection and ask once more (`reconnecting_once`), so visitors are
answered normally as soon as the database is back. Elsewhere (the admin) that one request is a 503,
and Django closes the dead connection when it ends: the next opens a new one. This costs nothing while
the database is up, unlike Django's conn_health_checks, a SELECT 1 before every request.

An editor's save is not half done either: the admin's change view runs in one transaction, inline rows
(a measure's clauses, a clause's awards) and history rows included, so a connection lost in the
middle leaves the database with none of the edit, and the page tells the editor to check.

Where the error is caught. Django wraps every middleware in convert_exception_to_response, which
turns an exception into a 500 page (and logs it with its traceback) before the middleware outside it
ever sees it. So:

1. a view's or a template's error reaches `process_exception` here, before that conversion;
2. an error in the middleware just inside this one (the page cache's revision read, the usual
   first query of a public request) is caught in `__call__`, which calls that middleware itself
   rather than through its wrapper (kept by functools.wraps as `__wrapped__`);
3. anything else (a session saved after the view, say) has already become a 500 when it gets here,
   and been logged by Django; the `got_request_exception` signal marked the request, and the 500 is
   replaced by the 503 page.

The 503 page renders without the database: base.html runs no query (tests/test_faults.py checks it
with every query failing), and should rendering fail anyway, a plain bilingual page is sent.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.log import log_response
from django.utils.translation import gettext

from xmpolicy.locale import chosen_language

# The errors that mean "the database cannot be reached or dropped us", as psycopg's (and sqlite3's)
# connection failures reach Django. Integrity, data and programming errors are bugs: they stay 500s.
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"

# Set on a request whose database error another layer already turned into a 500 (path 3 above).
MARK = "_xmpolicy_database_error"

# The last resort, should templates/503.html itself fail to render: no template, no translation.
FALLBACK_PAGE = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>网站暂时无法访问</title></head>
<body><h1>网站暂时无法访问</h1><p>已保存的内容没有丢失。请稍后再试。</p>
<p lang="en">The site is temporarily unavailable. Nothing that was saved has been lost. Please try again shortly.</p>
</body></html>
"""

logger = logging.getLogger(__name__)


def is_database_down(error: BaseException) -> bool:
    return isinstance(error, DATABASE_DOWN_ERRORS)


def reconnecting_once(query):
    """query(), and once more on a fresh connection if the kept one turns out to be dead (the database
    restarted). Not inside a transaction: that is the caller's to abandon, not ours."""
    try:
        return query()
    except DATABASE_DOWN_ERRORS:
        if connection.in_atomic_block:
            raise
        logger.warning("database connection lost; reconnecting")
        connection.close()
        return query()


class DatabaseUnavailableMiddleware:
    """Placed in MIDDLEWARE just before (outside) measures.public.caching.ConditionalGetMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        # The next middleware itself, without Django's exception-to-500 wrapper (path 2 above).
        self.inner = getattr(get_response, "__wrapped__", get_response)

    def __call__(self, request):
        try:
            response = self.inner(request)
        except DATABASE_DOWN_ERRORS as error:
            return database_unavailable(request, error)
        # Anything else propagates to our own wrapper: Django's 500 (or 404, 403…) as before.
        error = getattr(request, MARK, None)
        if error is not None and response.status_code == 500:
            # Django has logged this one already, with its traceback (path 3 above).
            return database_unavailable(request, error, logged=True)
        return response

    def process_exception(self, request, exception):
        # A view's or a template's error, before Django makes it a 500 (path 1 above).
        if is_database_down(exception):
            return database_unavailable(request, exception)
        return None


def mark_database_error(sender, request=None, **kwargs):
    """Receives got_request_exception, sent while Django turns an uncaught exception into a 500."""
    error = sys.exc_info()[1]
    if request is not None and error is not None and is_database_down(error):
        setattr(request, MARK, error)


got_request_exception.connect(mark_database_error, dispatch_uid="xmpolicy.faults.mark_database_error")


def database_unavailable(request, error: BaseException, logged: bool = False) -> HttpResponse:
    """The 503 answer: a page in the visitor's language, or JSON under /api/."""
    language = chosen_language(request)
    with translation.override(language):
        if request.path_info.startswith(API_PREFIX):
            detail = gettext("服务暂时不可用：暂时无法连接数据库。已保存的数据没有丢失，请稍后再试。")
            response = JsonResponse({"detail": detail}, status=503, json_dumps_params={"ensure_ascii": False})
        else:
            response = _page(request)
        response.headers["Content-Language"] = language
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Neither a browser nor a CDN may keep it: the next request should find the site back.
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Cookie",))
    if logged:
        response._has_been_logged = True  # what django.utils.log.log_response sets: not logged twice
    else:
        log_response(
            "Database unavailable, answered 503: %s %s (%s)",
            request.method,
            request.path,
            summary(error),
            response=response,
            request=request,
            logger=logger,
            level="error",
        )
    return response


def _page(request) -> HttpResponse:
    try:
        return render(request, "503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503)
    except Exception:
        logger.exception("templates/503.html could not be rendered; sent the plain page")
        return HttpResponse(FALLBACK_PAGE, status=503)


def summary(error: BaseException) -> str:
    """The error in one short line for the log: its class and the first line of its message."""
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else ""
    if len(text) > 200:
        text = text[:199] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
