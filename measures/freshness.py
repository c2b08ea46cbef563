"""How fresh the content is: a fingerprint of everything the public can see, read in one cheap query.

Every content model keeps its history with django-simple-history, and every save() or delete() —
on a page, in the admin, by the loader, a publication, an import or the synthetic corpus — writes a
historical row. A database trigger on each historical table (migration 0004, written by
`trigger_sql` below) then counts the change in the one row of ContentRevision and stamps it with the
database's clock, in the same transaction. The counter and the time therefore change on every edit
and on nothing else, become visible exactly when the edit commits, and are the same for every worker
and every machine sharing the database.

Reading them is one primary-key lookup, which matters: every public request reads them (xmpolicy/
caching.py) before answering from the page cache. An earlier version took the largest id of each
historical table, twelve subqueries that cost the database more to plan than the cached page did to
serve. Not seen: QuerySet.update(), bulk_create() and bulk_update() on the content tables, which write
no history (the app uses them only for the search index, which mirrors the text and changes with it).
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

REVISION_TABLE = "measures_contentrevision"
TRIGGER_PREFIX = "measures_count_change"


@dataclass(frozen=True)
class Revision:
    """The content's state: `key` is short and stable (fit for an ETag or a cache key);
    `last_modified` is when it last changed (None before the first change)."""

    key: str
    last_modified: datetime.datetime | None


def historical_models():
    """The historical tables of the measures app, in a fixed order (by table name)."""
    models = [m for m in apps.get_app_config("measures").get_models() if hasattr(m, "history_id")]
    return sorted(models, key=lambda m: m._meta.db_table)


def content_revision() -> Revision:
    """The content's fingerprint and the time of its last change: one primary-key lookup."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT counter, changed_at FROM {REVISION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:  # no change recorded yet (or the table was emptied, as a test flush does)
        return Revision(key="0", last_modified=None)
    counter, changed_at = row
    return Revision(key=str(counter), last_modified=_as_datetime(changed_at) if changed_at else None)


def _as_datetime(value) -> datetime.datetime:
    # A raw cursor on SQLite returns the stored text; PostgreSQL returns an aware datetime.
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


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


def tables_with_triggers() -> set[str]:
    """The tables that carry a change-counting trigger, as the database reports them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s",
                [f"{TRIGGER_PREFIX}%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER_PREFIX}%"],
            )
        return {table for (table,) in cursor.fetchall()}
