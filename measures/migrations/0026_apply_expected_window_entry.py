# Where to apply (办: the official entry's name, address and whether it is online) and an expected window
# (预计: dates an editor expects, with the basis), on the application facts. The text columns are added in
# place on SQLite: Django would rebuild the table to add a NOT NULL column, and the rebuild drops the
# triggers of the content revision that name it (as in migration 0022). The nullable ones need no rebuild.

import django.core.validators
from django.db import migrations, models


class AddTextColumnKeepingTriggers(migrations.AddField):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        length = self.field.max_length
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {self.name} varchar({length}) NOT NULL DEFAULT ''")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {self.name}")


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0025_english_glosses'),
    ]

    operations = [
        AddTextColumnKeepingTriggers(
            model_name='applicationinfo',
            name='entry_name',
            field=models.CharField(blank=True, help_text='官方办理系统或窗口的名称，照其网站或申报通知录入；不知道时留空，公众页面显示“待录入”。', max_length=100, verbose_name='办理入口名称'),
        ),
        migrations.AddField(
            model_name='applicationinfo',
            name='entry_online',
            field=models.BooleanField(blank=True, help_text='“是”：在上面的网址上在线办理；“否”：须到窗口办理。来源未写明时保持“未知”。', null=True, verbose_name='可网上办理'),
        ),
        AddTextColumnKeepingTriggers(
            model_name='applicationinfo',
            name='entry_url',
            field=models.URLField(blank=True, help_text='官方办理系统的网址，公众点“去办理”即打开该网站；不要填转载或复制的页面。', max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='办理入口网址'),
        ),
        AddTextColumnKeepingTriggers(
            model_name='applicationinfo',
            name='expected_basis',
            field=models.CharField(blank=True, help_text='正式申报时间公布前，可按依据填写预计的起止日期，如“以往年度通知于3月发布”；公众页面标为“预计”。正式时间公布后，把“申报时间”改为“按申报时间段”或“常年受理”：预计的时间不再显示，修改记录中两者都保留。', max_length=200, verbose_name='预计的依据'),
        ),
        migrations.AddField(
            model_name='applicationinfo',
            name='expected_closes',
            field=models.DateField(blank=True, null=True, verbose_name='预计截止日期'),
        ),
        migrations.AddField(
            model_name='applicationinfo',
            name='expected_opens',
            field=models.DateField(blank=True, null=True, verbose_name='预计开始日期'),
        ),
        migrations.AddField(
            model_name='historicalapplicationinfo',
            name='entry_name',
            field=models.CharField(blank=True, help_text='官方办理系统或窗口的名称，照其网站或申报通知录入；不知道时留空，公众页面显示“待录入”。', max_length=100, verbose_name='办理入口名称'),
        ),
        migrations.AddField(
            model_name='historicalapplicationinfo',
            name='entry_online',
            field=models.BooleanField(blank=True, help_text='“是”：在上面的网址上在线办理；“否”：须到窗口办理。来源未写明时保持“未知”。', null=True, verbose_name='可网上办理'),
        ),
        migrations.AddField(
            model_name='historicalapplicationinfo',
            name='entry_url',
            field=models.URLField(blank=True, help_text='官方办理系统的网址，公众点“去办理”即打开该网站；不要填转载或复制的页面。', max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='办理入口网址'),
        ),
        migrations.AddField(
            model_name='historicalapplicationinfo',
            name='expected_basis',
            field=models.CharField(blank=True, help_text='正式申报时间公布前，可按依据填写预计的起止日期，如“以往年度通知于3月发布”；公众页面标为“预计”。正式时间公布后，把“申报时间”改为“按申报时间段”或“常年受理”：预计的时间不再显示，修改记录中两者都保留。', max_length=200, verbose_name='预计的依据'),
        ),
        migrations.AddField(
            model_name='historicalapplicationinfo',
            name='expected_closes',
            field=models.DateField(blank=True, null=True, verbose_name='预计截止日期'),
        ),
        migrations.AddField(
            model_name='historicalapplicationinfo',
            name='expected_opens',
            field=models.DateField(blank=True, null=True, verbose_name='预计开始日期'),
        ),
    ]
