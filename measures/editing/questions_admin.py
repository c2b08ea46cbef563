"""The editors' pages of the 政策问答 (measures/domain/questions.py): added as drafts, saved with a reason,
published by a reviewer on the same form (status_for_reviewers) rather than through the 审核 queue, which
follows what publishing drafts changes on a measure page: a 问答 changes only itself. The add form is
prefilled from a visitor's message by ?from_feedback=<id> (the feedback queue's 发布为问答; an id, since a
message's text does not fit in an address) or from ?measure=&clause=&question=. See docs/editors.md."""

from django.contrib import admin

from measures.domain.feedback import Feedback
from measures.domain.models import Clause, Measure
from measures.domain.questions import QuestionAnswer
from measures.editing.admin import LAST_SAVED_FIELDS, EditorModelAdmin, status_for_reviewers


@admin.register(QuestionAnswer)
class QuestionAnswerAdmin(EditorModelAdmin):
    list_display = ("__str__", "measure", "status", "answered_on", "updated_at")
    list_display_links = ("__str__",)
    list_filter = ("status", "measure__policy", "measure")
    list_select_related = ("measure",)
    search_fields = ("question", "answer", "measure__title")
    ordering = ("measure__policy", "measure__number", "position")
    fieldsets = (
        (None, {"fields": ("measure", "clause", "position", "status")}),
        ("问答", {"fields": ("question", "answer", "answered_on")}),
        ("记录", {"fields": LAST_SAVED_FIELDS}),
    )

    def get_changeform_initial_data(self, request):
        # Prefilled with a measure (the feedback queue's link): the next free position in it, as draft_from gives.
        initial = super().get_changeform_initial_data(request)
        initial.pop("from_feedback", None)
        source = request.GET.get("from_feedback", "")
        message = Feedback.objects.filter(pk=source).first() if source.isdigit() else None
        if message is not None and message.measure_id is not None:
            initial.update(measure=message.measure_id, clause=message.clause_id, question=message.question_text)
            initial.update(answer=message.answer)
        measure = (
            Measure.objects.filter(pk=initial["measure"]).first() if str(initial.get("measure", "")).isdigit() else None
        )
        if measure is not None and "position" not in initial:
            initial["position"] = QuestionAnswer.draft_from(measure=measure, question="").position
        return initial

    def get_readonly_fields(self, request, obj=None):
        return status_for_reviewers(request, super().get_readonly_fields(request, obj), self.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A measure's and a clause's names read only their own fields; the menus list them in document order.
        if db_field.name == "measure":
            kwargs["queryset"] = Measure.objects.order_by("policy__slug", "number")
        if db_field.name == "clause":
            kwargs["queryset"] = (
                Clause.objects.filter(draft_of__isnull=True)
                .select_related("measure")
                .order_by("measure__policy__slug", "measure__number", "position")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
