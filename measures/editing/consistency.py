"""Does each award still say what its own source phrase says? An editor may change 200万元 to 250万元
and leave the quoted phrase saying 200万元; the newer figure may be right (a newer source), so this
warns and lists, never refuses. The reading is measures/text/clause_reader.py's, the same as the import's.

Used by the admin (a warning on saving such an award, and the award list's 原文核对 filter) and by
`manage.py check_amounts`.
"""

from dataclasses import dataclass

from measures.domain.models import Award
from measures.text import clause_reader


@dataclass(frozen=True)
class Disagreement:
    award: Award
    problem: str


def disagreement(award: Award) -> str | None:
    return clause_reader.phrase_disagreement(award.source_phrase, award.amount_yuan, award.limit, award.recurrence)


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
