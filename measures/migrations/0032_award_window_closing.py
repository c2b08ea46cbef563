# The calendar's 正在受理 and its months list dated windows closing on or after a day or on no given day:
# the index of the closing day read with a window that gives none as closing on NO_CLOSING_DAY, so that
# those are one range of it (models.window_closes) rather than a range and the NULLs, which made the
# database read every window closed in the past to find the first ones open.

import datetime

from django.db import migrations, models
from django.db.models.functions import Coalesce


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0031_award_window_opens"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="award", name="award_window"),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(
                models.F("listed_window_kind"),
                Coalesce("listed_window_closes", models.Value(datetime.date(9999, 12, 31))),
                models.F("listed_window_opens"),
                condition=models.Q(("is_public", True)),
                name="award_window_closing",
            ),
        ),
    ]
