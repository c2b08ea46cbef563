"""How fresh the public content is: a fingerprint of everything the public can see, read in one cheap query.

A database trigger on each content table (policies, sources, pillars, measures, clauses, awards;
migration 0006) counts a change in the one row of ContentRevision, stamped with the database's
clock, in the same transaction, whenever the row it writes is visible to the public before or
after the write (measures/public_history.py says what visible means). So the counter moves on every
public change, whatever writes it — a save in the admin, the loader, a publication, a restore, a
QuerySet.update() or a bulk write — and on nothing else: an editor saving a draft changes no ETag
and no Last-Modified, so the public cannot tell when unpublished work is going on.

Reading it is one primary-key lookup, which matters: every public request reads it (xmpolicy/
caching.py) before answering from the page cache.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

REVISION_TABLE = "measures_contentrevision"
# Migration 0004's triggers on the historical tables (replaced by 0006's, PUBLIC_TRIGGER_PREFIX).
TRIGGER_PREFIX = "measures_count_change"
PUBLIC_TRIGGER_PREFIX = "measures_public_revision"


@dataclass(frozen=True)
class Revision:
    """The content's state: `key` is short and stable (fit for an ETag or a cache key);
    `last_modified` is when it last changed (None before the first change)."""

    key: str
    last_modified: datetime.datetime | None


def content_models():
    """The content models (those whose history is kept), in a fixed order (by table name)."""
    models = [m for m in apps.get_app_config("measures").get_models() if hasattr(m, "history")]
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
    prefix = PUBLIC_TRIGGER_PREFIX
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s",
                [f"{prefix}%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{prefix}%"],
            )
        return {table for (table,) in cursor.fetchall()}
