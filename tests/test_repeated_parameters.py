"""A query parameter that takes one value, given twice, is a 400 naming it, on the pages, the CSV and the
API alike (measures/public/one_value.py), rather than the last value quietly winning; a parameter that
takes several (the calculator's `kind`) still does, and the OpenAPI document says which is which."""

import pytest

KINDS = "kind=tech-business-incubator&kind=accelerator"

API = [
    ("/api/v1/clauses/?measure=x&measure=3", "measure"),
    ("/api/v1/clauses/?measure=3&measure=x", "measure"),
    ("/api/v1/clauses/?measure=3&measure=3", "measure"),
    ("/api/v1/awards/?min=abc&min=500", "min"),
    ("/api/v1/awards/?sort=amount&ordering=amount&sort=-amount", "sort"),
    ("/api/v1/measures/?page=1&page=2", "page"),
    ("/api/v1/related-documents/?policy=kjcx-2025&policy=kjcx-2025", "policy"),
    ("/api/v1/search/?q=孵化器&q=加速器", "q"),
    (f"/api/v1/calculator/?{KINDS}&valid=1&valid=0", "valid"),
    ("/api/v1/awards/1/?x=1&x=2", "x"),
]
PAGES = [
    ("/awards/?min=abc&min=500", "min"),
    ("/awards/?pillar=1&pillar=2", "pillar"),
    ("/awards/export.csv?sort=amount&sort=-amount", "sort"),
    ("/search/?q=孵化器&q=加速器", "q"),
    (f"/calculator/?{KINDS}&page=1&page=2", "page"),
    (f"/calculator/export.csv?{KINDS}&page=1&page=2", "page"),
    ("/policies/kjcx-2025/measures/3/?as_of=2025-03-01&as_of=2025-04-01", "as_of"),
]


@pytest.mark.parametrize(("url", "name"), API)
def test_the_api_refuses_a_parameter_given_twice_naming_it(client, real_policy, url, name):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json() == {"errors": {name: [f"参数“{name}”只能给出一次，这里给出了2次。"]}}


@pytest.mark.parametrize(("url", "name"), PAGES)
def test_the_pages_refuse_a_parameter_given_twice_naming_it(client, real_policy, url, name):
    response = client.get(url)
    assert response.status_code == 400
    assert f"参数“{name}”只能给出一次，这里给出了2次。" in response.content.decode()


def test_the_message_is_in_the_visitors_language(client, real_policy):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/api/v1/awards/?min=1&min=2")
    assert response.json()["errors"]["min"] == ["The parameter “min” may be given only once; here it is given 2 times."]


@pytest.mark.parametrize(
    "url", [f"/calculator/?{KINDS}", f"/calculator/export.csv?{KINDS}", f"/api/v1/calculator/?{KINDS}"]
)
def test_the_calculators_kinds_are_still_given_several_at_once(client, real_policy, url):
    assert client.get(url).status_code == 200


def test_links_from_the_calculators_old_form_still_work_the_last_value_winning(client, real_policy):
    # What the form sent before issue 28 with 只看有效政策 ticked, then unticked: a hidden 0 before the box.
    ticked = client.get(f"/calculator/?{KINDS}&valid=0&valid=1").content.decode()
    unticked = client.get(f"/calculator/?{KINDS}&valid=0").content.decode()
    assert 'name="valid" value="1" checked' in ticked
    assert 'name="valid" value="1" checked' not in unticked and 'name="valid" value="0" checked' in unticked


def test_the_api_document_says_each_parameter_may_be_given_once_but_kind(client, real_policy):
    document = client.get("/api/schema/?format=json").json()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert "400" in operation["responses"], path
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                once = "只能给出一次：重复给出答 400。" in parameter.get("description", "")
                assert once == (parameter["schema"]["type"] != "array"), (path, parameter["name"])
    (kind,) = [p for p in document["paths"]["/api/v1/calculator/"]["get"]["parameters"] if p["name"] == "kind"]
    assert kind["explode"] is True and kind["schema"]["type"] == "array"
