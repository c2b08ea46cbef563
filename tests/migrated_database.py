"""The SQLite test database as the migrations leave it (tables, indexes, triggers, the editors group),
kept in var/ between runs under a name made from every migration file's content and the versions of
Django and SQLite: a worker copies it into its in-memory test database instead of running the
migrations again. Any change to a migration names another file, so a stale copy is never used."""

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings

PREFIX = "test-db-migrated-"


def kept_copy() -> Path:
    """Where the copy for the migrations as they are now is (or would be) kept."""
    digest = hashlib.sha256(f"{django.get_version()} {sqlite3.sqlite_version}".encode())
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        for path in sorted((Path(config.path) / "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return Path(settings.VAR_DIR) / f"{PREFIX}{digest.hexdigest()[:16]}.sqlite3"


def restore(connection, copy: Path):
    """Replace the whole content of the connection's database by the copy's."""
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(copy)) as source:
        source.backup(connection.connection)


def keep(connection, copy: Path):
    """Write the connection's database (freshly migrated) to `copy`, replacing copies of older migrations.
    Written beside and renamed, so that another worker never reads half a file."""
    connection.ensure_connection()
    partial = copy.with_suffix(f".{os.getpid()}.partial")
    with contextlib.closing(sqlite3.connect(partial)) as target:
        connection.connection.backup(target)
    os.replace(partial, copy)
    for old in copy.parent.glob(f"{PREFIX}*.sqlite3"):
        if old != copy:
            old.unlink(missing_ok=True)
