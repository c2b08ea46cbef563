# Each clause's search row also holds tokens for the amounts of its published awards, PostgreSQL only:
# '¥5000000' for each amount, and '¥5000000 in text' where the award's source phrase is in the clause's
# text (what an amount term asks: query._with_award()), in amount order, after its text's tokens. The GIN
# index (0011) then answers an amount term as it answers a word: 五百万 is the clauses holding
# '¥5000000 in text', 500万以上 those holding one of the amounts in range (0011's counts list them), and
# with words (孵化器 500万以上) the index intersects both in one scan. Before, an amount term found its
# clauses by scanning the rows' spans of amounts (0014) and probing each candidate's awards: 16 ms for
# 五百万 and 15 ms for 专精特新 100万到300万 on the bench's corpus, now 1 and 4 ms. A text token is one
# or two word characters, so no text yields one of these.
#
# Kept by the triggers that keep the rest of the row, on every write of a clause or an award, whatever
# writes it; the token counts follow (0011's triggers on the row). The SQL is frozen here, not imported
# (measures/search/table.py repeats the expression for its check).

from django.db import migrations

TABLE = "measures_clause_search"
FREQUENCY = "measures_search_token"

# A clause's tokens: its text's, then its published awards' amounts (needs `clause`).
_TOKENS = """string_to_array(clause.search_tokens, ' ') || ARRAY(
    SELECT token FROM (
        SELECT award.amount_yuan AS amount, '¥' || award.amount_yuan AS token
        FROM measures_award award WHERE award.clause_id = clause.id AND award.is_public
        UNION
        SELECT award.amount_yuan, '¥' || award.amount_yuan || ' in text'
        FROM measures_award award
        WHERE award.clause_id = clause.id AND award.is_public AND strpos(clause.text, award.source_phrase) > 0
    ) AS amounts ORDER BY amount, token)"""


def _upsert(tokens):
    """0011's upsert of the clauses' rows (`new_rows`), with `tokens` as their tokens."""
    return f"""INSERT INTO {TABLE} AS kept (clause_id, published, policy_slug, measure_number, position, title, text, tokens)
SELECT clause.id,
       clause.status = 'published' AND clause.draft_of_id IS NULL AND measure.status = 'published',
       policy.slug, measure.number, clause.position, measure.title, clause.text, {tokens}
FROM measures_clause clause
JOIN measures_measure measure ON measure.id = clause.measure_id
JOIN measures_policy policy ON policy.id = measure.policy_id
WHERE clause.id IN (SELECT id FROM new_rows)
ON CONFLICT (clause_id) DO UPDATE SET
    published = EXCLUDED.published, policy_slug = EXCLUDED.policy_slug,
    measure_number = EXCLUDED.measure_number, position = EXCLUDED.position, title = EXCLUDED.title,
    text = EXCLUDED.text, tokens = EXCLUDED.tokens
WHERE (kept.published, kept.policy_slug, kept.measure_number, kept.position, kept.title, kept.text, kept.tokens)
      IS DISTINCT FROM (EXCLUDED.published, EXCLUDED.policy_slug, EXCLUDED.measure_number, EXCLUDED.position,
                        EXCLUDED.title, EXCLUDED.text, EXCLUDED.tokens)"""


def _clause_function(tokens):
    return f"""CREATE OR REPLACE FUNCTION {TABLE}_clause() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {TABLE} WHERE clause_id IN (SELECT id FROM old_rows);
        ELSE
            {_upsert(tokens)};
        END IF;
        RETURN NULL;
    END $$"""


# The span (0014) and the tokens of the clauses named in `changed` (an array of ids), written where they differ.
_AWARDS = f"""UPDATE {TABLE} AS kept SET amount_low = fresh.low, amount_high = fresh.high, tokens = fresh.tokens
    FROM (
        SELECT clause.id AS clause_id, span.low, span.high, {_TOKENS} AS tokens
        FROM measures_clause clause
        CROSS JOIN LATERAL (
            SELECT min(award.amount_yuan) AS low, max(award.amount_yuan) AS high FROM measures_award award
            WHERE award.clause_id = clause.id AND award.is_public
        ) AS span
        WHERE clause.id IN (SELECT unnest(changed))
    ) AS fresh
    WHERE kept.clause_id = fresh.clause_id
      AND (kept.amount_low, kept.amount_high, kept.tokens) IS DISTINCT FROM (fresh.low, fresh.high, fresh.tokens)"""


def _awards_function(update):
    return f"""CREATE OR REPLACE FUNCTION {TABLE}_awards() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        changed bigint[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            changed := ARRAY(SELECT clause_id FROM new_rows);
        ELSIF TG_OP = 'DELETE' THEN
            changed := ARRAY(SELECT clause_id FROM old_rows);
        ELSE
            changed := ARRAY(SELECT clause_id FROM new_rows UNION SELECT clause_id FROM old_rows);
        END IF;
        {update};
        RETURN NULL;
    END $$"""


_TEXT_TOKENS = "string_to_array(clause.search_tokens, ' ')"

# TRUNCATE fires no row trigger: no award is left, so neither a span nor an amount token. (The same both
# ways: before 0015 a row's tokens were its text's.)
_TRUNCATE = f"""CREATE OR REPLACE FUNCTION {TABLE}_awards_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} AS kept SET amount_low = NULL, amount_high = NULL, tokens = {_TEXT_TOKENS}
        FROM measures_clause clause WHERE clause.id = kept.clause_id AND kept.amount_low IS NOT NULL;
        RETURN NULL;
    END $$"""

FORWARD = [
    _clause_function(_TOKENS),
    _awards_function(_AWARDS),
    _TRUNCATE,
    # The amounts a range may name are read from the counts (measures/search/table.py): a few rows of many.
    f"CREATE INDEX {FREQUENCY}_amounts ON {FREQUENCY} (token) WHERE token LIKE '¥%'",
    # The rows already there (the counts follow by 0011's trigger).
    f"""UPDATE {TABLE} AS kept SET tokens = {_TOKENS}
    FROM measures_clause clause WHERE clause.id = kept.clause_id AND kept.amount_low IS NOT NULL""",
]

# Back to 0014's functions: the span alone, the text's tokens alone.
_SPAN_ONLY = f"""UPDATE {TABLE} AS kept SET amount_low = span.low, amount_high = span.high
    FROM (
        SELECT clause.id AS clause_id, min(award.amount_yuan) AS low, max(award.amount_yuan) AS high
        FROM (SELECT DISTINCT unnest(changed) AS id) AS clause
        LEFT JOIN measures_award award ON award.clause_id = clause.id AND award.is_public
        GROUP BY clause.id
    ) AS span
    WHERE kept.clause_id = span.clause_id AND (kept.amount_low, kept.amount_high) IS DISTINCT FROM (span.low, span.high)"""

BACKWARD = [
    _clause_function(_TEXT_TOKENS),
    _awards_function(_SPAN_ONLY),
    _TRUNCATE,
    f"DROP INDEX IF EXISTS {FREQUENCY}_amounts",
    f"""UPDATE {TABLE} AS kept SET tokens = {_TEXT_TOKENS}
    FROM measures_clause clause WHERE clause.id = kept.clause_id AND kept.amount_low IS NOT NULL""",
]


class PostgreSQLOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0014_search_amount_span"),
    ]

    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]
