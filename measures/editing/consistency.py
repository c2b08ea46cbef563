"""Does each award still say what its own source phrase says, and does its clause's current text still say
it? An editor may change 200万元 to 250万元 and leave the quoted phrase saying 200万元, or change the
clause's 100万元 to 120万元 and leave the award saying 100万元; the newer figure may be right (a newer source), so this
warns and lists, never refuses. The reading is measures/text/clause_reader.py's, the same as the import's.

Used by the admin (a warning on saving such an award, and the award list's 原文核对 filter) and by
`manage.py check_amounts`.
"""

from dataclasses import dataclass

from measures.domain.models import Award, Clause
from measures.text import clause_reader


@dataclass(frozen=True)
class Disagreement:
    award: Award
    problem: str


def disagreement(award: Award) -> str | None:
    """Why the award's amount is not what its source phrase, or its clause's current text, says; or None.
    Reads award.clause: one query unless selected."""
    values = (award.amount_yuan, award.limit, award.recurrence)
    problem = clause_reader.phrase_disagreement(award.source_phrase, *values)
    if problem is None and award.clause_id is not None:
        problem = clause_reader.clause_disagreement(award.clause.text, award.source_phrase, *values)
    return problem


def disagreements(awards=None) -> list[Disagreement]:
    """The awards (all of them, drafts included, unless a QuerySet is given) whose amount, limit or
    recurrence their source phrase does not say. Reads every award: one query."""
    awards = Award.objects.select_related("clause__measure__policy") if awards is None else awards
    found = []
    for award in awards.order_by(*Award._meta.ordering, "pk"):
        problem = disagreement(award)
        if problem:
            found.append(Disagreement(award, problem))
    return found


def text_disagreements(clause: Clause, skip=()) -> list[Disagreement]:
    """The awards of `clause` (and, for a draft of a change, of the clause it will replace) whose amount
    the clause's text no longer says; awards whose id is in `skip` are not read."""
    awards = [*clause.awards.all(), *(clause.draft_of.awards.all() if clause.draft_of_id else ())]
    found = []
    for award in awards:
        if award.pk in skip:
            continue
        values = (award.amount_yuan, award.limit, award.recurrence)
        problem = clause_reader.clause_disagreement(clause.text, award.source_phrase, *values)
        if problem:
            found.append(Disagreement(award, problem))
    return found
