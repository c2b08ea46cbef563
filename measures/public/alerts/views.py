"""The 关注 pages: sign up, confirm, manage what an address follows, unsubscribe.

None is ever cached (they are about one visitor), bad input is a page saying what is wrong, and the
sign-up form answers the same whether or not the address already follows that. The pages a signed link
opens ask for a click (a POST) before they change anything, since mail scanners open links on their
own. See docs/architecture.md#the-关注-pages.
"""

import functools
import hashlib
import logging
import smtplib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from measures.domain.subscriptions import CONFIRMATION_DAYS, Subscription
from measures.public.alerts import links, mail, targets
from measures.public.alerts.forms import MAX_EMAIL_LENGTH, FollowForm
from xmpolicy.ratelimit import client_of, over_limit

logger = logging.getLogger(__name__)

ONE_CLICK = "List-Unsubscribe=One-Click"


def _private(response):
    """Never indexed."""
    response["X-Robots-Tag"] = "noindex"
    return response


def _token_page(response):
    """A page opened by a signed link: its address (the link) is never sent on as a Referer. Only
    these: with no-referrer the browser sends `Origin: null` with a form, which CSRF checking refuses,
    and the token pages' forms need no CSRF token, while the sign-up form does."""
    response["Referrer-Policy"] = "no-referrer"
    return _private(response)


def _notice(request, title, message, *, status=200, link=None, link_text=None):
    context = {"title": title, "message": message, "link": link, "link_text": link_text}
    return _private(render(request, "alerts/notice.html", context, status=status))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request):
    data = request.POST if request.method == "POST" else request.GET
    try:
        target = targets.from_params(data)
    except targets.TargetError as error:
        return _notice(request, _("无法关注"), error.message, status=error.status, link="/", link_text=_("返回首页"))
    context = {
        "target": target,
        "what": targets.describe_target(target),
        "days": CONFIRMATION_DAYS,
        "max_email_length": MAX_EMAIL_LENGTH,
    }
    if request.method != "POST":
        context["form"] = FollowForm(initial={"frequency": Subscription.Frequency.INSTANT})
        return _private(render(request, "alerts/follow.html", context))

    retry_after = _over_client_limit(request)
    if retry_after:
        response = render(request, "alerts/too_many.html", {"retry_after": retry_after}, status=429)
        response["Retry-After"] = str(retry_after)
        return _private(response)
    form = FollowForm(request.POST)
    if not form.is_valid():
        context["form"] = form
        return _private(render(request, "alerts/follow.html", context, status=400))
    try:
        reminders = form.cleaned_data["reminders"] and target.offers_reminders
        _sign_up(target, form.cleaned_data["email"], form.cleaned_data["frequency"], reminders)
    except (smtplib.SMTPException, OSError) as error:
        logger.error("the confirmation mail could not be sent: %s", error)
        return _notice(
            request, _("邮件暂时无法发送"), _("确认邮件暂时无法发送，请稍后再试。"), status=503, link=target.path
        )
    return redirect("alerts:sent")


def _over_client_limit(request) -> int:
    rate = settings.FOLLOW_RATE_LIMIT
    return over_limit("follow", rate, client_of(request)) if rate else 0


def _over_address_limit(email: str) -> bool:
    rate = settings.FOLLOW_ADDRESS_RATE_LIMIT
    # The counter's key is a digest: addresses are not written into the cache.
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return bool(rate and over_limit("follow-address", rate, digest))


def _sign_up(target: targets.Target, email: str, frequency: str, reminders: bool = False) -> None:
    """Record the sign-up (or leave a confirmed one as it is) and send its one mail."""
    if _over_address_limit(email):
        return  # enough mail to this address for now; the page says the same as ever
    with translation.override("zh-hans"):
        label = targets.describe_target(target)  # kept for the admin, and for when the target is gone
    key = {"email": email, "kind": target.kind, "target_id": target.target_id, "query": target.query}
    try:
        with transaction.atomic():
            subscription, created = Subscription.objects.get_or_create(
                **key,
                defaults={
                    "label": label[:300],
                    "frequency": frequency,
                    "reminders": reminders,
                    "language": translation.get_language(),
                },
            )
    except IntegrityError:  # the same sign-up sent twice at once: the other one made it
        subscription, created = Subscription.objects.get(**key), False
    if not created and not subscription.is_confirmed:
        # Not confirmed yet: the newest choice counts. A confirmed one changes only on its manage page.
        subscription.frequency = frequency
        subscription.reminders = reminders
        subscription.language = translation.get_language()
        subscription.save(update_fields=["frequency", "reminders", "language"])
    mail.confirmation(subscription, already_confirmed=subscription.is_confirmed).send()


@never_cache
@require_safe
def sent(request):
    return _private(render(request, "alerts/sent.html", {"days": CONFIRMATION_DAYS}))


def _link_problem(request, error: links.LinkError, expired_message: str):
    if error.reason == "expired":
        return _notice(request, _("链接已过期"), expired_message, status=410, link="/", link_text=_("返回首页"))
    return _notice(
        request,
        _("链接无效"),
        _("这个链接无效：它可能没有复制完整，或被改动过；较早的邮件中的链接也已停用。请打开最近一封邮件中的链接。"),
        status=400,
        link="/",
        link_text=_("返回首页"),
    )


def token_page(view):
    """The views a signed link opens: no CSRF token (the link is the credential), never cached, and
    their address never sent on."""

    @functools.wraps(view)
    def wrapper(request, token):
        return _token_page(view(request, token))

    return csrf_exempt(never_cache(require_http_methods(["GET", "HEAD", "POST"])(wrapper)))


@token_page
def confirm(request, token):
    expired = _("确认链接已过期：关注需在%(days)s天内确认，未确认的登记已删除。请重新关注。") % {
        "days": CONFIRMATION_DAYS
    }
    try:
        subscription = links.read_confirmation(token)
    except links.LinkError as error:
        return _link_problem(request, error, expired)
    if subscription is None:
        gone = _("这项关注已取消，或因未及时确认而被删除。请重新关注。")
        return _notice(request, _("这项关注已不存在"), gone, status=410)
    what = targets.describe(subscription)
    manage = links.manage_path(subscription)
    if subscription.is_confirmed:
        message = _("您已确认关注“%(what)s”，无需再次确认。") % {"what": what}
        return _notice(request, _("已确认"), message, link=manage, link_text=_("查看、修改或取消您的关注"))
    if request.method != "POST":
        offers = subscription.kind in targets.WITH_REMINDERS
        context = {"what": what, "subscription": subscription, "offers_reminders": offers}
        return _private(render(request, "alerts/confirm.html", context))
    subscription.confirmed_at = timezone.now()
    fields = ["confirmed_at"]
    if request.POST.get("reminders-shown") and subscription.kind in targets.WITH_REMINDERS:
        # The page offered the choice: what it posts is the answer (an unticked box posts nothing).
        subscription.reminders = bool(request.POST.get("reminders"))
        fields.append("reminders")
    subscription.save(update_fields=fields)
    message = _("您已关注“%(what)s”。以后有已发布的修改时，我们会按您选择的频率（%(frequency)s）发邮件给您。") % {
        "what": what,
        "frequency": subscription.get_frequency_display(),
    }
    return _notice(request, _("关注成功"), message, link=manage, link_text=_("查看、修改或取消您的关注"))


@token_page
def unsubscribe(request, token):
    try:
        subscription = links.read_unsubscribe(token)
    except links.LinkError as error:
        return _link_problem(request, error, "")
    one_click = request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click"
    if subscription is None:
        # A valid link to a subscription that is gone: it was cancelled (the link is ours).
        if one_click:
            return HttpResponse(_("已取消关注。"), content_type="text/plain; charset=utf-8")
        return _notice(request, _("已取消关注"), _("这项关注已经取消，您不会再收到它的邮件。"))
    what = targets.describe(subscription)
    if request.method != "POST":
        return _private(render(request, "alerts/unsubscribe.html", {"what": what}))
    subscription.delete()
    if one_click:
        return HttpResponse(_("已取消关注。"), content_type="text/plain; charset=utf-8")
    message = _("您已取消关注“%(what)s”，不会再收到它的邮件。") % {"what": what}
    if not Subscription.objects.managed_by(subscription.manage_key).exists():
        return _notice(request, _("已取消关注"), message)  # nothing else: the manage link died with it
    return _notice(
        request, _("已取消关注"), message, link=links.manage_path(subscription), link_text=_("查看您的其他关注")
    )


@token_page
def manage(request, token):
    try:
        managed = links.read_manage(token).order_by("created_at", "pk")
    except links.LinkError as error:
        return _link_problem(request, error, "")
    subscriptions = list(managed)
    if not subscriptions:
        # Everything it managed is cancelled: the link died with it, and shows no address.
        gone = _("这个邮箱的关注已全部取消，这个链接随之失效。如需再次关注，请在相应页面点击“关注”。")
        return _notice(request, _("链接已失效"), gone, status=410, link="/", link_text=_("返回首页"))
    email = subscriptions[0].email
    notice = None
    if request.method == "POST":
        notice = _apply_changes(managed, subscriptions, request.POST)
        subscriptions = list(managed.all())  # read again: `managed` holds the rows as they were
    rows = [
        {"subscription": s, "what": targets.describe(s), "offers_reminders": s.kind in targets.WITH_REMINDERS}
        for s in subscriptions
    ]
    context = {"email": email, "rows": rows, "notice": notice, "frequencies": Subscription.Frequency.choices}
    return _private(render(request, "alerts/manage.html", context))


def _apply_changes(managed, subscriptions: list, data) -> str:
    """Apply the manage form to the subscriptions its link manages: every subscription's frequency and
    reminders (申报提醒), and those to cancel (or all)."""
    if data.get("action") == "cancel-all":
        managed.delete()
        return _("已取消这个邮箱的全部关注，这个页面的链接随之失效。")
    valid = dict(Subscription.Frequency.choices)
    ignored = False
    for subscription in subscriptions:
        if data.get(f"cancel-{subscription.pk}"):
            subscription.delete()
            continue
        if data.get(f"reminders-shown-{subscription.pk}") and subscription.kind in targets.WITH_REMINDERS:
            reminders = bool(data.get(f"reminders-{subscription.pk}"))
            if reminders != subscription.reminders:
                subscription.reminders = reminders
                subscription.save(update_fields=["reminders"])
        frequency = data.get(f"frequency-{subscription.pk}")
        if frequency is None:
            continue
        if frequency not in valid:
            ignored = True
            continue
        if frequency != subscription.frequency:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
    if ignored:
        return _("已保存；其中无法识别的频率未作修改。")
    return _("已保存。")
