"""JSON-LD on the policy and measure pages: every node checked against the schema.org vocabulary (a
vendored part of it, tests/vocabulary/schemaorg-subset.json: no network), and what it says of the real
policy: its 文号 and legal force, its awards as grants in CNY joined to the downloads by id, how to apply
only where it is known, nothing unconfirmed, nothing unpublished."""

import csv
import io
import json
import re
from pathlib import Path

from django.utils import timezone

from measures.domain.eligibility import ApplicationInfo, Department
from measures.domain.models import Award, Clause, Measure, Policy, PublicationStatus
from measures.domain.questions import QuestionAnswer
from measures.public.timeline import last_change
from tests.data import add_award

VOCABULARY = json.loads((Path(__file__).parent / "vocabulary" / "schemaorg-subset.json").read_text("utf-8"))
SCHEMA = "https://schema.org/"
SCRIPT = re.compile(r'<script type="application/ld\+json"(?: lang="zh-Hans")?>(.*?)</script>', re.S)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MEASURE_PAGES = [f"/policies/kjcx-2025/measures/{number}/" for number in range(1, 7)]


def linked_data(client, url):
    """The page's one JSON-LD document, parsed."""
    response = client.get(url)
    assert response.status_code == 200
    scripts = SCRIPT.findall(response.content.decode("utf-8"))
    assert len(scripts) == 1, url
    return json.loads(scripts[0])


def supertypes(name: str) -> set[str]:
    found, pending = set(), [name]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(VOCABULARY["types"][current])
    return found


def nodes(document) -> list[dict]:
    return document.get("@graph", [document])


def every_node(value):
    """Every typed node inside a value, nested ones included."""
    if isinstance(value, list):
        for item in value:
            yield from every_node(item)
    elif isinstance(value, dict):
        if "@type" in value:
            yield value
        for item in value.values():
            yield from every_node(item)


def vocabulary_errors(document) -> list[str]:
    """What in the document the schema.org vocabulary does not allow: an unknown type or property, a
    property on a type outside its domain, a value outside its range (a reference must name a node of the
    document)."""
    errors = []
    if document.get("@context") != "https://schema.org":
        errors.append(f"@context is {document.get('@context')!r}")
    types_by_id = {node["@id"]: node["@type"] for node in every_node(document) if "@id" in node}
    for node in every_node(document):
        kind = node["@type"]
        if kind not in VOCABULARY["types"]:
            errors.append(f"unknown type {kind}")
            continue
        for name, value in node.items():
            if name in ("@type", "@id", "@context", "@graph"):
                continue
            spec = VOCABULARY["properties"].get(name)
            if spec is None:
                errors.append(f"{kind}.{name}: no such property")
            elif not supertypes(kind) & set(spec["domains"]):
                errors.append(f"{kind}.{name}: not a property of {kind}")
            else:
                for item in value if isinstance(value, list) else [value]:
                    if not in_range(item, spec["ranges"], types_by_id):
                        errors.append(f"{kind}.{name}: {item!r} is none of {spec['ranges']}")
    return errors


def in_range(value, ranges: list[str], types_by_id: dict) -> bool:
    if isinstance(value, bool):
        return "Boolean" in ranges
    if isinstance(value, int | float):
        return bool({"Number", "Integer"} & set(ranges)) and (isinstance(value, int) or "Integer" not in ranges)
    if isinstance(value, str):
        if value.startswith(SCHEMA) and value.removeprefix(SCHEMA) in VOCABULARY["enumeration_members"]:
            return bool(set(VOCABULARY["enumeration_members"][value.removeprefix(SCHEMA)]) & set(ranges))
        if "Text" in ranges:
            return True
        if "URL" in ranges:
            return value.startswith(("http://", "https://"))
        return bool({"Date", "DateTime"} & set(ranges)) and DATE.fullmatch(value[:10]) is not None
    if isinstance(value, dict):
        kind = value.get("@type") or types_by_id.get(value.get("@id"))
        return kind is not None and bool(supertypes(kind) & set(ranges))
    return False


# The vocabulary check itself


def test_the_check_refuses_what_schema_org_does_not_allow():
    document = {
        "@context": "https://schema.org",
        "@type": "MonetaryGrant",
        "amount": {"@type": "MonetaryAmount", "currency": "CNY", "value": "三千万"},
        "legislationIdentifier": "x",
        "funder": {"@id": "https://example.org/#nobody"},
        "colour": "red",
    }
    errors = vocabulary_errors(document)
    assert "MonetaryGrant.legislationIdentifier: not a property of MonetaryGrant" in errors
    assert "MonetaryGrant.colour: no such property" in errors
    assert any(error.startswith("MonetaryGrant.funder:") for error in errors)
    assert not any(error.startswith("MonetaryAmount.value") for error in errors)  # Text is in its range
    assert vocabulary_errors({"@type": "Legislation", "legislationDate": "2025年"})


# Every page


def test_every_policy_and_measure_page_carries_json_ld_that_schema_org_allows(client, real_policy):
    for url in ["/", "/policies/kjcx-2025/", *MEASURE_PAGES]:
        document = linked_data(client, url)
        assert vocabulary_errors(document) == [], url
        assert nodes(document)[0]["@type"] == "Legislation"


def test_the_other_pages_carry_none(client, real_policy):
    for url in ["/awards/", "/policies/kjcx-2025/pillars/1/", "/policies/kjcx-2025/measures/2/?as_of=2026-01-01"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "application/ld+json" not in response.content.decode("utf-8"), url


# The policy


def test_the_policy_is_legislation_with_its_document_number_legal_force_and_version(client, real_policy):
    policy = linked_data(client, "/policies/kjcx-2025/")
    assert policy["@id"] == policy["url"] == "http://testserver/policies/kjcx-2025/"
    assert policy["name"] == real_policy.title
    assert policy["legislationIdentifier"] == "厦委发〔2025〕1号"
    assert [body["name"] for body in policy["legislationPassedBy"]] == ["中共厦门市委", "厦门市人民政府"]
    in_force = real_policy.validity_status(timezone.localdate()) == Policy.ValidityStatus.IN_FORCE
    assert policy["legislationLegalForce"] == SCHEMA + ("InForce" if in_force else "NotInForce")
    assert policy["legislationDateVersion"] == timezone.localdate(real_policy.updated_at).isoformat()
    parts = [(part["name"], part["@id"]) for part in policy["hasPart"]][:2]
    assert parts == [
        ("强化厦门科学城“超级孵化器”功能", "http://testserver/policies/kjcx-2025/measures/1/"),
        ("加强高能级创新平台建设", "http://testserver/policies/kjcx-2025/measures/2/"),
    ]
    assert len(policy["hasPart"]) == 6  # the published measures only: 7–12 are pending


def test_an_unconfirmed_issue_date_is_left_out_and_a_confirmed_one_given(client, real_policy):
    policy = linked_data(client, "/policies/kjcx-2025/")
    assert "legislationDate" not in policy and "legislationDateOfApplicability" not in policy
    Policy.objects.filter(pk=real_policy.pk).update(issue_date_confirmed=True)
    policy = linked_data(client, "/policies/kjcx-2025/")
    assert policy["legislationDate"] == policy["legislationDateOfApplicability"] == real_policy.issue_date.isoformat()


def test_an_expired_policy_is_not_in_force(client, real_policy):
    Policy.objects.filter(pk=real_policy.pk).update(issue_date="2015-01-01", validity_years=3)
    assert linked_data(client, "/policies/kjcx-2025/measures/3/")["@graph"][0]["legislationLegalForce"] == (
        SCHEMA + "NotInForce"
    )


# A measure and its awards


def test_a_measure_is_part_of_its_policy_and_about_its_awards_in_cny(client, real_policy):
    measure = linked_data(client, "/policies/kjcx-2025/measures/3/")["@graph"][0]
    assert (measure["name"], measure["position"]) == ("拓展科技交流合作平台", 3)
    # The version is the day of the change the page names under its title (最后修改).
    latest = last_change(Measure.objects.get(policy=real_policy, number=3).pk)
    assert measure["legislationDateVersion"] == timezone.localdate(latest.date).isoformat()
    assert measure["isPartOf"]["legislationIdentifier"] == "厦委发〔2025〕1号"
    grants = measure["about"]
    assert [grant["name"] for grant in grants] == list(
        Award.objects.published().filter(clause__measure__number=3).values_list("source_phrase", flat=True)
    )
    assert grants[0]["amount"] == {"@type": "MonetaryAmount", "currency": "CNY", "value": 2_000_000}
    assert grants[1]["amount"] == {"@type": "MonetaryAmount", "currency": "CNY", "maxValue": 1_000_000}
    assert grants[0]["url"] == "http://testserver/policies/kjcx-2025/measures/3/#clause-1"


def test_each_grant_joins_the_awards_download_by_its_id(client, real_policy):
    grants = [grant for url in MEASURE_PAGES for grant in linked_data(client, url)["@graph"][0].get("about", [])]
    text = client.get("/downloads/awards.csv").content.decode("utf-8-sig")
    rows = {row["金额编号"]: row for row in csv.DictReader(io.StringIO(text))}
    assert sorted(grant["identifier"] for grant in grants) == sorted(rows)
    for grant in grants:
        amount = grant["amount"].get("value", grant["amount"].get("maxValue"))
        assert amount == int(rows[grant["identifier"]]["金额（元）"])


def test_the_values_stay_chinese_for_an_english_visitor(client, real_policy):
    client.cookies["django_language"] = "en"
    assert '<script type="application/ld+json" lang="zh-Hans">' in client.get("/policies/kjcx-2025/measures/2/").text
    measure = linked_data(client, "/policies/kjcx-2025/measures/2/")["@graph"][0]
    grant = measure["about"][0]
    assert (grant["name"], grant["disambiguatingDescription"]) == ("给予一次性3000万元奖励", "新获批建设（含重组入列）")
    assert grant["description"].startswith("全国重点实验室")


def test_how_to_apply_is_left_out_while_no_source_gives_it(client, real_policy):
    for url in MEASURE_PAGES:
        document = linked_data(client, url)
        assert [node["@type"] for node in document["@graph"]] == ["Legislation"], url
        assert "待录入" not in json.dumps(document, ensure_ascii=False)


def test_how_to_apply_gives_only_the_facts_an_editor_entered(client, real_policy):
    measure = real_policy.measures.get(number=6)
    info = ApplicationInfo.objects.create(measure=measure, hotline="0592-0000000")
    info.department_links.create(department=Department.objects.create(name="测试责任单位"))
    services = linked_data(client, "/policies/kjcx-2025/measures/6/")["@graph"][1:]
    awards = Award.objects.published().filter(clause__measure=measure).count()
    assert len(services) == awards == 2
    service = services[0]
    assert service["@type"] == "GovernmentService"
    assert service["provider"] == [{"@type": "GovernmentOrganization", "name": "测试责任单位"}]
    assert service["availableChannel"]["servicePhone"]["telephone"] == "0592-0000000"
    grant_ids = [grant["@id"] for grant in linked_data(client, "/policies/kjcx-2025/measures/6/")["@graph"][0]["about"]]
    assert [service["serviceOutput"]["@id"] for service in services] == grant_ids
    # Nothing else was entered: no delivery mode, window, guide nor materials.
    assert not {"serviceType", "hoursAvailable", "subjectOf"} & service.keys()


# Only published content, safely written


def test_a_draft_award_is_not_described(client, real_policy):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=2, position=1)
    add_award(clause, 9, 123_450_000, status=PublicationStatus.DRAFT)
    text = json.dumps(linked_data(client, "/policies/kjcx-2025/measures/2/"))
    assert "123450000" not in text


def test_markup_in_the_data_cannot_end_the_script(client, real_policy):
    Award.objects.filter(clause__measure__number=2).update(recipient="</script><script>alert(1)</script>")
    html = client.get("/policies/kjcx-2025/measures/2/").content.decode("utf-8")
    assert "<script>alert(1)" not in html
    grant = json.loads(SCRIPT.search(html).group(1))["@graph"][0]["about"][0]
    assert grant["description"] == "</script><script>alert(1)</script>"


def test_a_draft_measure_is_not_a_part_of_the_policy(client, real_policy):
    Measure.objects.filter(policy=real_policy, number=5).update(status=PublicationStatus.DRAFT)
    parts = [part["@id"] for part in linked_data(client, "/policies/kjcx-2025/")["hasPart"]]
    assert len(parts) == 5 and not any(part.endswith("/measures/5/") for part in parts)
    assert "application/ld+json" not in client.get("/policies/kjcx-2025/measures/5/").content.decode("utf-8")


def test_a_measures_published_questions_are_an_faq_page_about_it_that_schema_org_allows(client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=3)
    QuestionAnswer.objects.create(
        measure=measure, question="（测试问题）？", answer="（测试答复）。", status=PublicationStatus.PUBLISHED
    )
    QuestionAnswer.objects.create(measure=measure, question="（草稿问题）？", answer="（草稿）", position=2)
    document = linked_data(client, "/policies/kjcx-2025/measures/3/")
    assert vocabulary_errors(document) == []
    (faq,) = [node for node in nodes(document) if node["@type"] == "FAQPage"]
    (item,) = faq["mainEntity"]
    assert (item["name"], item["acceptedAnswer"]["text"]) == ("（测试问题）？", "（测试答复）。")
    assert DATE.fullmatch(item["acceptedAnswer"]["dateCreated"])
    assert faq["about"]["@id"] == nodes(document)[0]["@id"]
