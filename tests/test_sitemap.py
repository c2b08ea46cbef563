"""sitemap.xml and robots.txt."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from measures.domain.models import Award, Clause, Measure, Pillar, Policy
from tests.data import add_more_data
from tests.html import page
from tests.query_budgets import CONTENT_REVISION_QUERIES

# the ETag's fingerprint (measures/public/page_cache/); policies, pillars with their policy, measures with their
# policy, and again for the measures' history pages
SITEMAP_QUERIES = CONTENT_REVISION_QUERIES + 4


def locations(xml):
    return re.findall(r"<loc>([^<]*)</loc>", xml)


def lastmod_of(xml, url):
    entry = re.search(rf"<loc>{re.escape(url)}</loc>\s*<lastmod>([^<]*)</lastmod>", xml)
    return entry and entry[1]


def test_the_sitemap_lists_every_page_of_the_real_policy_the_finder_and_the_calculator(client, real_policy):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    base = "http://testserver/policies/kjcx-2025"
    assert locations(response.content.decode()) == [
        f"{base}/",
        *(f"{base}/pillars/{number}/" for number in (1, 2, 3, 4)),
        *(f"{base}/measures/{number}/" for number in (1, 2, 3, 4, 5, 6)),
        *(f"{base}/measures/{number}/history/" for number in (1, 2, 3, 4, 5, 6)),
        "http://testserver/",
        "http://testserver/policies/",
        "http://testserver/awards/",
        "http://testserver/awards/policies/",
        "http://testserver/calculator/",
        "http://testserver/calendar/",
        "http://testserver/search/",
        "http://testserver/changes/",
        "http://testserver/downloads/",
        "http://testserver/accessibility/",
        "http://testserver/feedback/",
    ]


def test_the_sitemap_leaves_out_the_pending_measures(client, real_policy):
    xml = page(client, "/sitemap.xml")
    assert "/measures/7/" not in xml
    assert "/measures/12/" not in xml


def test_the_sitemap_uses_the_host_and_scheme_of_the_site_not_of_the_request(client, real_policy, settings):
    settings.ALLOWED_HOSTS = ["kjj.xm.gov.cn", "127.0.0.1"]
    settings.SITE_URL = "https://kjj.xm.gov.cn"
    response = client.get("/sitemap.xml", headers={"host": "127.0.0.1"})
    assert response.status_code == 200
    urls = locations(response.content.decode())
    # 1 policy, 4 pillars, 6 measures and their histories, 9 listing pages, 无障碍声明, /feedback/
    assert len(urls) == 28
    assert all(url.startswith("https://kjj.xm.gov.cn/") for url in urls)


def test_policy_and_pillar_entries_are_dated_by_their_last_change(client, small_policy):
    Policy.objects.filter(pk=small_policy.pk).update(updated_at=timezone.make_aware(datetime.datetime(2025, 3, 1)))
    Pillar.objects.filter(policy=small_policy, number=2).update(
        updated_at=timezone.make_aware(datetime.datetime(2025, 4, 2))
    )
    xml = page(client, "/sitemap.xml")
    assert lastmod_of(xml, "http://testserver/policies/test-policy/").startswith("2025-03-01")
    assert lastmod_of(xml, "http://testserver/policies/test-policy/pillars/2/").startswith("2025-04-02")
    assert lastmod_of(xml, "http://testserver/awards/") is None


def test_a_measure_entry_is_dated_by_the_latest_change_to_it_its_clauses_or_awards(client, small_policy):
    day = lambda d: timezone.make_aware(datetime.datetime(2025, 5, d))  # noqa: E731
    Measure.objects.filter(policy=small_policy).update(updated_at=day(1))
    Clause.objects.filter(measure__policy=small_policy).update(updated_at=day(2))
    Award.objects.filter(clause__measure__policy=small_policy).update(updated_at=day(3))
    xml = page(client, "/sitemap.xml")
    assert lastmod_of(xml, "http://testserver/policies/test-policy/measures/1/").startswith("2025-05-03")
    # Measures without clauses keep their own date.
    assert lastmod_of(xml, "http://testserver/policies/test-policy/measures/2/").startswith("2025-05-01")
    Clause.objects.filter(measure__policy=small_policy).update(updated_at=day(9))
    cache.clear()  # update() writes no history, so the fingerprint (and the page cache's key) stays
    xml = page(client, "/sitemap.xml")
    assert lastmod_of(xml, "http://testserver/policies/test-policy/measures/1/").startswith("2025-05-09")


@pytest.mark.usefixtures("empty_database")
def test_the_sitemap_needs_the_same_number_of_queries_whatever_the_data(
    client, small_policy, django_assert_num_queries
):
    with django_assert_num_queries(SITEMAP_QUERIES):
        before = locations(page(client, "/sitemap.xml"))
    add_more_data(small_policy)
    with django_assert_num_queries(SITEMAP_QUERIES):
        after = locations(page(client, "/sitemap.xml"))
    assert len(before) == 1 + 2 + 3 + 3 + 11
    assert len(after) == 1 + 3 + 5 + 5 + 11


def test_robots_txt_is_plain_text_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /follow/" in text  # the e-mail alerts' pages: one visitor's forms and links
    assert "Sitemap: http://testserver/sitemap.xml" in text
