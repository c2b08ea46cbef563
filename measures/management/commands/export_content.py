from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from measures.editing import backup


class Command(BaseCommand):
    help = (
        "Write all policy content with its full history, and the accounts that edited it (without "
        "passwords), to one JSON file that `import_content` restores into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="where to write the backup (default: standard output)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database to export (default: default)")

    def handle(self, *args, path, database, **options):
        text = backup.export_content(using=database)
        if path is None:
            self.stdout.write(text, ending="")
            note = self.stderr  # keep standard output pure JSON
        else:
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
            note = self.stdout
            note.write(f"Wrote {path} ({len(text.encode()):,} bytes).")
        note.write(
            "Passwords are not in the backup: accounts restored from it must be given a new password "
            "(`manage.py changepassword USERNAME`) before they can log in."
        )
