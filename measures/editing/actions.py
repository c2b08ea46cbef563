"""Admin actions for drafts (measures/editing/publishing.py does the work; admin.py lists the actions).

An action has no form to ask for a reason (变更说明), so its versions are recorded with a fixed one.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from measures.domain.models import Clause, Measure, PublicationStatus
from measures.editing import review
from measures.editing.publishing import (
    PublishingError,
    publish_clause_draft,
    publish_measure,
    publish_row,
    start_draft_of_change,
)

PUBLISH_REASON = "发布草稿"


@admin.action(description="发布所选草稿", permissions=["publish"])
def publish_selected_drafts(modeladmin, request, queryset):
    """Publish the drafts among the selected rows. A measure goes public with its draft clauses and
    awards; a draft of a change replaces its clause's text; any other draft just changes status."""
    published, already, refused = [], 0, []
    for obj in queryset:
        try:
            # Reviewers only, never their own drafts (measures/editing/review.py); recorded after.
            publication = review.check_may_publish(obj, request.user)
            with_children = ""
            if isinstance(obj, Measure):
                if obj.status != PublicationStatus.DRAFT:
                    already += 1
                    continue
                counts = publish_measure(obj, request.user, PUBLISH_REASON)
                if counts["clauses"] or counts["awards"]:
                    with_children = f"（连同其{counts['clauses']}段草稿条款、{counts['awards']}项草稿奖补）"
            elif isinstance(obj, Clause) and obj.draft_of_id is not None:
                original = publish_clause_draft(obj, request.user, PUBLISH_REASON)
                published.append(f"“{original}”的修改")
                review.record_publication(publication, request.user, PUBLISH_REASON)
                continue
            elif not publish_row(obj, request.user, PUBLISH_REASON):
                already += 1
                continue
            published.append(f"“{obj}”{with_children}")
            review.record_publication(publication, request.user, PUBLISH_REASON)
        except PublishingError as error:
            refused.append(str(error))
    if published:
        modeladmin.message_user(request, f"已发布：{'、'.join(published)}。公众现在可以看到。", messages.SUCCESS)
    if already:
        modeladmin.message_user(request, f"{already}项已是发布状态，未作改动。", messages.WARNING)
    for message in refused:
        modeladmin.message_user(request, f"未发布：{message}", messages.ERROR)


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
        f"已为{names}创建修改草稿。修改草稿后用“发布所选草稿”发布；发布前公众仍只看到原条款。",
        messages.SUCCESS,
    )
    if len(created) == 1:
        return HttpResponseRedirect(reverse("admin:measures_clause_change", args=[created[0].pk]))
    return None
