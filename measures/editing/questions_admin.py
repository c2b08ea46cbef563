"""The editors' pages of the 政策问答 (measures/domain/questions.py).

An editor adds a 问答 as a draft (drafts_stay_drafts) and words the question and the answer; saving asks
for a reason (变更说明), as every content row does, and is kept in its history with diffs and restore. A
reviewer (审核) publishes it by setting its 发布状态 on the same form, with a reason: the rule every row's
status follows (status_for_reviewers). The 审核 queue (measures/editing/review.py) is not used: it
follows drafts of measures, clauses and awards and what publishing them changes on the measure page;
a 问答 is one row whose publication changes only itself, so the reviewer's own save is the review.

The feedback queue's seam: /admin/measures/questionanswer/add/?measure=<id>&clause=<id>&question=<text>
opens this form prefilled (Django's admin reads initial values from the query string), and
QuestionAnswer.draft_from() builds the same draft in code.
"""

from django.contrib import admin

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
