import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from measures.editing import backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `export_content` into a database that holds no policy content "
        "yet (after `migrate`): everything in one transaction, or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file, or - for standard input")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database to restore into")

    def handle(self, *args, path, database, **options):
        try:
            text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            report = backup.import_content(text, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Imported {sum(report.rows.values())} rows:")
        for label, count in report.rows.items():
            self.stdout.write(f"  {label}: {count}")
        if report.users_existing:
            self.stdout.write(f"Accounts already here, left as they are: {', '.join(report.users_existing)}.")
        if report.users_created:
            self.stdout.write(
                self.style.WARNING(
                    f"Created {len(report.users_created)} account(s) without a password: "
                    f"{', '.join(report.users_created)}. The backup holds no passwords; give each one a new "
                    "password (`manage.py changepassword USERNAME`) before it can log in."
                )
            )
