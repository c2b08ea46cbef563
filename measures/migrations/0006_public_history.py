# The public history (measures/public_history.py): its two tables, filled by replaying the history
# recorded so far; and the content's change counter moved from the historical tables to the content
# tables, counting only changes the public can see (a draft's saves no longer move it).
#
# Everything below is frozen here as it stood when this migration was written: later changes to the
# live code must not change what this migration does.

from django.db import migrations, models

PUBLISHED = "published"

# The counter's old triggers (migration 0004), on the historical tables.
OLD_TABLES = [
    "measures_historicalaward",
    "measures_historicalclause",
    "measures_historicalmeasure",
    "measures_historicalpillar",
    "measures_historicalpolicy",
    "measures_historicalpolicysource",
]
OLD_PREFIX = "measures_count_change"

# The new ones, on the content tables: a change counts when the row is visible to the public before
# or after it (`r` is the row: OLD or NEW on SQLite, a transition table's row on PostgreSQL).
PREFIX = "measures_public_revision"
VISIBLE = {
    "measures_policy": "TRUE",
    "measures_policysource": "TRUE",
    "measures_pillar": "TRUE",
    "measures_measure": "r.status = 'published'",
    "measures_clause": (
        "r.status = 'published' AND r.draft_of_id IS NULL AND EXISTS (SELECT 1 FROM measures_measure m "
        "WHERE m.id = r.measure_id AND m.status = 'published')"
    ),
    "measures_award": (
        "r.status = 'published' AND EXISTS (SELECT 1 FROM measures_clause c JOIN measures_measure m "
        "ON m.id = c.measure_id WHERE c.id = r.clause_id AND c.status = 'published' "
        "AND c.draft_of_id IS NULL AND m.status = 'published')"
    ),
}
REVISION = "measures_contentrevision"
POSTGRESQL_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, clock_timestamp()) "
    f"ON CONFLICT (id) DO UPDATE SET counter = {REVISION}.counter + 1, changed_at = clock_timestamp();"
)
SQLITE_BUMP = (
    f"INSERT INTO {REVISION} (id, counter, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET counter = counter + 1, changed_at = excluded.changed_at;"
)


def old_trigger_sql(vendor):
    """(create, drop) of migration 0004's triggers."""
    create, drop = [], []
    if vendor == "postgresql":
        create.append(
            f"CREATE OR REPLACE FUNCTION {OLD_PREFIX}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{POSTGRESQL_BUMP} RETURN NULL; END $$"
        )
        for table in OLD_TABLES:
            name = f"{OLD_PREFIX}_{table}"
            create.append(
                f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {OLD_PREFIX}()"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        drop.append(f"DROP FUNCTION IF EXISTS {OLD_PREFIX}()")
    else:
        for table in OLD_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"{OLD_PREFIX}_{table}_{event.lower()}"
                create.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {SQLITE_BUMP} END")
                drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


def new_trigger_sql(vendor):
    """(create, drop) of the counter's triggers on the content tables. PostgreSQL counts once per
    statement (a bulk write of thousands of rows is one change), from the statement's transition
    tables; SQLite has only row triggers, each with the visibility test as its WHEN."""
    create, drop = [], []
    for table, visible in VISIBLE.items():
        if vendor == "postgresql":
            function = f"{PREFIX}_{table}"
            # Each test in its own IF: a statement naming a transition table the trigger lacks is
            # planned only if reached.
            create.append(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF TG_OP <> 'DELETE' THEN IF EXISTS (SELECT 1 FROM new_rows r WHERE {visible}) THEN "
                f"{POSTGRESQL_BUMP} RETURN NULL; END IF; END IF; "
                f"IF TG_OP <> 'INSERT' THEN IF EXISTS (SELECT 1 FROM old_rows r WHERE {visible}) THEN "
                f"{POSTGRESQL_BUMP} END IF; END IF; RETURN NULL; END $$"
            )
            for event, referencing in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            ):
                name = f"{PREFIX}_{table}_{event.lower()}"
                create.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            drop.append(f"DROP FUNCTION IF EXISTS {function}()")
        else:
            tests = {
                "INSERT": visible.replace("r.", "NEW."),
                "UPDATE": f"({visible.replace('r.', 'OLD.')}) OR ({visible.replace('r.', 'NEW.')})",
                "DELETE": visible.replace("r.", "OLD."),
            }
            for event, test in tests.items():
                name = f"{PREFIX}_{table}_{event.lower()}"
                create.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW WHEN {test} BEGIN {SQLITE_BUMP} END"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


class SwapTriggers(migrations.RunSQL):
    def __init__(self):
        super().__init__(migrations.RunSQL.noop, migrations.RunSQL.noop)

    def _run(self, schema_editor, statements):
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        self._run(schema_editor, old_trigger_sql(vendor)[1] + new_trigger_sql(vendor)[0])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        self._run(schema_editor, new_trigger_sql(vendor)[1] + old_trigger_sql(vendor)[0])

    def describe(self):
        return "The change counter's triggers move from the historical tables to the content tables"


# The replay of the history recorded so far (measures/public_history.py's rebuild, as it stood).

NOT_CONTENT = {"id", "created_at", "updated_at", "updated_by_id", "version", "search_tokens"}
NOT_PUBLIC = {"status", "draft_of_id"}
PARENT = {"clause": "measure_id", "award": "clause_id"}
LINKS = {"policy_id", "pillar_id", "measure_id", "clause_id"}


def replay_history(apps, schema_editor):
    alias = schema_editor.connection.alias
    PublicChange = apps.get_model("measures", "PublicChange")
    PublicState = apps.get_model("measures", "PublicState")
    names, records = {}, []
    for order, subject in enumerate(("measure", "clause", "award")):
        history = apps.get_model("measures", f"Historical{subject.capitalize()}")
        fields = [f.attname for f in history._meta.concrete_fields if not f.name.startswith("history_")]
        names[subject] = [n for n in fields if n not in NOT_CONTENT | NOT_PUBLIC]
        columns = ["history_id", "history_type", "history_date", "history_change_reason", *fields]
        for row in history.objects.using(alias).order_by().values(*columns).iterator():
            records.append((row["history_date"], order, row["history_id"], subject, row))
    records.sort(key=lambda item: item[:3])

    current = {"measure": {}, "clause": {}, "award": {}}
    children = {"measure": {}, "clause": {}}  # measure id -> clause ids, clause id -> award ids
    known, entries = {}, []

    def measure_visible(pk):
        measure = current["measure"].get(pk)
        return measure is not None and measure["status"] == PUBLISHED

    def clause_visible(clause):
        return measure_visible(clause["measure_id"]) and clause["status"] == PUBLISHED and clause["draft_of_id"] is None

    def state(subject, row, visible, measure_id, position):
        values = {n: row[n] for n in names[subject]} if visible else {}
        return (subject, row["id"], visible, values, measure_id, position)

    def clause_states(clause):
        visible = clause_visible(clause)
        found = [state("clause", clause, visible, clause["measure_id"], clause["position"])]
        for award_id in sorted(children["clause"].get(clause["id"], ())):
            award = current["award"][award_id]
            award_visible = visible and award["status"] == PUBLISHED
            found.append(state("award", award, award_visible, clause["measure_id"], clause["position"]))
        return found

    for date, _order, history_id, subject, row in records:
        pk, kind_of_record = row["id"], row["history_type"]
        previous = current[subject].get(pk)
        if kind_of_record == "-":
            current[subject].pop(pk, None)
        else:
            current[subject][pk] = row
        if subject in PARENT:
            parent_of = children["measure" if subject == "clause" else "clause"]
            if previous is not None:
                parent_of.get(previous[PARENT[subject]], set()).discard(pk)
            if kind_of_record != "-":
                parent_of.setdefault(row[PARENT[subject]], set()).add(pk)

        gone = (subject, pk, False, {}, None, None)
        if kind_of_record == "-":
            states = [gone]
        elif subject == "measure":
            states = [state("measure", row, row["status"] == PUBLISHED, pk, None)]
            for clause_id in sorted(children["measure"].get(pk, ())):
                if current["clause"][clause_id]["draft_of_id"] is None:
                    states += clause_states(current["clause"][clause_id])
        elif subject == "clause":
            states = clause_states(row)
        else:
            clause = current["clause"].get(row["clause_id"])
            visible = clause is not None and clause_visible(clause) and row["status"] == PUBLISHED
            states = [state("award", row, visible, clause and clause["measure_id"], clause and clause["position"])]

        for s_subject, s_id, visible, values, measure_id, position in states:
            before = known.get((s_subject, s_id))
            was_visible = before is not None and before["visible"]
            kind = old = new = moved = None
            if was_visible and visible:
                parent = PARENT.get(s_subject)
                moved = parent is not None and before["values"].get(parent) != values.get(parent)
                shown = [n for n in names[s_subject] if n not in LINKS]
                if moved or any(before["values"].get(n) != values.get(n) for n in shown):
                    kind, old, new = "changed", before["values"], values
            elif visible:
                kind, old, new = ("created" if kind_of_record == "+" else "published"), {}, values
            elif was_visible:
                kind = "deleted" if kind_of_record == "-" else "withdrawn"
                old, new = (before["values"], {}) if kind == "deleted" else ({}, {})
            if visible:
                known[(s_subject, s_id)] = {
                    "visible": True, "values": values, "measure_id": measure_id, "clause_position": position
                }
            elif before is not None:
                known[(s_subject, s_id)] = {**before, "visible": False}
            if kind is not None and (s_subject, s_id) == (subject, pk):
                place = before if not visible else {"measure_id": measure_id, "clause_position": position}
                entries.append(
                    PublicChange(
                        date=date,
                        kind=kind,
                        subject=subject,
                        object_id=pk,
                        history_id=history_id,
                        measure_id=place["measure_id"],
                        clause_position=place["clause_position"],
                        moved_from_measure_id=before["measure_id"] if moved else None,
                        moved_from_clause_position=before["clause_position"] if moved else None,
                        old_values=old,
                        new_values=new,
                        reason=row["history_change_reason"] or "",
                    )
                )
    PublicState.objects.using(alias).bulk_create(
        [PublicState(subject=s, object_id=i, **fields) for (s, i), fields in known.items()], batch_size=2000
    )
    PublicChange.objects.using(alias).bulk_create(entries, batch_size=2000)


def forget_history(apps, schema_editor):
    apps.get_model("measures", "PublicChange").objects.using(schema_editor.connection.alias).all().delete()
    apps.get_model("measures", "PublicState").objects.using(schema_editor.connection.alias).all().delete()



class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0005_award_listing'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateTimeField(verbose_name='时间')),
                ('kind', models.CharField(choices=[('created', '首次录入'), ('changed', '修改'), ('published', '发布'), ('withdrawn', '撤回'), ('deleted', '删除')], max_length=10, verbose_name='类型')),
                ('subject', models.CharField(choices=[('measure', '措施'), ('clause', '条款'), ('award', '奖补金额')], max_length=10, verbose_name='对象')),
                ('object_id', models.BigIntegerField(verbose_name='对象编号')),
                ('history_id', models.BigIntegerField(verbose_name='历史记录编号')),
                ('measure_id', models.BigIntegerField(verbose_name='所在措施')),
                ('clause_position', models.PositiveSmallIntegerField(null=True, verbose_name='段落序号')),
                ('moved_from_measure_id', models.BigIntegerField(null=True, verbose_name='移出的措施')),
                ('moved_from_clause_position', models.PositiveSmallIntegerField(null=True, verbose_name='移出的段落')),
                ('old_values', models.JSONField(default=dict, verbose_name='修改前（公开的内容）')),
                ('new_values', models.JSONField(default=dict, verbose_name='修改后（公开的内容）')),
                ('reason', models.TextField(blank=True, verbose_name='变更说明')),
            ],
            options={
                'verbose_name': '公开修改记录',
                'verbose_name_plural': '公开修改记录',
                'ordering': ['-date', '-id'],
                'indexes': [models.Index(fields=['-date', '-id'], name='public_change_newest'), models.Index(fields=['measure_id', '-date'], name='public_change_of_measure'), models.Index(fields=['moved_from_measure_id'], name='public_change_moved_from')],
            },
        ),
        migrations.CreateModel(
            name='PublicState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(choices=[('measure', '措施'), ('clause', '条款'), ('award', '奖补金额')], max_length=10)),
                ('object_id', models.BigIntegerField()),
                ('visible', models.BooleanField()),
                ('values', models.JSONField(default=dict)),
                ('measure_id', models.BigIntegerField(null=True)),
                ('clause_position', models.PositiveSmallIntegerField(null=True)),
            ],
            options={
                'verbose_name': '公开状态',
                'constraints': [models.UniqueConstraint(fields=('subject', 'object_id'), name='public_state_per_row')],
            },
        ),
        migrations.AddField(
            model_name='historicalaward',
            name='history_batch',
            field=models.UUIDField(blank=True, editable=False, null=True, verbose_name='同批保存'),
        ),
        migrations.AddField(
            model_name='historicalclause',
            name='history_batch',
            field=models.UUIDField(blank=True, editable=False, null=True, verbose_name='同批保存'),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='history_batch',
            field=models.UUIDField(blank=True, editable=False, null=True, verbose_name='同批保存'),
        ),
        migrations.RunPython(replay_history, forget_history),
        SwapTriggers(),
    ]
