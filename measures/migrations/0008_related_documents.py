# Related documents (measures/domain/documents.py): the documents and the measures they concern, with
# their history, and the content revision's triggers on both tables (as migration 0006 put on the other
# content tables): related documents have no drafts, so every write of theirs is a public change.
#
# The trigger SQL is frozen here as it stood when this migration was written.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


PREFIX = "measures_public_revision"
TABLES = ["measures_relateddocument", "measures_relateddocumentmeasure"]
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
        return "Count every change of a related document in the content revision"


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0007_search_index_in_model'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalRelatedDocument',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('position', models.PositiveSmallIntegerField(default=1, help_text='在政策的相关文件中排第几，从1开始。', verbose_name='顺序')),
                ('title', models.CharField(help_text='文件全称，不含书名号，照来源录入。', max_length=200, verbose_name='标题')),
                ('document_number', models.CharField(blank=True, help_text='来源未给出时留空：公众页面显示“待录入”，不要推测。', max_length=100, verbose_name='文号')),
                ('issuing_body', models.CharField(blank=True, help_text='来源未写明时留空：公众页面显示“待录入”。', max_length=200, verbose_name='发文机关')),
                ('date', models.DateField(blank=True, help_text='来源给出的日期；不知道时留空。', null=True, verbose_name='日期')),
                ('date_kind', models.CharField(choices=[('issued', '印发日期'), ('published', '发布日期'), ('republished', '转载日期')], default='published', help_text='这个日期是文件的印发日期、发布日期，还是转载页面的日期。', max_length=12, verbose_name='日期性质')),
                ('url', models.URLField(blank=True, help_text='可以读到这份文件的网址。', max_length=500, verbose_name='链接')),
                ('relation', models.CharField(choices=[('implements', '配套文件'), ('interprets', '政策解读'), ('draft_for_comment', '征求意见稿'), ('cites', '引用')], help_text='配套文件：落实本政策的文件；政策解读；征求意见稿：尚未定稿的配套文件；引用：只提到本政策。', max_length=20, verbose_name='与政策的关系')),
                ('quotation', models.TextField(blank=True, help_text='文件中提到本政策的那一句，照录原文（包括原文的标点），不要改写。', verbose_name='引用原文')),
                ('note', models.CharField(blank=True, help_text='向公众显示：来源的情况、尚未确认的事项。', max_length=300, verbose_name='说明')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('policy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.policy', verbose_name='政策')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': 'historical 相关文件',
                'verbose_name_plural': 'historical 相关文件',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='RelatedDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('position', models.PositiveSmallIntegerField(default=1, help_text='在政策的相关文件中排第几，从1开始。', verbose_name='顺序')),
                ('title', models.CharField(help_text='文件全称，不含书名号，照来源录入。', max_length=200, verbose_name='标题')),
                ('document_number', models.CharField(blank=True, help_text='来源未给出时留空：公众页面显示“待录入”，不要推测。', max_length=100, verbose_name='文号')),
                ('issuing_body', models.CharField(blank=True, help_text='来源未写明时留空：公众页面显示“待录入”。', max_length=200, verbose_name='发文机关')),
                ('date', models.DateField(blank=True, help_text='来源给出的日期；不知道时留空。', null=True, verbose_name='日期')),
                ('date_kind', models.CharField(choices=[('issued', '印发日期'), ('published', '发布日期'), ('republished', '转载日期')], default='published', help_text='这个日期是文件的印发日期、发布日期，还是转载页面的日期。', max_length=12, verbose_name='日期性质')),
                ('url', models.URLField(blank=True, help_text='可以读到这份文件的网址。', max_length=500, verbose_name='链接')),
                ('relation', models.CharField(choices=[('implements', '配套文件'), ('interprets', '政策解读'), ('draft_for_comment', '征求意见稿'), ('cites', '引用')], help_text='配套文件：落实本政策的文件；政策解读；征求意见稿：尚未定稿的配套文件；引用：只提到本政策。', max_length=20, verbose_name='与政策的关系')),
                ('quotation', models.TextField(blank=True, help_text='文件中提到本政策的那一句，照录原文（包括原文的标点），不要改写。', verbose_name='引用原文')),
                ('note', models.CharField(blank=True, help_text='向公众显示：来源的情况、尚未确认的事项。', max_length=300, verbose_name='说明')),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='related_documents', to='measures.policy', verbose_name='政策')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': '相关文件',
                'verbose_name_plural': '相关文件',
                'ordering': ['policy', 'position'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalRelatedDocumentMeasure',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.measure', verbose_name='措施')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
                ('document', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.relateddocument', verbose_name='相关文件')),
            ],
            options={
                'verbose_name': 'historical 涉及的措施',
                'verbose_name_plural': 'historical 涉及的措施',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='RelatedDocumentMeasure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measure_links', to='measures.relateddocument', verbose_name='相关文件')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='document_links', to='measures.measure', verbose_name='措施')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': '涉及的措施',
                'verbose_name_plural': '涉及的措施',
                'ordering': ['document', 'measure'],
            },
        ),
        migrations.AddField(
            model_name='relateddocument',
            name='measures',
            field=models.ManyToManyField(blank=True, related_name='related_documents', through='measures.RelatedDocumentMeasure', to='measures.measure', verbose_name='涉及的措施'),
        ),
        migrations.AddConstraint(
            model_name='relateddocumentmeasure',
            constraint=models.UniqueConstraint(fields=('document', 'measure'), name='related_document_measure_unique'),
        ),
        migrations.AddConstraint(
            model_name='relateddocument',
            constraint=models.UniqueConstraint(fields=('policy', 'position'), name='related_document_position_unique'),
        ),
        CountChanges(),
    ]
