"""The search on PostgreSQL, through its own table (migration 0011): what it reads and how it chooses.

Every clause has a narrow row of its own, its tokens under a GIN index and, per token, a count of the
published clauses holding it; triggers keep both current on every write. A query is planned from those
counts before reading any row: a common one walks the rows in document order, a rare one takes the
index's candidates. What matches and how it ranks are match.py's expressions, compiled for the rows.
See docs/architecture.md#the-search-table.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.sql import Query

from measures.search import match
from measures.search.rows import SearchRow
from measures.text import tokens

TABLE = SearchRow._meta.db_table
FREQUENCY = "measures_search_token"
TOKENS_INDEX = "measures_clause_search_tokens"  # the GIN index (migration 0011)
TOKENS_INDEX_SQL = f"CREATE INDEX {TOKENS_INDEX} ON {TABLE} USING gin (tokens) WITH (fastupdate = off) WHERE published"
PUBLISHED = ""  # the token whose count is the number of published clauses
# An amount's tokens (migration 0015): a published award of 5000000 yuan on the clause is ¥5000000, and
# ¥5000000 in text when the clause's text holds its source phrase. No text yields one.
AMOUNT = "¥"
IN_TEXT = " in text"

WALK_SHARE = 0.25  # a query expected in this share of the clauses or more walks them in document order
WALK_ROWS = 12_000  # rows a walk reads at most (about 1,000 / WALK_SHARE, with room for a wrong guess)
SORTED_CANDIDATES = 2_000  # index candidates sorted in document order at most (beyond, a page walks)
PLACE = "policy_slug, measure_number, position"


def available() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Found:
    rows: list  # (clause id, rank, slug, number, position): all matches, or MAX_RANKED + 1 of them
    in_order: bool  # read in document order (a walk), so the first MAX_RANKED are the listing


class Plan:
    """One query's SQL over the search table: its conditions, its rank, its tokens."""

    def __init__(self, groups: tuple[tuple[str, ...], ...], amounts: tuple):
        # `groups`: per text term, the term and the words it is widened to (a match holds one of them).
        # `confirm`: what every path tests on a candidate row (the words); `like`: that and what the index
        # has as tokens (the amounts), for the paths that walk the rows in document order.
        confirm, rank, self.confirm_params, self.rank_params = [], ["0"], [], []
        for words in groups:
            sql, params = _on_rows(match.any_word_matches(words, "text", "title"))
            confirm.append(f"({sql})")
            self.confirm_params += params
            sql, params = _on_rows(match.any_word_rank(words, "text", "title"))
            rank.append(sql)
            self.rank_params += params
        # An amount term (query.AmountTerm): a published award of that amount (or in that range) on the
        # clause (its awards()), whose source phrase its text still holds for one amount (match.py).
        # The index has it as tokens; a walk compares the row's span of amounts (migration 0014), then
        # asks for the award.
        walked, walked_params = [], []
        self.exact_tokens, self.ranges = [], []
        for amount in amounts:
            span = Q()  # the row's span of amounts first: no award is read for a row outside it
            if amount.low is not None:
                span &= Q(amount_high__gte=amount.low)
            if amount.high is not None:
                span &= Q(amount_low__lte=amount.high)
            awards = amount.awards().filter(clause_id=OuterRef("clause_id"))
            if amount.exact:
                awards = awards.filter(match.quotes_its_source(OuterRef("text")))
                self.exact_tokens.append(f"{AMOUNT}{amount.low}{IN_TEXT}")
            else:
                self.ranges.append(amount)
            sql, params = _on_rows(span & Q(Exists(awards)))
            walked.append(sql)
            walked_params += params
        self.confirm = " AND ".join(confirm) or "true"
        self.like = " AND ".join(confirm + walked) or "true"
        self.params = self.confirm_params + walked_params
        self.rank = " + ".join(rank)
        # A term alone: its tokens, all held by a match. A widened term: per word its tokens, a match
        # holding all of one word's (`either`); a word without tokens ('%') leaves its group to `confirm`.
        single = [tokens.query_tokens(words[0]) for words in groups if len(words) == 1]
        self.either = [
            alternatives
            for words in groups
            if len(words) > 1 and all(alternatives := [tokens.query_tokens(word) for word in words])
        ]
        self.tokens = list(dict.fromkeys([*(token for wanted in single for token in wanted), *self.exact_tokens]))
        self.range_tokens = []  # per range, the amount tokens in it (a match holds one), as share() finds them
        self.groups = groups
        self.published = 0  # published clauses, as counted by share()
        self.candidates = 0  # at most as many rows as the index gives, as counted by share()

    def share(self, cursor) -> float:
        """The share of the published clauses expected to match, from the token counts: a term matches at
        most as many clauses as hold its rarest pair, a widened term as many as its words together, an
        amount as many as hold its token, a range as many as hold one of the amounts in it (the counts
        name them); terms are taken as independent. One query."""
        sql = f"SELECT token, clauses FROM {FREQUENCY} WHERE token = ANY(%s)"
        if self.ranges:  # every amount of a published award, read through a partial index (migration 0015)
            sql += f" UNION ALL SELECT token, clauses FROM {FREQUENCY} WHERE token LIKE '{AMOUNT}%%'"
        either = [token for alternatives in self.either for wanted in alternatives for token in wanted]
        cursor.execute(sql, [list(dict.fromkeys([PUBLISHED, *self.tokens, *either]))])
        counts = dict(cursor.fetchall())
        held = {int(token[len(AMOUNT) :]): token for token, clauses in counts.items() if _is_amount(token) and clauses}
        self.range_tokens = [[held[yuan] for yuan in sorted(held) if amount.contains(yuan)] for amount in self.ranges]
        range_counts = [sum(counts[token] for token in in_range) for in_range in self.range_tokens]

        def rarest(wanted):
            return min(counts.get(token, 0) for token in wanted)

        either_counts = [sum(rarest(wanted) for wanted in alternatives) for alternatives in self.either]
        self.published = published = counts.get(PUBLISHED, 0)
        # The index's candidates are at most the clauses holding the rarest token asked for.
        self.candidates = min(
            [*(counts.get(token, 0) for token in self.tokens), *range_counts, *either_counts], default=published
        )
        if not published:
            return 0.0
        share = 1.0
        for words in self.groups:
            wanted = [tokens.query_tokens(word) for word in words]
            if all(wanted):
                share *= min(1.0, sum(rarest(each) for each in wanted) / published)
        for count in [*(counts.get(token, 0) for token in self.exact_tokens), *range_counts]:
            share *= min(1.0, count / published)
        return share

    def select(self) -> str:
        return f"SELECT clause_id, {self.rank}, {PLACE}"

    def walk(self, cursor, limit: int) -> list | None:
        """The first `limit` matches in document order, reading at most WALK_ROWS rows; None when that
        was not enough to find them all (nor to read every row)."""
        cursor.execute(
            f"{self.select()} FROM (SELECT * FROM {TABLE} WHERE published ORDER BY {PLACE} LIMIT %s) AS {TABLE}"
            f" WHERE {self.like} ORDER BY {PLACE} LIMIT %s",
            [*self.rank_params, WALK_ROWS, *self.params, limit],
        )
        rows = cursor.fetchall()
        return rows if len(rows) == limit or self.published <= WALK_ROWS else None

    def sorted(self) -> bool:
        """Whether the index's matches are read in document order: when its candidates are few enough to
        sort them all (SORTED_CANDIDATES), a capped listing is then what was read, with no walk to a page."""
        return bool(self.tokens or self.ranges or self.either) and self.candidates <= SORTED_CANDIDATES

    def indexed(self, cursor, limit: int) -> list:
        """Matches through the GIN index, `limit` at most, in no particular order."""
        indexed, indexed_params = [], []  # what the index answers: every token, one of each range's
        if self.tokens:
            indexed.append("tokens @> %s::text[]")
            indexed_params.append(self.tokens)
        for alternatives in self.either:  # every token of one of the words
            indexed.append("(" + " OR ".join(["tokens @> %s::text[]"] * len(alternatives)) + ")")
            indexed_params += alternatives
        for in_range in self.range_tokens:
            indexed.append("tokens && %s::text[]")
            indexed_params.append(in_range)
        sql = f"{self.select()} FROM {TABLE} WHERE published AND {' AND '.join([*indexed, self.confirm])}"
        if self.sorted():
            sql += f" ORDER BY {PLACE}"
        sql += " LIMIT %s"
        params = [*self.rank_params, *indexed_params, *self.confirm_params, limit]
        if not indexed:  # no word character and no amount ('%'): every row is tested
            cursor.execute(sql, params)
            return cursor.fetchall()
        # A bitmap scan of the index, never a walk testing each row's tokens (see the module's note): the
        # settings and the query in one statement string, so that they are one round trip, and a failure
        # rolls the settings back with the statement (SET is transactional).
        cursor.execute(
            f"SET enable_seqscan = off; SET enable_indexscan = off; {sql}; RESET enable_seqscan;"
            " RESET enable_indexscan",
            params,
        )
        while cursor.description is None:  # past the two SETs' results, to the query's rows
            cursor.nextset()
        return cursor.fetchall()


def _on_rows(expression) -> tuple[str, list]:
    """A filter (Q) or an expression of match.py as SQL on the search rows, its columns named by the
    table's name (which a walk gives its subquery too)."""
    query = Query(SearchRow)
    node = query.build_where(expression) if isinstance(expression, Q) else expression.resolve_expression(query)
    try:
        sql, params = query.get_compiler(connection=connection).compile(node)
    except EmptyResultSet:  # e.g. an amount beyond the column's range: no row can match
        return "false", []
    except FullResultSet:
        return "true", []
    return sql, list(params)


def _is_amount(token: str) -> bool:
    return token.startswith(AMOUNT) and token[len(AMOUNT) :].isdigit()


def find(plan: Plan, limit: int) -> Found:
    """Up to `limit` matches: in document order when the query is common, else any (all if fewer)."""
    with connection.cursor() as cursor:
        if plan.share(cursor) >= WALK_SHARE:
            rows = plan.walk(cursor, limit)
            if rows is not None:
                return Found(rows, in_order=True)
        return Found(plan.indexed(cursor, limit), in_order=plan.sorted())


def page(plan: Plan, before, start: int, stop: int) -> tuple[str, list]:
    """SQL for the ids of the matches start..stop in document order, all of them no later than the place
    `before` (the stop-th of the matches seen): a walk in that order, confirming by substring, that reads
    at most the rows up to `before` and stops at the stop-th match. A subquery of the query that reads
    the clauses shown, so that a capped page costs no more queries than another."""
    sql = (
        f"SELECT clause_id FROM {TABLE} WHERE published AND ({PLACE}) <= (%s, %s, %s) AND {plan.like}"
        f" ORDER BY {PLACE} LIMIT %s OFFSET %s"
    )
    return sql, [*before, *plan.params, stop - start, start]


_EXPECTED_COUNTS = f"""SELECT token, count(*) FROM {TABLE}, unnest(tokens || ''::text) AS token
    WHERE published GROUP BY token"""
_KEPT_COUNTS = f"SELECT token, clauses FROM {FREQUENCY} WHERE clauses <> 0"


COUNT_TRIGGERS = tuple(f"{FREQUENCY}_{event}" for event in ("insert", "update", "delete"))


def recount() -> None:
    """Count every token again from the search rows: after a bulk load that wrote them with the counting
    triggers off (bench/corpus/generate.py), one pass instead of one per statement."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FREQUENCY}")
        cursor.execute(f"INSERT INTO {FREQUENCY} (token, clauses) {_EXPECTED_COUNTS}")


def differing_counts() -> list[tuple[str, int | None, int | None]]:
    """(token, count kept, count the search rows make) for every token whose count differs."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(kept.token, expected.token), kept.clauses, expected.count"
            f" FROM ({_KEPT_COUNTS}) AS kept FULL JOIN ({_EXPECTED_COUNTS}) AS expected ON expected.token = kept.token"
            " WHERE kept.clauses IS DISTINCT FROM expected.count ORDER BY 1"
        )
        return cursor.fetchall()
