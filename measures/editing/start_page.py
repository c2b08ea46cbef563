"""The editor's start page, above the admin's index: the drafts by state (mine, waiting for review,
returned, scheduled; the 政策问答 still drafts), the awards whose amount their source phrase does not
say, what is still 待录入 (measures not yet recorded or without text, application facts missing) and the
measures due for a check against their sources (核对), each with a link to where it is fixed. A fixed
number of queries plus the amount check's reading of every award (consistency.py). Above them, visitors'
纠错 and 提问 past their due date and those no one has taken yet."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from measures.domain.eligibility import ApplicationInfo, attach_measure_facts
from measures.domain.feedback import Feedback
from measures.domain.models import Award, Clause, Measure, Policy, PublicationStatus
from measures.domain.questions import QuestionAnswer
from measures.domain.review import OPEN_STATES, DraftReview, ReviewState
from measures.editing import review
from measures.editing.consistency import disagreements
from measures.editing.review_admin import submit_url
from measures.editing.source_check import measures_due_for_check

FACT_NAMES = {
    "departments": "责任单位",
    "delivery_mode": "兑现方式",
    "window": "申报时间",
    "guides": "申兑指南",
    "materials": "所需材料",
    "hotline": "咨询电话",
    "entry": "办理入口",
}
# Enough to act on; the full lists are one link away.
LIMIT = 50


@dataclass(frozen=True)
class Entry:
    text: str
    url: str
    note: str = ""
    action: str = ""
    action_url: str = ""


def _change_url(obj) -> str:
    return reverse(f"admin:measures_{obj._meta.model_name}_change", args=[obj.pk])


def _review_url(item: DraftReview) -> str:
    return reverse("admin:measures_draftreview_change", args=[item.pk])


def my_drafts(user) -> list[Entry]:
    """The drafts the user saved last and has not submitted (or that were returned: see returned())."""
    under_review = {
        (item.content_type.model, item.object_id)
        for item in DraftReview.objects.filter(state__in=OPEN_STATES).select_related("content_type")
    }
    drafts = [
        *Measure.objects.filter(status=PublicationStatus.DRAFT, updated_by=user),
        *Clause.objects.filter(Q(status=PublicationStatus.DRAFT) | Q(draft_of__isnull=False), updated_by=user)
        .exclude(measure__status=PublicationStatus.DRAFT)  # published with their measure
        .select_related("measure", "draft_of__measure"),
        *Award.objects.filter(status=PublicationStatus.DRAFT, updated_by=user)
        .exclude(clause__status=PublicationStatus.DRAFT)
        .exclude(clause__measure__status=PublicationStatus.DRAFT)
        .select_related("clause__measure"),
    ]
    return [
        Entry(review.subject(obj), _change_url(obj), action="提交审核", action_url=submit_url(obj))
        for obj in drafts[:LIMIT]
        if (obj._meta.model_name, obj.pk) not in under_review
    ]


def reviews_in(state) -> list[Entry]:
    items = DraftReview.objects.filter(state=state).select_related("submitted_by", "decided_by")
    entries = []
    for item in items.order_by("publish_at", "submitted_at", "pk")[:LIMIT]:
        if state == ReviewState.SUBMITTED:
            note = f"{item.submitted_by or '—'}提交：{item.reason}"
        elif state == ReviewState.SCHEDULED:
            note = f"{timezone.localtime(item.publish_at):%Y-%m-%d %H:%M}发布（{item.decided_by or '—'}审核通过）"
        else:
            last = item.events.order_by("-at", "-pk").first()
            note = f"{item.decided_by or '定时发布'}退回：{last.comment if last else ''}"
        entries.append(Entry(item.subject, _review_url(item), note))
    return entries


def amount_failures() -> list[Entry]:
    return [
        Entry(f"{item.award.clause}：{item.award.display_text}", _change_url(item.award), item.problem)
        for item in disagreements(Award.objects.select_related("clause__measure__policy"))[:LIMIT]
    ]


def pending_measures() -> list[Entry]:
    """Per policy, the declared measures not recorded (the add page, numbered), and recorded ones without text."""
    entries = []
    add = reverse("admin:measures_measure_add")
    for policy in Policy.objects.order_by("slug"):
        recorded = {m.number: m for m in policy.measures.annotate(clause_count=Count("clauses"))}
        for number in range(1, policy.declared_measure_count + 1):
            measure = recorded.get(number)
            if measure is None:
                entries.append(
                    Entry(
                        f"《{policy.short_title or policy.title}》第{number}条",
                        f"{add}?policy={policy.pk}&number={number}",
                        "未录入",
                    )
                )
            elif not measure.clause_count:
                entries.append(Entry(str(measure), _change_url(measure), "没有条款内容"))
    return entries


def missing_facts() -> list[Entry]:
    """Each recorded measure whose application facts (申兑信息) are incomplete, with what is missing."""
    measures = attach_measure_facts(Measure.objects.select_related("policy").order_by("policy__slug", "number"))
    infos = dict(ApplicationInfo.objects.filter(measure__isnull=False).values_list("measure_id", "pk"))
    add = reverse("admin:measures_applicationinfo_add")
    entries = []
    for measure in measures:
        missing = "、".join(FACT_NAMES[name] for name in measure.facts.missing)
        if not missing:
            continue
        info = infos.get(measure.pk)
        url = reverse("admin:measures_applicationinfo_change", args=[info]) if info else f"{add}?measure={measure.pk}"
        entries.append(Entry(str(measure), url, f"待录入：{missing}"))
    return entries


def due_for_check() -> list[Entry]:
    """The published measures not checked against their sources for too long (核对), oldest first."""
    entries = []
    for measure in measures_due_for_check()[:LIMIT]:
        note = f"上次核对：{measure.checked_on:%Y-%m-%d}" if measure.checked_on else "从未核对"
        entries.append(Entry(str(measure), _change_url(measure), note))
    return entries


def feedback_in(queryset) -> list[Entry]:
    """纠错 and 提问 (measures/editing/feedback_admin.py), oldest due first: reference, where, due date."""
    entries = []
    for item in queryset.select_related("handler").order_by("due_on", "received_at")[:LIMIT]:
        note = f"{item.get_kind_display()} · 期限{item.due_on:%Y-%m-%d}"
        note += f" · {item.handler}处理中" if item.handler else " · 无人处理"
        entries.append(Entry(f"{item.reference} {item.concerns}", _change_url(item), note))
    return entries


def draft_questions() -> list[Entry]:
    """The 政策问答 still drafts, for a reviewer to publish on their own form (questions_admin.py): they go
    through no 审核 queue, so this is where they wait. Oldest first; one query."""
    drafts = QuestionAnswer.objects.filter(status=PublicationStatus.DRAFT).select_related("measure", "updated_by")
    entries = []
    for question in drafts.order_by("updated_at", "pk")[:LIMIT]:
        note = f"{question.measure} · {question.updated_at:%Y-%m-%d}"
        if question.updated_by:
            note += f" · {question.updated_by}"
        entries.append(Entry(str(question), _change_url(question), note))
    return entries


def start_page(user) -> dict:
    return {
        "feedback_overdue": feedback_in(Feedback.objects.overdue()),
        "feedback_new": feedback_in(Feedback.objects.filter(state=Feedback.State.NEW)),
        "mine": my_drafts(user),
        "waiting": reviews_in(ReviewState.SUBMITTED),
        "returned": reviews_in(ReviewState.RETURNED),
        "scheduled": reviews_in(ReviewState.SCHEDULED),
        "draft_questions": draft_questions(),
        "amount_failures": amount_failures(),
        "pending_measures": pending_measures(),
        "missing_facts": missing_facts(),
        "due_for_check": due_for_check(),
        "due_for_check_title": f"超过{settings.SOURCE_CHECK_MAX_AGE_DAYS}天未与来源核对的措施",
        "is_reviewer": review.is_reviewer(user),
    }
