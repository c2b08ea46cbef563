"""A database that is down is a 503 "temporarily unavailable" for the visitor, never a 500 or a trace.

When PostgreSQL restarts, fails over or cannot be reached, the driver's connection errors surface as
django.db.OperationalError or InterfaceError wherever the database is used: the content revision
that measures/public/page_cache/middleware.py reads first on every public GET, a view, a template, the session.
Nothing catches them there. Like any exception nobody catches, Django hands it to the URLconf's
handler500, `server_error` below (xmpolicy/urls.py): the one place that tells a database that is
down from a bug. A database that is down gets a 503 with `Retry-After: 30` and
`Cache-Control: no-store`: templates/503.html in the visitor's language (the site is temporarily
unavailable, nothing was lost, try again shortly), or {"detail": …} in JSON under /api/. Any other
exception is still Django's 500, as before.

Django logs every request that ends in an uncaught exception once, on the django.request logger, at
ERROR, with its traceback. For a database that is down, `OneLineWhenTheDatabaseIsDown` (a filter on
that logger, settings.LOGGING) turns that record into one line without the traceback: a trace per
request would flood the log during an outage and says nothing more.

Nothing has to be restarted afterwards. A kept connection (CONN_MAX_AGE) that the database dropped
is found by the first query that uses it. The first query of a request opens a fresh connection and
asks once more (`reconnecting_once`): the content revision on every public request, the session on
every signed-in one (xmpolicy/sessions.py: an editor's admin pages), and /healthz; so visitors and
editors are answered normally as soon as the database is back. Any other connection that failed is
closed by Django when its request ends (close_old_connections finds it unusable), and the next
request opens a new one. This costs nothing while the database is up, unlike Django's
conn_health_checks, a SELECT 1 before every request.

An editor's save is not half done either: the admin's change view runs in one transaction, inline rows
(a measure's clauses, a clause's awards) and history rows included, so a connection lost in the
middle leaves the database with none of the edit, and the page tells the editor to check.

The 503 page renders without the database: base.html runs no query (tests/test_faults.py checks it
with every query failing), and should rendering fail anyway, a plain bilingual page is sent.

With DEBUG on, Django shows its technical 500 page instead, as for any uncaught exception: handler500
is for sites that run without DEBUG, which production always does.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext
from django.views import defaults

from xmpolicy.api_errors import is_api
from xmpolicy.locale import chosen_language

# The errors that mean "the database cannot be reached or dropped us", as psycopg's (and sqlite3's)
# connection failures reach Django. Integrity, data and programming errors are bugs: they stay 500s.
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)

RETRY_AFTER_SECONDS = 30

# The last resort, should templates/503.html itself fail to render: no template, no translation.
FALLBACK_PAGE = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>网站暂时无法访问</title></head>
<body><h1>网站暂时无法访问</h1><p>已保存的内容没有丢失。请稍后再试。</p>
<p lang="en">The site is temporarily unavailable. Nothing that was saved has been lost. Please try again shortly.</p>
</body></html>
"""

logger = logging.getLogger(__name__)


def is_database_down(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_DOWN_ERRORS)


def reconnecting_once(query):
    """query(), and once more on a fresh connection if the one kept from an earlier request turns out
    to be dead (the database restarted). A connection that could not even be opened is not tried
    again: the database is down, and a second attempt would only double the wait. Not inside a
    transaction either: that is the caller's to abandon, not ours."""
    kept = connection.connection is not None
    try:
        return query()
    except DATABASE_DOWN_ERRORS:
        if not kept or connection.in_atomic_block:
            raise
        logger.warning("database connection lost; reconnecting")
        connection.close()
        return query()


def server_error(request):
    """handler500: the 503 answer when the database is down, Django's own 500 page for anything else.

    Django calls it while it handles the uncaught exception (django.core.handlers.exception), so
    sys.exc_info() is that exception."""
    if is_database_down(sys.exc_info()[1]):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request) -> HttpResponse:
    """The 503 answer: a page in the visitor's language, or JSON under /api/."""
    # The error may come before the language middleware has run (from the page cache's first query).
    language = chosen_language(request)
    with translation.override(language):
        if is_api(request):
            detail = gettext("服务暂时不可用：暂时无法连接数据库。已保存的数据没有丢失，请稍后再试。")
            response = JsonResponse({"detail": detail}, status=503, json_dumps_params={"ensure_ascii": False})
        else:
            response = _page(request)
        response.headers["Content-Language"] = language
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Neither a browser nor a CDN may keep it: the next request should find the site back.
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Cookie",))
    return response


def _page(request) -> HttpResponse:
    try:
        return render(request, "503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503)
    except Exception:
        logger.exception("templates/503.html could not be rendered; sent the plain page")
        return HttpResponse(FALLBACK_PAGE, status=503)


class OneLineWhenTheDatabaseIsDown(logging.Filter):
    """On the django.request logger: the record of a request that failed because the database is down
    becomes one line without its traceback, e.g.
    "Database unavailable, answered 503: GET /awards/ (OperationalError: connection failed: …)".
    Every other record passes as it is."""

    MESSAGE = "Database unavailable, answered 503: %s %s (%s)"

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if is_database_down(error):
            request = getattr(record, "request", None)
            method, path = (request.method, request.path) if request is not None else ("", "")
            record.msg = self.MESSAGE
            record.args = tuple(_escaped(text) for text in (method, path, summary(error)))
            record.exc_info = None
            record.exc_text = None
        return True


def _escaped(text: str) -> str:
    # As django.utils.log.log_response escapes a path: a line break in it cannot forge a log line.
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


def summary(error: BaseException) -> str:
    """The error in one short line for the log: its class and the first line of its message."""
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else ""
    if len(text) > 200:
        text = text[:199] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
