"""The application windows as an iCalendar (RFC 5545) feed, written with the `icalendar` library: one
all-day event per award with a dated window, from its opening day (or its closing day when only that is
known) to its closing day, with two reminders (VALARM) 14 and 3 days before it closes, at 9:00 Xiamen
time. The UID names the award only, so a window whose dates change replaces its event in the programs
that subscribed. Year-round and annual-notice windows have no date to place and are left out."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from measures.domain.eligibility import WindowKind
from measures.public.formatting import official_url

REMINDER_DAYS = (14, 3)
REMINDER_HOUR = 9  # in the site's time zone (Xiamen), when the reminder shows
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(award) -> str:
    return f"award-{award.pk}-window@{urlsplit(settings.SITE_URL).netloc}"


def calendar_of(awards, name: str, page_url: str) -> bytes:
    """The feed called `name` (the calendar's name in the programs) of these awards (with clause, measure,
    policy and `facts` loaded); `page_url` is the page it mirrors, named in the feed."""
    calendar = Calendar()
    calendar.add("prodid", "-//xmpolicy//application calendar//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("url", page_url)
    stamp = timezone.now().replace(microsecond=0)
    for award in awards:
        window = award.facts.window
        if window is not None and window.kind == WindowKind.DATES:
            calendar.add_component(_event(award, window, stamp))
    return calendar.to_ical()


def _event(award, window, stamp) -> Event:
    clause = award.clause
    measure = clause.measure
    page = settings.SITE_URL + clause.get_absolute_url()
    first = window.opens or window.closes
    last = window.closes or window.opens
    title = _("申报：第%(number)d条 %(title)s %(amount)s") % {
        "number": measure.number,
        "title": measure.title,
        "amount": award.localized_display_text,
    }
    event = Event()
    event.add("uid", uid(award))
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("dtend", last + datetime.timedelta(days=1))  # an all-day event ends the day after (RFC 5545)
    event.add("summary", title)
    event.add("description", "\n".join(_description(award, window, page)))
    event.add("url", page)
    event.add("transp", "TRANSPARENT")  # a window does not make its follower busy
    if window.closes:
        for days in REMINDER_DAYS:
            event.add_component(_alarm(window.closes, days, title))
    return event


def _description(award, window, page) -> list[str]:
    facts = award.facts
    pending = _("待录入")
    policy = award.clause.measure.policy
    lines = [
        _("政策：《%(title)s》") % {"title": policy.title},
        _("金额：%(amount)s%(nature)s")
        % {"amount": award.localized_display_text, "nature": award.get_nature_display()},
        _("支持对象：%(recipient)s") % {"recipient": award.recipient},
        _("申报时间：%(opens)s 至 %(closes)s")
        % {"opens": window.opens or _("未公布"), "closes": window.closes or _("未公布")},
        _("责任单位：%(names)s") % {"names": "、".join(d.name for d in facts.departments) or pending},
    ]
    guides = [f"{guide.title} {guide.url}" for guide in facts.guides]
    lines.append(_("申兑指南：%(guides)s") % {"guides": "；".join(guides) or pending})
    entry = facts.entry
    where = f"{entry.name} {official_url(entry.url)}".strip() if entry else ""
    lines.append(_("办理入口：%(entry)s") % {"entry": where or pending})
    lines.append(_("详情：%(page)s") % {"page": page})
    return lines


def _alarm(closes: datetime.date, days: int, title: str) -> Alarm:
    when = datetime.datetime.combine(closes - datetime.timedelta(days=days), datetime.time(REMINDER_HOUR))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("%(days)d天后截止：%(title)s") % {"days": days, "title": title})
    # An absolute trigger must say so (VALUE=DATE-TIME): a TRIGGER's default type is a duration.
    alarm.add("trigger", timezone.make_aware(when).astimezone(datetime.UTC), parameters={"VALUE": "DATE-TIME"})
    return alarm
