"""Application facts (申兑信息) entered for a followed measure: the one change its followers are told of
that the public history does not record (facts have no drafts and no history page of their own). A
measure's 关注, offered where its awards' facts are all 待录入 ("录入后通知我"), mails once for the saves of
the facts of the measure or of its published awards made since it was confirmed, settled in the
Delivery table as sender.py settles changes. See docs/public-site.md#e-mail-alerts-关注.
"""

from django.db.models import Q

from measures.domain.eligibility import ApplicationDepartment, ApplicationGuide, ApplicationInfo
from measures.domain.models import Award, Measure
from measures.domain.subscriptions import Delivery, Subscription

# Where a save of the facts is recorded, by the Delivery subject that settles it (at most ten letters).
HISTORIES = {"facts": ApplicationInfo, "fact-dept": ApplicationDepartment, "fact-guide": ApplicationGuide}


def unsent(subscription: Subscription) -> list[tuple[str, int]]:
    """The (subject, history id) of each save of the followed measure's facts since the subscription was
    confirmed and not yet settled for it; none unless it follows a measure still published. Five queries
    for a measure, none otherwise."""
    if subscription.kind != Subscription.Kind.MEASURE:
        return []
    measure_id = subscription.target_id
    if not Measure.objects.published().filter(pk=measure_id).exists():
        return []
    awards = Award.objects.published().filter(clause__measure_id=measure_id).values("pk")
    concerned = Q(measure_id=measure_id) | Q(award_id__in=awards)
    # Every record the facts ever had (one deleted since included), so a removed department is news too.
    infos = ApplicationInfo.history.filter(concerned).values("id")
    since = {"history_date__gte": subscription.confirmed_at}
    saves = {
        "facts": ApplicationInfo.history.filter(concerned, **since),
        "fact-dept": ApplicationDepartment.history.filter(info_id__in=infos, **since),
        "fact-guide": ApplicationGuide.history.filter(info_id__in=infos, **since),
    }
    settled = set(
        Delivery.objects.filter(subscription=subscription, subject__in=HISTORIES).values_list("subject", "history_id")
    )
    found = []
    for subject, records in saves.items():
        for history_id in records.order_by("history_id").values_list("history_id", flat=True):
            if (subject, history_id) not in settled:
                found.append((subject, history_id))
    return found


def record_mailed(subscription: Subscription, saves: list[tuple[str, int]], now) -> None:
    """Record `saves` as mailed to the subscription (the unique constraint keeps it to once)."""
    Delivery.objects.bulk_create(
        [
            Delivery(subscription=subscription, subject=subject, history_id=history_id, change_id=0, sent_at=now)
            for subject, history_id in saves
        ]
    )
