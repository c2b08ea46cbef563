# The calendar's 即将开始 lists the public awards by their window's opening day, 常年受理 and 以年度通知为准
# in their policies' order: an index in each order (beside award_window, in the closing day's), so that
# a section's first awards are read, not sorted, and, when a filter (a kind) keeps few, found among
# that section's awards rather than among all.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0030_question_answers"),
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
                name="award_window_listing",
            ),
        ),
    ]
