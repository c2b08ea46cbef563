"""Public pages. Each reads the domain through the named QuerySet methods in measures/domain/models.py,
so the number of SQL queries per page is fixed whatever the amount of data (pinned in
tests/test_pages.py).

Links inside the pages are built from the policy's slug with {% url %}, never with a measure's or
pillar's get_absolute_url(): those read `.policy`, one query per row unless it was joined."""

from django.db.models import Count, Window
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.domain.documents import RelatedDocument
from measures.domain.eligibility import RecipientKind, attach_eligibility, coming_expected_windows
from measures.domain.models import Award, Measure, Policy, PublicationStatus
from measures.domain.questions import QuestionAnswer
from measures.domain.upcoming import scheduled_publications
from measures.public import linked_data
from measures.public.alerts import follow_url
from measures.public.charts import award_chart
from measures.public.formatting import site_url
from measures.public.qrcode import qr_svg
from measures.public.timeline import last_change
from measures.public.views import history

# How many of the largest awards the policy page lists among its headline figures.
LARGEST_AWARDS_SHOWN = 3


def home(request):
    # With the number of policies in the library, for its link (全部政策（N）): a window over every policy,
    # counted by the same query.
    policy = Policy.objects.for_overview().featured().annotate(library_size=Window(Count("pk"))).first()
    if policy is None:
        return render(request, "measures/empty.html")
    return _render_policy(request, policy, is_home=True)


def policy_detail(request, slug):
    policy = get_object_or_404(Policy.objects.for_overview(), slug=slug)
    return _render_policy(request, policy, is_home=False)


def _render_policy(request, policy, *, is_home):
    """The policy page: five queries for the policy and its tree (for_overview), one for who may apply,
    two for the headline figures, one for the award chart, two for the related documents and their
    measures."""
    policy_awards = Award.objects.published().in_policy(policy)
    largest_awards = policy_awards.for_listing().largest_first()[:LARGEST_AWARDS_SHOWN]
    context = {
        **_policy_context(policy),
        "is_home": is_home,
        "audience_groups": audience_groups(policy_awards),
        "award_count": policy_awards.count(),
        "largest_awards": list(largest_awards),
        "award_chart": award_chart(policy_awards.for_listing()),
        "documents": RelatedDocument.objects.filter(policy=policy).order_by("position", "pk").listed(),
        "qr_code": page_qr_code(reverse("measures:policy", kwargs={"slug": policy.slug})),
        "follow_url": follow_url(kind="policy", policy=policy.slug),
        "follow_kind": "policy",
        "linked_data": linked_data.script(linked_data.policy_document(policy)),
    }
    return render(request, "measures/policy.html", context)


def audience_groups(awards) -> list[str]:
    """The groups of recipient kinds (创新平台, 孵化载体…) that these awards are open to, in the groups'
    order: who the policy is for, as far as its awards are recorded. One query."""
    found = set(RecipientKind.objects.filter(award_links__award__in=awards).values_list("group", flat=True))
    return [label for value, label in RecipientKind.Group.choices if value in found]


def pillar_detail(request, slug, number):
    # The pillar is read with its policy's whole tree (for_overview): five queries, whatever the
    # data, and the page gets its neighbours and the policy's status for free.
    policy = get_object_or_404(Policy.objects.for_overview(), slug=slug)
    pillars = list(policy.pillars.all())
    index = next((i for i, pillar in enumerate(pillars) if pillar.number == number), None)
    if index is None:
        raise Http404("没有这个方面。")
    context = {
        **_policy_context(policy),
        "pillar": pillars[index],
        "previous_pillar": pillars[index - 1] if index > 0 else None,
        "next_pillar": pillars[index + 1] if index + 1 < len(pillars) else None,
    }
    return render(request, "measures/pillar.html", context)


def measure_detail(request, slug, number):
    # A draft measure is, to the public, one whose text is not yet known: the pending page.
    measure = Measure.objects.published().for_detail().filter(policy__slug=slug, number=number).first()
    if measure is None:
        policy = get_object_or_404(Policy, slug=slug)
        if 1 <= number <= policy.declared_measure_count:
            # A declared measure whose text is not yet known: say so instead of a bare 404.
            context = {"policy": policy, "number": number, "validity_warning": policy.validity_warning()}
            return render(request, "measures/measure_pending.html", context, status=404)
        raise Http404("没有这条措施。")
    return render_measure(request, measure)


def render_measure(
    request, measure, *, template="measures/measure.html", eligibility=attach_eligibility, extra=None, public=True
):
    """A measure's page from the measure `for_detail()` gives (its clauses and their awards prefetched):
    the public page, and the editors' preview of a draft (measures/public/views/preview.py), which
    passes its own template, its `eligibility` reading for awards not yet saved where they will be,
    and `extra` context, and is not `public` (no JSON-LD: only published content is described)."""
    policy = measure.policy
    # Who can apply for each award and how (four queries, none without awards): on `award.kinds`, `award.facts`;
    # not on the measure as it stood on a day (?as_of), whose awards come from their history.
    # The measure's own facts too, for its 去办理 under the title (`measure.facts`, from the same queries).
    pending_facts = False
    measure_facts = None
    expected_windows = []
    structured = None
    # When the page last changed and why, under its title (one query); the JSON-LD gives the same date.
    latest = last_change(measure.pk)
    # 政策问答 (one query): the published ones today; ?as_of= reads its own (views/history.py).
    questions = [] if "as_of" in request.GET else question_list(measure, public=public)
    if "as_of" not in request.GET:
        awards = eligibility((award for clause in measure.clauses.all() for award in clause.awards.all()), measure)
        measure_facts = measure.facts
        # Said once on paper (the page says it under each award): no source gives how to apply.
        pending_facts = any(award.facts.nothing_known for award in awards)
        # 已知的后续变化 also lists the expected windows (预计) still to come (no query).
        facts = [measure_facts, *(award.facts for award in awards)]
        expected_windows = coming_expected_windows(facts, timezone.localdate())
        if public:  # the measure as the public sees it today, not as it stood on a day
            changed_at = latest.date if latest else None
            structured = linked_data.script(linked_data.measure_document(measure, awards, changed_at, questions))
    # One query each: the policy's sources (to name where each clause comes from), the numbers and
    # titles of its measures (for the previous/next links), and the documents concerning the measure.
    sources_by_url = {source.url: source for source in policy.sources.all()}
    siblings = list(Measure.objects.published().for_tree().filter(policy=policy).order_by("number"))
    previous_measure = next((m for m in reversed(siblings) if m.number < measure.number), None)
    next_measure = next((m for m in siblings if m.number > measure.number), None)
    path = reverse("measures:measure", kwargs={"slug": policy.slug, "number": measure.number})
    context = {
        "policy": policy,
        "measure": measure,
        "clauses": [(clause, sources_by_url.get(clause.source_url)) for clause in measure.clauses.all()],
        "previous_measure": previous_measure,
        "next_measure": next_measure,
        # Today's related documents; not on the measure as it stood on a day (?as_of), which they may postdate.
        "documents": []
        if "as_of" in request.GET
        else list(RelatedDocument.objects.concerning(measure).order_by("position", "pk")),
        "qr_code": page_qr_code(path),
        "follow_url": follow_url(kind="measure", policy=policy.slug, measure=measure.number),
        "follow_kind": "measure",
        "pending_facts": pending_facts,
        "measure_facts": measure_facts,
        "last_change": latest,
        "linked_data": structured,
        "validity_warning": policy.validity_warning(timezone.localdate()),
        # 已知的后续变化: only that a reviewed change is scheduled and when (one query); not ?as_of.
        "scheduled_publications": [] if "as_of" in request.GET else scheduled_publications(measure),
        "questions": questions,
        "expected_windows": expected_windows,
        **(extra or {}),
    }
    if "as_of" in request.GET:
        # The measure as it stood on a day (views/history.py): three more queries, from its history.
        return history.measure_as_of(request, context, sources_by_url)
    return render(request, template, context)


def question_list(measure, *, public=True):
    """The measure's 政策问答 in order, with the paragraph each concerns (one query). The public page shows
    the published ones; the editors' preview of a draft measure (not `public`) shows those that will go
    public with it, its published 问答, never a draft 问答."""
    questions = QuestionAnswer.objects.filter(measure=measure, status=PublicationStatus.PUBLISHED)
    if public:
        questions = questions.published()
    return list(questions.for_page())


def page_qr_code(path):
    """The QR code of a page: its canonical address, on the site's own address, without a query."""
    url = site_url(path)
    return qr_svg(url, _("本页网址的二维码：%(url)s") % {"url": url})


def _policy_context(policy):
    """What every page about a policy shows in its metadata block."""
    return {
        "policy": policy,
        # Today in Xiamen (TIME_ZONE), not on the server's clock.
        "validity_status": policy.validity_status(timezone.localdate()),
        "validity_warning": policy.validity_warning(timezone.localdate()),
        "pending_numbers_text": number_ranges(policy.pending_measure_numbers),
    }


def number_ranges(numbers):
    """[7, 8, 9, 10, 11, 12] -> '7–12'; [2, 3, 5, 9, 10] -> '2–3、5、9–10'; [] -> ''."""
    runs = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return "、".join(str(first) if first == last else f"{first}–{last}" for first, last in runs)
