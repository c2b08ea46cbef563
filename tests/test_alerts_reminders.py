"""申报提醒 (measures/public/alerts/reminders.py, `manage.py send_reminders`): a follower who asked is mailed
when a followed window opens and 14 and 3 days before it closes, each once; every follower of a policy or
its measures once when the policy enters its last six months. "Today" is the sender's parameter: no clock
is waited on. The windows are this module's own: no source gives the real policy any."""

import datetime
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from measures.domain.eligibility import ApplicationInfo, WindowKind
from measures.domain.models import Award, Measure, PublicationStatus, months_before
from measures.domain.subscriptions import Reminder, Subscription
from measures.public.alerts import reminders
from measures.public.alerts.reminders import send_reminders
from measures.public.alerts.sender import SendingFailed

SITE = "https://policy.example.cn"
day = datetime.date.fromisoformat
OPENS, CLOSES = day("2027-03-01"), day("2027-03-31")
# The real policy (issued 2025-02-17, three years) is in force to 2028-02-16: its last six months start here.
LAST_SIX_MONTHS = day("2027-08-17")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def window(owner, opens=OPENS, closes=CLOSES):
    """A window 按申报时间段 of a measure or an award, as an editor records it."""
    target = {"measure": owner} if isinstance(owner, Measure) else {"award": owner}
    info = ApplicationInfo(window_kind=WindowKind.DATES, window_opens=opens, window_closes=closes, **target)
    info._change_reason = "录入申报时间"
    info.save()
    return info


def asking(subscription, reminders=True):
    subscription.reminders = reminders
    subscription.save(update_fields=["reminders"])
    return subscription


@pytest.fixture
def measure_3(real_policy):
    return Measure.objects.get(policy=real_policy, number=3)


def run(on: str) -> int:
    return send_reminders(today=day(on)).mails


# --- when ---------------------------------------------------------------------------------------


def test_a_follower_who_asked_is_mailed_when_the_window_opens_and_14_and_3_days_before_it_closes(
    measure_3, follower, mailoutbox
):
    window(measure_3)
    asking(follower(measure_3))
    days = ["2027-02-28", "2027-03-01", "2027-03-02", "2027-03-16", "2027-03-17", "2027-03-18", "2027-03-28"]
    days += ["2027-03-29", "2027-03-31", "2027-04-01"]
    mailed = {on: run(on) for on in days}
    assert [on for on, mails in mailed.items() if mails] == ["2027-03-01", "2027-03-17", "2027-03-28"]
    opened, fourteen, three = (message.body for message in mailoutbox)
    assert "已开始申报" in opened and "申报时间：2027-03-01 — 2027-03-31" in opened
    assert "14天后截止" in fourteen and "3天后截止" in three
    assert "《若干措施》第3条 拓展科技交流合作平台" in three
    assert f"{SITE}/policies/kjcx-2025/measures/3/" in three
    assert mailoutbox[2].subject == "【厦门科技创新政策库】申报提醒：《若干措施》第3条 拓展科技交流合作平台 3天后截止"
    assert Reminder.objects.count() == 3


def test_a_follower_who_did_not_ask_gets_no_reminder(measure_3, follower, mailoutbox):
    window(measure_3)
    follower(measure_3)
    assert run("2027-03-01") == 0 and run("2027-03-28") == 0
    assert mailoutbox == []


def test_a_late_run_sends_the_reminder_due_with_the_days_really_left_and_a_moved_deadline_is_new(
    measure_3, follower, mailoutbox
):
    info = window(measure_3, opens=None)
    asking(follower(measure_3))
    assert run("2027-03-20") == 1  # the sender was down on the 17th
    assert "11天后截止" in mailoutbox[-1].body
    assert run("2027-03-21") == 0
    info.window_closes, info._change_reason = day("2027-04-30"), "延期"
    info.save()
    assert run("2027-04-16") == 1
    assert "14天后截止" in mailoutbox[-1].body and "2027-04-30" in mailoutbox[-1].body


def test_a_window_opening_and_closing_soon_is_one_mail(measure_3, follower, mailoutbox):
    window(measure_3, opens=day("2027-03-01"), closes=day("2027-03-03"))
    asking(follower(measure_3))
    assert run("2027-03-01") == 1
    (message,) = mailoutbox
    assert "2天后截止（已开始申报）" in message.body
    assert run("2027-03-02") == 0


def test_a_window_of_a_draft_measure_or_of_an_expired_policy_is_never_reminded(measure_3, follower, mailoutbox):
    window(measure_3, opens=day("2028-03-01"), closes=day("2028-03-31"))  # after the policy's last day
    asking(follower(measure_3))
    assert run("2028-03-01") == 0
    draft = Measure.objects.get(policy=measure_3.policy, number=4)
    window(draft)
    asking(follower(draft, email="li@example.cn"))
    draft.status, draft._change_reason = PublicationStatus.DRAFT, "撤回"
    draft.save()
    assert run("2027-03-01") == 0
    assert mailoutbox == []


def test_a_reminder_says_where_to_apply_an_awards_window_taking_its_measures_entry(measure_3, follower, mailoutbox):
    # The measure names the official system; the award's own window names no entry of its own.
    info = window(measure_3, opens=day("2027-06-01"), closes=day("2027-06-30"))
    info.entry_name, info.entry_url, info.entry_online = "厦门市科技计划管理系统", "https://kjj.xm.gov.cn/apply/", True
    info._change_reason = "录入办理入口"
    info.save()
    brics = Award.objects.get(clause__measure=measure_3, amount_yuan=3_000_000)
    window(brics)
    asking(follower(measure_3))
    assert run("2027-03-01") == 1
    (message,) = mailoutbox
    assert "去办理：厦门市科技计划管理系统（网上办理） https://kjj.xm.gov.cn/apply/" in message.body
    html = message.alternatives[0][0]
    assert '<a href="https://kjj.xm.gov.cn/apply/" rel="noopener external">厦门市科技计划管理系统</a>' in html


def test_a_reminder_shows_an_entry_address_that_is_no_web_page_as_its_name_only(measure_3, follower, mailoutbox):
    info = window(measure_3)
    # What the admin refuses, as a restored backup may hold it.
    ApplicationInfo.objects.filter(pk=info.pk).update(entry_name="科技局窗口", entry_url="javascript:alert(1)")
    asking(follower(measure_3))
    assert run("2027-03-01") == 1
    (message,) = mailoutbox
    assert "去办理：科技局窗口\n" in message.body
    assert "javascript" not in message.body and "javascript" not in message.alternatives[0][0]


# --- what is followed ----------------------------------------------------------------------------


def test_a_calculator_answer_hears_of_its_awards_windows_an_awards_own_window_first(measure_3, follower, mailoutbox):
    window(measure_3)  # the measure's: its awards without a window of their own
    brics = Award.objects.get(clause__measure=measure_3, amount_yuan=3_000_000)
    window(brics, opens=day("2027-05-01"), closes=day("2027-05-31"))
    asking(follower(kind="calculator", query="kind=brics-innovation-project", email="brics@example.cn"))
    asking(follower(kind="calculator", query="kind=taiwan-cooperation-base", email="taiwan@example.cn"))
    asking(follower(kind="calculator", query="kind=tech-business-incubator", email="incubator@example.cn"))
    assert run("2027-03-01") == 1
    assert mailoutbox[-1].to == ["taiwan@example.cn"]
    assert "您关注的“政策计算器：对台科技合作与交流基地”有以下申报时间提醒" in mailoutbox[-1].body
    assert run("2027-05-01") == 1
    assert mailoutbox[-1].to == ["brics@example.cn"]
    assert "最高300万元" in mailoutbox[-1].body


def test_the_finder_filter_and_the_policy_hear_of_windows_and_a_search_is_never_offered_them(
    measure_3, follower, mailoutbox
):
    window(measure_3)
    asking(follower(kind="awards", query="min=150", email="finder@example.cn"))
    asking(follower(measure_3.policy, email="policy@example.cn"))
    asking(follower(kind="search", query="金砖", email="search@example.cn"))
    assert run("2027-03-01") == 2
    assert sorted(message.to[0] for message in mailoutbox) == ["finder@example.cn", "policy@example.cn"]


# --- the policy's last six months ------------------------------------------------------------------


def test_followers_of_a_policy_or_its_measures_are_mailed_once_as_it_enters_its_last_six_months(
    real_policy, measure_3, follower, mailoutbox
):
    follower(real_policy)
    follower(measure_3)  # the same address: one mail
    follower(Measure.objects.get(policy=real_policy, number=6), email="li@example.cn")
    follower(kind="search", query="孵化器", email="search@example.cn")
    assert run("2027-08-16") == 0
    assert run("2027-08-17") == 2
    assert sorted(message.to[0] for message in mailoutbox) == ["li@example.cn", "wang@example.cn"]
    message = mailoutbox[0]
    assert message.subject == "【厦门科技创新政策库】《若干措施》将于2028-02-17失效（有效期至2028-02-16）"
    assert "您关注的《若干措施》将于2028-02-17失效（有效期至2028-02-16" in message.body
    assert run("2027-08-18") == 0 and run("2028-02-16") == 0
    assert run("2028-02-17") == 0  # expired


def test_the_last_six_months_are_counted_from_the_day_after_the_last_day():
    assert months_before(day("2028-02-17"), 6) == LAST_SIX_MONTHS
    assert months_before(day("2027-08-31"), 6) == day("2027-02-28")
    assert months_before(day("2027-03-31"), 6) == day("2026-09-30")


# --- once -----------------------------------------------------------------------------------------


def test_a_reminder_is_recorded_under_a_unique_constraint_not_only_checked(measure_3, follower):
    subscription = follower(measure_3)
    info = window(measure_3)
    fields = {"occasion": Reminder.Occasion.OPENS, "object_id": info.pk, "day": OPENS}
    Reminder.objects.create(subscription=subscription, sent_at=datetime.datetime.now(datetime.UTC), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(subscription=subscription, sent_at=datetime.datetime.now(datetime.UTC), **fields)


def test_a_subscription_another_sender_holds_is_left_to_it(measure_3, follower, mailoutbox, monkeypatch):
    window(measure_3)
    asking(follower(measure_3))
    monkeypatch.setattr(reminders, "lock", lambda pk: None)
    assert send_reminders(today=OPENS).busy == 1
    assert mailoutbox == [] and not Reminder.objects.exists()


def test_a_mail_server_that_refuses_records_nothing_and_the_next_run_sends(
    measure_3, follower, mailoutbox, monkeypatch
):
    window(measure_3)
    asking(follower(measure_3))

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", refuse)
        with pytest.raises(SendingFailed):
            send_reminders(today=OPENS)
    assert not Reminder.objects.exists()
    assert run("2027-03-01") == 1


# --- the command -----------------------------------------------------------------------------------


def test_the_command_reminds_as_of_the_day_it_is_given_and_refuses_a_bad_one(measure_3, follower, mailoutbox):
    window(measure_3)
    asking(follower(measure_3))
    out = io.StringIO()
    call_command("send_reminders", "--today", "2027-03-01", stdout=out)
    assert out.getvalue().startswith("1 mails (1 reminders)")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "1 March", stdout=io.StringIO())


# --- asking for them ---------------------------------------------------------------------------------


def link_in(message, name):
    return re.search(rf"{re.escape(SITE)}(/follow/{name}/[^/\s]+/)", message.body).group(1)


def test_reminders_are_asked_for_at_sign_up_and_changed_on_the_confirm_and_manage_pages(
    client, real_policy, mailoutbox
):
    form = client.get("/follow/?kind=measure&policy=kjcx-2025&measure=3").content.decode()
    assert 'name="reminders"' in form and "同时接收申报提醒" in form
    client.post(
        "/follow/",
        {"kind": "measure", "policy": "kjcx-2025", "measure": "3", "email": "wang@example.cn", "frequency": "instant"}
        | {"reminders": "1"},
    )
    subscription = Subscription.objects.get()
    assert subscription.reminders
    confirm = link_in(mailoutbox[0], "confirm")
    assert 'name="reminders" value="1" checked' in client.get(confirm).content.decode()
    client.post(confirm, {"reminders-shown": "1"})  # the box unticked
    subscription.refresh_from_db()
    assert subscription.is_confirmed and not subscription.reminders
    manage = re.search(r'href="(/follow/manage/[^"]+/)"', client.get(confirm).content.decode()).group(1)
    page = client.get(manage).content.decode()
    assert f'name="reminders-{subscription.pk}"' in page
    client.post(manage, {f"reminders-shown-{subscription.pk}": "1", f"reminders-{subscription.pk}": "1"})
    subscription.refresh_from_db()
    assert subscription.reminders


def test_a_search_is_not_offered_reminders_and_cannot_sneak_them_in(client, real_policy, mailoutbox):
    assert 'name="reminders"' not in client.get("/follow/?kind=search&q=孵化器").content.decode()
    client.post(
        "/follow/", {"kind": "search", "q": "孵化器", "email": "w@example.cn", "frequency": "instant", "reminders": "1"}
    )
    assert not Subscription.objects.get().reminders


def test_a_calculator_answer_can_be_followed_from_its_page(client, real_policy, mailoutbox):
    page = client.get("/calculator/?kind=tech-business-incubator&kind=accelerator").content.decode()
    link = re.search(r'href="(/follow/\?kind=calculator[^"]+)"', page)
    assert link and "关注这些申报主体的奖补和申报时间" in page
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "政策计算器：科技型企业孵化器、加速器" in form and 'name="reminders"' in form
    response = client.post(
        "/follow/",
        {"kind": "calculator", "kinds": "tech-business-incubator,accelerator", "email": "w@example.cn"}
        | {"frequency": "instant", "reminders": "1"},
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.kind == "calculator" and subscription.reminders
    assert subscription.query == "kind=tech-business-incubator&kind=accelerator"


@pytest.mark.parametrize("kinds", ["", "no-such-kind", "tech-business-incubator,nope", "x" * 600, ",,,"])
def test_a_calculator_follow_link_naming_no_answer_is_a_clear_message(client, real_policy, kinds):
    response = client.get("/follow/", {"kind": "calculator", "kinds": kinds})
    assert response.status_code == 400
    assert "政策计算器的条件" in response.content.decode()


def test_a_reminder_is_in_the_language_of_the_sign_up(measure_3, follower, mailoutbox):
    window(measure_3)
    subscription = asking(follower(measure_3))
    subscription.language = "en"
    subscription.save(update_fields=["language"])
    assert run("2027-03-17") == 1
    (message,) = mailoutbox
    assert message.subject.endswith("closes in 14 days")
    assert "Application period: 2027-03-01 — 2027-03-31" in message.body
    assert "申报时间" not in message.body


def test_reminders_sent_stay_out_of_backups_like_the_subscriptions_they_belong_to(measure_3, follower, mailoutbox):
    window(measure_3)
    asking(follower(measure_3))
    run("2027-03-01")
    out = io.StringIO()
    call_command("export_content", stdout=out)
    models = {row["model"] for row in json.loads(out.getvalue())["objects"]}
    assert Reminder.objects.exists() and "measures.reminder" not in models


def test_editors_see_how_many_asked_for_reminders_but_not_who(measure_3, follower, editor_client):
    asking(follower(measure_3))
    follower(measure_3, email="li@example.cn")
    html = editor_client.get("/admin/measures/subscription/").content.decode()
    assert "其中要申报提醒" in html and "example.cn" not in html
    row = re.search(r"<tr><td>措施</td><td>.*?</tr>", html).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "2", "0", "1", "0"]


def test_a_subscription_is_looked_at_once_a_day_however_often_the_sender_runs(
    measure_3, follower, mailoutbox, monkeypatch
):
    window(measure_3)
    asking(follower(measure_3))
    follower(measure_3.policy, email="li@example.cn")
    assert run("2027-08-17") == 2  # the policy's last six months, to both; the window is long closed
    assert run("2027-03-01") == 1
    looked_at = []
    monkeypatch.setattr(reminders, "lock", lambda pk: looked_at.append(pk))
    assert run("2027-03-01") == 0 and run("2027-08-17") == 0
    assert looked_at == []
