"""相关文件: the documents that cite the policy, loaded with exactly what the sources say of them, shown on
the policy page and the measures they concern, in the API and the downloads, editable with history."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from measures.domain.documents import RelatedDocument, RelatedDocumentMeasure
from measures.domain.models import Measure
from measures.domain.revision import content_revision
from tests.html import between, page

TRANSFER_RULES = "厦门市技术转移机构管理操作规程(试行)"
INCUBATOR_RULES = "厦门市科技型企业孵化器管理办法(征求意见稿)"
# The citing sentences as the sources' README quotes them, character for character (its own punctuation).
TRANSFER_QUOTE = (
    "第一条为深入实施科技创新引领工程,培育和发展本市技术转移机构,完善技术转移体系,规范技术转移服务机构管理,"
    "促进科技成果转化,根据《厦门市促进科技成果转移转化若干规定》(厦府办规[2020]20号)、《关于深化拓展科技创新引领工程"
    "推动科技创新和产业创新深度融合的若干措施》(厦委发[2025]1号)等相关政策,结合本市实际,制定本规程。"
)
RESEARCH_RULES = "厦门市新型研发机构管理办法"
RESEARCH_QUOTE = (
    "第一条 为贯彻落实《中华人民共和国科学技术进步法》《关于促进新型研发机构发展的指导意见》"
    "《福建省人民政府关于鼓励社会资本建设和发展新型研发机构若干措施的通知》"
    "《关于深入实施科技创新引领工程 争创国家区域科技创新中心的若干措施》"
    "《关于深化拓展科技创新引领工程 推动科技创新和产业创新深度融合的若干措施》等文件精神,"
    "进一步加快新型研发机构建设和发展,推动产学研用合作和优秀科研成果在我市转化,特制定本办法。"
)
INCUBATOR_QUOTE = (
    "第一条 为推动科技创新和产业创新深度融合,促进科技型企业孵化器高质量发展,……根据……和厦门市委、市政府"
    "《关于深化拓展科技创新引领工程推动科技创新和产业创新深度融合的若干措施》等要求,结合厦门实际,制定本办法。"
)


def test_the_three_documents_citing_the_policy_are_loaded_with_exactly_the_sources_facts(real_policy):
    transfer, incubator, research = RelatedDocument.objects.filter(policy=real_policy).order_by("position")
    assert (transfer.title, transfer.relation, transfer.quotation) == (TRANSFER_RULES, "implements", TRANSFER_QUOTE)
    # No source gives its 文号 or (in the readable part) its issuing body: left empty, never guessed.
    assert (transfer.document_number, transfer.issuing_body) == ("", "")
    assert (str(transfer.date), transfer.date_kind) == ("2025-05-19", "republished")
    assert transfer.url == "http://www.kt180.com/html/zzxm/xmzz/xiamenshigongxinju/2025/0519/22894.html"
    assert list(transfer.measures.all()) == []

    assert (incubator.title, incubator.relation, incubator.quotation) == (
        INCUBATOR_RULES,
        "draft_for_comment",
        INCUBATOR_QUOTE,
    )
    assert (incubator.document_number, incubator.issuing_body) == ("", "厦门市科学技术局")
    assert (str(incubator.date), incubator.date_kind) == ("2025-09-03", "published")
    assert incubator.url == "http://sti.xm.gov.cn/xxgk/tzgg/202509/t20250905_2954194.htm"
    assert [m.number for m in incubator.measures.all()] == [6]

    # The third, in force, with its 文号 and issuing body; it names no measure the known text has.
    assert (research.title, research.relation, research.quotation) == (RESEARCH_RULES, "implements", RESEARCH_QUOTE)
    assert (research.document_number, research.issuing_body) == ("厦科规〔2025〕4号", "厦门市科学技术局")
    assert (str(research.date), research.date_kind) == ("2025-08-08", "issued")
    assert research.url == "http://sti.xm.gov.cn/xxgk/zfxxgk/zc/xzgfxwj/202508/t20250808_2949567.htm"
    assert list(research.measures.all()) == []
    assert RelatedDocument.objects.count() == 3


def test_the_policy_page_lists_all_three_with_their_quotations_and_pending_facts(client, real_policy):
    html = between(page(client, "/policies/kjcx-2025/"), 'id="related-docs-heading"', "</section>")
    assert f"《{TRANSFER_RULES}》" in html and f"《{INCUBATOR_RULES}》" in html
    assert TRANSFER_QUOTE in html and INCUBATOR_QUOTE in html and RESEARCH_QUOTE in html
    assert f"《{RESEARCH_RULES}》" in html and "厦科规〔2025〕4号" in html and "印发日期" in html
    assert "配套文件" in html and "征求意见稿" in html
    assert html.count("tag--pending") == 3  # two 文号 and one issuing body: 待录入
    assert "转载日期" in html and "2025年5月19日" in html and "发布日期" in html and "2025年9月3日" in html
    assert 'href="/policies/kjcx-2025/measures/6/">第6条 培育发展高端科技服务业</a>' in html
    assert 'href="http://sti.xm.gov.cn/xxgk/tzgg/202509/t20250905_2954194.htm"' in html


def test_a_measure_page_shows_the_documents_concerning_it_only(client, real_policy):
    assert INCUBATOR_QUOTE in page(client, "/policies/kjcx-2025/measures/6/")
    html = page(client, "/policies/kjcx-2025/measures/3/")
    assert "相关文件" not in html and TRANSFER_RULES not in html


def test_the_api_gives_them_in_the_policy_and_on_their_own(client, real_policy):
    policy = json.loads(client.get("/api/v1/policies/kjcx-2025/").content)
    assert [d["title"] for d in policy["related_documents"]] == [TRANSFER_RULES, INCUBATOR_RULES, RESEARCH_RULES]
    listed = json.loads(client.get("/api/v1/related-documents/?measure=6").content)
    assert listed["count"] == 1
    (document,) = listed["results"]
    assert document["quotation"] == INCUBATOR_QUOTE
    assert document["relation_label"] == "征求意见稿"
    assert document["document_number"] == ""
    assert document["measures"] == [
        {"number": 6, "title": "培育发展高端科技服务业", "url": "http://testserver/policies/kjcx-2025/measures/6/"}
    ]
    assert json.loads(client.get("/api/v1/related-documents/?measure=abc").content)["errors"]["measure"]


def test_the_downloads_hold_them_as_csv_and_json(client, real_policy):
    rows = list(csv.DictReader(io.StringIO(client.get("/downloads/documents.csv").content.decode("utf-8-sig"))))
    assert [row["标题"] for row in rows] == [TRANSFER_RULES, INCUBATOR_RULES, RESEARCH_RULES]
    assert rows[1]["涉及的措施"] == "6" and rows[1]["引用原文"] == INCUBATOR_QUOTE
    document = json.loads(client.get("/downloads/documents.json").content)
    assert document["count"] == 3 and document["rows"][0]["date"] == "2025-05-19"
    assert 'href="/downloads/documents.csv"' in page(client, "/downloads/")


def test_an_editor_edits_a_document_with_a_reason_kept_in_its_history(editor_client, real_policy):
    document = RelatedDocument.objects.get(title=INCUBATOR_RULES)
    before = content_revision()
    url = f"/admin/measures/relateddocument/{document.pk}/change/"
    form = page(editor_client, url)
    assert "涉及的措施" in form
    data = {
        "policy": real_policy.pk,
        "position": 2,
        "relation": "draft_for_comment",
        "title": INCUBATOR_RULES,
        "document_number": "",
        "issuing_body": "厦门市科学技术局",
        "date": "2025-09-03",
        "date_kind": "published",
        "url": document.url,
        "quotation": INCUBATOR_QUOTE,
        "note": "意见已截止。",
        "change_reason": "补充说明",
        "version": document.version,
        "measure_links-TOTAL_FORMS": "1",
        "measure_links-INITIAL_FORMS": "1",
        "measure_links-0-id": document.measure_links.get().pk,
        "measure_links-0-document": document.pk,
        "measure_links-0-measure": Measure.objects.get(policy=real_policy, number=6).pk,
        "measure_links-0-version": document.measure_links.get().version,
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    document.refresh_from_db()
    assert document.note == "意见已截止。"
    assert document.history.first().history_change_reason == "补充说明"
    assert content_revision() != before  # the public pages show it: their caches move on
    assert "补充说明" in page(editor_client, f"/admin/measures/relateddocument/{document.pk}/history/")
    # load_policy keeps the editor's change.
    out = io.StringIO()
    call_command("load_policy", stdout=out)
    document.refresh_from_db()
    assert document.note == "意见已截止。" and "1 kept" in out.getvalue()


def test_linking_a_measure_moves_the_content_revision(real_policy):
    document = RelatedDocument.objects.get(title=TRANSFER_RULES)
    before = content_revision()
    RelatedDocumentMeasure.objects.create(document=document, measure=Measure.objects.get(policy=real_policy, number=1))
    assert content_revision() != before


def test_a_document_names_measures_of_its_own_policy_only(real_policy, small_policy):
    link = RelatedDocumentMeasure(
        document=RelatedDocument.objects.get(title=TRANSFER_RULES),
        measure=Measure.objects.get(policy=small_policy, number=1),
    )
    with pytest.raises(ValidationError, match="只能关联这份文件所属政策中的措施"):
        link.full_clean()


def test_a_document_linked_to_a_draft_measure_is_answered_as_if_the_measure_were_missing(client, real_policy):
    draft = Measure.objects.create(
        policy=real_policy, pillar=real_policy.pillars.get(number=1), number=7, title="草稿措施", status="draft"
    )
    RelatedDocumentMeasure.objects.create(document=RelatedDocument.objects.get(title=INCUBATOR_RULES), measure=draft)
    for query in ("?measure={}", "?policy=kjcx-2025&measure={}"):
        draft_answer = client.get("/api/v1/related-documents/" + query.format(7))
        missing_answer = client.get("/api/v1/related-documents/" + query.format(8))
        assert draft_answer.status_code == missing_answer.status_code == 200
        assert json.loads(draft_answer.content)["count"] == 0
        assert draft_answer.content == missing_answer.content
