"""Drafts and their publication: the editors' side of `PublicationStatus`.

Two kinds of draft exist. A *new* row (a measure 7 whose text is now known, a clause or an award
added to a published measure) is created with status draft and published by changing its status.
A *change* to a published clause is a second Clause row, `draft_of` the original and sharing its
position; publishing it copies its text onto the original (which keeps its id, position and
#clause-<n> anchor, and gets a new recorded version) and deletes the draft.

Every publication is a saved version in the row's history, with the editor (`_history_user`,
`updated_by`) and the reason (`_change_reason`). Each function runs in one transaction, so a
failure leaves nothing half published. What the public sees is decided by the QuerySets'
`published()` in measures/domain/models.py, not here.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from measures.domain import public_history
from measures.domain.models import Award, Clause, Measure, PublicationStatus

DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED

# What a draft of a change carries over to the clause it replaces.
CLAUSE_CONTENT_FIELDS = ("text", "provenance", "source_url", "is_complete")


class PublishingError(Exception):
    """A publication or a new draft refused, with a message for the editor."""


def _save_as(obj, user, reason):
    """Save `obj` as a new recorded version by `user`, for `reason`."""
    obj.updated_by = user
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


def publish_row(obj, user, reason) -> bool:
    """Publish one draft measure, clause or award by its status alone (its own rows only).
    Returns False when it was already published. A draft of a change is not published this
    way: see publish_clause_draft."""
    if getattr(obj, "draft_of_id", None) is not None:
        raise PublishingError(f"“{obj}”是一份修改草稿，发布时其内容会替换原条款，请用“发布所选草稿”发布。")
    if obj.status == PUBLISHED:
        return False
    obj.status = PUBLISHED
    _save_as(obj, user, reason)
    return True


@transaction.atomic
@public_history.batched
def publish_measure(measure: Measure, user, reason: str) -> dict[str, int]:
    """Publish a draft measure together with its draft clauses and the draft awards on them: a new
    measure is prepared as a whole and goes public as a whole. Drafts of changes to its clauses
    stay pending (each is published on its own). Returns how many rows of each kind were published."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    counts = {"measures": 0, "clauses": 0, "awards": 0}
    if publish_row(measure, user, reason):
        counts["measures"] += 1
    clauses = Clause.objects.filter(measure=measure, draft_of__isnull=True).select_related("measure")
    for clause in clauses.filter(status=DRAFT):
        clause.measure = measure  # the fresh row: its search tokens read the title
        counts["clauses"] += publish_row(clause, user, reason)
    for award in Award.objects.filter(clause__in=clauses, status=DRAFT):
        counts["awards"] += publish_row(award, user, reason)
    return counts


def start_draft_of_change(clause: Clause, user) -> Clause:
    """A draft of a change to a published clause: a copy of it that the editor may rewrite while
    the public keeps reading the original. One pending draft per clause at most."""
    if clause.draft_of_id is not None:
        raise PublishingError(f"“{clause}”本身就是一份修改草稿，请直接修改它。")
    if clause.status == DRAFT:
        raise PublishingError(f"“{clause}”还是草稿，公众看不到它，请直接修改，无需另建修改草稿。")
    pending_message = f"“{clause}”已有一份待发布的修改草稿，请直接修改那份草稿，或先发布它。"
    if Clause.objects.filter(draft_of=clause).exists():
        raise PublishingError(pending_message)
    draft = Clause(
        measure=clause.measure,
        position=clause.position,
        status=DRAFT,
        draft_of=clause,
        **{name: getattr(clause, name) for name in CLAUSE_CONTENT_FIELDS},
    )
    try:
        with transaction.atomic():
            _save_as(draft, user, f"创建“{clause}”的修改草稿")
    except IntegrityError:  # another editor started one in the meantime (one_pending_draft_per_clause)
        raise PublishingError(pending_message) from None
    return draft


@transaction.atomic
@public_history.batched
def publish_clause_draft(draft: Clause, user, reason: str) -> Clause:
    """Replace the original clause's content with its draft's: the original keeps its id, position
    and anchor and gets a new recorded version ("发布修改草稿：<reason>"); the draft is deleted.
    Returns the original clause."""
    if draft.draft_of_id is None:
        raise PublishingError(f"“{draft}”不是修改草稿。")
    if draft.awards.exists():
        # The awards belong to the original clause; a draft carrying its own would lose them.
        raise PublishingError(
            f"“{draft}”的修改草稿带有奖补金额，发布时无法并入原条款：请把这些金额以草稿形式添加到原条款上。"
        )
    original = Clause.objects.select_for_update().select_related("measure").get(pk=draft.draft_of_id)
    if original.updated_at > draft.updated_at:
        # Someone changed the published clause after the draft was last saved: publishing would
        # silently undo that change. Saving the draft again (having read it) is the way on.
        raise PublishingError(
            f"“{original}”在修改草稿最后一次保存之后又被修改过"
            f"（{timezone.localtime(original.updated_at):%Y-%m-%d %H:%M}）：直接发布会覆盖那次修改。"
            "请打开草稿，核对并吸收那次修改后保存，再发布。"
        )
    for name in CLAUSE_CONTENT_FIELDS:
        setattr(original, name, getattr(draft, name))
    draft._history_user = user
    draft._change_reason = f"修改草稿已发布：{reason}"
    draft.delete()
    _save_as(original, user, f"发布修改草稿：{reason}")
    return original
