"""Bringing a policy's official text in: `manage.py import_policy_text` and the admin's 从原文导入. What
differs from the records is proposed, the accepted part is created as drafts with the reason 从原文导入,
nothing is public until published, and a file that cannot be read is refused with nothing written."""

import functools
import io
import json
import re
import struct
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command

from measures.domain.models import Award, Clause, Measure, Policy
from measures.domain.public_history import PublicChange
from measures.domain.revision import content_revision
from measures.editing import importer
from measures.text import decoding, document_reader
from tests.data import REAL_POLICY_FILE

NUMERALS = "一二三四五六七八九十"
TEST_SOURCE = "https://example.org/official-text"


def official_text(extra_measure: bool = True, complete_measure_2: bool = True) -> str:
    """The real policy written out as an official document from the fixture's own texts (its official
    paragraphs where it has them), plus — only as test data — a measure 7 and the end of measure 2's
    incomplete paragraph, the way the rest of the official text will arrive."""
    data = json.loads(REAL_POLICY_FILE.read_text(encoding="utf-8"))
    lines = [data["policy"]["title"], data["policy"]["document_number"], data["policy"]["preamble"]]
    for pillar in data["pillars"]:
        lines.append(f"{NUMERALS[pillar['number'] - 1]}、{pillar['title']}")
        for measure in (m for m in data["measures"] if m["pillar"] == pillar["number"]):
            texts = [c["text"] for c in measure["clauses"] if c["provenance"] == "policy_text"]
            texts = texts or [measure["clauses"][0]["text"]]
            if measure["number"] == 2 and complete_measure_2:
                texts = [texts[0] + "持测试用的补全文字。"]
            lines.append(f"（{NUMERALS[measure['number'] - 1]}）{measure['title']}。{texts[0]}")
            lines.extend(texts[1:])
        if pillar["number"] == 3 and extra_measure:
            lines.append(
                "（七）测试措施七。对新认定的测试企业，给予最高200万元奖励；对新认定的标杆企业再给予一次性50万元奖励。"
            )
            lines.append("（责任单位：市科技局、市财政局）")
    return "\n".join(lines)


@pytest.fixture
def text_file(tmp_path):
    def write(text: str, name: str = "official.txt", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def counts():
    return (Measure.objects.count(), Clause.objects.count(), Award.objects.count(), PublicChange.objects.count())


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_policy_text", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# The command


def test_json_prints_the_proposal_in_the_documented_shape_and_writes_nothing(real_policy, text_file):
    before = counts()
    out, _err = run(text_file(official_text()), "--json")
    proposal = json.loads(out)
    assert list(proposal) == ["title", "document_number", "preamble", "pillars", "measures", "warnings"]
    assert proposal["document_number"] == "厦委发〔2025〕1号"
    assert [m["number"] for m in proposal["measures"]] == [1, 2, 3, 4, 5, 6, 7]
    seventh = proposal["measures"][-1]
    assert seventh["pillar"] == 3
    assert seventh["responsible_units"] == ["市科技局", "市财政局"]
    assert [(a["amount_yuan"], a["limit"], a["recurrence"]) for a in seventh["clauses"][0]["awards"]] == [
        (2_000_000, "ceiling", "unspecified"),
        (500_000, "exact", "once"),
    ]
    text = official_text()
    for measure in proposal["measures"]:
        for clause in measure["clauses"]:
            for value in clause["awards"] + clause["other_amounts"]:
                assert text[value["start"] : value["end"]] == value["source_phrase"]
    assert counts() == before


def test_a_dry_run_lists_what_differs_and_writes_nothing(real_policy, text_file):
    before = counts()
    out, _err = run(text_file(official_text()), "--dry-run")
    assert "第7条 测试措施七：新措施（草稿）" in out
    assert "第2条 加强高能级创新平台建设：有变化" in out
    assert "段落有修改（修改草稿）" in out
    assert "第1条 强化厦门科学城“超级孵化器”功能：与记录相同" in out
    assert "新奖补：最高200万元（给予最高200万元奖励）" in out
    assert "未写入任何内容" in out
    assert counts() == before


def test_the_policys_own_text_proposes_nothing_new_its_eight_awards_being_recorded(real_policy, text_file):
    before = counts()
    out, _err = run(text_file(official_text(extra_measure=False, complete_measure_2=False)))
    assert "没有需要导入的变化" in out
    assert "新奖补" not in out
    assert counts() == before


def test_importing_creates_drafts_with_the_reason_and_nothing_public(real_policy, text_file, client):
    revision = content_revision()
    public_changes = PublicChange.objects.count()
    out, _err = run(text_file(official_text()), "--source-url", TEST_SOURCE)
    assert "已导入为草稿：1条措施、2段条款、2项奖补" in out

    seventh = Measure.objects.get(policy=real_policy, number=7)
    assert (seventh.status, seventh.pillar.number, seventh.title) == ("draft", 3, "测试措施七")
    (clause,) = seventh.clauses.all()
    assert (clause.status, clause.provenance, clause.source_url) == ("draft", "policy_text", TEST_SOURCE)
    assert [(a.amount_yuan, a.status, a.recipient, a.condition) for a in Award.objects.filter(clause=clause)] == [
        (2_000_000, "draft", "测试企业", "新认定"),
        (500_000, "draft", "标杆企业", "新认定"),
    ]
    # Measure 2's incomplete official paragraph: a draft of a change, the public still reads the original.
    original = Clause.objects.get(measure__policy=real_policy, measure__number=2, position=1, draft_of=None)
    draft = Clause.objects.get(draft_of=original)
    assert draft.text.endswith("持测试用的补全文字。") and draft.status == "draft"
    assert not original.text.endswith("持测试用的补全文字。")
    for row in [seventh, clause, draft, *Award.objects.filter(clause=clause)]:
        assert row.history.first().history_change_reason == importer.TEXT_IMPORT_REASON

    # Nothing public: no page, no search, no API, no public history, the public revision unmoved.
    assert content_revision() == revision
    assert PublicChange.objects.count() == public_changes
    seventh_page, twelfth_page = (client.get(f"/policies/kjcx-2025/measures/{n}/") for n in (7, 12))
    assert seventh_page.status_code == twelfth_page.status_code  # as pending as a measure never recorded
    assert "测试措施七" not in seventh_page.content.decode()
    assert "测试措施七" not in client.get("/policies/kjcx-2025/").content.decode()
    assert "找到 0 段" in client.get("/search/", {"q": "测试用的补全文字"}).content.decode()
    assert client.get("/api/v1/awards/").json()["count"] == 8  # the real policy's eight, no draft


def test_the_awards_of_a_new_measure_keep_their_own_phrases_and_qualifiers(real_policy, text_file):
    run(text_file(official_text()), "--source-url", TEST_SOURCE)
    awards = Award.objects.filter(clause__measure__policy=real_policy, clause__measure__number=7).order_by("position")
    assert [(a.amount_yuan, a.limit, a.recurrence, a.nature, a.source_phrase) for a in awards] == [
        (2_000_000, "ceiling", "unspecified", "reward", "给予最高200万元奖励"),
        (500_000, "exact", "once", "reward", "对新认定的标杆企业再给予一次性50万元奖励"),
    ]


def test_a_second_import_of_the_same_text_finds_nothing_more_to_create(real_policy, text_file):
    path = text_file(official_text())
    run(path, "--source-url", TEST_SOURCE)
    before = counts()
    out, _err = run(path, "--source-url", TEST_SOURCE)
    assert "已有一份待发布的修改草稿" in out
    assert counts() == before


def test_the_policy_is_found_by_its_document_number_or_named_with_policy(real_policy, small_policy, text_file):
    out, _err = run(text_file(official_text()), "--dry-run")
    assert "（kjcx-2025）" in out
    out, _err = run(text_file(official_text()), "--dry-run", "--policy", "test-policy")
    assert "（test-policy）" in out


def test_a_gb18030_file_is_read_without_being_told_and_a_wrong_encoding_is_refused(real_policy, text_file):
    path = text_file(official_text(), "official-gbk.txt", "gb18030")
    out, _err = run(path, "--dry-run")
    assert "第7条 测试措施七" in out
    before = counts()
    with pytest.raises(CommandError, match="不是 utf-8 编码"):
        run(path, "--encoding", "utf-8")
    with pytest.raises(CommandError, match="不认识的编码"):
        run(path, "--encoding", "klingon")
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "是空的"),
        ("  \n\u3000\n".encode(), "文本是空的"),
        (b"\x00\x01\x02\x03binary", "不是文本文件"),
        (b"%PDF-1.7 ...", "只能导入 .txt 或 .docx"),
        (b"PK\x03\x04 not really a zip", "无法读取 Word 文件"),
    ],
)
def test_an_unreadable_or_empty_file_is_a_clear_error_and_nothing_is_written(real_policy, tmp_path, content, message):
    path = tmp_path / "policy.txt"
    path.write_bytes(content)
    before = counts()
    with pytest.raises(CommandError, match=message):
        run(path)
    with pytest.raises(CommandError, match=message):
        run(path, "--json")
    assert counts() == before


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_when_utf16_is_named(real_policy, text_file, codec):
    path = text_file(official_text(), "official-utf16.txt", codec)
    with pytest.raises(CommandError, match="如果它是 UTF-16 文本，请把编码选为 UTF-16"):
        run(path, "--dry-run")  # guessed, its NUL bytes look binary
    out, _err = run(path, "--dry-run", "--encoding", codec)
    assert "第7条 测试措施七" in out
    assert decoding.read_upload("措施.txt", official_text().encode("utf-16-le"), "utf-16") == official_text()


def test_a_missing_file_an_unknown_policy_and_a_text_without_measures_are_errors(real_policy, text_file, tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run(tmp_path / "nowhere.txt")
    with pytest.raises(CommandError, match="没有网址标识为“nope”的政策"):
        run(text_file(official_text()), "--policy", "nope")
    with pytest.raises(CommandError, match="没有读到任何措施"):
        run(text_file("只有一段没有编号的文字。"), "--policy", "kjcx-2025")
    with pytest.raises(CommandError, match="没有找到文号或标题相同的政策"):
        run(text_file("关于别的事的若干措施\n（一）措施。给予最高10万元奖励。"))


def test_the_exit_code_of_a_refused_file_is_one(real_policy, tmp_path):
    from django.core.management import execute_from_command_line  # the real entry point, with its exit code

    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_policy_text", str(path)])
    assert exited.value.code == 1


def test_a_measure_beyond_the_declared_count_or_without_its_pillar_is_not_imported(real_policy, text_file):
    text = official_text(extra_measure=False) + "\n（十三）第十三条。给予最高10万元奖励。"
    out, _err = run(text_file(text), "--dry-run")
    assert "第13条 第十三条：不能导入，本政策宣布共12条措施" in out


def test_a_word_document_is_read_paragraph_by_paragraph():
    document = docx.Document()
    for line in official_text().split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    text = decoding.read_upload("措施.docx", buffer.getvalue())
    assert text == official_text()
    assert len(document_reader.read_policy(text).measures) == 7


def word_file(*extra_parts: tuple[str, bytes]) -> bytes:
    """A real .docx of the official text, with `extra_parts` (name, content) packed in, deflated."""
    document = docx.Document()
    document.add_paragraph(official_text())
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for part_name, content in extra_parts:
            archive.writestr(part_name, content)
    return buffer.getvalue()


def claiming_size(data: bytes, part_name: str, claimed: int) -> bytes:
    """The zip with the uncompressed size of `part_name` rewritten, in its local and its central header."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        struct.pack_into("<I", patched, archive.getinfo(part_name).header_offset + 22, claimed)
    position = 0
    while (position := data.find(b"PK\x01\x02", position + 1)) != -1:  # the central directory's entries
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == part_name.encode():
            struct.pack_into("<I", patched, position + 24, claimed)
    return bytes(patched)


@functools.cache
def zip_bomb() -> bytes:
    """A .docx of 100 KB holding a part of 100 MB (zeros, deflated), five times the cap: built once."""
    return word_file(("word/media/bomb.bin", bytes(100 * 1024 * 1024)))


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(zip_bomb, id="declared"),
        pytest.param(lambda: word_file(*((f"word/media/{n}.txt", b"x") for n in range(1001))), id="parts"),
    ],
)
def test_a_word_file_unpacking_beyond_the_caps_is_refused_before_it_is_unpacked(upload):
    data = upload()
    assert len(data) < decoding.MAX_UPLOAD_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(decoding.UnreadableText, match="解压后超过 20 MB 或多于 1000 个部件"):
            decoding.read_upload("炸弹.docx", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * len(data) + 1024 * 1024


def test_a_word_file_lying_about_its_sizes_is_read_no_further_than_the_cap():
    data = claiming_size(zip_bomb(), "word/media/bomb.bin", 1000)
    tracemalloc.start()
    try:
        with pytest.raises(decoding.UnreadableText, match="无法读取 Word 文件"):
            decoding.read_upload("炸弹.docx", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * decoding.MAX_DOCX_UNPACKED_BYTES


def test_the_import_form_states_the_caps_and_refuses_a_zip_bomb(editor_client, real_policy):
    assert "解压后不超过 20 MB、1000 个部件" in editor_client.get(IMPORT_URL).content.decode()
    upload = io.BytesIO(zip_bomb())
    upload.name = "炸弹.docx"
    before = counts()
    data = {"step": "preview", "policy": real_policy.pk, "file": upload, "source_url": TEST_SOURCE}
    html = editor_client.post(IMPORT_URL, data).content.decode()
    assert "解压后超过 20 MB 或多于 1000 个部件" in html
    assert counts() == before


# The admin's 从原文导入

IMPORT_URL = "/admin/measures/policy/import/"


def preview(client, policy, text, **extra):
    data = {"step": "preview", "policy": policy.pk, "text": text, "source_url": TEST_SOURCE, **extra}
    return client.post(IMPORT_URL, data)


def test_the_policy_pages_link_to_the_import(editor_client, real_policy):
    assert f'href="{IMPORT_URL}"' in editor_client.get("/admin/measures/policy/").content.decode()
    change = editor_client.get(f"/admin/measures/policy/{real_policy.pk}/change/").content.decode()
    assert f'href="{IMPORT_URL}?policy={real_policy.pk}"' in change
    form = editor_client.get(f"{IMPORT_URL}?policy={real_policy.pk}").content.decode()
    assert 'name="text"' in form and 'name="file"' in form
    assert f'value="{real_policy.sources.first().url}"' in form


def test_the_preview_shows_the_tree_the_amounts_read_and_only_what_changed(editor_client, real_policy):
    before = counts()
    html = preview(editor_client, real_policy, official_text()).content.decode()
    assert "第7条 测试措施七" in html and "新措施" in html
    # Each amount of the text highlighted with its reading beside it, written differently or not.
    assert '<mark class="import-award" title="奖补：最高3000万元补助">3000万元</mark>' in html
    assert '<mark class="import-award" title="奖补：最高200万元奖励">200万元</mark>' in html
    # Only what changed is proposed: measure 7, its paragraph and awards, and measure 2's paragraph.
    assert re.findall(r'name="accept" value="([^"]+)"', html) == [
        "m2c1",
        "m7",
        "m7u1",
        "m7u2",
        "m7c1",
        "m7c1a1",
        "m7c1a2",
    ]
    assert 'name="m7c1a1-amount_wan" value="200"' in html
    assert "<ins>持测试用的补全文字。</ins>" in html
    assert counts() == before


def test_accepting_editing_and_dropping_creates_only_the_accepted_drafts(editor_client, editor, real_policy):
    text = official_text()
    data = {
        "step": "create",
        "policy": real_policy.pk,
        "text": text,
        "source_url": TEST_SOURCE,
        "accept": ["m7", "m7c1", "m7c1a1"],  # measure 2's change and the 50万元 award dropped
        "m7c1a1-amount_wan": "250",
        "m7c1a1-limit": "ceiling",
        "m7c1a1-recurrence": "unspecified",
        "m7c1a1-nature": "reward",
        "m7c1a1-recipient": "测试企业（编辑修改）",
    }
    response = editor_client.post(IMPORT_URL, data)
    assert response.status_code == 302
    assert response["Location"] == "/admin/measures/measure/?status__exact=draft"
    (award,) = Award.objects.filter(clause__measure__number=7)
    assert (award.amount_yuan, award.recipient, award.status, award.updated_by) == (
        2_500_000,
        "测试企业（编辑修改）",
        "draft",
        editor,
    )
    assert award.history.first().history_change_reason == importer.TEXT_IMPORT_REASON
    assert not Clause.objects.filter(draft_of__isnull=False).exists()
    messages = editor_client.get("/admin/measures/measure/?status__exact=draft").content.decode()
    assert "已从原文导入为草稿：1条措施、1段条款、1项奖补" in messages


def test_a_wrong_value_in_an_accepted_award_shows_the_preview_again_and_writes_nothing(editor_client, real_policy):
    before = counts()
    data = {
        "step": "create",
        "policy": real_policy.pk,
        "text": official_text(),
        "source_url": TEST_SOURCE,
        "accept": ["m7", "m7c1", "m7c1a1"],
        "m7c1a1-amount_wan": "abc",
        "m7c1a1-limit": "ceiling",
        "m7c1a1-recurrence": "unspecified",
        "m7c1a1-nature": "reward",
        "m7c1a1-recipient": "测试企业",
    }
    response = editor_client.post(IMPORT_URL, data)
    assert response.status_code == 200
    assert "请修改下面标出的错误" in response.content.decode()
    assert counts() == before


def test_an_uploaded_gb18030_text_file_is_previewed(editor_client, real_policy):
    upload = io.BytesIO(official_text().encode("gb18030"))
    upload.name = "措施.txt"
    data = {"step": "preview", "policy": real_policy.pk, "file": upload, "source_url": TEST_SOURCE}
    html = editor_client.post(IMPORT_URL, data).content.decode()
    assert "第7条 测试措施七" in html


def test_an_uploaded_utf16_file_without_a_byte_order_mark_is_previewed_with_utf16_chosen(editor_client, real_policy):
    upload = io.BytesIO(official_text().encode("utf-16-le"))
    upload.name = "措施.txt"
    data = {"step": "preview", "policy": real_policy.pk, "file": upload, "source_url": TEST_SOURCE}
    html = editor_client.post(IMPORT_URL, {**data, "encoding": "utf-16"}).content.decode()
    assert "第7条 测试措施七" in html


@pytest.mark.parametrize(("text", "message"), [("", "请粘贴政策原文"), ("\u3000 \n", "请粘贴政策原文")])
def test_an_empty_text_is_refused_on_the_form(editor_client, real_policy, text, message):
    before = counts()
    html = preview(editor_client, real_policy, text).content.decode()
    assert message in html
    assert counts() == before


def test_an_editor_without_the_right_to_add_content_cannot_import(client, django_user_model, real_policy):
    viewer = django_user_model.objects.create_user("viewer", password="viewer-password-1", is_staff=True)
    client.force_login(viewer)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"step": "create", "policy": real_policy.pk}).status_code == 403


def test_the_import_form_is_only_for_logged_in_staff(client, real_policy):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Policy.objects.count() == 1


# Issue 27: the right pillar, doubtful awards unticked, responsible departments proposed

PILLAR_THREE_TEXT = "\n".join(
    [
        "三、夯实企业科技创新主体地位",
        "第七条 测试措施七。对新认定的测试企业，给予最高200万元奖励。",
        "（责任单位：市科技局、市财政局）",
        "第八条 测试措施八。按项目研发投入的30%给予补助，每个项目最高不超过200万元。",
        "第九条 测试措施九。对甲基地、乙基地给予100、50万元奖励。",
    ]
)


def test_measures_under_the_third_pillars_numeral_are_created_under_the_third_pillar(real_policy, text_file):
    out, _err = run(text_file(PILLAR_THREE_TEXT), "--policy", "kjcx-2025", "--source-url", TEST_SOURCE)
    assert "已导入为草稿：3条措施、3段条款、2项奖补、2个责任单位（其中新建2个）" in out
    measures = Measure.objects.filter(policy=real_policy, number__in=[7, 8, 9]).order_by("number")
    assert [(m.number, m.pillar.number, m.status) for m in measures] == [
        (7, 3, "draft"),
        (8, 3, "draft"),
        (9, 3, "draft"),
    ]
    # 每个项目最高不超过200万元 is measure 8's award; measure 9's 50万元, read beside a list it could
    # not read, is listed and not imported.
    assert [
        (a.clause.measure.number, a.amount_yuan, a.per_recipient)
        for a in Award.objects.filter(clause__measure__in=measures).order_by("clause__measure__number")
    ] == [(7, 2_000_000, False), (8, 2_000_000, True)]
    assert "不导入（读得不准）：50万元" in out


def test_a_pillar_whose_title_differs_is_a_warning_not_a_success(editor_client, real_policy):
    text = PILLAR_THREE_TEXT.replace("夯实企业科技创新主体地位", "夯实企业主体地位")
    html = preview(editor_client, real_policy, text).content.decode()
    assert re.search(r'<li class="warning">第3个方面的标题不同：记录为“夯实企业科技创新主体地位”', html)
    assert '<li class="info">' not in html and '<li class="success">' not in html
    pillar = real_policy.pillars.get(number=3)
    assert re.search(rf'<select name="m7-pillar"[^>]*>.*?<option value="{pillar.pk}" selected>', html, re.S)


def test_a_pillar_is_matched_by_its_title_when_its_number_differs(editor_client, real_policy):
    text = PILLAR_THREE_TEXT.replace("三、", "一、")
    html = preview(editor_client, real_policy, text).content.decode()
    assert "原文的第1个方面“夯实企业科技创新主体地位”在记录中是第3个方面" in html
    pillar = real_policy.pillars.get(number=3)
    assert re.search(rf'<select name="m7-pillar"[^>]*>.*?<option value="{pillar.pk}" selected>', html, re.S)


def test_the_editor_chooses_the_pillar_of_a_new_measure(editor_client, real_policy):
    text = PILLAR_THREE_TEXT.replace("三、夯实企业科技创新主体地位", "五、尚未录入的方面")
    html = preview(editor_client, real_policy, text).content.decode()
    assert "原文的第5个方面“尚未录入的方面”尚未录入" in html
    assert re.search(r'<select name="m7-pillar"[^>]*>\s*<option value="" selected>', html)
    assert 'value="m7" checked' not in html  # no pillar yet: not ticked
    before = counts()
    data = {"step": "create", "policy": real_policy.pk, "text": text, "source_url": TEST_SOURCE}
    refused = editor_client.post(IMPORT_URL, {**data, "accept": ["m7", "m7c1"], "m7-pillar": ""})
    assert refused.status_code == 200 and "请选定这条措施所属的方面" in refused.content.decode()
    assert counts() == before
    fourth = real_policy.pillars.get(number=4)
    created = editor_client.post(IMPORT_URL, {**data, "accept": ["m7", "m7c1"], "m7-pillar": fourth.pk})
    assert created.status_code == 302
    assert Measure.objects.get(policy=real_policy, number=7).pillar == fourth


def test_an_award_read_with_a_doubt_is_proposed_unticked_with_its_reason(editor_client, real_policy):
    html = preview(editor_client, real_policy, PILLAR_THREE_TEXT).content.decode()
    accepted = re.findall(r'name="accept" value="([^"]+)"( checked)?', html)
    assert ("m9c1a1", "") in accepted  # the 50万元 of 100、50万元, no 分别
    assert ("m8c1a1", " checked") in accepted
    assert "读得不准，未勾选：同一句中“100、50万元”单位只写了一次" in html


def test_respectively_with_the_unit_said_once_proposes_both_amounts_ticked(editor_client, real_policy):
    text = PILLAR_THREE_TEXT.replace("对甲基地、乙基地给予100、50万元奖励", "对甲基地、乙基地分别给予100、50万元奖励")
    html = preview(editor_client, real_policy, text).content.decode()
    assert 'name="m9c1a1-amount_wan" value="100"' in html and 'name="m9c1a2-amount_wan" value="50"' in html
    assert 'name="m9c1a1-recipient" value="甲基地"' in html and 'name="m9c1a2-recipient" value="乙基地"' in html
    assert 'value="m9c1a1" checked' in html and 'value="m9c1a2" checked' in html


def test_the_responsible_units_are_proposed_and_created_only_when_ticked(editor_client, real_policy):
    from measures.domain.eligibility import ApplicationDepartment, ApplicationInfo, Department

    existing = Department.objects.create(name="市科技局")
    html = preview(editor_client, real_policy, PILLAR_THREE_TEXT).content.decode()
    assert "列为这条措施的责任单位：市科技局（已录入的单位）" in html
    assert "新建责任单位“市财政局”，并列为这条措施的责任单位" in html
    data = {"step": "create", "policy": real_policy.pk, "text": PILLAR_THREE_TEXT, "source_url": TEST_SOURCE}
    editor_client.post(IMPORT_URL, {**data, "accept": ["m7", "m7c1", "m7u1"]})
    seventh = Measure.objects.get(policy=real_policy, number=7)
    info = ApplicationInfo.objects.get(measure=seventh)
    assert [link.department for link in ApplicationDepartment.objects.filter(info=info)] == [existing]
    assert not Department.objects.filter(name="市财政局").exists()  # not ticked: not created
    assert info.history.first().history_change_reason == importer.TEXT_IMPORT_REASON
    # Linked already: listed, not proposed again.
    again = preview(editor_client, real_policy, PILLAR_THREE_TEXT).content.decode()
    assert "已录入：市科技局" in again and 'value="m7u1"' not in again
    assert 'value="m7u2" checked' in again
