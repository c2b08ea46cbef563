"""Search's own table on PostgreSQL (migration 0011, kept by its triggers), as a model Django does not
manage: what lets table.py compile match.py's expressions against its rows. Only the columns those
expressions read are declared; the table is written by triggers and check_derived, never through it."""

from django.db import models


class SearchRow(models.Model):
    clause_id = models.BigIntegerField(primary_key=True)
    title = models.TextField()
    text = models.TextField()
    amount_low = models.BigIntegerField(null=True)  # the smallest and largest of its public awards' amounts
    amount_high = models.BigIntegerField(null=True)

    class Meta:
        managed = False
        db_table = "measures_clause_search"

    def __str__(self):
        return f"search row of clause {self.clause_id}"
