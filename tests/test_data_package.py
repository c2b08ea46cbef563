"""/downloads/datapackage.json: every download described as a Frictionless Data Package, validated with the
`frictionless` library against the files themselves (fetched through the test client, so no network):
types, required values, primary keys and the keys that join the finder's and the calculator's CSVs and
the awards to the bulk files."""

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
from frictionless import Package

from measures.domain.documents import RelatedDocument
from measures.domain.models import Award, Measure, PublicationStatus
from measures.domain.questions import QuestionAnswer
from measures.public import exports
from tests.data import add_more_data
from tests.query_budgets import CONTENT_REVISION_QUERIES

PACKAGE = "/downloads/datapackage.json"
PACKAGE_QUERIES = CONTENT_REVISION_QUERIES + 1  # the first public kind, for the calculator's example


@pytest.fixture(autouse=True)
def a_published_question(db):
    """The real policy has no 政策问答: one, concerning a paragraph, so that its files have a row to check
    (frictionless reads an empty JSON file as an error) and its key to the clauses is checked."""
    measure = Measure.objects.filter(policy__slug="kjcx-2025", number=3).first()
    if measure is not None:
        QuestionAnswer.objects.create(
            measure=measure,
            clause=measure.clauses.order_by("position").first(),
            question="（测试问题）",
            answer="（测试答复）",
            status=PublicationStatus.PUBLISHED,
        )


def descriptor(client):
    response = client.get(PACKAGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def local_package(client, tmp_path, change=None):
    """The package with each resource's file fetched from the site into tmp_path (`change` may edit a
    file's text, by resource name), ready for frictionless."""
    package = descriptor(client)
    for resource in package["resources"]:
        url = urlsplit(resource["path"])
        assert url.netloc == "testserver"  # SITE_URL in the tests: every path is absolute, on the site
        response = client.get(f"{url.path}?{url.query}" if url.query else url.path)
        assert response.status_code == 200, resource["path"]
        text = response.content.decode("utf-8")
        if change and resource["name"] in change:
            text = change[resource["name"]](text)
        local = f"{resource['name']}.{resource['format']}"
        (tmp_path / local).write_text(text, encoding="utf-8")
        resource["path"] = local
    return Package(package, basepath=str(tmp_path))


def errors(report) -> set[tuple]:
    """(error type, resource name, note) of every error frictionless reports."""
    return {(error.type, task.name, error.note) for task in report.tasks for error in task.errors}


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_package_describes_every_download_and_frictionless_finds_them_valid(client, real_policy, tmp_path):
    package = local_package(client, tmp_path)
    assert [resource.name for resource in package.resources] == [
        "awards-csv",
        "awards-json",
        "clauses-csv",
        "clauses-json",
        "questions-csv",
        "questions-json",
        "documents-csv",
        "documents-json",
        "finder-csv",
        "calculator-csv",
    ]
    report = package.validate()
    assert report.valid, errors(report)
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows == {
        "awards-csv": 8,
        "awards-json": 8,
        "clauses-csv": 7,
        "clauses-json": 7,
        "questions-csv": 1,
        "questions-json": 1,
        "documents-csv": RelatedDocument.objects.count(),
        "documents-json": RelatedDocument.objects.count(),
        "finder-csv": 8,
        "calculator-csv": rows["calculator-csv"],
    }
    assert rows["calculator-csv"] >= 1


def test_a_finder_row_naming_no_award_of_the_bulk_file_breaks_the_foreign_key(client, real_policy, tmp_path):
    award = Award.objects.published().order_by("pk").first()

    def unknown_id(text):
        header, *rows = text.splitlines()
        changed = [f"999999{row[len(str(award.pk)) :]}" if row.startswith(f"{award.pk},") else row for row in rows]
        return "\n".join([header, *changed]) + "\n"

    report = local_package(client, tmp_path, change={"finder-csv": unknown_id}).validate()
    assert {(kind, name) for kind, name, _note in errors(report)} == {("foreign-key", "finder-csv")}


def test_a_value_of_the_wrong_type_is_caught(client, real_policy, tmp_path):
    report = local_package(client, tmp_path, change={"clauses-csv": lambda text: text.replace(",是,", ",也许,", 1)})
    report = report.validate()
    assert {(kind, name) for kind, name, _note in errors(report)} == {("type-error", "clauses-csv")}


def test_each_field_is_a_column_of_its_file_typed_with_units_and_keys(client, real_policy):
    resources = {resource["name"]: resource for resource in descriptor(client)["resources"]}
    awards = resources["awards-csv"]["schema"]
    assert [field["name"] for field in awards["fields"]] == [
        column.header for column in [*exports.AWARD_COLUMNS, *exports.ELIGIBILITY_COLUMNS]
    ]
    fields = {field["name"]: field for field in awards["fields"]}
    assert (fields["金额（元）"]["type"], fields["金额（元）"]["unit"]) == ("integer", "CNY")
    assert fields["金额（万元）"]["unit"].startswith("10000 CNY")
    assert (fields["每家"]["trueValues"], fields["每家"]["falseValues"]) == (["是"], ["否"])
    assert fields["条款链接"]["format"] == "uri"
    assert awards["primaryKey"] == ["金额编号"]
    assert awards["foreignKeys"] == [
        {
            "fields": ["政策标识", "措施编号", "段落"],
            "reference": {"resource": "clauses-csv", "fields": ["政策标识", "措施编号", "段落"]},
        }
    ]
    json_fields = [field["name"] for field in resources["awards-json"]["schema"]["fields"]]
    assert json_fields[:2] == ["id", "policy_slug"]
    for name in ("finder-csv", "calculator-csv"):
        assert resources[name]["schema"]["foreignKeys"] == [
            {"fields": ["金额编号"], "reference": {"resource": "awards-csv", "fields": ["金额编号"]}}
        ]


def test_the_paths_are_the_sites_files(client, real_policy):
    paths = {resource["name"]: resource["path"] for resource in descriptor(client)["resources"]}
    assert paths["awards-csv"] == "http://testserver/downloads/awards.csv"
    assert paths["finder-csv"] == "http://testserver/awards/export.csv"
    assert paths["calculator-csv"].startswith("http://testserver/calculator/export.csv?kind=")


def test_the_package_stays_chinese_for_an_english_visitor(client, real_policy):
    client.cookies["django_language"] = "en"
    resource = descriptor(client)["resources"][0]
    assert resource["title"] == "奖补金额"


# The finder's and the calculator's CSVs join the bulk download


def test_the_finder_and_calculator_files_carry_the_awards_id_and_share_the_naming_scheme(client, real_policy):
    bulk = {row["金额编号"]: row for row in csv_rows(client.get("/downloads/awards.csv"))}
    finder = client.get("/awards/export.csv?min=1000")
    assert finder["Content-Disposition"] == 'attachment; filename="xmpolicy-finder.csv"'
    calculator = client.get("/calculator/export.csv?kind=tech-business-incubator")
    assert calculator["Content-Disposition"] == 'attachment; filename="xmpolicy-calculator.csv"'
    for response in (finder, calculator):
        rows = csv_rows(response)
        assert rows
        for row in rows:
            assert set(row) <= set(bulk[row["金额编号"]])  # the same columns, named alike
            assert {name: bulk[row["金额编号"]][name] for name in row} == row


@pytest.mark.parametrize("url", ["/downloads/datapackage.json?x=1", "/downloads/datapackage.json"])
def test_the_package_is_there_whatever_the_query(client, real_policy, url):
    assert client.get(url).status_code == 200


def test_the_downloads_page_links_to_the_package_and_describes_the_finder_and_calculator_files(client, real_policy):
    html = client.get("/downloads/").content.decode("utf-8")
    assert f'<a href="{PACKAGE}">datapackage.json</a>' in html
    assert 'id="downloads-finder"' in html and 'id="downloads-calculator"' in html
    assert "xmpolicy-finder.csv" in html and "xmpolicy-calculator.csv" in html
    assert '<a href="/calculator/">' in html


def test_the_downloads_page_says_it_in_english_too(client, real_policy):
    client.cookies["django_language"] = "en"
    html = client.get("/downloads/").content.decode("utf-8")
    assert '<a href="/calculator/">Open the calculator</a>' in html
    assert "as a Frictionless Data Package" in html


def test_the_package_runs_one_query_whatever_the_data(client, small_policy, django_assert_num_queries):
    with django_assert_num_queries(PACKAGE_QUERIES):
        before = client.get(PACKAGE).content
    add_more_data(small_policy)
    with django_assert_num_queries(PACKAGE_QUERIES):
        assert client.get(PACKAGE).content == before  # it describes the files, not their rows
