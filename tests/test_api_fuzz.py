"""Random query strings against every API endpoint, from its OpenAPI document: whatever the
parameters (known names with odd values, unknown names, NUL characters, huge numbers, ids that
do not exist), the API answers 200, 400 or 404 in JSON, never a 5xx."""

from urllib.parse import quote, urlencode

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

# Short runs keep the suite fast; every run still tries dozens of query strings per endpoint.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values that have broken parsers before: numbers in odd forms, NULs, huge and negative values,
# exponents that would expand to billions of digits, the finder's own vocabulary.
AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e999999999",
        "NaN",
        "Infinity",
        "0.00001",
        "9" * 40,
        "\x00",
        "kjcx-2025\x00",
        "%",
        "'; DROP TABLE x; --",
        "一千",
        "1000",
        "amount",
        "-amount",
        "1000-plus",
        "per_year",
        "ceiling",
        "kjcx-2025",
        "tech-business-incubator",
        "accelerator",
    ]
)
VALUES = st.one_of(AWKWARD, st.text(max_size=30), st.integers(min_value=-(10**30), max_value=10**30).map(str))


def schema(client):
    return yaml.safe_load(client.get("/api/schema/").content)


# Every GET of the API (the first test checks that the document lists these and no others).
PATHS = [
    "/api/v1/awards/",
    "/api/v1/awards/{id}/",
    "/api/v1/calculator/",
    "/api/v1/clauses/",
    "/api/v1/clauses/{id}/",
    "/api/v1/measures/",
    "/api/v1/measures/{id}/",
    "/api/v1/pillars/",
    "/api/v1/pillars/{id}/",
    "/api/v1/policies/",
    "/api/v1/policies/{slug}/",
    "/api/v1/questions/",
    "/api/v1/questions/{id}/",
    "/api/v1/recipient-kinds/",
    "/api/v1/recipient-kinds/{slug}/",
    "/api/v1/related-documents/",
    "/api/v1/related-documents/{id}/",
    "/api/v1/search/",
]


def query_parameters(document, path) -> list[str]:
    return sorted({p["name"] for p in document["paths"][path]["get"].get("parameters", []) if p["in"] == "query"})


def test_the_fuzzed_endpoints_are_all_of_the_api(client):
    document = schema(client)
    assert set(PATHS) == {path for path, operations in document["paths"].items() if "get" in operations}
    assert {"min", "max", "band", "policy", "pillar", "sort"} <= set(query_parameters(document, "/api/v1/awards/"))


@pytest.mark.parametrize("path", PATHS)
def test_random_parameters_never_cause_a_server_error(client, real_policy, path):
    names = query_parameters(schema(client), path)

    @FUZZ
    @given(
        params=st.dictionaries(st.sampled_from([*names, "page", "unknown", "format"]), VALUES, max_size=5),
        ident=st.one_of(AWKWARD, st.text(min_size=1, max_size=12), st.integers(min_value=-5, max_value=10**20)),
    )
    def check(params, ident):
        url = path.replace("{id}", quote(str(ident), safe="")).replace("{slug}", quote(str(ident), safe=""))
        response = client.get(f"{url}?{urlencode(params)}")
        assert response.status_code in {200, 400, 404}, (url, params, response.status_code)
        assert response["Content-Type"].startswith("application/json"), (url, params)

    check()
