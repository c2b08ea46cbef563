"""Unknown application facts: one line and a 关注 instead of six 待录入, a mail to the measure's followers
when the facts are entered, and pending measures (7–12) that offer the same 关注. Also what every alert
states: the change in its subject, and times with their offset from UTC."""

import pytest

from measures.domain.eligibility import ApplicationInfo, Department
from measures.domain.models import Award, Measure, PublicationStatus
from measures.public.alerts.sender import send_due
from tests.html import between, page

SITE = "https://policy.example.cn"
FOLLOW_MEASURE_6 = "/follow/?kind=measure&amp;policy=kjcx-2025&amp;measure=6"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def test_an_award_with_no_known_fact_shows_one_line_and_a_follow_link(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/6/")
    award = between(html, "每年每家最高500万元", "</li>")
    line = between(award, '<p class="application-facts application-facts--pending">', "</p>")
    assert "申报信息尚未公布" in line and f'href="{FOLLOW_MEASURE_6}">录入后通知我' in line
    assert "待录入" not in award


def test_the_follow_link_signs_up_for_the_measure(client, real_policy):
    html = page(client, FOLLOW_MEASURE_6.replace("&amp;", "&"))
    assert "第6条 培育发展高端科技服务业" in html


def test_once_one_fact_is_known_the_others_are_a_label_value_list(client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=6)
    ApplicationInfo.objects.create(measure=measure, hotline="0592-0000000")
    award = between(page(client, "/policies/kjcx-2025/measures/6/"), "每年每家最高500万元", "</li>")
    facts = between(award, '<div class="application-facts">', "</dl>")
    assert facts.count("<dt>") == 6 and facts.count("待录入") == 5
    assert "<dt>咨询电话</dt><dd>0592-0000000</dd>" in facts
    assert "申报信息尚未公布" not in award


def test_a_pending_measure_offers_to_mail_when_it_is_entered(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/8/", status=404)
    assert 'href="/follow/?kind=policy&amp;policy=kjcx-2025">录入后通知我</a>' in html
    assert "第8条录入并发布时会收到邮件" in html


def test_a_measure_follower_is_mailed_once_when_its_facts_are_entered(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=6)
    follower(measure)
    assert send_due().mails == 0
    info = ApplicationInfo.objects.create(measure=measure, hotline="0592-0000000")
    info.departments.add(Department.objects.create(name="测试责任单位"))

    assert send_due().mails == 1
    (message,) = mailoutbox
    assert message.subject == "【厦门科技创新政策库】《若干措施》第6条 培育发展高端科技服务业：申报信息已录入或更新"
    assert "录入或更新了申报信息" in message.body
    assert f"{SITE}/policies/kjcx-2025/measures/6/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert send_due().mails == 0  # each save once

    info.hotline = "0592-1111111"
    info.save()
    assert send_due().mails == 1 and len(mailoutbox) == 2


def test_facts_of_an_award_count_and_those_of_another_measure_do_not(real_policy, follower, mailoutbox):
    follower(Measure.objects.get(policy=real_policy, number=6))
    ApplicationInfo.objects.create(measure=Measure.objects.get(policy=real_policy, number=3), hotline="1")
    assert send_due().mails == 0
    award = Award.objects.get(source_phrase="给予每年每家最高500万元奖励")
    ApplicationInfo.objects.create(award=award, delivery_mode="on_application")
    assert send_due().mails == 1 and "申报信息已录入或更新" in mailoutbox[0].subject


def test_facts_saved_before_the_follow_or_of_a_withdrawn_measure_are_not_mailed(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=6)
    ApplicationInfo.objects.create(measure=measure, hotline="0592-0000000")
    follower(measure)
    assert send_due().mails == 0
    Measure.objects.filter(pk=measure.pk).update(status=PublicationStatus.DRAFT)
    assert send_due().mails == 1  # the withdrawal, a public change
    info = ApplicationInfo.objects.get(measure=measure)
    info.hotline = "0592-2222222"
    info.save()
    assert send_due().mails == 0
    assert not any("申报信息" in message.subject for message in mailoutbox)


def test_a_changes_mail_states_the_change_in_its_subject_and_times_with_their_zone(real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=3)
    follower(measure)
    award = Award.objects.get(clause__measure=measure, amount_yuan=500_000)
    award.amount_yuan = 600_000
    award._change_reason = "按新通知调整金额"
    award.save()

    send_due()
    (message,) = mailoutbox
    assert message.subject.startswith("【厦门科技创新政策库】第3条：对台科技合作与交流基地奖励上限 50万元→60万元 · ")
    assert " UTC+8 " in message.body
    assert " UTC+8</time>" in message.alternatives[0][0]
