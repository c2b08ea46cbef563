"""The editors' queue of 纠错 and 提问 (measures/domain/feedback.py): each message with its state, kind,
where it was written from, handler, age and due date, overdue ones flagged; filters by state, kind and
overdue. An editor takes a message (处理人), answers it (已答复: the answer is mailed to the visitor once,
if an address was left) or refuses it with a reason (不予处理). Every state change is in the history,
with what changed as its reason; the address is shown here only, to those who may change messages.

Nobody adds a message here (visitors do) or deletes one (/feedback/'s figures count them). A 纠错 that
led to a correction names the change: one of its measure's public history entries.
"""

import logging
import smtplib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from measures.domain.feedback import Feedback
from measures.domain.public_history import PublicChange
from measures.editing import feedback_mail as mail
from xmpolicy.nul import query_has_nul

logger = logging.getLogger(__name__)

State = Feedback.State
# How many of a measure's public changes the form offers to link to: the newest.
CHANGE_CHOICES = 30


class OverdueFilter(admin.SimpleListFilter):
    title = "是否逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "已逾期（未结案且过了答复期限）")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        return queryset


class FeedbackQueueForm(forms.ModelForm):
    change_key = forms.ChoiceField(label="引起的修改", required=False)

    class Meta:
        model = Feedback
        fields = ("state", "handler", "answer", "refusal_reason", "change_key")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "（无）")]
        measure_id = self.instance.measure_id
        if measure_id:
            changes = PublicChange.objects.filter(measure_id=measure_id).order_by("-date", "-id")[:CHANGE_CHOICES]
            for change in changes:
                key = f"{change.subject}-{change.history_id}"
                label = f"{timezone.localtime(change.date):%Y-%m-%d %H:%M} {change.get_subject_display()}"
                label += f"{change.get_kind_display()}：{change.reason or '未填写变更说明'}"
                choices.append((key, label[:120]))
        if self.instance.change_key and self.instance.change_key not in dict(choices):
            choices.append((self.instance.change_key, self.instance.change_key))
        self.fields["change_key"].choices = choices

    def clean(self):
        data = super().clean()
        state = data.get("state")
        if state == State.ANSWERED and not (data.get("answer") or "").strip():
            self.add_error("answer", "设为“已答复”时请填写答复内容。")
        if state == State.REFUSED and not (data.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", "设为“不予处理”时请填写理由。")
        if state == State.ANSWERED and self.instance.state == State.ANSWERED and "answer" in self.changed_data:
            # The visitor had one mail with the answer; a second, different one would confuse.
            self.add_error("answer", "已答复的留言不能再修改答复（访客已收到邮件）。")
        return data


@admin.register(Feedback)
class FeedbackAdmin(SimpleHistoryAdmin):
    form = FeedbackQueueForm
    list_display = (
        "reference",
        "state",
        "kind",
        "where",
        "handler",
        "age",
        "due_on",
        "overdue",
    )
    list_filter = ("state", OverdueFilter, "kind")
    list_select_related = ("handler",)
    search_fields = ("reference", "text", "concerns")
    ordering = ("due_on", "received_at")
    readonly_fields = (
        "reference",
        "kind",
        "text",
        "concerns",
        "page_link",
        "email",
        "received_at",
        "due_on",
        "answered_at",
        "closed_at",
        "answer_mailed_at",
        "question_link",
    )
    fieldsets = (
        ("留言", {"fields": ("reference", "kind", "text", "concerns", "page_link", "email", "received_at", "due_on")}),
        (
            "处理",
            {"fields": ("state", "handler", "answer", "refusal_reason", "change_key", "answered_at", "question_link")},
        ),
        ("记录", {"fields": ("closed_at", "answer_mailed_at")}),
    )
    history_list_display = ("state", "handler")

    @admin.display(description="涉及", ordering="measure__number")
    def where(self, obj):
        return obj.concerns

    @admin.display(description="已收到")
    def age(self, obj):
        days = (timezone.now() - obj.received_at).days
        return f"{days}天" if days else "不到1天"

    @admin.display(description="逾期", boolean=True)
    def overdue(self, obj):
        return obj.is_overdue

    @admin.display(description="所在页面")
    def page_link(self, obj):
        if obj.measure_id is None:
            return "（措施已删除）"
        measure = obj.measure
        url = measure.get_absolute_url()
        if obj.clause_id:
            url += f"#clause-{obj.clause.position}"
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description="政策问答")
    def question_link(self, obj):
        # Answers in the open: a draft 问答 prefilled from this message, for the editor to reword and a
        # reviewer to publish (measures/editing/questions_admin.py).
        if obj.pk is None or obj.measure_id is None:
            return "（所在措施已删除，不能发布为问答）"
        url = reverse("admin:measures_questionanswer_add") + f"?from_feedback={obj.pk}"
        return format_html(
            '<a href="{}">发布为问答</a>：以这条留言的问题和答复新建问答草稿（请改写措辞，去掉个人信息），审核后公开。',
            url,
        )

    def changelist_view(self, request, extra_context=None):
        # A NUL in a filter or search is no request the admin makes: 400, not PostgreSQL's 500.
        if query_has_nul(request.GET):
            raise BadRequest("A NUL character in the query string.")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "handler" in form.base_fields and obj is not None and obj.handler_id is None:
            form.base_fields["handler"].initial = request.user.pk
        return form

    def save_model(self, request, obj, form, change):
        before = Feedback.objects.get(pk=obj.pk) if obj.pk else None
        if before and before.state != obj.state:
            obj.set_state(obj.state)
            if obj.handler_id is None:
                obj.handler = request.user
        steps = []
        if before and before.state != obj.state:
            steps.append(f"状态：{before.get_state_display()} → {obj.get_state_display()}")
        if before and before.handler_id != obj.handler_id:
            steps.append(f"处理人：{obj.handler or '—'}")
        if before and before.change_key != obj.change_key:
            steps.append("关联修改")
        obj.change_on = self._change_day(obj)
        obj._change_reason = "；".join(steps) or "编辑"
        super().save_model(request, obj, form, change)
        if obj.state == State.ANSWERED and obj.email and obj.answer_mailed_at is None:
            self._mail_answer(request, obj)

    def _change_day(self, obj):
        if not obj.change_key or "-" not in obj.change_key:
            return None
        subject, _, history_id = obj.change_key.partition("-")
        change = PublicChange.objects.filter(
            measure_id=obj.measure_id, subject=subject, history_id=history_id if history_id.isdigit() else -1
        ).first()
        return timezone.localdate(change.date) if change else obj.change_on

    def _mail_answer(self, request, obj):
        # Claimed before sending, so that two editors saving the answer at once mail it once; given
        # back if the mail fails, so that the next save tries again. Not a state change: no history row.
        moment = timezone.now()
        claimed = Feedback.objects.filter(pk=obj.pk, answer_mailed_at__isnull=True).update(answer_mailed_at=moment)
        if not claimed:
            return
        try:
            mail.answered(obj).send()
        except (smtplib.SMTPException, OSError) as error:
            Feedback.objects.filter(pk=obj.pk, answer_mailed_at=moment).update(answer_mailed_at=None)
            logger.error("the answer to feedback %s could not be mailed: %s", obj.reference, error)
            messages.error(request, "答复已保存，但邮件暂时无法发送；请稍后再次保存以重发。")
            return
        obj.answer_mailed_at = moment
        messages.info(request, "答复已通过邮件发给访客。")
