"""Reminders through a real SMTP server on 127.0.0.1, read back as a mail client would, and two
`send_reminders` processes started at once on the same subscriptions: each reminder reaches each
subscriber once (on PostgreSQL side by side, SKIP LOCKED; on SQLite in turns, the write lock)."""

import collections
import datetime
import re

import pytest

from measures.domain.eligibility import ApplicationInfo, WindowKind
from measures.domain.models import Measure
from measures.domain.subscriptions import Reminder
from measures.public.alerts.reminders import send_reminders
from tests.sender_processes import database_url, sender

SITE = "https://policy.example.cn"
OPENS, CLOSES = datetime.date(2027, 3, 1), datetime.date(2027, 3, 31)
SUBSCRIBERS = 6
SLOW = 0.1  # each MAIL FROM answered after this long, so that the two senders overlap


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def measure_with_window(policy) -> Measure:
    measure = Measure.objects.get(policy=policy, number=3)
    info = ApplicationInfo(measure=measure, window_kind=WindowKind.DATES, window_opens=OPENS, window_closes=CLOSES)
    info._change_reason = "录入申报时间"
    info.save()
    return measure


def test_a_reminder_arrives_with_its_one_click_unsubscribe_which_stops_the_next(
    client, real_policy, follower, mail_through_smtp
):
    inbox = mail_through_smtp
    subscription = follower(measure_with_window(real_policy))
    subscription.reminders = True
    subscription.save()
    assert send_reminders(today=CLOSES - datetime.timedelta(days=14)).mails == 1
    assert inbox.wait_for(1)
    message, recipients = inbox.messages[0]
    assert recipients == ["wang@example.cn"]
    subject = "【厦门科技创新政策库】申报提醒：《若干措施》第3条 拓展科技交流合作平台 14天后截止"
    assert message["Subject"].strip() == subject
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "申报时间：2027-03-01 — 2027-03-31" in body
    assert "申报时间以主管部门发布的申报通知为准。" in body
    assert all(url.startswith(SITE) for url in re.findall(r"https?://\S+", body))
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'href="{SITE}/policies/kjcx-2025/measures/3/"' in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(message["List-Unsubscribe"]).strip()
    unsubscribe = re.fullmatch(rf"<{re.escape(SITE)}(/follow/unsubscribe/\S+/)>", header)
    response = client.post(
        unsubscribe.group(1), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert send_reminders(today=CLOSES - datetime.timedelta(days=3)).mails == 0
    assert len(inbox.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_two_reminder_senders_at_once_mail_each_reminder_to_each_subscriber_once(
    real_policy, follower, smtp_server, tmp_path
):
    measure = measure_with_window(real_policy)
    emails = [f"reader{n}@example.cn" for n in range(SUBSCRIBERS)]
    for address in emails:
        subscription = follower(measure, email=address)
        subscription.reminders = True
        subscription.save()
    database = database_url(tmp_path)
    port_a, inbox = smtp_server(before_mail=lambda n: SLOW)
    port_b, _ = smtp_server(inbox=inbox, before_mail=lambda n: SLOW)
    today = ["send_reminders", "--today", OPENS.isoformat()]
    senders = [sender(database, port_a, *today), sender(database, port_b, *today)]
    for process in senders:
        _out, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    received = collections.Counter(address for _message, recipients in inbox.messages for address in recipients)
    assert received == dict.fromkeys(emails, 1)
    if database.startswith("postgres"):
        assert Reminder.objects.filter(occasion=Reminder.Occasion.OPENS).count() == SUBSCRIBERS
