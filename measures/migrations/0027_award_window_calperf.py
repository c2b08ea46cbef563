# Issue 29 (calendar speed): each award's application window, its own record's else its measure's,
# copied onto the award and kept by triggers, so that a calendar section is a range of one table's
# columns rather than a look-up per award (docs/derived-data.md, award_window).

from django.db import migrations, models

# The rule as merge_facts reads it (measures/domain/eligibility.py), in SQL; check_derived recomputes it.
# The award's own record first (a record saying 未公布 gives way to its measure's), then its measure's,
# reached through its clause. (No alias for measures_award: SQLite allows none in a trigger's UPDATE.)
_WINDOW = """(
    SELECT info.window_kind, info.window_opens, info.window_closes
    FROM measures_applicationinfo info
    WHERE info.window_kind <> 'unpublished'
      AND (info.award_id = measures_award.id
           OR info.measure_id = (SELECT clause.measure_id FROM measures_clause clause
                                 WHERE clause.id = measures_award.clause_id))
    ORDER BY info.award_id IS NULL
    LIMIT 1)"""
COLUMNS = ("listed_window_kind", "listed_window_opens", "listed_window_closes")
REFRESH_ALL = f"UPDATE measures_award SET ({', '.join(COLUMNS)}) = {_WINDOW}"

TRIGGER_PREFIX = "measures_award_window"

# The rows whose writes change awards' windows: (name, table, event, the columns that matter on an
# update, which awards).
_INFO_AWARDS = (
    "id = {row}.award_id OR clause_id IN (SELECT id FROM measures_clause WHERE measure_id = {row}.measure_id)"
)
_INFO_COLUMNS = ("window_kind", "window_opens", "window_closes", "award_id", "measure_id")
_SOURCES = (
    ("info_insert", "measures_applicationinfo", "INSERT", (), [_INFO_AWARDS.format(row="NEW")]),
    (
        "info_update",
        "measures_applicationinfo",
        "UPDATE",
        _INFO_COLUMNS,
        [_INFO_AWARDS.format(row="OLD"), _INFO_AWARDS.format(row="NEW")],
    ),
    ("info_delete", "measures_applicationinfo", "DELETE", (), [_INFO_AWARDS.format(row="OLD")]),
    ("clause", "measures_clause", "UPDATE", ("measure_id",), ["clause_id = NEW.id"]),
)


def _changed(vendor: str, columns) -> str:
    """The WHEN of an update trigger: only a real change, as Django's save() writes every column."""
    distinct = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"  # SQLite's, before 3.39
    return " OR ".join(f"OLD.{column} {distinct} NEW.{column}" for column in columns)


# PostgreSQL: the award's own row gets its window before it is written, whatever the writer put there.
_POSTGRESQL_AWARD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_PREFIX}_award() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT info.window_kind, info.window_opens, info.window_closes
    INTO NEW.listed_window_kind, NEW.listed_window_opens, NEW.listed_window_closes
    FROM measures_applicationinfo info
    WHERE info.window_kind <> 'unpublished'
      AND (info.award_id = NEW.id
           OR info.measure_id = (SELECT clause.measure_id FROM measures_clause clause WHERE clause.id = NEW.clause_id))
    ORDER BY info.award_id IS NULL
    LIMIT 1;
    RETURN NEW;
END
$$"""


def trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements for the triggers that keep the awards' windows current."""
    create, drop = [], []
    if vendor == "postgresql":
        name = f"{TRIGGER_PREFIX}_award"
        create.append(_POSTGRESQL_AWARD_FUNCTION)
        create.append(
            f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON measures_award FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
        drop += [f"DROP TRIGGER IF EXISTS {name} ON measures_award", f"DROP FUNCTION IF EXISTS {name}()"]
    elif vendor == "sqlite":
        # SQLite cannot change the row being written: it rewrites it just after (Django leaves recursive
        # triggers off, so that rewrite fires nothing more).
        changed = f"UPDATE OF clause_id ON measures_award FOR EACH ROW WHEN ({_changed(vendor, ['clause_id'])})"
        for event, on in (("insert", "INSERT ON measures_award FOR EACH ROW"), ("update", changed)):
            name = f"{TRIGGER_PREFIX}_award_{event}"
            create.append(f"CREATE TRIGGER {name} AFTER {on} BEGIN {REFRESH_ALL} WHERE id = NEW.id; END")
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    else:
        raise NotImplementedError(f"xmpolicy runs on PostgreSQL or SQLite, not {vendor}.")
    for source, table, action, columns, which in _SOURCES:
        name = f"{TRIGGER_PREFIX}_{source}"
        statements = " ".join(f"{REFRESH_ALL} WHERE {one};" for one in which)
        event = f"AFTER {action} ON {table} FOR EACH ROW"
        if columns:
            event = f"AFTER UPDATE OF {', '.join(columns)} ON {table} FOR EACH ROW WHEN ({_changed(vendor, columns)})"
        if vendor == "postgresql":
            create.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {statements} RETURN NULL; END $$"
            )
            create.append(f"CREATE TRIGGER {name} {event} EXECUTE FUNCTION {name}()")
            drop += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
        else:
            create.append(f"CREATE TRIGGER {name} {event} BEGIN {statements} END")
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


class Triggers(migrations.RunSQL):
    """The triggers keeping the awards' windows current, written for the database the migration runs
    on; then every existing award's window."""

    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        create, _drop = trigger_sql(schema_editor.connection.vendor)
        for statement in [*create, REFRESH_ALL]:
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _create, drop = trigger_sql(schema_editor.connection.vendor)
        for statement in drop:
            schema_editor.execute(statement, params=None)

    def describe(self):
        return "Triggers keeping each award's application window current, and every award's window"


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0026_apply_expected_window_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="award",
            name="listed_window_kind",
            field=models.CharField(editable=False, max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="award",
            name="listed_window_opens",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="award",
            name="listed_window_closes",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(
                condition=models.Q(("is_public", True)),
                fields=["listed_window_kind", "listed_window_closes", "listed_window_opens"],
                name="award_window",
            ),
        ),
        Triggers(),
    ]
