"""Bulk downloads (/downloads/): every published award and clause, as CSV and JSON, and the page
that describes their columns.

The real policy has eight awards (in 万元, in the order of the policy: measure 2: 一次性3000;
measure 3: 一次性200, 最高100, 最高50, 最高300, 最高1000; measure 6: 每年每家最高500, 最高3000) and
seven clauses (measure 1: one, policy text; measure 2: two, policy text then a news summary;
measures 3–6: one news summary each).
"""

import csv
import io
import json

import pytest

from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.editing.publishing import start_draft_of_change
from measures.public import exports
from measures.public.library.columns import LIBRARY_COLUMNS
from tests.html import between, page
from tests.query_budgets import CONTENT_REVISION_QUERIES

DOWNLOAD_QUERIES = CONTENT_REVISION_QUERIES + 1  # the rows, with their clause, measure, pillar and policy joined
# The awards' kinds, application facts, and the facts' departments and guides (measures/domain/eligibility.py).
AWARD_ELIGIBILITY_QUERIES = 4
AWARD_COLUMNS = [*exports.AWARD_COLUMNS, *exports.ELIGIBILITY_COLUMNS]
PAGE_QUERIES = CONTENT_REVISION_QUERIES  # the page itself is written from the column definitions alone

FILES = ["/downloads/awards.csv", "/downloads/awards.json", "/downloads/clauses.csv", "/downloads/clauses.json"]

AMOUNTS_WAN = ["3000", "200", "100", "50", "300", "1000", "500", "3000"]
AMOUNTS_YUAN = [int(wan) * 10_000 for wan in AMOUNTS_WAN]
DISPLAY_TEXTS = [
    "一次性3000万元",
    "一次性200万元",
    "最高100万元",
    "最高50万元",
    "最高300万元",
    "最高1000万元",
    "每年每家最高500万元",
    "最高3000万元",
]
PROVENANCES = ["政策原文", "政策原文", "新闻摘要", "新闻摘要", "新闻摘要", "新闻摘要", "新闻摘要"]
SECRET = "机密草稿"


def csv_table(response):
    """The CSV's header and its rows as dicts; checks it is a UTF-8 file starting with the BOM."""
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8")[1:]
    header = next(csv.reader(io.StringIO(text)))
    return header, list(csv.DictReader(io.StringIO(text)))


def json_document(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def all_downloads(client):
    """The text of the four files together."""
    return "\n".join(client.get(url).content.decode("utf-8") for url in FILES)


def add_award(clause, position, **fields):
    defaults = dict(
        amount_yuan=1_000_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient="企业",
        source_phrase="给予补助",
    )
    return Award.objects.create(clause=clause, position=position, **{**defaults, **fields})


@pytest.fixture
def first_clause(real_policy):
    return Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)


# Awards


def test_the_awards_csv_is_an_excel_friendly_attachment_with_the_documented_header(client, real_policy):
    response = client.get("/downloads/awards.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="xmpolicy-awards.csv"'
    header, rows = csv_table(response)
    assert header == [column.header for column in AWARD_COLUMNS]
    assert header[:4] == ["金额编号", "政策标识", "政策", "方面"]
    assert len(rows) == 8


def test_the_awards_csv_holds_every_published_award_in_the_order_of_the_policy(client, real_policy):
    _, rows = csv_table(client.get("/downloads/awards.csv"))
    assert [row["金额（元）"] for row in rows] == [str(yuan) for yuan in AMOUNTS_YUAN]
    assert [row["金额（万元）"] for row in rows] == AMOUNTS_WAN
    assert [row["金额表述"] for row in rows] == DISPLAY_TEXTS
    assert [row["措施编号"] for row in rows] == ["2", "3", "3", "3", "3", "3", "6", "6"]
    yearly = rows[6]
    assert yearly["政策标识"] == "kjcx-2025"
    assert yearly["方面"] == "2 深化科技管理服务创新"
    assert yearly["方面序号"] == "2"
    assert yearly["频次"] == "每年"
    assert yearly["每家"] == "是"
    assert yearly["资助方式"] == "奖励"
    assert yearly["支持对象"] == "科技型企业孵化器、加速器等"
    assert yearly["条款链接"] == "http://testserver/policies/kjcx-2025/measures/6/#clause-1"
    # Who can apply, from its own words; how to apply: no source gives it yet (待录入, an empty cell).
    assert yearly["申报主体类别"] == "科技型企业孵化器、加速器"
    assert (yearly["责任单位"], yearly["兑现方式"], yearly["申报时间"], yearly["咨询电话"]) == ("", "", "", "")


def test_the_awards_json_has_integer_yuan_and_decimal_strings_in_wan(client, real_policy):
    response = client.get("/downloads/awards.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="xmpolicy-awards.json"'
    document = json_document(response)
    assert document["count"] == 8
    assert document["policy_count"] == 1
    assert document["generated_at"]
    rows = document["rows"]
    assert [row["amount_yuan"] for row in rows] == AMOUNTS_YUAN
    assert all(type(row["amount_yuan"]) is int for row in rows)
    assert [row["amount_wan"] for row in rows] == AMOUNTS_WAN
    assert rows[6]["per_recipient"] is True
    assert rows[0]["per_recipient"] is False
    assert rows[6]["pillar_number"] == 2
    assert rows[6]["clause_url"] == "http://testserver/policies/kjcx-2025/measures/6/#clause-1"


def test_the_json_keys_and_described_columns_are_the_documented_ones(client, real_policy):
    document = json_document(client.get("/downloads/awards.json"))
    keys = [column.key for column in AWARD_COLUMNS]
    assert [column["key"] for column in document["columns"]] == keys
    assert all(column["description"] for column in document["columns"])
    assert all(list(row) == keys for row in document["rows"])


def test_the_json_is_readable_chinese_not_escapes(client, real_policy):
    text = client.get("/downloads/awards.json").content.decode("utf-8")
    assert "每年每家最高500万元" in text
    assert "\\u" not in text


# Clauses


def test_the_clauses_csv_lists_the_seven_clauses_with_their_provenance(client, real_policy):
    response = client.get("/downloads/clauses.csv")
    assert response["Content-Disposition"] == 'attachment; filename="xmpolicy-clauses.csv"'
    header, rows = csv_table(response)
    assert header == [column.header for column in exports.CLAUSE_COLUMNS]
    assert [row["文字来源"] for row in rows] == PROVENANCES
    assert [(row["措施编号"], row["段落"]) for row in rows] == [
        ("1", "1"),
        ("2", "1"),
        ("2", "2"),
        ("3", "1"),
        ("4", "1"),
        ("5", "1"),
        ("6", "1"),
    ]
    assert rows[0]["条款链接"] == "http://testserver/policies/kjcx-2025/measures/1/#clause-1"
    assert rows[0]["文字完整"] in {"是", "否"}
    assert rows[0]["条款内容"] == Clause.objects.get(measure__number=1, position=1).text


def test_the_clauses_json_lists_the_seven_clauses_with_their_provenance(client, real_policy):
    response = client.get("/downloads/clauses.json")
    assert response["Content-Disposition"] == 'attachment; filename="xmpolicy-clauses.json"'
    document = json_document(response)
    assert document["count"] == 7
    assert [row["provenance"] for row in document["rows"]] == PROVENANCES
    assert all(type(row["is_complete"]) is bool for row in document["rows"])
    assert document["rows"][2]["source_url"].startswith("http")


def test_the_files_stay_chinese_for_an_english_visitor(client, real_policy):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    document = json_document(client.get("/downloads/clauses.json"))
    assert [row["provenance"] for row in document["rows"]] == PROVENANCES


# Only published content


def test_a_draft_award_is_in_no_file(client, first_clause):
    add_award(first_clause, 1, recipient=f"{SECRET}企业", status=PublicationStatus.DRAFT)
    assert SECRET not in all_downloads(client)
    assert json_document(client.get("/downloads/awards.json"))["count"] == 8


def test_a_draft_clause_and_its_award_are_in_no_file(client, first_clause):
    clause = Clause.objects.create(
        measure=first_clause.measure,
        position=2,
        text=f"{SECRET}的条款",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/draft",
        status=PublicationStatus.DRAFT,
    )
    add_award(clause, 1, recipient=f"{SECRET}企业")
    assert SECRET not in all_downloads(client)
    assert json_document(client.get("/downloads/clauses.json"))["count"] == 7


def test_a_draft_of_a_change_is_in_no_file(client, editor, first_clause):
    draft = start_draft_of_change(first_clause, editor)
    draft.text = f"{SECRET}的修改"
    draft.save()
    add_award(draft, 1, recipient=f"{SECRET}企业")
    text = all_downloads(client)
    assert SECRET not in text
    assert first_clause.text in text


def test_the_clauses_of_a_draft_measure_are_in_no_file(client, real_policy):
    measure = Measure.objects.create(
        policy=real_policy,
        pillar=real_policy.pillars.get(number=3),
        number=7,
        title="第七条",
        status=PublicationStatus.DRAFT,
    )
    clause = Clause.objects.create(
        measure=measure,
        position=1,
        text=f"{SECRET}条款，本身已发布",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/measure-7",
    )
    add_award(clause, 1, recipient=f"{SECRET}企业")
    assert SECRET not in all_downloads(client)


# Escaping and formulas


def test_formula_cells_are_neutralised_in_the_csv_but_left_alone_in_the_json(client, first_clause):
    add_award(first_clause, 1, recipient="=1+1", condition="+SUM(A1)", basis="-2", source_phrase="@x")
    _, rows = csv_table(client.get("/downloads/awards.csv"))
    (row,) = [row for row in rows if row["措施编号"] == "1"]
    assert (row["支持对象"], row["条件"], row["计算依据"], row["原文表述"]) == ("'=1+1", "'+SUM(A1)", "'-2", "'@x")
    assert row["金额（元）"] == "1000000"
    (item,) = [
        item for item in json_document(client.get("/downloads/awards.json"))["rows"] if item["measure_number"] == 1
    ]
    assert (item["recipient"], item["condition"], item["basis"], item["source_phrase"]) == (
        "=1+1",
        "+SUM(A1)",
        "-2",
        "@x",
    )


def test_a_clause_starting_like_a_formula_is_neutralised_in_the_clauses_csv(client, first_clause):
    first_clause.text = "=HYPERLINK(1)"
    first_clause.save()
    _, rows = csv_table(client.get("/downloads/clauses.csv"))
    assert rows[0]["条款内容"] == "'=HYPERLINK(1)"
    assert json_document(client.get("/downloads/clauses.json"))["rows"][0]["text"] == "=HYPERLINK(1)"


# The page


def test_the_downloads_page_links_to_the_four_files(client, real_policy):
    html = page(client, "/downloads/")
    files = between(html, 'id="downloads-files"', "</table>")
    for url in FILES:
        assert f'href="{url}"' in files
    assert "<title>数据下载 · 厦门科技创新政策库</title>" in html
    assert '<meta name="description" content="下载本站全部已发布的奖补金额、条款和相关文件' in html


def test_the_downloads_page_describes_every_column_of_the_files_and_of_the_pages_exports(client, real_policy):
    html = page(client, "/downloads/")
    described = (
        ("awards", exports.AWARD_COLUMNS),
        ("clauses", exports.CLAUSE_COLUMNS),
        ("finder", exports.FINDER_AWARD_COLUMNS),
        ("calculator", exports.CALCULATOR_COLUMNS),
        ("policies", LIBRARY_COLUMNS),
    )
    assert 'href="/policies/">打开政策库</a>' in html
    for name, columns in described:
        table = between(html, f'id="downloads-{name}"', "</table>")
        for column in columns:
            assert f"<td>{column.header}</td>\n            <td><code>{column.key}</code></td>" in table
            assert f"<td>{column.description}</td>" in table


def test_the_downloads_page_names_the_source_and_leaves_out_drafts(client, real_policy):
    html = page(client, "/downloads/")
    assert "数据来自本站整理的公开来源，每段条款注明出处" in html
    assert "草稿和尚未发布的修改不包括在内" in html


def test_every_page_links_to_the_downloads_in_its_footer(client, real_policy):
    footer = between(page(client, "/"), '<footer class="site-footer">', "</footer>")
    assert '<a href="/downloads/">数据下载</a>' in footer


def test_the_award_finder_links_to_the_downloads_next_to_its_csv(client, real_policy):
    summary = between(page(client, "/awards/"), '<p class="finder-summary">', "</p>")
    assert ">导出CSV</a>" in summary
    assert '<a class="finder-summary__downloads" href="/downloads/">全部数据下载</a>' in summary


@pytest.mark.parametrize(
    "url", ["/downloads/awards.xml", "/downloads/measures.csv", "/downloads/awards.csv/", "/downloads/awards"]
)
def test_an_unknown_file_is_a_404(client, real_policy, url):
    assert client.get(url).status_code == 404


# Query budgets


@pytest.mark.parametrize("url", FILES)
def test_each_file_runs_a_fixed_number_of_queries_for_its_rows(client, real_policy, django_assert_num_queries, url):
    with django_assert_num_queries(DOWNLOAD_QUERIES + (AWARD_ELIGIBILITY_QUERIES if "awards" in url else 0)):
        client.get(url)


@pytest.mark.parametrize("url", FILES)
def test_the_number_of_queries_does_not_grow_with_the_data(
    client, real_policy, small_policy, first_clause, django_assert_num_queries, url
):
    for position in range(1, 6):
        add_award(first_clause, position)
    with django_assert_num_queries(DOWNLOAD_QUERIES + (AWARD_ELIGIBILITY_QUERIES if "awards" in url else 0)):
        client.get(url)


def test_the_files_hold_every_policy_in_the_order_of_their_slugs(client, real_policy, small_policy):
    awards = json_document(client.get("/downloads/awards.json"))
    assert awards["policy_count"] == 2
    assert [row["policy_slug"] for row in awards["rows"]] == ["kjcx-2025"] * 8 + ["test-policy"]
    assert awards["rows"][-1]["display_text"] == "每年每家最高500万元"
    _, clauses = csv_table(client.get("/downloads/clauses.csv"))
    assert [row["政策标识"] for row in clauses] == ["kjcx-2025"] * 7 + ["test-policy"]


def test_the_downloads_page_runs_no_query_of_its_own(client, real_policy, django_assert_num_queries):
    with django_assert_num_queries(PAGE_QUERIES):
        client.get("/downloads/")
