"""Conditional GET, Cache-Control and a server-side page cache for the public pages and the API.

Every public GET or HEAD gets a weak ETag naming the content's revision, the language, the 长辈版, the
path, the day and the code's version; a request naming it is a 304 before the view runs. The rendered
answer is kept under that ETag, so an edit needs no invalidation: the next request asks for a new key.
Only a 200 becomes a 304 or 412. See docs/architecture.md#conditional-get-and-the-page-cache.
"""

import datetime
import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.http.response import ResponseHeaders
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags

from measures.domain.revision import content_revision
from measures.public.page_cache import compression
from measures.public.page_cache.memory import PageMemory, entry_size
from measures.public.page_cache.revision_watch import WATCH
from xmpolicy.elder import is_elder
from xmpolicy.faults import DATABASE_DOWN_ERRORS, reconnecting_once
from xmpolicy.locale import chosen_language
from xmpolicy.optional_cache import OptionalCache

# Views whose answer depends on more than the content: the editors' admin (its own never_cache) and
# their previews of drafts, the e-mail alerts' pages (one visitor's forms and links, an address), the
# 纠错 and 提问 pages (a form; figures that move with every message, not with the content), the
# language and 长辈版 switches (set a cookie) and the health check (must ask the database every time).
EXCLUDED_NAMESPACES = {"admin", "preview", "alerts", "feedback"}
EXCLUDED_URL_NAMES = {"set_language", "set_elder_mode", "healthz"}

# What the HTML, JSON and CSV are made from besides the content: a deploy that changes any of it
# must change the ETags. Hashing contents (not modification times) gives every machine running
# the same release the same ETags.
CODE_DIRS = ("xmpolicy", "measures", "templates", "locale", "static")

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

# Bigger answers (a whole-library download) are rendered each time rather than crowding out pages.
MAX_CACHED_BYTES = 512 * 1024
# Entries are never stale (their key changes with the content); this only lets old ones expire.
PAGE_CACHE_TIMEOUT = 24 * 60 * 60

# A cache that fails is logged and bypassed (xmpolicy/optional_cache.py).
PAGES = OptionalCache("page cache")
# And the pages served from it lately, as they are (memory.py).
MEMORY = PageMemory()


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
    """Placed before the session and CSRF middleware, so that it sees the cookies they set, and so
    that a 304 or a page from the cache is answered without running them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        validators = self.validators(request)
        if validators is None:
            editing = _may_edit(request) and WATCH.usable()
            response = self.write(request) if editing else self.get_response(request)
            if _is_admin(request) and "Cache-Control" not in response:
                # Admin answers Django's views leave unmarked (a 403, a 404) are an editor's: never kept.
                patch_cache_control(response, private=True, no_store=True)
            return response
        response = self.answer_from_cache(request, validators)
        if response is None and request.revision_kept:
            # About to render, from what the database holds now: the revision is read to be sure the
            # page is kept under the right name (and the request's connection is alive, xmpolicy/faults.py).
            fresh = _read_revision()
            if fresh != request.content_revision:
                WATCH.forget()
                request.content_revision = fresh
                validators = self.validators(request, fresh)
                response = self.answer_from_cache(request, validators)
        etag, last_modified = request.content_validators
        if response is None:
            response = self.get_response(request)
            response = _store_page(request, response)
        if response.status_code == 200:
            response = get_conditional_response(
                request, etag=etag, last_modified=int(last_modified.timestamp()), response=response
            )
        if response.status_code not in (200, 304):
            return response
        if getattr(response, "from_page_cache", False):
            # Its validators and Vary were set when it was kept; only Cache-Control depends on who asks.
            if "Cache-Control" not in response:
                editor = settings.SESSION_COOKIE_NAME in request.COOKIES
                response.headers["Cache-Control"] = _cache_control(editor, settings.PUBLIC_CACHE_SECONDS)
            return response
        # A 304 repeats the validators (RFC 9110). Last-Modified is ours rather than a view's own
        # (the feed sets one from its newest entry): it is the one If-Modified-Since is compared with.
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        if response.cookies:
            # Never let a shared cache keep (and hand out) someone's cookie.
            patch_cache_control(response, private=True)
        elif "Cache-Control" not in response:
            editor = settings.SESSION_COOKIE_NAME in request.COOKIES
            response.headers["Cache-Control"] = _cache_control(editor, settings.PUBLIC_CACHE_SECONDS)
        patch_vary_headers(response, ("Cookie",))
        return response

    def write(self, request):
        """A request that may change the content (an editor's save): if it did, it is answered once every
        worker has been told (revision_watch.py), so that the next page the editor's
        browser asks for, of whichever worker, shows the change."""
        WATCH.listen()
        before = _read_revision()
        response = self.get_response(request)
        try:
            after = content_revision()
        except DATABASE_DOWN_ERRORS:  # the answer is already the error page: nothing was changed
            return response
        if after != before:
            WATCH.forget()
            WATCH.wait_until_announced(after)
        return response

    @staticmethod
    def answer_from_cache(request, validators) -> HttpResponse | None:
        """304 Not Modified (or 412 for a failed If-Match) to a request naming the page's own ETag; else
        the page from the cache; else None."""
        etag, last_modified = request.content_validators = validators
        if _names_etag(request, etag):
            return get_conditional_response(request, etag=etag, last_modified=int(last_modified.timestamp()))
        return _cached_page(request)

    @staticmethod
    def validators(request, revision=None) -> tuple[str, datetime.datetime] | None:
        """The ETag and Last-Modified of a public GET or HEAD; None for anything else."""
        if request.method not in ("GET", "HEAD"):
            return None
        # A Host the site does not serve is a 400 (DisallowedHost) before anything is looked up: the
        # page cache is keyed by host, and a 304 must not be given to a request that would be refused.
        request.page_host = request.get_host()
        if not _is_public(request.path_info, get_urlconf() or settings.ROOT_URLCONF):
            return None
        if revision is None:
            # Kept in this process while PostgreSQL announces no change (revision_watch.py);
            # else the first query of the request: it finds a connection the database has dropped, and
            # opens a fresh one (xmpolicy/faults.py).
            revision, request.revision_kept = WATCH.current(_read_revision)
            request.content_revision = revision
        # The pages may change at midnight (validity status, "as of today") as well as on an edit.
        today, midnight = _today()
        last_modified = max(revision.last_modified or midnight, midnight)
        return _etag(revision, display_variant(request), request.get_full_path(), today), last_modified


def _names_etag(request, etag) -> bool:
    """Whether If-None-Match lists `etag` itself (compared weakly, as for a GET): not `*`, which any
    URL would match, a missing page's as well as a page's."""
    opaque = etag.removeprefix("W/")
    listed = parse_etags(request.headers.get("If-None-Match", ""))
    return any(tag.removeprefix("W/") == opaque for tag in listed)


def _today() -> tuple[datetime.date, datetime.datetime]:
    """Today in Xiamen and its midnight."""
    today = timezone.localdate()
    return today, _midnight(today, timezone.get_current_timezone())


@functools.lru_cache(maxsize=16)
def _midnight(today: datetime.date, zone) -> datetime.datetime:
    return datetime.datetime.combine(today, datetime.time.min, tzinfo=zone)


def _may_edit(request) -> bool:
    """Whether a request may change the public content: a signed-in editor's POST (the admin). A
    visitor's forms (the language switch, the alerts) never do."""
    return request.method not in SAFE_METHODS and settings.SESSION_COOKIE_NAME in request.COOKIES


def _read_revision():
    return reconnecting_once(content_revision)


@functools.lru_cache(maxsize=4096)
def _is_public(path_info: str, urlconf: str) -> bool:
    """Whether a path is one of the public views the cache serves (resolved once per path and URLconf)."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return False
    return not (EXCLUDED_NAMESPACES.intersection(match.namespaces) or match.url_name in EXCLUDED_URL_NAMES)


def display_variant(request) -> str:
    """How this visitor's pages are shown: the language, and ':elder' in the 长辈版 (xmpolicy/elder.py).
    Without the 长辈版 it is the language alone, so the ETags of everyone else stay as they were."""
    language = chosen_language(request)
    return f"{language}:elder" if is_elder(request) else language


def _is_admin(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and bool(EXCLUDED_NAMESPACES.intersection(match.namespaces))


def _etag(revision, language, full_path, today) -> str:
    # The newest version's time as well as the ids: should the newest history row be deleted, its
    # id may be given again (SQLite reuses the largest rowid), never with the same time.
    newest = revision.last_modified.isoformat() if revision.last_modified else ""
    text = "|".join((revision.key, newest, language, full_path, today.isoformat(), code_version()))
    # Weak: the same content gives the same tag, though a view may vary bytes (e.g. a timestamp).
    return f'W/"{hashlib.sha256(text.encode()).hexdigest()[:24]}"'


@functools.cache
def _cache_control(editor: bool, seconds: int) -> str:
    """Cache-Control of a public answer that sets no cookie and no Cache-Control of its own."""
    response = HttpResponse()
    if editor:
        # A signed-in editor: the browser asks again every time (a 304 when nothing changed), so
        # the first page after a save shows it, in every browser, without a reload.
        patch_cache_control(response, private=True, no_cache=True)
    elif seconds:
        patch_cache_control(response, public=True, max_age=seconds)
    else:
        patch_cache_control(response, no_cache=True)
    return response.headers["Cache-Control"]


def _page_key(request) -> str:
    # The ETag names the path, language, 长辈版 and content; the scheme and host keep each host's answers
    # apart, although none is built from them now (absolute links name SITE_URL): a belt to those braces.
    return f"page:{request.content_validators[0]}:{request.scheme}://{request.page_host}"


def _cached_page(request) -> HttpResponse | None:
    key = _page_key(request)
    kept = request.revision_kept  # the key names a revision known to be current: safe in memory
    prepared = MEMORY.get(key) if kept else None
    if prepared is None:
        entry = PAGES.get(key)  # None too when the cache fails: the page is rendered
        if entry is None:
            return None
        prepared = _prepared(entry)
        if kept:
            MEMORY.set(key, prepared, entry_size(entry))
    status, headers, content, compressed = prepared
    encoding = compression.accepted_encoding(request) if compressed else None
    response = HttpResponse(content, status=status)
    # A copy of the kept headers' own storage: they were checked when prepared, not again per answer.
    response.headers = ResponseHeaders.__new__(ResponseHeaders)
    response.headers._store = dict(headers._store)
    response.from_page_cache = True
    return compression.encoded(response, encoding, compressed.get(encoding))


def _prepared(entry):
    """An entry of the cache with its headers as a response's."""
    status, headers, content, compressed = entry
    return status, ResponseHeaders(headers), content, compressed


def _store_page(request, response) -> HttpResponse:
    """Keep a complete public answer (a GET's 200 that sets no cookie and is small enough), compressed
    once for every client to come, and answer this request in the encoding it accepts."""
    compress = compression.compressible(request, response)
    if compress:
        patch_vary_headers(response, ("Accept-Encoding",))
    encoding = compression.accepted_encoding(request) if compress else None
    keep = (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(response.content) <= MAX_CACHED_BYTES
    )
    if not keep:
        return compression.encoded(response, encoding)
    variants = compression.variants(response.content) if compress else {}
    # Kept with the validators and Vary it is sent with (as __call__ sets them), so a hit needs no more.
    etag, last_modified = request.content_validators
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    patch_vary_headers(response, ("Cookie",))
    entry = (response.status_code, dict(response.headers), response.content, variants)
    PAGES.set(_page_key(request), entry, PAGE_CACHE_TIMEOUT)
    if request.revision_kept:
        MEMORY.set(_page_key(request), _prepared(entry), entry_size(entry))
    return compression.encoded(response, encoding, variants.get(encoding))
