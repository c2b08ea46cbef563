# The award's own listing trigger (migration 0005) fired on every update of an award, including
# migration 0027's rewrite of its window when an application record is deleted. Deleting the tables
# one by one (Django's flush on SQLite, in a hash-randomised order) could then recompute an award's
# listing from a clause already deleted: NULL into is_public, and the flush failed. It now fires only
# when a column it reads (status, clause_id) or writes is in the update, as Django's save() always is.

from importlib import import_module

from django.db import migrations

# The listing rule frozen in migration 0005 (the same SQL, not a copy of it).
LISTING = import_module("measures.migrations.0005_award_listing")
OWN_COLUMNS = ("status", "clause_id", *LISTING.COLUMNS)

NAME = f"{LISTING.TRIGGER_PREFIX}_award"
SQLITE_UPDATE = f"{NAME}_update"


def _statements(vendor: str, on_update: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {NAME} ON measures_award",
            f"CREATE TRIGGER {NAME} BEFORE INSERT OR {on_update} ON measures_award "
            f"FOR EACH ROW EXECUTE FUNCTION {NAME}()",
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {SQLITE_UPDATE}",
            f"CREATE TRIGGER {SQLITE_UPDATE} AFTER {on_update} ON measures_award FOR EACH ROW "
            f"BEGIN {LISTING.REFRESH_ALL} WHERE id = NEW.id; END",
        ]
    raise NotImplementedError(f"xmpolicy runs on PostgreSQL or SQLite, not {vendor}.")


class OwnColumnsOnly(migrations.RunSQL):
    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for statement in _statements(schema_editor.connection.vendor, f"UPDATE OF {', '.join(OWN_COLUMNS)}"):
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for statement in _statements(schema_editor.connection.vendor, "UPDATE"):
            schema_editor.execute(statement, params=None)

    def describe(self):
        return "The award's own listing trigger fires only on an update of a column it reads or writes"


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0027_award_window_calperf"),
    ]

    operations = [OwnColumnsOnly()]
