"""Drafts and their publication: the editors' side of `PublicationStatus`.

Two kinds of draft exist. A *new* row (a measure 7 whose text is now known, a clause or an award
added to a published measure) is created with status draft and published by changing its status.
A *change* to a published clause is a second Clause row, `draft_of` the original and sharing its
position, carrying a copy of each of the clause's awards (`Award.draft_of`); publishing it copies its
text and its awards onto the originals (which keep their ids, positions and anchors), moves the
awards it added, deletes the awards it dropped, and deletes the draft.

Every publication is a saved version in the row's history, with the editor and the reason: the
draft's own 变更说明 (its last save's) and the publisher's (publication_reason). publish_draft is the
one entry for any draft; each function runs in one transaction, so a failure leaves nothing half
published. What the public sees is decided by the QuerySets' `published()` in
measures/domain/models.py, not here. More: docs/editors.md (Drafts).
"""

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from measures.domain import public_history
from measures.domain.eligibility import AwardRecipientKind
from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.editing.history import REASON_MAX_LENGTH
from measures.editing.kinds import set_kinds

DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED

# What a draft of a change carries over to the clause it replaces.
CLAUSE_CONTENT_FIELDS = ("text", "provenance", "source_url", "is_complete")
# What a draft's copy of an award carries over to the award (everything an editor types, its status too).
AWARD_CONTENT_FIELDS = tuple(
    f.name for f in Award._meta.concrete_fields if f.editable and not f.primary_key and f.name != "clause"
)
# The reason of a publication whose draft has none and whose publisher gave none.
DEFAULT_REASON = "发布草稿"
# Between the draft's reason and the publisher's, in the one reason the history keeps.
REASON_SEPARATOR = "；"


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
    clauses, awards = published_with(measure)
    award_ids = list(awards.values_list("pk", flat=True))
    # Each kind in one statement, each row a saved version by `user` as publish_row's would be: the
    # database's triggers (the search table and its words' counts, the awards' listing) then run once
    # for the measure's clauses and once for its awards, not once a row.
    counts["clauses"] = clauses.update_as(user, reason, status=PUBLISHED)
    counts["awards"] = Award.objects.filter(pk__in=award_ids).update_as(user, reason, status=PUBLISHED)
    return counts


def published_with(measure: Measure):
    """What publish_measure publishes with a draft measure: its draft clauses (not drafts of changes,
    each published on its own) and the draft awards on its clauses, as two QuerySets."""
    clauses = Clause.objects.filter(measure=measure, draft_of__isnull=True)
    return clauses.filter(status=DRAFT), Award.objects.filter(clause__in=clauses, status=DRAFT)


def draft_created_reason(clause: Clause) -> str:
    return f"创建“{clause}”的修改草稿"


def start_draft_of_change(clause: Clause, user) -> Clause:
    """A draft of a change to a published clause: a copy of it, and of each of its awards with their
    kinds, that the editor may rewrite, add to and delete from while the public keeps reading the
    original. One pending draft per clause at most."""
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
    reason = draft_created_reason(clause)
    try:
        with transaction.atomic():
            _save_as(draft, user, reason)
            for award in clause.awards.order_by("position").prefetch_related("kind_links"):
                copy = Award(
                    clause=draft, draft_of=award, **{name: getattr(award, name) for name in AWARD_CONTENT_FIELDS}
                )
                _save_as(copy, user, reason)
                for link in award.kind_links.all():
                    _save_as(AwardRecipientKind(award=copy, kind_id=link.kind_id), user, reason)
    except IntegrityError:  # another editor started one in the meantime (one_pending_draft_per_clause)
        raise PublishingError(pending_message) from None
    return draft


@transaction.atomic
@public_history.batched
def publish_clause_draft(draft: Clause, user, reason: str) -> Clause:
    """Replace the original clause's content and awards with its draft's, recorded with `reason`: the
    clause and each award the draft kept keep their ids (the finder, anchors and history follow
    them) and get a new recorded version; an award the draft added moves to the clause; one it
    dropped is deleted; the draft is deleted. Returns the original clause."""
    if draft.draft_of_id is None:
        raise PublishingError(f"“{draft}”不是修改草稿。")
    original = Clause.objects.select_for_update().select_related("measure").get(pk=draft.draft_of_id)
    copies = list(Award.objects.filter(clause=draft).order_by("position").prefetch_related("kind_links__kind"))
    _refuse_if_changed_since(draft, original, copies)
    awards = {award.pk: award for award in Award.objects.select_for_update().filter(clause=original)}
    kept = {copy.draft_of_id: copy for copy in copies if copy.draft_of_id in awards}
    for award in awards.values():
        if award.pk not in kept:
            _delete_as(award, user, reason)
    # Positions may be exchanged (award 1 becomes 2 and 2 becomes 1): the awards whose position
    # changes are first set aside, unrecorded, so that no step meets the one-position-per-award rule.
    moving = [award for pk, award in awards.items() if pk in kept and award.position != kept[pk].position]
    for offset, award in enumerate(moving):
        Award._base_manager.filter(pk=award.pk).update(position=models.Value(32767 - offset))
    for pk, copy in kept.items():
        award = awards[pk]
        kinds = [link.kind for link in copy.kind_links.all()]
        _delete_as(copy, user, f"修改草稿已发布：{reason}")
        if any(getattr(award, name) != getattr(copy, name) for name in AWARD_CONTENT_FIELDS):
            for name in AWARD_CONTENT_FIELDS:
                setattr(award, name, getattr(copy, name))
            _save_as(award, user, reason)
        set_kinds(award, kinds, user, reason)
    for copy in copies:
        if copy.draft_of_id not in kept:  # added in the draft (or a copy of an award deleted since)
            copy.clause, copy.draft_of = original, None
            _save_as(copy, user, reason)
    for name in CLAUSE_CONTENT_FIELDS:
        setattr(original, name, getattr(draft, name))
    _delete_as(draft, user, f"修改草稿已发布：{reason}")
    _save_as(original, user, reason)
    return original


def _delete_as(obj, user, reason):
    obj._history_user = user
    obj._change_reason = reason
    obj.delete()


def _refuse_if_changed_since(draft: Clause, original: Clause, copies: list[Award]) -> None:
    """Someone changed the published clause or one of its awards after the draft was last saved:
    publishing would silently undo that change. Saving the draft again (having read it) is the way on."""
    last_saved = max([draft.updated_at, *(copy.updated_at for copy in copies)])
    changed = [original] if original.updated_at > last_saved else []
    changed += list(Award.objects.filter(clause=original, updated_at__gt=last_saved).order_by("position"))
    if not changed:
        return
    newest = max(row.updated_at for row in changed)
    names = "、".join(f"“{row}”" for row in changed)
    raise PublishingError(
        f"{names}在修改草稿最后一次保存之后又被修改过"
        f"（{timezone.localtime(newest):%Y-%m-%d %H:%M}）：直接发布会覆盖那次修改。"
        "请打开草稿，核对并吸收那次修改后保存，再发布。"
    )


# One draft at a time, as a workflow (the admin action, a review) publishes it


def is_draft(obj) -> bool:
    """Whether publish_draft has anything to publish in `obj` (a draft of a change, or a draft row)."""
    return getattr(obj, "draft_of_id", None) is not None or obj.status == DRAFT


def draft_reason(obj) -> str:
    """The 变更说明 of the draft's last save: the newest record among the draft's rows (a measure's
    clauses and awards; a draft of a change's awards and their kinds). Empty when that save was the
    draft's creation by start_draft_of_change, which says nothing of the change."""
    if isinstance(obj, Measure):
        clause_ids = list(Clause.objects.filter(measure=obj, draft_of__isnull=True).values_list("pk", flat=True))
        histories = [
            obj.history.all(),
            Clause.history.filter(id__in=clause_ids),
            Award.history.filter(clause_id__in=clause_ids),
        ]
    elif isinstance(obj, Clause):
        award_ids = Award.history.filter(clause_id=obj.pk).values("id")
        histories = [
            obj.history.all(),
            Award.history.filter(clause_id=obj.pk),
            AwardRecipientKind.history.filter(award_id__in=award_ids),
        ]
    else:
        histories = [obj.history.all()]
    newest = [
        h.order_by("-history_date", "-history_id").values_list("history_date", "history_change_reason")[:1]
        for h in histories
    ]
    records = [row for rows in newest for row in rows]
    if not records:
        return ""
    reason = max(records, key=lambda record: record[0])[1] or ""
    if isinstance(obj, Clause) and obj.draft_of_id is not None and reason == draft_created_reason(obj.draft_of):
        return ""
    return reason


def publication_reason(draft_words: str, publisher_words: str = "") -> str:
    """The reason a publication is recorded with: the draft's and the publisher's, either alone, or
    DEFAULT_REASON when neither said anything."""
    return (
        REASON_SEPARATOR.join(words for words in (draft_words.strip(), publisher_words.strip()) if words)
        or DEFAULT_REASON
    )


def room_for_publisher_words(draft_words: str) -> int:
    """How many characters the publisher may add to the draft's reason within the history's limit."""
    if not draft_words.strip():
        return REASON_MAX_LENGTH
    return max(0, REASON_MAX_LENGTH - len(draft_words.strip()) - len(REASON_SEPARATOR))


def publish_draft(obj, user, publisher_words: str = ""):
    """Publish one draft — a measure with its draft clauses and awards, a draft of a change, or a
    draft clause or award — recorded with the draft's reason and the publisher's words. Returns what
    the public now sees: the measure, the original clause, or the row. Raises PublishingError with the
    editor's message when it is refused (nothing is then changed), ValueError when `obj` is no draft."""
    if not is_draft(obj):
        raise ValueError(f"{obj!r} is not a draft")
    draft_words = draft_reason(obj)
    if len(publisher_words.strip()) > room_for_publisher_words(draft_words):
        raise PublishingError(f"发布说明太长：与草稿的变更说明合计不能超过{REASON_MAX_LENGTH}个字。")
    return publish_as(obj, user, publication_reason(draft_words, publisher_words))


def publish_as(obj, user, reason: str):
    """Publish one draft of any kind, recorded with `reason`: what publish_draft does once it has the
    reason, and what a review (measures/editing/review.py) does with its own."""
    if isinstance(obj, Measure):
        publish_measure(obj, user, reason)
        return obj
    if isinstance(obj, Clause) and obj.draft_of_id is not None:
        return publish_clause_draft(obj, user, reason)
    with transaction.atomic(), public_history.batch():
        publish_row(obj, user, reason)
    return obj
