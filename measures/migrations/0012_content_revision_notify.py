# Every change to the content revision's row is announced on a PostgreSQL channel, so that each process
# learns of it without asking on every request (measures/public/page_cache/revision_watch.py). A statement-level
# trigger on the row itself: whatever moves the counter (the content tables' triggers of 0006,
# ContentRevision.bump(), a TRUNCATE by a test's flush) notifies once, and only when its transaction
# commits, which is when the change becomes visible. The payload is the counter the statement left, so
# that a process that wrote can wait until the announcement of its own change has come back. SQLite (one process, no channel) needs nothing.
#
# The SQL is frozen here, not imported: the channel's name is repeated in revision_watch.py.

from django.db import migrations

CHANNEL = "measures_content_revision"
TABLE = "measures_contentrevision"
FUNCTION = "measures_content_revision_notify"
TRIGGERS = {
    f"{FUNCTION}_change": "INSERT OR UPDATE OR DELETE",
    f"{FUNCTION}_truncate": "TRUNCATE",
}

CREATE = [
    f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"PERFORM pg_notify('{CHANNEL}', coalesce((SELECT counter::text FROM {TABLE} WHERE id = 1), '0')); "
    "RETURN NULL; END $$",
    *(
        f"CREATE TRIGGER {name} AFTER {events} ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        for name, events in TRIGGERS.items()
    ),
]
DROP = [*(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in TRIGGERS), f"DROP FUNCTION IF EXISTS {FUNCTION}()"]


class NotifyTrigger(migrations.RunSQL):
    """On PostgreSQL only."""

    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def _run(self, schema_editor, statements):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, CREATE)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, DROP)

    def describe(self):
        return f"Every change to the content revision is announced on the PostgreSQL channel {CHANNEL}"


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0011_clause_search_table"),
    ]

    operations = [NotifyTrigger()]
