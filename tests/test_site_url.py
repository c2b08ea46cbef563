"""Absolute URLs name the site by its own address (SITE_URL), never by the request's Host: the feed, the
sitemap, robots.txt, the API (its links and its pages' `next`), the CSV exports and the downloads, as the
mails and the QR codes do. A page asked for under another host the site answers to (a second name, the
bare address behind the proxy) must not hand that host to readers, crawlers and caches."""

import pytest

from measures.domain.models import Clause
from measures.public.api.pagination import Pages

SITE = "https://policy.example.cn"
OTHER_HOST = "localhost"  # allowed by the test settings, as the site's second name would be

SURFACES = [
    "/changes/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/api/v1/",
    "/api/v1/policies/kjcx-2025/",
    "/api/v1/pillars/",
    "/api/v1/measures/",
    "/api/v1/clauses/",
    "/api/v1/awards/",
    "/api/v1/related-documents/",
    "/api/v1/recipient-kinds/",
    "/api/v1/calculator/?kind=tech-business-incubator",
    "/api/v1/search/?q=3000万",
    "/awards/export.csv",
    "/calculator/export.csv?kind=tech-business-incubator",
    "/downloads/awards.csv",
    "/downloads/clauses.json",
    "/downloads/clauses.csv",
    "/downloads/datapackage.json",
]


@pytest.fixture
def site(settings, real_policy, monkeypatch):
    settings.SITE_URL = SITE
    monkeypatch.setattr(Pages, "page_size", 1)  # every list has a next page (and its link)
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)
    clause.text += "（修订）"
    clause._change_reason = "校对"
    clause.save()  # a change for the feed


@pytest.mark.parametrize("url", SURFACES)
def test_absolute_urls_name_the_site_whatever_host_was_asked_for(client, site, url):
    response = client.get(url, headers={"host": OTHER_HOST})
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    assert f"{SITE}/" in text
    assert OTHER_HOST not in text and "testserver" not in text


def test_the_api_pages_next_and_previous_are_on_the_site(client, site):
    answer = client.get("/api/v1/measures/?page=2", headers={"host": OTHER_HOST}).json()
    assert answer["next"] == f"{SITE}/api/v1/measures/?page=3"
    assert answer["previous"] == f"{SITE}/api/v1/measures/"


def test_the_feeds_entries_are_named_by_the_sites_host(client, site):
    text = client.get("/changes/feed/", headers={"host": OTHER_HOST}).content.decode()
    assert "<id>tag:policy.example.cn,2025:change-" in text
    assert f'<link href="{SITE}/changes/" rel="alternate"' in text
    assert f'<link href="{SITE}/changes/feed/" rel="self"' in text
