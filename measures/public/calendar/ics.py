"""The application windows as an iCalendar (RFC 5545) feed: one all-day event per award with a dated
window, from its opening day (or its closing day when only that is known) to its closing day, with two
reminders (VALARM) 14 and 3 days before it closes, at 9:00 Xiamen time. The UID names the award only, so
a window whose dates change replaces its event in the programs that subscribed. Year-round and
annual-notice windows have no date to place and are left out.

The feed is written here, line by line, rather than with the `icalendar` library: the library took three
quarters of a calculator feed's time at scale (docs/benchmarks.md), and what a feed holds is a few kinds
of line: text (escaped, RFC 5545 §3.3.11), dates, UTC times and URIs, each folded at 75 octets (§3.1).
The suite reads every feed back with the library (tests/test_calendar.py)."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.domain.eligibility import WindowKind
from measures.public.formatting import official_url

REMINDER_DAYS = (14, 3)
REMINDER_HOUR = 9  # in the site's time zone (Xiamen), when the reminder shows
CONTENT_TYPE = "text/calendar; charset=utf-8"
LINE_OCTETS = 75  # a content line's longest, without its CRLF (RFC 5545 §3.1)


def uid(award) -> str:
    return f"award-{award.pk}-window@{urlsplit(settings.SITE_URL).netloc}"


def calendar_of(awards, name: str, page_url: str) -> bytes:
    """The feed called `name` (the calendar's name in the programs) of these awards (with clause, measure,
    policy and `facts` loaded); `page_url` is the page it mirrors, named in the feed."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//xmpolicy//application calendar//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + text_value(name),
        "X-WR-TIMEZONE:" + text_value(settings.TIME_ZONE),
        "URL:" + page_url,
    ]
    stamp = utc_value(timezone.now())
    for award in awards:
        window = award.facts.window
        if window is not None and window.kind == WindowKind.DATES:
            lines += _event(award, window, stamp)
    lines.append("END:VCALENDAR")
    return b"".join(fold_line(line) for line in lines)


def text_value(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line breaks as \\n."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def date_value(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def utc_value(value: datetime.datetime) -> str:
    """A DATE-TIME in UTC (form #2, §3.3.5), to the second."""
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold_line(line: str) -> bytes:
    """The content line in UTF-8, folded (§3.1): no line longer than 75 octets, each continuation starting
    with a space, never inside a character; ended by CRLF."""
    data = line.encode()
    if len(data) <= LINE_OCTETS:
        return data + b"\r\n"
    parts, start, room = [], 0, LINE_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: the character started before
            end -= 1
        parts.append(data[start:end])
        start, room = end, LINE_OCTETS - 1  # the continuation's leading space is one of its octets
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def _event(award, window, stamp: str) -> list[str]:
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
    lines = [
        "BEGIN:VEVENT",
        "UID:" + text_value(uid(award)),
        "DTSTAMP:" + stamp,
        "DTSTART;VALUE=DATE:" + date_value(first),
        # An all-day event ends the day after its last (RFC 5545 §3.6.1).
        "DTEND;VALUE=DATE:" + date_value(last + datetime.timedelta(days=1)),
        "SUMMARY:" + text_value(title),
        "DESCRIPTION:" + text_value("\n".join(_description(award, window, page))),
        "URL:" + page,
        "TRANSP:TRANSPARENT",  # a window does not make its follower busy
    ]
    if window.closes:
        for days in REMINDER_DAYS:
            lines += _alarm(window.closes, days, title)
    lines.append("END:VEVENT")
    return lines


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


def _alarm(closes: datetime.date, days: int, title: str) -> list[str]:
    when = datetime.datetime.combine(closes - datetime.timedelta(days=days), datetime.time(REMINDER_HOUR))
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:" + text_value(_("%(days)d天后截止：%(title)s") % {"days": days, "title": title}),
        # An absolute trigger must say so (VALUE=DATE-TIME): a TRIGGER's default type is a duration.
        "TRIGGER;VALUE=DATE-TIME:" + utc_value(timezone.make_aware(when)),
        "END:VALARM",
    ]
