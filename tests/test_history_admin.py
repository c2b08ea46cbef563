"""History in the editors' admin: a reason (变更说明) on every edit, diffs on the history page, and
restoring an older version as a new one. Driven through the real admin pages, as test_admin.py."""

import pytest
from django.contrib.auth.models import Permission
from pytest_django.asserts import assertContains, assertNotContains

from measures.domain.models import Award, Clause, Measure
from measures.editing.history import REASON_REQUIRED
from measures.editing.loader import IMPORT_REASON, PolicyLoader
from tests.admin_forms import award_url, clause_url, form_data, measure_url
from tests.data import REAL_POLICY_FILE
from tests.html import between, page

OLD_TEXT = "支持孵化器建设，给予每年每家最高500万元奖励。"
NEW_TEXT = "支持孵化器建设，给予每年每家最高600万元奖励。"


def history_url(obj):
    return f"/admin/measures/{obj._meta.model_name}/{obj.pk}/history/"


def restore_url(obj, record):
    return f"/admin/measures/{obj._meta.model_name}/{obj.pk}/history/{record.history_id}/"


@pytest.fixture
def clause(small_policy):
    return Clause.objects.get(measure__policy=small_policy)


@pytest.fixture
def award(small_policy):
    return Award.objects.get(clause__measure__policy=small_policy)


def edit(client, obj, reason="把500万元改为600万元（据正式文件）", **changes):
    """Opens the change page of `obj`, changes the given fields, writes the reason and saves."""
    model_name = obj._meta.model_name
    url = f"/admin/measures/{model_name}/{obj.pk}/change/"
    data = form_data(client.get(url), model_name)
    data.update(changes)
    data["change_reason"] = reason
    return client.post(url, data)


# --- the reason ------------------------------------------------------------------------------


def test_every_change_and_add_page_asks_for_a_reason(editor_client, clause, award):
    for url in (clause_url(clause), award_url(award), "/admin/measures/measure/add/", "/admin/measures/policy/add/"):
        response = editor_client.get(url)
        assertContains(response, "变更说明")
        assertContains(response, 'name="change_reason"')


def test_an_edit_with_a_reason_is_recorded_with_the_reason_and_the_editor(editor_client, editor, clause):
    response = edit(editor_client, clause, text=NEW_TEXT)

    assert response.status_code == 302
    latest = clause.history.latest()
    assert latest.text == NEW_TEXT
    assert latest.history_change_reason == "把500万元改为600万元（据正式文件）"
    assert latest.history_user == editor
    assert latest.history_type == "~"


def test_an_edit_without_a_reason_is_refused_in_chinese_and_nothing_is_saved(editor_client, clause):
    versions = clause.history.count()

    response = edit(editor_client, clause, reason="   ", text=NEW_TEXT)

    assert response.status_code == 200
    assertContains(response, REASON_REQUIRED)
    assert REASON_REQUIRED == "请填写变更说明：这次修改了什么、为什么"
    # What the editor typed is still on the form.
    assert form_data(response, "clause")["text"] == NEW_TEXT
    clause.refresh_from_db()
    assert clause.text == OLD_TEXT
    assert clause.history.count() == versions


def test_a_new_measure_without_a_reason_is_refused(editor_client, small_policy):
    data = form_data(editor_client.get("/admin/measures/measure/add/"), "measure")
    data.update(policy=small_policy.pk, pillar=small_policy.pillars.get(number=2).pk, number="4", title="第四条")
    data["change_reason"] = ""

    response = editor_client.post("/admin/measures/measure/add/", data)

    assertContains(response, REASON_REQUIRED)
    assert not small_policy.measures.filter(number=4).exists()


def test_a_reason_longer_than_a_hundred_characters_is_refused(editor_client, clause):
    response = edit(editor_client, clause, reason="改" * 101, text=NEW_TEXT)

    assertContains(response, "变更说明最多100个字（现在101个）。")
    clause.refresh_from_db()
    assert clause.text == OLD_TEXT


def test_an_award_edited_in_the_clause_page_inline_carries_the_pages_reason(editor_client, editor, award):
    clause = award.clause
    data = form_data(editor_client.get(clause_url(clause)), "clause")
    data["awards-0-amount_yuan"] = "300"
    data["change_reason"] = "金额按正式文件更正"

    assert editor_client.post(clause_url(clause), data).status_code == 302

    latest = award.history.latest()
    assert latest.amount_yuan == 3_000_000
    assert (latest.history_change_reason, latest.history_user) == ("金额按正式文件更正", editor)
    # The clause itself was not changed: no new version of it.
    assert clause.history.latest().history_type == "+"


def test_a_clause_added_in_the_measure_page_inline_carries_the_pages_reason(editor_client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=2)
    data = form_data(editor_client.get(measure_url(measure)), "measure")
    data["clauses-TOTAL_FORMS"] = "1"
    data.update(
        {
            "clauses-0-id": "",
            "clauses-0-measure": "",
            "clauses-0-position": "1",
            "clauses-0-text": "平台建设的第一段。",
            "clauses-0-provenance": Clause.Provenance.POLICY_TEXT,
            "clauses-0-source_url": "https://example.org/2",
            "clauses-0-is_complete": "on",
        }
    )
    data["change_reason"] = "补录第2条原文"

    assert editor_client.post(measure_url(measure), data).status_code == 302

    record = measure.clauses.get().history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "补录第2条原文")


def test_loading_the_policy_file_records_its_own_reason(real_policy):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)

    record = clause.history.get()

    assert (record.history_change_reason, record.history_user) == (IMPORT_REASON, None)
    assert IMPORT_REASON == "导入政策数据文件"


def test_the_loader_overwriting_an_editors_change_with_force_says_so(editor_client, real_policy):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)
    assert edit(editor_client, clause, text="编辑改过的文字。").status_code == 302

    PolicyLoader(force=True).load_file(REAL_POLICY_FILE)

    assert clause.history.latest().history_change_reason == "按数据文件覆盖编辑修改"


# --- the history page ------------------------------------------------------------------------


def test_the_history_page_lists_the_edit_with_its_reason_editor_and_a_diff(editor_client, clause):
    edit(editor_client, clause, text=NEW_TEXT)

    html = page(editor_client, history_url(clause))

    newest = between(html, '<tr class="history-version">', "</tr>")
    assert "把500万元改为600万元（据正式文件）" in newest
    assert "editor" in newest
    assert "第2版" in newest
    # The amount is marked whole, inside the unchanged text around it.
    assert "给予每年每家最高<del>500万元</del><ins>600万元</ins>奖励" in newest
    # The version it replaced (loaded by the test, with no reason) is listed below it.
    assert html.count('<tr class="history-version">') == 2
    assert "（未填写）" in html


def test_the_history_page_shows_an_amount_change_in_wan(editor_client, award):
    edit(editor_client, award, reason="核减金额", amount_yuan="300")

    html = page(editor_client, history_url(award))

    newest = between(html, '<tr class="history-version">', "</tr>")
    assert "<strong>金额</strong>：" in newest
    assert "<del>500万元</del> → <ins>300万元</ins>" in newest


def test_the_history_page_shows_a_choice_by_its_label(editor_client, award):
    edit(editor_client, award, reason="改为定额", limit=Award.Limit.EXACT)

    newest = between(page(editor_client, history_url(award)), '<tr class="history-version">', "</tr>")

    assert "<del>最高限额</del> → <ins>定额</ins>" in newest


def test_a_measure_moved_to_another_pillar_shows_the_pillars_by_name(editor_client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=2)
    edit(editor_client, measure, reason="调整所属方面", pillar=str(small_policy.pillars.get(number=2).pk))

    newest = between(page(editor_client, history_url(measure)), '<tr class="history-version">', "</tr>")

    assert "<del>1 第一方面</del> → <ins>2 第二方面</ins>" in newest


def test_html_in_a_clause_text_is_escaped_in_the_diff(editor_client, clause):
    edit(editor_client, clause, text=OLD_TEXT + "<script>alert(1)</script>")

    html = page(editor_client, history_url(clause))

    assert "<script>alert(1)</script>" not in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html


def test_the_history_page_of_a_row_that_is_no_id_is_a_404(editor_client, clause):
    assert editor_client.get("/admin/measures/clause/abc/history/").status_code == 404
    assert editor_client.get(f"/admin/measures/clause/{clause.pk}/history/abc/").status_code == 404
    assert editor_client.get(f"/admin/measures/clause/{clause.pk}/history/999999/").status_code == 404


# --- restoring -------------------------------------------------------------------------------


def test_the_restore_page_offers_the_old_text_and_a_prefilled_reason(editor_client, clause):
    first = clause.history.get()
    edit(editor_client, clause, text=NEW_TEXT)

    response = editor_client.get(restore_url(clause, first))

    data = form_data(response, "historicalclause")
    assert data["text"] == OLD_TEXT
    assert data["change_reason"].startswith("恢复到 ")
    assert data["change_reason"].endswith(" 的版本")
    assertContains(response, "恢复此版本")


def test_restoring_an_older_version_saves_it_as_a_new_version(editor_client, editor, clause):
    first = clause.history.get()
    edit(editor_client, clause, text=NEW_TEXT)
    clause.refresh_from_db()
    assert clause.version == 2
    before = list(clause.history.order_by("history_id").values("history_id", "text", "history_change_reason"))
    data = form_data(editor_client.get(restore_url(clause, first)), "historicalclause")
    data["change_reason"] = "恢复原文：600万元有误"

    response = editor_client.post(restore_url(clause, first), data)

    assert response.status_code == 302
    assert response["Location"] == history_url(clause)
    clause.refresh_from_db()
    assert clause.text == OLD_TEXT
    assert (clause.version, clause.updated_by) == (3, editor)
    assert clause.history.count() == len(before) + 1
    latest = clause.history.latest()
    assert (latest.text, latest.history_change_reason, latest.history_user) == (
        OLD_TEXT,
        "恢复原文：600万元有误",
        editor,
    )
    # The versions before it are untouched.
    assert list(clause.history.exclude(pk=latest.pk).order_by("history_id").values(*before[0])) == before
    html = page(editor_client, history_url(clause))
    assert "给予每年每家最高<del>600万元</del><ins>500万元</ins>奖励" in html
    assert "恢复原文：600万元有误" in html


def test_restoring_without_a_reason_is_refused_and_nothing_changes(editor_client, clause):
    first = clause.history.get()
    edit(editor_client, clause, text=NEW_TEXT)
    data = form_data(editor_client.get(restore_url(clause, first)), "historicalclause")
    data["change_reason"] = ""

    response = editor_client.post(restore_url(clause, first), data)

    assertContains(response, REASON_REQUIRED)
    clause.refresh_from_db()
    assert clause.text == NEW_TEXT
    assert clause.history.count() == 2


def test_an_editor_sees_the_history_with_restore_links_but_not_on_the_current_version(editor_client, editor, clause):
    assert not editor.is_superuser
    first = clause.history.get()
    edit(editor_client, clause, text=NEW_TEXT)

    html = page(editor_client, history_url(clause))

    newest = between(html, '<tr class="history-version">', "</tr>")
    assert "当前版本" in newest
    assert "恢复此版本" not in newest
    assert f'href="{restore_url(clause, first)}"' in html
    # The editor's name is shown, not linked to the user pages editors may not open.
    assert "/admin/auth/user/" not in html


def test_an_award_restored_to_its_old_amount_shows_it_in_wan_again(editor_client, editor, award):
    first = award.history.get()
    edit(editor_client, award, reason="核减金额", amount_yuan="300")
    response = editor_client.get(restore_url(award, first))
    data = form_data(response, "historicalaward")
    assert data["amount_yuan"] == "500"

    assert editor_client.post(restore_url(award, first), data).status_code == 302

    award.refresh_from_db()
    assert (award.amount_yuan, award.updated_by) == (5_000_000, editor)
    assert award.history.latest().history_change_reason == data["change_reason"]


def test_a_user_without_permission_cannot_see_the_history(client, django_user_model, clause):
    visitor = django_user_model.objects.create_user("visitor", password="visitor-password-1", is_staff=True)
    client.force_login(visitor)

    assert client.get(history_url(clause)).status_code == 403
    assertNotContains(client.get("/admin/"), "/admin/measures/clause/")


def test_a_user_who_may_only_view_clauses_sees_an_old_version_but_cannot_restore_it(client, django_user_model, clause):
    reader = django_user_model.objects.create_user("reader", password="reader-password-1", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_clause"))
    client.force_login(reader)
    first = clause.history.get()
    clause.text = NEW_TEXT
    clause._change_reason = "测试"
    clause.save()

    response = client.get(restore_url(clause, first))
    assertNotContains(response, "恢复此版本")
    data = form_data(response, "historicalclause")
    data["change_reason"] = "偷偷恢复"

    assert client.post(restore_url(clause, first), data).status_code == 403
    clause.refresh_from_db()
    assert clause.text == NEW_TEXT
