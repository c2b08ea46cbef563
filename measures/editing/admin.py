"""The editors' admin: policies, pillars, measures, clauses, awards and related documents.

Two rules hold on every page. Amounts are typed and shown in 万元 (AwardForm, measures/text/money.py).
Every row an editor saves records them in `updated_by`, inline rows included: that is how
`load_policy` knows to keep an editor's change instead of overwriting it with the fixture's text.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import BadRequest, ValidationError
from django.db import models, router, transaction
from django.forms.models import BaseInlineFormSet
from django.urls import path, reverse
from django.utils.html import format_html

from measures.domain import public_history
from measures.domain.documents import RelatedDocument, RelatedDocumentMeasure
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource, PublicationStatus
from measures.editing import review
from measures.editing.actions import preview_url, publish_selected_drafts, start_drafts_of_change
from measures.editing.consistency import disagreement, disagreements, text_disagreements
from measures.editing.error_summary import ErrorSummaryAdmin
from measures.editing.forms import AwardForm
from measures.editing.history import REASON_FIELD, ChangeReasonAdmin
from measures.editing.import_admin import import_view
from measures.editing.kinds import KINDS_FIELD, NoKindFilter, assign_kind, kinds_field, set_kinds
from measures.editing.list_columns import yes_no_column
from measures.editing.locking import StaleEditAdmin, StaleEditInline
from measures.editing.publishing import is_draft
from measures.editing.review_admin import submit_drafts_for_review
from measures.editing.source_check import DueForCheckFilter, mark_checked_today
from measures.text import money
from xmpolicy.nul import query_has_nul

# Who saved a row last and when, shown read-only on its form (of Audited's columns, the ones an editor reads).
LAST_SAVED_FIELDS = ("updated_by", "updated_at")
# A source address typed without its scheme is taken as https (Django 6's default, opted into now).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class NumberedRowsFormSet(BaseInlineFormSet):
    """Two rows of one inline with the same number: Django's message names the field in English
    ("请修改position的重复数据"); use the model's own sentence, the one the change page shows."""

    def get_unique_error_message(self, unique_check):
        return self.model.duplicate_number_message

    def get_form_error(self):
        return self.model.duplicate_number_message

    def clean(self):
        # Django compares the rows of a formset only on unconditional unique constraints; the
        # clause's is conditional (drafts share their clause's position), so compare here too.
        super().clean()
        field = "number" if "number" in self.form.base_fields else "position"
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            number = getattr(form, "cleaned_data", {}).get(field)
            if number is None:
                continue
            if number in seen:
                raise ValidationError(self.model.duplicate_number_message)
            seen.add(number)


class EditorInline(StaleEditInline):
    """Mixed into the inlines: the Chinese duplicate-number messages and the audit columns; the
    publication status is the reviewers' to change (drafts_stay_drafts)."""

    formset = NumberedRowsFormSet
    extra = 0
    readonly_fields = LAST_SAVED_FIELDS
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_readonly_fields(self, request, obj=None):
        return status_for_reviewers(request, super().get_readonly_fields(request, obj), self.model)


def status_for_reviewers(request, readonly_fields, model) -> tuple:
    """Only a reviewer (审核) publishes: for anyone else a row's 发布状态 is shown, not edited."""
    has_status = any(f.name == "status" for f in model._meta.fields)
    if has_status and not review.is_reviewer(request.user):
        return (*readonly_fields, "status")
    return tuple(readonly_fields)


def drafts_stay_drafts(request, obj) -> None:
    """A row an editor adds starts as a draft (a reviewer publishes it), unless it belongs to a draft of
    a change: an award added there goes public when that draft is published."""
    if not obj._state.adding or not hasattr(obj, "status") or review.is_reviewer(request.user):
        return
    if isinstance(obj, Award) and obj.clause.draft_of_id is not None:
        return
    obj.status = PublicationStatus.DRAFT


class EditorModelAdmin(ErrorSummaryAdmin, StaleEditAdmin, ChangeReasonAdmin):
    """Records the editor and the reason (变更说明) on every row saved from a change page, its
    inlines included; each object has a history page with diffs and restore (measures/editing/history.py).
    A form that does not save names each field in error at its top (measures/editing/error_summary.py)."""

    readonly_fields = LAST_SAVED_FIELDS
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def has_publish_permission(self, request):
        """发布所选草稿 is offered to reviewers (审核) only (measures/editing/review.py)."""
        return review.is_reviewer(request.user)

    def changelist_view(self, request, extra_context=None):
        # Requests no admin page makes, answered 400 instead of a 500: a NUL in a filter or search
        # (PostgreSQL refuses one in a string it compares), or an action on a row id that is not one
        # (Django's action would fail converting it).
        if query_has_nul(request.GET):
            raise BadRequest("A NUL character in the query string.")
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            try:
                self.model._meta.pk.clean(value, None)
            except ValidationError:
                raise BadRequest("A selected row id that is not one.") from None
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One form saves a row and its inline rows: the public history judges them together, so that
        # a clause's old text is never taken for public at the instant its measure was published.
        with transaction.atomic(using=router.db_for_write(self.model)), public_history.batch():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # A form submitted unchanged (an editor who only edited an inline row) is not saved:
        # marking the row as the editor's would stop the loader from ever updating it again.
        if change and not self.edits_content(request, form):
            return
        obj.updated_by = request.user
        drafts_stay_drafts(request, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # save(commit=False) returns only the new and changed rows, the ones the editor touched.
        reason = self.change_reason(form)
        for obj in formset.save(commit=False):
            obj.updated_by = request.user
            drafts_stay_drafts(request, obj)
            obj._change_reason = reason
            obj.save()
            if isinstance(obj, Award):
                warn_if_phrase_disagrees(request, obj)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        formset.save_m2m()


class DraftPreviewAdmin(EditorModelAdmin):
    """A draft's page links to its preview: its measure's page as the public will see it once published."""

    readonly_fields = (*EditorModelAdmin.readonly_fields, "preview")

    def get_readonly_fields(self, request, obj=None):
        return status_for_reviewers(request, super().get_readonly_fields(request, obj), self.model)

    @admin.display(description="预览")
    def preview(self, obj):
        if obj.pk is None or not is_draft(obj):
            return "—（已发布，公开页面即是）"
        return format_html('<a href="{}" class="draft-preview-link">预览发布后的页面</a>', preview_url(obj))


def warn_if_phrase_disagrees(request, award: Award) -> None:
    """A saved award whose amount its own source phrase does not say: a warning, not a refusal (the
    newer figure may be the right one), with the list of all such awards."""
    problem = disagreement(award)
    request.checked_awards = {*getattr(request, "checked_awards", ()), award.pk}
    if problem:
        listed = reverse("admin:measures_award_changelist") + f"?{PhraseCheckFilter.parameter_name}=disagrees"
        messages.warning(
            request,
            format_html(
                "已保存，但“{}”的金额与其原文表述“{}”对不上（{}）。请核对金额或更新原文表述。"
                '<a href="{}">列出所有与原文表述不符的奖补</a>',
                award.display_text,
                award.source_phrase,
                problem,
                listed,
            ),
        )


def warn_if_text_leaves_awards(request, clause: Clause) -> None:
    """A clause saved with a text that no longer says one of its awards' amounts: a warning, as for an
    award (one not already checked as a row of this form's inline)."""
    for item in text_disagreements(clause, skip=getattr(request, "checked_awards", ())):
        messages.warning(
            request,
            f"已保存，但条款的文字与奖补“{item.award.display_text}”（原文表述“{item.award.source_phrase}”）"
            f"对不上：{item.problem}。请同时修改这笔奖补的金额和原文表述，或核对条款文字。",
        )


class PhraseCheckFilter(admin.SimpleListFilter):
    """原文核对: the awards whose amount, limit or recurrence their source phrase does not say."""

    title = "原文核对"
    parameter_name = "phrase"

    def lookups(self, request, model_admin):
        return (("disagrees", "金额与原文表述不符"), ("agrees", "与原文表述一致"))

    def queryset(self, request, queryset):
        if self.value() not in ("disagrees", "agrees"):
            return queryset
        # Read in Python (the reader is not SQL): every award of the list is read once.
        ids = [item.award.pk for item in disagreements(queryset)]
        return queryset.filter(pk__in=ids) if self.value() == "disagrees" else queryset.exclude(pk__in=ids)


class PolicySourceInline(EditorInline, admin.TabularInline):
    model = PolicySource
    ordering = ("position",)


@admin.register(Policy)
class PolicyAdmin(EditorModelAdmin):
    list_display = (
        "title",
        "short_title",
        "document_number",
        "issue_date",
        "declared_measure_count",
        yes_no_column(Policy, "is_featured"),
    )
    list_filter = ("is_featured", "issue_date_confirmed")
    search_fields = ("title", "short_title", "document_number", "issuing_bodies")
    ordering = ("-issue_date", "slug")
    inlines = (PolicySourceInline,)
    # Both carry a 从原文导入 link to import_view (measures/editing/import_admin.py).
    change_list_template = "admin/measures/policy/change_list.html"
    change_form_template = "admin/measures/policy/change_form.html"

    def get_urls(self):
        imported = path("import/", self.admin_site.admin_view(self.import_text), name="measures_policy_import")
        return [imported, *super().get_urls()]

    def import_text(self, request):
        return import_view(request, self)


@admin.register(Pillar)
class PillarAdmin(EditorModelAdmin):
    list_display = ("number", "title", "policy")
    list_display_links = ("number", "title")
    list_filter = ("policy",)
    list_select_related = ("policy",)
    search_fields = ("title", "policy__title")
    ordering = ("policy", "number")


class ClauseInline(EditorInline, admin.StackedInline):
    # Stacked: clause text runs to several hundred characters and needs a full-width box.
    # A clause's awards are edited on the clause's own page (Django has no nested inlines).
    model = Clause
    fields = ("position", "text", "provenance", "source_url", "is_complete", *LAST_SAVED_FIELDS)
    ordering = ("position",)
    show_change_link = True

    def get_queryset(self, request):
        # Drafts of changes are edited on their own pages, not among the clauses they would replace.
        return super().get_queryset(request).filter(draft_of__isnull=True)


@admin.register(Measure)
class MeasureAdmin(DraftPreviewAdmin):
    list_display = ("number", "title", "pillar", "policy", "status", "checked_on", "updated_at")
    list_display_links = ("number", "title")
    list_filter = ("status", DueForCheckFilter, "policy", "pillar")
    actions = (submit_drafts_for_review, publish_selected_drafts, mark_checked_today)
    list_select_related = ("policy", "pillar")
    search_fields = ("title", "clauses__text")
    ordering = ("policy", "number")
    inlines = (ClauseInline,)

    def get_changeform_initial_data(self, request):
        # A new measure starts as a draft: the public sees it only once an editor publishes it.
        return {"status": PublicationStatus.DRAFT, **super().get_changeform_initial_data(request)}


class AwardInline(EditorInline, admin.StackedInline):
    # Stacked: an award has eleven fields, too many for one table row.
    model = Award
    form = AwardForm
    ordering = ("position",)
    show_change_link = True


@admin.register(Clause)
class ClauseAdmin(DraftPreviewAdmin):
    list_display = (
        "__str__",
        "excerpt",
        "provenance",
        yes_no_column(Clause, "is_complete"),
        "status",
        "draft_of",
        "updated_at",
    )
    list_filter = ("status", "measure__policy", "measure__pillar", "provenance", "is_complete")
    # A draft of a change names the clause it will replace; which one is fixed when it is created.
    readonly_fields = (*DraftPreviewAdmin.readonly_fields, "draft_of")
    actions = (submit_drafts_for_review, publish_selected_drafts, start_drafts_of_change)
    list_select_related = ("measure", "draft_of__measure")
    search_fields = ("text", "measure__title")
    ordering = ("measure__policy", "measure__number", "position")
    inlines = (AwardInline,)

    def get_form(self, request, obj=None, **kwargs):
        # Read by formfield_for_foreignkey while Django builds the form class.
        request.clause_policy_id = obj.measure.policy_id if obj is not None else None
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A clause moves among its own policy's measures (a dozen), not a menu of every measure of the
        # library: at city scale that menu made each clause's page thousands of options long.
        if db_field.name == "measure":
            measures = Measure.objects.order_by("policy__slug", "number")
            policy_id = getattr(request, "clause_policy_id", None)
            kwargs["queryset"] = measures.filter(policy_id=policy_id) if policy_id else measures
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "text" in form.changed_data:
            warn_if_text_leaves_awards(request, form.instance)

    @admin.display(description="条款内容")
    def excerpt(self, clause):
        return clause.text if len(clause.text) <= 40 else f"{clause.text[:40]}…"


class AwardWithKindsForm(AwardForm):
    """The award's own page also chooses its recipient kinds (saved as links by AwardAdmin.save_related)."""

    recipient_kinds = kinds_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(KINDS_FIELD, list(self.instance.recipient_kinds.all()))


@admin.register(Award)
class AwardAdmin(DraftPreviewAdmin):
    form = AwardWithKindsForm
    list_display = ("amount_text", "amount_in_wan", "nature", "recipient", "kind_names", "clause", "status")
    list_filter = (
        "status",
        PhraseCheckFilter,
        NoKindFilter,
        "clause__measure__policy",
        "clause__measure__pillar",
        "limit",
        "recurrence",
        "nature",
    )
    actions = (submit_drafts_for_review, publish_selected_drafts, assign_kind)
    # A clause is chosen by typing its words (ClauseAdmin.search_fields), not from a menu of every clause of
    # the library: at city scale that menu made each award's page megabytes long and seconds to render.
    autocomplete_fields = ("clause",)
    list_select_related = ("clause__measure",)
    search_fields = ("recipient", "source_phrase", "clause__text", "recipient_kinds__name")
    ordering = ("clause__measure__policy", "clause__measure__number", "clause__position", "position")

    def get_queryset(self, request):
        # The list shows each award's kinds: one prefetch rather than a query per row.
        return super().get_queryset(request).prefetch_related("recipient_kinds")

    def edits_content(self, request, form) -> bool:
        # Changing only the kinds writes links, not the award: the award stays the loader's.
        if getattr(request, "restoring", None) is not None:
            return True
        return any(name not in (KINDS_FIELD, REASON_FIELD) for name in form.changed_data)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_if_phrase_disagrees(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if KINDS_FIELD in form.cleaned_data:
            set_kinds(form.instance, form.cleaned_data[KINDS_FIELD], request.user, self.change_reason(form))

    @admin.display(description="申报主体")
    def kind_names(self, award):
        return "、".join(kind.name for kind in award.recipient_kinds.all()) or "—"

    @admin.display(description="金额表述", ordering="amount_yuan")
    def amount_text(self, award):
        return award.display_text

    @admin.display(description="金额（万元）", ordering="amount_yuan")
    def amount_in_wan(self, award):
        return money.yuan_to_wan(award.amount_yuan)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A clause's name shows its measure's number: join it, or naming the chosen clause runs a query.
        if db_field.name == "clause":
            kwargs["queryset"] = Clause.objects.select_related("measure")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RelatedDocumentMeasureInline(EditorInline, admin.TabularInline):
    model = RelatedDocumentMeasure
    fields = ("measure", *LAST_SAVED_FIELDS)
    verbose_name = "涉及的措施"
    verbose_name_plural = "涉及的措施（文件写明与哪几条措施有关时填写）"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A measure's name reads only its own fields; the menu lists them in the policies' order.
        if db_field.name == "measure":
            kwargs["queryset"] = Measure.objects.order_by("policy__slug", "number")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(RelatedDocument)
class RelatedDocumentAdmin(EditorModelAdmin):
    list_display = ("title", "relation", "document_number", "issuing_body", "date", "policy", "updated_at")
    list_display_links = ("title",)
    list_filter = ("relation", "policy")
    list_select_related = ("policy",)
    search_fields = ("title", "document_number", "issuing_body", "quotation")
    ordering = ("policy", "position")
    inlines = (RelatedDocumentMeasureInline,)
    fieldsets = (
        (None, {"fields": ("policy", "position", "relation", "title", "document_number", "issuing_body")}),
        ("日期与链接", {"fields": ("date", "date_kind", "url")}),
        ("引用与说明", {"fields": ("quotation", "note")}),
        ("记录", {"fields": LAST_SAVED_FIELDS}),
    )
