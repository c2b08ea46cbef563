# The content's change counter (measures/freshness.py): its one row, and the triggers on every
# historical table that keep it current.

from django.db import migrations, models
from django.db.models import Max

from measures import freshness

# The historical tables as they stand at this migration. A content model added later brings its own
# migration adding its trigger (tests/test_freshness.py fails until it does).
HISTORICAL_TABLES = [
    "measures_historicalaward",
    "measures_historicalclause",
    "measures_historicalmeasure",
    "measures_historicalpillar",
    "measures_historicalpolicy",
    "measures_historicalpolicysource",
]


def first_revision(apps, schema_editor):
    """Start the counter where the content already is: dated by its newest version, if any."""
    alias = schema_editor.connection.alias
    newest = [
        apps.get_model("measures", model).objects.using(alias).aggregate(newest=Max("history_date"))["newest"]
        for model in ("HistoricalPolicy", "HistoricalPillar", "HistoricalMeasure", "HistoricalClause")
    ]
    newest = [moment for moment in newest if moment is not None]
    ContentRevision = apps.get_model("measures", "ContentRevision")
    ContentRevision.objects.using(alias).create(id=1, counter=1, changed_at=max(newest) if newest else None)


class Triggers(migrations.RunSQL):
    """The triggers, written for the database the migration runs on."""

    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        create, _drop = freshness.trigger_sql(schema_editor.connection.vendor, HISTORICAL_TABLES)
        for statement in create:
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _create, drop = freshness.trigger_sql(schema_editor.connection.vendor, HISTORICAL_TABLES)
        for statement in drop:
            schema_editor.execute(statement, params=None)

    def describe(self):
        return "Triggers counting every change to the historical tables in ContentRevision"


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_history_versions_drafts"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("counter", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(null=True)),
            ],
            options={
                "verbose_name": "内容版本计数",
            },
        ),
        migrations.RunPython(first_revision, migrations.RunPython.noop),
        Triggers(),
    ]
