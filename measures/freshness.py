"""How fresh the content is: a fingerprint of everything the public can see, read in one query.

Every content model keeps its history with django-simple-history, and every save() or delete() —
on a page, in the admin, by the loader or a publication — writes a historical row with a new
`history_id` and the time in `history_date`. The largest history id of each historical table
therefore changes on every edit and on nothing else, so together they name the content's state:
the same state gives the same fingerprint, on every worker and every machine sharing the database.

Used for conditional GET (xmpolicy/caching.py) and meant to serve as a cache key for rendered pages.
Not seen: QuerySet.update(), bulk_create() and bulk_update(), which write no history (the app uses
them only for the search index, which mirrors the text and changes with it). A backup restore brings
back the history with the content, so the fingerprint returns to the one of the state restored.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime


@dataclass(frozen=True)
class Revision:
    """The content's state: `key` is short and stable (fit for an ETag or a cache key);
    `last_modified` is when the newest version was recorded (None while there is no content)."""

    key: str
    last_modified: datetime.datetime | None


def historical_models():
    """The historical tables of the measures app, in a fixed order (by table name)."""
    models = [m for m in apps.get_app_config("measures").get_models() if hasattr(m, "history_id")]
    return sorted(models, key=lambda m: m._meta.db_table)


def content_revision() -> Revision:
    """The content's fingerprint and the time of its newest version: one query.

    Each MAX reads one end of an index (history_id is the primary key; simple-history indexes
    history_date), so the cost does not grow with the amount of content.
    """
    quote = connection.ops.quote_name
    columns = []
    for model in historical_models():
        table = quote(model._meta.db_table)
        columns.append(f"(SELECT MAX({quote('history_id')}) FROM {table})")
        columns.append(f"(SELECT MAX({quote('history_date')}) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}")
        row = cursor.fetchone()
    ids, dates = row[0::2], row[1::2]
    key = ".".join(str(history_id or 0) for history_id in ids)
    moments = [_as_datetime(value) for value in dates if value is not None]
    return Revision(key=key, last_modified=max(moments) if moments else None)


def _as_datetime(value) -> datetime.datetime:
    # A raw cursor on SQLite returns the stored text; PostgreSQL returns an aware datetime.
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value
