"""Backup that restores: export all content with its history, import it into an empty database."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from measures.domain.award_changes import ChangedAward
from measures.domain.models import Award, Clause, Measure, Policy
from measures.editing.backup import backed_up_models

MEASURE_3 = "/policies/kjcx-2025/measures/3/"

# Every test here empties the database or restores a backup, which moves the id sequences back.
pytestmark = pytest.mark.usefixtures("sequences_put_back")


@pytest.fixture
def edited_policy(real_policy, editor):
    """The real policy after an editor's day: a clause corrected with a reason, an award removed,
    a draft measure 7 prepared. History now goes beyond the loader's first versions."""
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=3, position=1)
    clause.text += "（编辑补注）"
    clause.updated_by = editor
    clause._history_user = editor
    clause._change_reason = "补充说明来源"
    clause.save()
    award = Award.objects.filter(clause__measure__policy=real_policy).order_by("pk").last()
    award._history_user = editor
    award._change_reason = "重复录入"
    award.delete()
    measure = Measure(
        policy=real_policy,
        pillar=real_policy.pillars.get(number=2),
        number=7,
        title="待发布的第七条",
        status="draft",
        updated_by=editor,
    )
    measure._history_user = editor
    measure._change_reason = "新增第七条草稿"
    measure.save()
    return real_policy


def export(tmp_path, name="backup.json"):
    path = tmp_path / name
    call_command("export_content", str(path), stdout=_Sink())
    return path


def import_(path):
    out = _Sink()
    call_command("import_content", str(path), stdout=out)
    return out.getvalue()


class _Sink:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def flush(self):
        pass

    def getvalue(self):
        return "".join(self.parts)


def main_text(response):
    """The page's content, without the header's per-request CSRF token."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def empty_the_database():
    """As if the site were freshly migrated on another machine: no content, no history, no editor
    accounts, and the id sequences starting again from 1."""
    models = backed_up_models()
    content = [m for m in models if not m.__name__.startswith("Historical")]
    history = [m for m in models if m.__name__.startswith("Historical")]
    Clause.objects.filter(draft_of__isnull=False).delete()
    for model in reversed(content):
        model._base_manager.all().delete()
    for model in history:  # after the content, whose deletion is itself recorded
        model._base_manager.all().delete()
    ChangedAward.objects.all().delete()  # the log of those deletions: a database just migrated has none
    User.objects.all().delete()
    sequences = [s for s in connection.introspection.sequence_list() if s["table"].startswith("measures_")]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
            cursor.execute(sql)


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_file(edited_policy, tmp_path, client):
    first = export(tmp_path, "first.json")
    page_before = main_text(client.get(MEASURE_3))
    empty_the_database()
    assert "（编辑补注）" in page_before
    assert Policy.objects.count() == 0 and client.get(MEASURE_3).status_code == 404

    import_(first)
    second = export(tmp_path, "second.json")

    assert second.read_bytes() == first.read_bytes()
    assert main_text(client.get(MEASURE_3)) == page_before


def test_the_restored_history_keeps_who_changed_what_and_why(edited_policy, tmp_path, editor):
    path = export(tmp_path)
    clause = Clause.objects.get(measure__number=3, position=1)
    versions_before = list(clause.history.values_list("history_type", "history_change_reason", "text"))
    empty_the_database()

    import_(path)

    clause = Clause.objects.get(measure__number=3, position=1)
    assert list(clause.history.values_list("history_type", "history_change_reason", "text")) == versions_before
    latest = clause.history.first()
    assert latest.history_change_reason == "补充说明来源"
    assert latest.history_user.username == "editor"
    assert clause.updated_by.username == "editor"
    assert Award.history.filter(history_type="-", history_change_reason="重复录入").count() == 1
    assert Measure.objects.get(number=7).status == "draft"


def test_two_exports_of_the_same_data_are_identical(edited_policy, tmp_path):
    assert export(tmp_path, "a.json").read_bytes() == export(tmp_path, "b.json").read_bytes()


def test_the_export_holds_every_content_and_history_row(edited_policy, tmp_path):
    document = json.loads(export(tmp_path).read_text(encoding="utf-8"))

    exported = {}
    for item in document["objects"]:
        exported[item["model"]] = exported.get(item["model"], 0) + 1
    for model in backed_up_models():
        assert exported.get(model._meta.label_lower, 0) == model.objects.count(), model
    assert exported["measures.historicalclause"] > Clause.objects.count()  # more than the first versions


def test_accounts_are_exported_by_name_without_their_password(edited_policy, tmp_path, editor):
    text = export(tmp_path).read_text(encoding="utf-8")

    assert editor.password not in text
    assert "password" not in text
    users = json.loads(text)["users"]
    assert users == [
        {
            "username": "editor",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_staff": True,
            "is_active": True,
            "groups": ["editors"],
        }
    ]


def test_restored_accounts_must_set_a_new_password_and_the_import_says_so(edited_policy, tmp_path, client):
    path = export(tmp_path)
    empty_the_database()

    output = import_(path)

    restored = User.objects.get(username="editor")
    assert not restored.has_usable_password()
    assert restored.is_staff and list(restored.groups.all()) == [Group.objects.get(name="editors")]
    assert "editor" in output and "changepassword" in output
    assert not client.login(username="editor", password="editor-password-1")


def test_the_export_can_go_to_standard_output(edited_policy, tmp_path, capsys):
    call_command("export_content")

    captured = capsys.readouterr()
    assert json.loads(captured.out)["format"] == "xmpolicy-content-backup"
    assert captured.out == export(tmp_path).read_text(encoding="utf-8")
    assert "changepassword" in captured.err


def test_an_import_into_a_database_with_content_is_refused_and_changes_nothing(edited_policy, tmp_path):
    path = export(tmp_path)
    before = path.read_bytes()

    with pytest.raises(CommandError, match="already holds policy content"):
        import_(path)

    assert export(tmp_path, "after.json").read_bytes() == before


@pytest.mark.usefixtures("empty_database")
def test_a_file_that_is_not_json_is_a_clear_error_and_imports_nothing(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "xmpolicy-content-backup", "objects": [', encoding="utf-8")

    with pytest.raises(CommandError, match="not valid JSON"):
        import_(path)

    assert Policy.objects.count() == 0 and not User.objects.exists()


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize("nesting", ["[" * 100_000, '{"a":' * 100_000, "[" * 100_000 + "]" * 100_000])
def test_deeply_nested_json_is_a_clear_error_not_a_traceback(db, tmp_path, nesting):
    path = tmp_path / "nested.json"
    path.write_text(nesting, encoding="utf-8")

    with pytest.raises(CommandError, match="nested too deeply"):
        import_(path)

    assert Policy.objects.count() == 0 and not User.objects.exists()


@pytest.mark.usefixtures("empty_database")
def test_a_json_file_that_is_not_a_backup_is_refused(db, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('[{"model": "measures.policy", "pk": 1, "fields": {}}]', encoding="utf-8")

    with pytest.raises(CommandError, match="not a backup file"):
        import_(path)

    assert Policy.objects.count() == 0


def test_a_backup_damaged_half_way_imports_nothing_at_all(edited_policy, tmp_path):
    path = export(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    awards = [item for item in document["objects"] if item["model"] == "measures.award"]
    awards[-1]["fields"]["clause"] = 999_999  # points at a clause that is not in the backup
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    empty_the_database()

    with pytest.raises(CommandError, match="nothing was imported"):
        import_(path)

    assert all(model.objects.count() == 0 for model in backed_up_models())
    assert not User.objects.exists()  # the accounts went back too


@pytest.mark.parametrize(
    ("model", "field", "value", "named"),
    [
        ("measures.clause", "source_url", "javascript:alert(1)", "source_url:"),
        ("measures.award", "amount_yuan", -5, "金额不能为负数"),
        ("measures.award", "limit", "unlimited", "limit:"),
    ],
)
def test_a_row_no_editor_could_save_is_refused_with_the_row_and_field_named(
    edited_policy, tmp_path, model, field, value, named
):
    path = export(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    row = next(item for item in document["objects"] if item["model"] == model)
    row["fields"][field] = value
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    empty_the_database()

    with pytest.raises(CommandError, match="nothing was imported") as refused:
        import_(path)

    assert f"{model.split('.')[1].capitalize()} {row['pk']}" in str(refused.value)
    assert named in str(refused.value)
    assert all(model.objects.count() == 0 for model in backed_up_models())


def test_after_an_import_editors_can_add_new_rows(edited_policy, tmp_path, editor):
    path = export(tmp_path)
    highest = Clause.objects.order_by("-pk").first().pk
    empty_the_database()
    import_(path)

    measure = Measure.objects.get(number=3)
    clause = Clause.objects.create(
        measure=measure,
        position=99,
        text="新增的一段。",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/",
    )
    measure.title += "（新）"
    measure.save()

    assert clause.pk > highest
    assert clause.history.count() == 1  # a new row is recorded as usual
    assert measure.history.first().title.endswith("（新）")
