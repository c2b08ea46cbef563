"""What the alerts mail (measures/public/alerts/sender.py, `manage.py send_notifications`): the published
changes a subscription follows, from the public history, each once; never a draft."""

import datetime
import io
import re
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.utils import timezone

from measures.domain import public_history
from measures.domain.eligibility import RecipientKind
from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.domain.public_history import PublicChange
from measures.domain.subscriptions import Delivery, Subscription
from measures.editing.kinds import set_kinds
from measures.editing.publishing import publish_clause_draft, publish_measure, start_draft_of_change
from measures.public.alerts import sender
from measures.public.alerts.sender import SendingFailed, send_due

SITE = "https://policy.example.cn"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def edit(obj, reason, **fields):
    """A save as an editor makes it: with its reason (变更说明)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._change_reason = reason
    obj.save()
    return obj


def new_award(clause, position, amount_yuan, **fields):
    award = Award(
        clause=clause,
        position=position,
        amount_yuan=amount_yuan,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUPPORT,
        recipient="新型研发机构",
        source_phrase="给予支持",
        **fields,
    )
    award._change_reason = "新增奖补"
    award.save()
    return award


def latest_entry():
    return PublicChange.objects.order_by("-id").first()


def change_links(message):
    return re.findall(r"#(change-[a-z]+-\d+)", message.body)


# --- what a mail says ---------------------------------------------------------------------------


def test_a_published_edit_of_a_followed_measure_is_mailed_with_its_reason_diff_and_links(
    real_policy, follower, mailoutbox
):
    measure = Measure.objects.get(policy=real_policy, number=3)
    subscription = follower(measure)
    edit(Award.objects.get(clause__measure=measure, amount_yuan=2_000_000), "按新通知调整金额", amount_yuan=2_500_000)
    entry = latest_entry()

    report = send_due()

    assert report.mails == 1 and report.changes == 1
    (message,) = mailoutbox
    assert message.to == ["wang@example.cn"]
    # The subject states the change first, then what is followed.
    assert message.subject == (
        "【厦门科技创新政策库】第3条：国家级国际科技合作基地、对台科技合作与交流基地奖励 200万元→250万元"
        " · 《若干措施》第3条 拓展科技交流合作平台"
    )
    assert "变更说明：按新通知调整金额" in message.body
    # Amounts whole, not marked digit by digit.
    assert "金额：200万元 → 250万元" in message.body
    assert f"{SITE}/policies/kjcx-2025/measures/3/history/#change-award-{entry.history_id}" in message.body
    html = message.alternatives[0][0]
    assert f'href="{SITE}/policies/kjcx-2025/measures/3/history/#change-award-{entry.history_id}"' in html
    assert "200万元 → 250万元" in html
    unsubscribe = re.search(
        r"<(https://policy\.example\.cn/follow/unsubscribe/[^>]+/)>", message.extra_headers["List-Unsubscribe"]
    )
    assert unsubscribe, message.extra_headers
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.group(1) in message.body
    assert f"{SITE}/follow/manage/" in message.body
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None


def test_a_changed_text_is_shown_whole_in_the_text_and_marked_in_the_html(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=4)
    follower(measure)
    clause = measure.clauses.get()
    edit(clause, "补充一句", text=clause.text + "新增的一句话。")
    send_due()
    (message,) = mailoutbox
    assert "原为：" in message.body and "改为：" in message.body and "新增的一句话。" in message.body
    assert "<ins>新增的一句话。</ins>" in message.alternatives[0][0]


def test_each_change_is_mailed_once(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=3)
    follower(measure)
    edit(measure, "标题更正", title="拓展科技交流合作平台（更正）")
    assert send_due().mails == 1
    assert send_due().mails == 0
    edit(measure, "标题恢复", title="拓展科技交流合作平台")
    assert send_due().mails == 1
    assert len(mailoutbox) == 2
    assert Delivery.objects.filter(mailed=True).count() == 2


def test_several_changes_go_in_one_mail_oldest_first(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=3)
    follower(measure)
    edit(measure, "第一次", title="标题一")
    first = latest_entry()
    edit(measure, "第二次", title="标题二")
    second = latest_entry()
    send_due()
    (message,) = mailoutbox
    assert change_links(message) == [f"change-measure-{first.history_id}", f"change-measure-{second.history_id}"]
    assert "有 2 项更新" in message.subject


def test_changes_made_before_the_confirmation_are_not_mailed(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=3)
    edit(measure, "确认之前的修改", title="确认之前")
    follower(measure, confirmed_at=timezone.now() + datetime.timedelta(seconds=1))
    assert send_due().mails == 0


def test_nothing_is_sent_to_an_unconfirmed_sign_up(real_policy, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=3)
    Subscription.objects.create(email="new@example.cn", kind="measure", target_id=measure.pk, label="第3条")
    edit(measure, "修改", title="新标题")
    assert send_due().mails == 0
    assert mailoutbox == []


# --- drafts never; what the public saw ------------------------------------------------------------


def test_a_draft_of_a_change_is_never_mailed_and_its_publication_is(real_policy, follower, editor, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=4)
    follower(measure)
    clause = measure.clauses.get()
    draft = start_draft_of_change(clause, editor)
    edit(draft, "起草中", text="草稿中的新文字，尚未发布")
    assert send_due().mails == 0
    publish_clause_draft(draft, editor, "发布修改后的条款")
    send_due()
    (message,) = mailoutbox
    assert "草稿中的新文字，尚未发布" in message.body
    assert "发布修改后的条款" in message.body
    assert "起草中" not in message.body


def test_edits_of_a_draft_measure_are_not_mailed_until_it_is_published(small_policy, follower, editor, mailoutbox):
    follower(small_policy)
    draft = Measure.objects.create(
        policy=small_policy, pillar=small_policy.pillars.first(), number=4, title="新措施", status="draft"
    )
    edit(draft, "草稿", title="新措施（草稿里改过）")
    clause = Clause(
        measure=draft, position=1, text="草稿条款", provenance="policy_text", source_url="https://example.org/"
    )
    clause._change_reason = "草稿"
    clause.save()
    assert send_due().mails == 0
    publish_measure(draft, editor, "发布新措施")
    send_due()
    (message,) = mailoutbox
    assert "发布" in message.subject
    assert "新措施（草稿里改过）" in message.body
    assert "草稿" not in message.body.replace("新措施（草稿里改过）", "")


# --- what is followed -----------------------------------------------------------------------------


def test_a_policy_follower_hears_of_every_measure_a_measure_follower_only_of_its_own(real_policy, follower, mailoutbox):
    follower(real_policy, email="policy@example.cn")
    follower(Measure.objects.get(policy=real_policy, number=6), email="measure6@example.cn")
    edit(Measure.objects.get(policy=real_policy, number=3), "改第3条", title="第3条新标题")
    edit(Measure.objects.get(policy=real_policy, number=6), "改第6条", title="第6条新标题")
    send_due()
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"policy@example.cn", "measure6@example.cn"}
    assert len(change_links(by_address["policy@example.cn"])) == 2
    assert len(change_links(by_address["measure6@example.cn"])) == 1
    assert "第6条新标题" in by_address["measure6@example.cn"].body


def test_a_finder_follower_hears_of_new_and_changed_awards_matching_the_filters_only(real_policy, follower, mailoutbox):
    subscription = follower(kind="awards", query=urlencode({"min": "1000"}))
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=3)
    new_award(clause, 9, 50_000_000)  # 5000万元: matches
    new_award(clause, 10, 1_000_000)  # 100万元: does not
    send_due()
    (message,) = mailoutbox
    assert "最高5000万元" in message.body
    assert "100万元" not in message.body.replace("1000万元", "")
    # The award that did not match is settled too: it is never mailed later.
    assert Delivery.objects.filter(subscription=subscription, mailed=False).count() == 1
    assert send_due().mails == 0
    edit(Award.objects.get(clause=clause, position=10), "提高金额", amount_yuan=12_000_000)
    send_due()
    assert "100万元 → 1200万元" in mailoutbox[-1].body


def test_a_finder_follower_is_not_told_of_an_award_in_a_draft(real_policy, follower, mailoutbox):
    follower(kind="awards", query="")
    draft = Award.objects.get(amount_yuan=30_000_000, nature="reward")
    edit(draft, "撤回", status=PublicationStatus.DRAFT)
    edit(draft, "草稿中改金额", amount_yuan=40_000_000)
    assert send_due().mails == 0


def test_a_search_follower_hears_of_clauses_and_awards_the_search_finds(real_policy, follower, mailoutbox):
    follower(kind="search", query="金砖")
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=3)  # mentions 金砖
    other = Clause.objects.get(measure__policy=real_policy, measure__number=4)
    edit(other, "无关修改", text=other.text + "（无关）")
    new_award(clause, 9, 3_000_000)
    send_due()
    (message,) = mailoutbox
    assert "最高300万元" in message.body
    assert "无关" not in message.body


# --- when ----------------------------------------------------------------------------------------


def at(hour, day=datetime.date(2026, 3, 2)):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())


def test_a_daily_digest_waits_for_the_morning_and_goes_once_a_day(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=3)
    follower(measure, frequency="daily", confirmed_at=at(6) - datetime.timedelta(days=1))
    edit(measure, "一", title="标题一")
    PublicChange.objects.update(date=at(6))
    assert send_due(now=at(7)).mails == 0  # before 08:00
    report = send_due(now=at(9))
    assert report.mails == 1
    assert mailoutbox[0].subject.startswith("【厦门科技创新政策库】每日汇总：")
    edit(measure, "二", title="标题二")
    PublicChange.objects.filter(date__gt=at(6)).update(date=at(10))
    assert send_due(now=at(11)).mails == 0  # one a day
    assert send_due(now=at(8, datetime.date(2026, 3, 3))).mails == 1


def test_unconfirmed_sign_ups_are_deleted_after_seven_days(db):
    old = Subscription.objects.create(email="old@example.cn", kind="search", query="中试", label="搜索")
    Subscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=7, minutes=1))
    recent = Subscription.objects.create(email="new@example.cn", kind="search", query="中试", label="搜索")
    assert send_due().purged == 1
    assert list(Subscription.objects.all()) == [recent]


# --- failures, replays --------------------------------------------------------------------------


def test_a_mail_server_that_fails_records_nothing_and_the_next_run_sends(
    real_policy, follower, mailoutbox, monkeypatch
):
    measure = Measure.objects.get(policy=real_policy, number=3)
    follower(measure)
    edit(measure, "修改", title="新标题")

    def refuse(self, messages):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(SendingFailed):
        send_due()
    assert not Delivery.objects.exists()
    assert Subscription.objects.get().last_sent_at is None
    monkeypatch.undo()
    assert send_due().mails == 1


def test_replaying_the_public_history_mails_nothing_again(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=3)
    follower(measure)
    edit(measure, "修改", title="新标题")
    assert send_due().mails == 1
    public_history.rebuild()  # new entry ids, the same historical records
    assert send_due().mails == 0


def test_a_subscription_another_sender_holds_is_left_to_it(real_policy, follower, mailoutbox, monkeypatch):
    measure = Measure.objects.get(policy=real_policy, number=3)
    follower(measure)
    edit(measure, "修改", title="新标题")
    monkeypatch.setattr(sender, "lock", lambda pk: None)
    assert send_due().busy == 1
    assert mailoutbox == []


def test_the_command_says_what_it_did(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=3)
    follower(measure)
    edit(measure, "修改", title="新标题")
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue().startswith("1 mails (1 changes)")


def test_a_kind_follower_hears_when_a_published_award_is_tagged_with_it(real_policy, follower, editor, mailoutbox):
    follower(kind="awards", query=urlencode({"kind": "tech-business-incubator"}))
    award = Award.objects.get(source_phrase="对金砖创新合作项目给予最高300万元支持")
    incubator = RecipientKind.objects.get(slug="tech-business-incubator")
    set_kinds(award, [*award.recipient_kinds.all(), incubator], editor, "金砖项目也可由孵化器申报")
    send_due()
    (message,) = mailoutbox
    assert "金砖项目也可由孵化器申报" in message.body and "科技型企业孵化器" in message.body
    changed = "第3条：申报主体 金砖创新合作项目→金砖创新合作项目、科技型企业孵化器"
    assert message.subject.startswith(f"【厦门科技创新政策库】{changed}")
    assert "第1段奖补的申报主体" in message.body
    assert send_due().mails == 0
