"""The alerts' mail: the confirmation of a sign-up, the changes a subscription follows, and reminders
(a followed window opening or about to close, a followed policy entering its last six months).

Each is plain text with an HTML alternative, in the subscriber's language, with absolute links on the
site's own address (SITE_URL). A mail of changes lists each change as the public history pages show it
(measures/public/timeline.py): when, what, the reason (变更说明), and what changed, amounts and other
short values whole ("200万元 → 300万元"), texts whole in the plain text and marked character by
character in the HTML; each links to the change on its measure's history page. It carries the RFC 8058
one-click unsubscribe (List-Unsubscribe and List-Unsubscribe-Post) and a link to the page where the
subscriber sees and changes everything the address follows.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures.domain.models import Award, Policy, measure_path
from measures.domain.subscriptions import CONFIRMATION_DAYS, Reminder, Subscription
from measures.public import timeline
from measures.public.alerts import links, targets
from measures.public.formatting import html_lang, official_url

SITE_NAME_PREFIX = "【%(site)s】"


def _subject(text: str) -> str:
    prefix = SITE_NAME_PREFIX % {"site": _("厦门科技创新政策库")}
    # A header holds one line: a title typed with a line break must not start another header.
    return " ".join(f"{prefix}{text}".split())


def _message(subscription: Subscription, subject: str, template: str, context: dict, headers=None):
    context = {**context, "site_url": settings.SITE_URL, "lang": html_lang(translation.get_language())}
    text = render_to_string(f"alerts/mail/{template}.txt", context)
    html = render_to_string(f"alerts/mail/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=_subject(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation(subscription: Subscription, *, already_confirmed: bool) -> EmailMultiAlternatives:
    """The answer to a sign-up: a link to confirm it, or (the address already follows this) a link
    to the page where it manages what it follows. The form says the same in both cases; only the
    address's owner reads which it was."""
    with translation.override(subscription.language):
        what = targets.describe(subscription)
        context = {
            "what": what,
            "days": CONFIRMATION_DAYS,
            "already_confirmed": already_confirmed,
            "confirm_url": links.absolute(links.confirm_path(subscription)),
            "manage_url": links.absolute(links.manage_path(subscription)),
        }
        if already_confirmed:
            subject = _("您已关注：%(what)s") % {"what": what}
        else:
            subject = _("请确认关注：%(what)s") % {"what": what}
        return _message(subscription, subject, "confirm", context)


def changes(subscription: Subscription, entries: list, *, digest: bool) -> EmailMultiAlternatives:
    """The mail of `entries` (public history entries, oldest first) for one subscription. Two queries
    to describe the changes, one to describe what is followed and link to it."""
    with translation.override(subscription.language):
        what, followed_path = targets.followed(subscription)
        shown = timeline.changes_of(entries)
        entry_of = {f"{entry.subject}-{entry.history_id}": entry for entry in entries}
        items = [
            {
                "change": change,
                "title": timeline.change_title(change),
                "award": _award_text(entry_of[change.key]),
                "url": links.absolute(timeline.change_url(change)),
                "fields": [_field(change, field) for field in change.fields],
            }
            for change in shown
        ]
        unsubscribe_url = links.absolute(links.unsubscribe_path(subscription))
        context = {
            "what": what,
            "items": items,
            "digest": digest,
            "follow_url": links.absolute(followed_path),
            "manage_url": links.absolute(links.manage_path(subscription)),
            "unsubscribe_url": unsubscribe_url,
            "frequency": subscription.get_frequency_display(),
        }
        count = len(items)
        if digest:
            subject = ngettext(
                "每日汇总：%(what)s 有 %(count)s 项更新", "每日汇总：%(what)s 有 %(count)s 项更新", count
            ) % {"what": what, "count": count}
        elif count == 1:
            headline = change_headline(shown[0], entry_of[shown[0].key])
            subject = _("%(change)s · %(what)s") % {"what": what, "change": headline}
        else:
            subject = ngettext("%(what)s 有 %(count)s 项更新", "%(what)s 有 %(count)s 项更新", count) % {
                "what": what,
                "count": count,
            }
        headers = {
            # RFC 8058: a mail client may offer "unsubscribe" and POST List-Unsubscribe=One-Click to this URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        return _message(subscription, subject, "changes", context, headers)


def facts_entered(subscription: Subscription) -> EmailMultiAlternatives:
    """The mail telling a measure's follower that its application facts (申兑信息) were entered or changed
    (measures/public/alerts/facts.py): what is followed, and a link to its page, where they are shown.
    Two queries."""
    with translation.override(subscription.language):
        what, followed_path = targets.followed(subscription)
        unsubscribe_url = links.absolute(links.unsubscribe_path(subscription))
        context = {
            "what": what,
            "follow_url": links.absolute(followed_path),
            "manage_url": links.absolute(links.manage_path(subscription)),
            "unsubscribe_url": unsubscribe_url,
            "frequency": subscription.get_frequency_display(),
        }
        subject = _("%(what)s：申报信息已录入或更新") % {"what": what}
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        return _message(subscription, subject, "facts", context, headers)


# A value short enough to state in a subject, before and after ("50万元→60万元"); a longer text is only named.
SUBJECT_VALUE_LENGTH = 30


def change_headline(change, entry) -> str:
    """One change stated in a line, for a mail's subject: '第3条：对台科技合作与交流基地奖励上限 50万元→60万元',
    '第3条第1段：条件 新入选→新获批', '第3条：新增 最高300万元支持（金砖创新合作项目）'; else what changed and how
    ('第3条 第1段 修改')."""
    measure = _("第%(number)s条") % {"number": change.measure.number}
    if change.summary:
        text = change.summary
        if len(text) > SUBJECT_VALUE_LENGTH:
            text = text[:SUBJECT_VALUE_LENGTH] + "…"
        return _("%(measure)s：%(kind)s %(what)s") % {"measure": measure, "kind": change.kind_label, "what": text}
    short = [f for f in change.fields if f.old and f.new and max(len(f.old), len(f.new)) <= SUBJECT_VALUE_LENGTH]
    if not short:
        return timeline.change_title(change)
    field = next((f for f in short if f.name == "amount_yuan"), short[0])
    values = entry.new_values or {}
    if field.name == "amount_yuan" and values.get("recipient"):
        nature = Award.Nature(values["nature"]).label if values.get("nature") in Award.Nature.values else ""
        ceiling = _("上限") if values.get("limit") == Award.Limit.CEILING else ""
        what = f"{values['recipient']}{nature}{ceiling}"
    else:
        what = field.label
    return _("%(measure)s：%(what)s %(old)s→%(new)s") % {
        "measure": measure,
        "what": what,
        "old": field.old,
        "new": field.new,
    }


def reminders(subscription: Subscription, due: list, today) -> EmailMultiAlternatives:
    """The mail of reminders due today (reminders.py): `due` holds (occasion, DueWindow) for a window that
    opened or is about to close, (occasion, Policy) for a policy entering its last six months. A window
    is listed once with all its occasions. Two queries to describe what is followed."""
    with translation.override(subscription.language):
        what, followed_path = targets.followed(subscription)
        windows: dict[int, dict] = {}
        policies = []
        for occasion, item in due:
            if isinstance(item, Policy):
                policies.append(_expiring(item, today))
                continue
            entry = windows.setdefault(id(item), _window(item, today))
            entry["opened"] = entry["opened"] or occasion == Reminder.Occasion.OPENS
        items = list(windows.values())
        unsubscribe_url = links.absolute(links.unsubscribe_path(subscription))
        context = {
            "what": what,
            "windows": items,
            "policies": policies,
            "follow_url": links.absolute(followed_path),
            "manage_url": links.absolute(links.manage_path(subscription)),
            "unsubscribe_url": unsubscribe_url,
            "reminders": subscription.reminders,
        }
        if len(items) == 1:
            subject = _("申报提醒：%(name)s %(when)s") % {"name": items[0]["name"], "when": items[0]["when"]}
        elif items:
            subject = ngettext("申报提醒：%(count)s 项申报时间", "申报提醒：%(count)s 项申报时间", len(items)) % {
                "count": len(items)
            }
        else:
            subject = policies[0]["headline"]
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        return _message(subscription, subject, "reminders", context, headers)


def _window(due_window, today) -> dict:
    """A window in a reminder: whose it is, its dates, and what is happening (开始申报, N天后截止)."""
    info = due_window.info
    measure = info.owner_measure
    policy = measure.policy
    name = _("《%(policy)s》第%(number)s条 %(title)s") % {
        "policy": policy.short_title or policy.title,
        "number": measure.number,
        "title": measure.title,
    }
    award = ""
    if info.award_id:
        award = f"{info.award.localized_display_text} {info.award.get_nature_display()}（{info.award.recipient}）"
    closes = info.window_closes
    left = (closes - today).days if closes else None
    if left == 0:
        when = _("今天截止")
    elif any(occasion != Reminder.Occasion.OPENS for occasion in due_window.occasions):
        when = ngettext("%(days)s天后截止", "%(days)s天后截止", left) % {"days": left}
    else:
        when = _("已开始申报")
    return {
        "name": name,
        "award": award,
        "opens": info.window_opens,
        "closes": closes,
        "when": when,
        "opened": False,
        "url": links.absolute(measure_path(policy.slug, measure.number)),
        # 去办理, as the pages show it: the official entry's name, its address only if a web page's.
        "entry": due_window.entry,
        "entry_url": official_url(due_window.entry.url) if due_window.entry else "",
    }


def _expiring(policy: Policy, today) -> dict:
    """A policy in its last months, said as its pages say it (Policy.validity_warning): the day it is
    no longer in force, and its last day in force."""
    title = f"《{policy.short_title or policy.title}》"
    warning = policy.validity_warning(today)
    dates = {"ends_on": warning.ends_on.isoformat(), "last_day": warning.last_day.isoformat()}
    return {
        "title": title,
        **dates,
        "headline": _("%(policy)s将于%(ends_on)s失效（有效期至%(last_day)s）") % {"policy": title, **dates},
        "url": links.absolute(policy.get_absolute_url()),
    }


def _award_text(entry) -> str:
    """An award change's award in a few words, as the pages show it: '最高300万元 支持（金砖创新合作项目）'
    (its values after the change, or before a deletion). Empty for a clause or a measure."""
    values = entry.new_values or entry.old_values
    if entry.subject != "award" or not values:
        return ""
    award = Award(**{name: values.get(name) for name in AWARD_TEXT_FIELDS})
    return f"{award.localized_display_text} {award.get_nature_display()}（{award.recipient}）"


AWARD_TEXT_FIELDS = ("amount_yuan", "limit", "recurrence", "per_recipient", "nature", "recipient")


def _field(change, field) -> dict:
    """A changed field as the mail shows it: short values whole, long texts also as a character diff."""
    model = timeline.MODELS.get(change.subject)  # none for an award's kinds: a list of names
    try:
        model_field = model._meta.get_field(field.name) if model else None
    except FieldDoesNotExist:  # the place a row moved from and to
        model_field = None
    is_text = isinstance(model_field, (models.CharField, models.TextField)) and not model_field.choices
    return {
        "label": _("金额") if field.name == "amount_yuan" else field.label,
        "old": field.old,
        "new": field.new,
        "segments": field.segments if is_text and field.old and field.new else None,
    }
