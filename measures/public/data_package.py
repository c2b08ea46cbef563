"""/downloads/datapackage.json: every download described as a Frictionless Data Package (v1 tabular).

One resource per file: the bulk downloads (CSV and JSON), the award finder's CSV and the calculator's.
Each field is a column of measures.public.exports (its CSV header, or its JSON key, as name), typed here,
amounts with their unit; each table's id is its primary key, an award names its clause by policy, measure
and position, and the finder's and calculator's rows name their award by id, so every file joins the bulk
one. The calculator answers a question: its resource asks for the first kind, and says any other gives
the same columns. tests/test_data_package.py validates the package with the `frictionless` library.
"""

from django.urls import reverse
from django.utils import translation

from measures.domain.eligibility import RecipientKind
from measures.public import exports
from measures.public.formatting import site_url

# Each column's type by its JSON key; any other column is a string.
TYPES = {
    "id": "integer",
    "pillar_number": "integer",
    "measure_number": "integer",
    "clause_position": "integer",
    "position": "integer",
    "amount_yuan": "integer",
    "amount_wan": "number",
    "per_recipient": "boolean",
    "is_complete": "boolean",
    "date": "date",
    "measure_checked_on": "date",
    "answered_on": "date",
}
URLS = {"clause_url", "source_url", "url", "entry_url", "question_url"}
UNITS = {"amount_yuan": "CNY", "amount_wan": "10000 CNY (万元)"}
REQUIRED = {"id", "policy_slug", "measure_number", "amount_yuan", "clause_url"}
# An award names its clause by the clause's policy, measure and position.
AWARD_CLAUSE = ["policy_slug", "measure_number", "clause_position"]
CLAUSE_PLACE = ["policy_slug", "measure_number", "position"]


def descriptor(datasets: dict) -> dict:
    """The package, from /downloads/'s DATASETS (measures/public/views/downloads.py): in Chinese whatever
    the visitor's language, like the files. Reads the first public kind for the calculator's example (one
    query)."""
    with translation.override("zh-hans"):
        resources = []
        for name, spec in datasets.items():
            for fmt in ("csv", "json"):
                path = site_url(reverse("measures:download", kwargs={"dataset": name, "fmt": fmt}))
                resources.append(_resource(name, spec, fmt, path))
        resources.append(
            _resource(
                "finder",
                {
                    "title": "奖补查询的导出",
                    "description": "奖补查询（/awards/）按所选条件导出的奖补金额；不加条件时为全部。",
                    "columns": exports.FINDER_AWARD_COLUMNS,
                },
                "csv",
                site_url(reverse("measures:awards_csv")),
            )
        )
        kind = RecipientKind.objects.public().in_order().values_list("slug", flat=True).first()
        if kind is not None:
            resources.append(
                _resource(
                    "calculator",
                    {
                        "title": "政策计算器的导出",
                        "description": (
                            "政策计算器（/calculator/）对所选申报主体类别的回答；"
                            "这里以第一个类别为例，其他类别的文件各列相同。"
                        ),
                        "columns": exports.CALCULATOR_COLUMNS,
                    },
                    "csv",
                    site_url(f"{reverse('measures:calculator_csv')}?kind={kind}"),
                )
            )
        return {
            "profile": "tabular-data-package",
            "name": "xmpolicy",
            "title": "厦门科技创新政策库的数据",
            "description": "本站全部已发布的奖补金额、条款、政策问答和相关文件，以及奖补查询和政策计算器的导出。",
            "homepage": site_url(reverse("measures:downloads")),
            "resources": resources,
        }


def _resource(table, spec, fmt, path) -> dict:
    columns = spec["columns"]
    keyed = fmt == "json"
    schema = {
        "fields": [_field(column, keyed) for column in columns],
        "primaryKey": _names(columns, ["id"], keyed),
        "missingValues": [""],
    }
    if table == "questions":  # a 问答 concerning a paragraph names it as an award does
        schema["foreignKeys"] = [
            _foreign_key(_names(columns, AWARD_CLAUSE, keyed), f"clauses-{fmt}", CLAUSE_PLACE, exports.CLAUSE_COLUMNS)
        ]
    if table == "awards":
        schema["foreignKeys"] = [
            _foreign_key(_names(columns, AWARD_CLAUSE, keyed), f"clauses-{fmt}", CLAUSE_PLACE, exports.CLAUSE_COLUMNS)
        ]
    elif table in ("finder", "calculator"):  # their rows are the bulk file's awards, by id
        schema["foreignKeys"] = [
            _foreign_key(_names(columns, ["id"], keyed), "awards-csv", ["id"], exports.AWARD_COLUMNS)
        ]
    resource = {
        "name": f"{table}-{fmt}",
        "title": str(spec["title"]),
        "description": str(spec["description"]),
        "path": path,
        "profile": "tabular-data-resource",
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else "application/json",
        "encoding": "utf-8-sig" if fmt == "csv" else "utf-8",
        "schema": schema,
    }
    if keyed:
        # The JSON file is an object: its rows, one object each keyed by the columns' keys, are under "rows".
        resource["dialect"] = {"json": {"property": "rows", "keyed": True}}
    return resource


def _names(columns, keys: list[str], keyed: bool) -> list[str]:
    """The fields of these columns' `keys`: the keys themselves in a JSON file, the headers in a CSV."""
    header = {column.key: column.header for column in columns}
    return [key if keyed else header[key] for key in keys]


def _foreign_key(fields, resource, keys, columns) -> dict:
    keyed = resource.endswith("-json")
    return {"fields": fields, "reference": {"resource": resource, "fields": _names(columns, keys, keyed)}}


def _field(column, keyed: bool) -> dict:
    kind = TYPES.get(column.key, "string")
    field = {"name": column.key if keyed else column.header, "type": kind, "description": str(column.description)}
    if column.key in URLS:
        field["format"] = "uri"
    if kind == "boolean" and not keyed:
        field.update(trueValues=["是"], falseValues=["否"])
    if column.key in UNITS:
        field["unit"] = UNITS[column.key]
    if column.key in REQUIRED:
        field["constraints"] = {"required": True}
    return field
