"""How the public pages write numbers, language tags and links: plain functions, registered as
template filters by measures/templatetags/measures_extras.py and called by views where they need them.

Dates are Django's own `date` filter: DATE_FORMAT reads "2025年2月17日" in Chinese (Django's format)
and "17 February 2025" in English (xmpolicy/formats/en/formats.py)."""

import datetime
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from xmpolicy.locale import is_english

_DIGITS = "〇一二三四五六七八九"


def zh_numeral(value):
    """1 -> '一', 10 -> '十', 12 -> '十二', 40 -> '四十': how a policy numbers its parts (一、二、…).

    Numbers outside 1–99 are returned as they are."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return value
    if not 1 <= n <= 99:
        return str(n)
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def pillar_numeral(value):
    """A pillar's number in the interface language: '二' in Chinese (二、深化…), '2' in English."""
    return str(value) if is_english(translation.get_language()) else zh_numeral(value)


def html_lang(language_code):
    """Django's language code as the BCP 47 tag of <html lang>: 'zh-hans' -> 'zh-Hans', 'en-gb' -> 'en-GB'."""
    language, *subtags = str(language_code).split("-")
    fixed = [tag.title() if len(tag) == 4 else tag.upper() if len(tag) == 2 else tag for tag in subtags]
    return "-".join([language.lower(), *fixed])


def zh(text):
    """Policy content (always Chinese) inside an English page, as <span lang="zh-Hans">, so that a screen
    reader reads it with a Chinese voice (WCAG 3.1.2, language of parts). On a Chinese page, and when
    empty, the text as it is."""
    if text in (None, "") or not is_english(translation.get_language()):
        return text
    return format_html('<span lang="zh-Hans">{}</span>', text)


def zh_lang():
    """` lang="zh-Hans"` for an element holding policy content on an English page; '' on a Chinese one."""
    return mark_safe(' lang="zh-Hans"') if is_english(translation.get_language()) else ""


_WEB_URL = URLValidator()  # the rule of the models' URLField: http, https, ftp or ftps, well formed


def web_url(value):
    """`value` if it is an address a source link may point to (what URLField accepts), else ''.

    The admin and load_policy validate source addresses, but a restored backup or a direct database
    edit does not: a 'javascript:' or 'data:' address must never become a clickable href, so a
    template shows such a value as text instead of a link."""
    try:
        _WEB_URL(value)
    except ValidationError:
        return ""
    return value


_OFFICIAL_SITE = URLValidator(schemes=["http", "https"])  # the rule of ApplicationInfo.entry_url


def official_url(value):
    """`value` if it is a web page's address (http or https, well formed), else '': where 去办理 may send
    a reader, even when a restored backup holds what the admin would refuse."""
    try:
        _OFFICIAL_SITE(value)
    except ValidationError:
        return ""
    return value


def site_url(path: str) -> str:
    """`path` on the site's own address (SITE_URL), for what is read away from the site: the links in
    e-mails, the QR codes, a printed page's address. Not the request's host: a QR code or a mail must
    name the site as the public knows it, whatever proxy or port the page was rendered behind."""
    return settings.SITE_URL + path


def on_site(link: str | None) -> str | None:
    """An absolute `link` that a library built on the request's scheme and host (DRF's pages and API
    root), on the site's own address instead; None stays None."""
    if link is None:
        return None
    _scheme, _host, path, query, fragment = urlsplit(link)
    return site_url(urlunsplit(("", "", path, query, fragment)))


def zoned_time(value) -> str:
    """A moment as a mail or a feed's reader reads it wherever they are: local time (TIME_ZONE) with its
    offset from UTC, '2025-03-01 09:30 UTC+8'. Empty for no moment."""
    if not value:
        return ""
    local = timezone.localtime(value)
    offset = local.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    zone = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    return f"{local:%Y-%m-%d %H:%M} {zone}"
