"""The editors' pages for who can apply and how: recipient kinds (申报主体类别), responsible departments
(责任单位) and application facts (申兑信息) with their departments and guides. Each is edited with a reason
and keeps its history, like the policy's own rows (EditorModelAdmin)."""

from django.contrib import admin
from django.db import models

from measures.domain.eligibility import (
    ApplicationDepartment,
    ApplicationGuide,
    ApplicationInfo,
    AwardRecipientKind,
    Department,
    RecipientKind,
)
from measures.domain.models import Award
from measures.editing.admin import LAST_SAVED_FIELDS, EditorInline, EditorModelAdmin


@admin.register(RecipientKind)
class RecipientKindAdmin(EditorModelAdmin):
    list_display = ("name", "aliases", "slug", "group", "order", "award_count", "updated_at")
    list_display_links = ("name",)
    list_filter = ("group",)
    search_fields = ("name", "slug", "aliases", "explanation")
    ordering = ("group", "order", "slug")
    fieldsets = (
        (None, {"fields": ("name", "name_en", "aliases", "slug", "group", "order", "explanation")}),
        ("记录", {"fields": LAST_SAVED_FIELDS}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(linked_awards=models.Count("award_links"))

    @admin.display(description="奖补数", ordering="linked_awards")
    def award_count(self, kind):
        return kind.linked_awards


@admin.register(Department)
class DepartmentAdmin(EditorModelAdmin):
    list_display = ("name", "phone", "website", "address", "updated_at")
    search_fields = ("name", "address")
    ordering = ("name",)


class ApplicationDepartmentInline(EditorInline, admin.TabularInline):
    model = ApplicationDepartment
    fields = ("department",)
    readonly_fields = ()
    verbose_name_plural = "责任单位"


class ApplicationGuideInline(EditorInline, admin.TabularInline):
    model = ApplicationGuide
    fields = ("position", "title", "url")
    readonly_fields = ()


@admin.register(ApplicationInfo)
class ApplicationInfoAdmin(EditorModelAdmin):
    list_display = ("__str__", "delivery_mode", "window_kind", "entry_name", "hotline", "updated_at")
    list_filter = ("delivery_mode", "window_kind")
    search_fields = ("measure__title", "award__recipient", "materials")
    list_select_related = ("measure", "award__clause__measure")
    inlines = (ApplicationDepartmentInline, ApplicationGuideInline)
    fieldsets = (
        ("属于", {"fields": ("measure", "award")}),
        ("申兑信息", {"fields": ("delivery_mode", "window_kind", "window_opens", "window_closes", "materials")}),
        (
            "预计申报时间",
            {
                "fields": ("expected_opens", "expected_closes", "expected_basis"),
                "description": "正式申报时间公布前的预计时间，公众页面标为“预计”；有正式时间后不再显示。",
            },
        ),
        (
            "办理入口",
            {
                "fields": ("entry_name", "entry_url", "entry_online"),
                "description": "公众页面“去办理”链接到的官方系统；只填官方网站，不填转载页面。",
            },
        ),
        ("咨询", {"fields": ("hotline",)}),
        ("记录", {"fields": LAST_SAVED_FIELDS}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An award's name shows its clause and measure: join them, or the menu runs a query per award.
        if db_field.name == "award":
            kwargs["queryset"] = Award.objects.select_related("clause__measure")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AwardRecipientKind)
class AwardRecipientKindAdmin(EditorModelAdmin):
    """Every tag of an award with a kind, each with its history (who tagged or untagged it, when, why).
    Tags are chosen on the award's own page; this list is for finding and reviewing them."""

    list_display = ("award", "kind", "updated_by", "updated_at")
    list_filter = ("kind__group", "kind")
    list_select_related = ("award__clause__measure", "kind", "updated_by")
    search_fields = ("award__recipient", "award__source_phrase", "kind__name")
    ordering = ("award__clause__measure__policy", "award__clause__measure__number", "kind__order")
    autocomplete_fields = ("kind",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "award":
            kwargs["queryset"] = Award.objects.select_related("clause__measure")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
