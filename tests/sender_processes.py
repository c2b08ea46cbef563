"""The alerts' senders as separate processes (manage.py send_notifications, send_reminders) on the test
database, for the tests that run two at once: on PostgreSQL they share the test database; on SQLite (an
in-memory test database) a copy of it in a file."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent


def database_url(tmp_path) -> str:
    """The test database, as a URL another process can open."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings["USER"] or "postgres"
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        return f"postgres://{user}{password}@{host}/{settings['NAME']}"
    path = tmp_path / "senders.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])  # the in-memory test database, committed, into a file
    return f"sqlite:///{path}"


def sender(database, port, *command, **popen):
    """`manage.py <command>` on `database`, mailing through the SMTP server on `port`."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "EMAIL_URL", "SITE_URL"}}
    env.update(DATABASE_URL=database, EMAIL_URL=f"smtp://127.0.0.1:{port}", XMPOLICY_ENV="local")
    command = [sys.executable, "manage.py", *(command or ["send_notifications"])]
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)
