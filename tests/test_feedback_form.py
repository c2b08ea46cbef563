"""报告问题 and 我要提问 (measures/public/feedback/): the links on a measure page, the form, the reference
number, the confirmation mail, the honeypot, the per-client limit, hostile input, and /feedback/'s figures."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from measures.domain.feedback import MAX_TEXT_LENGTH, Feedback
from measures.domain.models import Award, Clause
from tests.html import page

MEASURE_3 = "/policies/kjcx-2025/measures/3/"
ADDRESS = "visitor@example.cn"


def place(**extra):
    return {"policy": "kjcx-2025", "measure": "3", **extra}


def send(client, text="第2段的金额似乎写错了", email=ADDRESS, kind="report", **extra):
    data = {**place(), "kind": kind, "text": text, "email": email, "website": "", **extra}
    return client.post("/feedback/new/", data, **{k: v for k, v in extra.items() if k.isupper()})


def test_a_measure_page_links_to_the_forms_for_the_measure_each_clause_and_each_award(client, real_policy):
    html = page(client, MEASURE_3)
    assert '/feedback/new/?kind=report&amp;policy=kjcx-2025&amp;measure=3"' in html
    assert '/feedback/new/?kind=question&amp;policy=kjcx-2025&amp;measure=3"' in html
    for clause in Clause.objects.published().filter(measure__number=3, measure__policy=real_policy):
        assert f'measure=3&amp;clause={clause.position}"' in html
    for award in Award.objects.published().filter(clause__measure__number=3, clause__measure__policy=real_policy):
        assert f'clause={award.clause.position}&amp;award={award.pk}"' in html


def test_the_form_says_where_it_was_opened_and_what_happens_to_the_address(client, real_policy):
    award = Award.objects.published().filter(clause__measure__number=3).select_related("clause").first()
    html = page(client, f"/feedback/new/?kind=report&policy=kjcx-2025&measure=3&award={award.pk}")
    assert "第3条" in html and f"第{award.clause.position}段" in html and award.display_text in html
    assert f'name="clause" value="{award.clause.position}"' in html
    assert "只用于答复您，不会公开" in html and "180天后自动删除" in html
    assert 'name="website"' in html  # the honeypot


@pytest.mark.parametrize(
    "query",
    ["", "policy=kjcx-2025&measure=99", "policy=kjcx-2025&measure=3&clause=99", "policy=kjcx-2025&measure=3&award=x"],
)
def test_a_link_naming_nothing_public_is_a_404_saying_so(client, real_policy, query):
    html = page(client, f"/feedback/new/?{query}", status=404)
    assert "措施页面" in html


def test_a_report_is_kept_with_its_place_a_reference_and_a_due_date_and_confirmed_by_mail(
    client, real_policy, mailoutbox, settings
):
    clause = Clause.objects.published().filter(measure__number=3, measure__policy=real_policy).last()
    response = send(client, clause=str(clause.position))
    item = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feedback/received/{item.reference}/"
    assert item.reference == f"FK-{timezone.localdate().year}-{item.pk:06d}"
    assert (item.kind, item.measure.number, item.clause, item.award) == ("report", 3, clause, None)
    assert item.concerns.startswith("《若干措施》第3条") and f"第{clause.position}段" in item.concerns
    assert item.due_on == timezone.localdate() + datetime.timedelta(days=settings.FEEDBACK_DUE_DAYS)
    assert item.state == Feedback.State.NEW and item.email == ADDRESS
    html = page(client, response["Location"])
    assert item.reference in html and ADDRESS not in html
    [message] = mailoutbox
    assert message.to == [ADDRESS] and item.reference in message.subject
    assert item.reference in message.body and "第2段的金额似乎写错了" not in message.body  # never the text


def test_a_question_without_an_address_sends_no_mail(client, real_policy, mailoutbox):
    assert send(client, "这一条适用于省级实验室吗？", email="", kind="question").status_code == 302
    item = Feedback.objects.get()
    assert (item.kind, item.email) == ("question", "")
    assert item.question_text == "这一条适用于省级实验室吗？" and item.measure.number == 3
    assert mailoutbox == []


def test_a_filled_honeypot_keeps_nothing_and_looks_the_same(client, real_policy, mailoutbox):
    response = send(client, website="http://spam.example")
    assert response.status_code == 302 and "/feedback/received/" in response["Location"]
    assert Feedback.objects.count() == 0 and mailoutbox == []
    assert "已收到您的留言" in page(client, response["Location"])


def test_the_form_keeps_its_csrf_protection(real_policy):
    assert send(Client(enforce_csrf_checks=True)).status_code == 403
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "请写下您发现的问题"),
        ({"text": "金额\x00有误"}, "控制字符"),
        ({"text": "长" * (MAX_TEXT_LENGTH + 1)}, "内容太长：最多2000个字"),
        ({"text": "x" * 1_000_000}, "内容太长"),
        ({"email": "a@example.cn\r\nBcc: victim@example.org"}, "邮箱地址的格式不对"),
        ({"email": "a@example.cn\x00"}, "控制字符"),
        ({"kind": "<script>"}, "请选择“纠错”或“提问”"),
    ],
)
def test_bad_input_is_a_400_saying_what_is_wrong_and_nothing_is_kept(client, real_policy, mailoutbox, fields, message):
    response = send(client, **fields)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert 'class="form-errors"' in html and "#id_" in html  # the summary links to the field
    assert "kind" in fields or 'aria-invalid="true"' in html
    assert Feedback.objects.count() == 0 and mailoutbox == []
    assert "x" * 100_000 not in html  # a megabyte is not echoed


def test_a_script_in_the_text_is_shown_back_escaped(client, real_policy):
    response = send(client, text="<script>alert(1)</script>", email="bad")
    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_one_client_sending_too_often_gets_a_429_and_another_client_does_not(client, real_policy, settings):
    settings.FEEDBACK_RATE_LIMIT = (2, 3600)
    assert send(client).status_code == 302
    assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "提交过于频繁" in response.content.decode()
    assert Feedback.objects.count() == 2
    assert send(client, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_an_unknown_reference_is_a_404(client, real_policy):
    page(client, "/feedback/received/FK-2026-999999/", status=404)


def test_the_figures_count_the_last_twelve_months_and_show_no_message(client, real_policy):
    now = timezone.now()
    for days_ago, state, answer_days in [
        (3, "answered", 2),
        (5, "answered", 4),
        (10, "new", None),
        (500, "answered", 1),
    ]:
        received = now - datetime.timedelta(days=days_ago)
        item = Feedback.receive(kind="question", text="秘密内容", email=ADDRESS, concerns="第3条", received_at=received)
        if state == "answered":
            Feedback.objects.filter(pk=item.pk).update(
                state=state, answer="答复", answered_at=received + datetime.timedelta(days=answer_days)
            )
    html = page(client, "/feedback/")
    total = html[html.index("feedback-figures__total") :]
    assert "<dd>3</dd>" in total.split("</dl>")[0]  # the one of 500 days ago is out
    assert "3.0天" in html  # the median of 2 and 4 days
    assert "秘密内容" not in html and ADDRESS not in html and "7天内答复" in html


def test_the_figures_page_is_in_the_footer_and_the_sitemap(client, real_policy):
    assert 'href="/feedback/"' in page(client, "/")
    assert "/feedback/</loc>" in page(client, "/sitemap.xml")


def test_the_question_link_opens_the_form_with_a_question_chosen(client, real_policy):
    html = page(client, "/feedback/new/?kind=question&policy=kjcx-2025&measure=3")
    assert 'value="question" checked' in html and 'value="report" checked' not in html


def test_a_confirmation_that_cannot_be_sent_keeps_the_message_and_logs_nothing_personal(
    client, real_policy, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    response = send(client, text="金额<script>有误</script>")
    item = Feedback.objects.get()
    assert response.status_code == 302 and item.reference in response["Location"]
    assert item.reference in caplog.text and ADDRESS not in caplog.text and "script" not in caplog.text


def test_the_form_and_the_figures_need_a_fixed_number_of_queries(client, real_policy, django_assert_max_num_queries):
    award = Award.objects.published().filter(clause__measure__number=3).first()
    with django_assert_max_num_queries(4):
        page(client, f"/feedback/new/?kind=report&policy=kjcx-2025&measure=3&award={award.pk}")
    for _ in range(30):
        Feedback.receive(kind="report", text="有误", concerns="第3条")
    with django_assert_max_num_queries(2):
        page(client, "/feedback/")
