"""Public transparency: a measure's history, the site's change log and its Atom feed, and a
measure page as it stood on a given day (?as_of=YYYY-MM-DD, read by browse.measure_detail).

What counts as a public change, and who is named for it, is measures/public/timeline.py's business."""

import datetime
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from measures.domain.models import Pillar, Policy
from measures.domain.questions import QuestionAnswer
from measures.public import timeline
from measures.public.formatting import site_url, zoned_time

# XML 1.0 has no place for most control characters (a vertical tab pasted from Word, say), and
# Django's feed writer raises on them: the feed drops them from the texts it writes.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Strictly four-digit year, two-digit month and day: 2025-3-1 or 99999-01-01 are refused, not guessed.
AS_OF_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str) -> datetime.date | None:
    """'2025-03-01' -> date(2025, 3, 1); anything else (2025-13-45, abc, 2025-3-1) -> None."""
    if not AS_OF_FORMAT.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def measure_as_of(request, context, sources_by_url):
    """The measure page for ?as_of=: `context` is the current page's, with the measure (policy and
    pillar joined). Four more queries for the history, its 政策问答 included (five if the pillar was another
    then).

    A malformed date is a 400 showing the current text and saying what is wrong; a day before the
    measure was published, a 200 saying so (a valid question with a clear answer: nothing then); a
    day after today, the current text, saying so."""
    measure = context["measure"]
    text = request.GET.get("as_of", "")
    day = parse_day(text)
    if day is None or day > timezone.localdate():
        # The current text, its 政策问答 with it (one query).
        context["questions"] = list(QuestionAnswer.objects.published().filter(measure=measure).for_page())
    if day is None:
        as_of = {"state": "malformed", "text": text}
        return render(request, "measures/measure.html", {**context, "as_of": as_of}, status=400)
    if day > timezone.localdate():
        return render(request, "measures/measure.html", {**context, "as_of": {"state": "future", "day": day}})
    snapshot = timeline.measure_as_of(measure, day)
    if snapshot is None:
        as_of = {"state": "missing", "day": day}
        return render(request, "measures/measure.html", {**context, "as_of": as_of, "clauses": [], "questions": []})
    # This request's own copy of the measure, shown with the title and pillar it had then.
    measure.title = snapshot.title
    if snapshot.pillar_id != measure.pillar_id:
        measure.pillar = Pillar.objects.get(pk=snapshot.pillar_id)
    clauses = [(clause, sources_by_url.get(clause.source_url)) for clause in snapshot.clauses]
    context = {**context, "clauses": clauses, "questions": snapshot.questions}
    return render(request, "measures/measure.html", {**context, "as_of": {"state": "past", "day": day}})


def measure_history(request, slug, number):
    """The measure's public changes, newest first: four queries, however many there are. A measure
    the public once saw keeps this page after it is withdrawn or deleted (what was public stays)."""
    policy = Policy.objects.filter(slug=slug).first()
    measure = timeline.public_measure(policy, number) if policy else None
    if measure is None:
        raise Http404(_("没有这条措施。"))
    context = {
        "policy": policy,
        "measure": measure,
        "changes": timeline.measure_changes(measure),
        "limit": timeline.LATEST_CHANGES,
        "validity_warning": policy.validity_warning(timezone.localdate()),
    }
    return render(request, "measures/history.html", context)


def changes(request):
    """The latest public changes across the site: seven queries, however many there are."""
    context = {"changes": timeline.recent_changes(), "limit": timeline.LATEST_CHANGES}
    return render(request, "measures/changes.html", context)


class ChangesFeed(Feed):
    """/changes/feed/: the same changes as /changes/, as Atom."""

    feed_type = Atom1Feed

    def title(self):
        return _("厦门科技创新政策库 · 修改记录")

    def subtitle(self):
        return _("已发布的措施、条款和奖补金额的修改，最新的在前。")

    # Every address on the site's own (SITE_URL), absolute already: Django would put the request's host on them.
    def link(self):
        return site_url(reverse("measures:changes"))

    def feed_url(self):
        return site_url(reverse("measures:changes_feed"))

    def items(self):
        return timeline.recent_changes()

    def item_title(self, change):
        return NOT_XML.sub("", timeline.change_title(change))

    def item_link(self, change):
        return site_url(timeline.change_url(change))

    def item_guid(self, change):
        # An absolute IRI that never changes for the same change (RFC 4287, 4.2.6): a tag URI (RFC 4151)
        # of the site's host and the change's key, whatever its page or the measure's number later.
        host = urlsplit(settings.SITE_URL).hostname
        return f"tag:{host},2025:change-{change.key}"

    def item_guid_is_permalink(self, change):
        return False

    # In Xiamen's time with its offset (+08:00), as the pages and mails give it, rather than in UTC.
    def item_pubdate(self, change):
        return timezone.localtime(change.date)

    def item_updateddate(self, change):
        return timezone.localtime(change.date)

    def item_author_name(self, change):
        return str(change.who)

    def item_description(self, change):
        # Readers take an Atom summary as HTML: every piece of content is escaped here. The time is written
        # with its offset from UTC: a reader shows the summary as it is, wherever its reader is.
        reason = change.reason or _("（未填写变更说明）")
        fields = format_html_join("", "<li>{}：{} → {}</li>", ((f.label, f.old, f.new) for f in change.fields))
        summary = format_html("<p>{}</p>", change.summary) if change.summary else ""
        when = format_html("<p>{}{}</p>", _("时间："), zoned_time(change.date))
        return NOT_XML.sub(
            "", format_html("{}<p>{}{}</p>{}<ul>{}</ul>", when, _("变更说明："), reason, summary, fields)
        )


class MeasureChangesFeed(ChangesFeed):
    """/policies/<slug>/measures/<n>/feed/: the same changes as the measure's history page, as Atom (the
    page links it with <link rel="alternate">). Like that page, it stays for a measure the public once saw."""

    def get_object(self, request, slug, number):
        policy = Policy.objects.filter(slug=slug).first()
        measure = timeline.public_measure(policy, number) if policy else None
        if measure is None:
            raise Http404(_("没有这条措施。"))
        return measure

    def title(self, measure):
        return NOT_XML.sub(
            "",
            _("第%(number)s条 %(title)s · 修改记录") % {"number": measure.number, "title": measure.title},
        )

    def subtitle(self, measure):
        return NOT_XML.sub("", _("《%(policy)s》这条措施已发布的修改，最新的在前。") % {"policy": measure.policy_title})

    def link(self, measure):
        return site_url(reverse("measures:measure_history", args=[measure.policy_slug, measure.number]))

    def feed_url(self, measure):
        return site_url(reverse("measures:measure_feed", args=[measure.policy_slug, measure.number]))

    def items(self, measure):
        return timeline.measure_changes(measure)
