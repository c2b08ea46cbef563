"""The security headers on every kind of response (pages, API, admin, errors, static files, CSV), the
Content-Security-Policy's strictness (xmpolicy/csp.py), no inline code on any page for it to forbid,
and HSTS and secure cookies under the production settings."""

import ast
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import include, path, reverse

from measures.domain.models import Clause
from tests.query_budgets import CONTENT_REVISION_QUERIES
from tests.settings_env import PRODUCTION_ENV, read_settings
from xmpolicy.csp import CONTENT_SECURITY_POLICY


def boom(request):
    raise RuntimeError("a bug in a view")


# The site's own addresses, and one whose view fails (for the 500); used with pytest.mark.urls(__name__).
urlpatterns = [path("boom/", boom), path("", include("xmpolicy.urls"))]

MEASURE = "/policies/kjcx-2025/measures/3/"

# name: (path, status)
RESPONSES = {
    "home": ("/", 200),
    "measure": (MEASURE, 200),
    "awards": ("/awards/?min=1000", 200),
    "search": ("/search/?q=孵化器", 200),
    "changes-feed": ("/changes/feed/", 200),
    "awards-csv": ("/awards/export.csv?min=1000", 200),
    "download-csv": ("/downloads/clauses.csv", 200),
    "download-json": ("/downloads/awards.json", 200),
    "sitemap": ("/sitemap.xml", 200),
    "robots": ("/robots.txt", 200),
    "api-list": ("/api/v1/awards/", 200),
    "api-schema": ("/api/schema/", 200),
    "api-docs": ("/api/docs/", 200),
    "static-css": ("/static/css/site.css", 200),
    "static-swagger-ui": ("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", 200),
    "admin-login": ("/admin/login/", 200),
    "admin-redirect": ("/admin/", 302),
    "language-switch": ("/i18n/setlang/?language=en&next=/", 302),
    "not-found": ("/no/such/page/", 404),
    "api-not-found": ("/api/v1/awards/9999/", 404),
    "bad-filter": ("/awards/export.csv?min=abc", 400),
    "server-error": ("/boom/", 500),
}

SAME_EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header's directives and their sources."""
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def assert_security_headers(response):
    for name, value in SAME_EVERYWHERE.items():
        assert response.headers.get(name) == value, (name, response.headers.get(name))
    assert_strict_policy(response.headers["Content-Security-Policy"])


def assert_strict_policy(header):
    policy = directives(header)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # Nothing but the site itself: no host, no scheme, no inline code, no eval. (The API docs page alone
    # lets its stylesheet draw data: images, see measures/public/api/docs.py.)
    for name, sources in policy.items():
        allowed = {"'self'", "'none'", "data:"} if name == "img-src" else {"'self'", "'none'"}
        assert set(sources) <= allowed, (name, sources)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("path", "status"), RESPONSES.values(), ids=RESPONSES.keys())
def test_every_kind_of_response_carries_the_security_headers(real_policy, path, status):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == status
    assert_security_headers(response)


def test_a_request_for_another_host_is_refused_with_the_headers(real_policy):
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
    assert_security_headers(response)


def test_a_post_without_its_csrf_token_is_refused_with_the_headers(db):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert_security_headers(response)


def test_a_not_modified_answer_carries_the_headers(client, real_policy):
    etag = client.get(MEASURE)["ETag"]
    response = Client().get(MEASURE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert_security_headers(response)


def test_the_admin_s_pages_carry_the_headers(editor_client, real_policy):
    clause = Clause.objects.filter(measure__policy=real_policy, measure__number=3).first()
    for url in ("/admin/", "/admin/measures/clause/", f"/admin/measures/clause/{clause.pk}/change/"):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)


def test_the_policy_is_the_sites_own_everywhere_but_on_the_api_docs(client, real_policy):
    assert client.get("/")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    docs = directives(client.get("/api/docs/")["Content-Security-Policy"])
    assert docs["img-src"] == ["'self'", "data:"]
    assert {name: sources for name, sources in docs.items() if name != "img-src"} == {
        name: sources for name, sources in directives(CONTENT_SECURITY_POLICY).items() if name != "img-src"
    }


def test_a_page_from_the_page_cache_has_the_policy_that_fits_its_body(client, real_policy, django_assert_num_queries):
    first = client.get(MEASURE)
    with django_assert_num_queries(CONTENT_REVISION_QUERIES):  # from the cache: the view did not run
        again = Client().get(MEASURE)
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    # The body needs nothing the policy refuses: no inline code, so no nonce to fall out of step.
    assert inline_code(again.content.decode()) == []
    assert b"nonce" not in again.content


# Inline code in a page: what a strict policy would refuse to run or apply.


class _InlineCodeFinder(HTMLParser):
    # A <script> of one of these types is data, never run: the policy does not apply to it.
    DATA_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        here = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs.items())}>"[:120]
        if tag == "script" and "src" not in attrs and attrs.get("type") not in self.DATA_TYPES:
            self.found.append(f"inline script: {here}")
        if tag == "style":
            self.found.append(f"inline style: {here}")
        if "style" in attrs:
            self.found.append(f"style attribute: {here}")
        self.found.extend(f"{name} handler: {here}" for name in attrs if name.startswith("on"))
        if any((value or "").lstrip().lower().startswith("javascript:") for value in attrs.values()):
            self.found.append(f"javascript: URL: {here}")


def inline_code(html: str) -> list[str]:
    finder = _InlineCodeFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_finds_inline_code():
    html = (
        '<script>alert(1)</script><script src="/a.js"></script><script type="application/json">{}</script>'
        '<style>p{}</style><p style="color:red" onclick="x()"><a href="javascript:x()">x</a></p>'
    )
    assert [line.split(":")[0] for line in inline_code(html)] == [
        "inline script",
        "inline style",
        "style attribute",
        "onclick handler",
        "javascript",
    ]


PUBLIC_PAGES = [
    "/",
    "/policies/kjcx-2025/",
    "/policies/kjcx-2025/pillars/1/",
    MEASURE,
    f"{MEASURE}?as_of=2025-03-01",
    f"{MEASURE}history/",
    "/policies/kjcx-2025/measures/12/",  # pending
    "/awards/?min=1000",
    "/awards/?min=abc",
    "/search/?q=孵化器",
    "/changes/",
    "/downloads/",
    "/follow/?kind=measure&policy=kjcx-2025&measure=3",
    "/follow/sent/",
    "/follow/confirm/bad-token/",
    "/no/such/page/",
    "/api/docs/",
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_public_page_has_inline_code(client, real_policy, language):
    client.cookies["django_language"] = language
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        assert inline_code(response.content.decode()) == [], url


def test_no_admin_page_has_inline_code(client, real_policy, django_user_model):
    assert inline_code(client.get("/admin/login/").content.decode()) == []
    client.force_login(django_user_model.objects.create_superuser("root", password="root-password-1"))
    urls = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls += [reverse("admin:{}_{}_changelist".format(*info)), reverse("admin:{}_{}_add".format(*info))]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls += [
                reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
                reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
            ]
    fetched = 0
    for url in urls:
        response = client.get(url)
        if response.status_code == 403:  # a page the admin offers no one (adding a login failure)
            continue
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
        fetched += 1
    assert fetched > 20


# HSTS and cookies under the production settings (read from a fresh interpreter with production's
# environment, so these tests follow xmpolicy/settings.py rather than repeat it).

PRODUCTION_HTTPS_SETTINGS = (
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
)


@pytest.fixture(scope="module")
def production_https_settings():
    result = read_settings(*PRODUCTION_HTTPS_SETTINGS, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return dict(zip(PRODUCTION_HTTPS_SETTINGS, ast.literal_eval(result.stdout.strip()), strict=True))


@pytest.fixture
def production_like(settings, production_https_settings):
    for name, value in production_https_settings.items():
        setattr(settings, name, value)
    settings.ALLOWED_HOSTS = ["policy.example.cn"]
    return Client(HTTP_HOST="policy.example.cn")


HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


@pytest.mark.parametrize("path", ["/", "/api/v1/awards/", "/admin/login/", "/static/css/site.css", "/no/such/page/"])
def test_over_https_behind_the_proxy_every_response_asks_for_https_from_now_on(production_like, real_policy, path):
    response = production_like.get(path, **HTTPS)
    assert response.status_code in (200, 404)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_security_headers(response)


def test_over_plain_http_there_is_no_hsts_only_the_redirect_to_https(production_like, real_policy):
    response = production_like.get("/awards/?min=1000")
    assert response.status_code == 301
    assert response["Location"] == "https://policy.example.cn/awards/?min=1000"
    assert "Strict-Transport-Security" not in response
    assert_security_headers(response)


def test_locally_there_is_no_hsts_even_over_https(client, real_policy):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_in_production_the_session_and_csrf_cookies_are_secure_and_hidden_from_scripts(production_like, editor):
    login = production_like.get("/admin/login/", **HTTPS)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = production_like.post(
        "/admin/login/",
        {"username": "editor", "password": "editor-password-1", "csrfmiddlewaretoken": csrf.value},
        **HTTPS,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
