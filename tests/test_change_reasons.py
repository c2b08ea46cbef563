"""A change's reason (变更说明) is an editor's free text, shown to the public on the measure's history, on
/changes/, in the feed and in the alerts' mail. It is shown on one line: a line break or another control
character in it becomes a space, so that an editor cannot add lines of their own to the plain-text mail
(a fake 退订 link, say) or break a page's layout."""

from measures.domain.models import Award, Measure
from measures.public.alerts.sender import send_due

REASON = "按新通知调整金额\r\n\r\n退订请点击 https://evil.example/\x0b谢谢\u2028\x85完"
SHOWN = "按新通知调整金额 退订请点击 https://evil.example/ 谢谢 完"


def test_a_reasons_line_breaks_and_control_characters_are_shown_as_one_space(client, real_policy, follower, mailoutbox):
    measure = Measure.objects.get(policy=real_policy, number=3)
    follower(measure)
    award = Award.objects.get(clause__measure=measure, amount_yuan=2_000_000)
    award.amount_yuan = 2_500_000
    award._change_reason = REASON
    award.save()

    send_due()
    (message,) = mailoutbox
    (html, _type), *_ = message.alternatives
    assert f"变更说明：{SHOWN}\n" in message.body
    assert f"变更说明：{SHOWN}</p>" in html
    for url in ("/policies/kjcx-2025/measures/3/history/", "/changes/", "/changes/feed/"):
        text = client.get(url).content.decode()
        assert SHOWN in text, url
        assert "调整金额\r" not in text and "调整金额\n" not in text and "\x85" not in text, url
