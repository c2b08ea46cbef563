# Joins the two branches that both followed 0009: who can apply and how (0010) and the clauses' search
# table (0011). Nothing to do: they touch different tables.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0010_eligibility'),
        ('measures', '0011_clause_search_table'),
    ]

    operations = [
    ]
