"""Random query strings against every API endpoint, from its OpenAPI document: whatever the
parameters (known names with odd values, unknown names, NUL characters, huge numbers, ids that
do not exist), the API answers 200, 400 or 404 in JSON, never a 5xx."""

from urllib.parse import quote, urlencode

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

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
    ]
)
VALUES = st.one_of(AWKWARD, st.text(max_size=30), st.integers(min_value=-(10**30), max_value=10**30).map(str))


def schema(client):
    return yaml.safe_load(client.get("/api/schema/").content)


def endpoints():
    """(path template, parameter names) of every GET in the schema, read without a request."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, sorted({p["name"] for p in operation["get"].get("parameters", []) if p["in"] == "query"}))
        for path, operation in document["paths"].items()
        if "get" in operation
    ]


ENDPOINTS = endpoints()


def test_the_fuzzed_endpoints_are_all_of_the_api(client):
    paths = {path for path, _ in ENDPOINTS}
    assert paths == set(schema(client)["paths"])
    assert {"/api/v1/awards/", "/api/v1/awards/{id}/", "/api/v1/search/", "/api/v1/policies/{slug}/"} <= paths


@pytest.mark.parametrize(("path", "names"), ENDPOINTS, ids=[path for path, _ in ENDPOINTS])
def test_random_parameters_never_cause_a_server_error(client, real_policy, path, names):
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
