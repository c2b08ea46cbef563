# Search's own table (issue 18), PostgreSQL only: one narrow row per clause holding what a search reads
# and nothing else, and each token's document frequency. Both are kept by the database on every write,
# whatever writes it (a save, a bulk write, raw SQL, TRUNCATE), like the revision and the award finder's
# columns (0004, 0005). SQLite has neither: it searches the clauses themselves (measures/search/query.py).
#
# Frozen here as the app had it when this migration was written (measures/search/table.py reads them):
#
# measures_clause_search: per clause, whether the public sees it, its place in document order (policy slug,
#   measure number, position: the order DOCUMENT_ORDER sorts by), its measure's title and its text, which a
#   match is confirmed against, and its search tokens as an array under a GIN index. The title and text stay
#   in the row (storage MAIN: neither compressed nor moved out unless a row would not fit a page), the
#   tokens are moved out of it (toast_tuple_target 128), so that confirming a candidate or walking in
#   document order reads a few hundred bytes a row, never a page of tokens.
# measures_search_token: per token, how many published clauses hold it; the empty token ('', which no
#   text yields) counts the published clauses. A search reads it to choose its plan.

from django.db import migrations

TABLE = "measures_clause_search"
FREQUENCY = "measures_search_token"

_ROW = """SELECT clause.id,
       clause.status = 'published' AND clause.draft_of_id IS NULL AND measure.status = 'published',
       policy.slug, measure.number, clause.position, measure.title, clause.text,
       string_to_array(clause.search_tokens, ' ')
FROM measures_clause clause
JOIN measures_measure measure ON measure.id = clause.measure_id
JOIN measures_policy policy ON policy.id = measure.policy_id"""

_UPSERT = f"""INSERT INTO {TABLE} AS kept (clause_id, published, policy_slug, measure_number, position, title, text, tokens)
{_ROW}
WHERE clause.id IN (SELECT id FROM new_rows)
ON CONFLICT (clause_id) DO UPDATE SET
    published = EXCLUDED.published, policy_slug = EXCLUDED.policy_slug,
    measure_number = EXCLUDED.measure_number, position = EXCLUDED.position, title = EXCLUDED.title,
    text = EXCLUDED.text, tokens = EXCLUDED.tokens
WHERE (kept.published, kept.policy_slug, kept.measure_number, kept.position, kept.title, kept.text, kept.tokens)
      IS DISTINCT FROM (EXCLUDED.published, EXCLUDED.policy_slug, EXCLUDED.measure_number, EXCLUDED.position,
                        EXCLUDED.title, EXCLUDED.text, EXCLUDED.tokens)"""

# Token counts moved by one statement's rows: + for the published rows written, - for those replaced. In
# token order, so that two writers lock the counts they share in the same order (no deadlock).
_COUNT_CHANGE = f"""INSERT INTO {FREQUENCY} AS counted (token, clauses)
SELECT token, sum(change) FROM (
    SELECT unnest(tokens || ''::text) AS token, 1 AS change FROM %(plus)s WHERE published
    UNION ALL
    SELECT unnest(tokens || ''::text), -1 FROM %(minus)s WHERE published
) AS changes
GROUP BY token HAVING sum(change) <> 0 ORDER BY token
ON CONFLICT (token) DO UPDATE SET clauses = counted.clauses + EXCLUDED.clauses"""

FORWARD = [
    f"""CREATE TABLE {TABLE} (
        clause_id bigint PRIMARY KEY,
        published boolean NOT NULL,
        policy_slug text NOT NULL,
        measure_number integer NOT NULL,
        position integer NOT NULL,
        title text NOT NULL,
        text text NOT NULL,
        tokens text[] NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    f"ALTER TABLE {TABLE} ALTER COLUMN title SET STORAGE MAIN, ALTER COLUMN text SET STORAGE MAIN",
    f"CREATE TABLE {FREQUENCY} (token text PRIMARY KEY, clauses integer NOT NULL)",
]

# Written out per event: a trigger with transition tables serves one event.
_COUNT_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FREQUENCY}_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_COUNT_CHANGE % {"plus": "new_rows", "minus": "(SELECT * FROM new_rows WHERE false) AS none"}};
    ELSIF TG_OP = 'DELETE' THEN
        {_COUNT_CHANGE % {"plus": "(SELECT * FROM old_rows WHERE false) AS none", "minus": "old_rows"}};
    ELSE
        {
    _COUNT_CHANGE
    % {
        "plus": "(SELECT new_rows.* FROM new_rows JOIN old_rows USING (clause_id) "
        "WHERE (new_rows.published, new_rows.tokens) IS DISTINCT FROM (old_rows.published, old_rows.tokens)) AS plus",
        "minus": "(SELECT old_rows.* FROM old_rows JOIN new_rows USING (clause_id) "
        "WHERE (new_rows.published, new_rows.tokens) IS DISTINCT FROM (old_rows.published, old_rows.tokens)) AS minus",
    }
};
    END IF;
    RETURN NULL;
END $$"""

FORWARD += [
    _COUNT_FUNCTION,
    f"""CREATE TRIGGER {FREQUENCY}_insert AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {FREQUENCY}_count()""",
    f"""CREATE TRIGGER {FREQUENCY}_update AFTER UPDATE ON {TABLE}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {FREQUENCY}_count()""",
    f"""CREATE TRIGGER {FREQUENCY}_delete AFTER DELETE ON {TABLE}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {FREQUENCY}_count()""",
    # The search rows, from the clauses, their measures and policies.
    # Per statement, with the rows it wrote (transition tables): a bulk write of clauses is one write
    # here, and one update of the counts.
    f"""CREATE FUNCTION {TABLE}_clause() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {TABLE} WHERE clause_id IN (SELECT id FROM old_rows);
        ELSE
            {_UPSERT};
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_clause_insert AFTER INSERT ON measures_clause
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_clause()""",
    f"""CREATE TRIGGER {TABLE}_clause_update AFTER UPDATE ON measures_clause
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_clause()""",
    f"""CREATE TRIGGER {TABLE}_clause_delete AFTER DELETE ON measures_clause
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_clause()""",
    f"""CREATE FUNCTION {TABLE}_measure() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} SET
            published = clause.status = 'published' AND clause.draft_of_id IS NULL AND NEW.status = 'published',
            policy_slug = (SELECT slug FROM measures_policy WHERE id = NEW.policy_id),
            measure_number = NEW.number, title = NEW.title
        FROM measures_clause clause
        WHERE clause.measure_id = NEW.id AND {TABLE}.clause_id = clause.id;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_measure AFTER UPDATE OF title, number, status, policy_id ON measures_measure
        FOR EACH ROW WHEN ((OLD.title, OLD.number, OLD.status, OLD.policy_id)
                           IS DISTINCT FROM (NEW.title, NEW.number, NEW.status, NEW.policy_id))
        EXECUTE FUNCTION {TABLE}_measure()""",
    f"""CREATE FUNCTION {TABLE}_policy() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} SET policy_slug = NEW.slug
        FROM measures_clause clause JOIN measures_measure measure ON measure.id = clause.measure_id
        WHERE measure.policy_id = NEW.id AND {TABLE}.clause_id = clause.id;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_policy AFTER UPDATE OF slug ON measures_policy
        FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug) EXECUTE FUNCTION {TABLE}_policy()""",
    # TRUNCATE fires no row trigger (Django's test flush truncates): empty both tables with the clauses.
    f"""CREATE FUNCTION {TABLE}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {TABLE}, {FREQUENCY};
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON measures_clause
        FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_truncate()""",
    # The rows of the clauses already there, in document order, which a walk in that order then reads page
    # after page (the counts follow by the insert trigger); then the indexes.
    f"INSERT INTO {TABLE} (clause_id, published, policy_slug, measure_number, position, title, text, tokens) {_ROW}"
    " ORDER BY policy.slug, measure.number, clause.position",
    f"CREATE INDEX {TABLE}_tokens ON {TABLE} USING gin (tokens) WITH (fastupdate = off) WHERE published",
    f"CREATE INDEX {TABLE}_order ON {TABLE} (policy_slug, measure_number, position) WHERE published",
]

BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_truncate ON measures_clause",
    *(f"DROP TRIGGER IF EXISTS {TABLE}_clause_{event} ON measures_clause" for event in ("insert", "update", "delete")),
    f"DROP TRIGGER IF EXISTS {TABLE}_measure ON measures_measure",
    f"DROP TRIGGER IF EXISTS {TABLE}_policy ON measures_policy",
    f"DROP TABLE IF EXISTS {TABLE}, {FREQUENCY}",
    f"DROP FUNCTION IF EXISTS {TABLE}_clause(), {TABLE}_measure(), {TABLE}_policy(), {TABLE}_truncate(), "
    f"{FREQUENCY}_count()",
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
        ("measures", "0010_eligibility"),
    ]

    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]
