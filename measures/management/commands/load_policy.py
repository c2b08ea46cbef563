from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from measures.editing.loader import PolicyLoader

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load the policy data in fixtures/ (or the files given) into the database. Safe to run "
        "again: unchanged rows are left alone, and rows an editor changed are kept unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="policy JSON files (default: fixtures/*.json)")
        parser.add_argument(
            "--force", action="store_true", help="overwrite rows that editors changed with the file's content"
        )

    def handle(self, *args, files, force, **options):
        paths = files or sorted(FIXTURES_DIR.glob("*.json"))
        if not paths:
            raise CommandError(f"No policy file found in {FIXTURES_DIR}.")
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            report = PolicyLoader(force=force).load_file(path)
            self.stdout.write(
                f"{path.name}: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged, {len(report.kept)} kept as editors left them."
            )
            for line in report.kept:
                self.stdout.write(self.style.WARNING(f"  kept editor's change: {line}"))
            if report.kept:
                self.stdout.write("  Run `manage.py load_policy --force` to replace these with the file's content.")
