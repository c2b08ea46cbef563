"""The words people use: a query term is also searched with its synonyms (search's synonym list,
measures/search/synonyms.py) and, where it holds a recipient kind's common alias (国家重点实验室), with the
kind's own name (全国重点实验室). Only the query changes; what a match is stays match.py's rule, and the
pages say which words were added. One query reads the list and the aliases."""

import dataclasses

from django.db.models import CharField, Value

from measures.domain.eligibility import RecipientKind
from measures.search.query import ParsedQuery, Widening
from measures.search.synonyms import SearchSynonym
from measures.text.word_lists import split_words

MAX_ALTERNATIVES = 8  # words a term is widened to at most: each is one more condition on every row


def widen(query: ParsedQuery) -> ParsedQuery:
    """`query` with each text term's widening: one query when it has text terms, none otherwise."""
    if not query.words:
        return query
    synonym_rows, aliases = _vocabulary()
    widenings = []
    for term in query.words:
        found, named = [], []
        for row in synonym_rows:
            for word in row:
                if word in term:
                    found += [term.replace(word, other) for other in row if other != word]
        for alias, name in aliases:
            if alias in term:
                found.append(term.replace(alias, name))
                named.append((alias, name))
        words = _fewest(term, found)[:MAX_ALTERNATIVES]
        if words:
            widenings.append(Widening(term, tuple(words), tuple(dict.fromkeys(named))))
    return dataclasses.replace(query, widenings=tuple(widenings))


def _fewest(term: str, found: list[str]) -> list[str]:
    """The words found, without repeats and without those that hold the term or another word found: a
    clause holding one of those holds the shorter word too, so it would add nothing but a condition."""
    words = [word for word in dict.fromkeys(found) if word and term not in word]
    return [word for word in words if not any(other != word and other in word for other in words)]


def _vocabulary() -> tuple[list[list[str]], list[tuple[str, str]]]:
    """(the synonym rows, each a list of words; (alias, name) of every public kind's aliases). One query."""
    synonyms = SearchSynonym.objects.order_by().annotate(name=Value("", output_field=CharField()))
    kinds = RecipientKind.objects.public().exclude(aliases="").order_by()
    rows = synonyms.values_list("words", "name").union(kinds.values_list("aliases", "name"), all=True)
    synonym_rows, aliases = [], []
    for words, name in rows:
        if name:
            aliases += [(alias, name) for alias in split_words(words)]
        else:
            synonym_rows.append(split_words(words))
    return synonym_rows, aliases
