# The amounts of each clause's published awards, as a span (the smallest and the largest) on its search row
# (0011), PostgreSQL only. An amount term (500万以上, 三千万) keeps a clause only if one of its published
# awards is of that amount: confirming that meant probing the awards of every candidate the words let
# through (8,222 for 孵化器 500万以上 on the bench's corpus), where comparing two numbers on the row already
# read rules out most of them first (42 → 15 ms). The span only rules out: the award itself is still asked
# for (measures/search/table.py). Kept by a trigger on the awards on every write, whatever writes it, as
# the rest of the row; NULL for a clause without a published award.
#
# The SQL is frozen here, not imported (measures/search/table.py repeats the columns' names).

from django.db import migrations

TABLE = "measures_clause_search"
FUNCTION = f"{TABLE}_awards"

# The spans of the clauses named in `changed` (an array of ids), written where they differ.
_SPAN = f"""UPDATE {TABLE} AS kept SET amount_low = span.low, amount_high = span.high
    FROM (
        SELECT clause.id AS clause_id, min(award.amount_yuan) AS low, max(award.amount_yuan) AS high
        FROM (SELECT DISTINCT unnest(changed) AS id) AS clause
        LEFT JOIN measures_award award ON award.clause_id = clause.id AND award.is_public
        GROUP BY clause.id
    ) AS span
    WHERE kept.clause_id = span.clause_id AND (kept.amount_low, kept.amount_high) IS DISTINCT FROM (span.low, span.high)"""

CREATE = [
    f"ALTER TABLE {TABLE} ADD COLUMN amount_low bigint, ADD COLUMN amount_high bigint",
    # Per statement, with the rows it wrote (transition tables), as 0011's: a bulk write of awards is one
    # update here.
    f"""CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
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
        {_SPAN};
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {FUNCTION}_insert AFTER INSERT ON measures_award
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""",
    f"""CREATE TRIGGER {FUNCTION}_update AFTER UPDATE ON measures_award
        REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""",
    f"""CREATE TRIGGER {FUNCTION}_delete AFTER DELETE ON measures_award
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""",
    # TRUNCATE fires no row trigger: no award is left, so no span either.
    f"""CREATE FUNCTION {FUNCTION}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} SET amount_low = NULL, amount_high = NULL WHERE amount_low IS NOT NULL;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {FUNCTION}_truncate AFTER TRUNCATE ON measures_award
        FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}_truncate()""",
    # The spans of the clauses already there.
    f"""UPDATE {TABLE} AS kept SET amount_low = span.low, amount_high = span.high
    FROM (
        SELECT clause_id, min(amount_yuan) AS low, max(amount_yuan) AS high
        FROM measures_award WHERE is_public GROUP BY clause_id
    ) AS span
    WHERE kept.clause_id = span.clause_id""",
]

DROP = [
    *(f"DROP TRIGGER IF EXISTS {FUNCTION}_{event} ON measures_award" for event in ("insert", "update", "delete", "truncate")),
    f"DROP FUNCTION IF EXISTS {FUNCTION}(), {FUNCTION}_truncate()",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS amount_low, DROP COLUMN IF EXISTS amount_high",
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
        ("measures", "0013_public_state_measure_policy"),
    ]

    operations = [PostgreSQLOnly(CREATE, DROP)]
