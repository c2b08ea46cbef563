# The content's change counter (now measures/domain/revision.py): its one row, and the triggers on every
# historical table that keep it current.

from django.db import migrations, models
from django.db.models import Max

# Frozen here as the app had it when this migration was written (measures/freshness.py then): later
# changes to the app must not change what this migration does.
REVISION_TABLE = "measures_contentrevision"
TRIGGER_PREFIX = "measures_count_change"

# The triggers. An upsert rather than an update, so that a missing row (after a flush) comes back.

_POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_PREFIX}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {REVISION_TABLE} (id, counter, changed_at) VALUES (1, 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET counter = {REVISION_TABLE}.counter + 1, changed_at = clock_timestamp();
    RETURN NULL;
END
$$"""

# SQLite's own clock, in the text form Django stores (UTC, milliseconds).
_SQLITE_BUMP = f"""INSERT INTO {REVISION_TABLE} (id, counter, changed_at)
    VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now'))
    ON CONFLICT (id) DO UPDATE SET counter = counter + 1, changed_at = excluded.changed_at;"""

EVENTS = ("INSERT", "UPDATE", "DELETE")


def trigger_sql(vendor: str, tables: list[str]) -> tuple[list[str], list[str]]:
    """(create, drop) statements counting every change to `tables` in ContentRevision. PostgreSQL
    counts once per statement (a bulk insert of thousands of rows is one change); SQLite has only
    row triggers."""
    create, drop = [], []
    if vendor == "postgresql":
        create.append(_POSTGRESQL_FUNCTION)
        for table in tables:
            name = f"{TRIGGER_PREFIX}_{table}"
            create.append(
                f"CREATE TRIGGER {name} AFTER {' OR '.join(EVENTS)} ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_PREFIX}()"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        drop.append(f"DROP FUNCTION IF EXISTS {TRIGGER_PREFIX}()")
    elif vendor == "sqlite":
        for table in tables:
            for event in EVENTS:
                name = f"{TRIGGER_PREFIX}_{table}_{event.lower()}"
                create.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {_SQLITE_BUMP} END")
                drop.append(f"DROP TRIGGER IF EXISTS {name}")
    else:
        raise NotImplementedError(f"xmpolicy runs on PostgreSQL or SQLite, not {vendor}.")
    return create, drop

# The historical tables as they stand at this migration. A content model added later brings its own
# migration adding its trigger. (Migration 0006 moves the triggers to the content tables.)
HISTORICAL_TABLES = [
    "measures_historicalaward",
    "measures_historicalclause",
    "measures_historicalmeasure",
    "measures_historicalpillar",
    "measures_historicalpolicy",
    "measures_historicalpolicysource",
]


def first_revision(apps, schema_editor):
    """Start the counter where the content already is: dated by its newest version, if any."""
    alias = schema_editor.connection.alias
    newest = [
        apps.get_model("measures", model).objects.using(alias).aggregate(newest=Max("history_date"))["newest"]
        for model in ("HistoricalPolicy", "HistoricalPillar", "HistoricalMeasure", "HistoricalClause")
    ]
    newest = [moment for moment in newest if moment is not None]
    ContentRevision = apps.get_model("measures", "ContentRevision")
    ContentRevision.objects.using(alias).create(id=1, counter=1, changed_at=max(newest) if newest else None)


class Triggers(migrations.RunSQL):
    """The triggers, written for the database the migration runs on."""

    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        create, _drop = trigger_sql(schema_editor.connection.vendor, HISTORICAL_TABLES)
        for statement in create:
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _create, drop = trigger_sql(schema_editor.connection.vendor, HISTORICAL_TABLES)
        for statement in drop:
            schema_editor.execute(statement, params=None)

    def describe(self):
        return "Triggers counting every change to the historical tables in ContentRevision"


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_history_versions_drafts"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("counter", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(null=True)),
            ],
            options={
                "verbose_name": "内容版本计数",
            },
        ),
        migrations.RunPython(first_revision, migrations.RunPython.noop),
        Triggers(),
    ]
