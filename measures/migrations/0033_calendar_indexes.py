# The calendar's indexes. 正在受理 and its months list dated windows closing on or after a day or on no given
# day: the index of the closing day reads a window that gives none as closing on NO_CLOSING_DAY, so that
# those are one range of it (models.window_closes) rather than a range and the NULLs, which made the
# database read every window closed in the past to find the first ones open. And each of the three holds
# what the overview reads of an award to list a section's first ids (models.CALENDAR_READS), so that
# PostgreSQL reads them from the index alone.

import datetime

from django.db import migrations, models
from django.db.models.functions import Coalesce

CALENDAR_READS = (
    "id",
    "listed_pillar_number",
    "listed_policy_id",
    "listed_measure_number",
    "listed_clause_position",
    "position",
)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0032_award_changes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="award", name="award_window"),
        migrations.RemoveIndex(model_name="award", name="award_window_opens"),
        migrations.RemoveIndex(model_name="award", name="award_window_listing"),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(
                models.F("listed_window_kind"),
                Coalesce("listed_window_closes", models.Value(datetime.date(9999, 12, 31))),
                models.F("listed_window_opens"),
                condition=models.Q(("is_public", True)),
                include=("listed_window_closes", *CALENDAR_READS),
                name="award_window_closing",
            ),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(
                condition=models.Q(("is_public", True)),
                fields=["listed_window_kind", "listed_window_opens"],
                include=CALENDAR_READS,
                name="award_window_opens",
            ),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(
                condition=models.Q(("is_public", True)),
                fields=[
                    "listed_window_kind",
                    "listed_policy_id",
                    "listed_measure_number",
                    "listed_clause_position",
                    "position",
                ],
                include=("id", "listed_pillar_number"),
                name="award_window_listing",
            ),
        ),
    ]
