"""发布所选草稿 shows what will change and asks first; the public record keeps the draft's reason and the
publisher's words."""

import pytest
from django.contrib.auth.models import Permission, User

from measures.domain.models import Award, Clause
from measures.domain.public_history import PublicChange
from measures.editing.publishing import start_draft_of_change
from tests.admin_forms import clause_url, form_data, publish_in_admin
from tests.html import between, page

HISTORY = "/policies/kjcx-2025/measures/3/history/"


@pytest.fixture
def clause(real_policy):
    return Clause.objects.get(measure__policy=real_policy, measure__number=3, position=1)


@pytest.fixture
def draft(clause, editor, editor_client):
    """A draft of measure 3's first clause, saved in the admin with a reason: its 100万元 award raised to
    120万元 and a sentence added to its text."""
    draft = start_draft_of_change(clause, editor)
    data = form_data(editor_client.get(clause_url(draft)), "clause")
    (prefix,) = [
        name[: -len("-amount_yuan")] for name, value in data.items() if name.endswith("amount_yuan") and value == "100"
    ]
    data[f"{prefix}-amount_yuan"] = "120"
    data["text"] = data["text"] + "新增一句说明。"
    data["change_reason"] = "上限提高到120万元"
    assert editor_client.post(clause_url(draft), data).status_code == 302
    return Clause.objects.get(pk=draft.pk)


def ask(client, draft):
    return client.post("/admin/measures/clause/", {"action": "publish_selected_drafts", "_selected_action": [draft.pk]})


def test_the_action_shows_the_changes_and_publishes_nothing_yet(reviewer_client, clause, draft):
    response = ask(reviewer_client, draft)

    html = response.content.decode()
    assert response.status_code == 200 and 'id="publish_form"' in html
    rows = between(html, "publish-draft__rows", "</table>")
    assert "<ins>新增一句说明。</ins>" in rows
    assert "<del>100万元</del> → <ins>120万元</ins>" in rows
    assert "上限提高到120万元" in between(html, "publish-draft__reason", "</p>")
    assert f'href="/preview/clauses/{draft.pk}/"' in html
    assert Award.objects.get(clause=clause, position=2).amount_yuan == 1_000_000
    assert Clause.objects.filter(pk=draft.pk).exists()


def test_confirming_publishes_with_the_drafts_reason_and_the_publishers_words(client, reviewer_client, clause, draft):
    response = publish_in_admin(reviewer_client, "clause", draft, reason="经局务会审定")

    assert "已发布：“第3条第1段”的修改" in response.content.decode()
    award = Award.objects.get(clause=clause, position=2)
    assert award.amount_yuan == 1_200_000
    reason = "上限提高到120万元；经局务会审定"
    assert set(
        PublicChange.objects.filter(measure_id=clause.measure_id, reason=reason).values_list("subject", flat=True)
    ) == {
        "clause",
        "award",
    }
    client.logout()
    history = page(client, HISTORY)
    assert history.count(reason) == 2
    assert "发布修改草稿" not in history


def test_without_any_reason_the_publisher_is_asked_for_one(editor, reviewer_client, clause):
    draft = start_draft_of_change(clause, editor)  # never saved since: no reason of its own
    draft.text += "补充。"
    draft.save()

    response = publish_in_admin(reviewer_client, "clause", draft)

    assert "没有变更说明：请填写发布说明" in response.content.decode()
    assert Clause.objects.filter(pk=draft.pk).exists()
    assert not Clause.objects.get(pk=clause.pk).text.endswith("补充。")


def test_publishers_words_that_would_overflow_the_reason_are_refused(reviewer_client, clause, draft):
    response = publish_in_admin(reviewer_client, "clause", draft, reason="很" * 95)

    assert "这里最多还能写" in response.content.decode()
    assert Clause.objects.filter(pk=draft.pk).exists()


def test_a_user_without_change_permission_has_no_publish_action(client, clause, draft):
    viewer = User.objects.create_user("viewer", password="viewer-password-1", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_clause"))
    client.force_login(viewer)

    response = client.post(
        "/admin/measures/clause/", {"action": "publish_selected_drafts", "_selected_action": [draft.pk]}, follow=True
    )

    assert Clause.objects.filter(pk=draft.pk).exists()
    assert 'id="publish_form"' not in response.content.decode()
