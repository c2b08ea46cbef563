# The content revision counts a write to the tables of migrations 0008 and 0010 only when the row it
# writes is visible to the public before or after it, as migration 0006 made it for the policy's own
# tables: tagging a draft award, or giving a draft measure its application facts, no longer moves every
# public ETag and Last-Modified. What the public sees of each table:
#
# - a related document's link to a measure: when the measure is published;
# - an award's link to a recipient kind: when the award is public (its `is_public`, migration 0005);
# - a recipient kind: when a public award is tagged with it (RecipientKindQuerySet.public);
# - application facts: when their measure is published or their award is public; their departments'
#   links and their guides: when the facts are;
# - a department: when public application facts name it (the pages show it nowhere else).
#
# The public history follows an award's recipient kinds too (subject 'kinds', measures/domain/public_history.py):
# the choice is added, a kind link's history records its batch, and every public award's kinds as the
# public sees them now are what the next tagging is compared with (as a rebuild would leave them).
#
# A related document itself has no drafts: its trigger (0008) still counts every write. Rows are
# deleted after the rows that depend on them (Django's cascade), so a deleted link is judged while its
# award or measure still stands. The SQL is frozen here as it stood when this migration was written.

from django.db import migrations, models

PREFIX = "measures_public_revision"
REVISION = "measures_contentrevision"
POSTGRESQL_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, clock_timestamp()) "
    f"ON CONFLICT (id) DO UPDATE SET counter = {REVISION}.counter + 1, changed_at = clock_timestamp();"
)
SQLITE_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET counter = counter + 1, changed_at = excluded.changed_at;"
)


def _measure_published(measure_id):
    return f"EXISTS (SELECT 1 FROM measures_measure m WHERE m.id = {measure_id} AND m.status = 'published')"


def _award_public(award_id):
    return f"EXISTS (SELECT 1 FROM measures_award a WHERE a.id = {award_id} AND a.is_public)"


def _info_public(info):
    """Application facts (the row called `info`) the public sees."""
    return f"({_measure_published(f'{info}.measure_id')} OR {_award_public(f'{info}.award_id')})"


def _info_id_public(info_id):
    return f"EXISTS (SELECT 1 FROM measures_applicationinfo i WHERE i.id = {info_id} AND {_info_public('i')})"


# Each table's test, on the row called `row` (OLD or NEW on SQLite, a transition table's row on PostgreSQL).
VISIBLE = {
    "measures_relateddocumentmeasure": lambda row: _measure_published(f"{row}.measure_id"),
    "measures_awardrecipientkind": lambda row: _award_public(f"{row}.award_id"),
    "measures_recipientkind": lambda row: (
        "EXISTS (SELECT 1 FROM measures_awardrecipientkind l JOIN measures_award a ON a.id = l.award_id "
        f"WHERE l.kind_id = {row}.id AND a.is_public)"
    ),
    "measures_applicationinfo": lambda row: _info_public(row),
    "measures_applicationdepartment": lambda row: _info_id_public(f"{row}.info_id"),
    "measures_applicationguide": lambda row: _info_id_public(f"{row}.info_id"),
    "measures_department": lambda row: (
        "EXISTS (SELECT 1 FROM measures_applicationdepartment d JOIN measures_applicationinfo i ON i.id = d.info_id "
        f"WHERE d.department_id = {row}.id AND {_info_public('i')})"
    ),
}
EVENTS = ("INSERT", "UPDATE", "DELETE")


def every_write_sql(vendor):
    """(create, drop) of the triggers of 0008 and 0010 on these tables, which count every write."""
    create, drop = [], []
    for table in VISIBLE:
        if vendor == "postgresql":
            function = f"{PREFIX}_{table}"
            create.append(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{POSTGRESQL_BUMP} RETURN NULL; END $$"
            )
            for event in EVENTS:
                name = f"{PREFIX}_{table}_{event.lower()}"
                create.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            drop.append(f"DROP FUNCTION IF EXISTS {function}()")
        else:
            for event in EVENTS:
                name = f"{PREFIX}_{table}_{event.lower()}"
                create.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {SQLITE_BUMP} END")
                drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


def public_write_sql(vendor):
    """(create, drop) of the triggers that count a write when its row is visible before or after it:
    once per statement on PostgreSQL, from its transition tables; per row on SQLite, the test as WHEN."""
    create, drop = [], []
    for table, visible in VISIBLE.items():
        if vendor == "postgresql":
            function = f"{PREFIX}_{table}"
            # Each test in its own IF: a statement naming a transition table the trigger lacks is
            # planned only if reached.
            create.append(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF TG_OP <> 'DELETE' THEN IF EXISTS (SELECT 1 FROM new_rows r WHERE {visible('r')}) THEN "
                f"{POSTGRESQL_BUMP} RETURN NULL; END IF; END IF; "
                f"IF TG_OP <> 'INSERT' THEN IF EXISTS (SELECT 1 FROM old_rows r WHERE {visible('r')}) THEN "
                f"{POSTGRESQL_BUMP} END IF; END IF; RETURN NULL; END $$"
            )
            for event, referencing in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            ):
                name = f"{PREFIX}_{table}_{event.lower()}"
                create.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            drop.append(f"DROP FUNCTION IF EXISTS {function}()")
        else:
            tests = {
                "INSERT": visible("NEW"),
                "UPDATE": f"({visible('OLD')}) OR ({visible('NEW')})",
                "DELETE": visible("OLD"),
            }
            for event, test in tests.items():
                name = f"{PREFIX}_{table}_{event.lower()}"
                create.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW WHEN {test} BEGIN {SQLITE_BUMP} END"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


class SwapTriggers(migrations.RunSQL):
    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def _run(self, schema_editor, statements):
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        self._run(schema_editor, every_write_sql(vendor)[1] + public_write_sql(vendor)[0])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        self._run(schema_editor, public_write_sql(vendor)[1] + every_write_sql(vendor)[0])

    def describe(self):
        return "The content revision counts eligibility and document links only when the public sees the row"


def remember_public_kinds(apps, schema_editor):
    alias = schema_editor.connection.alias
    Award = apps.get_model("measures", "Award")
    AwardRecipientKind = apps.get_model("measures", "AwardRecipientKind")
    PublicState = apps.get_model("measures", "PublicState")
    names = {}
    links = AwardRecipientKind.objects.using(alias).filter(award__is_public=True)
    for award_id, name in links.order_by("kind__order", "kind__slug").values_list("award_id", "kind__name"):
        names.setdefault(award_id, []).append(name)
    awards = Award.objects.using(alias).filter(is_public=True).values_list("id", "clause__measure_id", "clause__position")
    PublicState.objects.using(alias).bulk_create(
        [
            PublicState(
                subject="kinds",
                object_id=award_id,
                visible=True,
                values={"names": names.get(award_id, [])},
                measure_id=measure_id,
                clause_position=position,
            )
            for award_id, measure_id, position in awards.iterator()
        ],
        batch_size=2000,
    )


def forget_kinds(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("measures", "PublicChange").objects.using(alias).filter(subject="kinds").delete()
    apps.get_model("measures", "PublicState").objects.using(alias).filter(subject="kinds").delete()


SUBJECTS = [("measure", "措施"), ("clause", "条款"), ("award", "奖补金额"), ("kinds", "申报主体")]


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0016_subscription_link_secrets"),
    ]

    operations = [
        SwapTriggers(),
        migrations.AddField(
            model_name="historicalawardrecipientkind",
            name="history_batch",
            field=models.UUIDField(blank=True, editable=False, null=True, verbose_name="同批保存"),
        ),
        migrations.AlterField(
            model_name="publicchange",
            name="subject",
            field=models.CharField(choices=SUBJECTS, max_length=10, verbose_name="对象"),
        ),
        migrations.AlterField(
            model_name="publicstate",
            name="subject",
            field=models.CharField(choices=SUBJECTS, max_length=10),
        ),
        migrations.RunPython(remember_public_kinds, forget_kinds),
    ]
