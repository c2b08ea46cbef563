"""核对: an editor marks measures as checked against their sources today (an admin action), and the start
page lists the measures nobody has checked for longer than SOURCE_CHECK_MAX_AGE_DAYS.

The date is the measure's `checked_on`; who checked is its history's user, with the reason CHECK_REASON.
"""

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import F, Q
from django.utils import timezone

from measures.domain.models import Measure

CHECK_REASON = "与来源核对"


def mark_checked(measure: Measure, user, day: datetime.date) -> None:
    """Record that `user` checked `measure` against its sources on `day` (a version in its history)."""
    measure.checked_on = day
    measure.updated_by = user
    measure._history_user = user
    measure._change_reason = CHECK_REASON
    measure.save(update_fields=["checked_on", "updated_by", "updated_at"])


@admin.action(description="标记为今天已与来源核对", permissions=["change"])
def mark_checked_today(modeladmin, request, queryset):
    today = timezone.localdate()  # the day in Xiamen, as the public page says it
    measures = list(queryset.select_related("policy"))
    for measure in measures:
        mark_checked(measure, request.user, today)
    messages.success(request, f"已记录{len(measures)}条措施于{today:%Y年%-m月%-d日}与来源核对。")


def check_due_before(today: datetime.date | None = None) -> datetime.date:
    """Measures last checked before this day (or never) are due for a check."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.SOURCE_CHECK_MAX_AGE_DAYS)


def measures_due_for_check():
    """The published measures never checked, or last checked before check_due_before(): oldest first."""
    due = check_due_before()
    return (
        Measure.objects.published()
        .filter(Q(checked_on__isnull=True) | Q(checked_on__lt=due))
        .select_related("policy")
        .order_by(F("checked_on").asc(nulls_first=True), "policy__slug", "number")
    )


class DueForCheckFilter(admin.SimpleListFilter):
    """The measure list's 核对 filter: the measures due for a check, to select and mark in one go."""

    title = "与来源核对"
    parameter_name = "checked"

    def lookups(self, request, model_admin):
        return [("due", f"超过{settings.SOURCE_CHECK_MAX_AGE_DAYS}天未核对"), ("never", "从未核对")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(Q(checked_on__isnull=True) | Q(checked_on__lt=check_due_before()))
        if self.value() == "never":
            return queryset.filter(checked_on__isnull=True)
        return queryset
