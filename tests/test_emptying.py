"""Emptying the database table by table, as Django's `flush` does on SQLite after every test that
commits (and as an operator may, before a restore): no trigger may fail whatever order the tables go
in. Django lists them from a set, so the order changes with each process's string hashing; a trigger
that recomputes a row from rows already deleted broke one CI run in three and passed on the next."""

import datetime
import random

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from measures.domain.award_changes import ChangedAward
from measures.domain.eligibility import ApplicationInfo
from measures.domain.models import Award, Measure
from measures.domain.revision import ContentRevision

ORDERS = ["sorted", "reversed", *(f"shuffled-{seed}" for seed in range(16))]


class RolledBack(Exception):
    pass


def tables_in(order: str) -> list[str]:
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    if order == "reversed":
        tables.reverse()
    elif order.startswith("shuffled-"):
        random.Random(int(order.removeprefix("shuffled-"))).shuffle(tables)
    return tables


@pytest.fixture
def windows(real_policy):
    """Application windows, a measure's and an award's own: their rows' deletion rewrites the awards'
    copies (migration 0027), which once recomputed them from clauses already deleted."""
    today = timezone.localdate()
    window = {"window_kind": "dates", "window_opens": today, "window_closes": today + datetime.timedelta(days=30)}
    award = Award.objects.filter(clause__measure__policy=real_policy).first()
    ApplicationInfo.objects.create(award=award, **window)
    ApplicationInfo.objects.create(measure=Measure.objects.filter(policy=real_policy).last(), **window)


@pytest.mark.parametrize("order", ORDERS)
def test_every_table_can_be_emptied_in_any_order(windows, order):
    tables = tables_in(order)
    left = {}
    with pytest.raises(RolledBack), transaction.atomic():
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            for table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                if count := cursor.fetchone()[0]:
                    left[table] = count
        raise RolledBack  # the real policy stays for the other tests
    # The counter of changes and the log of the awards' changes are written again by the deletions' own
    # triggers, as they should be: no page cached nor finder tally counted before the emptying may be
    # used after it.
    assert set(left) <= {ContentRevision._meta.db_table, ChangedAward._meta.db_table}
    assert left.get(ContentRevision._meta.db_table, 1) == 1


def test_djangos_own_flush_statements_run(windows):
    """The statements `flush` runs on this database (SQLite: one DELETE per table; PostgreSQL: one
    TRUNCATE of all of them)."""
    statements = connection.ops.sql_flush(no_style(), tables_in("sorted"), reset_sequences=False)
    with pytest.raises(RolledBack), transaction.atomic():
        if connection.vendor == "postgresql":
            # As if the windows had been committed: TRUNCATE refuses a table with pending checks.
            connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        raise RolledBack
