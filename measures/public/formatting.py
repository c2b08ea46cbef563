"""How the public pages write numbers, language tags and links: plain functions, registered as
template filters by measures/templatetags/measures_extras.py and called by views where they need them.

Dates are Django's own `date` filter: DATE_FORMAT reads "2025年2月17日" in Chinese (Django's format)
and "17 February 2025" in English (xmpolicy/formats/en/formats.py)."""

import datetime
import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
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


def zh(text, element="span"):
    """Policy content (always Chinese) inside an English page, as <span lang="zh-Hans">, so that a screen
    reader reads it with a Chinese voice (WCAG 3.1.2, language of parts); inside an SVG <text>, `element`
    is "tspan". On a Chinese page, and when empty, the text as it is."""
    if text in (None, "") or not is_english(translation.get_language()):
        return text
    tag = "tspan" if element == "tspan" else "span"
    return format_html('<{} lang="zh-Hans">{}</{}>', tag, text, tag)


def zh_lang():
    """` lang="zh-Hans"` for an element holding policy content on an English page; '' on a Chinese one."""
    return mark_safe(' lang="zh-Hans"') if is_english(translation.get_language()) else ""


def gloss(item):
    """A policy's, pillar's or measure's English gloss (title_en) after its Chinese title on an English
    page, marked as an unofficial translation; '' on a Chinese page or where no gloss is recorded."""
    text = getattr(item, "title_en", "")
    if not text or not is_english(translation.get_language()):
        return ""
    return format_html(
        ' <span class="gloss"><span class="gloss__label">{}</span> {}</span>', translation.gettext("非官方译文："), text
    )


# The figure of an amount with its unit, as money.format_award writes it: 3000万元, 0.5亿元, RMB 30 million.
_FIGURE = re.compile(r"RMB [0-9][0-9,.]*(?: (?:million|billion))?|[0-9][0-9,.]*[万亿]?元")


def amount(text):
    """An award's display text, escaped, with its figure and unit in <span class="amount-figure">, which the
    stylesheet keeps on one line: at 200% zoom in the 长辈版 the words around it may wrap, the figure never
    splits ("一次性3000 / 万元")."""
    if not text:
        return text
    marked = _FIGURE.sub(
        lambda figure: f'<span class="amount-figure">{figure.group()}</span>', conditional_escape(text)
    )
    return mark_safe(marked)  # escaped above: only the spans are markup


def kind_label(name, name_en=""):
    """A recipient kind's name as plain text for a label (a finder chip): "English (中文)" on an English
    page where a gloss is recorded, else the Chinese name; a template marks its Chinese with zh_runs."""
    if name_en and is_english(translation.get_language()):
        return f"{name_en} ({name})"
    return name


def kind_name(kind):
    """A recipient kind as the reader names it: its Chinese name on a Chinese page; on an English one its
    English name (RecipientKind.name_en, an unofficial gloss) with the policy's own words after it, or
    the Chinese name alone where no gloss is recorded."""
    if not is_english(translation.get_language()):
        return kind.name
    if getattr(kind, "name_en", ""):
        return format_html('{} (<span lang="zh-Hans">{}</span>)', kind.name_en, kind.name)
    return format_html('<span lang="zh-Hans">{}</span>', kind.name)


# A run of Chinese inside English text: Han characters and CJK punctuation (〔〕《》、，), with the digits,
# curly quotes and ASCII punctuation between them (a source's text sometimes writes "，" as ","), and the
# digits that lead into them (500万以上, 厦委发〔2025〕1号).
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CHINESE_RUN = re.compile(f"[0-9.]*[{_CJK}](?:[{_CJK}0-9.“”,;:!?()%]*[{_CJK}])?")


def zh_runs(text):
    """Interface text in English that quotes Chinese ("Minimum (万元, RMB 10,000)"), escaped, with each
    Chinese run in <span lang="zh-Hans"> (WCAG 3.1.2); on a Chinese page, the text as it is. A safe
    string (a blocktranslate's asvar) is taken as text already escaped: it must hold no markup."""
    if text in (None, "") or not is_english(translation.get_language()):
        return text
    marked = _CHINESE_RUN.sub(lambda run: f'<span lang="zh-Hans">{run.group()}</span>', conditional_escape(text))
    return mark_safe(marked)  # escaped above: only the spans are markup


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
