"""已知的后续变化: what is known to change on a measure's page but is not public yet — a reviewed draft of
one of its clauses or awards scheduled for publication (定时发布, measures/domain/review.py).

The page says only that a change is scheduled and when, never what it changes: the draft stays unpublished.
Since the page shows the schedule, setting or lifting one moves the content revision (`count_schedule`),
but only for drafts on a published measure, so work on drafts the public cannot see moves nothing.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.domain.review import DraftReview, ReviewState
from measures.domain.revision import ContentRevision


def _on_published_measures(reviews, measures):
    """The reviews among `reviews` of a clause or award draft on one of `measures` (published ones)."""
    measures = measures.filter(status=PublicationStatus.PUBLISHED)
    clauses = Clause.objects.filter(measure__in=measures).values("pk")
    awards = Award.objects.filter(clause__measure__in=measures).values("pk")
    return reviews.filter(
        Q(content_type=ContentType.objects.get_for_model(Clause), object_id__in=clauses)
        | Q(content_type=ContentType.objects.get_for_model(Award), object_id__in=awards)
    )


def scheduled_publications(measure: Measure) -> list[datetime.datetime]:
    """When the scheduled drafts on this measure go public, soonest first (one query)."""
    reviews = DraftReview.objects.filter(state=ReviewState.SCHEDULED)
    shown = _on_published_measures(reviews, Measure.objects.filter(pk=measure.pk))
    return list(shown.order_by("publish_at", "pk").values_list("publish_at", flat=True))


def note_schedule_before(sender, instance: DraftReview, **kwargs):
    """pre_save: whether this review was scheduled before the save (one query for a review saved again)."""
    instance._was_scheduled = (
        instance.pk is not None and DraftReview.objects.filter(pk=instance.pk, state=ReviewState.SCHEDULED).exists()
    )


def count_schedule(sender, instance: DraftReview, **kwargs):
    """post_save: a schedule set or lifted on a published measure's draft changes its page: count it."""
    if instance.state != ReviewState.SCHEDULED and not getattr(instance, "_was_scheduled", False):
        return
    if _on_published_measures(DraftReview.objects.filter(pk=instance.pk), Measure.objects.all()).exists():
        ContentRevision.bump()
