"""审核: a draft submitted by an editor, reviewed by a second person, and published now or at a set time.

A `DraftReview` follows one draft (a draft measure, clause or award, or a draft of a change to a clause)
from its submission to its publication; every step is a `ReviewEvent` with who, when and why. The draft
itself stays a draft until it is published: the review is the editors' bookkeeping, never a public
switch. The rules (roles, no self-approval, scheduled publication) are measures/editing/review.py's;
the workflow is described in docs/editors.md.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class ReviewState(models.TextChoices):
    # Editors only: in Chinese, as the rest of the admin.
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    CANCELLED = "cancelled", "已撤销"


# A draft has at most one review in these states (one_open_review_per_draft).
OPEN_STATES = (ReviewState.SUBMITTED, ReviewState.RETURNED, ReviewState.SCHEDULED)


class DraftReview(models.Model):
    content_type = models.ForeignKey(ContentType, verbose_name="草稿类型", on_delete=models.PROTECT, related_name="+")
    # No foreign key: a draft of a change is deleted when it is published, and its review stays.
    object_id = models.PositiveBigIntegerField("草稿编号")
    subject = models.CharField("草稿", max_length=200, help_text="提交时草稿的名称（草稿发布或删除后仍可读）。")
    state = models.CharField("状态", max_length=10, choices=ReviewState.choices, default=ReviewState.SUBMITTED)
    reason = models.CharField("提交说明", max_length=80, help_text="编辑提交时写的：改了什么、依据什么。")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    # The draft's rows and their versions when submitted: a draft changed after that is not the one reviewed.
    fingerprint = models.CharField("提交时的草稿版本", max_length=64, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    publish_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "草稿审核"
        verbose_name_plural = "草稿审核"
        ordering = ["-updated_at", "-pk"]
        permissions = [("review_draft", "审核并发布草稿")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(state__in=[state.value for state in OPEN_STATES]),
                name="one_open_review_per_draft",
            ),
        ]
        indexes = [
            # publish_due (measures/editing/review.py) reads the scheduled reviews that are due.
            models.Index(fields=["state", "publish_at"], name="review_state_publish_at"),
        ]

    def __str__(self):
        return f"{self.subject}（{self.get_state_display()}）"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def draft(self):
        """The draft row, or None once it is published as a change or deleted (one query)."""
        model = self.content_type.model_class()
        return model.objects.filter(pk=self.object_id).first()


class ReviewEvent(models.Model):
    class Action(models.TextChoices):
        SUBMITTED = "submitted", "提交审核"
        RETURNED = "returned", "退回修改"
        SCHEDULED = "scheduled", "审核通过，定时发布"
        PUBLISHED = "published", "审核通过并发布"
        CANCELLED = "cancelled", "撤销"

    review = models.ForeignKey(DraftReview, verbose_name="草稿审核", on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="空：由定时发布（publish_due）执行。",
    )
    comment = models.TextField("说明", blank=True)
    publish_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()}：{self.review.subject}"
