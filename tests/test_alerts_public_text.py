"""What the alerts say is what the public could see: the subject and body of a mail, and the confirm,
manage and unsubscribe pages its links open, name a followed measure by its public values (the public
history's), never by a draft's, whatever kind of thing is followed."""

import re

import pytest

from measures.domain.eligibility import RecipientKind
from measures.domain.models import Award, Measure, PublicationStatus
from measures.domain.subscriptions import Subscription
from measures.public.alerts.sender import send_due

SITE = "https://policy.example.cn"
ADDRESS = "wang@example.cn"
DRAFT_TITLE = "草稿里改的标题从未公开"
PUBLIC_NAME = "《若干措施》第5条 创新科研事业单位管理"
TARGETS = [
    {"kind": "measure", "policy": "kjcx-2025", "measure": "5"},
    {"kind": "policy", "policy": "kjcx-2025"},
    {"kind": "awards", "filters": "policy=kjcx-2025"},
    {"kind": "search", "q": "国际科技合作"},
]


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def links_in(message, name) -> list[str]:
    return re.findall(rf"{re.escape(SITE)}(/follow/{name}/[^\s\"<]+/)", message.body)


def edit(obj, reason, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._change_reason = reason
    obj.save()


def everything_shown(message) -> str:
    return "\n".join([message.subject, message.body, message.alternatives[0][0]])


def test_a_measure_withdrawn_and_retitled_in_draft_is_named_by_its_public_title_in_mails_and_pages(
    client, real_policy, mailoutbox
):
    for target in TARGETS:
        client.post("/follow/", {**target, "email": ADDRESS, "frequency": "instant"})
        (confirm,) = links_in(mailoutbox[-1], "confirm")
        client.post(confirm)
    assert Subscription.objects.confirmed().count() == len(TARGETS)
    confirmations = list(mailoutbox)

    measure = Measure.objects.get(policy=real_policy, number=5)
    edit(measure, "撤回", status=PublicationStatus.DRAFT)
    edit(measure, "草稿中改标题", title=DRAFT_TITLE)
    # A published change the finder's and the search's followers hear of, in the same run.
    award = Award.objects.get(clause__measure__policy=real_policy, clause__measure__number=3, amount_yuan=2_000_000)
    edit(award, "调整金额", amount_yuan=2_500_000)

    # The change mails alone: the command also sends reminders from 8:00, and from 2027-08-17 the
    # policy's six-month notice, which would change the count below with the clock
    # (tests/test_alerts_reminders.py covers their text).
    send_due()

    alerts = mailoutbox[len(confirmations) :]
    assert len(alerts) == len(TARGETS)
    for message in alerts:
        assert DRAFT_TITLE not in everything_shown(message), message.subject
    (withdrawal,) = [message for message in alerts if message.subject.endswith(f" · {PUBLIC_NAME}")]
    assert "撤回" in withdrawal.subject
    pages = []
    for message in alerts:
        for name in ("manage", "unsubscribe"):
            (link,) = links_in(message, name)
            pages.append(client.get(link).content.decode())
    for message in confirmations:
        (link,) = links_in(message, "confirm")
        pages.append(client.get(link).content.decode())
    for html in pages:
        assert DRAFT_TITLE not in html
    manage = pages[0]
    assert PUBLIC_NAME in manage
    assert any(PUBLIC_NAME in html and "取消关注" in html for html in pages[1:])


def test_a_finder_follow_names_a_recipient_kind_only_while_the_finder_offers_it(client, real_policy, mailoutbox):
    client.post(
        "/follow/",
        {"kind": "awards", "filters": "kind=national-key-laboratory", "email": ADDRESS, "frequency": "instant"},
    )
    (confirm,) = links_in(mailoutbox[-1], "confirm")
    assert "奖补查询：申报主体 全国重点实验室" in client.get(confirm).content.decode()
    kind = RecipientKind.objects.get(slug="national-key-laboratory")
    kind.slug, kind.name = "renamed-in-draft", "草稿中的新名称"
    kind.save()
    page = client.get(confirm).content.decode()
    # The filters no longer hold: the words the sign-up was made with stand in.
    assert "奖补查询：申报主体 全国重点实验室" in page and "草稿中的新名称" not in page
