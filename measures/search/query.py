"""Chinese-aware search over measure titles and clause texts.

What a match means is simple and the same on every database: every term of the query occurs,
as a substring, in the clause's text or in its measure's title (case-insensitive for Latin
letters). That is what a reader expects of 中试, 金砖 or 孵化器, with no word segmentation to get
wrong: jieba splits policy terms such as 专精特新 apart, while a substring never misses.

PostgreSQL has no Chinese text-search configuration and pg_trgm cannot index terms shorter than
three characters (most policy terms are two), so each clause also stores `search_tokens`: every
character and every overlapping pair of characters of its title and text (the approach of
Lucene's CJK analyzer). A query term's characters/pairs must all be present: a GIN index answers
that, and the substring test then runs only on the few candidate rows. The tokens are a
prefilter that can only let through too much, never too little, so the results are the same as
a plain substring scan (the SQLite path, fine on small data).

The index is declared on the Clause model (measures/domain/models.py, PostgreSQL only), on the
expression that search_token_array() writes; the query below filters on exactly that expression, or
PostgreSQL would not use the index. The tokens themselves are measures/text/tokens.py's.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Length, Lower, Replace
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from measures.domain.models import Clause, search_token_array
from measures.text import tokens
from xmpolicy.nul import without_nul

MAX_QUERY_LENGTH = 100  # characters kept from a query; a longer one is cut, and the page says so
MAX_TERMS = 8  # terms kept from a query; more are dropped, and the page says so
RESULTS_SHOWN = 50  # clauses listed on a results page, best first
MAX_RANKED = 1000  # matches ranked by relevance; a query matching more lists them in the policies' order
SNIPPET_WIDTH = 80  # characters of a clause shown around the first term found
TITLE_WEIGHT = 3  # a term in the measure's title counts as much as three in the clause's text

# A result's place in its policy: the order of results that rank the same, and of all when capped.
DOCUMENT_ORDER = ("measure__policy__slug", "measure__number", "position")


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]
    truncated: bool = False  # the query was longer than MAX_QUERY_LENGTH and was cut
    dropped_terms: bool = False  # it had more than MAX_TERMS terms, the rest were dropped

    def __bool__(self):
        return bool(self.terms)

    @property
    def text(self) -> str:
        """The query as searched, for the search box and the page title."""
        return " ".join(self.terms)


def parse_query(raw: str | None) -> ParsedQuery:
    """Split a query on white space (ASCII or full-width) into at most MAX_TERMS distinct terms.
    NUL characters, which PostgreSQL refuses in a string, count as white space."""
    raw = without_nul(raw or "", " ").strip()
    truncated = len(raw) > MAX_QUERY_LENGTH
    terms = list(dict.fromkeys(raw[:MAX_QUERY_LENGTH].split()))
    return ParsedQuery(tuple(terms[:MAX_TERMS]), truncated, len(terms) > MAX_TERMS)


def has_case(term: str) -> bool:
    """Whether case can matter for `term`: it has a letter with an upper or lower form (Latin, Greek…).
    Chinese characters, digits and punctuation have none, so for most queries the database can compare
    the text as it is, instead of upper-casing every row first (several times faster on PostgreSQL)."""
    return term.upper() != term or term.lower() != term


def _contains(field: str, term: str) -> Q:
    # icontains escapes %, _ and \ on every backend: they match themselves (contains too).
    return Q(**{f"{field}__icontains" if has_case(term) else f"{field}__contains": term})


def _occurrences(field: str, term: str):
    """How many times `term` occurs in `field`, in portable SQL: (len - len(replace)) / len(term)."""
    text = Lower(field) if has_case(term) else F(field)
    removed = Replace(text, Value(term.lower()), Value(""))
    return (Length(text) - Length(removed)) / Value(len(term), output_field=IntegerField())


def search_clauses(clauses: QuerySet, query: ParsedQuery, *, indexed: bool = True) -> QuerySet:
    """Clauses matching every term, best first: each occurrence of a term counts, one in the
    measure's title TITLE_WEIGHT times; ties go to document order. `rank` is annotated.
    indexed=False skips the token prefilter: the naive scan, the benchmark's baseline."""
    if not query:
        return clauses.none()
    matching = Q()
    rank = Value(0, output_field=IntegerField())
    for term in query.terms:
        matching &= _contains("text", term) | _contains("measure__title", term)
        rank = rank + _occurrences("text", term) + TITLE_WEIGHT * _occurrences("measure__title", term)
    if indexed and connection.vendor == "postgresql":
        wanted = list(dict.fromkeys(token for term in query.terms for token in tokens.query_tokens(term)))
        if wanted:
            clauses = clauses.alias(token_array=search_token_array()).filter(token_array__contains=wanted)
    return clauses.filter(matching).annotate(rank=rank).order_by("-rank", *DOCUMENT_ORDER)


class Matches:
    """Every published clause matching a query (never drafts), in result order, read a page at a time:
    a sequence that Django's and DRF's paginators can slice.

    Ranking needs every match, and a common term (企业 in most clauses of a city's library) would make
    every search of it rank tens of thousands of rows. So the matches are first read without order,
    MAX_RANKED + 1 at most (the database stops there): up to MAX_RANKED they are all ranked, best first,
    and `total` is exact. Beyond, ranking would rank nothing useful (nearly all hold the term once), so
    the first MAX_RANKED in the policies' own order are listed instead, and `capped` says so; the
    database reads those in index order and stops at the page wanted. Two queries either way: the
    matches, then the clauses shown.
    """

    def __init__(self, query: ParsedQuery, *, indexed: bool = True):
        self.capped, self.ranked_ids = False, []
        if not query:
            return
        self.matching = search_clauses(Clause.objects.published(), query, indexed=indexed)
        rows = list(self.matching.order_by().values_list("pk", "rank", *DOCUMENT_ORDER)[: MAX_RANKED + 1])
        self.capped = len(rows) > MAX_RANKED
        if self.capped:
            self.places_seen = sorted(row[2:] for row in rows)
        else:
            self.ranked_ids = [row[0] for row in sorted(rows, key=_best_first)]

    def __len__(self) -> int:
        return MAX_RANKED if self.capped else len(self.ranked_ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        if start >= stop:
            return []
        if self.capped:
            # The first `stop` matches in the policies' order are no later than the stop-th of those already
            # seen: only the policies up to that one's need reading, not every clause holding a common term.
            last_slug = self.places_seen[stop - 1][0]
            within = self.matching.filter(measure__policy__slug__lte=last_slug).order_by(*DOCUMENT_ORDER)
            return list(_as_shown(within)[start:stop])
        ids = self.ranked_ids[start:stop]
        by_id = {clause.pk: clause for clause in _as_shown(self.matching.filter(pk__in=ids))}
        return [by_id[pk] for pk in ids if pk in by_id]


def _best_first(row):
    _pk, rank, *place = row
    return (-rank, *place)


def _as_shown(clauses: QuerySet) -> QuerySet:
    """With what a result shows: its measure and policy joined, none of the other long texts."""
    return clauses.select_related("measure__policy").only(
        "position",
        "text",
        "provenance",
        "is_complete",
        "measure__number",
        "measure__title",
        "measure__policy__slug",
        "measure__policy__title",
        "measure__policy__short_title",
    )


@dataclass(frozen=True)
class Results:
    clauses: list  # at most the limit, best first, each with its measure and policy joined
    total: int  # how many clauses match in all; MAX_RANKED when capped (more match)
    capped: bool = False  # more than MAX_RANKED match: the clauses are the first in the policies' order

    @property
    def more(self) -> bool:
        return self.capped or self.total > len(self.clauses)


def find(query: ParsedQuery, limit: int = RESULTS_SHOWN, *, indexed: bool = True) -> Results:
    """The first `limit` results for `query` and how many match: two SQL queries, none for an empty query."""
    matches = Matches(query, indexed=indexed)
    return Results(matches[:limit], len(matches), matches.capped)


def highlight(text: str, terms: tuple[str, ...], width: int | None = SNIPPET_WIDTH) -> SafeString:
    """A window of `text` (`width` characters, or all of it for None) around the first term found,
    escaped, with every term in <mark>."""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text) if terms else None
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        start = max(0, first.start() - width // 3) if first else 0
        end = min(len(text), max(start + width, first.end() if first else 0))
        start = max(0, min(start, end - width))  # near the end: fill the window backwards
    window = text[start:end]
    parts = ["…" if start > 0 else ""]
    position = 0
    if terms:
        for match in pattern.finditer(window):
            parts.append(conditional_escape(window[position : match.start()]))
            parts.append(f"<mark>{conditional_escape(match.group())}</mark>")
            position = match.end()
    parts.append(conditional_escape(window[position:]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # every piece of text above was escaped
