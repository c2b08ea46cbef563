"""The read-only JSON API (/api/v1/), its OpenAPI document (/api/schema/) and docs page (/api/docs/),
against the real policy: 4 pillars, 6 measures (1–6), 7 clauses and 8 awards (see tests/test_awards.py)."""

import datetime
import json
import re
from urllib.parse import unquote

import pytest
import yaml
from django.db import connection
from django.utils.translation import trans_real
from openapi_spec_validator import validate
from rest_framework.request import Request
from rest_framework.serializers import ModelSerializer, Serializer

from measures.domain.eligibility import (
    ApplicationGuide,
    ApplicationInfo,
    DeliveryMode,
    Department,
    WindowKind,
    attach_eligibility,
)
from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.public.api.serializers import ApplicationFactsSerializer, AwardSerializer
from tests.data import LARGEST_FIRST, add_award
from tests.html import amounts, page
from tests.query_budgets import FINDER_TALLY_QUERIES, LIBRARY_CATALOGUE_QUERIES

BASE = "http://testserver"


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def results(client, url):
    return get_json(client, url)["results"]


def display_texts(client, url):
    return [award["display_text"] for award in results(client, url)]


# Every list, with the real policy


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/api/v1/policies/", 1),
        ("/api/v1/pillars/", 4),
        ("/api/v1/measures/", 6),
        ("/api/v1/clauses/", 7),
        ("/api/v1/awards/", 8),
        ("/api/v1/related-documents/", 3),
    ],
)
def test_each_list_holds_the_real_policys_records_in_pages(client, real_policy, url, count):
    body = get_json(client, url)
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == count
    assert len(body["results"]) == count
    assert body["next"] is None and body["previous"] is None


def test_the_policy_says_which_measures_are_recorded_and_which_are_pending(client, real_policy):
    policy = get_json(client, "/api/v1/policies/kjcx-2025/")
    assert policy["slug"] == "kjcx-2025"
    assert policy["declared_measure_count"] == 12
    assert policy["recorded_measure_numbers"] == [1, 2, 3, 4, 5, 6]
    assert policy["pending_measure_numbers"] == [7, 8, 9, 10, 11, 12]
    assert policy["url"] == f"{BASE}/policies/kjcx-2025/"
    assert policy["validity_status"] in {"not_yet", "in_force", "expired"}
    assert policy["sources"] and all(source["url"].startswith("http") for source in policy["sources"])
    assert get_json(client, "/api/v1/policies/")["results"] == [policy]


def test_measures_carry_their_number_pillar_policy_and_public_page(client, real_policy):
    measure = results(client, "/api/v1/measures/?pillar=1")[0]
    assert measure["number"] == 1
    assert measure["pillar"] == 1
    assert measure["policy"] == "kjcx-2025"
    assert measure["url"] == f"{BASE}/policies/kjcx-2025/measures/1/"
    assert get_json(client, f"/api/v1/measures/{measure['id']}/") == measure


def test_pillars_measures_and_clauses_can_be_filtered_by_policy_pillar_and_measure(client, real_policy):
    assert [p["number"] for p in results(client, "/api/v1/pillars/?policy=kjcx-2025")] == [1, 2, 3, 4]
    assert {m["pillar"] for m in results(client, "/api/v1/measures/?pillar=2")} == {2}
    clauses = results(client, "/api/v1/clauses/?measure=2")
    assert [c["position"] for c in clauses] == [1, 2]
    assert clauses[1]["url"] == f"{BASE}/policies/kjcx-2025/measures/2/#clause-2"
    assert clauses[1]["provenance"] in {"policy_text", "news_summary"}
    assert clauses[1]["provenance_label"] in {"政策原文", "新闻摘要"}


# Awards: the finder's filters and fields


def test_the_3000_wan_award_carries_its_amount_in_yuan_and_wan_and_its_clause_link(client, real_policy):
    award = results(client, "/api/v1/awards/")[0]
    assert award["amount_yuan"] == 30_000_000
    assert award["amount_wan"] == "3000"
    assert award["display_text"] == "一次性3000万元"
    assert award["limit"] == "exact"
    assert award["recurrence"] == "once"
    assert award["measure"] == 2
    assert award["pillar"] == 1
    assert award["policy"] == "kjcx-2025"
    assert award["clause_url"] == f"{BASE}/policies/kjcx-2025/measures/2/#clause-2"
    for field in ("nature", "recipient", "condition", "basis", "source_phrase", "per_recipient"):
        assert field in award
    assert get_json(client, f"/api/v1/awards/{award['id']}/") == award


def test_each_award_is_written_out_as_drfs_field_by_field_walk_of_its_declared_fields(rf, real_policy):
    """AwardSerializer and ApplicationFactsSerializer write their representations out for speed; the
    schema and the clients go by the declared fields, so both must give the same, facts and kinds included."""
    info = ApplicationInfo.objects.create(
        measure=Award.objects.first().clause.measure,
        hotline="0592-0000000",
        delivery_mode=DeliveryMode.ON_APPLICATION,
        window_kind=WindowKind.DATES,
        window_opens=datetime.date(2025, 3, 1),
        window_closes=datetime.date(2025, 4, 30),
        materials="申报书",
    )
    info.departments.add(Department.objects.create(name="测试责任单位", phone="0592-1111111"))
    ApplicationGuide.objects.create(info=info, position=1, title="申报指南", url="https://example.org/guide")
    awards = attach_eligibility(Award.objects.published().for_finder())
    assert any(award.kinds for award in awards) and any(award.facts.window for award in awards)
    serializer = AwardSerializer(context={"request": Request(rf.get("/api/v1/awards/"))})
    facts = ApplicationFactsSerializer()
    for award in awards:
        assert serializer.to_representation(award) == ModelSerializer.to_representation(serializer, award)
        assert facts.to_representation(award.facts) == Serializer.to_representation(facts, award.facts)


def test_awards_are_listed_largest_first_and_can_be_sorted_either_way(client, real_policy):
    assert display_texts(client, "/api/v1/awards/") == LARGEST_FIRST
    assert display_texts(client, "/api/v1/awards/?sort=-amount") == LARGEST_FIRST
    smallest_first = display_texts(client, "/api/v1/awards/?sort=amount")
    assert smallest_first[0] == "最高50万元" and smallest_first[-2:] == ["一次性3000万元", "最高3000万元"]


def test_ordering_the_former_name_of_sort_still_works_and_sort_wins(client, real_policy):
    smallest_first = display_texts(client, "/api/v1/awards/?sort=amount")
    assert display_texts(client, "/api/v1/awards/?ordering=amount") == smallest_first
    assert display_texts(client, "/api/v1/awards/?ordering=amount&sort=-amount") == LARGEST_FIRST


def test_a_minimum_of_1000_wan_includes_the_award_of_exactly_1000(client, real_policy):
    assert display_texts(client, "/api/v1/awards/?min=1000") == ["一次性3000万元", "最高3000万元", "最高1000万元"]
    assert display_texts(client, "/api/v1/awards/?min=1000&max=1000") == ["最高1000万元"]


def test_a_bound_finer_than_a_yuan_keeps_its_meaning_for_whole_yuan_amounts(client, real_policy):
    # Any number the document allows is accepted: "at least 1000万元 and 0.1元" is "at least 1000万元 and 1元".
    assert display_texts(client, "/api/v1/awards/?min=1000.00001") == ["一次性3000万元", "最高3000万元"]
    assert "最高1000万元" not in display_texts(client, "/api/v1/awards/?max=999.99999")
    assert display_texts(client, "/api/v1/awards/?min=1e-05") == LARGEST_FIRST


def test_a_minimum_above_the_maximum_finds_nothing(client, real_policy):
    assert get_json(client, "/api/v1/awards/?min=500&max=100") == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_pillar_2_has_two_awards(client, real_policy):
    assert display_texts(client, "/api/v1/awards/?pillar=2") == ["最高3000万元", "每年每家最高500万元"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "min=1000",
        "min=50&max=300",
        "pillar=1",
        "pillar=2&sort=amount",
        "band=100-500",
        "policy=kjcx-2025&recurrence=per_year",
        "limit=exact",
        "limit=ceiling&sort=amount",
    ],
)
def test_the_api_and_the_finder_page_return_the_same_awards_for_the_same_filters(client, real_policy, query):
    assert display_texts(client, f"/api/v1/awards/?{query}") == amounts(page(client, f"/awards/?{query}"))


# Bad input


@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        ("/api/v1/awards/?min=abc", "min", "最低金额必须是数字（万元）"),
        ("/api/v1/awards/?max=-5", "max", "最高金额"),
        ("/api/v1/awards/?pillar=two", "pillar", "方面无效"),
        ("/api/v1/awards/?policy=nope", "policy", "政策无效"),
        ("/api/v1/awards/?ordering=title", "ordering", "排序无效"),
        ("/api/v1/awards/?recurrence=daily", "recurrence", "发放频次无效"),
        ("/api/v1/measures/?pillar=0", "pillar", "方面无效"),
        ("/api/v1/clauses/?measure=x", "measure", "措施无效"),
        ("/api/v1/pillars/?policy=nope", "policy", "政策无效"),
    ],
)
def test_an_invalid_filter_is_a_400_naming_the_parameter(client, real_policy, url, parameter, message):
    body = get_json(client, url, status=400)
    assert list(body["errors"]) == [parameter]
    assert message in body["errors"][parameter][0]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/policies/no-such-policy/",
        "/api/v1/measures/999999/",
        "/api/v1/measures/abc/",
        "/api/v1/clauses/999999/",
        "/api/v1/awards/999999999999999999999999/",
        "/api/v1/awards/?page=99",
        "/api/v1/awards/?page=abc",
        "/api/v1/awards/1.5/",
        "/api/v1/no-such-list/",
    ],
)
def test_an_unknown_id_or_page_is_a_404_in_json(client, real_policy, url):
    assert get_json(client, url, status=404) == {"detail": "未找到。"}


def test_every_404_says_the_same_in_english_for_a_visitor_who_chose_english(client, real_policy):
    client.cookies["django_language"] = "en"
    for url in ["/api/v1/awards/999999/", "/api/v1/awards/?page=99", "/api/v1/policies/%00/", "/api/v1/nothing/"]:
        assert get_json(client, url, status=404) == {"detail": "Not found."}, url


def test_the_api_root_links_every_list(client, db):
    root = get_json(client, "/api/v1/")
    assert set(root) == {
        "policies",
        "pillars",
        "measures",
        "clauses",
        "awards",
        "questions",
        "related-documents",
        "recipient-kinds",
    }
    assert root["awards"] == f"{BASE}/api/v1/awards/"


def test_the_api_is_read_only(client, real_policy):
    response = client.post("/api/v1/awards/", {"amount_yuan": 1}, content_type="application/json")
    assert response.status_code == 405
    assert Award.objects.count() == 8


# Search


def test_search_finds_published_clauses_with_plain_snippets_and_links(client, real_policy):
    body = get_json(client, "/api/v1/search/?q=中试")
    assert body["count"] >= 1
    hit = body["results"][0]
    assert "中试" in hit["snippet"]
    assert "<mark>" not in hit["snippet"]
    assert hit["url"] == f"{BASE}/policies/kjcx-2025/measures/{hit['measure']}/#clause-{hit['position']}"
    assert hit["measure_title"]


@pytest.mark.parametrize("query", ["孵化器", "中试", "实验室 支持", "金砖", "nothing-like-this"])
def test_search_finds_the_same_clauses_in_the_same_order_as_the_search_page(client, real_policy, query):
    html = page(client, f"/search/?q={query}")
    on_page = re.findall(r'<h3 class="search-result__title"><a href="([^"]+)"', html)
    assert [hit["url"] for hit in results(client, f"/api/v1/search/?q={query}")] == [BASE + url for url in on_page]


def test_search_with_no_terms_finds_nothing(client, real_policy):
    assert get_json(client, "/api/v1/search/?q=%20")["count"] == 0
    assert get_json(client, "/api/v1/search/")["count"] == 0


def test_search_snippets_are_text_not_html(client, real_policy):
    clause = Clause.objects.get(measure__number=1, position=1)
    clause.text = "标记<b>&amp;粗体</b>测试" + clause.text
    clause.save()
    hit = results(client, "/api/v1/search/?q=粗体")[0]
    assert hit["snippet"].startswith("标记<b>&amp;粗体</b>测试")


# Only published content


@pytest.fixture
def drafts(real_policy):
    """A draft measure (7) with a clause and an award, a draft clause and a draft award in a published
    measure, and a pending draft of a published clause: none of it is public."""
    pillar = real_policy.pillars.get(number=1)
    measure = Measure.objects.create(
        policy=real_policy, pillar=pillar, number=7, title="草稿措施秘密", status=PublicationStatus.DRAFT
    )
    fields = dict(provenance=Clause.Provenance.POLICY_TEXT, source_url="https://example.org/")
    hidden_clause = Clause.objects.create(measure=measure, position=1, text="草稿条款秘密一", **fields)
    add_award(hidden_clause, 1, 123_450_000, recipient="秘密对象一")
    published_measure = Measure.objects.get(policy=real_policy, number=1)
    draft_clause = Clause.objects.create(
        measure=published_measure, position=9, text="草稿条款秘密二", status=PublicationStatus.DRAFT, **fields
    )
    add_award(draft_clause, 1, 123_450_000, recipient="秘密对象二")
    published_clause = Clause.objects.get(measure=published_measure, position=1)
    change = Clause.objects.create(
        measure=published_measure, position=1, text="草稿条款秘密三", draft_of=published_clause, **fields
    )
    draft_award = add_award(published_clause, 99, 123_450_000, recipient="秘密对象四", status=PublicationStatus.DRAFT)
    return {"measure": measure, "clauses": [hidden_clause, draft_clause, change], "award": draft_award}


LISTS = [
    "/api/v1/policies/",
    "/api/v1/pillars/",
    "/api/v1/measures/",
    "/api/v1/clauses/",
    "/api/v1/awards/",
    "/api/v1/awards/?min=12345",
    "/api/v1/search/?q=秘密",
    "/api/v1/search/?q=草稿",
]


def test_drafts_never_appear_in_any_list_or_search(client, drafts):
    for url in LISTS:
        text = client.get(url).content.decode()
        assert "秘密" not in text, url
        assert "12345" not in text, url
    assert get_json(client, "/api/v1/measures/")["count"] == 6
    assert get_json(client, "/api/v1/clauses/")["count"] == 7
    assert get_json(client, "/api/v1/awards/")["count"] == 8
    assert get_json(client, "/api/v1/search/?q=秘密")["count"] == 0
    policy = get_json(client, "/api/v1/policies/kjcx-2025/")
    assert 7 in policy["pending_measure_numbers"] and 7 not in policy["recorded_measure_numbers"]


def test_a_drafts_id_is_a_404(client, drafts):
    get_json(client, f"/api/v1/measures/{drafts['measure'].pk}/", status=404)
    for clause in drafts["clauses"]:
        get_json(client, f"/api/v1/clauses/{clause.pk}/", status=404)
    for award in Award.objects.exclude(pk__in=Award.objects.published()):
        get_json(client, f"/api/v1/awards/{award.pk}/", status=404)
    assert Award.objects.exclude(pk__in=Award.objects.published()).count() == 3


INTERNALS = {"history", "updated_by", "updated_at", "created_at", "version", "search_tokens", "status", "draft_of"}


def keys(value):
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys(item)}
    return set()


def test_no_payload_shows_history_or_editing_internals(client, real_policy):
    award = results(client, "/api/v1/awards/")[0]
    urls = [
        *LISTS,
        "/api/v1/policies/kjcx-2025/",
        f"/api/v1/awards/{award['id']}/",
        f"/api/v1/measures/{results(client, '/api/v1/measures/')[0]['id']}/",
        f"/api/v1/clauses/{results(client, '/api/v1/clauses/')[0]['id']}/",
        "/api/v1/search/?q=孵化器",
    ]
    for url in urls:
        body = get_json(client, url)
        assert not keys(body) & INTERNALS, url


# Query budgets: each count below is the view's own, plus the one query of the conditional-GET
# fingerprint that every public GET runs (measures/public/page_cache/middleware.py).

FINGERPRINT = 1
# What a page of measures adds: their application facts, with their departments and guides; a page of
# awards: their kinds too (measures/domain/eligibility.py).
MEASURE_FACTS = 3
AWARD_ELIGIBILITY = 4


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # the library's catalogue, then the page, its sources, published measures, related documents, their measures
        ("/api/v1/policies/", LIBRARY_CATALOGUE_QUERIES + 5),
        ("/api/v1/policies/?validity=in_force&q=厦委发&sort=title", LIBRARY_CATALOGUE_QUERIES + 5),
        ("/api/v1/policies/kjcx-2025/", 5),
        ("/api/v1/pillars/", 2),  # count, page
        ("/api/v1/pillars/?policy=kjcx-2025", 3),  # the policy looked up
        ("/api/v1/measures/", 2 + MEASURE_FACTS),
        ("/api/v1/clauses/", 2),
        ("/api/v1/clauses/?policy=kjcx-2025&measure=2", 3),
        # The page; its count from the finder's tally (read once per revision).
        ("/api/v1/awards/", FINDER_TALLY_QUERIES + 1 + AWARD_ELIGIBILITY),
        ("/api/v1/awards/?policy=kjcx-2025&min=100", FINDER_TALLY_QUERIES + 2 + AWARD_ELIGIBILITY),
        ("/api/v1/awards/?kind=accelerator", FINDER_TALLY_QUERIES + 2 + AWARD_ELIGIBILITY),  # the kind looked up
        ("/api/v1/recipient-kinds/", 2),
        # The kinds asked, the policies in force, the kinds listed, the amounts (count and totals), the page.
        ("/api/v1/calculator/?kind=accelerator&kind=taiwan-cooperation-base", 5 + AWARD_ELIGIBILITY),
        # The synonyms and aliases that widen the words, the matches, the clauses shown; on PostgreSQL
        # first the token counts that choose the plan.
        ("/api/v1/search/?q=孵化器", 3 + (connection.vendor == "postgresql")),
        ("/api/v1/search/", 0),
        ("/api/v1/related-documents/", 3),  # count, page, the measures they concern
        ("/api/v1/related-documents/?measure=6", 3),
    ],
)
def test_each_endpoint_runs_a_fixed_number_of_queries(client, real_policy, django_assert_num_queries, url, queries):
    with django_assert_num_queries(FINGERPRINT + queries):
        client.get(url)


def test_detail_pages_run_one_query_and_what_they_carry(client, real_policy, django_assert_num_queries):
    ids = {name: results(client, f"/api/v1/{name}/")[0]["id"] for name in ("pillars", "measures", "clauses", "awards")}
    extra = {"measures": MEASURE_FACTS, "awards": AWARD_ELIGIBILITY}
    for name, pk in ids.items():
        with django_assert_num_queries(FINGERPRINT + 1 + extra.get(name, 0)):
            get_json(client, f"/api/v1/{name}/{pk}/")


def test_the_award_list_runs_as_many_queries_with_more_awards(client, real_policy, django_assert_num_queries):
    clause = Clause.objects.get(measure__number=3, position=1)
    for position in range(20, 40):
        add_award(clause, position, 10_000 * position)
    with django_assert_num_queries(FINGERPRINT + FINDER_TALLY_QUERIES + 1 + AWARD_ELIGIBILITY):
        assert get_json(client, "/api/v1/awards/")["count"] == 28


# The OpenAPI document and its docs page


def test_the_schema_is_a_valid_openapi_3_document_listing_every_endpoint_and_filter(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    for path in ("policies", "pillars", "measures", "clauses", "awards", "search"):
        assert f"/api/v1/{path}/" in schema["paths"]
    award_parameters = {p["name"] for p in schema["paths"]["/api/v1/awards/"]["get"]["parameters"]}
    assert {"min", "max", "band", "pillar", "policy", "recurrence", "limit", "ordering", "page"} <= award_parameters
    as_json = json.loads(client.get("/api/schema/?format=json").content)
    assert as_json["paths"].keys() == schema["paths"].keys()


def document(client, url="/api/schema/?format=json"):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def operations(schema):
    return [(path, item["get"]) for path, item in schema["paths"].items()]


def query_parameters(operation):
    return [p for p in operation.get("parameters", []) if p["in"] == "query"]


def test_every_operation_documents_its_400_and_404_with_their_bodies(client, real_policy):
    schema = document(client)
    components = schema["components"]["schemas"]
    assert components["Detail"]["required"] == ["detail"]
    assert components["InvalidFilter"]["properties"]["errors"]["additionalProperties"]["type"] == "array"
    for _path, operation in operations(schema):
        responses = operation["responses"]
        for status in ("404", "429", "503"):
            assert responses[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Detail"}
        # Every operation, a detail too: an invalid filter, or any parameter given twice.
        body = responses["400"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/InvalidFilter"}


def test_each_number_parameters_bounds_are_the_ones_the_server_keeps(client, real_policy):
    checked = 0
    for path, operation in operations(document(client)):
        # A required parameter (the calculator's kinds) is given its first documented value.
        required = "".join(
            f"{parameter['name']}={parameter['schema']['items']['enum'][0]}&"
            for parameter in query_parameters(operation)
            if parameter.get("required")
        )
        query = f"{path}?{required}"
        for parameter in query_parameters(operation):
            bounds = parameter["schema"]
            if bounds["type"] != "integer":
                continue
            lowest, highest = bounds["minimum"], bounds.get("maximum")
            assert lowest >= 1, (path, parameter["name"])  # no pillar, measure or page 0
            assert client.get(f"{query}{parameter['name']}={lowest - 1}").status_code in {400, 404}
            assert client.get(f"{query}{parameter['name']}={lowest}").status_code == 200, (path, parameter["name"])
            if highest is not None:
                assert client.get(f"{query}{parameter['name']}={highest}").status_code == 200
                assert client.get(f"{query}{parameter['name']}={highest + 1}").status_code == 400
            checked += 1
    assert checked == 17  # pillar (on three lists), measure (on three), page (on ten), a policy's year


def test_every_query_parameter_may_be_empty_as_the_document_says(client, real_policy):
    for path, operation in operations(document(client)):
        parameters = query_parameters(operation)
        names = [parameter["name"] for parameter in parameters]
        # But a required one (the calculator's kinds), which the document says may not be empty.
        assert all(parameter["allowEmptyValue"] != parameter.get("required", False) for parameter in parameters), path
        if any(parameter.get("required") for parameter in parameters):
            assert client.get(f"{path}?" + "&".join(f"{name}=" for name in names)).status_code == 400, path
        elif names:
            url = f"{path}?" + "&".join(f"{name}=" for name in names)
            assert client.get(url).status_code == 200, url


def test_a_policy_is_one_of_the_slugs_the_server_accepts(client, real_policy):
    for path, operation in operations(document(client)):
        for parameter in query_parameters(operation):
            if parameter["name"] == "policy":
                assert parameter["schema"] == {"type": "string", "enum": ["kjcx-2025"]}, path


def test_sort_is_the_one_sort_parameter_and_ordering_a_deprecated_alias(client, real_policy):
    parameters = {p["name"]: p for p in query_parameters(document(client)["paths"]["/api/v1/awards/"]["get"])}
    assert "deprecated" not in parameters["sort"]
    assert parameters["ordering"]["deprecated"] is True
    assert "sort" in parameters["ordering"]["description"]


@pytest.mark.parametrize(("url", "suffix"), [("/api/schema/", "yaml"), ("/api/schema/?format=json", "json")])
def test_the_schema_file_name_is_sent_in_a_header_browsers_read(client, db, url, suffix):
    header = client.get(url)["Content-Disposition"]
    assert "=?utf-8?" not in header.lower()
    header.encode("ascii")
    disposition, plain, encoded = (part.strip() for part in header.split(";"))
    assert disposition == "inline"
    assert plain == f'filename="xmpolicy-api.{suffix}"'
    assert encoded.startswith("filename*=UTF-8''")
    assert unquote(encoded.removeprefix("filename*=UTF-8''")) == f"xmpolicy 开放数据 API.{suffix}"


def test_the_schema_comes_in_the_offered_languages_only(client, db):
    english = document(client, "/api/schema/?lang=en&format=json")
    chinese = document(client, "/api/schema/?lang=zh-hans&format=json")
    not_found = "Not found: there is no record with this id or identifier, or no such page."
    assert english["paths"]["/api/v1/awards/"]["get"]["responses"]["404"]["description"] == not_found
    assert chinese["paths"]["/api/v1/awards/"]["get"]["responses"]["404"]["description"].startswith("未找到")
    for code in ("fr", "xx-unknown", "de"):
        response = client.get(f"/api/schema/?lang={code}")
        assert response.status_code == 400, code
        assert list(response.json()["errors"]) == ["lang"]
        assert code not in trans_real._translations, code


def test_the_docs_page_loads_nothing_from_another_host(client, db):
    html = page(client, "/api/docs/")
    assert "/api/schema/" in html
    assert "swagger-ui" in html
    hosts = set(re.findall(r"https?://([^/\"'\s]+)", html))
    assert hosts <= {"testserver"}, hosts
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset
