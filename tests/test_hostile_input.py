"""Hostile requests never cause a server error (GitHub issue 7, item 4).

Hypothesis throws at every public URL (the patterns of measures/public/urls.py filled in with the real
policy, every page the sitemap lists, every path of the API's OpenAPI document, and the site's other
public addresses): random query strings (known and unknown keys, repeated keys, huge values, NUL
bytes, broken and invalid-UTF-8 percent escapes, emoji, bidirectional marks), random paths under
each of them (traversal, encoded slashes, very long segments), random headers (Accept-Language, a
garbage language cookie and other cookies, conditional-GET validators, forwarding headers, Range,
Host) and random form posts (to the language switch, to the GET-only pages and to the admin login).
The answer may be anything but a 5xx: the test client is made with raise_request_exception=False,
so a crash is a 500 here, as it would be for a visitor.

The runs are derandomized (the same examples on every run, so CI is reproducible) and small: the
whole file takes well under a minute on SQLite. Bugs the fuzzing found are pinned by the regression
tests at the end.
"""

import ipaddress
import logging
import re
import traceback
from urllib.parse import quote, quote_from_bytes, unquote_to_bytes

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from measures.domain.models import Clause
from measures.public import urls as public_urls
from measures.public.api.filters import ApiAwardFilter, ClauseFilter, MeasureFilter
from measures.public.finder.filters import AwardFilter
from tests.admin_forms import clause_url, form_data

pytestmark = pytest.mark.django_db

# Per test, a few hundred requests at most: the whole file runs in well under a minute on SQLite.
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,  # derandomized: nothing to remember between runs, and nothing written to the tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

SLUG = "kjcx-2025"
NUL_SLUG = "%00"
# A quoted cookie value may hold an octal escape: this session key has a NUL in it.
NUL_SESSION = 'sessionid="abcdefgh\\000"'

# --- the URLs -----------------------------------------------------------------------------------

# How each URL pattern of measures/public/urls.py is filled in: its name -> the paths to try.
PATTERN_PATHS = {
    "home": ["/"],
    "policies": [
        "/policies/",
        "/policies/?validity=in_force&issuer=厦门市人民政府&year=2025&has_awards=yes&sort=title",
    ],
    "policies_csv": ["/policies/export.csv", "/policies/export.csv?kind=accelerator&q=厦委发"],
    "policy": [f"/policies/{SLUG}/"],
    "pillar": [f"/policies/{SLUG}/pillars/1/", f"/policies/{SLUG}/pillars/4/"],
    "measure": [f"/policies/{SLUG}/measures/{n}/" for n in (1, 2, 6, 7, 12)],
    "measure_history": [f"/policies/{SLUG}/measures/1/history/", f"/policies/{SLUG}/measures/6/history/"],
    "measure_feed": [f"/policies/{SLUG}/measures/3/feed/"],
    "awards": ["/awards/"],
    "awards_csv": ["/awards/export.csv"],
    "award_policies": ["/awards/policies/"],
    "calculator": ["/calculator/", "/calculator/?kind=tech-business-incubator"],
    "calculator_csv": ["/calculator/export.csv", "/calculator/export.csv?kind=accelerator"],
    "calendar": ["/calendar/", "/calendar/?kind=accelerator&section=open", "/calendar/?month=2026-03&pillar=2"],
    "calendar_ics": ["/calendar.ics", "/calendar.ics?policy=kjcx-2025"],
    "measure_ics": [f"/policies/{SLUG}/measures/3/calendar.ics", f"/policies/{SLUG}/measures/12/calendar.ics"],
    "calculator_ics": ["/calculator/calendar.ics?kind=tech-business-incubator", "/calculator/calendar.ics"],
    "search": ["/search/"],
    "changes": ["/changes/"],
    "changes_feed": ["/changes/feed/"],
    "downloads": ["/downloads/"],
    "data_package": ["/downloads/datapackage.json"],
    "accessibility": ["/accessibility/"],
    "download": [
        "/downloads/awards.csv",
        "/downloads/awards.json",
        "/downloads/clauses.csv",
        "/downloads/clauses.json",
        "/downloads/questions.csv",
        "/downloads/questions.json",
        "/downloads/documents.csv",
        "/downloads/documents.json",
    ],
    "sitemap": ["/sitemap.xml"],
}
SITE_PATHS = [
    "/robots.txt",
    "/site-address.css",
    "/api/schema/",
    "/api/docs/",
    "/static/css/site.css",
    "/admin/",
    "/admin/login/",
    # 关注 (measures/public/alerts/urls.py): the form, and pages whose signed link is not one.
    "/follow/",
    "/follow/?kind=measure&policy=kjcx-2025&measure=3",
    "/follow/sent/",
    "/follow/confirm/WzEsImEiXQ:1abc:xyz/",
    "/follow/manage/InhAeS5jbiI:1abc:xyz/",
    "/follow/unsubscribe/WzEsImEiXQ:1abc:xyz/",
    # 纠错 and 提问 (measures/public/feedback/urls.py): the form, the reference page, the figures.
    "/feedback/",
    "/feedback/new/?kind=report&policy=kjcx-2025&measure=3&clause=1",
    "/feedback/received/FK-0000-000000/",
    "/feedback/received/FK-2026-000001/",
]


def pattern_names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from pattern_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.name


def api_paths():
    """Every path of the API's OpenAPI document, ids and slugs filled in with real ones."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    return [path.replace("{id}", "1").replace("{slug}", SLUG) for path in document["paths"]]


def sitemap_paths(client):
    xml = client.get("/sitemap.xml").content.decode()
    return [loc.removeprefix("http://testserver") for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]


@pytest.fixture
def public_paths(real_policy):
    paths = [path for name in PATTERN_PATHS for path in PATTERN_PATHS[name]]
    paths += sitemap_paths(Client()) + api_paths() + SITE_PATHS
    return sorted(set(paths))


def test_every_public_url_pattern_is_fuzzed():
    """A new page in measures/public/urls.py must be added to PATTERN_PATHS, so that it is fuzzed too."""
    assert set(pattern_names(public_urls.urlpatterns)) == set(PATTERN_PATHS)


def test_the_fuzzed_paths_include_every_page_of_the_sitemap_and_the_api(public_paths):
    assert f"/policies/{SLUG}/measures/12/" in public_paths
    assert f"/policies/{SLUG}/pillars/4/" in public_paths
    assert {"/api/v1/awards/", "/api/v1/awards/1/", "/api/v1/search/", f"/api/v1/policies/{SLUG}/"} <= set(public_paths)


# --- the strategies ------------------------------------------------------------------------------

# The parameters the site reads, so that the fuzzing reaches the code behind them.
KNOWN_KEYS = sorted(
    {*AwardFilter.base_filters, *ApiAwardFilter.base_filters, *ClauseFilter.base_filters, *MeasureFilter.base_filters}
    | {"q", "as_of", "page", "p", "format", "lang", "version", "next", "language", "ordering", "limit", "offset"}
    | {"kind", "valid"}
)

# Values that have broken parsers before, as bytes (what arrives on the wire).
AWKWARD = [
    b"",
    b" ",
    b"0",
    b"-1",
    b"1e999999999",
    b"NaN",
    b"-Infinity",
    b"9" * 400,
    b"\x00",
    b"kjcx-2025\x00",
    b"2025-02-30",
    b"9999-12-31",
    b"0001-01-01",
    b"2025-03-01\x00",
    b"../../etc/passwd",
    b"<script>alert(1)</script>",
    b"'; DROP TABLE measures_clause; --",
    "\u202e\u200f孵化器\u200e".encode(),  # bidirectional overrides and marks
    "😀🇨🇳".encode(),
    "\ufeff中试".encode(),
    b"\xff\xfe",  # invalid UTF-8
    b"\xc3\x28",  # a broken two-byte sequence
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xc0\xaf",  # an overlong slash
    b"%",
    b"%zz",
    b"-amount",
    b"1000-plus",
    b"per_year",
    b"ceiling",
    b"kjcx-2025",
    b"tech-business-incubator",
    b"zh-hans",
    b"en",
]
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40).map(str.encode)
HUGE = st.sampled_from([b"9" * 5_000, b"a" * 60_000, "孵".encode() * 5_000, b"%" * 3_000, b" " * 10_000])
VALUE_BYTES = st.one_of(st.sampled_from(AWKWARD), TEXT, st.binary(max_size=24), HUGE)


def _encoded(data: bytes, how: str) -> str:
    """`data` as it may appear in a URL: percent-encoded, or raw (bytes as latin-1, as WSGI gives them)."""
    if how == "quoted":
        return quote_from_bytes(data, safe="")
    if how == "form":
        return quote_from_bytes(data, safe="").replace("%20", "+")
    return data.decode("latin-1")  # raw: '&', '=', '%', '#' and non-ASCII bytes as they came


ENCODING = st.sampled_from(["quoted", "quoted", "form", "raw"])
KEY = st.one_of(st.sampled_from(KNOWN_KEYS).map(str.encode), VALUE_BYTES)


@st.composite
def query_strings(draw):
    """A raw QUERY_STRING: pairs with known or random keys (repeated, empty, without '='), values
    of every kind, percent-encoded or raw, joined by '&' or ';'; sometimes thousands of fields."""
    if draw(st.integers(0, 19)) == 0:
        return "&".join(["page=1"] * draw(st.sampled_from([999, 1001, 5000])))
    pairs = draw(st.lists(st.tuples(KEY, VALUE_BYTES, ENCODING, st.sampled_from(["=", "", "=="])), max_size=8))
    separator = draw(st.sampled_from(["&", "&", ";", "&&"]))
    return separator.join(f"{_encoded(k, how)}{eq}{_encoded(v, how)}" for k, v, how, eq in pairs)


SEGMENTS = st.one_of(
    st.sampled_from(
        [
            "..",
            "%2e%2e",
            "..%2f..%2f..%2fetc%2fpasswd",
            "%2F",
            "%252F",
            "%00",
            "%ff",
            "%c0%af",
            "%",
            "%zz",
            "",
            ".",
            "a" * 5_000,
            "%E5%AD%B5" * 500,
            "%F0%9F%98%80",
            "%E2%80%AE",
            "1" * 100,
            "-1",
            "0",
            "99999999999999999999",
            "export.csv",
            "awards.json",
            "history",
            "pillars",
            "measures",
            ";jsessionid=1",
            "?",
            "#",
            "\\",
        ]
    ),
    st.binary(max_size=16).map(lambda data: quote_from_bytes(data, safe="")),
    TEXT.map(lambda data: quote_from_bytes(data, safe="/")),
)


@st.composite
def paths_under(draw, public_paths):
    """A public path, cut back to one of its prefixes, with random segments after it."""
    base = draw(st.sampled_from(public_paths))
    parts = base.strip("/").split("/") if base != "/" else []
    prefix = "/" + "/".join(parts[: draw(st.integers(0, len(parts)))])
    tail = "/".join(draw(st.lists(SEGMENTS, min_size=1, max_size=4)))
    trailing = draw(st.sampled_from(["", "/", "//"]))
    # A '?' or '#' would end the path on the request line: only their escapes can be in it.
    return (prefix.rstrip("/") + "/" + tail + trailing).replace("?", "%3F").replace("#", "%23")


# The test client connects from 127.0.0.1 (or the fuzzed REMOTE_ADDR): behind the proxy, that is the proxy.
LOOPBACK_PROXIES = [ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")]
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)
LANGUAGE_COOKIES = st.sampled_from(
    [
        "en",
        "zh-hans",
        "",
        "EN",
        "zh-Hans",
        "fr",
        "x" * 5_000,
        "en; en",
        "../en",
        '"en"',
        '"\\000"',
        "\\x00",
        "😀".encode().decode("latin-1"),
    ]
)
COOKIES = st.one_of(
    LANGUAGE_COOKIES.map(lambda value: f"django_language={value}"),
    st.sampled_from(
        [
            NUL_SESSION,
            "sessionid=" + "a" * 5_000,
            "sessionid=../../../../etc/passwd",
            "csrftoken=<script>; csrftoken=x",
            "messages=garbage:1; messages=",
            "=; ==; ;;; a",
            'a="unterminated',
            "django_language=en; django_language=zh-hans",
        ]
    ),
    HEADER_TEXT,
)
DATES = st.sampled_from(
    [
        "Tue, 15 Nov 1994 08:12:31 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Sat, 01 Jan 0000 00:00:00 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Mon, 32 Foo 2025 25:61:61 GMT",
        "99999999999999999999",
        "-1",
        "",
    ]
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": st.one_of(
            st.sampled_from(["en", "en;q=abc", "*", "zh-hans-CN-x-" * 200, "en-US,en;q=0.9,,;;", "q=1;en"]),
            HEADER_TEXT,
        ),
        "HTTP_COOKIE": COOKIES,
        "HTTP_IF_NONE_MATCH": st.one_of(st.sampled_from(["*", 'W/"', '"a", W/"b"', 'W/"x"' * 2_000]), HEADER_TEXT),
        "HTTP_IF_MATCH": st.one_of(st.sampled_from(["*", '"nope"', "W/"]), HEADER_TEXT),
        "HTTP_IF_MODIFIED_SINCE": st.one_of(DATES, HEADER_TEXT),
        "HTTP_IF_UNMODIFIED_SINCE": st.one_of(DATES, HEADER_TEXT),
        "HTTP_X_FORWARDED_FOR": st.one_of(
            st.sampled_from(["1.1.1.1, 2.2.2.2", "unknown", "::1", "300.1.1.1", ",,,", "1.1.1.1 " * 1_000]),
            HEADER_TEXT,
        ),
        "HTTP_X_FORWARDED_PROTO": st.one_of(
            st.sampled_from(["https", "http", "https, http", "HTTPS", ""]), HEADER_TEXT
        ),
        "HTTP_X_FORWARDED_HOST": st.one_of(st.just("evil.example"), HEADER_TEXT),
        "HTTP_FORWARDED": HEADER_TEXT,
        "HTTP_HOST": st.sampled_from(["testserver", "localhost", "evil.example", "testserver:99999", "[::1", ""]),
        "HTTP_RANGE": st.one_of(
            st.sampled_from(
                ["bytes=0-0", "bytes=-0", "bytes=5-1", "bytes=a-b", "bytes=99999999999999999999-", "bytes=0-0," * 500]
            ),
            HEADER_TEXT,
        ),
        "HTTP_ACCEPT": st.one_of(
            st.sampled_from(["text/html", "application/json;q=abc", "*/*;q=-1", "application/xml", "text/csv"]),
            HEADER_TEXT,
        ),
        "HTTP_ACCEPT_ENCODING": st.sampled_from(["gzip", "br", "identity;q=0", "*;q=0"]),
        "HTTP_REFERER": HEADER_TEXT,
        "HTTP_USER_AGENT": HEADER_TEXT,
    },
)

# --- running the requests ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def quiet_request_log():
    """Hundreds of 404s and 400s are expected here: keep them out of the log (5xx fail the test)."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def fresh_client(**kwargs):
    # Each example starts from nothing the previous one left: no cookies, no cached page.
    cache.clear()
    return Client(raise_request_exception=False, **kwargs)


def assert_no_server_error(response, what):
    error = ""
    if getattr(response, "exc_info", None):
        error = "".join(traceback.format_exception(*response.exc_info))
    assert response.status_code < 500, f"{what} -> {response.status_code}\n{error}"


@pytest.mark.fuzz
def test_random_query_strings_at_every_public_url(public_paths):
    @FUZZ
    @given(path=st.sampled_from(public_paths), query=query_strings(), method=st.sampled_from(["GET", "GET", "HEAD"]))
    def check(path, query, method):
        client = fresh_client()
        response = client.generic(method, path, QUERY_STRING=query)
        assert_no_server_error(response, f"{method} {path}?{query[:300]!r}")

    check()


@pytest.mark.fuzz
def test_random_paths_under_every_public_prefix(public_paths):
    @FUZZ
    @given(path=paths_under(public_paths), query=st.one_of(st.just(""), query_strings()))
    @example(path=f"/api/v1/policies/{NUL_SLUG}/", query="")  # was a 500 on PostgreSQL
    @example(path="/api/v1/policies/kjcx-2025%00/", query="")
    @example(path=f"/policies/{SLUG}/measures/99999999999999999999/history/", query="as_of=2025-03-01")
    @example(path="/static/..%2f..%2fxmpolicy/settings.py", query="")
    def check(path, query):
        # PATH_INFO as a WSGI server makes it from the request line: unquoted, bytes as latin-1
        # (so '//x', '%2F' and '%ff' arrive as they would, not as the test client would parse them).
        path_info = unquote_to_bytes(path).decode("latin-1")
        response = fresh_client().get("/", PATH_INFO=path_info, QUERY_STRING=query)
        assert_no_server_error(response, f"GET {path[:300]!r}?{query[:300]!r}")

    check()


@pytest.mark.fuzz
def test_random_headers_at_every_public_url(public_paths):
    @FUZZ
    @given(
        path=st.sampled_from(public_paths),
        query=st.sampled_from(["", f"q={quote('孵化器')}", "min=500", "as_of=2025-03-01", "page=2"]),
        headers=HEADERS,
        behind_the_proxy=st.booleans(),
    )
    # A NUL in the session key was a 500 on every admin page on PostgreSQL.
    @example(path="/admin/", query="", headers={"HTTP_COOKIE": NUL_SESSION}, behind_the_proxy=False)
    @example(path="/admin/login/", query="", headers={"HTTP_COOKIE": NUL_SESSION}, behind_the_proxy=True)
    def check(path, query, headers, behind_the_proxy):
        # Half the time behind a trusted proxy, under which X-Forwarded-Proto and X-Forwarded-For are
        # read (HTTPS redirect, the client's address for the login throttle and the fair-use limits).
        proxy = (
            override_settings(
                SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
                SECURE_SSL_REDIRECT=True,
                TRUSTED_PROXIES=LOOPBACK_PROXIES,
            )
            if behind_the_proxy
            else override_settings()
        )
        with proxy:
            response = fresh_client().get(path, QUERY_STRING=query, **headers)
        assert_no_server_error(response, f"GET {path}?{query} {headers!r:.1000}")

    check()


FORM_KEYS = st.one_of(
    st.sampled_from(["next", "language", "username", "password", "csrfmiddlewaretoken", "q", "this_is_the_login_form"]),
    TEXT.map(lambda data: data.decode()),
)
FORM_VALUES = st.one_of(
    st.sampled_from(
        [
            "en",
            "zh-hans",
            "/",
            "//evil.example/",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\\evil.example",
            "http://[::1",
            "/" + "a" * 3_000,
            "\x00",
            "editor",
            "\u202eeditor",
            "editor\x00",
            "x" * 10_000,
        ]
    ),
    TEXT.map(lambda data: data.decode()),
)
CONTENT_TYPES = st.sampled_from(
    [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=xyz",
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/x-www-form-urlencoded; charset=no-such-charset",
        "application/json",
        "text/plain",
        "",
    ]
)
BODIES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [b"--xyz\r\n", b"--xyz\r\nContent-Disposition: form-data\r\n\r\n", b"a=%ff&b=\x00", b"{", b"x" * 50_000]
    ),
)


@st.composite
def form_posts(draw, public_paths):
    """(path, body, content type): a form as a browser sends it (multipart when the body is a
    dict), or raw bytes under a random content type."""
    path = draw(st.sampled_from(["/i18n/setlang/", "/i18n/setlang/", "/admin/login/", *public_paths]))
    kind = draw(st.sampled_from(["multipart", "urlencoded", "raw"]))
    if kind == "raw":
        return path, draw(BODIES), draw(CONTENT_TYPES)
    pairs = draw(st.lists(st.tuples(FORM_KEYS, FORM_VALUES), max_size=6))
    if kind == "urlencoded":
        body = "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs).encode()
        return path, body, "application/x-www-form-urlencoded"
    fields = {}
    for key, value in pairs:
        fields.setdefault(key, []).append(value)  # repeated keys
    return path, fields, None


@pytest.mark.fuzz
def test_random_form_posts(public_paths):
    @FUZZ
    @given(post=form_posts(public_paths), csrf_checks=st.booleans(), headers=HEADERS)
    def check(post, csrf_checks, headers):
        path, body, content_type = post
        headers.pop("HTTP_HOST", None)  # a wrong host is one 400 more: keep the posts reaching the views
        client = fresh_client(enforce_csrf_checks=csrf_checks)
        if content_type is None:
            response = client.post(path, body, **headers)
        else:
            # generic() sends the bytes as they are (post() would re-encode them for the charset).
            response = client.generic("POST", path, body, content_type=content_type, **headers)
        assert_no_server_error(response, f"POST {path} {content_type} {body!r:.1000} {headers!r:.500}")

    check()


# Logins are slower (the password hasher, the throttle's queries): fewer of them.
LOGIN_FUZZ = settings(FUZZ, max_examples=60)


@override_settings(AXES_ENABLED=True, TRUSTED_PROXIES=LOOPBACK_PROXIES)
@pytest.mark.fuzz
def test_random_admin_logins_with_the_throttle_on(real_policy, editor):
    """As in production: django-axes counts failures per username and address, behind a trusted proxy."""

    @LOGIN_FUZZ
    @given(
        username=FORM_VALUES,
        password=FORM_VALUES,
        next_url=FORM_VALUES,
        forwarded_for=st.one_of(st.none(), HEADER_TEXT, st.sampled_from(["1.1.1.1, 203.0.113.5", "unknown", ""])),
        remote_addr=st.sampled_from(["127.0.0.1", "::1", "", "not-an-address"]),
    )
    def check(username, password, next_url, forwarded_for, remote_addr):
        headers = {"REMOTE_ADDR": remote_addr}
        if forwarded_for is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
        response = fresh_client().post(
            "/admin/login/", {"username": username, "password": password, "next": next_url}, **headers
        )
        assert_no_server_error(response, f"login {username!r:.200} {next_url!r:.200} {headers!r}")

    check()


@pytest.mark.parametrize(
    "path",
    [
        "/static/../xmpolicy/settings.py",
        "/static/..%2f..%2fxmpolicy/settings.py",
        "/static/css/%2e%2e/%2e%2e/manage.py",
        "/static//etc/passwd",
        "/downloads/..%2f..%2fmanage.py",
        "/policies/kjcx-2025/..%2f..%2fmanage.py",
    ],
)
def test_traversal_reaches_no_file_outside_the_static_folders(path):
    response = fresh_client().get("/", PATH_INFO=unquote_to_bytes(path).decode("latin-1"))
    assert response.status_code == 404
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"SECRET_KEY" not in body and b"DJANGO_SETTINGS_MODULE" not in body


# --- regression tests for what the fuzzing found --------------------------------------------------


def test_a_control_character_pasted_into_a_clause_does_not_break_the_feed(editor_client, small_policy):
    """Word writes a manual line break as a vertical tab; the admin keeps it (only NUL is refused).
    XML 1.0 has no vertical tab, and Django's feed writer raised on it: the feed was a 500."""
    clause = Clause.objects.get(measure__policy=small_policy)
    data = form_data(editor_client.get(clause_url(clause)), "clause")
    data["text"] = "支持孵化器建设，\x0b给予每年每家最高600万元奖励。\x01"
    data["change_reason"] = "按正式文件更正\x0c金额"
    assert editor_client.post(clause_url(clause), data).status_code == 302

    response = Client(raise_request_exception=False).get("/changes/feed/")

    assert response.status_code == 200
    feed = response.content.decode()
    assert "支持孵化器建设，给予每年每家最高600万元奖励。" in feed  # the text, without the control characters
    assert "按正式文件更正 金额" in feed  # a reason's control character is shown as a space
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", feed)


def test_a_session_key_with_a_nul_is_no_session(editor_client):
    """`sessionid="abcdefgh\\000"` reached the session store as a key with a NUL, which PostgreSQL
    refused with an error: a 500 on every admin page, the login included (xmpolicy/sessions.py)."""
    client = Client(raise_request_exception=False)
    client.cookies.load(NUL_SESSION)
    assert client.cookies["sessionid"].value == "abcdefgh\x00"
    assert client.get("/admin/").status_code == 302  # to the login page: no session
    assert client.get("/admin/login/").status_code == 200
    # A real session still works.
    assert editor_client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "key", ["abcdefgh\x00", "abcdefgh\x00" + "a" * 24, "../../etc/passwd", "ａｂｃｄｅｆｇｈ", "abc"]
)
def test_the_session_store_ignores_keys_django_never_makes(key):
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS

    from xmpolicy.sessions import SessionStore

    assert SessionStore(key).session_key is None
    made = SessionStore()
    made.create()
    assert set(made.session_key) <= set(VALID_KEY_CHARS)
    assert SessionStore(made.session_key).session_key == made.session_key


@pytest.mark.parametrize("path", ["/api/v1/policies/%00/", "/api/v1/policies/kjcx-2025%00/", "/api/v1/policies/a%00b/"])
def test_an_api_slug_with_a_nul_is_a_json_404(small_policy, path):
    """PostgreSQL refused the NUL in the policy lookup: the API answered 500."""
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "query",
    ["status__exact=%00", "status__exact=published%00", "q=%00", "measure__policy__id__exact=%00", "a%00=1"],
)
@pytest.mark.parametrize("model", ["policy", "pillar", "measure", "clause", "award"])
def test_an_admin_list_filtered_with_a_nul_is_a_400(editor_client, small_policy, model, query):
    """A NUL in an admin list's filter was a database error on PostgreSQL (a 500)."""
    editor_client.raise_request_exception = False
    assert editor_client.get(f"/admin/measures/{model}/", QUERY_STRING=query).status_code == 400
    assert editor_client.get(f"/admin/measures/{model}/", QUERY_STRING="q=%E5%AD%B5").status_code == 200


@pytest.mark.parametrize("selected", ["\x00", "abc", "1.5", "", "99999999999999999999999"])
def test_an_admin_action_on_a_row_id_that_is_not_one_is_a_400(editor_client, small_policy, selected):
    """Django's action converted the posted ids in filter(pk__in=…) and crashed on one that is not."""
    editor_client.raise_request_exception = False
    response = editor_client.post(
        "/admin/measures/clause/",
        {"action": "publish_selected_drafts", "_selected_action": [selected], "index": "0"},
    )
    assert response.status_code == 400


def test_an_admin_action_on_real_rows_still_runs(editor_client, small_policy):
    clause = Clause.objects.published().first()
    response = editor_client.post(
        "/admin/measures/clause/",
        {"action": "publish_selected_drafts", "_selected_action": [str(clause.pk)], "index": "0"},
    )
    assert response.status_code == 302
