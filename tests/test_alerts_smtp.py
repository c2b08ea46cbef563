"""The alerts' mail through a real SMTP server on 127.0.0.1 (aiosmtpd, started by the test), read back as
a mail client would: headers, the Chinese subject and body in UTF-8, absolute links, the one-click
unsubscribe."""

import re

import pytest

from measures.domain.models import Award, Measure
from measures.public.alerts.sender import send_due

SITE = "https://policy.example.cn"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "厦门科技创新政策库 <alerts@policy.example.cn>"


def plain(message):
    part = message.get_body(preferencelist=("plain",))
    assert part.get_content_charset() == "utf-8"
    return part.get_content()


def test_a_sign_up_confirmation_and_an_alert_arrive_over_smtp(client, real_policy, mail_through_smtp):
    inbox = mail_through_smtp
    response = client.post(
        "/follow/",
        {"kind": "measure", "policy": "kjcx-2025", "measure": "3", "email": "wang@example.cn", "frequency": "instant"},
    )
    assert response.status_code == 302
    assert inbox.wait_for(1)
    confirmation, recipients = inbox.messages[0]
    assert recipients == ["wang@example.cn"]
    assert confirmation["To"] == "wang@example.cn"
    assert confirmation["From"].addresses[0].addr_spec == "alerts@policy.example.cn"
    assert confirmation["From"].addresses[0].display_name == "厦门科技创新政策库"
    # Python folds an encoded subject after "Subject:"; the folding white space is not part of it.
    assert confirmation["Subject"].strip() == "【厦门科技创新政策库】请确认关注：《若干措施》第3条 拓展科技交流合作平台"
    assert confirmation["Message-ID"] and confirmation["Date"]
    body = plain(confirmation)
    assert "请打开下面的链接确认；确认之前我们不会发送任何提醒。" in body
    link = re.search(rf"{re.escape(SITE)}(/follow/confirm/\S+/)", body)
    assert link, body
    assert all(url.startswith(SITE) for url in re.findall(r"https?://\S+", body))
    html = confirmation.get_body(preferencelist=("html",)).get_content()
    assert f'href="{SITE}{link.group(1)}"' in html

    assert client.post(link.group(1)).status_code == 200  # confirmed
    measure = Measure.objects.get(policy=real_policy, number=3)
    award = Award.objects.get(clause__measure=measure, amount_yuan=2_000_000)
    award.amount_yuan, award._change_reason = 3_000_000, "根据实施细则调整金额"
    award.save()
    assert send_due().mails == 1
    assert inbox.wait_for(2)
    alert, _recipients = inbox.messages[1]
    assert alert["Subject"].strip().endswith(" · 《若干措施》第3条 拓展科技交流合作平台")
    unsubscribe = re.fullmatch(
        rf"<({re.escape(SITE)}/follow/unsubscribe/\S+/)>", str(alert["List-Unsubscribe"]).strip()
    )
    assert unsubscribe, alert["List-Unsubscribe"]
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = plain(alert)
    assert "变更说明：根据实施细则调整金额" in body
    assert "金额：200万元 → 300万元" in body
    assert f"{SITE}/policies/kjcx-2025/measures/3/history/#change-award-" in body
    assert f"{SITE}/follow/manage/" in body
    assert all(url.startswith(SITE) for url in re.findall(r"https?://\S+", body))

    # The mail client's one-click unsubscribe (RFC 8058): a POST with List-Unsubscribe=One-Click.
    path = unsubscribe.group(1).removeprefix(SITE)
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    award.amount_yuan, award._change_reason = 2_000_000, "恢复"
    award.save()
    assert send_due().mails == 0
