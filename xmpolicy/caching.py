"""Conditional GET and Cache-Control for the public pages and the API.

Every public GET or HEAD (pages, feed, CSV, sitemap, downloads, /api/…) gets a weak ETag made of
the content's fingerprint (measures.freshness, one query), the interface language, the full path
with its query string, today's date in Xiamen (pages show whether the policy is in force today)
and the code's version (a deploy changes the HTML). A request whose If-None-Match (or
If-Modified-Since) still matches is answered 304 before the view runs: one query, not the page's.
An edit writes a historical row, so the very next request gets a new ETag and a fresh page.

`Cache-Control: public, max-age=PUBLIC_CACHE_SECONDS` lets a CDN keep a page briefly; never on
the admin, the language switch or /healthz, never on a response that sets a cookie (a session, a
CSRF token), never on an error. Pages keep `Vary: Cookie` (xmpolicy/locale.py): the language
comes from a cookie, so a shared cache must key on it or pass such requests through.
"""

import datetime
import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from measures.freshness import content_revision

# Views whose answer depends on more than the content: the editors' admin (its own never_cache),
# the language switch (sets a cookie) and the health check (must ask the database every time).
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_URL_NAMES = {"set_language", "healthz"}

# What the HTML, JSON and CSV are made from besides the content: a deploy that changes any of it
# must change the ETags. Hashing contents (not modification times) gives every machine running
# the same release the same ETags.
CODE_DIRS = ("xmpolicy", "measures", "templates", "locale", "static")


@functools.cache
def code_version() -> str:
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in CODE_DIRS:
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".po", ".pyc"}:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class ConditionalGetMiddleware:
    """Placed before the session and CSRF middleware, so that it sees the cookies they set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        validators = getattr(request, "content_validators", None)
        if validators is None:
            return response
        etag, last_modified = validators
        if response.status_code not in (200, 304):
            return response
        # A 304 repeats the validators (RFC 9110). Last-Modified is ours rather than a view's own
        # (the feed sets one from its newest entry): it is the one If-Modified-Since is compared with.
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        if response.cookies:
            # Never let a shared cache keep (and hand out) someone's cookie.
            patch_cache_control(response, private=True)
        elif "Cache-Control" not in response:
            seconds = settings.PUBLIC_CACHE_SECONDS
            if seconds:
                patch_cache_control(response, public=True, max_age=seconds)
            else:
                patch_cache_control(response, no_cache=True)
        patch_vary_headers(response, ("Cookie",))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if EXCLUDED_NAMESPACES.intersection(match.namespaces) or match.url_name in EXCLUDED_URL_NAMES:
            return None
        revision = content_revision()
        today = timezone.localdate()
        etag = _etag(revision.key, request.LANGUAGE_CODE, request.get_full_path(), today)
        # The pages may change at midnight (validity status, "as of today") as well as on an edit.
        midnight = datetime.datetime.combine(today, datetime.time.min, tzinfo=timezone.get_current_timezone())
        last_modified = max(revision.last_modified or midnight, midnight)
        request.content_validators = (etag, last_modified)
        # None (go on to the view), 304 Not Modified, or 412 for a failed If-Match.
        return get_conditional_response(request, etag=etag, last_modified=int(last_modified.timestamp()))


def _etag(revision_key, language, full_path, today) -> str:
    text = "|".join((revision_key, language, full_path, today.isoformat(), code_version()))
    # Weak: the same content gives the same tag, though a view may vary bytes (e.g. a timestamp).
    return f'W/"{hashlib.sha256(text.encode()).hexdigest()[:24]}"'
