"""Chinese-aware search over measure titles and clause texts.

A match is the same on every database: every term of the query occurs, as a substring, in the clause's
text or its measure's title (case-insensitive for Latin letters), with no word segmentation to get
wrong. A term that reads as an amount matches the clauses with a published award of that amount (or in
that range) whose source phrase is in their text. `search_clauses()` reads the clauses themselves; on
PostgreSQL the pages read search's own table (table.py). See docs/architecture.md#what-a-search-matches.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from measures.domain.models import Award, Clause
from measures.search import match, table
from measures.text import money
from xmpolicy.nul import without_nul

MAX_QUERY_LENGTH = 100  # characters kept from a query; a longer one is cut, and the page says so
MAX_TERMS = 8  # terms kept from a query; more are dropped, and the page says so
RESULTS_SHOWN = 50  # clauses listed on a results page, best first
MAX_RANKED = 1000  # matches ranked by relevance; a query matching more lists them in the policies' order
SNIPPET_WIDTH = 80  # characters of a clause shown around the first term found

# A result's place in its policy: the order of results that rank the same, and of all when capped.
DOCUMENT_ORDER = ("measure__policy__slug", "measure__number", "position")


@dataclass(frozen=True)
class AmountTerm:
    """A query term read as an amount (low == high, `exact`) or a range of amounts, in whole yuan,
    both ends included (an open end is None). However large: a term beyond any award finds nothing
    and says so, and its end above the award finder's largest is left open there."""

    term: str
    low: int | None
    high: int | None
    exact: bool = False

    def contains(self, yuan: int) -> bool:
        return (self.low is None or yuan >= self.low) and (self.high is None or yuan <= self.high)

    @property
    def beyond_any_award(self) -> bool:
        """The amounts start above the largest an award may be (money.LARGEST_AWARD_YUAN)."""
        return self.low is not None and self.low > money.LARGEST_AWARD_YUAN

    @property
    def description(self) -> str:
        """How the term was understood, in the interface language: '金额 = 3000万元', '金额 ≥ 500万元'."""
        low = money.format_amount_in(self.low, _lang()) if self.low is not None else None
        high = money.format_amount_in(self.high, _lang()) if self.high is not None else None
        if self.exact:
            meaning = _("金额 = %(amount)s") % {"amount": low}
        elif high is None:
            meaning = _("金额 ≥ %(amount)s") % {"amount": low}
        elif low is None:
            meaning = _("金额 ≤ %(amount)s") % {"amount": high}
        else:
            meaning = _("金额 %(low)s – %(high)s") % {"low": low, "high": high}
        if self.beyond_any_award:
            largest = money.format_amount_in(money.LARGEST_AWARD_YUAN, _lang())
            return _("%(meaning)s，超出任何奖补（奖补查询以%(largest)s为限）") % {
                "meaning": meaning,
                "largest": largest,
            }
        return meaning

    @property
    def notations(self) -> list[str]:
        """One amount as other notations write it, without the term's own (五十万: 50万元, 0.005亿元,
        500,000元): what the search also finds for it."""
        if not self.exact:
            return []
        return [written for written in money.notations(self.low) if written != self.term]

    @property
    def finder_url(self) -> str | None:
        """The same amounts in the award finder (/awards/?min=…&max=…, in 万元, inclusive); None beyond
        any award, where the finder would list nothing but an error. An end above the finder's largest
        is left open: no award lies beyond it."""
        if self.beyond_any_award:
            return None
        params = {}
        if self.low is not None:
            params["min"] = money.yuan_to_wan(self.low)
        if self.high is not None and self.high <= money.LARGEST_AWARD_YUAN:
            params["max"] = money.yuan_to_wan(self.high)
        return f"{reverse('measures:awards')}?{urlencode(params)}"

    def awards(self):
        """The published awards of these amounts (what the award finder lists for them)."""
        awards = Award.objects.published()
        if self.low is not None:
            awards = awards.filter(amount_yuan__gte=self.low)
        if self.high is not None:
            awards = awards.filter(amount_yuan__lte=self.high)
        return awards


def _lang():
    from django.utils import translation  # the active language, read when a description is asked for

    return translation.get_language()


def read_amount_term(term: str) -> AmountTerm | None:
    """The amount or range a query term says (measures/text/money.py), else None."""
    yuan = money.read_amount(term)
    if yuan:  # 0万元 is no award's amount: searched as written
        return AmountTerm(term, yuan, yuan, exact=True)
    if yuan == 0:
        return None
    found = money.read_range(term)
    return AmountTerm(term, found.low, found.high) if found is not None else None


@dataclass(frozen=True)
class Widening:
    """A query term searched with other words too (measures/search/widening.py): its synonyms, and the
    name of the recipient kind whose common alias it holds, as (alias, name) in `aliases`."""

    term: str
    words: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]
    truncated: bool = False  # the query was longer than MAX_QUERY_LENGTH and was cut
    dropped_terms: bool = False  # it had more than MAX_TERMS terms, the rest were dropped
    amounts: tuple[AmountTerm, ...] = ()  # the terms read as amounts or ranges, in query order
    widenings: tuple[Widening, ...] = ()  # the word terms also searched with other words, in query order

    def __bool__(self):
        return bool(self.terms)

    @property
    def text(self) -> str:
        """The query as searched, for the search box and the page title."""
        return " ".join(self.terms)

    def amount_of(self, term: str) -> AmountTerm | None:
        return next((amount for amount in self.amounts if amount.term == term), None)

    @property
    def words(self) -> tuple[str, ...]:
        """The terms searched as text only (not amounts)."""
        return tuple(term for term in self.terms if self.amount_of(term) is None)

    def alternatives(self, term: str) -> tuple[str, ...]:
        """`term` and the words it is widened to: a clause holding one of them matches the term."""
        widening = next((widening for widening in self.widenings if widening.term == term), None)
        return (term, *widening.words) if widening else (term,)

    @property
    def word_groups(self) -> tuple[tuple[str, ...], ...]:
        """Each text term with its alternatives: a match holds one word of every group."""
        return tuple(self.alternatives(term) for term in self.words)

    @property
    def marked(self) -> tuple[str, ...]:
        """What a snippet marks: every term as written, and every word a term was widened to."""
        return (*self.terms, *(word for widening in self.widenings for word in widening.words))


def parse_query(raw: str | None) -> ParsedQuery:
    """Split a query on white space (ASCII or full-width) into at most MAX_TERMS distinct terms, and
    read the terms that are amounts or ranges of amounts. NUL characters, which PostgreSQL refuses in
    a string, count as white space."""
    raw = without_nul(raw or "", " ").strip()
    truncated = len(raw) > MAX_QUERY_LENGTH
    terms = list(dict.fromkeys(raw[:MAX_QUERY_LENGTH].split()))[:MAX_TERMS]
    amounts = tuple(found for term in terms if (found := read_amount_term(term)) is not None)
    return ParsedQuery(tuple(terms), truncated, len(set(raw[:MAX_QUERY_LENGTH].split())) > MAX_TERMS, amounts)


def search_clauses(clauses: QuerySet, query: ParsedQuery, *, indexed: bool = True) -> QuerySet:
    """Clauses matching every term (or a word it is widened to), best first: each occurrence of a term
    counts, one in the measure's title match.TITLE_WEIGHT times; ties go to document order. `rank` is annotated.
    indexed=False: the naive scan, the benchmark's baseline (an amount's clauses as a plain IN list)."""
    if not query:
        return clauses.none()
    postgresql = indexed and connection.vendor == "postgresql"
    matching = Q()
    rank = Value(0, output_field=IntegerField())
    for term in query.terms:
        amount = query.amount_of(term)
        if amount is not None:
            matching &= _with_award(amount, postgresql)
            continue
        words = query.alternatives(term)
        matching &= match.any_word_matches(words, "text", "measure__title")
        rank = rank + match.any_word_rank(words, "text", "measure__title")
    return clauses.filter(matching).annotate(rank=rank).order_by("-rank", *DOCUMENT_ORDER)


def _with_award(amount: AmountTerm, postgresql: bool) -> Q:
    """Clauses with a published award of `amount` (a range: as the award finder lists them; one amount:
    whose source phrase their text still holds, however it writes the amount). One query reads the
    clauses' ids through the awards' amount index; the search takes them as a constant array, which
    PostgreSQL sizes rightly and compares by hash. (Given a subquery instead, IN, EXISTS or
    = ANY(ARRAY(…)), it guessed a handful of ids and walked thousands of clauses reading each one's
    tokens: seconds on the 100,000-clause corpus.)"""
    ids = _award_clause_ids(amount)
    if not ids:
        return Q(pk__in=[])
    if not postgresql:
        return Q(pk__in=ids)
    return Q(AnyOf(F("pk"), Value(ids, output_field=ArrayField(BigIntegerField()))))


def _award_clause_ids(amount: AmountTerm) -> list[int]:
    awards = amount.awards()
    if amount.exact:
        awards = awards.filter(match.quotes_its_source("clause__text"))
    return sorted(set(awards.order_by().values_list("clause_id", flat=True)))


class AnyOf(Func):
    """`column = ANY(array)` (PostgreSQL): one parameter however many ids, compared by hash."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


class Matches:
    """Every published clause matching a query (never drafts), in result order, read a page at a time:
    a sequence that Django's and DRF's paginators can slice.

    Ranking needs every match, and a common term (企业 in most clauses of a city's library) would make
    every search of it rank tens of thousands of rows. So the matches are first read without order,
    MAX_RANKED + 1 at most (the database stops there): up to MAX_RANKED they are all ranked, best first,
    and `total` is exact. Beyond, ranking would rank nothing useful (nearly all hold the term once), so
    the first MAX_RANKED in the policies' own order are listed instead, and `capped` says so; the
    database reads those in index order and stops at the page wanted. Two queries either way: the
    matches, then the clauses shown (on PostgreSQL, three: first the token counts of the plan).

    On PostgreSQL the matches are read from search's own table (measures/search/table.py), which
    chooses per query between walking the clauses in document order (a common query: the listing is
    then what was read) and the GIN index; elsewhere, and for the naive scan, from the clauses.
    """

    def __init__(self, query: ParsedQuery, *, indexed: bool = True):
        self.capped, self.ranked_ids, self.listed_ids, self.plan = False, [], None, None
        if not query:
            return
        if indexed and table.available():
            self.plan = table.Plan(query.word_groups, query.amounts)
            found = table.find(self.plan, MAX_RANKED + 1)
            rows = found.rows
            if found.in_order and len(rows) > MAX_RANKED:
                self.capped, self.listed_ids = True, [row[0] for row in rows[:MAX_RANKED]]
                return
        else:
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
        if self.listed_ids is not None:
            ids = self.listed_ids[start:stop]
        elif self.capped and self.plan is not None:
            # The first `stop` matches in the policies' order are no later than the stop-th of those seen.
            page = RawSQL(*table.page(self.plan, self.places_seen[stop - 1], start, stop))
            return list(_as_shown(Clause.objects.filter(pk__in=page).order_by(*DOCUMENT_ORDER)))
        elif self.capped:
            # The first `stop` matches in the policies' order are no later than the stop-th of those already
            # seen: only the policies up to that one's need reading, not every clause holding a common term.
            last_slug = self.places_seen[stop - 1][0]
            within = self.matching.filter(measure__policy__slug__lte=last_slug).order_by(*DOCUMENT_ORDER)
            return list(_as_shown(within)[start:stop])
        else:
            ids = self.ranked_ids[start:stop]
        by_id = {clause.pk: clause for clause in _as_shown(Clause.objects.filter(pk__in=ids))}
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


def _spans(text: str, terms: tuple[str, ...], amounts: tuple[AmountTerm, ...]) -> list[tuple[int, int]]:
    """Where `text` holds a term as written, or an amount that a term says however it is written
    (3000万元 for 三千万, an amount in a range): non-overlapping (start, end), in order, longest first."""
    found = []
    if terms:
        pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
        found += [match.span() for match in pattern.finditer(text)]
    if amounts:
        found += [
            (amount.start, amount.end)
            for amount in money.find_amounts(text)
            if amount.yuan is not None and any(term.contains(amount.yuan) for term in amounts)
        ]
    spans, position = [], 0
    for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if start >= position:
            spans.append((start, end))
            position = end
    return spans


_FIGURE = re.compile(r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*[%％]?")


def _outside_figures(text: str, start: int, end: int) -> tuple[int, int]:
    """The window [start, end) widened so that neither end falls inside a figure or an amount of `text`
    ("…0万元支持" would misstate 300万元): an end inside one moves to the figure's edge, outside."""
    figures = [match.span() for match in _FIGURE.finditer(text)]
    figures += [(amount.start, amount.end) for amount in money.find_amounts(text)]
    for figure_start, figure_end in figures:
        if figure_start < start < figure_end:
            start = figure_start
        if figure_start < end < figure_end:
            end = figure_end
    return start, end


def highlight(
    text: str, terms: tuple[str, ...], width: int | None = SNIPPET_WIDTH, amounts: tuple[AmountTerm, ...] = ()
) -> SafeString:
    """A window of `text` (`width` characters, or all of it for None) around the first term found,
    escaped, with every term in <mark>, and every amount the `amounts` terms say, however written."""
    spans = _spans(text, terms, amounts)
    first = spans[0] if spans else None
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        start = max(0, first[0] - width // 3) if first else 0
        end = min(len(text), max(start + width, first[1] if first else 0))
        start = max(0, min(start, end - width))  # near the end: fill the window backwards
        start, end = _outside_figures(text, start, end)
    parts = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(conditional_escape(text[position:span_start]))
        parts.append(f"<mark>{conditional_escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(conditional_escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # every piece of text above was escaped
