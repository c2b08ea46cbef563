"""纠错 and 提问: a visitor's message about a measure (a clause, an award), and the editors' work on it.

A message holds its kind and text, where it was written from (policy, measure, clause, award, and in words
as they read then), an optional address, a reference number (FK-2026-000123) and its handling: state,
handler, answer or reason for refusing, due date (FEEDBACK_DUE_DAYS after it came) and, for a 纠错 that led
to a correction, that change (a public history entry: the measure's history page, #change-<key>).

The address is personal data: shown to editors in the admin only, never on a page, in the API, an export
or a backup, kept out of the history, and erased FEEDBACK_ADDRESS_KEEP_DAYS after the message is closed
(`purge_addresses`, run by send_notifications). Messages are not content: they move no revision. A
question's text and its measure are what a 问答 is made from (`question_text`, `measure`).
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MAX_TEXT_LENGTH = 2000
REFERENCE_PREFIX = "FK"


class FeedbackQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=Feedback.OPEN_STATES)

    def overdue(self, today: datetime.date | None = None):
        """Open messages past their due date (the editors' start page, the queue's filter)."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def received_since(self, moment: datetime.datetime):
        return self.filter(received_at__gte=moment)

    def addresses_to_erase(self, now: datetime.datetime | None = None):
        """Closed messages still holding an address, closed more than FEEDBACK_ADDRESS_KEEP_DAYS ago."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.FEEDBACK_ADDRESS_KEEP_DAYS)
        return self.exclude(email="").filter(closed_at__lt=cutoff)


class Feedback(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("纠错")
        QUESTION = "question", _("提问")

    class State(models.TextChoices):
        NEW = "new", _("新收到")
        IN_PROGRESS = "in_progress", _("处理中")
        ANSWERED = "answered", _("已答复")
        REFUSED = "refused", _("不予处理")

    # Kept with a history, yet not content: no revision trigger, no public history (revision.py).
    is_content = False

    OPEN_STATES = (State.NEW, State.IN_PROGRESS)
    CLOSED_STATES = (State.ANSWERED, State.REFUSED)

    # Null until the row has its id (receive()): unique among those given.
    reference = models.CharField("编号", max_length=20, unique=True, null=True, editable=False)  # noqa: DJ001
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    text = models.TextField("内容", help_text=f"访客写的原话，最多{MAX_TEXT_LENGTH}字。")
    # Where the form was opened. Plain foreign keys that let go (SET_NULL) when the row is deleted:
    # `concerns` keeps the place in words as it read when the message came.
    policy = models.ForeignKey(
        "measures.Policy", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="政策"
    )
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name="措施",
    )
    clause = models.ForeignKey(
        "measures.Clause", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="条款"
    )
    award = models.ForeignKey(
        "measures.Award", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="奖补金额"
    )
    concerns = models.CharField("涉及", max_length=300, help_text="提交时页面上的位置，如“第3条 第2段 最高300万元”。")
    email = models.EmailField(
        "答复邮箱",
        max_length=254,  # RFC 5321, as the 关注 form (measures/public/alerts/forms.py)
        blank=True,
        help_text="只用于答复，不公开；结案后按规定期限自动删除。",
    )
    language = models.CharField("语言", max_length=10, default="zh-hans")
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    due_on = models.DateField("答复期限")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.NEW)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    answer = models.TextField("答复", blank=True, help_text="设为“已答复”时必填；有邮箱的，保存后发给访客一次。")
    refusal_reason = models.TextField("不予处理的理由", blank=True, help_text="设为“不予处理”时必填。")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True, editable=False)
    answer_mailed_at = models.DateTimeField("答复邮件发送时间", null=True, blank=True, editable=False)
    # The public change a 纠错 led to: the key of its entry on the measure's history page ('award-42',
    # the anchor #change-award-42) and its day (the measure page's ?as_of=).
    change_key = models.CharField("引起的修改", max_length=40, blank=True)
    change_on = models.DateField("修改日期", null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()
    # Every state change, without the address (the admin's history is internal, yet the address must
    # go when it is erased, and a history row would keep it).
    history = HistoricalRecords(excluded_fields=["email"])

    class Meta:
        verbose_name = "纠错与提问"
        verbose_name_plural = "纠错与提问"
        ordering = ["-received_at", "-id"]
        indexes = [
            # The queue's default list, the start page's overdue and new items: by state and due date.
            models.Index(fields=["state", "due_on"], name="feedback_state_due"),
            # /feedback/'s figures: the last twelve months by the day a message came.
            models.Index(fields=["received_at"], name="feedback_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(LessThanOrEqual(Length("text"), MAX_TEXT_LENGTH)) & ~models.Q(text=""),
                name="feedback_text_length",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="refused") | ~models.Q(refusal_reason=""),
                name="feedback_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="answered") | ~models.Q(answer=""),
                name="feedback_answered_has_answer",
            ),
        ]

    def __str__(self):
        return f"{self.reference or '—'} {self.get_kind_display()}：{self.concerns}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def question_text(self) -> str:
        """What the visitor asked, for a 问答 made from this message (the measure is `measure`)."""
        return self.text

    @classmethod
    def receive(cls, **fields) -> "Feedback":
        """Record a visitor's message with its reference number and due date, in one transaction."""
        received_at = fields.pop("received_at", None) or timezone.now()
        due_on = timezone.localdate(received_at) + datetime.timedelta(days=settings.FEEDBACK_DUE_DAYS)
        with transaction.atomic():
            item = cls(received_at=received_at, due_on=due_on, **fields)
            item._change_reason = "收到"
            item.save()
            # The number needs the id: written onto the row and its first history record, which
            # is the same version ("收到"), rather than making a second version of it.
            item.reference = reference_for(item)
            cls.objects.filter(pk=item.pk).update(reference=item.reference)
            item.history.filter(history_change_reason="收到").update(reference=item.reference)
        return item

    def set_state(self, state: str) -> None:
        """Move to `state`, stamping when it was closed (and answered); the caller saves."""
        self.state = state
        now = timezone.now()
        if state in self.CLOSED_STATES:
            self.closed_at = self.closed_at or now
            if state == self.State.ANSWERED:
                self.answered_at = self.answered_at or now
        else:
            self.closed_at = None


def reference_for(item: Feedback) -> str:
    """FK-<year received>-<id, six digits>: readable over the phone, unique by the id."""
    return f"{REFERENCE_PREFIX}-{timezone.localtime(item.received_at).year}-{item.pk:06d}"


def purge_addresses(now: datetime.datetime | None = None) -> int:
    """Erase the addresses of messages closed more than FEEDBACK_ADDRESS_KEEP_DAYS ago; how many."""
    return Feedback.objects.addresses_to_erase(now).update(email="")
