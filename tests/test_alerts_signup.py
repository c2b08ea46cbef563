"""关注: the sign-up form and the pages its mail's signed links open (confirm, manage, unsubscribe), with
bad input of every kind answered by a clear message, never a server error; and the subscribers'
addresses kept out of everything public."""

import base64
import datetime
import io
import ipaddress
import json
import re
import time
import zlib
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from measures.domain.models import Measure
from measures.domain.revision import content_revision
from measures.domain.subscriptions import Subscription
from measures.public.alerts import links, mail
from measures.public.alerts.sender import send_due
from tests.html import page

MEASURE_3 = {"kind": "measure", "policy": "kjcx-2025", "measure": "3"}
ADDRESS = "wang@example.cn"


def sign_up(client, address=ADDRESS, frequency="instant", target=MEASURE_3, **extra):
    return client.post("/follow/", {**target, "email": address, "frequency": frequency}, **extra)


def link_in(message, name):
    found = re.search(rf"https?://[^/\s]+(/follow/{name}/[^\s\"<]+/)", message.body)
    assert found, message.body
    return found.group(1)


def notice(html):
    return re.search(r"<h1>(.*?)</h1>", html).group(1)


# --- the 关注 links ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "follow"),
    [
        ("/policies/kjcx-2025/", "/follow/?kind=policy&amp;policy=kjcx-2025"),
        ("/", "/follow/?kind=policy&amp;policy=kjcx-2025"),
        ("/policies/kjcx-2025/measures/3/", "/follow/?kind=measure&amp;policy=kjcx-2025&amp;measure=3"),
        ("/awards/?min=100&pillar=1&sort=amount&page=1", "/follow/?kind=awards&amp;filters=min%3D100%26pillar%3D1"),
        ("/search/?q=孵化器", "/follow/?kind=search&amp;q=%E5%AD%B5%E5%8C%96%E5%99%A8"),
    ],
)
def test_each_followable_page_links_to_the_form_for_what_it_shows(client, real_policy, url, follow):
    assert f'class="page-tools__follow" href="{follow}"' in page(client, url)


def test_the_empty_search_page_and_a_finder_with_a_bad_filter_offer_no_follow_link(client, real_policy):
    assert "page-tools__follow" not in page(client, "/search/")
    assert "page-tools__follow" not in page(client, "/awards/?min=abc")


@pytest.mark.parametrize(
    ("query", "what"),
    [
        (
            {"kind": "policy", "policy": "kjcx-2025"},
            "《关于深化拓展科技创新引领工程 推动科技创新和产业创新深度融合的若干措施》",
        ),
        (MEASURE_3, "《若干措施》第3条 拓展科技交流合作平台"),
        (
            {"kind": "awards", "filters": "min=100&pillar=1&recurrence=once"},
            "奖补查询：最低金额 100万元；第1个方面；发放频次 一次性",
        ),
        ({"kind": "awards", "filters": ""}, "奖补查询：全部奖补"),
        ({"kind": "search", "q": "  孵化器   中试 "}, "搜索：孵化器 中试"),
    ],
)
def test_the_form_says_what_will_be_followed(client, real_policy, query, what):
    html = page(client, f"/follow/?{urlencode(query)}")
    assert what in html
    assert 'name="email"' in html and 'value="instant" checked' in html and 'value="daily"' in html


# --- signing up: double opt-in, no enumeration --------------------------------------------------


def test_signing_up_sends_one_confirmation_mail_and_nothing_else(client, real_policy, mailoutbox):
    response = sign_up(client, "Wang@Example.CN", frequency="daily")
    assert response.status_code == 302 and response["Location"] == "/follow/sent/"
    assert "请查收邮件" in page(client, "/follow/sent/")
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.frequency, subscription.confirmed_at) == (ADDRESS, "daily", None)
    assert subscription.label == "《若干措施》第3条 拓展科技交流合作平台"
    (message,) = mailoutbox
    assert message.to == [ADDRESS]
    assert message.subject == "【厦门科技创新政策库】请确认关注：《若干措施》第3条 拓展科技交流合作平台"
    assert "List-Unsubscribe" not in message.extra_headers  # nothing to unsubscribe from yet


def test_confirming_needs_a_click_and_a_replayed_confirmation_says_it_is_done(client, real_policy, mailoutbox):
    sign_up(client)
    confirm = link_in(mailoutbox[0], "confirm")
    html = page(client, confirm)  # a mail scanner opening the link confirms nothing
    assert "<button" in html and Subscription.objects.get().confirmed_at is None
    assert notice(client.post(confirm).content.decode()) == "关注成功"
    assert Subscription.objects.get().confirmed_at is not None
    again = client.post(confirm)
    assert again.status_code == 200 and notice(again.content.decode()) == "已确认"
    assert notice(page(client, confirm)) == "已确认"


def test_the_form_answers_the_same_whether_or_not_the_address_already_follows(client, real_policy, mailoutbox):
    first = sign_up(client)
    link = link_in(mailoutbox[0], "confirm")
    unconfirmed_again = sign_up(client)
    client.post(link)
    confirmed_again = sign_up(client)
    someone_new = sign_up(client, "li@example.cn")
    answers = {(r.status_code, r["Location"]) for r in (first, unconfirmed_again, confirmed_again, someone_new)}
    assert answers == {(302, "/follow/sent/")}
    assert Subscription.objects.count() == 2
    # One mail each time, to the address only: a new confirmation link, or (already following) the manage link.
    assert [m.to for m in mailoutbox] == [[ADDRESS], [ADDRESS], [ADDRESS], ["li@example.cn"]]
    assert "/follow/confirm/" in mailoutbox[1].body
    assert "/follow/confirm/" not in mailoutbox[2].body and "/follow/manage/" in mailoutbox[2].body
    assert mailoutbox[2].subject.startswith("【厦门科技创新政策库】您已关注：")


def test_a_new_choice_before_confirming_replaces_the_old_one_but_a_confirmed_one_stays(client, real_policy, mailoutbox):
    sign_up(client, frequency="instant")
    sign_up(client, frequency="daily")
    assert Subscription.objects.get().frequency == "daily"
    client.post(link_in(mailoutbox[-1], "confirm"))
    sign_up(client, frequency="instant")
    assert Subscription.objects.get().frequency == "daily"


def test_signing_up_does_not_move_the_public_content_revision(client, real_policy, mailoutbox):
    before = content_revision()
    sign_up(client)
    client.post(link_in(mailoutbox[0], "confirm"))
    assert content_revision() == before


# --- bad input ------------------------------------------------------------------------------------


BAD_ADDRESSES = [
    ("", "请填写邮箱地址。"),
    ("not-an-address", "邮箱地址的格式不对"),
    ("wang@", "邮箱地址的格式不对"),
    ("wang@example.cn\r\nBcc: victim@example.org", "邮箱地址的格式不对"),
    ("a" * 250 + "@example.cn", "邮箱地址太长：最多254个字符。"),
    ("a" * 1_000_000 + "@example.cn", "邮箱地址太长：最多254个字符。"),
    ("\x00@example.cn", "邮箱地址的格式不对"),
]


def test_a_bad_address_is_refused_with_a_clear_message(client, real_policy, mailoutbox):
    for address, message in BAD_ADDRESSES:
        response = sign_up(client, address)
        assert response.status_code == 400, address[:50]
        html = response.content.decode()
        assert message in html, address[:50]
        assert len(html) < 50_000  # a huge address is not echoed back
        assert 'aria-invalid="true"' in html
    assert not Subscription.objects.exists() and mailoutbox == []


def test_an_unknown_frequency_is_refused(client, real_policy):
    for frequency in ["", "hourly", "即时", "\x00"]:
        response = sign_up(client, frequency=frequency)
        assert response.status_code == 400
        assert "请选择“即时”或“每日汇总”。" in response.content.decode()


BAD_TARGETS = [
    ({}, 400, "这个关注链接不完整"),
    ({"kind": "everything"}, 400, "这个关注链接不完整"),
    ({"kind": "policy", "policy": "nope"}, 404, "没有这项政策"),
    ({"kind": "policy", "policy": "x" * 5000}, 404, "没有这项政策"),
    ({"kind": "measure", "policy": "kjcx-2025", "measure": "7"}, 404, "没有这条措施"),
    ({"kind": "measure", "policy": "kjcx-2025", "measure": "-1"}, 404, "没有这条措施"),
    ({"kind": "measure", "policy": "kjcx-2025", "measure": "99999999999999999999"}, 404, "没有这条措施"),
    ({"kind": "measure", "policy": "kjcx-2025"}, 404, "没有这条措施"),
    ({"kind": "awards", "filters": "min=abc"}, 400, "最低金额必须是数字"),
    ({"kind": "awards", "filters": "policy=nope"}, 400, "政策无效"),
    ({"kind": "awards", "filters": "min=1" + "0" * 600}, 400, "奖补查询的条件太长"),
    ({"kind": "search", "q": "   "}, 400, "请写出要关注的搜索词"),
    ({"kind": "\x00", "q": "中试"}, 400, "这个关注链接不完整"),
]


def test_an_unknown_or_malformed_target_is_a_clear_message(client, real_policy):
    for query, status, message in BAD_TARGETS:
        for response in (
            client.get(f"/follow/?{urlencode(query)}"),
            client.post("/follow/", {**query, "email": ADDRESS}),
        ):
            assert response.status_code == status, query
            assert message in response.content.decode(), query
    assert not Subscription.objects.exists()


# --- signed links: tampered, expired, replayed ---------------------------------------------------


def confirmed(client, mailoutbox):
    sign_up(client)
    client.post(link_in(mailoutbox[0], "confirm"))
    return Subscription.objects.get()


TAMPERS = [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature changed
    lambda token: token.split(":")[0] + "x:" + token.split(":", 1)[1],  # the payload changed
    lambda token: token[: len(token) // 2],  # cut short
    lambda token: "x" * 5000,
    lambda token: "%00",
    lambda token: "WzEsImEiXQ",  # a payload without a signature
]


def test_a_tampered_link_is_refused_with_a_clear_message(client, real_policy, mailoutbox):
    subscription = confirmed(client, mailoutbox)
    paths = {
        "confirm": links.confirm_path(subscription),
        "manage": links.manage_path(subscription),
        "unsubscribe": links.unsubscribe_path(subscription),
    }
    for kind, path in paths.items():
        token = path.rstrip("/").rsplit("/", 1)[1]
        for tamper in TAMPERS:
            bad = f"/follow/{kind}/{tamper(token)}/"
            for response in (client.get(bad), client.post(bad)):
                assert response.status_code in (400, 404), bad
                if response.status_code == 400:
                    assert "这个链接无效" in response.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=False).exists()


def test_a_link_made_for_one_purpose_does_not_work_for_another(client, real_policy, mailoutbox):
    subscription = confirmed(client, mailoutbox)
    tokens = {
        "confirm": links.confirm_path(subscription),
        "manage": links.manage_path(subscription),
        "unsubscribe": links.unsubscribe_path(subscription),
    }
    for made_for, path in tokens.items():
        token = path.rstrip("/").rsplit("/", 1)[1]
        for used_for in set(tokens) - {made_for}:
            for response in (client.get(f"/follow/{used_for}/{token}/"), client.post(f"/follow/{used_for}/{token}/")):
                assert response.status_code == 400, (made_for, used_for)
                assert "这个链接无效" in response.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=False).exists()


def test_an_expired_confirmation_link_says_so(client, real_policy, mailoutbox):
    eight_days_ago = time.time() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        sign_up(client)
    response = client.post(link_in(mailoutbox[0], "confirm"))
    assert response.status_code == 410
    assert "确认链接已过期" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_confirmation_link_of_a_deleted_sign_up_says_it_is_gone(client, real_policy, mailoutbox):
    sign_up(client)
    Subscription.objects.all().delete()
    response = client.post(link_in(mailoutbox[0], "confirm"))
    assert response.status_code == 410
    assert "这项关注已取消，或因未及时确认而被删除" in response.content.decode()


def test_a_link_for_a_deleted_subscription_never_works_for_a_new_one_with_its_id(client, real_policy, mailoutbox):
    subscription = confirmed(client, mailoutbox)
    old_unsubscribe = links.unsubscribe_path(subscription)
    pk = subscription.pk
    subscription.delete()
    Subscription.objects.create(
        pk=pk, email="li@example.cn", kind="search", query="中试", label="搜索", confirmed_at=timezone.now()
    )
    client.post(old_unsubscribe)
    assert Subscription.objects.filter(email="li@example.cn").exists()


def readings(token: str) -> str:
    """A token and every part of it decoded as base64 (and inflated where signing compressed it): what
    anyone reading an access log could make of it."""
    found = [token]
    for part in token.split(":"):
        compressed = part.startswith(".")
        try:
            data = base64.urlsafe_b64decode(part.lstrip(".") + "=" * (-len(part.lstrip(".")) % 4))
            found.append((zlib.decompress(data) if compressed else data).decode("latin-1"))
        except (ValueError, zlib.error):
            continue
    return "\n".join(found)


def test_no_link_in_the_mail_holds_the_address_or_the_subscription_id(real_policy, mailoutbox):
    address, pk = "zhang.san@example.cn", 987_654_321
    measure = Measure.objects.get(policy=real_policy, number=3)
    subscription = Subscription.objects.create(
        pk=pk, email=address, kind="measure", target_id=measure.pk, label="第3条", confirmed_at=timezone.now()
    )
    award = measure.clauses.first().awards.first()
    award.amount_yuan += 10_000
    award.save()
    send_due()
    messages = [*mailoutbox, *(mail.confirmation(subscription, already_confirmed=done) for done in (False, True))]
    texts = "\n".join(message.body + message.extra_headers.get("List-Unsubscribe", "") for message in messages)
    found = re.findall(r"/follow/(confirm|manage|unsubscribe)/([^/\s>]+)/", texts)
    assert {name for name, _token in found} == {"confirm", "manage", "unsubscribe"}
    encoded = [
        encode(text.encode()).decode().rstrip("=")
        for text in (address, f'"{address}"', str(pk))
        for encode in (base64.b64encode, base64.urlsafe_b64encode)
    ]
    for name, token in found:
        assert address not in readings(token) and str(pk) not in readings(token), name
        assert not any(text in token for text in encoded), name


# --- managing and unsubscribing ------------------------------------------------------------------


def test_the_manage_page_lists_and_changes_what_the_address_follows(client, real_policy, mailoutbox):
    subscription = confirmed(client, mailoutbox)
    sign_up(client, target={"kind": "search", "q": "中试"})
    search = Subscription.objects.get(kind="search")
    manage = links.manage_path(subscription)
    html = page(client, manage)
    assert "《若干措施》第3条 拓展科技交流合作平台" in html and "搜索：中试" in html and "待确认" in html
    assert (
        response_notice(
            client.post(manage, {f"frequency-{subscription.pk}": "daily", f"frequency-{search.pk}": "weekly"})
        )
        == "已保存；其中无法识别的频率未作修改。"
    )
    subscription.refresh_from_db()
    assert subscription.frequency == "daily"
    after_cancel = client.post(manage, {f"cancel-{search.pk}": "1"}).content.decode()
    assert list(Subscription.objects.all()) == [subscription]
    assert "搜索：中试" not in after_cancel  # the page answering the form lists what is left
    response = client.post(manage, {"action": "cancel-all"})
    assert not Subscription.objects.exists()
    assert response_notice(response) == "已取消这个邮箱的全部关注，这个页面的链接随之失效。"


def manage_link_on(response) -> str:
    return re.search(r'href="(/follow/manage/[^"]+/)"', response.content.decode()).group(1)


def test_a_manage_link_dies_once_everything_it_manages_is_cancelled_and_stays_dead(client, real_policy, mailoutbox):
    sign_up(client)
    manage = manage_link_on(client.post(link_in(mailoutbox[-1], "confirm")))
    sign_up(client, target={"kind": "search", "q": "中试"})
    client.post(link_in(mailoutbox[-1], "confirm"))
    assert "搜索：中试" in page(client, manage)
    client.post(manage, {"action": "cancel-all"})
    dead = client.get(manage)
    assert dead.status_code == 410 and notice(dead.content.decode()) == "链接已失效"
    assert ADDRESS not in dead.content.decode() and "manage-form" not in dead.content.decode()
    # The address follows something again: a new link shows it, the old one stays dead.
    sign_up(client)
    new_manage = manage_link_on(client.post(link_in(mailoutbox[-1], "confirm")))
    assert new_manage != manage and "拓展科技交流合作平台" in page(client, new_manage)
    assert client.get(manage).status_code == 410
    assert client.post(manage, {"action": "cancel-all"}).status_code == 410
    assert Subscription.objects.filter(email=ADDRESS).count() == 1


def test_an_unsubscribe_link_dies_with_its_subscription(client, real_policy, mailoutbox):
    unsubscribe = links.unsubscribe_path(confirmed(client, mailoutbox))
    client.post(unsubscribe)
    sign_up(client)
    client.post(link_in(mailoutbox[-1], "confirm"))
    again = Subscription.objects.get()
    html = page(client, unsubscribe)
    assert "这项关注已经取消" in html and "不再接收" not in html
    client.post(unsubscribe)
    client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert list(Subscription.objects.all()) == [again]


def response_notice(response):
    assert response.status_code == 200
    return re.search(r'class="form-notice" role="status">(.*?)<', response.content.decode()).group(1)


def test_the_manage_page_never_touches_another_addresss_subscriptions(client, real_policy, mailoutbox, follower):
    subscription = confirmed(client, mailoutbox)
    other = follower(Measure.objects.get(policy=real_policy, number=6), email="li@example.cn")
    client.post(links.manage_path(subscription), {f"cancel-{other.pk}": "1", "action": "save"})
    client.post(links.manage_path(subscription), {"action": "cancel-all"})
    assert list(Subscription.objects.all()) == [other]


def test_unsubscribing_asks_for_a_click_then_deletes_and_a_replay_says_it_is_done(client, real_policy, mailoutbox):
    subscription = confirmed(client, mailoutbox)
    unsubscribe = links.unsubscribe_path(subscription)
    assert "<button" in page(client, unsubscribe)
    assert Subscription.objects.exists()
    assert notice(client.post(unsubscribe).content.decode()) == "已取消关注"
    assert not Subscription.objects.exists()
    again = client.post(unsubscribe)
    assert again.status_code == 200 and "这项关注已经取消" in again.content.decode()


def test_the_one_click_unsubscribe_of_rfc_8058_needs_no_page_and_no_csrf_token(real_policy, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    sign_up(Client(), ADDRESS)
    Client().post(link_in(mailoutbox[0], "confirm"))
    unsubscribe = links.unsubscribe_path(Subscription.objects.get())
    response = client.post(unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not Subscription.objects.exists()


def test_the_sign_up_form_keeps_its_csrf_protection(real_policy, mailoutbox):
    response = sign_up(Client(enforce_csrf_checks=True))
    assert response.status_code == 403 and mailoutbox == []


# --- fair use ------------------------------------------------------------------------------------


def test_one_client_signing_up_too_often_gets_a_429_saying_when_to_try_again(client, real_policy, settings, mailoutbox):
    settings.FOLLOW_RATE_LIMIT = (2, 3600)
    assert sign_up(client, "a@example.cn").status_code == 302
    assert sign_up(client, "b@example.cn").status_code == 302
    response = sign_up(client, "c@example.cn")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "提交过于频繁" in response.content.decode()
    assert len(mailoutbox) == 2
    assert sign_up(client, "c@example.cn", REMOTE_ADDR="198.51.100.7").status_code == 302  # another client


def test_a_new_forwarded_for_header_on_each_sign_up_does_not_escape_the_limit(
    client, real_policy, settings, mailoutbox
):
    settings.FOLLOW_RATE_LIMIT = (2, 3600)
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    direct = {"REMOTE_ADDR": "203.0.113.66"}  # no trusted proxy: the header is the client's own writing
    assert sign_up(client, "a@example.cn", HTTP_X_FORWARDED_FOR="1.1.1.1", **direct).status_code == 302
    assert sign_up(client, "b@example.cn", HTTP_X_FORWARDED_FOR="2.2.2.2", **direct).status_code == 302
    assert sign_up(client, "c@example.cn", HTTP_X_FORWARDED_FOR="3.3.3.3, 10.0.0.1", **direct).status_code == 429
    # Through the trusted proxy, each client is the address the proxy appended.
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert sign_up(client, "c@example.cn", HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy).status_code == 429
    assert sign_up(client, "c@example.cn", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302
    assert len(mailoutbox) == 3


def test_an_address_gets_only_so_many_mails_and_the_form_still_answers_the_same(
    client, real_policy, settings, mailoutbox
):
    settings.FOLLOW_ADDRESS_RATE_LIMIT = (2, 24 * 3600)
    answers = [sign_up(client, ADDRESS, REMOTE_ADDR=f"192.0.2.{n}") for n in range(4)]
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/follow/sent/")}
    assert len(mailoutbox) == 2


# --- never cached, never public ----------------------------------------------------------------


def test_the_alerts_pages_are_never_cached_or_indexed(client, real_policy, mailoutbox):
    subscription = confirmed(client, mailoutbox)
    for url in (
        "/follow/?kind=policy&policy=kjcx-2025",
        "/follow/sent/",
        links.manage_path(subscription),
        links.unsubscribe_path(subscription),
    ):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "ETag" not in response, url
        assert response["X-Robots-Tag"] == "noindex"
    assert client.get(links.manage_path(subscription))["Referrer-Policy"] == "no-referrer"


def test_subscribers_addresses_are_in_no_public_answer_download_or_backup(client, real_policy, mailoutbox):
    confirmed(client, mailoutbox)
    public = [
        "/",
        "/policies/kjcx-2025/measures/3/",
        "/changes/",
        "/changes/feed/",
        "/sitemap.xml",
        "/api/v1/policies/",
        "/api/v1/related-documents/",
        "/api/schema/",
        "/downloads/awards.json",
        "/downloads/clauses.json",
        "/downloads/documents.json",
        "/downloads/documents.csv",
    ]
    for url in public:
        body = client.get(url).content.decode()
        assert "example.cn" not in body and "subscription" not in body.lower(), url
    out = io.StringIO()
    call_command("export_content", stdout=out)
    backup = json.loads(out.getvalue())
    assert "wang@example.cn" not in out.getvalue()
    assert not {o["model"] for o in backup["objects"]} & {"measures.subscription", "measures.delivery"}


def test_editors_see_how_many_follow_what_but_not_who(client, real_policy, editor_client, mailoutbox):
    confirmed(client, mailoutbox)
    sign_up(client, "li@example.cn")
    html = page(editor_client, "/admin/measures/subscription/")
    assert "《若干措施》第3条 拓展科技交流合作平台" in html
    assert "已确认：1 项关注；待确认：1 项" in html
    assert "example.cn" not in html
    pk = Subscription.objects.first().pk
    assert editor_client.get(f"/admin/measures/subscription/{pk}/change/").status_code in (302, 403)
    assert editor_client.get(f"/admin/measures/subscription/{pk}/delete/").status_code == 403


def test_a_user_with_the_address_permission_sees_the_addresses(client, real_policy, editor, mailoutbox):
    confirmed(client, mailoutbox)
    editor.user_permissions.add(Permission.objects.get(codename="view_subscriber_address"))
    staff = Client()
    staff.force_login(User.objects.get(pk=editor.pk))
    assert ADDRESS in page(staff, "/admin/measures/subscription/")
    assert ADDRESS in page(staff, f"/admin/measures/subscription/{Subscription.objects.get().pk}/change/")


def test_the_clean_up_deletes_what_was_never_confirmed(client, real_policy, mailoutbox):
    sign_up(client)
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    call_command("send_notifications", stdout=io.StringIO())
    assert not Subscription.objects.exists()
