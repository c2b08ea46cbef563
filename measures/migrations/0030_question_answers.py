# 政策问答 (measures/domain/questions.py): a measure's published questions and answers, with their history,
# followed by the public history (subject 'qa'), and counted in the content revision (as migration 0017
# counts the tables it names) when the row is visible to the public before or after the write: a 问答
# that is published on a published measure. A draft 问答, or one on a draft measure, moves no ETag.
#
# The trigger SQL is frozen here as it stood when this migration was written.

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


PREFIX = "measures_public_revision"
TABLE = "measures_questionanswer"
REVISION = "measures_contentrevision"
POSTGRESQL_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, clock_timestamp()) "
    f"ON CONFLICT (id) DO UPDATE SET counter = {REVISION}.counter + 1, changed_at = clock_timestamp();"
)
SQLITE_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET counter = counter + 1, changed_at = excluded.changed_at;"
)


def visible(row):
    """A 问答 the public sees (the row called `row`): published, on a published measure."""
    return (
        f"({row}.status = 'published' AND EXISTS (SELECT 1 FROM measures_measure m "
        f"WHERE m.id = {row}.measure_id AND m.status = 'published'))"
    )


def trigger_sql(vendor):
    """(create, drop): once per statement on PostgreSQL, from its transition tables; per row on SQLite,
    the test as WHEN."""
    create, drop = [], []
    if vendor == "postgresql":
        function = f"{PREFIX}_{TABLE}"
        create.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'DELETE' THEN IF EXISTS (SELECT 1 FROM new_rows r WHERE {visible('r')}) THEN "
            f"{POSTGRESQL_BUMP} RETURN NULL; END IF; END IF; "
            f"IF TG_OP <> 'INSERT' THEN IF EXISTS (SELECT 1 FROM old_rows r WHERE {visible('r')}) THEN "
            f"{POSTGRESQL_BUMP} END IF; END IF; RETURN NULL; END $$"
        )
        for event, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            name = f"{PREFIX}_{TABLE}_{event.lower()}"
            create.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {TABLE} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}")
        drop.append(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        tests = {
            "INSERT": visible("NEW"),
            "UPDATE": f"{visible('OLD')} OR {visible('NEW')}",
            "DELETE": visible("OLD"),
        }
        for event, test in tests.items():
            name = f"{PREFIX}_{TABLE}_{event.lower()}"
            create.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {TABLE} FOR EACH ROW WHEN {test} BEGIN {SQLITE_BUMP} END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


class CountPublicChanges(migrations.RunSQL):
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
        return "Count every write of a public 问答 in the content revision"


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0029_feedback'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='publicchange',
            name='subject',
            field=models.CharField(choices=[('measure', '措施'), ('clause', '条款'), ('award', '奖补金额'), ('kinds', '申报主体'), ('qa', '政策问答')], max_length=10, verbose_name='对象'),
        ),
        migrations.AlterField(
            model_name='publicstate',
            name='subject',
            field=models.CharField(choices=[('measure', '措施'), ('clause', '条款'), ('award', '奖补金额'), ('kinds', '申报主体'), ('qa', '政策问答')], max_length=10),
        ),
        migrations.CreateModel(
            name='HistoricalQuestionAnswer',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('history_batch', models.UUIDField(blank=True, editable=False, null=True, verbose_name='同批保存')),
                ('position', models.PositiveSmallIntegerField(default=1, help_text='在本条措施的问答中排第几，从1开始。', verbose_name='顺序')),
                ('question', models.TextField(help_text='由编辑整理的问题文字：可以改写访客的原话，但不得写入提问人的姓名、电话、邮箱等个人信息。', verbose_name='问题')),
                ('answer', models.TextField(help_text='向公众公开的答复，依据政策原文，不得编造条款或金额。', verbose_name='答复')),
                ('answered_on', models.DateField(default=django.utils.timezone.localdate, help_text='向公众显示的答复日期。', verbose_name='答复日期')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('published', '已发布')], default='draft', help_text='草稿只有编辑能看到；审核人发布后才出现在措施页面、修改记录、接口、下载和搜索中。', max_length=10, verbose_name='发布状态')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('clause', models.ForeignKey(blank=True, db_constraint=False, help_text='问答只涉及本条措施的某一段时选择；公开页面链接到那一段。', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.clause', verbose_name='涉及的条款')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.measure', verbose_name='所属措施')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': 'historical 政策问答',
                'verbose_name_plural': 'historical 政策问答',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='QuestionAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。', verbose_name='版本')),
                ('position', models.PositiveSmallIntegerField(default=1, help_text='在本条措施的问答中排第几，从1开始。', verbose_name='顺序')),
                ('question', models.TextField(help_text='由编辑整理的问题文字：可以改写访客的原话，但不得写入提问人的姓名、电话、邮箱等个人信息。', verbose_name='问题')),
                ('answer', models.TextField(help_text='向公众公开的答复，依据政策原文，不得编造条款或金额。', verbose_name='答复')),
                ('answered_on', models.DateField(default=django.utils.timezone.localdate, help_text='向公众显示的答复日期。', verbose_name='答复日期')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('published', '已发布')], default='draft', help_text='草稿只有编辑能看到；审核人发布后才出现在措施页面、修改记录、接口、下载和搜索中。', max_length=10, verbose_name='发布状态')),
                ('clause', models.ForeignKey(blank=True, help_text='问答只涉及本条措施的某一段时选择；公开页面链接到那一段。', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='questions', to='measures.clause', verbose_name='涉及的条款')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='questions', to='measures.measure', verbose_name='所属措施')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后编辑人')),
            ],
            options={
                'verbose_name': '政策问答',
                'verbose_name_plural': '政策问答',
                'ordering': ['measure', 'position'],
                'constraints': [models.UniqueConstraint(fields=('measure', 'position'), name='question_position_unique_in_measure')],
            },
        ),
        CountPublicChanges(),
    ]
