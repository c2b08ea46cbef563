"""The server-side page cache (measures/public/page_cache/): a page asked for again is served from the cache
with one query, an edit is seen on the very next request, and a cache that fails only costs speed."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from measures.domain.models import Clause
from measures.public.page_cache import middleware
from tests.query_budgets import CONTENT_REVISION_QUERIES, MEASURE_PAGE_QUERIES
from xmpolicy.env import env_cache

MEASURE = "/policies/test-policy/measures/1/"


@pytest.mark.parametrize("url", [MEASURE, "/", "/awards/?min=100", "/search/?q=孵化器", "/api/v1/awards/"])
def test_a_page_asked_for_again_comes_from_the_cache_with_one_query(
    client, small_policy, url, django_assert_num_queries
):
    first = client.get(url)
    with django_assert_num_queries(CONTENT_REVISION_QUERIES):
        again = Client().get(url)  # another visitor: no cookie, no ETag of its own
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]


def test_an_edit_is_seen_on_the_very_next_request(client, small_policy):
    assert "支持孵化器建设，给予" in client.get(MEASURE).content.decode()
    clause = Clause.objects.get(measure__policy=small_policy, position=1)
    clause.text = "支持众创空间建设，给予每年每家最高500万元奖励。"
    clause.save()
    page = client.get(MEASURE).content.decode()
    assert "支持众创空间建设，给予" in page
    assert "支持孵化器建设，给予" not in page


def test_the_chinese_and_english_pages_are_kept_apart(small_policy):
    chinese, english = Client(), Client()
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for _ in range(2):  # the second round is served from the cache
        assert '<html lang="zh-Hans">' in chinese.get(MEASURE).content.decode()
        assert '<html lang="en">' in english.get(MEASURE).content.decode()


def test_every_host_is_handed_links_on_the_sites_own_address(small_policy, settings):
    settings.ALLOWED_HOSTS = ["policy.example.cn", "mirror.example.cn"]
    settings.SITE_URL = "https://policy.example.cn"
    first = Client(HTTP_HOST="policy.example.cn").get("/api/v1/awards/").json()
    second = Client(HTTP_HOST="mirror.example.cn").get("/api/v1/awards/").json()
    assert first["results"][0]["clause_url"].startswith("https://policy.example.cn/")
    assert second["results"][0]["clause_url"] == first["results"][0]["clause_url"]


def test_a_missing_page_is_not_kept(client, small_policy, django_assert_max_num_queries):
    assert client.get("/policies/test-policy/measures/4/").status_code == 404
    with django_assert_max_num_queries(10) as captured:
        assert client.get("/policies/test-policy/measures/4/").status_code == 404
    assert len(captured) > CONTENT_REVISION_QUERIES  # the view ran again


def test_an_answer_too_big_to_keep_is_rendered_each_time(client, small_policy, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(middleware, "MAX_CACHED_BYTES", 100)
    client.get(MEASURE)
    with django_assert_num_queries(MEASURE_PAGE_QUERIES):  # the measure page's own queries
        assert client.get(MEASURE).status_code == 200


def test_the_admin_is_never_kept(editor_client, small_policy, django_assert_max_num_queries):
    editor_client.get("/admin/measures/clause/")
    with django_assert_max_num_queries(50) as captured:
        assert editor_client.get("/admin/measures/clause/").status_code == 200
    assert len(captured) > CONTENT_REVISION_QUERIES


def test_a_cache_server_that_is_down_costs_speed_not_pages(client, small_policy, settings, caplog):
    # Nothing listens on port 1: every cache read and write fails.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    for _ in range(2):
        response = client.get(MEASURE)
        assert response.status_code == 200
        assert "孵化器建设" in response.content.decode()
    assert "page cache unavailable" in caplog.text


# CACHE_URL


def test_without_cache_url_each_process_keeps_its_pages_in_memory(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    assert env_cache("CACHE_URL")["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_redis_cache_url_shares_the_pages(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    assert env_cache("CACHE_URL")["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


def test_a_cache_url_it_cannot_use_is_refused(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcached://127.0.0.1:11211")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be"):
        env_cache("CACHE_URL")
