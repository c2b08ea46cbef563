"""What public pages answer to requests a browser does not make: another Host, methods other than
GET and HEAD; and what the admin's error answers tell caches."""

import logging

import pytest
from django.test import Client
from django.urls import resolve

from measures.public import urls as public_urls

# One address of each public URL pattern (test_every_public_url_pattern_is_listed keeps it complete).
PUBLIC_PAGES = [
    "/",
    "/policies/",
    "/policies/export.csv",
    "/policies/test-policy/",
    "/policies/test-policy/pillars/1/",
    "/policies/test-policy/measures/1/",
    "/policies/test-policy/measures/1/history/",
    "/policies/test-policy/measures/1/feed/",
    "/awards/",
    "/awards/policies/",
    "/awards/export.csv",
    "/calculator/",
    "/calculator/export.csv",
    "/calculator/calendar.ics?kind=x",
    "/calendar/",
    "/calendar.ics",
    "/policies/test-policy/measures/1/calendar.ics",
    "/search/?q=孵化",
    "/changes/",
    "/changes/feed/",
    "/downloads/",
    "/downloads/awards.csv",
    "/downloads/datapackage.json",
    "/accessibility/",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
]
API = ["/api/v1/", "/api/v1/awards/", "/api/v1/awards/1/", "/api/v1/calculator/", "/api/schema/", "/api/docs/"]


def test_every_public_url_pattern_is_listed():
    listed = {resolve(url.split("?")[0]).url_name for url in PUBLIC_PAGES}
    assert {pattern.name for pattern in public_urls.urlpatterns} <= listed


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH"])
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_answer_only_get_and_head(small_policy, url, method):
    # As a browser or a script would be answered: with CSRF checked, which must not come first.
    response = Client(enforce_csrf_checks=True).generic(method, url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert small_policy.title.encode() not in response.content


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("url", API)
def test_the_api_answers_only_get_head_and_options(small_policy, url, method):
    response = Client(enforce_csrf_checks=True).generic(method, url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_an_unknown_api_address_is_a_json_404_whatever_the_method(db, method):
    response = Client(enforce_csrf_checks=True).generic(method, "/api/v1/no-such-list/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_a_host_the_site_does_not_serve_is_refused_even_with_a_matching_etag(client, small_policy, caplog):
    etag = client.get("/policies/test-policy/")["ETag"]
    with caplog.at_level(logging.WARNING):
        response = client.get("/policies/test-policy/", HTTP_HOST="evil.example", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 400
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert "page cache unavailable" not in caplog.text


@pytest.mark.parametrize(
    ("url", "status"),
    [("/admin/measures/measure/999999/change/", 302), ("/admin/measures/no-such-page/", 404)],
)
def test_admin_answers_are_never_kept_by_a_cache(editor_client, small_policy, url, status):
    response = editor_client.get(url)
    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_admin_page_an_editor_may_not_see_is_never_kept_by_a_cache(editor_client):
    response = editor_client.get("/admin/auth/user/")
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_language_choice_is_remembered_for_a_year_and_sent_only_to_this_site(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"


def test_the_health_check_answers_plain_http_where_pages_redirect_to_https(client, small_policy, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_a_signed_in_editor_always_gets_the_current_page_and_visitors_a_cacheable_one(editor_client, small_policy):
    anonymous = Client().get("/policies/test-policy/measures/1/")
    assert "public" in anonymous["Cache-Control"] and "max-age" in anonymous["Cache-Control"]
    signed_in = editor_client.get("/policies/test-policy/measures/1/")
    assert "private" in signed_in["Cache-Control"] and "no-cache" in signed_in["Cache-Control"]
    assert "public" not in signed_in["Cache-Control"]
    # Having saved, the editor's next page shows the save, even though the page was cached before.
    clause = small_policy.measures.get(number=1).clauses.get()
    clause.text = "编辑保存后的新文字。"
    clause.save()
    assert "编辑保存后的新文字" in editor_client.get("/policies/test-policy/measures/1/").content.decode()
