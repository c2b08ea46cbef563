"""The e-mail alerts in the editors' admin: how many people follow what, and never who, unless the user
holds the separate `view_subscriber_address` permission (an administrator gives it to the person who
answers subscribers' requests; the editors' group does not have it).

Nobody adds or edits a subscription here: subscribers manage their own through the signed links in
their mail. Whoever may see the addresses may also delete a subscription (a request to be removed).
"""

from django.contrib import admin
from django.db.models import Count, Max, Q
from django.template.response import TemplateResponse

from measures.domain.subscriptions import Subscription

ADDRESS_PERMISSION = "measures.view_subscriber_address"


def sees_addresses(request) -> bool:
    return request.user.has_perm(ADDRESS_PERMISSION)


def follower_counts():
    """What is followed and by how many: one row per thing followed (one query)."""
    confirmed = Q(confirmed_at__isnull=False)
    return (
        Subscription.objects.values("kind", "target_id", "query")
        .annotate(
            label=Max("label"),
            confirmed=Count("pk", filter=confirmed),
            unconfirmed=Count("pk", filter=~confirmed),
            instant=Count("pk", filter=confirmed & Q(frequency=Subscription.Frequency.INSTANT)),
            daily=Count("pk", filter=confirmed & Q(frequency=Subscription.Frequency.DAILY)),
            reminders=Count("pk", filter=confirmed & Q(reminders=True)),
        )
        .order_by("-confirmed", "kind", "target_id", "query")
    )


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "kind", "label", "frequency", "reminders", "confirmed_at", "last_sent_at")
    list_filter = ("kind", "frequency", "reminders", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("email",)
    readonly_fields = (
        "email",
        "kind",
        "target_id",
        "query",
        "label",
        "frequency",
        "reminders",
        "language",
        "created_at",
    )
    fields = (*readonly_fields, "confirmed_at", "last_sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The list (obj None) shows counts to editors; a single subscription is its address.
        if obj is not None and not sees_addresses(request):
            return False
        return super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return sees_addresses(request) and super().has_delete_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        if sees_addresses(request):
            return super().changelist_view(request, extra_context)
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # Django's own refusal
        rows = list(follower_counts())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "关注（邮件提醒）：人数统计",
            "rows": [{**row, "kind_label": Subscription.Kind(row["kind"]).label} for row in rows],
            "total_confirmed": sum(row["confirmed"] for row in rows),
            "total_unconfirmed": sum(row["unconfirmed"] for row in rows),
        }
        return TemplateResponse(request, "admin/measures/subscription_counts.html", context)
