# The calendar's 即将开始 lists the public awards by their window's opening day: an index in that order
# (beside award_window, in the closing day's), so that a section's first awards are read, not sorted.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0028_award_listing_own_columns"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="award",
            index=models.Index(
                condition=models.Q(("is_public", True)),
                fields=["listed_window_kind", "listed_window_opens"],
                name="award_window_opens",
            ),
        ),
    ]
