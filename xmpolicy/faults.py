"""A database that is down is a 503 "temporarily unavailable" for the visitor, never a 500 or a trace.

`server_error` (handler500) is the one place that tells a database that is down from a bug; the log gets
one line per such request (`OneLineWhenTheDatabaseIsDown`), and a dropped kept connection is retried once
on a fresh one (`reconnecting_once`), so nothing has to be restarted when the database is back.
See docs/architecture.md#a-database-that-is-down.
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
