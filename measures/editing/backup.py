"""Backup: all of the policy content, with its full history, as one JSON document, and back.

The document holds every row of every model of the measures app (content and its Historical*
tables, in dependency order, each by primary key) and the accounts those rows name as editors.
Content keeps its primary keys, so the history's references to it stay true after a restore;
accounts are named by username (Django's natural key), so their ids do not matter. Password
hashes are never written: a restored account has no usable password until one is set.

Two exports of the same data are byte-identical (fixed model order, rows by primary key, fields in
model order, timestamps with their full precision), so a restore can be checked by exporting again
and comparing.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction
from simple_history.models import HistoricalChanges

from measures.domain import public_history

FORMAT = "xmpolicy-content-backup"
VERSION = 1
APP_LABEL = "measures"
# What is kept of an account: enough to say who made each change, nothing to log in with.
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_staff", "is_active")
# Models whose rows are computed from the others, never backed up.
DERIVED = {"contentrevision", "publicchange", "publicstate", "changedaward"}
# Subscribers' addresses are personal data, not policy content: never written to a backup file, which
# editors handle and keep (measures/domain/subscriptions.py). Nor are visitors' 纠错 and 提问, which
# may hold an address (measures/domain/feedback.py).
PERSONAL = {"subscription", "delivery", "reminder", "feedback", "historicalfeedback"}


class BackupError(Exception):
    """A backup that cannot be written or restored; the message is for the person running it."""


@dataclass
class ImportReport:
    rows: dict[str, int] = field(default_factory=dict)
    users_created: list[str] = field(default_factory=list)
    users_existing: list[str] = field(default_factory=list)


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but timestamps keep their microseconds (it rounds them to milliseconds,
    which would make a restored history differ from the original)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def backed_up_models():
    """Every model of the measures app, each after the models it points to (content before history);
    not what is derived from them: the change counter and the log of the awards' changes, which the
    database's triggers keep (measures/domain/revision.py, award_changes.py), and the public history,
    replayed from the history after a restore; nor the e-mail alerts' subscriptions and visitors'
    messages (PERSONAL); nor a table Django does not manage (search's own)."""
    models = [
        m
        for m in apps.get_app_config(APP_LABEL).get_models()
        if m._meta.managed and m._meta.model_name not in DERIVED | PERSONAL
    ]
    ordered, placed = [], set()

    def place(model, path=()):
        if model in placed:
            return
        if model in path:  # a cycle other than a self-reference: keep the app's order
            return
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target in models and target is not model:
                place(target, (*path, model))
        placed.add(model)
        ordered.append(model)

    # The content first, then its history: a reader of the file meets each row before its versions.
    for model in sorted(models, key=lambda model: issubclass(model, HistoricalChanges)):
        place(model)
    return ordered


def _user_fields(model):
    user_model = get_user_model()
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model]


def _referenced_users(models, using):
    ids = set()
    for model in models:
        for f in _user_fields(model):
            ids.update(model._base_manager.using(using).exclude(**{f.attname: None}).values_list(f.attname, flat=True))
    user_model = get_user_model()
    return user_model._base_manager.using(using).filter(pk__in=ids).order_by(user_model.USERNAME_FIELD)


def export_content(using=DEFAULT_DB_ALIAS) -> str:
    """The whole backup as JSON text (UTF-8, Chinese kept readable)."""
    models = backed_up_models()
    with transaction.atomic(using=using):  # one consistent snapshot on PostgreSQL
        users = [
            {
                **{name: getattr(user, name) for name in USER_FIELDS},
                "groups": sorted(user.groups.values_list("name", flat=True)),
            }
            for user in _referenced_users(models, using)
        ]
        objects = []
        for model in models:
            rows = model._base_manager.using(using).order_by("pk")
            objects.extend(serializers.serialize("python", rows.iterator(), use_natural_foreign_keys=True))
    document = {"format": FORMAT, "version": VERSION, "users": users, "objects": objects}
    return json.dumps(document, cls=_Encoder, ensure_ascii=False, indent=1) + "\n"


def content_counts(using=DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per model of the measures app that are not empty (one query per model)."""
    counts = {model._meta.label: model._base_manager.using(using).count() for model in backed_up_models()}
    return {label: n for label, n in counts.items() if n}


def _read(text: str) -> dict:
    try:
        document = json.loads(text)
    except (ValueError, TypeError) as error:
        raise BackupError(f"This is not a backup file: it is not valid JSON ({error}).") from None
    except RecursionError:  # json's parser recurses once per level: [[[[… a hundred thousand deep
        raise BackupError("This is not a backup file: its JSON is nested too deeply to read.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"This is not a backup file: it does not say format {FORMAT!r}.")
    if document.get("version") != VERSION:
        raise BackupError(f"This backup is version {document.get('version')!r}; this site reads version {VERSION}.")
    if not isinstance(document.get("users"), list) or not isinstance(document.get("objects"), list):
        raise BackupError("This backup file is damaged: it lacks its list of users or of objects.")
    return document


def import_content(text: str, using=DEFAULT_DB_ALIAS) -> ImportReport:
    """Restore a backup into a database without policy content: all of it, or nothing.

    Rows are saved raw (as `loaddata` does): no model save(), no history record for the restore
    itself, timestamps and versions exactly as exported. Afterwards the database's id sequences
    are moved past the restored ids, so the next clause an editor adds gets a fresh id.
    """
    document = _read(text)
    existing = content_counts(using)
    if existing:
        listed = ", ".join(f"{n} {label}" for label, n in existing.items())
        raise BackupError(
            f"The database already holds policy content ({listed}). Import only into an empty database "
            "(after `migrate`, before `load_policy`)."
        )
    report = ImportReport()
    connection = connections[using]
    models = backed_up_models()
    try:
        with transaction.atomic(using=using):
            _create_users(document["users"], using, report)
            with connection.constraint_checks_disabled():
                for restored in serializers.deserialize("python", document["objects"], using=using):
                    if restored.object._meta.app_label != APP_LABEL:
                        raise BackupError(f"This backup holds a {restored.object._meta.label}, which is not content.")
                    _validate(restored.object)
                    restored.save(using=using)
                    label = restored.object._meta.label
                    report.rows[label] = report.rows.get(label, 0) + 1
            connection.check_constraints(table_names=[model._meta.db_table for model in models])
            _reset_sequences(connection, models)
            public_history.rebuild(using)
    except (DeserializationError, IntegrityError, DatabaseError, ValueError, TypeError, LookupError) as error:
        raise BackupError(f"The backup could not be restored, and nothing was imported: {error}") from error
    return report


def _validate(obj):
    """A content row is checked as the admin checks an editor's (field rules, the model's own rules),
    so that a hand-edited backup cannot restore what no editor could save: a `javascript:` source
    address, a negative amount, a measure numbered past its policy's count. History is kept as it was."""
    if isinstance(obj, HistoricalChanges):
        return
    try:
        obj.full_clean()
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        raise BackupError(
            f"{obj._meta.label} {obj.pk} is not valid content ({problems}); nothing was imported."
        ) from None


def _create_users(users, using, report):
    user_model = get_user_model()
    manager = user_model._default_manager.db_manager(using)
    for entry in users:
        if not isinstance(entry, dict) or not entry.get("username"):
            raise BackupError(f"This backup file is damaged: a user without a username ({entry!r}).")
        if manager.filter(username=entry["username"]).exists():
            report.users_existing.append(entry["username"])
            continue
        user = user_model(**{name: entry[name] for name in USER_FIELDS if name in entry})
        user.set_unusable_password()
        user.save(using=using)
        groups = [Group.objects.using(using).get_or_create(name=name)[0] for name in entry.get("groups", [])]
        user.groups.set(groups)
        report.users_created.append(user.username)


def _reset_sequences(connection, models):
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
