"""The award finder's counts and facets (measures/public/finder/tally.py, facets.py) are what
counting the awards would give, for every kind of question, and follow an edit at once."""

import itertools

from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from measures.domain.models import Award
from measures.public.finder import facets
from measures.public.finder.filters import AwardFilter
from measures.public.finder.tally import award_count, revision_key

QUESTIONS = [
    "",
    "min=500",
    "max=300",
    "min=100&max=1000",
    "min=1000&max=1000",
    "band=under-100",
    "band=100-500",
    "band=500-1000",
    "band=1000-plus",
    "pillar=1",
    "pillar=2",
    "pillar=9",
    "recurrence=per_year",
    "recurrence=once",
    "limit=exact",
    "limit=ceiling",
    "policy=kjcx-2025",
    "policy=test-policy&pillar=1",
    "kind=accelerator",
    "kind=incubator&policy=kjcx-2025",
    "sort=amount",
]


def test_every_question_and_every_pair_counts_what_the_database_counts(real_policy, small_policy):
    revision = revision_key(RequestFactory().get("/"))
    asked = 0
    for first, second in itertools.combinations(QUESTIONS, 2):
        for query in (first, second, f"{first}&{second}"):
            finder = AwardFilter(QueryDict(query))
            if finder.is_valid():  # min above max is refused, not counted
                assert award_count(finder, revision) == finder.qs.count(), query
                asked += 1
    assert asked > 400


def counted(facet):
    return {option.value: option.count for option in facet.options}


def test_every_facet_counts_what_the_database_counts_and_lists_the_largest_policies_first(
    real_policy, small_policy, monkeypatch
):
    """The facets from the tally against the finder's own facets, each counted by the database (every
    award the other filters select, grouped). With one policy shown, the policy facet is its largest."""
    monkeypatch.setattr(facets, "POLICIES_SHOWN", 1)
    request = RequestFactory().get("/")
    for first in QUESTIONS:
        for second in ("", "kind=accelerator", "policy=kjcx-2025", "band=100-500&pillar=1"):
            finder = AwardFilter(QueryDict(f"{first}&{second}"))
            if not finder.is_valid():
                continue
            expected = {facet.name: facet for facet in finder.facets()}
            for facet in facets.finder_facets(finder, request):
                query = f"{first}&{second}: {facet.name}"
                if facet.name == "policy":
                    database = counted(expected["policy"])
                    shown = [
                        value
                        for value, count in sorted(database.items(), key=lambda item: (-item[1], item[0]))
                        if count
                    ][:1]
                    chosen = finder.selected().get("policy")
                    if chosen is not None and chosen not in shown:
                        shown.append(chosen)
                    assert [(o.value, o.count) for o in facet.options] == [(v, database.get(v, 0)) for v in shown], (
                        query
                    )
                    without = QueryDict(f"{first}&{second}", mutable=True)
                    without.pop("policy", None)
                    assert facet.total == AwardFilter(without).qs.count(), query
                elif facet.name == "kind":
                    assert counted(facet) == counted(expected["kind"]), query
                    without = QueryDict(f"{first}&{second}", mutable=True)
                    without.pop("kind", None)
                    assert facet.total == AwardFilter(without).qs.count(), query
                else:
                    assert counted(facet) == counted(expected[facet.name]), query


def test_an_edit_changes_the_count_on_the_next_question(client, real_policy):
    before = client.get("/api/v1/awards/", {"band": "1000-plus"}).json()["count"]
    award = Award.objects.published().filter(amount_yuan__gte=10_000_000).first()
    award.amount_yuan = 1_000_000
    award.save()
    assert client.get("/api/v1/awards/", {"band": "1000-plus"}).json()["count"] == before - 1


def test_the_finder_page_and_the_api_agree(client, real_policy):
    for query in ("min=100", "pillar=2", "recurrence=per_year&sort=amount"):
        api = client.get(f"/api/v1/awards/?{query}").json()["count"]
        assert f"共 {api} 项" in client.get(f"/awards/?{query}").content.decode(), query


def test_a_cache_server_that_is_down_costs_a_count_not_the_answer(client, real_policy, settings, caplog):
    # Nothing listens on port 1: every cache read and write fails (xmpolicy/optional_cache.py).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    counted = Award.objects.published().filter(amount_yuan__gte=1_000_000).count()
    assert client.get("/api/v1/awards/?min=100").json()["count"] == counted
    assert f"共 {counted} 项" in client.get("/awards/?min=100").content.decode()
    assert "award counts unavailable" in caplog.text


def test_the_finder_and_the_api_page_their_awards_without_counting_them_one_by_one(client, real_policy):
    """The count comes from the counts kept per revision (pinned query counts: tests/test_api.py,
    tests/test_awards.py): after the first question, no COUNT(*) of the awards."""
    client.get("/api/v1/awards/")  # the counts of this revision, read once
    for url in ("/api/v1/awards/?min=100", "/awards/?band=100-500"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert captured.captured_queries, url
        assert not [q for q in captured.captured_queries if "COUNT(*)" in q["sql"].upper()], url
