"""The search on PostgreSQL, through its own table (migration 0011): what it reads and how it chooses.

The clauses' table is a poor place to confirm a match: a row there holds a page of search tokens, and
a plan that tests rows one by one (the planner's choice for a common term) reads and splits them for
each row. So the database keeps, for every clause, a narrow row of its own (measures_clause_search):
whether the public sees it, its place in document order, its measure's title and its text (kept in
the row), its tokens as an array under a GIN index (moved out of the row, read only by the index), and
the smallest and largest amounts of its published awards (migration 0014), which an amount term compares
before it asks for the awards themselves.
It also counts, per token, the published clauses holding it (measures_search_token; the empty token
counts the published clauses). Triggers keep both current on every write, whatever writes it.

A query is planned from those counts, before reading any row:

- common (its terms together are expected in at least WALK_SHARE of the clauses): walk the published
  rows in document order, confirming each by substring, and stop at MAX_RANKED + 1 matches. More than
  MAX_RANKED match, so the listing is the first MAX_RANKED in document order: that is what was read.
  (Should the estimate be wrong, the walk stops after WALK_ROWS rows and the rare plan follows.)
- rare: the GIN index gives the rows holding every pair of every term, each is confirmed by substring
  on its narrow row, MAX_RANKED + 1 at most; up to MAX_RANKED they are ranked. When the candidates are
  few (SORTED_CANDIDATES) they are read in document order, so that a capped listing is what was read;
  otherwise a capped page is a walk in document order up to the place the matches seen bound (where
  the query is common enough for the walk to be short). The planner is told to use the index (a bitmap
  scan): left alone it sometimes walks the table testing each row's tokens, tens of milliseconds.

What matches and how it ranks are exactly measures/search/query.py's (the same SQL expressions).
"""

from dataclasses import dataclass

from django.db import connection

from measures.text import tokens

TABLE = "measures_clause_search"
FREQUENCY = "measures_search_token"
TOKENS_INDEX = "measures_clause_search_tokens"  # the GIN index (migration 0011)
TOKENS_INDEX_SQL = f"CREATE INDEX {TOKENS_INDEX} ON {TABLE} USING gin (tokens) WITH (fastupdate = off) WHERE published"
PUBLISHED = ""  # the token whose count is the number of published clauses

WALK_SHARE = 0.25  # a query expected in this share of the clauses or more walks them in document order
WALK_ROWS = 12_000  # rows a walk reads at most (about 1,000 / WALK_SHARE, with room for a wrong guess)
SORTED_CANDIDATES = 2_000  # index candidates sorted in document order at most (beyond, a page walks)
AMOUNT_COUNTED = 5_000  # awards of an amount counted at most to plan (enough to tell a common amount)
PLACE = "policy_slug, measure_number, position"


def available() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Found:
    rows: list  # (clause id, rank, slug, number, position): all matches, or MAX_RANKED + 1 of them
    in_order: bool  # read in document order (a walk), so the first MAX_RANKED are the listing


class Plan:
    """One query's SQL over the search table: its conditions, its rank, its tokens."""

    def __init__(self, words: tuple[str, ...], amounts: tuple, weight: int):
        like, rank, self.params, self.rank_params = [], ["0"], [], []
        for word in words:
            case = word.upper() != word or word.lower() != word  # as query.has_case()
            pattern = f"%{connection.ops.prep_for_like_query(word)}%"
            if case:
                like.append("(UPPER(text) LIKE UPPER(%s) OR UPPER(title) LIKE UPPER(%s))")
            else:
                like.append("(text LIKE %s OR title LIKE %s)")
            self.params += [pattern, pattern]
            for column, factor in (("text", ""), ("title", f"{weight} * ")):
                if case:  # as query._occurrences() writes it, character for character
                    value = f"LOWER({column})"
                    rank.append(f"{factor}((LENGTH({value}) - LENGTH(REPLACE({value}, %s, ''))) / {len(word)})")
                else:  # the same count, from byte lengths, which PostgreSQL need not count character by character
                    removed = f"OCTET_LENGTH(REPLACE({column}, %s, ''))"
                    rank.append(f"{factor}((OCTET_LENGTH({column}) - {removed}) / {len(word.encode())})")
                self.rank_params.append(word.lower())
        # An amount term (query.AmountTerm): a published award of that amount (or in that range) on the
        # clause, whose source phrase its text still holds for one amount (query._with_award()'s rule).
        self.amount_counts, self.amount_params, self.amount_clauses = [], [], []
        for amount in amounts:
            # The row's span of award amounts is compared first (migration 0014): two numbers already read
            # rule out most candidates before their awards are probed.
            awards, span, bounds = ["award.is_public"], [], []
            for bound, award_test, span_test in (
                (amount.low, "award.amount_yuan >= %s", "found.amount_high >= %s"),
                (amount.high, "award.amount_yuan <= %s", "found.amount_low <= %s"),
            ):
                if bound is not None:
                    awards.append(award_test)
                    span.append(span_test)
                    bounds.append(bound)
            within = " AND ".join(awards)
            phrase = " AND strpos(found.text, award.source_phrase) > 0" if amount.exact else ""
            probe = (
                "EXISTS (SELECT 1 FROM measures_award award"
                f" WHERE award.clause_id = found.clause_id AND {within}{phrase})"
            )
            like.append(" AND ".join([*span, probe]))
            self.params += bounds + bounds  # the span's, then the awards'
            # For the plan: how many awards of that amount, counted up to AMOUNT_COUNTED.
            self.amount_counts.append(
                f"(SELECT count(*) FROM (SELECT 1 FROM measures_award award WHERE {within} LIMIT {AMOUNT_COUNTED})"
                " AS counted)"
            )
            self.amount_params += bounds
            # For a query read through the awards: the clauses they are on.
            self.amount_clauses.append((f"SELECT award.clause_id FROM measures_award award WHERE {within}", bounds))
        self.like = " AND ".join(like) or "true"
        self.rank = " + ".join(rank)
        self.tokens = list(dict.fromkeys(token for word in words for token in tokens.query_tokens(word)))
        self.words = words
        self.published = 0  # published clauses, as counted by share()
        self.candidates = 0  # at most as many rows as the index gives, as counted by share()
        self.through_awards = None  # (SQL, params) of the clauses of the rarest amount, when it is the rarest term

    def share(self, cursor) -> float:
        """The share of the published clauses expected to match, from the token counts: a term matches at
        most as many clauses as hold its rarest pair, an amount about as many as there are awards of it;
        terms are taken as independent. One query."""
        sql = f"SELECT token, clauses FROM {FREQUENCY} WHERE token = ANY(%s)"
        for number, count in enumerate(self.amount_counts):
            sql += f" UNION ALL SELECT ' amount {number}', {count}"  # a token never holds a space
        cursor.execute(sql, [[PUBLISHED, *self.tokens], *self.amount_params])
        counts = dict(cursor.fetchall())
        self.published = published = counts.get(PUBLISHED, 0)
        # The index's candidates are at most the clauses holding the rarest token asked for.
        self.candidates = min((counts.get(token, 0) for token in self.tokens), default=published)
        # An amount with fewer awards than that (counted up to AMOUNT_COUNTED) gives fewer candidates: the
        # clauses of its awards, read through the awards' amount index.
        if self.amount_clauses:
            fewest, number = min((counts.get(f" amount {n}", 0), n) for n in range(len(self.amount_clauses)))
            if fewest < AMOUNT_COUNTED and (not self.tokens or fewest < self.candidates):
                self.candidates, self.through_awards = fewest, self.amount_clauses[number]
        if not published:
            return 0.0
        share = 1.0
        for word in self.words:
            wanted = tokens.query_tokens(word)
            if wanted:
                share *= min(counts.get(token, 0) for token in wanted) / published
        for number in range(len(self.amount_counts)):
            share *= min(1.0, counts.get(f" amount {number}", 0) / published)
        return share

    def select(self) -> str:
        return f"SELECT clause_id, {self.rank}, {PLACE}"

    def walk(self, cursor, limit: int) -> list | None:
        """The first `limit` matches in document order, reading at most WALK_ROWS rows; None when that
        was not enough to find them all (nor to read every row)."""
        cursor.execute(
            f"{self.select()} FROM (SELECT * FROM {TABLE} WHERE published ORDER BY {PLACE} LIMIT %s) AS found"
            f" WHERE {self.like} ORDER BY {PLACE} LIMIT %s",
            [*self.rank_params, WALK_ROWS, *self.params, limit],
        )
        rows = cursor.fetchall()
        return rows if len(rows) == limit or self.published <= WALK_ROWS else None

    def sorted(self) -> bool:
        """Whether the index's matches are read in document order: when its candidates are few enough to
        sort them all (SORTED_CANDIDATES), a capped listing is then what was read, with no walk to a page."""
        return bool(self.tokens or self.through_awards) and self.candidates <= SORTED_CANDIDATES

    def indexed(self, cursor, limit: int) -> list:
        """Matches through the GIN index (or, with no word, through the awards), `limit` at most, in no
        particular order."""
        sql = f"{self.select()} FROM {TABLE} AS found WHERE published AND {{}}{self.like}"
        if self.sorted():
            sql += f" ORDER BY {PLACE}"
        sql += " LIMIT %s"
        if self.through_awards:
            # The rows of the rarest amount's clauses, by their key: as one array, which the planner takes
            # for a few ids (a subquery it would join by scanning every row holding the words: 42 ms for
            # 人工智能 三千万 on the 100,000-clause corpus, against 15 ms).
            awards_sql, award_params = self.through_awards
            condition = f"clause_id = ANY(ARRAY({awards_sql})) AND "
            cursor.execute(sql.format(condition), [*self.rank_params, *award_params, *self.params, limit])
            return cursor.fetchall()
        if not self.tokens:  # amounts alone, each of thousands of awards: the planner joins their awards
            cursor.execute(sql.format(""), [*self.rank_params, *self.params, limit])
            return cursor.fetchall()
        # A bitmap scan of the index, never a walk testing each row's tokens (see the module's note): the
        # settings and the query in one statement string, so that they are one round trip, and a failure
        # rolls the settings back with the statement (SET is transactional).
        cursor.execute(
            f"SET enable_seqscan = off; SET enable_indexscan = off; {sql.format('tokens @> %s::text[] AND ')};"
            " RESET enable_seqscan; RESET enable_indexscan",
            [*self.rank_params, self.tokens, *self.params, limit],
        )
        while cursor.description is None:  # past the two SETs' results, to the query's rows
            cursor.nextset()
        return cursor.fetchall()


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
        f"SELECT clause_id FROM {TABLE} AS found WHERE published AND ({PLACE}) <= (%s, %s, %s) AND {plan.like}"
        f" ORDER BY {PLACE} LIMIT %s OFFSET %s"
    )
    return sql, [*before, *plan.params, stop - start, start]


_EXPECTED_ROWS = """SELECT clause.id, clause.status = 'published' AND clause.draft_of_id IS NULL
           AND measure.status = 'published', policy.slug, measure.number, clause.position, measure.title,
           clause.text, string_to_array(clause.search_tokens, ' '), span.low, span.high
    FROM measures_clause clause
    JOIN measures_measure measure ON measure.id = clause.measure_id
    JOIN measures_policy policy ON policy.id = measure.policy_id
    LEFT JOIN (SELECT clause_id, min(amount_yuan) AS low, max(amount_yuan) AS high
               FROM measures_award WHERE is_public GROUP BY clause_id) AS span ON span.clause_id = clause.id"""
_KEPT_ROWS = f"""SELECT clause_id, published, policy_slug, measure_number, position, title, text, tokens,
           amount_low, amount_high
    FROM {TABLE}"""
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


def drift() -> tuple[int, int]:
    """How many search rows and token counts differ from what the clauses make them (both 0 when the
    triggers kept up): for the tests, and for a check after writing below the triggers."""
    with connection.cursor() as cursor:
        found = []
        for kept, expected in ((_KEPT_ROWS, _EXPECTED_ROWS), (_KEPT_COUNTS, _EXPECTED_COUNTS)):
            cursor.execute(
                f"SELECT count(*) FROM (({kept} EXCEPT {expected}) UNION ALL ({expected} EXCEPT {kept})) AS differing"
            )
            found.append(cursor.fetchone()[0])
    return tuple(found)
