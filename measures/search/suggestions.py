"""What a search that finds nothing suggests: recipient kinds whose names share words with the query
(each leads to the calculator, where it always has awards), and words that do find clauses: each term
alone, a kind's name, shorter pieces of a term. Every word is counted before it is offered, by the
search's own rule (match.py), so every suggestion is a link that gives results. Two queries."""

from dataclasses import dataclass, field

from django.db.models import Count

from measures.domain.eligibility import RecipientKind
from measures.domain.models import Clause
from measures.search import match
from measures.text import tokens

SUGGESTED_KINDS = 3
SUGGESTED_WORDS = 5  # words offered
COUNTED_WORDS = 12  # words counted, in one query: each is one more condition on every published clause
SHORTEST_PIECE = 2  # characters: most policy terms are two (中试, 金砖)


@dataclass(frozen=True)
class Suggestions:
    kinds: list = field(default_factory=list)  # public RecipientKinds, closest first
    words: list[str] = field(default_factory=list)  # words that find at least one clause

    def __bool__(self):
        return bool(self.kinds or self.words)


def suggest(query) -> Suggestions:
    """Suggestions for a ParsedQuery that found nothing."""
    terms = [word for group in query.word_groups for word in group]
    if not terms:
        return Suggestions()
    wanted = {pair for term in terms for pair in _pairs(term)}
    kinds = sorted(
        (kind for kind in RecipientKind.objects.public().in_order() if _shared(kind, wanted)),
        key=lambda kind: -_shared(kind, wanted),
    )[:SUGGESTED_KINDS]
    candidates = _candidates(query.words, [kind.name for kind in kinds])
    finding = _finding(candidates)
    return Suggestions(kinds, [word for word in candidates if word in finding][:SUGGESTED_WORDS])


def _pairs(text: str) -> set[str]:
    return {token for token in tokens.tokens(text) if len(token) == 2}


def _shared(kind, wanted: set[str]) -> int:
    """How many of the query's character pairs the kind's name or aliases hold."""
    return len(wanted & _pairs(f"{kind.name} {kind.aliases}"))


def _candidates(words, kind_names) -> list[str]:
    """Each term alone (when there are several), the kinds' names, then each term's leading and
    trailing pieces, longest first: at most COUNTED_WORDS, none of them the query itself."""
    found = list(words) if len(words) > 1 else []
    found += kind_names
    for length in range(max(map(len, words)) - 1, SHORTEST_PIECE - 1, -1):
        for word in words:
            if len(word) > length:
                found += [word[:length], word[-length:]]
    query = " ".join(words)
    return [word for word in dict.fromkeys(found) if word.strip() and word != query][:COUNTED_WORDS]


def _finding(words: list[str]) -> set[str]:
    """Those of `words` that at least one published clause matches. One query."""
    if not words:
        return set()
    counting = {
        f"word{i}": Count("pk", filter=match.word_matches(word, "text", "measure__title"))
        for i, word in enumerate(words)
    }
    counts = Clause.objects.published().aggregate(**counting)
    return {word for i, word in enumerate(words) if counts[f"word{i}"]}
