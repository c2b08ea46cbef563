# English glosses (unofficial translations) of the policy's, pillars' and measures' titles and of the
# recipient kinds' names. Each column is added by ALTER TABLE ADD COLUMN with a constant default: on
# SQLite, Django's AddField of a NOT NULL column remakes the table, which breaks the triggers of other
# tables naming it (the award listing's, 0005); ADD COLUMN keeps the table and every trigger as they are.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0024_current_checked_on'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE measures_historicalmeasure ADD COLUMN title_en varchar(300) NOT NULL DEFAULT ''",
                    "ALTER TABLE measures_historicalmeasure DROP COLUMN title_en",
                ),
                migrations.RunSQL(
                    "ALTER TABLE measures_historicalpillar ADD COLUMN title_en varchar(300) NOT NULL DEFAULT ''",
                    "ALTER TABLE measures_historicalpillar DROP COLUMN title_en",
                ),
                migrations.RunSQL(
                    "ALTER TABLE measures_historicalpolicy ADD COLUMN title_en varchar(300) NOT NULL DEFAULT ''",
                    "ALTER TABLE measures_historicalpolicy DROP COLUMN title_en",
                ),
                migrations.RunSQL(
                    "ALTER TABLE measures_historicalrecipientkind ADD COLUMN name_en varchar(200) NOT NULL DEFAULT ''",
                    "ALTER TABLE measures_historicalrecipientkind DROP COLUMN name_en",
                ),
                migrations.RunSQL(
                    "ALTER TABLE measures_measure ADD COLUMN title_en varchar(300) NOT NULL DEFAULT ''",
                    "ALTER TABLE measures_measure DROP COLUMN title_en",
                ),
                migrations.RunSQL(
                    "ALTER TABLE measures_pillar ADD COLUMN title_en varchar(300) NOT NULL DEFAULT ''",
                    "ALTER TABLE measures_pillar DROP COLUMN title_en",
                ),
                migrations.RunSQL(
                    "ALTER TABLE measures_policy ADD COLUMN title_en varchar(300) NOT NULL DEFAULT ''",
                    "ALTER TABLE measures_policy DROP COLUMN title_en",
                ),
                migrations.RunSQL(
                    "ALTER TABLE measures_recipientkind ADD COLUMN name_en varchar(200) NOT NULL DEFAULT ''",
                    "ALTER TABLE measures_recipientkind DROP COLUMN name_en",
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name='historicalmeasure',
                    name='title_en',
                    field=models.CharField(blank=True, help_text='英文界面在中文标题旁显示，并注明“非官方译文”；只翻译原文已有的标题，不得增添内容。可留空。', max_length=300, verbose_name='英文译名（非官方）'),
                ),
                migrations.AddField(
                    model_name='historicalpillar',
                    name='title_en',
                    field=models.CharField(blank=True, help_text='英文界面在中文标题旁显示，并注明“非官方译文”；只翻译原文已有的标题，不得增添内容。可留空。', max_length=300, verbose_name='英文译名（非官方）'),
                ),
                migrations.AddField(
                    model_name='historicalpolicy',
                    name='title_en',
                    field=models.CharField(blank=True, help_text='英文界面在中文标题旁显示，并注明“非官方译文”；只翻译原文已有的标题，不得增添内容。可留空。', max_length=300, verbose_name='英文译名（非官方）'),
                ),
                migrations.AddField(
                    model_name='historicalrecipientkind',
                    name='name_en',
                    field=models.CharField(blank=True, help_text='英文界面显示为“英文名称（中文名称）”，如“Tech business incubator”；非官方译名，可留空。', max_length=200, verbose_name='英文名称（非官方）'),
                ),
                migrations.AddField(
                    model_name='measure',
                    name='title_en',
                    field=models.CharField(blank=True, help_text='英文界面在中文标题旁显示，并注明“非官方译文”；只翻译原文已有的标题，不得增添内容。可留空。', max_length=300, verbose_name='英文译名（非官方）'),
                ),
                migrations.AddField(
                    model_name='pillar',
                    name='title_en',
                    field=models.CharField(blank=True, help_text='英文界面在中文标题旁显示，并注明“非官方译文”；只翻译原文已有的标题，不得增添内容。可留空。', max_length=300, verbose_name='英文译名（非官方）'),
                ),
                migrations.AddField(
                    model_name='policy',
                    name='title_en',
                    field=models.CharField(blank=True, help_text='英文界面在中文标题旁显示，并注明“非官方译文”；只翻译原文已有的标题，不得增添内容。可留空。', max_length=300, verbose_name='英文译名（非官方）'),
                ),
                migrations.AddField(
                    model_name='recipientkind',
                    name='name_en',
                    field=models.CharField(blank=True, help_text='英文界面显示为“英文名称（中文名称）”，如“Tech business incubator”；非官方译名，可留空。', max_length=200, verbose_name='英文名称（非官方）'),
                ),
            ],
        ),
    ]
