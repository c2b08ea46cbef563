# The search index, created by migration 0002 in raw SQL, is now declared on the Clause model, so that
# Django's migration state knows it. The index itself is kept: on PostgreSQL it is only renamed to its
# declared name (Django allows 30 characters); SQLite has none (PostgreSQLGinIndex makes nothing there).

import django.contrib.postgres.fields
from django.db import migrations, models

import measures.domain.models

RENAME = "ALTER INDEX IF EXISTS measures_clause_search_tokens_gin RENAME TO clause_search_tokens_gin"
RENAME_BACK = "ALTER INDEX IF EXISTS clause_search_tokens_gin RENAME TO measures_clause_search_tokens_gin"


class PostgreSQLOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0006_public_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[PostgreSQLOnly(RENAME, RENAME_BACK)],
            state_operations=[
                migrations.AddIndex(
                    model_name="clause",
                    index=measures.domain.models.PostgreSQLGinIndex(
                        models.Func(
                            models.F("search_tokens"),
                            output_field=django.contrib.postgres.fields.ArrayField(
                                base_field=models.TextField(), size=None
                            ),
                            template="string_to_array(%(expressions)s, ' ')",
                        ),
                        fastupdate=False,
                        name="clause_search_tokens_gin",
                    ),
                ),
            ],
        ),
    ]
