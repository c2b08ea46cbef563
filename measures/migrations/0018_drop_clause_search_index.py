# The clauses' own GIN index on their search tokens (0002, 0007) is dropped, PostgreSQL only (SQLite never had
# it). Since search's own table (0011) the pages and the API read that table's index; the only query left
# that could use this one was the alerts', which asks about a few clauses by primary key, so the planner
# reads them by id. It cost every clause write an index update, and the disk of a second copy of the tokens.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0017_revision_counts_public_rows_only"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="clause",
            name="clause_search_tokens_gin",
        ),
    ]
