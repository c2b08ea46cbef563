"""The editors' queue of 纠错 and 提问 (measures/editing/feedback_admin.py): the list and its filters,
taking, answering (one mail) and refusing with a reason, the history without the address, the start
page's overdue and new messages, and the purge of addresses by send_notifications."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from measures.domain.feedback import Feedback, purge_addresses
from measures.domain.models import Measure
from measures.domain.public_history import PublicChange
from measures.domain.questions import QuestionAnswer
from tests.admin_forms import form_data

ADDRESS = "visitor@example.cn"


def receive(days_ago=0, email=ADDRESS, text="第1段的金额似乎写错了", **extra):
    measure = Measure.objects.get(policy__slug="kjcx-2025", number=3)
    return Feedback.receive(
        kind=extra.pop("kind", "report"),
        text=text,
        email=email,
        policy=measure.policy,
        measure=measure,
        concerns="《若干措施》第3条 拓展科技交流合作平台",
        received_at=timezone.now() - datetime.timedelta(days=days_ago),
        **extra,
    )


def change_url(item):
    return f"/admin/measures/feedback/{item.pk}/change/"


def post_change(client, item, **changes):
    data = form_data(client.get(change_url(item)), "feedback")
    data.pop("change_reason", None)
    data.update(changes)
    return client.post(change_url(item), data)


def test_the_queue_lists_state_kind_place_age_due_date_and_flags_the_overdue(editor_client, real_policy):
    late = receive(days_ago=10)
    fresh = receive(text="<script>alert(1)</script>", kind="question")
    html = editor_client.get("/admin/measures/feedback/").content.decode()
    assert late.reference in html and fresh.reference in html
    assert "新收到" in html and "纠错" in html and "提问" in html and "第3条" in html
    assert "10天" in html and "icon-yes.svg" in html  # the late one is overdue
    overdue = editor_client.get("/admin/measures/feedback/?overdue=yes").content.decode()
    assert late.reference in overdue and fresh.reference not in overdue
    detail = editor_client.get(change_url(fresh)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail and "<script>alert(1)" not in detail
    assert ADDRESS in detail  # editors see the address here, and only here


def test_taking_a_message_records_the_handler_and_the_state_change_in_the_history(editor_client, editor, real_policy):
    item = receive()
    response = post_change(editor_client, item, state="in_progress")
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.handler) == ("in_progress", editor)
    record = item.history.first()
    assert record.history_change_reason.startswith("状态：新收到 → 处理中")
    assert not hasattr(record, "email")  # the history never keeps the address


def test_answering_mails_the_visitor_once_with_the_answer_and_the_change(editor_client, real_policy, mailoutbox):
    item = receive()
    change = PublicChange.objects.filter(measure_id=item.measure_id).first()
    key = f"{change.subject}-{change.history_id}"
    response = post_change(editor_client, item, state="answered", answer="已更正为300万元。", change_key=key)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "answered" and item.answered_at and item.closed_at and item.answer_mailed_at
    assert item.change_on == timezone.localdate(change.date)
    [message] = mailoutbox
    assert message.to == [ADDRESS] and item.reference in message.subject
    assert "已更正为300万元。" in message.body
    assert f"/policies/kjcx-2025/measures/3/history/#change-{key}" in message.body
    assert post_change(editor_client, item, handler="").status_code == 302
    assert len(mailoutbox) == 1  # saved again: not mailed twice


def test_an_answer_needs_its_text_and_a_refusal_its_reason(editor_client, real_policy, mailoutbox):
    item = receive()
    html = post_change(editor_client, item, state="answered", answer="").content.decode()
    assert "设为“已答复”时请填写答复内容。" in html
    html = post_change(editor_client, item, state="refused", refusal_reason=" ").content.decode()
    assert "设为“不予处理”时请填写理由。" in html
    item.refresh_from_db()
    assert item.state == "new" and mailoutbox == []
    assert post_change(editor_client, item, state="refused", refusal_reason="与本政策无关").status_code == 302
    item.refresh_from_db()
    assert item.state == "refused" and item.closed_at and mailoutbox == []


def test_editors_may_not_add_or_delete_messages(editor_client, real_policy):
    item = receive()
    assert editor_client.get("/admin/measures/feedback/add/").status_code == 403
    assert editor_client.get(f"/admin/measures/feedback/{item.pk}/delete/").status_code == 403


def test_the_start_page_shows_overdue_and_new_messages(editor_client, real_policy):
    late = receive(days_ago=10)
    Feedback.objects.filter(pk=late.pk).update(state="in_progress")
    fresh = receive()
    html = editor_client.get("/admin/").content.decode()
    overdue = html[html.index('id="start-feedback-overdue"') : html.index('id="start-feedback-new"')]
    new = html[html.index('id="start-feedback-new"') : html.index('id="start-mine"')]
    assert late.reference in overdue and fresh.reference not in overdue
    assert fresh.reference in new and late.reference not in new


@pytest.mark.parametrize(("closed_days_ago", "erased"), [(181, True), (179, False), (None, False)])
def test_addresses_are_erased_a_while_after_the_message_is_closed(real_policy, closed_days_ago, erased):
    item = receive(days_ago=200)
    if closed_days_ago is not None:
        closed = timezone.now() - datetime.timedelta(days=closed_days_ago)
        Feedback.objects.filter(pk=item.pk).update(
            state="answered", answer="答复", answered_at=closed, closed_at=closed
        )
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    item.refresh_from_db()
    assert (item.email == "") is erased
    assert f"{int(erased)} feedback addresses erased." in out.getvalue()
    assert purge_addresses() == 0


def test_messages_and_their_addresses_stay_out_of_backups(real_policy):
    receive()
    out = io.StringIO()
    call_command("export_content", stdout=out)
    models = {row["model"] for row in json.loads(out.getvalue())["objects"]}
    assert "measures.feedback" not in models and "measures.historicalfeedback" not in models
    assert ADDRESS not in out.getvalue()


def test_the_history_of_a_message_has_its_reference_from_the_start(real_policy):
    item = receive()
    assert [record.reference for record in item.history.all()] == [item.reference]


def test_a_nul_in_the_queue_s_search_is_a_400(editor_client, real_policy):
    assert editor_client.get("/admin/measures/feedback/?q=a%00b").status_code == 400
    assert editor_client.get("/admin/measures/feedback/?q=FK").status_code == 200


def test_through_a_real_mail_server_the_answer_adds_no_header_and_goes_to_the_visitor_only(
    editor_client, real_policy, mail_through_smtp
):
    item = receive(text="Subject: 中奖\r\nBcc: many@example.org\r\n\r\n<script>x</script>")
    answer = "已核对。\r\nBcc: other@example.org\r\n<b>谢谢</b>"
    assert post_change(editor_client, item, state="answered", answer=answer).status_code == 302
    assert mail_through_smtp.wait_for(1)
    [(message, recipients)] = mail_through_smtp.messages
    assert recipients == [ADDRESS]
    assert message["Bcc"] is None and item.reference in message["Subject"] and "中奖" not in message["Subject"]
    body = message.get_content()
    assert "Bcc: other@example.org" in body and "<b>谢谢</b>" in body  # plain text, as written
    assert "<script>" not in body  # the visitor's own text is never mailed


def test_an_answer_that_cannot_be_mailed_is_kept_and_mailed_on_the_next_save(
    editor_client, real_policy, settings, mailoutbox, caplog
):
    item = receive()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    html = editor_client.post(
        change_url(item),
        {**form_data(editor_client.get(change_url(item)), "feedback"), "state": "answered", "answer": "已更正。"},
        follow=True,
    )
    assert "邮件暂时无法发送" in html.content.decode()
    item.refresh_from_db()
    assert item.state == "answered" and item.answer_mailed_at is None
    assert ADDRESS not in caplog.text and "金额" not in caplog.text and item.reference in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert post_change(editor_client, item).status_code == 302
    assert len(mailoutbox) == 1 and "已更正。" in mailoutbox[0].body


def test_the_answer_mail_is_in_the_visitor_s_language(editor_client, real_policy, mailoutbox):
    item = receive(language="en")
    assert post_change(editor_client, item, state="answered", answer="已更正。").status_code == 302
    [message] = mailoutbox
    assert "The answer to your message" in message.subject and "has been answered" in message.body


def test_no_public_answer_shows_an_address(client, real_policy):
    receive()
    for url in ("/policies/kjcx-2025/measures/3/", "/feedback/", "/api/v1/measures/", "/downloads/clauses.json"):
        response = client.get(url)
        assert response.status_code == 200 and ADDRESS.encode() not in response.content, url


def test_a_message_becomes_a_draft_question_prefilled_with_its_words_and_no_address(editor_client, real_policy):
    item = receive(kind="question", text="省级重点实验室能否申报第3条的奖励？")
    post_change(editor_client, item, state="answered", answer="第3条不涉及省级重点实验室。")
    detail = editor_client.get(change_url(item)).content.decode()
    link = f"/admin/measures/questionanswer/add/?from_feedback={item.pk}"
    assert f'<a href="{link}">发布为问答</a>' in detail
    form = editor_client.get(link)
    html = form.content.decode()
    assert "省级重点实验室能否申报第3条的奖励？" in html and "第3条不涉及省级重点实验室。" in html
    assert ADDRESS not in html
    data = form_data(form, "questionanswer")
    assert data["measure"] == str(item.measure_id)
    data.update(question="省级重点实验室能否申报？", change_reason="由访客提问整理")
    assert editor_client.post("/admin/measures/questionanswer/add/", data).status_code == 302
    question = QuestionAnswer.objects.get(measure=item.measure)
    assert (question.question, question.answer, question.status) == (
        "省级重点实验室能否申报？",
        "第3条不涉及省级重点实验室。",
        "draft",  # a reviewer publishes it
    )
