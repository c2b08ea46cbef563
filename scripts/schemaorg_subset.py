"""Writes tests/vocabulary/schemaorg-subset.json: the part of the schema.org vocabulary the site's JSON-LD uses.

Run with the two CSV files of a schema.org release (data/releases/<version>/schemaorg-current-https-types.csv
and …-properties.csv in the schemaorg/schemaorg repository) when measures/public/linked_data.py uses a new
type: the suite checks every JSON-LD node against the subset, without the network.

    python scripts/schemaorg_subset.py VERSION TYPES.csv PROPERTIES.csv > tests/vocabulary/schemaorg-subset.json
"""

import csv
import json
import sys

# The types the site writes, and those its values may take (ranges); their supertypes are added.
TYPES = [
    "Legislation",
    "MonetaryGrant",
    "MonetaryAmount",
    "GovernmentService",
    "GovernmentOrganization",
    "ServiceChannel",
    "ContactPoint",
    "OpeningHoursSpecification",
    "LegalForceStatus",
    "PostalAddress",
    "PropertyValue",
    "Person",
    # A measure's 政策问答 (linked_data._faq_page).
    "FAQPage",
    "Question",
    "Answer",
]
DATA_TYPES = ["Text", "URL", "Date", "DateTime", "Number", "Integer", "Boolean"]
PREFIX = "https://schema.org/"


def names(cell: str) -> list[str]:
    return [part.strip().removeprefix(PREFIX) for part in cell.split(",") if part.strip()]


def main(version, types_csv, properties_csv):
    with open(types_csv, encoding="utf-8") as file:
        types = {row["label"]: row for row in csv.DictReader(file)}
    with open(properties_csv, encoding="utf-8") as file:
        properties = list(csv.DictReader(file))
    kept: dict[str, list[str]] = {}
    pending = [*TYPES, *DATA_TYPES]
    while pending:
        name = pending.pop()
        if name in kept or name not in types:
            continue
        kept[name] = names(types[name]["subTypeOf"])
        pending.extend(kept[name])
    members = {
        label: names(row["enumerationtype"])
        for label, row in types.items()
        if row["enumerationtype"] and set(names(row["enumerationtype"])) & kept.keys()
    }
    used = {}
    for row in properties:
        domains = [name for name in names(row["domainIncludes"]) if name in kept]
        if domains:
            used[row["label"]] = {"domains": sorted(domains), "ranges": names(row["rangeIncludes"])}
    document = {
        "source": f"schema.org vocabulary, release {version} (schemaorg/schemaorg, data/releases/{version}), "
        "written by scripts/schemaorg_subset.py; schema.org is licensed CC BY-SA 3.0",
        "types": dict(sorted(kept.items())),
        "enumeration_members": dict(sorted(members.items())),
        "properties": dict(sorted(used.items())),
    }
    json.dump(document, sys.stdout, ensure_ascii=False, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
