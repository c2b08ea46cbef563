"""Admin actions for drafts (measures/editing/publishing.py does the work; admin.py lists the actions).

发布所选草稿 first shows what publishing will change (measures/editing/draft_changes.py), each draft's
变更说明 and a link to its preview, and asks for confirmation, with the publisher's own words if any:
like Django's delete confirmation, an intermediate page posted back to the same action.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from measures.domain.models import Award, Clause, Measure
from measures.editing import review
from measures.editing.draft_changes import draft_changes
from measures.editing.history import REASON_MAX_LENGTH
from measures.editing.publishing import (
    PublishingError,
    is_draft,
    publication_reason,
    publish_draft,
    room_for_publisher_words,
    start_draft_of_change,
)

CONFIRMED = "publish_confirmed"


class PublishForm(forms.Form):
    """The publisher's words, added to each draft's own 变更说明 in the history and the public record."""

    publisher_reason = forms.CharField(
        label="发布说明",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "vTextField", "maxlength": REASON_MAX_LENGTH}),
        help_text="可选：补充在草稿的变更说明之后，一并记入历史，并在公开的修改记录中显示。",
        error_messages={"max_length": "发布说明最多%(limit_value)d个字（现在%(show_value)d个）。"},
    )

    def __init__(self, *args, changes, **kwargs):
        super().__init__(*args, **kwargs)
        self.changes = changes

    def clean_publisher_reason(self):
        words = self.cleaned_data["publisher_reason"].strip()
        unexplained = [str(item.draft) for item in self.changes if not item.reason]
        if unexplained and not words:
            raise forms.ValidationError(
                f"{'、'.join(unexplained)}没有变更说明：请填写发布说明，它会显示在公开的修改记录中。"
            )
        room = min((room_for_publisher_words(item.reason) for item in self.changes), default=REASON_MAX_LENGTH)
        if len(words) > room:
            raise forms.ValidationError(
                f"发布说明与草稿的变更说明合计不能超过{REASON_MAX_LENGTH}个字：这里最多还能写{room}个字。"
            )
        return words


def preview_url(obj) -> str:
    """The draft's private preview (measures/public/views/preview.py), laid out as its public page."""
    name = {Measure: "measure", Clause: "clause", Award: "award"}[type(obj)]
    return reverse(f"preview:{name}", args=[obj.pk])


@admin.action(description="发布所选草稿", permissions=["publish"])
def publish_selected_drafts(modeladmin, request, queryset):
    """Ask, showing what will change, then publish the drafts among the selected rows. A measure goes
    public with its draft clauses and awards; a draft of a change replaces its clause's text and awards;
    any other draft just changes status."""
    rows = list(queryset)
    drafts = [obj for obj in rows if is_draft(obj)]
    already = len(rows) - len(drafts)
    drafts = [obj for obj in drafts if _may_publish(modeladmin, request, obj)]
    changes = [draft_changes(obj) for obj in drafts]
    form = PublishForm(request.POST if CONFIRMED in request.POST else None, changes=changes)
    if drafts and form.is_valid():
        _publish(modeladmin, request, changes, form.cleaned_data["publisher_reason"])
    elif drafts:
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": "发布所选草稿",
            "opts": modeladmin.model._meta,
            "changes": [(item, preview_url(item.draft)) for item in changes],
            "selected": [obj.pk for obj in rows],
            "already": already,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirmed": CONFIRMED,
        }
        return TemplateResponse(request, "admin/measures/publish_confirmation.html", context)
    if already:
        modeladmin.message_user(request, f"{already}项已是发布状态，未作改动。", messages.WARNING)
    return None


def _may_publish(modeladmin, request, obj) -> bool:
    """Reviewers only, never their own drafts (measures/editing/review.py): refused before the
    confirmation page offers it, and again at publication."""
    try:
        review.check_may_publish(obj, request.user)
    except PublishingError as error:
        modeladmin.message_user(request, f"未发布：{error}", messages.ERROR)
        return False
    return True


def _publish(modeladmin, request, changes, publisher_words):
    published, refused = [], []
    # One transaction for the whole selection: visitors see a policy's measures go public together, never
    # some of them between two publications; a refused draft is left out (its own savepoint, publishing.py).
    with transaction.atomic():
        for item in changes:
            obj = item.draft
            try:
                # Checked again: the draft may have changed hands since the confirmation page.
                publication = review.check_may_publish(obj, request.user)
                publish_draft(obj, request.user, publisher_words)
            except PublishingError as error:
                refused.append(str(error))
                continue
            review.record_publication(publication, request.user, publication_reason(item.reason, publisher_words))
            published.append(_what_was_published(item))
    if published:
        modeladmin.message_user(request, f"已发布：{'、'.join(published)}。公众现在可以看到。", messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, f"未发布：{message}", messages.ERROR)


def _what_was_published(item) -> str:
    obj = item.draft
    if getattr(obj, "draft_of_id", None):
        return f"“{obj.draft_of}”的修改"
    if isinstance(obj, Measure) and len(item.rows) > 1:
        return f"“{obj}”（连同其{item.count('clause')}段草稿条款、{item.count('award')}项草稿奖补）"
    return f"“{obj}”"


@admin.action(description="为所选条款创建修改草稿", permissions=["change"])
def start_drafts_of_change(modeladmin, request, queryset):
    """A draft of a change for each selected clause; with one clause, open the new draft."""
    created = []
    for clause in queryset.select_related("measure"):
        try:
            created.append(start_draft_of_change(clause, request.user))
        except PublishingError as error:
            modeladmin.message_user(request, f"未创建：{error}", messages.ERROR)
    if not created:
        return None
    names = "、".join(f"“{draft}”" for draft in created)
    modeladmin.message_user(
        request,
        f"已为{names}创建修改草稿（连同其奖补金额）。修改草稿后用“发布所选草稿”发布；发布前公众仍只看到原条款。",
        messages.SUCCESS,
    )
    if len(created) == 1:
        return HttpResponseRedirect(reverse("admin:measures_clause_change", args=[created[0].pk]))
    return None
