"""The admin's pages for 审核: submitting drafts (an action on the measure, clause and award lists, and a
page asking for the reason), and each review's page, where a reviewer reads what the draft changes and
publishes it (now or at a set time) or returns it with a comment. The rules are measures/editing/review.py's.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from measures.domain.review import DraftReview, ReviewEvent, ReviewState
from measures.editing import review
from measures.editing.draft_changes import draft_changes
from measures.editing.publishing import is_draft

SUBMITTABLE = {model._meta.model_name: model for model in review.DRAFT_MODELS}


@admin.action(description="提交所选草稿审核", permissions=["change"])
def submit_drafts_for_review(modeladmin, request, queryset):
    ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
    url = reverse("admin:measures_draftreview_submit")
    return HttpResponseRedirect(f"{url}?model={modeladmin.model._meta.model_name}&ids={ids}")


class SubmitForm(forms.Form):
    reason = forms.CharField(
        label="提交说明",
        max_length=DraftReview._meta.get_field("reason").max_length,
        help_text="改了什么、依据什么（审核人会读到；发布后作为变更说明公开）。",
        widget=forms.TextInput(attrs={"size": 80}),
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=60,
        help_text="退回时必填。发布时可不填；填写的意见随变更说明公开。",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    publish_at = forms.DateTimeField(
        label="定时发布",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="北京时间。留空则立即发布；到时由 publish_due 发布，此前公众看不到。",
    )


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    fields = ("at", "action", "user", "comment", "publish_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DraftReview)
class DraftReviewAdmin(admin.ModelAdmin):
    """The reviews and their events (the review history); decided on each review's page."""

    list_display = ("subject", "state", "submitted_by", "submitted_at", "decided_by", "publish_at", "updated_at")
    list_filter = ("state",)
    search_fields = ("subject", "reason")
    list_select_related = ("submitted_by", "decided_by")
    inlines = (ReviewEventInline,)
    change_form_template = "admin/measures/draftreview/review.html"

    def has_add_permission(self, request):
        return False  # a review starts from a draft: 提交所选草稿审核

    def has_change_permission(self, request, obj=None):
        return False  # nothing in a review is edited: it is decided (DecisionForm, reviewers only)

    def has_delete_permission(self, request, obj=None):
        return False  # the review history is kept

    def get_urls(self):
        submit = path("submit/", self.admin_site.admin_view(self.submit_view), name="measures_draftreview_submit")
        return [submit, *super().get_urls()]

    def submit_view(self, request):
        if not request.user.has_perm("measures.add_draftreview"):
            raise PermissionDenied
        model = SUBMITTABLE.get(request.GET.get("model", ""))
        try:
            ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk]
        except ValueError:
            ids = []
        drafts = list(model.objects.filter(pk__in=ids)) if model is not None else []
        if not drafts:
            raise Http404("没有要提交的草稿。")
        form = SubmitForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            submitted = []
            for obj in drafts:
                try:
                    submitted.append(review.submit(obj, request.user, form.cleaned_data["reason"]))
                except review.ReviewError as error:
                    messages.error(request, f"未提交：{error}")
            if submitted:
                names = "、".join(f"“{item.subject}”" for item in submitted)
                messages.success(request, f"已提交审核：{names}。审核人发布前，公众看不到。")
            if len(submitted) == 1:
                return HttpResponseRedirect(reverse("admin:measures_draftreview_change", args=[submitted[0].pk]))
            return HttpResponseRedirect(reverse("admin:index"))
        context = {
            **self.admin_site.each_context(request),
            "title": "提交审核",
            "opts": self.model._meta,
            "drafts": [(obj, review.subject(obj), is_draft(obj)) for obj in drafts],
            "form": form,
        }
        return TemplateResponse(request, "admin/measures/draftreview/submit.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, object_id)
        if item is None or not self.has_view_permission(request, item):
            return super().change_view(request, object_id, form_url, extra_context)
        form = DecisionForm(request.POST or None)
        if request.method == "POST":
            # Only the decision form posts here, and only a reviewer decides.
            decision = {"_publish", "_return"} & set(request.POST)
            if not decision or not review.is_reviewer(request.user):
                raise PermissionDenied
            if form.is_valid():
                try:
                    self.decide(request, item, form.cleaned_data)
                    return HttpResponseRedirect(request.path)
                except review.ReviewError as error:
                    form.add_error(None, str(error))
            item.refresh_from_db()
        draft = item.draft() if item.is_open else None
        context = {
            **self.admin_site.each_context(request),
            "title": f"审核：{item.subject}",
            "opts": self.model._meta,
            "original": item,
            "review": item,
            "events": item.events.select_related("user"),
            "draft": draft,
            "draft_url": draft and reverse(f"admin:measures_{draft._meta.model_name}_change", args=[draft.pk]),
            "changes": draft_changes(draft) if draft is not None and is_draft(draft) else None,
            "changed_since": draft is not None and review.fingerprint(draft) != item.fingerprint,
            "can_decide": review.is_reviewer(request.user) and item.state == ReviewState.SUBMITTED,
            "can_return": review.is_reviewer(request.user) and item.state == ReviewState.SCHEDULED,
            "resubmit_url": submit_url(draft) if item.state == ReviewState.RETURNED and draft is not None else None,
            "form": form,
            "now": timezone.localtime(),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def decide(self, request, item, data):
        if "_return" in request.POST:
            review.return_for_changes(item, request.user, data["comment"])
            messages.success(request, f"已退回“{item.subject}”，编辑会在后台首页看到您的意见。")
        else:
            decided = review.approve(item, request.user, data["comment"], data["publish_at"])
            if decided.state == ReviewState.SCHEDULED:
                when = timezone.localtime(decided.publish_at)
                messages.success(request, f"审核通过：“{item.subject}”将于{when:%Y-%m-%d %H:%M}发布。")
            else:
                messages.success(request, f"已发布“{item.subject}”，公众现在可以看到。")


def submit_url(obj) -> str:
    model = obj._meta.model_name
    return f"{reverse('admin:measures_draftreview_submit')}?model={model}&ids={obj.pk}"


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    """Every submission, return and publication, newest first: the review history across drafts."""

    list_display = ("at", "action", "user", "review", "comment", "publish_at")
    list_filter = ("action",)
    search_fields = ("review__subject", "comment")
    list_select_related = ("user", "review")
    ordering = ("-at", "-pk")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
