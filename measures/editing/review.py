"""审核 and 定时发布: an editor submits a draft, a reviewer (审核) publishes it, now or at a set time, or
returns it with a comment; nobody publishes what they wrote or submitted, unless the site allows it
(REVIEW_ALLOW_SELF_APPROVAL). Publication itself is publishing.py's; the records are
measures/domain/review.py's. The workflow for editors: docs/editors.md#审核与定时发布.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from measures.domain.models import Award, Clause, Measure
from measures.domain.review import OPEN_STATES, DraftReview, ReviewEvent, ReviewState
from measures.editing.publishing import PublishingError, is_draft, publish_as, published_with

logger = logging.getLogger(__name__)

REVIEWERS_GROUP = "reviewers"
REVIEW_PERMISSION = "measures.review_draft"
# A reviewer is also in the editors group; this group adds only the right to decide.
REVIEWER_CODENAMES = ("review_draft", "change_draftreview", "view_draftreview", "view_reviewevent")
# publish_clause_draft prefixes the longest words ("修改草稿已发布：") to the reason, and history keeps 100.
PUBLIC_REASON_LENGTH = 92
DRAFT_MODELS = (Measure, Clause, Award)
Action = ReviewEvent.Action


class ReviewError(PublishingError):
    """A step of the review refused, with a message for the editor or reviewer."""


def sync_reviewers_group(**kwargs):
    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="measures", codename__in=REVIEWER_CODENAMES)
    )
    return group


def is_reviewer(user) -> bool:
    return bool(user and user.is_active and user.has_perm(REVIEW_PERMISSION))


# --- the draft under review ---------------------------------------------------------------------


def draft_rows(obj) -> list:
    """The rows that go public when `obj` is published (publishing.py): a measure with its draft clauses
    and the draft awards on its clauses; a draft of a change with the awards it carries; else the row.
    Read afresh: the caller's copy of `obj` may be older than the database's."""
    obj = type(obj).objects.get(pk=obj.pk)
    if isinstance(obj, Measure):
        clauses, awards = published_with(obj)
        return [obj, *clauses.order_by("pk"), *awards.order_by("pk")]
    if isinstance(obj, Clause) and obj.draft_of_id is not None:
        return [obj, *Award.objects.filter(clause=obj).order_by("pk")]
    return [obj]


def fingerprint(obj) -> str:
    """The draft's rows and their versions: any save of any of them changes it."""
    rows = ";".join(f"{row._meta.model_name}:{row.pk}:{row.version}" for row in draft_rows(obj))
    return hashlib.sha256(rows.encode()).hexdigest()


def subject(obj) -> str:
    if isinstance(obj, Measure):
        return f"新措施：{obj}"
    if isinstance(obj, Clause) and obj.draft_of_id is not None:
        return f"{obj.draft_of}的修改草稿"
    if isinstance(obj, Clause):
        return f"新条款：{obj}"
    return f"新奖补：{obj.clause}，{obj}"


def authors(obj, review: DraftReview | None = None) -> set[int]:
    """Who wrote the draft (the last editor of each of its rows) and who submitted it."""
    found = {row.updated_by_id for row in draft_rows(obj)}
    if review is not None:
        found.add(review.submitted_by_id)
    return found - {None}


def open_review(obj) -> DraftReview | None:
    content_type = ContentType.objects.get_for_model(obj)
    return DraftReview.objects.filter(content_type=content_type, object_id=obj.pk, state__in=OPEN_STATES).first()


def check_not_own(obj, user, review: DraftReview | None = None) -> None:
    if settings.REVIEW_ALLOW_SELF_APPROVAL:
        return
    if user.pk in authors(obj, review):
        raise ReviewError(
            f"“{subject(obj)}”是您编写或提交的草稿，不能由您自己审核发布：请另一位审核人发布"
            "（只有一人维护的站点可设置 REVIEW_ALLOW_SELF_APPROVAL）。"
        )


def _check_reviewer(user) -> None:
    if not is_reviewer(user):
        raise ReviewError("只有审核人可以发布或退回草稿（create_editor NAME --reviewer）。")


def _record(review, action, user, comment="", publish_at=None) -> ReviewEvent:
    return ReviewEvent.objects.create(review=review, action=action, user=user, comment=comment, publish_at=publish_at)


# --- the steps ----------------------------------------------------------------------------------


@transaction.atomic
def submit(obj, user, reason: str) -> DraftReview:
    """Submit a draft for review (again, after it was returned), with the editor's reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("请填写提交说明：改了什么、依据什么。")
    if not isinstance(obj, DRAFT_MODELS) or not is_draft(obj):
        raise ReviewError(f"“{obj}”已经发布，不是草稿，无需审核。")
    review = open_review(obj)
    if review is not None and review.state != ReviewState.RETURNED:
        raise ReviewError(f"“{subject(obj)}”已经提交，{review.get_state_display()}。")
    if review is None:
        review = DraftReview(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    review.subject = subject(obj)[:200]
    review.reason = reason[: DraftReview._meta.get_field("reason").max_length]
    review.state = ReviewState.SUBMITTED
    review.submitted_by = user
    review.submitted_at = timezone.now()
    review.fingerprint = fingerprint(obj)
    review.decided_by = None
    review.publish_at = None
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:  # submitted by someone else in the meantime (one_open_review_per_draft)
        raise ReviewError(f"“{subject(obj)}”刚刚已被提交审核。") from None
    _record(review, Action.SUBMITTED, user, review.reason)
    return review


def _locked(review: DraftReview) -> DraftReview:
    return DraftReview.objects.select_for_update().select_related("content_type").get(pk=review.pk)


def _reviewed_draft(review: DraftReview):
    """The draft as it was submitted, or ReviewError."""
    obj = review.draft()
    if obj is None or not is_draft(obj):
        raise ReviewError(f"“{review.subject}”已不是草稿（已被删除或已发布）。")
    if fingerprint(obj) != review.fingerprint:
        raise ReviewError(f"“{review.subject}”在提交之后又被修改过：请退回，由编辑核对后重新提交。")
    return obj


@transaction.atomic
def approve(review: DraftReview, user, comment: str = "", publish_at=None) -> DraftReview:
    """Publish the submitted draft now, or at `publish_at` (an aware datetime in the future)."""
    _check_reviewer(user)
    review = _locked(review)
    if review.state != ReviewState.SUBMITTED:
        raise ReviewError(f"“{review.subject}”{review.get_state_display()}，不在待审核状态。")
    obj = _reviewed_draft(review)
    check_not_own(obj, user, review)
    comment = (comment or "").strip()
    review.decided_by = user
    if publish_at is not None:
        if publish_at <= timezone.now():
            raise ReviewError("定时发布时间已过，请选择将来的时间，或留空立即发布。")
        review.state, review.publish_at = ReviewState.SCHEDULED, publish_at
        review.save()
        _record(review, Action.SCHEDULED, user, comment, publish_at)
        return review
    _publish(review, obj, user, comment, event_user=user)
    return review


@transaction.atomic
def return_for_changes(review: DraftReview, user, comment: str) -> DraftReview:
    """Return a submitted (or scheduled) draft to its editor, with the reviewer's comment."""
    _check_reviewer(user)
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError("退回时请写明意见：哪里需要修改、为什么。")
    review = _locked(review)
    if review.state not in (ReviewState.SUBMITTED, ReviewState.SCHEDULED):
        raise ReviewError(f"“{review.subject}”{review.get_state_display()}，不能退回。")
    review.state, review.decided_by, review.publish_at = ReviewState.RETURNED, user, None
    review.save()
    _record(review, Action.RETURNED, user, comment)
    return review


def public_reason(review: DraftReview, comment: str = "") -> str:
    """The reason the public history shows: the editor's, and the reviewer's comment if any."""
    reason = f"{review.reason}（审核：{comment}）" if comment else review.reason
    return reason if len(reason) <= PUBLIC_REASON_LENGTH else reason[: PUBLIC_REASON_LENGTH - 1] + "…"


def _publish(review, obj, user, comment, event_user) -> None:
    publish_as(obj, user, public_reason(review, comment))
    review.state = ReviewState.PUBLISHED
    review.save()
    _record(review, Action.PUBLISHED, event_user, comment)


# --- 发布所选草稿: a reviewer publishing without a submission ------------------------------------


@dataclass
class DirectPublication:
    """What check_may_publish learnt before the draft was published (a draft of a change is deleted)."""

    content_type: ContentType
    object_id: int
    subject: str
    was_draft: bool


def check_may_publish(obj, user) -> DirectPublication:
    """For the admin's 发布所选草稿: only a reviewer, and never their own draft (unless allowed)."""
    _check_reviewer(user)
    was_draft = is_draft(obj)
    if was_draft:
        check_not_own(obj, user, open_review(obj))
    return DirectPublication(ContentType.objects.get_for_model(obj), obj.pk, subject(obj), was_draft)


def record_publication(publication: DirectPublication, user, reason: str) -> None:
    """After 发布所选草稿 published a draft: its open review, if any, closes as published; else one is
    recorded, so that every publication is in the review history."""
    if not publication.was_draft:
        return
    with transaction.atomic():
        review = (
            DraftReview.objects.select_for_update()
            .filter(content_type=publication.content_type, object_id=publication.object_id, state__in=OPEN_STATES)
            .first()
        )
        if review is None:
            review = DraftReview(
                content_type=publication.content_type,
                object_id=publication.object_id,
                subject=publication.subject[:200],
                reason=reason[:80],
                submitted_by=None,
                fingerprint="",
            )
        review.state, review.decided_by, review.publish_at = ReviewState.PUBLISHED, user, None
        review.save()
        _record(review, Action.PUBLISHED, user, f"{reason}（发布所选草稿）")


# --- 定时发布 -----------------------------------------------------------------------------------


@dataclass
class DueReport:
    published: int = 0
    returned: int = 0
    skipped: int = 0


def publish_due(now=None) -> DueReport:
    """Publish the scheduled drafts whose time has come. Safe to run every minute, twice at once and again
    after a crash: each review is published in its own transaction, locked, and only while scheduled."""
    now = now or timezone.now()
    report = DueReport()
    due = DraftReview.objects.filter(state=ReviewState.SCHEDULED, publish_at__lte=now)
    for pk in list(due.order_by("publish_at", "pk").values_list("pk", flat=True)):
        try:
            outcome = _publish_one(due.filter(pk=pk))
        except DatabaseError:
            # Another writer's lock met this one's (PostgreSQL broke a deadlock): this review's
            # transaction was rolled back whole, still scheduled; the next run publishes it.
            logger.warning("publish_due: review %s left to the next run", pk, exc_info=True)
            outcome = "skipped"
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


@transaction.atomic
def _publish_one(reviews) -> str:
    review = _lock_due(reviews)
    if review is None:
        return "skipped"
    try:
        with transaction.atomic():
            obj = _reviewed_draft(review)
            _publish(review, obj, review.decided_by, "", event_user=None)
        return "published"
    except PublishingError as error:
        # Not published: back to its editor with the reason, as a reviewer would return it.
        review.state, review.publish_at = ReviewState.RETURNED, None
        review.save()
        _record(review, Action.RETURNED, None, f"定时发布未执行：{error}")
        return "returned"


def _lock_due(reviews) -> DraftReview | None:
    """The review, locked for this transaction while still scheduled and due; None if another runner
    holds it or has published it."""
    if connection.features.has_select_for_update_skip_locked:
        return reviews.select_for_update(skip_locked=True).select_related("content_type").first()
    # SQLite: this write, the transaction's first, takes the database's write lock until the commit; a
    # second runner waits here and then finds the review no longer scheduled. It changes no value.
    if not reviews.update(state=F("state")):
        return None
    return reviews.select_related("content_type").first()
