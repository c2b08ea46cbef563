"""The published data as tables: the columns of the award and clause exports, defined once.

Each column has an English key (the JSON key), a Chinese header (the CSV header) and a description
(the /downloads/ page), and reads its value from one object. The award finder's CSV
(/awards/export.csv) and the bulk downloads (/downloads/) write their files here (csv_response,
row_dict), so a file's header, its JSON keys and the page that explains them cannot drift apart.

Values are plain data: integers, strings and booleans (no floats: amounts are integer yuan plus a
decimal string in 万元, from measures.text.money). The CSV writer turns booleans into 是/否 and neutralises
cells that a spreadsheet would run as formulas; the JSON keeps every value as it is.
"""

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from measures.domain.documents import RelatedDocument
from measures.domain.eligibility import attach_eligibility
from measures.domain.models import Award, Clause
from measures.domain.questions import QuestionAnswer
from measures.text import money

# A column's value: the object, and a function that makes a site path absolute
# (formatting.site_url: the site's own address, never the request's), for the links back to the public pages.
Reader = Callable[[Any, Callable[[str], str]], Any]


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key: English, stable
    header: str  # the CSV header: Chinese, stable whatever the interface language (files are data)
    description: str  # shown on /downloads/
    read: Reader
    in_finder: bool = True  # also a column of the award finder's CSV (/awards/export.csv)


def _place_columns(measure_of: Callable[[Any], Any]) -> list[Column]:
    """The columns saying where a row stands, the same in both tables: its policy, pillar and measure
    (`measure_of` finds the measure from the row's object)."""
    return [
        Column(
            "policy_slug",
            "政策标识",
            _("政策在本站网址中的标识，如 kjcx-2025。"),
            lambda o, _u: measure_of(o).policy.slug,
            in_finder=False,
        ),
        Column("policy", "政策", _("政策全称，不含书名号。"), lambda o, _u: measure_of(o).policy.title),
        Column(
            "pillar",
            "方面",
            _("所属方面：序号和标题，如“2 深化科技管理服务创新”。"),
            lambda o, _u: str(measure_of(o).pillar),
        ),
        Column(
            "pillar_number",
            "方面序号",
            _("所属方面的序号（整数）。"),
            lambda o, _u: measure_of(o).pillar.number,
            in_finder=False,
        ),
        Column("measure_number", "措施编号", _("措施在政策中的编号（整数）。"), lambda o, _u: measure_of(o).number),
        Column("measure_title", "措施标题", _("措施标题，按原文。"), lambda o, _u: measure_of(o).title),
        Column(
            "measure_checked_on",
            "措施核对日期",
            _("编辑最近一次将这条措施与来源核对的日期（YYYY-MM-DD），空白表示尚未记录。"),
            lambda o, _u: measure_of(o).checked_on.isoformat() if measure_of(o).checked_on else "",
            in_finder=False,
        ),
    ]


AWARD_COLUMNS = [
    Column(
        "id",
        "金额编号",
        _("奖补金额在本站的编号（整数），同一笔金额在各次下载中不变。"),
        lambda a, _u: a.pk,
    ),
    *_place_columns(lambda award: award.clause.measure),
    Column("clause_position", "段落", _("金额所在条款是措施的第几段（整数）。"), lambda a, _u: a.clause.position),
    Column("amount_yuan", "金额（元）", _("金额，以元为单位的整数，如 30000000。"), lambda a, _u: a.amount_yuan),
    Column(
        "amount_wan",
        "金额（万元）",
        _("同一金额以万元为单位，写成十进制数字的文字（不用浮点数），如 “3000”“0.5”。"),
        lambda a, _u: str(money.yuan_to_wan(a.amount_yuan)),
    ),
    Column(
        "display_text", "金额表述", _("本站对金额的中文表述，如“每年每家最高500万元”。"), lambda a, _u: a.display_text
    ),
    Column(
        "limit",
        "定额/最高",
        _("金额性质：“定额”（确定的金额）或“最高限额”（最高、不超过）。"),
        lambda a, _u: a.get_limit_display(),
    ),
    Column(
        "recurrence",
        "频次",
        _("发放频次：“一次性”“每年”或“未注明”。"),
        lambda a, _u: a.get_recurrence_display(),
    ),
    Column(
        "per_recipient",
        "每家",
        _("是否按每家计：CSV 中为“是”或“否”，JSON 中为 true 或 false。"),
        lambda a, _u: a.per_recipient,
    ),
    Column("nature", "资助方式", _("资助方式：“奖励”“补助”或“支持”。"), lambda a, _u: a.get_nature_display()),
    Column("recipient", "支持对象", _("支持对象，如“科技型企业孵化器、加速器等”。"), lambda a, _u: a.recipient),
    Column("condition", "条件", _("给予金额的条件，可为空。"), lambda a, _u: a.condition),
    Column("basis", "计算依据", _("金额的计算依据，如“按设备投入情况”，可为空。"), lambda a, _u: a.basis),
    Column("source_phrase", "原文表述", _("来源中写出这笔金额的原话。"), lambda a, _u: a.source_phrase),
    Column(
        "clause_url",
        "条款链接",
        _("金额所在条款在本站的完整网址。"),
        lambda a, absolute: absolute(a.clause.get_absolute_url()),
    ),
]

CLAUSE_COLUMNS = [
    Column("id", "条款编号", _("条款在本站的编号（整数），同一段条款在各次下载中不变。"), lambda c, _u: c.pk),
    *_place_columns(lambda clause: clause.measure),
    Column("position", "段落", _("条款是措施的第几段（整数）。"), lambda c, _u: c.position),
    Column(
        "provenance",
        "文字来源",
        _("“政策原文”是文件的正式文字；“新闻摘要”是记者对政策的概述，不是原文。"),
        lambda c, _u: c.get_provenance_display(),
    ),
    Column("text", "条款内容", _("条款文字，照来源原样录入。"), lambda c, _u: c.text),
    Column(
        "is_complete",
        "文字完整",
        _("来源中能否读到这段的全部文字：CSV 中为“是”或“否”，JSON 中为 true 或 false。"),
        lambda c, _u: c.is_complete,
    ),
    Column("source_url", "来源网址", _("这段文字的来源网址。"), lambda c, _u: c.source_url),
    Column("clause_url", "条款链接", _("条款在本站的完整网址。"), lambda c, absolute: absolute(c.get_absolute_url())),
]

DOCUMENT_COLUMNS = [
    Column("id", "文件编号", _("相关文件在本站的编号（整数），同一份文件在各次下载中不变。"), lambda d, _u: d.pk),
    Column("policy_slug", "政策标识", _("政策在本站网址中的标识，如 kjcx-2025。"), lambda d, _u: d.policy.slug),
    Column("policy", "政策", _("政策全称，不含书名号。"), lambda d, _u: d.policy.title),
    Column(
        "relation",
        "关系",
        _("文件与政策的关系：“配套文件”“政策解读”“征求意见稿”或“引用”。"),
        lambda d, _u: d.get_relation_display(),
    ),
    Column("title", "标题", _("文件全称，不含书名号。"), lambda d, _u: d.title),
    Column("document_number", "文号", _("文件的文号；来源没有给出时为空（待录入）。"), lambda d, _u: d.document_number),
    Column("issuing_body", "发文机关", _("发文机关；来源没有写明时为空（待录入）。"), lambda d, _u: d.issuing_body),
    Column("date", "日期", _("日期，如 2025-09-03；不知道时为空。"), lambda d, _u: str(d.date or "")),
    Column(
        "date_kind",
        "日期性质",
        _("这个日期是文件的“印发日期”“发布日期”，还是转载页面的“转载日期”。"),
        lambda d, _u: d.get_date_kind_display() if d.date else "",
    ),
    Column("url", "链接", _("可以读到这份文件的网址。"), lambda d, _u: d.url),
    Column("quotation", "引用原文", _("文件中提到本政策的那一句，照录原文。"), lambda d, _u: d.quotation),
    Column("note", "说明", _("来源的情况、尚未确认的事项。"), lambda d, _u: d.note),
    Column(
        "measure_numbers",
        "涉及的措施",
        _("文件涉及的措施编号，以顿号分隔，如“6”；没有写明时为空。"),
        lambda d, _u: "、".join(str(m.number) for m in d.measures.all()),
    ),
]

QUESTION_COLUMNS = [
    Column("id", "问答编号", _("政策问答在本站的编号（整数），同一条问答在各次下载中不变。"), lambda q, _u: q.pk),
    *_place_columns(lambda question: question.measure),
    Column("position", "问答序号", _("问答是这条措施的第几条问答（整数）。"), lambda q, _u: q.position),
    Column(
        "clause_position",
        "涉及的段落",
        _("问答涉及的条款是措施的第几段（整数）；涉及整条措施时为空。"),
        lambda q, _u: q.public_clause_position() or "",
    ),
    Column("question", "问题", _("由编辑部整理的问题，不含提问人的个人信息。"), lambda q, _u: q.question),
    Column("answer", "答复", _("编辑部的答复。"), lambda q, _u: q.answer),
    Column("answered_on", "答复日期", _("答复日期，如 2026-03-02。"), lambda q, _u: q.answered_on.isoformat()),
    Column(
        "question_url",
        "问答链接",
        _("问答在措施页面上的完整网址。"),
        lambda q, absolute: absolute(q.get_absolute_url()),
    ),
]

# The award finder's CSV: its id first, so that its rows join the bulk download's (金额编号).
FINDER_AWARD_COLUMNS = [column for column in AWARD_COLUMNS if column.in_finder]


def _window_text(window) -> str:
    if window is None:
        return ""
    if window.kind != "dates":
        return str(window.label)
    return f"{window.opens or ''}—{window.closes or ''}"


def _entry_mode(entry) -> str:
    if entry is None or entry.online is None:
        return ""
    return "网上办理" if entry.online else "线下办理"


# Who can apply and how (measures/domain/eligibility.py). They read `kinds` and `facts`, which
# eligibility.attach_eligibility sets on each award. An empty cell is a fact no source has given yet (the
# pages show 待录入).
ELIGIBILITY_COLUMNS = [
    Column(
        "recipient_kinds",
        "申报主体类别",
        _("可以申请的申报主体类别，以顿号分隔，如“科技型企业孵化器、加速器”。"),
        lambda a, _u: "、".join(kind.name for kind in a.kinds),
    ),
    Column(
        "departments",
        "责任单位",
        _("负责受理和兑现的单位，以顿号分隔；为空表示待录入。"),
        lambda a, _u: "、".join(d.name for d in a.facts.departments),
    ),
    Column(
        "delivery_mode",
        "兑现方式",
        _("“免申即享”或“依申请”；为空表示待录入。"),
        lambda a, _u: str(a.facts.delivery_mode_label or ""),
    ),
    Column(
        "application_window",
        "申报时间",
        _("“常年受理”“以年度通知为准”，或申报起止日期；为空表示待录入。"),
        lambda a, _u: _window_text(a.facts.window),
    ),
    Column(
        "expected_window",
        "预计申报时间",
        _("正式申报时间公布前，编辑按依据预计的起止日期；有正式申报时间后为空。"),
        lambda a, _u: _window_text(a.facts.expected_window),
    ),
    Column(
        "expected_window_basis",
        "预计依据",
        _("预计申报时间的依据，如“以往年度通知于3月发布”。"),
        lambda a, _u: a.facts.expected_window.basis if a.facts.expected_window else "",
    ),
    Column(
        "entry_name",
        "办理入口",
        _("官方办理系统或窗口的名称；为空表示待录入。"),
        lambda a, _u: a.facts.entry.name if a.facts.entry else "",
    ),
    Column(
        "entry_url",
        "办理入口网址",
        _("官方办理系统的网址；为空表示待录入或只能到窗口办理。"),
        lambda a, _u: a.facts.entry.url if a.facts.entry else "",
    ),
    Column(
        "entry_mode",
        "办理方式",
        _("“网上办理”或“线下办理”；为空表示待录入。"),
        lambda a, _u: _entry_mode(a.facts.entry),
    ),
    Column(
        "guides",
        "申兑指南",
        _("申兑指南的标题和网址，每项一行；为空表示待录入。"),
        lambda a, _u: "\n".join(f"{g.title} {g.url}" for g in a.facts.guides),
    ),
    Column("materials", "所需材料", _("申报所需材料；为空表示待录入。"), lambda a, _u: a.facts.materials),
    Column("hotline", "咨询电话", _("咨询电话；为空表示待录入。"), lambda a, _u: a.facts.hotline),
]

# The calculator's CSV (/calculator/export.csv): the finder's columns, then who can apply and how.
CALCULATOR_COLUMNS = [*FINDER_AWARD_COLUMNS, *ELIGIBILITY_COLUMNS]


def filename(dataset: str, fmt: str) -> str:
    """Every file's name, one scheme: xmpolicy-awards.csv, xmpolicy-finder.csv, xmpolicy-calculator.csv…"""
    return f"xmpolicy-{dataset}.{fmt}"


def published_awards() -> QuerySet:
    """Every published award of every policy, with what its row reads (one query), in a stable
    order: policy, measure, clause, award."""
    return (
        Award.objects.published()
        .for_finder()
        .order_by("clause__measure__policy__slug", "clause__measure__number", "clause__position", "position", "pk")
    )


def published_awards_with_eligibility() -> list:
    """published_awards(), each with its kinds and application facts (five queries in all)."""
    return attach_eligibility(published_awards())


def published_clauses() -> QuerySet:
    """Every published clause of every policy, with its measure, pillar and policy (one query), in
    the order of the policy: policy, measure, position."""
    return (
        Clause.objects.published()
        .select_related("measure__policy", "measure__pillar")
        .defer("search_tokens", "measure__policy__preamble")
        .order_by("measure__policy__slug", "measure__number", "position", "pk")
    )


def published_questions() -> QuerySet:
    """Every published 政策问答 of every published measure, with its measure, pillar and policy and the
    clause it concerns (one query), in the order of the policy: policy, measure, position."""
    return (
        QuestionAnswer.objects.published()
        .select_related("measure__policy", "measure__pillar", "clause__measure")
        .defer("measure__policy__preamble", "clause__search_tokens", "clause__text")
        .order_by("measure__policy__slug", "measure__number", "position", "pk")
    )


def published_documents() -> QuerySet:
    """Every related document of every policy, with its policy and the published measures it concerns
    (two queries), in the order of the policy's list."""
    return RelatedDocument.objects.for_display().order_by("policy__slug", "position", "pk")


def row_values(columns: list[Column], obj: Model, absolute: Callable[[str], str]) -> list:
    """One object's values, in the columns' order."""
    return [column.read(obj, absolute) for column in columns]


def row_dict(columns: list[Column], obj: Model, absolute: Callable[[str], str]) -> dict:
    """One object's values keyed by the columns' JSON keys."""
    return {column.key: column.read(obj, absolute) for column in columns}


def csv_header(columns: list[Column]) -> list[str]:
    return [column.header for column in columns]


def csv_response(columns: list[Column], objects, absolute: Callable[[str], str]) -> HttpResponse:
    """A CSV file: the columns' Chinese headers, then one row per object, every cell through csv_cell.
    UTF-8 with a BOM: without it Excel reads UTF-8 as the local code page and garbles the Chinese."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(csv_header(columns))
    for obj in objects:
        writer.writerow([csv_cell(value) for value in row_values(columns, obj, absolute)])
    return response


def csv_cell(value):
    """A value as a CSV cell: booleans as 是/否, then spreadsheet_safe."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return spreadsheet_safe(value)


def spreadsheet_safe(cell):
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote, which makes it
    plain text: one starting with a tab or a carriage return, or with =, +, - or @ in their ASCII or
    full-width forms (＝＋－＠, which spreadsheets in Chinese take as the same), also after spaces,
    line breaks or invisible characters (a zero-width space, a BOM). Numbers are left as they are."""
    if isinstance(cell, str) and FORMULA_START.match(cell):
        return "'" + cell
    return cell


# A tab or carriage return (OWASP's list), or whitespace and invisible format characters (zero-width
# spaces and joiners, the BOM) before a character that starts a formula.
FORMULA_START = re.compile(r"[\t\r]|[\s\u200b-\u200f\u2060-\u2064\ufeff]*[=+\-@＝＋－＠]")
