"""The checks of the domain's derived stores (declared in measures/domain/derived.py): each recomputes its
store from the source rows, returns the differences, and with `repair` rebuilds what differs."""

import json

from django.db import connection, transaction
from django.db.models import F

from measures.domain import public_history as history
from measures.domain.award_changes import LOGGED_TABLES, LOGGING_TRIGGER_PREFIX
from measures.domain.eligibility import ApplicationInfo, WindowKind
from measures.domain.models import Award, Clause
from measures.domain.revision import REVISION_TABLE, TRIGGER_PREFIX, models_with_history
from measures.text import tokens

EVENTS = ("INSERT", "UPDATE", "DELETE")
# Migration 0012's triggers announcing each change of the revision's row (frozen there, named here).
ANNOUNCING = {"measures_content_revision_notify_change", "measures_content_revision_notify_truncate"}


def stored_clause_tokens(repair: bool) -> list[str]:
    rows = Clause._base_manager.select_related("measure").only("id", "text", "search_tokens", "measure__title")
    differing = [
        clause.pk
        for clause in rows.order_by("pk").iterator(chunk_size=2000)
        if clause.search_tokens != tokens.clause_tokens(clause.measure.title, clause.text)
    ]
    if repair and differing:
        Clause.objects.filter(pk__in=differing).refresh_search_tokens()
    return [f"clause {pk}: its search tokens are not those of its text and title" for pk in differing]


LISTED = ("is_public", "listed_policy_id", "listed_pillar_number", "listed_measure_number", "listed_clause_position")
LISTED_FROM = (
    "clause__measure__policy_id",
    "clause__measure__pillar__number",
    "clause__measure__number",
    "clause__position",
)


def award_listing(repair: bool) -> list[str]:
    """The listing columns against the joins; public as Award.objects.published() reads the joins."""
    public = set(
        Award._base_manager.filter(status="published", clause__in=Clause.objects.published()).values_list(
            "pk", flat=True
        )
    )
    found, differing = [], []
    for pk, *row in Award._base_manager.order_by("pk").values_list("pk", *LISTED, *LISTED_FROM):
        kept, expected = [bool(row[0]), *row[1:5]], [pk in public, *row[5:]]
        if kept != expected:
            differing.append(pk)
            found.append(f"award {pk}: listed as {kept}, its rows say {expected}")
    if repair and differing:
        # A write of the award's row: its listing triggers (migration 0005) set the columns again.
        Award._base_manager.filter(pk__in=differing).update(clause_id=F("clause_id"))
    return found


WINDOW = ("listed_window_kind", "listed_window_opens", "listed_window_closes")


def award_window(repair: bool) -> list[str]:
    """Each award's copied window against its own application record's, else its measure's."""
    records = ApplicationInfo._base_manager.exclude(window_kind=WindowKind.UNPUBLISHED)
    fields = ("award_id", "measure_id", "window_kind", "window_opens", "window_closes")
    own, measures = {}, {}
    for award_id, measure_id, *window in records.values_list(*fields):
        if award_id is not None:
            own[award_id] = tuple(window)
        elif measure_id is not None:
            measures[measure_id] = tuple(window)
    found, differing = [], {}
    for pk, measure_id, *kept in Award._base_manager.order_by("pk").values_list("pk", "clause__measure_id", *WINDOW):
        expected = own.get(pk) or measures.get(measure_id) or (None, None, None)
        if tuple(kept) != expected:
            differing.setdefault(expected, []).append(pk)
            found.append(f"award {pk}: its window copied as {tuple(kept)}, its records say {expected}")
    if repair:
        # The recomputed windows, written as the triggers (migration 0027) would write them.
        for window, pks in differing.items():
            Award._base_manager.filter(pk__in=pks).update(**dict(zip(WINDOW, window, strict=True)))
    return found


def _triggers(prefix_or_table: str, *, on_table: bool = False) -> dict[str, set[str]]:
    """{table: the events its enabled triggers fire on}, for the triggers named with the prefix (or, with
    on_table, every trigger on that table, keyed by name)."""
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            test = "c.relname = %s" if on_table else "t.tgname LIKE %s"
            cursor.execute(
                "SELECT c.relname, t.tgname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                f" WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND {test}",
                [prefix_or_table if on_table else f"{prefix_or_table}%"],
            )
            for table, name, kind in cursor.fetchall():
                events = {event for event, bit in zip(EVENTS, (4, 16, 8), strict=True) if kind & bit}
                found.setdefault(name if on_table else table, set()).update(events)
        else:
            cursor.execute(
                "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{prefix_or_table}%"],
            )
            for table, sql in cursor.fetchall():
                head = sql.upper().split(" ON ")[0]
                found.setdefault(table, set()).update(event for event in EVENTS if event in head.split())
    return found


def award_changes_logged(repair: bool) -> list[str]:
    """The awards and their kinds' links log their changes (migration 0032), or the finder's tally misses
    them."""
    logging = _triggers(LOGGING_TRIGGER_PREFIX)
    found = []
    for table in LOGGED_TABLES:
        missing = set(EVENTS) - logging.get(table, set())
        if missing:
            found.append(
                f"{table}: no trigger logging the awards' changes on {', '.join(sorted(missing))} (run migrate)"
            )
    return found


def revision_coverage(repair: bool) -> list[str]:
    """Every content table (a model with history) counts its writes in the content revision."""
    covered = _triggers(TRIGGER_PREFIX)
    found = []
    for model in models_with_history():
        table = model._meta.db_table
        missing = set(EVENTS) - covered.get(table, set())
        if missing:
            found.append(f"{table}: no revision trigger on {', '.join(sorted(missing))} (run migrate)")
    return found


def revision_announced(repair: bool) -> list[str]:
    """PostgreSQL announces every change of the revision (migration 0012), or no process learns of it."""
    missing = ANNOUNCING - set(_triggers(REVISION_TABLE, on_table=True))
    return [f"{REVISION_TABLE}: trigger {name} missing or disabled (run migrate)" for name in sorted(missing)]


def _snapshot() -> dict[str, list]:
    def rows(model, fields):
        return sorted(json.dumps(row, sort_keys=True, default=str) for row in model.objects.values_list(*fields))

    return {
        "public state": rows(
            history.PublicState, ["subject", "object_id", "visible", "values", "measure_id", "clause_position"]
        ),
        "public change": rows(
            history.PublicChange,
            [
                "date",
                "kind",
                "subject",
                "object_id",
                "measure_id",
                "clause_position",
                "old_values",
                "new_values",
                "reason",
            ],
        ),
    }


def public_history(repair: bool) -> list[str]:
    """The public history as recorded against a replay of every historical record (kept only to repair)."""
    with transaction.atomic():
        kept = _snapshot()
        history.rebuild()
        replayed = _snapshot()
        if not (repair and kept != replayed):
            transaction.set_rollback(True)
    found = []
    for kind in kept:
        found += [f"{kind} recorded, not replayed: {row}" for row in sorted(set(kept[kind]) - set(replayed[kind]))]
        found += [f"{kind} replayed, not recorded: {row}" for row in sorted(set(replayed[kind]) - set(kept[kind]))]
    return found
