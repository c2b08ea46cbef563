"""An award's recipient kinds in the editors' admin: the award page's two-box selector, the award list's
无申报主体 filter and its bulk 标注申报主体 action (the pages of kinds, departments and application facts
are in measures/editing/eligibility_admin.py).

An award's kinds are links with their own history (AwardRecipientKind): the admin writes each link it adds
or removes with the editor and the reason, so that `load_policy` can tell an editor's removal from a tag
it has not written yet (measures/editing/loader.py)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.html import format_html

from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Award

KINDS_FIELD = "recipient_kinds"
BULK_KIND_REASON = "批量标注申报主体"


class KindsSelector(FilteredSelectMultiple):
    """The two-box selector in a box of its own. Django's script puts the selector first in the select's
    parent; a model's many-to-many field has a wrapper there, this form field has none, so without one the
    selector would land before its own label (static/css/admin-editors.css sizes the box)."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<div class="kinds-selector">{}</div>', super().render(name, value, attrs, renderer))


def kinds_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=RecipientKind.objects.in_order(),
        required=False,
        label="申报主体类别",
        widget=KindsSelector("申报主体类别", is_stacked=False),
        help_text="按这笔奖补“支持对象”的原话选择：原文列出几类就选几类；“……等国家级创新平台”另选“其他国家级创新平台”。"
        "不要选原文没有写到的主体。",
    )


def set_kinds(award: Award, kinds, user, reason: str) -> tuple[int, int]:
    """Make `kinds` the award's kinds: each link added or removed is saved (or deleted) with the editor
    and the reason, in its history. Returns (added, removed)."""
    current = {link.kind_id: link for link in award.kind_links.all()}
    wanted = {kind.pk: kind for kind in kinds}
    removed = 0
    for kind_id, link in current.items():
        if kind_id not in wanted:
            link._change_reason = reason
            link.delete()
            removed += 1
    added = 0
    for kind_id, kind in wanted.items():
        if kind_id not in current:
            link = AwardRecipientKind(award=award, kind=kind, updated_by=user)
            link._change_reason = reason
            link.save()
            added += 1
    return added, removed


class NoKindFilter(admin.SimpleListFilter):
    """无申报主体: the awards no one has tagged yet, for editors to go through."""

    title = "申报主体"
    parameter_name = "kinds"

    def lookups(self, request, model_admin):
        return (("none", "无申报主体"), ("some", "已标注申报主体"))

    def queryset(self, request, queryset):
        tagged = AwardRecipientKind.objects.values("award_id")
        if self.value() == "none":
            return queryset.exclude(pk__in=tagged)
        if self.value() == "some":
            return queryset.filter(pk__in=tagged)
        return queryset


class AssignKindForm(forms.Form):
    kind = forms.ModelChoiceField(queryset=RecipientKind.objects.in_order(), label="申报主体类别", empty_label=None)


@admin.action(description="为所选奖补标注申报主体", permissions=["change"])
def assign_kind(modeladmin, request, queryset):
    """Ask which kind (an intermediate page), then tag every selected award with it."""
    form = AssignKindForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        added = 0
        with transaction.atomic():
            for award in queryset.prefetch_related("kind_links"):
                if all(link.kind_id != kind.pk for link in award.kind_links.all()):
                    link = AwardRecipientKind(award=award, kind=kind, updated_by=request.user)
                    link._change_reason = BULK_KIND_REASON
                    link.save()
                    added += 1
        already = queryset.count() - added
        modeladmin.message_user(
            request,
            f"已为{added}项奖补标注“{kind}”" + (f"；{already}项原已标注，未作改动。" if already else "。"),
            messages.SUCCESS,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "为所选奖补标注申报主体",
        "opts": modeladmin.model._meta,
        "awards": queryset.select_related("clause__measure"),
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action": "assign_kind",
    }
    return TemplateResponse(request, "admin/measures/award/assign_kind.html", context)
