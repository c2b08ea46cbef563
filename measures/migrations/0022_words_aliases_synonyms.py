# The words people use: recipient kinds' common aliases, and search's synonym list. The synonym list
# changes what every search page shows, so its table counts each write in the content revision (it has
# no drafts: always public), as migration 0017 does for the related documents. The SQL is frozen here.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

PREFIX = "measures_public_revision"
REVISION = "measures_contentrevision"
TABLE = "measures_searchsynonym"
EVENTS = ("insert", "update", "delete")
POSTGRESQL_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, clock_timestamp()) "
    f"ON CONFLICT (id) DO UPDATE SET counter = {REVISION}.counter + 1, changed_at = clock_timestamp();"
)
SQLITE_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET counter = counter + 1, changed_at = excluded.changed_at;"
)


def counting_triggers(vendor):
    """(create, drop): a trigger per event that counts every write of the synonym table."""
    create, drop = [], []
    function = f"{PREFIX}_{TABLE}"
    if vendor == "postgresql":
        create.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{POSTGRESQL_BUMP} RETURN NULL; END $$"
        )
    for event in EVENTS:
        name = f"{function}_{event}"
        if vendor == "postgresql":
            create.append(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {TABLE} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}")
        else:
            create.append(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {TABLE} FOR EACH ROW BEGIN {SQLITE_BUMP} END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    if vendor == "postgresql":
        drop.append(f"DROP FUNCTION IF EXISTS {function}()")
    return create, drop


class AddColumnKeepingTriggers(migrations.AddField):
    """AddField, except that on SQLite the column is added in place: Django would rebuild the table to
    add a NOT NULL column, and the rebuild drops the table's triggers (the content revision's)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {self.name} varchar(300) NOT NULL DEFAULT ''")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {self.name}")


class CountWrites(migrations.RunSQL):
    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def _run(self, schema_editor, statements):
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, counting_triggers(schema_editor.connection.vendor)[0])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, counting_triggers(schema_editor.connection.vendor)[1])

    def describe(self):
        return "The content revision counts every write of the search synonyms"


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0021_draft_reviews"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrecipientkind",
            name="aliases",
            field=models.CharField(
                blank=True,
                help_text="人们常用、但政策原文不用的叫法，用顿号（、）分开，如“国家重点实验室”。搜索这些叫法时，也按上面的名称搜索，并列出这类主体。",
                max_length=300,
                verbose_name="常见叫法",
            ),
        ),
        AddColumnKeepingTriggers(
            model_name="recipientkind",
            name="aliases",
            field=models.CharField(
                blank=True,
                help_text="人们常用、但政策原文不用的叫法，用顿号（、）分开，如“国家重点实验室”。搜索这些叫法时，也按上面的名称搜索，并列出这类主体。",
                max_length=300,
                verbose_name="常见叫法",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalSearchSynonym",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="更新时间")),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        help_text="每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。",
                        verbose_name="版本",
                    ),
                ),
                (
                    "words",
                    models.CharField(
                        db_index=True,
                        help_text="意思相同、可以互换的词，用顿号（、）分开，如“补贴、补助、资助”。搜索其中任何一个词，也会搜索其他几个，结果页会说明。",
                        max_length=200,
                        verbose_name="近义词",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="最后编辑人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 搜索近义词",
                "verbose_name_plural": "historical 搜索近义词",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        help_text="每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。",
                        verbose_name="版本",
                    ),
                ),
                (
                    "words",
                    models.CharField(
                        help_text="意思相同、可以互换的词，用顿号（、）分开，如“补贴、补助、资助”。搜索其中任何一个词，也会搜索其他几个，结果页会说明。",
                        max_length=200,
                        unique=True,
                        verbose_name="近义词",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="最后编辑人",
                    ),
                ),
            ],
            options={
                "verbose_name": "搜索近义词",
                "verbose_name_plural": "搜索近义词",
                "ordering": ["words"],
            },
        ),
        CountWrites(),
    ]
