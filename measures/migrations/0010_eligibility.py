# Who can apply and how (measures/domain/eligibility.py): recipient kinds and their links to awards,
# responsible departments, application facts per measure or award and their guides, each with its
# history, and the content revision's triggers on their tables (as migration 0008 put on the related
# documents'): none of them has drafts, so every write counts as a public change.
#
# The trigger SQL is frozen here as it stood when this migration was written.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


PREFIX = "measures_public_revision"
TABLES = [
    "measures_recipientkind",
    "measures_awardrecipientkind",
    "measures_department",
    "measures_applicationinfo",
    "measures_applicationdepartment",
    "measures_applicationguide",
]
REVISION = "measures_contentrevision"
POSTGRESQL_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, clock_timestamp()) "
    f"ON CONFLICT (id) DO UPDATE SET counter = {REVISION}.counter + 1, changed_at = clock_timestamp();"
)
SQLITE_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET counter = counter + 1, changed_at = excluded.changed_at;"
)


def trigger_sql(vendor):
    """(create, drop): one count per statement on PostgreSQL, per row on SQLite; every row is public."""
    create, drop = [], []
    for table in TABLES:
        if vendor == "postgresql":
            function = f"{PREFIX}_{table}"
            create.append(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{POSTGRESQL_BUMP} RETURN NULL; END $$"
            )
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"{PREFIX}_{table}_{event.lower()}"
                create.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            drop.append(f"DROP FUNCTION IF EXISTS {function}()")
        else:
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"{PREFIX}_{table}_{event.lower()}"
                create.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {SQLITE_BUMP} END")
                drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


class CountChanges(migrations.RunSQL):
    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def _run(self, schema_editor, statements):
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, trigger_sql(schema_editor.connection.vendor)[0])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, trigger_sql(schema_editor.connection.vendor)[1])

    def describe(self):
        return "Count every change of who can apply and how in the content revision"


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0009_subscriptions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApplicationInfo',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('delivery_mode', models.CharField(choices=[('automatic', '免申即享'), ('on_application', '依申请'), ('unspecified', '未注明')], default='unspecified', help_text='来源未写明时保持“未注明”：公众页面显示“待录入”。', max_length=16, verbose_name='兑现方式')),
                ('window_kind', models.CharField(choices=[('year_round', '常年受理'), ('dates', '按申报时间段'), ('annual_notice', '以年度通知为准'), ('unpublished', '未公布')], default='unpublished', help_text='选“按申报时间段”时填写起止日期；来源未给出时保持“未公布”：公众页面显示“待录入”。', max_length=16, verbose_name='申报时间')),
                ('window_opens', models.DateField(blank=True, null=True, verbose_name='申报开始日期')),
                ('window_closes', models.DateField(blank=True, null=True, verbose_name='申报截止日期')),
                ('materials', models.TextField(blank=True, help_text='照申报通知或指南录入；不知道时留空。', verbose_name='所需材料')),
                ('hotline', models.CharField(blank=True, help_text='不知道时留空。', max_length=100, verbose_name='咨询电话')),
                ('award', models.OneToOneField(blank=True, help_text='只在这笔奖补与所在措施不同时填写：这里填写的各项优先于措施的。', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='application_info', to='measures.award', verbose_name='奖补金额')),
                ('measure', models.OneToOneField(blank=True, help_text='这条措施所有奖补共同的申兑信息。与“奖补金额”二选一。', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='application_info', to='measures.measure', verbose_name='措施')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': '申兑信息',
                'verbose_name_plural': '申兑信息',
                'ordering': ['measure_id', 'award_id'],
            },
        ),
        migrations.CreateModel(
            name='ApplicationDepartment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
                ('info', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='department_links', to='measures.applicationinfo', verbose_name='申兑信息')),
            ],
            options={
                'verbose_name': '责任单位',
                'verbose_name_plural': '责任单位',
                'ordering': ['info_id', 'department_id'],
            },
        ),
        migrations.CreateModel(
            name='AwardRecipientKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('award', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='kind_links', to='measures.award', verbose_name='奖补金额')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': '奖补的申报主体',
                'verbose_name_plural': '奖补的申报主体',
                'ordering': ['award_id', 'kind_id'],
            },
        ),
        migrations.CreateModel(
            name='Department',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('name', models.CharField(help_text='单位全称，如“厦门市科学技术局”。', max_length=100, unique=True, verbose_name='名称')),
                ('phone', models.CharField(blank=True, help_text='来源给出的咨询电话；不知道时留空。', max_length=100, verbose_name='电话')),
                ('website', models.URLField(blank=True, max_length=500, verbose_name='网站')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': '责任单位',
                'verbose_name_plural': '责任单位',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='applicationinfo',
            name='departments',
            field=models.ManyToManyField(blank=True, related_name='application_infos', through='measures.ApplicationDepartment', to='measures.department', verbose_name='责任单位'),
        ),
        migrations.AddField(
            model_name='applicationdepartment',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='info_links', to='measures.department', verbose_name='责任单位'),
        ),
        migrations.CreateModel(
            name='HistoricalApplicationDepartment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.department', verbose_name='责任单位')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('info', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.applicationinfo', verbose_name='申兑信息')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': 'historical 责任单位',
                'verbose_name_plural': 'historical 责任单位',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalApplicationGuide',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('position', models.PositiveSmallIntegerField(default=1, verbose_name='顺序')),
                ('title', models.CharField(help_text='指南或通知的标题，照来源录入。', max_length=200, verbose_name='标题')),
                ('url', models.URLField(max_length=500, verbose_name='网址')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('info', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.applicationinfo', verbose_name='申兑信息')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': 'historical 申兑指南',
                'verbose_name_plural': 'historical 申兑指南',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalApplicationInfo',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('delivery_mode', models.CharField(choices=[('automatic', '免申即享'), ('on_application', '依申请'), ('unspecified', '未注明')], default='unspecified', help_text='来源未写明时保持“未注明”：公众页面显示“待录入”。', max_length=16, verbose_name='兑现方式')),
                ('window_kind', models.CharField(choices=[('year_round', '常年受理'), ('dates', '按申报时间段'), ('annual_notice', '以年度通知为准'), ('unpublished', '未公布')], default='unpublished', help_text='选“按申报时间段”时填写起止日期；来源未给出时保持“未公布”：公众页面显示“待录入”。', max_length=16, verbose_name='申报时间')),
                ('window_opens', models.DateField(blank=True, null=True, verbose_name='申报开始日期')),
                ('window_closes', models.DateField(blank=True, null=True, verbose_name='申报截止日期')),
                ('materials', models.TextField(blank=True, help_text='照申报通知或指南录入；不知道时留空。', verbose_name='所需材料')),
                ('hotline', models.CharField(blank=True, help_text='不知道时留空。', max_length=100, verbose_name='咨询电话')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('award', models.ForeignKey(blank=True, db_constraint=False, help_text='只在这笔奖补与所在措施不同时填写：这里填写的各项优先于措施的。', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.award', verbose_name='奖补金额')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(blank=True, db_constraint=False, help_text='这条措施所有奖补共同的申兑信息。与“奖补金额”二选一。', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.measure', verbose_name='措施')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': 'historical 申兑信息',
                'verbose_name_plural': 'historical 申兑信息',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDepartment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('name', models.CharField(db_index=True, help_text='单位全称，如“厦门市科学技术局”。', max_length=100, verbose_name='名称')),
                ('phone', models.CharField(blank=True, help_text='来源给出的咨询电话；不知道时留空。', max_length=100, verbose_name='电话')),
                ('website', models.URLField(blank=True, max_length=500, verbose_name='网站')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': 'historical 责任单位',
                'verbose_name_plural': 'historical 责任单位',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRecipientKind',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('slug', models.SlugField(help_text='出现在政策计算器的网址中（/calculator/?kind=网址标识），只用小写字母、数字和连字符；发布后请勿修改。', verbose_name='网址标识')),
                ('name', models.CharField(db_index=True, help_text='照政策原文的说法，如“科技型企业孵化器”。', max_length=100, verbose_name='名称')),
                ('explanation', models.CharField(blank=True, help_text='简短说明这类主体是什么、出自哪条措施的哪句话；不写原文没有的条件。', max_length=300, verbose_name='说明')),
                ('group', models.CharField(choices=[('platform', '创新平台'), ('base', '合作基地'), ('incubator', '孵化载体'), ('project', '项目'), ('enterprise', '企业')], help_text='政策计算器按类别分组列出。', max_length=12, verbose_name='类别')),
                ('order', models.PositiveSmallIntegerField(default=100, help_text='同类别中的先后，小的在前。', verbose_name='排序')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': 'historical 申报主体类别',
                'verbose_name_plural': 'historical 申报主体类别',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='RecipientKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('slug', models.SlugField(help_text='出现在政策计算器的网址中（/calculator/?kind=网址标识），只用小写字母、数字和连字符；发布后请勿修改。', unique=True, verbose_name='网址标识')),
                ('name', models.CharField(help_text='照政策原文的说法，如“科技型企业孵化器”。', max_length=100, unique=True, verbose_name='名称')),
                ('explanation', models.CharField(blank=True, help_text='简短说明这类主体是什么、出自哪条措施的哪句话；不写原文没有的条件。', max_length=300, verbose_name='说明')),
                ('group', models.CharField(choices=[('platform', '创新平台'), ('base', '合作基地'), ('incubator', '孵化载体'), ('project', '项目'), ('enterprise', '企业')], help_text='政策计算器按类别分组列出。', max_length=12, verbose_name='类别')),
                ('order', models.PositiveSmallIntegerField(default=100, help_text='同类别中的先后，小的在前。', verbose_name='排序')),
                ('awards', models.ManyToManyField(blank=True, related_name='recipient_kinds', through='measures.AwardRecipientKind', to='measures.award', verbose_name='可申请的奖补')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': '申报主体类别',
                'verbose_name_plural': '申报主体类别',
                'ordering': ['order', 'slug'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAwardRecipientKind',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('award', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.award', verbose_name='奖补金额')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
                ('kind', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.recipientkind', verbose_name='申报主体类别')),
            ],
            options={
                'verbose_name': 'historical 奖补的申报主体',
                'verbose_name_plural': 'historical 奖补的申报主体',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='awardrecipientkind',
            name='kind',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='award_links', to='measures.recipientkind', verbose_name='申报主体类别'),
        ),
        migrations.CreateModel(
            name='ApplicationGuide',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('position', models.PositiveSmallIntegerField(default=1, verbose_name='顺序')),
                ('title', models.CharField(help_text='指南或通知的标题，照来源录入。', max_length=200, verbose_name='标题')),
                ('url', models.URLField(max_length=500, verbose_name='网址')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
                ('info', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='guides', to='measures.applicationinfo', verbose_name='申兑信息')),
            ],
            options={
                'verbose_name': '申兑指南',
                'verbose_name_plural': '申兑指南',
                'ordering': ['info_id', 'position'],
                'constraints': [models.UniqueConstraint(fields=('info', 'position'), name='application_guide_position_unique')],
            },
        ),
        migrations.AddConstraint(
            model_name='applicationinfo',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('award__isnull', True), ('measure__isnull', False)), models.Q(('award__isnull', False), ('measure__isnull', True)), _connector='OR'), name='application_info_for_measure_or_award', violation_error_message='申兑信息属于一条措施或一笔奖补，二者选一。'),
        ),
        migrations.AddConstraint(
            model_name='applicationdepartment',
            constraint=models.UniqueConstraint(fields=('info', 'department'), name='application_department_unique'),
        ),
        migrations.AddConstraint(
            model_name='awardrecipientkind',
            constraint=models.UniqueConstraint(fields=('award', 'kind'), name='award_recipient_kind_unique'),
        ),
        CountChanges(),
    ]
