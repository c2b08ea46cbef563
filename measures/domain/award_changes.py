"""Which public awards changed, in the order their changes were committed: the log from which the award
finder's tally catches up after an edit (measures/public/finder/tally.py) instead of counting again.

Database triggers (migration 0032) log an award's id whenever a write changes what the finder counts of an
award public before or after it (`is_public`, its listed policy and pillar, amount, frequency, nature), or
its recipient kinds' links: a save, a QuerySet.update(), a bulk write, raw SQL, or a clause, measure or
pillar rewriting its awards' listing (migration 0005). Only ids: a reader reads the awards as they are now,
so reading a change twice does no harm, while missing one would. On PostgreSQL the triggers take the
content revision's row (which every public write takes anyway) before drawing an id, so that the ids
follow the order of the commits; SQLite has one writer at a time.

The log keeps about its last KEPT_CHANGES rows (a trigger on the log drops older ones now and then); a
reader whose position is older than the log reaches back to counts everything afresh.
"""

from django.db import connection, models

# The triggers of migration 0032 (frozen there, named here), and the tables they watch.
LOGGING_TRIGGER_PREFIX = "measures_award_changes"
LOGGED_TABLES = ("measures_award", "measures_awardrecipientkind")
# The rows the log keeps, at least: far more than a tally catches up from (it counts afresh beyond a
# few thousand changed awards), few enough that the table stays small.
KEPT_CHANGES = 20_000
# Every this many rows, the rows older than KEPT_CHANGES are dropped (one indexed range delete).
PRUNED_EVERY = 1_000


class ChangedAward(models.Model):
    """That an award the public sees (or saw) changed in what the award finder counts of it: written by
    database triggers only (migration 0032, measures/domain/award_changes.py)."""

    id = models.BigAutoField(primary_key=True)
    award_id = models.BigIntegerField()  # no foreign key: a deleted award is logged too

    class Meta:
        verbose_name = "奖补变动记录"
        verbose_name_plural = "奖补变动记录"

    def __str__(self):
        return f"#{self.id}: 奖补 {self.award_id}"


CHANGED_AWARDS_TABLE = ChangedAward._meta.db_table


def log_position() -> int:
    """The position of the last change logged (0: none yet): what a count made after it has seen."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {CHANGED_AWARDS_TABLE}")
        (position,) = cursor.fetchone()
    return position or 0


def changed_since(position: int, most: int) -> tuple[int, set[int]] | None:
    """The awards changed after `position` (0, or the id of a row logged), and the position after them:
    one query. None when the log no longer reaches back to `position` (its older rows dropped), no longer
    reaches up to it (emptied, its ids drawn again from 1) or holds more than `most` changes after it: the
    caller then counts afresh."""
    log = CHANGED_AWARDS_TABLE
    with connection.cursor() as cursor:
        # The log's first and last rows come along, to tell whether it still holds `position`.
        cursor.execute(
            f"SELECT id, award_id FROM {log} WHERE id > %s "
            f"OR id = (SELECT MIN(id) FROM {log}) OR id = (SELECT MAX(id) FROM {log}) ORDER BY id LIMIT %s",
            [position, most + 2],
        )
        rows = cursor.fetchall()
    if not rows:
        return (0, set()) if position == 0 else None
    # Ids are not gapless (a transaction rolled back has drawn some): a first row just after `position`
    # is the first change after it; one further on may follow dropped rows.
    if rows[0][0] > position + 1:
        return None
    changes = [(row_id, award) for row_id, award in rows if row_id > position]
    if not changes:
        return (position, set()) if rows[-1][0] == position else None
    if len(changes) > most:
        return None
    return changes[-1][0], {award for _, award in changes}
