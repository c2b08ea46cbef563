"""Conditional GET: public pages and the API carry an ETag and Last-Modified from the content, answer
304 while nothing changed, change on the very next request after an edit, and let a CDN keep them
briefly (measures/public/page_cache/middleware.py, measures/domain/revision.py)."""

import datetime
from unittest import mock

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from measures.domain.models import Award, Clause
from measures.domain.revision import content_revision
from measures.public.page_cache.middleware import ConditionalGetMiddleware
from tests.html import text_of
from tests.query_budgets import CONTENT_REVISION_QUERIES
from tests.settings_env import load_settings

PUBLIC_URLS = [
    "/",
    "/policies/test-policy/",
    "/policies/test-policy/pillars/1/",
    "/policies/test-policy/measures/1/",
    "/policies/test-policy/measures/1/?as_of=2025-03-01",
    "/policies/test-policy/measures/1/history/",
    "/awards/?min=100",
    "/awards/export.csv",
    "/search/?q=孵化器",
    "/changes/",
    "/changes/feed/",
    "/sitemap.xml",
    "/api/v1/awards/",
    "/api/v1/measures/",
]


def fetch(client, url, **headers):
    return client.get(url, headers=headers)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_page_asked_for_again_with_its_etag_is_not_sent_again(client, small_policy, url):
    first = fetch(client, url)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    second = fetch(client, url, if_none_match=first["ETag"])
    assert second.status_code == 304
    assert second.content == b""
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", ["/", "/policies/kjcx-2025/measures/3/", "/awards/?min=1000", "/search/?q=孵化器"])
def test_the_real_policys_pages_answer_304_to_their_own_etag(client, real_policy, url):
    etag = fetch(client, url)["ETag"]
    assert fetch(client, url, if_none_match=etag).status_code == 304


def test_a_304_runs_only_the_fingerprint_query_not_the_page(client, real_policy, django_assert_num_queries):
    etag = fetch(client, "/")["ETag"]
    with django_assert_num_queries(CONTENT_REVISION_QUERIES):
        assert fetch(client, "/", if_none_match=etag).status_code == 304


def test_a_page_asked_for_again_since_its_last_modified_time_is_not_sent_again(client, small_policy):
    first = fetch(client, "/policies/test-policy/measures/1/")
    assert (
        fetch(client, "/policies/test-policy/measures/1/", if_modified_since=first["Last-Modified"]).status_code == 304
    )


def test_last_modified_is_the_time_of_the_last_edit(client, small_policy):
    clause = Clause.objects.get(measure__policy=small_policy, position=1)
    clause.text += "（修订）"
    before = int(timezone.now().timestamp())
    clause.save()
    after = int(timezone.now().timestamp())
    assert fetch(client, "/")["Last-Modified"] in {http_date(second) for second in range(before, after + 1)}


@pytest.mark.usefixtures("empty_database")
def test_a_stale_etag_gets_the_whole_page(client, small_policy):
    response = fetch(client, "/", if_none_match='W/"something-else"')
    assert response.status_code == 200
    assert "测试政策" in response.content.decode()


def test_a_head_request_gets_the_etag_and_a_304_too(client, small_policy):
    head = client.head("/policies/test-policy/measures/1/")
    assert head.status_code == 200
    assert head["ETag"] == fetch(client, "/policies/test-policy/measures/1/")["ETag"]
    again = client.head("/policies/test-policy/measures/1/", headers={"if-none-match": head["ETag"]})
    assert again.status_code == 304


# Different pages, languages and filters get different tags; the same content the same tag


def test_two_pages_have_different_etags(client, small_policy):
    assert fetch(client, "/policies/test-policy/measures/1/")["ETag"] != fetch(client, "/")["ETag"]


def test_two_filter_values_have_different_etags(client, small_policy):
    assert fetch(client, "/awards/?min=100")["ETag"] != fetch(client, "/awards/?min=1000")["ETag"]


def test_the_chinese_and_english_pages_have_different_etags(client, small_policy):
    chinese = fetch(client, "/")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = fetch(client, "/")
    assert '<html lang="en">' in english.content.decode()
    assert english["ETag"] != chinese["ETag"]
    # The Chinese page's tag does not fetch the English page's 304 (nor the other way round).
    assert fetch(client, "/", if_none_match=chinese["ETag"]).status_code == 200


def test_the_same_content_gives_the_same_etag_to_every_visitor(small_policy):
    assert fetch(Client(), "/awards/?min=100")["ETag"] == fetch(Client(), "/awards/?min=100")["ETag"]


# An edit is seen on the very next request


def test_a_clause_saved_gets_the_old_etag_a_fresh_page_and_a_new_etag(client, small_policy):
    url = "/policies/test-policy/measures/1/"
    before = fetch(client, url)["ETag"]
    clause = Clause.objects.get(measure__policy=small_policy, position=1)
    clause.text = "支持孵化器建设，给予每年每家最高600万元奖励。"
    clause.save()
    after = fetch(client, url, if_none_match=before)
    assert after.status_code == 200
    assert "最高600万元" in text_of(after.content.decode())
    assert after["ETag"] != before
    assert fetch(client, url, if_none_match=after["ETag"]).status_code == 304


@pytest.mark.usefixtures("empty_database")
def test_an_award_deleted_gets_the_old_etag_a_fresh_finder_and_a_new_etag(client, small_policy):
    url = "/awards/?min=100"
    first = fetch(client, url)
    assert "最高500万元" in text_of(first.content.decode())
    Award.objects.get(clause__measure__policy=small_policy).delete()
    after = fetch(client, url, if_none_match=first["ETag"], if_modified_since=first["Last-Modified"])
    assert after.status_code == 200
    assert "最高500万元" not in text_of(after.content.decode())
    assert after["ETag"] != first["ETag"]


@pytest.mark.usefixtures("empty_database")
def test_an_award_deleted_changes_the_api_answer_and_its_etag(client, small_policy):
    first = fetch(client, "/api/v1/awards/")
    assert first.json()["count"] == 1
    Award.objects.get(clause__measure__policy=small_policy).delete()
    after = fetch(client, "/api/v1/awards/", if_none_match=first["ETag"])
    assert after.status_code == 200
    assert after.json()["count"] == 0


def test_the_fingerprint_changes_on_each_edit_and_is_the_same_without_one(small_policy):
    before = content_revision()
    assert content_revision() == before
    clause = Clause.objects.get(measure__policy=small_policy, position=1)
    clause.save()
    after_save = content_revision()
    assert after_save.key != before.key
    assert after_save.last_modified >= before.last_modified
    Award.objects.get(clause=clause).delete()
    assert content_revision().key not in {before.key, after_save.key}


def test_the_pages_change_at_midnight_even_without_an_edit(client, small_policy, monkeypatch):
    """The home page says whether the policy is in force today."""
    before = fetch(client, "/")["ETag"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: tomorrow)
    assert fetch(client, "/", if_none_match=before).status_code == 200


# Cache-Control for a CDN


def test_public_pages_may_be_kept_by_a_cdn_for_a_minute(client, small_policy):
    for url in ["/", "/awards/?min=100", "/api/v1/awards/"]:
        response = fetch(client, url)
        assert response["Cache-Control"] == "public, max-age=60", url
        assert "Cookie" in response["Vary"]  # the language comes from a cookie


def test_a_304_carries_the_same_cache_control(client, small_policy):
    etag = fetch(client, "/")["ETag"]
    response = fetch(client, "/", if_none_match=etag)
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response["Vary"]


def test_the_cache_time_comes_from_the_settings(client, small_policy, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    assert fetch(client, "/")["Cache-Control"] == "public, max-age=300"


def test_with_no_cache_time_every_request_is_revalidated(client, small_policy, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    response = fetch(client, "/")
    assert response["Cache-Control"] == "no-cache"
    assert fetch(client, "/", if_none_match=response["ETag"]).status_code == 304


def test_a_missing_page_is_not_cached_and_has_no_etag(client, small_policy):
    for url in ["/no/such/page/", "/policies/test-policy/measures/9/", "/api/v1/awards/999999/"]:
        response = fetch(client, url)
        assert response.status_code == 404, url
        assert "ETag" not in response, url
        assert "public" not in response.get("Cache-Control", ""), url


def test_the_admin_is_never_marked_public_nor_tagged(editor_client, small_policy):
    response = editor_client.get("/admin/measures/clause/")
    assert response.status_code == 200
    assert "ETag" not in response
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_response_that_sets_a_cookie_is_never_marked_public(rf, small_policy):
    """A session or CSRF cookie must not be kept by a CDN and handed to the next visitor."""

    def view_that_sets_a_cookie(request):
        response = HttpResponse("页面")
        response.set_cookie("sessionid", "secret")
        return response

    middleware = ConditionalGetMiddleware(view_that_sets_a_cookie)
    response = middleware(rf.get("/"))
    assert response["Cache-Control"] == "private"
    assert "ETag" in response
    # Nor is it kept by the page cache for the next visitor.
    assert middleware(rf.get("/")).cookies["sessionid"].value == "secret"


@pytest.mark.parametrize("value", ["-5", "a minute"])
def test_a_cache_time_the_settings_cannot_use_is_refused(value):
    result = load_settings(PUBLIC_CACHE_SECONDS=value)
    assert result.returncode != 0
    assert "PUBLIC_CACHE_SECONDS must be" in result.stderr


# Public pages set no cookie, so that a CDN may keep them; the language switch needs no token


@pytest.mark.parametrize(
    "url", ["/", "/policies/test-policy/measures/1/", "/awards/", "/search/?q=孵化器", "/changes/"]
)
def test_public_pages_set_no_csrf_cookie(small_policy, url):
    response = Client().get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_the_language_switch_works_without_a_csrf_token(small_policy):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/i18n/setlang/", {"language": "en", "next": "/policies/test-policy/"})
    assert response.status_code == 302
    assert response["Location"] == "/policies/test-policy/"
    assert "public" not in response.get("Cache-Control", "")
    assert '<html lang="en">' in browser.get("/policies/test-policy/").content.decode()


def test_the_language_switch_works_as_a_plain_link(client, small_policy):
    response = client.get("/i18n/setlang/?language=en&next=/awards/%3Fmin%3D100")
    assert response.status_code == 302
    assert response["Location"] == "/awards/?min=100"
    assert '<html lang="en">' in client.get("/awards/?min=100").content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_the_language_switch_refuses_to_send_the_visitor_to_another_site(client, db, next_url):
    response = client.get("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_language_is_not_remembered(client, small_policy):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies


# Only a 200 may become a 304 (or a 412): a precondition never hides a missing page, a bad filter or a
# failure, and never tells a visitor that a page exists.

NOT_200 = {
    "/policies/test-policy/measures/9/": 404,
    "/policies/no-such-policy/": 404,
    "/calculator/?kind=no-such-kind": 400,
    "/api/v1/awards/?min=abc": 400,
    "/api/v1/awards/999999/": 404,
}
FAR_FUTURE = http_date((timezone.now() + datetime.timedelta(days=3650)).timestamp())
PRECONDITIONS = [
    {"if_none_match": "*"},
    {"if_modified_since": FAR_FUTURE},
    {"if_match": 'W/"something-else"'},
    {"if_unmodified_since": http_date(0)},
]


@pytest.mark.parametrize("headers", PRECONDITIONS, ids=lambda headers: next(iter(headers)))
@pytest.mark.parametrize("url", NOT_200)
def test_a_precondition_on_a_page_that_is_not_a_200_gets_the_pages_own_answer(client, small_policy, url, headers):
    assert fetch(client, url, **headers).status_code == NOT_200[url]


def test_a_precondition_on_a_page_that_fails_gets_the_error_not_a_304(small_policy):
    client = Client(raise_request_exception=False)
    with mock.patch("measures.public.views.browse.page_qr_code", side_effect=RuntimeError("broken")):
        for headers in PRECONDITIONS:
            assert fetch(client, "/policies/test-policy/", **headers).status_code == 500, headers


@pytest.mark.parametrize("url", ["/policies/test-policy/measures/1/", "/api/v1/awards/"])
def test_a_page_that_exists_answers_304_to_any_etag_and_to_a_later_date(client, small_policy, url):
    for headers in ({"if_none_match": "*"}, {"if_modified_since": FAR_FUTURE}):
        assert fetch(client, url, **headers).status_code == 304, headers  # rendered, then found a 200
        assert fetch(client, url, **headers).status_code == 304, headers  # from the page cache
    assert fetch(client, url, if_match='W/"something-else"').status_code == 412
