"""How fresh the public content is: a fingerprint of everything the public can see, read in one cheap query.

A database trigger on each content table (policies, sources, pillars, measures, clauses, awards:
migration 0006; related documents, recipient kinds and application facts: migrations 0008, 0010 and
0017; search's synonyms: 0022) counts a change in the one row of ContentRevision, stamped with the
database's clock, in the same transaction, whenever the row it writes is visible to the public before or
after the write (measures/domain/public_history.py says what visible means). So the counter moves on every
public change, whatever writes it — a save in the admin, the loader, a publication, a restore, a
QuerySet.update() or a bulk write — and on nothing else: an editor saving a draft changes no ETag
and no Last-Modified, so the public cannot tell when unpublished work is going on.

Reading it is one primary-key lookup, which matters: every public request reads it
(measures/public/page_cache/middleware.py) before answering from the page cache.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

REVISION_TABLE = "measures_contentrevision"
TRIGGER_PREFIX = "measures_public_revision"  # the triggers of migration 0006


@dataclass(frozen=True)
class Revision:
    """The content's state: `key` is short and stable (fit for an ETag or a cache key);
    `last_modified` is when it last changed (None before the first change)."""

    key: str
    last_modified: datetime.datetime | None


class ContentRevision(models.Model):
    """A single row that counts every change to the public content, for conditional GET and the page
    cache (measures/domain/revision.py). Database triggers on the content tables write it (migration 0006),
    so that no way of writing a public row can forget to; every public request reads it."""

    counter = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "内容版本计数"

    def __str__(self):
        return f"第{self.counter}次修改"

    @classmethod
    def bump(cls):
        """Count a public change that is not a content row's: a new public history entry, or a publication
        scheduled or lifted on a published measure (measures/domain/upcoming.py)."""
        updated = cls.objects.filter(pk=1).update(counter=models.F("counter") + 1, changed_at=timezone.now())
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"counter": 1, "changed_at": timezone.now()})


def models_with_history():
    """The content models (those whose history is kept), in a fixed order (by table name). A model that
    keeps a history without being content says so with `is_content = False` (visitors' 纠错 and 提问,
    measures/domain/feedback.py): the public never sees it, so no revision trigger counts it."""
    models = [
        m
        for m in apps.get_app_config("measures").get_models()
        if hasattr(m, "history") and getattr(m, "is_content", True)
    ]
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


def tables_with_triggers() -> set[str]:
    """The tables that carry a change-counting trigger, as the database reports them."""
    prefix = TRIGGER_PREFIX
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
