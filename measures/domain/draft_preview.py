"""A draft's measure as the public will see it once the draft is published, for the editors' preview.

The rows shown follow what publishing does (measures/editing/publishing.py): a draft measure goes public
with its clauses and its clauses' draft awards; a draft of a change takes its clause's place (same
position and anchor) with its own awards; a draft clause or award joins the rows public now. The measure
comes back with `clauses` and each clause's `awards` prefetched, as `for_detail()` gives them to the
public page; each award of a draft of a change has `preview_of`, the award it will be saved onto.
"""

from django.db import models

from measures.domain.models import Award, Clause, Measure, PublicationStatus


def _prefetched(queryset: models.QuerySet, rows: list) -> models.QuerySet:
    """A QuerySet that holds `rows` already, as a prefetch leaves one: `.all()` reads no database."""
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def _give(obj, name: str, rows: list) -> None:
    model = Award if name == "awards" else Clause
    cache = getattr(obj, "_prefetched_objects_cache", None) or {}
    cache[name] = _prefetched(model.objects.all(), rows)
    obj._prefetched_objects_cache = cache


def measure_once_published(draft) -> Measure:
    """The measure of `draft` (a Measure, a Clause or an Award) as it will stand once `draft` is
    published: a few queries, the same whatever the draft."""
    if isinstance(draft, Measure):
        measure, replaced, added_clause, added_award = draft, None, None, None
    elif isinstance(draft, Clause):
        measure = draft.measure
        replaced = draft.draft_of_id
        added_clause = draft
        added_award = None
    else:
        measure, replaced, added_clause, added_award = draft.clause.measure, None, None, draft
    measure = Measure.objects.select_related("policy", "pillar").get(pk=measure.pk)
    if isinstance(draft, Measure):
        clauses = list(Clause.objects.filter(measure=measure, draft_of__isnull=True).order_by("position"))
    else:
        public = Clause.objects.filter(measure=measure).published().order_by("position")
        clauses = [clause for clause in public if clause.pk != replaced]
        if added_clause is not None and added_clause.pk not in {c.pk for c in clauses}:
            clauses.append(Clause.objects.get(pk=added_clause.pk))
        clauses.sort(key=lambda clause: clause.position)
    awards = Award.objects.filter(clause__in=clauses).order_by("position")
    by_clause: dict[int, list[Award]] = {}
    for award in awards:
        shown = isinstance(draft, Measure) or award.status == PublicationStatus.PUBLISHED
        if shown or (added_award is not None and award.pk == added_award.pk):
            award.preview_of = award.draft_of_id
            by_clause.setdefault(award.clause_id, []).append(award)
    for clause in clauses:
        clause.measure = measure
        _give(clause, "awards", by_clause.get(clause.pk, []))
    _give(measure, "clauses", clauses)
    return measure
