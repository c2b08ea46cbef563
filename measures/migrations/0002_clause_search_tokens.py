# Search tokens for Chinese search (measures/search.py): the field, its value for the clauses
# already loaded, and on PostgreSQL the GIN index that the search query's prefilter uses.

import re

from django.db import migrations, models

# Frozen here as the app had it when this migration was written: later changes to the app must not
# change what this migration does. (Migration 0007 renames the index and hands it to the model.)
INDEX_NAME = "measures_clause_search_tokens_gin"

# The expression must be written exactly as the search query writes it, or the planner will
# not match the query to the index. fastupdate is off: without it new rows wait in a pending list
# that every search scans in full (and that makes the planner cost the index out) until a vacuum;
# clauses are written rarely and read often.
CREATE_INDEX = (
    f"CREATE INDEX {INDEX_NAME} ON measures_clause "
    "USING gin (string_to_array(search_tokens, ' ')) WITH (fastupdate = off)"
)
DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX_NAME}"

RUN = re.compile(r"\w+")


def clause_tokens(title, text):
    """Every character and overlapping pair of characters of the title and the text, case-folded."""
    seen = {}
    for run in RUN.findall(f"{title}\n{text}".upper().casefold()):
        for i, char in enumerate(run):
            seen[char] = None
            if i + 1 < len(run):
                seen[run[i : i + 2]] = None
    return " ".join(seen)


def fill_tokens(apps, schema_editor):
    Clause = apps.get_model("measures", "Clause")
    clauses = Clause.objects.using(schema_editor.connection.alias).select_related("measure")
    changed = []
    for clause in clauses:
        clause.search_tokens = clause_tokens(clause.measure.title, clause.text)
        changed.append(clause)
    Clause.objects.using(schema_editor.connection.alias).bulk_update(changed, ["search_tokens"], batch_size=500)


class PostgreSQLOnly(migrations.RunSQL):
    """SQL run only on PostgreSQL, forwards and backwards; nothing elsewhere (SQLite searches
    without an index)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "On PostgreSQL only: " + super().describe()


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="clause",
            name="search_tokens",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="检索词元"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop, elidable=True),
        PostgreSQLOnly(CREATE_INDEX, DROP_INDEX, elidable=False),
    ]
