# The log of the public awards' changes that the award finder's tally catches up from after an edit
# (measures/domain/award_changes.py), and the triggers writing it. An award is logged when a write changes
# what the finder counts of it while the public sees it before or after the write; a recipient kind's link
# when its award is public. The SQL is frozen here as it stood when this migration was written.

from django.db import migrations, models

LOG = "measures_changedaward"
PREFIX = "measures_award_changes"
KEPT, PRUNED_EVERY = 20_000, 1_000  # measures/domain/award_changes.py's KEPT_CHANGES and PRUNED_EVERY then
# What the finder counts of an award besides whether it is public. `limit` is a keyword: quoted.
COUNTED = ("listed_policy_id", "listed_pillar_number", "amount_yuan", "recurrence", '"limit"')
REVISION_ROW = "SELECT 1 FROM measures_contentrevision WHERE id = 1 FOR UPDATE"

# PostgreSQL: per statement, from its transition tables (as migration 0017's revision triggers), each
# test in its own IF (a statement naming a transition table the trigger lacks is planned only if reached).
# The revision's row is taken before an id is drawn, so that the ids follow the order of the commits.
_POSTGRESQL_LOG = f"""
CREATE OR REPLACE FUNCTION {PREFIX}_log(awards bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM measures_contentrevision WHERE id = 1 FOR UPDATE;
    INSERT INTO {LOG} (award_id) SELECT DISTINCT unnest(awards);
END $$"""

_CHANGED = " OR ".join(f"o.{column} IS DISTINCT FROM n.{column}" for column in ("is_public", *COUNTED))
_POSTGRESQL_AWARD = f"""
CREATE OR REPLACE FUNCTION {PREFIX}_award() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changed bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(n.id) INTO changed FROM new_rows n WHERE n.is_public;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(o.id) INTO changed FROM old_rows o WHERE o.is_public;
    ELSE
        SELECT array_agg(n.id) INTO changed FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.is_public OR n.is_public) AND ({_CHANGED});
    END IF;
    IF changed IS NOT NULL THEN
        PERFORM {PREFIX}_log(changed);
    END IF;
    RETURN NULL;
END $$"""

_PUBLIC_AWARDS_OF = (
    "SELECT array_agg(r.award_id) FROM {rows} r JOIN measures_award a ON a.id = r.award_id WHERE a.is_public"
)
_POSTGRESQL_KIND_LINK = f"""
CREATE OR REPLACE FUNCTION {PREFIX}_kind_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changed bigint[];
BEGIN
    IF TG_OP <> 'DELETE' THEN
        changed := ({_PUBLIC_AWARDS_OF.format(rows="new_rows")});
    END IF;
    IF TG_OP <> 'INSERT' THEN
        changed := changed || ({_PUBLIC_AWARDS_OF.format(rows="old_rows")});
    END IF;
    IF changed IS NOT NULL THEN
        PERFORM {PREFIX}_log(changed);
    END IF;
    RETURN NULL;
END $$"""

_POSTGRESQL_PRUNE = f"""
CREATE OR REPLACE FUNCTION {PREFIX}_prune() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {LOG} WHERE id <= NEW.id - {KEPT};
    RETURN NULL;
END $$"""

REFERENCING = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}
WATCHED = (("award", "measures_award"), ("kind_link", "measures_awardrecipientkind"))


def _postgresql() -> tuple[list[str], list[str]]:
    create = [_POSTGRESQL_LOG, _POSTGRESQL_AWARD, _POSTGRESQL_KIND_LINK, _POSTGRESQL_PRUNE]
    drop = []
    for name, table in WATCHED:
        for event, referencing in REFERENCING.items():
            trigger = f"{PREFIX}_{name}_{event.lower()}"
            create.append(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_{name}()"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    create.append(
        f"CREATE TRIGGER {PREFIX}_prune AFTER INSERT ON {LOG} FOR EACH ROW "
        f"WHEN (NEW.id % {PRUNED_EVERY} = 0) EXECUTE FUNCTION {PREFIX}_prune()"
    )
    drop.append(f"DROP TRIGGER IF EXISTS {PREFIX}_prune ON {LOG}")
    drop += [f"DROP FUNCTION IF EXISTS {PREFIX}_{name}()" for name in ("award", "kind_link", "prune")]
    drop.append(f"DROP FUNCTION IF EXISTS {PREFIX}_log(bigint[])")
    return create, drop


# SQLite: per row. An award's own listing trigger (migrations 0005, 0028) rewrites its row just after
# Django writes it, and that rewrite fires these triggers too: the values are then the final ones.
_SQLITE_CHANGED = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in ("is_public", *COUNTED))
_SQLITE_LOG_AWARD = f"INSERT INTO {LOG} (award_id) VALUES ({{row}}.id);"
_SQLITE_LOG_LINKED = (
    f"INSERT INTO {LOG} (award_id) SELECT id FROM measures_award WHERE id = {{row}}.award_id AND is_public;"
)
_SQLITE = (
    ("award_insert", "INSERT ON measures_award", "NEW.is_public", _SQLITE_LOG_AWARD.format(row="NEW")),
    (
        "award_update",
        "UPDATE ON measures_award",
        f"(OLD.is_public OR NEW.is_public) AND ({_SQLITE_CHANGED})",
        _SQLITE_LOG_AWARD.format(row="NEW"),
    ),
    ("award_delete", "DELETE ON measures_award", "OLD.is_public", _SQLITE_LOG_AWARD.format(row="OLD")),
    ("kind_link_insert", "INSERT ON measures_awardrecipientkind", "", _SQLITE_LOG_LINKED.format(row="NEW")),
    (
        "kind_link_update",
        "UPDATE ON measures_awardrecipientkind",
        "",
        _SQLITE_LOG_LINKED.format(row="OLD") + " " + _SQLITE_LOG_LINKED.format(row="NEW"),
    ),
    ("kind_link_delete", "DELETE ON measures_awardrecipientkind", "", _SQLITE_LOG_LINKED.format(row="OLD")),
    ("prune", f"INSERT ON {LOG}", f"NEW.id % {PRUNED_EVERY} = 0", f"DELETE FROM {LOG} WHERE id <= NEW.id - {KEPT};"),
)


def _sqlite() -> tuple[list[str], list[str]]:
    create, drop = [], []
    for name, event, when, body in _SQLITE:
        condition = f" WHEN {when}" if when else ""
        create.append(f"CREATE TRIGGER {PREFIX}_{name} AFTER {event} FOR EACH ROW{condition} BEGIN {body} END")
        drop.append(f"DROP TRIGGER IF EXISTS {PREFIX}_{name}")
    return create, drop


def trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements for the triggers that write the log."""
    if vendor == "postgresql":
        return _postgresql()
    if vendor == "sqlite":
        return _sqlite()
    raise NotImplementedError(f"xmpolicy runs on PostgreSQL or SQLite, not {vendor}.")


class Triggers(migrations.RunSQL):
    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for statement in trigger_sql(schema_editor.connection.vendor)[0]:
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for statement in trigger_sql(schema_editor.connection.vendor)[1]:
            schema_editor.execute(statement, params=None)

    def describe(self):
        return "Triggers logging the public awards' changes for the award finder's tally"


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0031_award_window_opens"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangedAward",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("award_id", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "奖补变动记录",
                "verbose_name_plural": "奖补变动记录",
            },
        ),
        Triggers(),
    ]
