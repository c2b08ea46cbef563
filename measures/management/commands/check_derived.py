from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string

from measures.domain import derived
from measures.domain.revision import ContentRevision

SHOWN = 20  # differences printed per store; the count says how many more


def differences(repair: bool = False) -> dict[str, list[str]]:
    """{store: its differences} for every checked store on this database (measures/domain/derived.py),
    in the declaration's order, so that a repair of the tokens comes before the rows that copy them.
    With `repair`, what differs is rebuilt; the differences returned are those found before."""
    found = {}
    for store in derived.stores_on(connection.vendor):
        if store.check:
            with transaction.atomic():
                found[store.name] = import_string(store.check.replace(":", "."))(repair)
    if repair and any(found.values()):
        # Pages and tallies built from what differed are named by the revision: a new one drops them.
        ContentRevision.bump()
    return found


class Command(BaseCommand):
    help = (
        "Recompute every derived store (docs/derived-data.md) from the source rows and list each difference; "
        "exit status 1 if any differs. --repair rebuilds what differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="rebuild the stores that differ")
        parser.add_argument("--page", action="store_true", help="print docs/derived-data.md as declared, and stop")

    def handle(self, *args, repair=False, page=False, **options):
        if page:
            self.stdout.write(derived.derived_data_page(), ending="")
            return
        found = differences(repair=repair)
        for name, lines in found.items():
            self.stdout.write(f"{name}：{'一致' if not lines else f'{len(lines)}处不一致'}")
            for line in lines[:SHOWN]:
                self.stdout.write(f"  {line}")
            if len(lines) > SHOWN:
                self.stdout.write(f"  ……另有{len(lines) - SHOWN}处")
        differing = [name for name, lines in found.items() if lines]
        if differing and repair:
            # Checked again: a store that cannot be rebuilt (a missing trigger) still fails.
            differing = [name for name, lines in differences().items() if lines]
            rebuilt = [name for name, lines in found.items() if lines and name not in differing]
            if rebuilt:
                self.stdout.write(f"已重建：{', '.join(rebuilt)}")
            if differing:
                raise CommandError(f"重建后仍不一致：{', '.join(differing)}（请运行 migrate）")
        elif differing:
            raise CommandError(f"派生数据与来源不一致：{', '.join(differing)}（可用 --repair 重建）")
