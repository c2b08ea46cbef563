"""Bulk downloads (/downloads/): every published award, clause and 政策问答, and the related documents, as CSV and
as JSON.

The columns, their headers, keys and descriptions come from measures.public.exports, as do the queries:
each file runs a fixed number of queries whatever the amount of data (one; the awards' five, with their
kinds and application facts), and the page none. A file is built in memory:
the whole library is a few hundred kilobytes at most (the real policy's files are a few kilobytes),
so streaming would buy nothing and would lose the Content-Length. The page also describes the finder's
and the calculator's CSVs, and datapackage.json describes every file (measures/public/data_package.py).
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from measures.public import data_package, exports
from measures.public.formatting import site_url
from measures.public.library.columns import LIBRARY_COLUMNS

DATASETS = {
    "awards": {
        "title": _("奖补金额"),
        "description": _("全部已发布的奖补金额，每笔一行。"),
        "columns": [*exports.AWARD_COLUMNS, *exports.ELIGIBILITY_COLUMNS],
        "rows": exports.published_awards_with_eligibility,
    },
    "clauses": {
        "title": _("条款"),
        "description": _("全部已发布的条款，每段一行。"),
        "columns": exports.CLAUSE_COLUMNS,
        "rows": exports.published_clauses,
    },
    "questions": {
        "title": _("政策问答"),
        "description": _("全部已发布的政策问答，每条一行，附所属措施和答复日期。"),
        "columns": exports.QUESTION_COLUMNS,
        "rows": exports.published_questions,
    },
    "documents": {
        "title": _("相关文件"),
        "description": _("落实、解读或引用政策的文件，每份一行，附引用原文和涉及的措施。"),
        "columns": exports.DOCUMENT_COLUMNS,
        "rows": exports.published_documents,
    },
}
FORMATS = ("csv", "json")


def downloads(request):
    datasets = [
        {
            "name": name,
            "title": spec["title"],
            "description": spec["description"],
            "columns": spec["columns"],
            "files": [
                {
                    "format": fmt.upper(),
                    "url": reverse("measures:download", kwargs={"dataset": name, "fmt": fmt}),
                    "filename": exports.filename(name, fmt),
                }
                for fmt in FORMATS
            ],
        }
        for name, spec in DATASETS.items()
    ]
    # The finder's, the calculator's and the library's files answer a question: described here, downloaded
    # from their pages.
    datasets += [
        {
            "name": "finder",
            "title": _("奖补查询的导出"),
            "description": _("奖补查询按所选条件导出的奖补金额（不加条件时为全部），文件名 %(filename)s。")
            % {"filename": exports.filename("finder", "csv")},
            "columns": exports.FINDER_AWARD_COLUMNS,
            "files": [],
            "page": reverse("measures:awards"),
            "page_label": _("打开奖补查询"),
        },
        {
            "name": "calculator",
            "title": _("政策计算器的导出"),
            "description": _("政策计算器对所选申报主体类别的回答，文件名 %(filename)s。")
            % {"filename": exports.filename("calculator", "csv")},
            "columns": exports.CALCULATOR_COLUMNS,
            "files": [],
            "page": reverse("measures:calculator"),
            "page_label": _("打开政策计算器"),
        },
        {
            "name": "policies",
            "title": _("政策库的导出"),
            "description": _("政策库按所选条件导出的政策（不加条件时为全部），文件名 %(filename)s。")
            % {"filename": exports.filename("policies", "csv")},
            "columns": LIBRARY_COLUMNS,
            "files": [],
            "page": reverse("measures:policies"),
            "page_label": _("打开政策库"),
        },
    ]
    context = {"datasets": datasets, "package_url": reverse("measures:data_package")}
    return render(request, "measures/downloads.html", context)


def download(request, dataset, fmt):
    spec = DATASETS.get(dataset)
    if spec is None or fmt not in FORMATS:
        raise Http404
    columns = spec["columns"]
    # The files are data, not interface: their labels (定额, 每年, 政策原文…) are the policy's Chinese
    # whatever language the visitor chose.
    with translation.override("zh-hans"):
        objects = list(spec["rows"]())
        if fmt == "csv":
            response = exports.csv_response(columns, objects, site_url)
        else:
            response = _json(columns, objects, site_url)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(dataset, fmt)}"'
    return response


def _json(columns, objects, absolute):
    rows = [exports.row_dict(columns, obj, absolute) for obj in objects]
    document = {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "policy_count": len({row["policy_slug"] for row in rows}),
        "count": len(rows),
        "columns": [
            {"key": column.key, "header": column.header, "description": str(column.description)} for column in columns
        ],
        "rows": rows,
    }
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )


def package(request):
    """/downloads/datapackage.json: every download described (measures/public/data_package.py)."""
    document = data_package.descriptor(DATASETS)
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
