from django.core.management.base import BaseCommand

from measures.editing.review import publish_due


class Command(BaseCommand):
    help = (
        "Publish the drafts a reviewer approved for a time that has come (定时发布). Safe to run every "
        "minute, twice at once and again after a crash: each is published once (measures/editing/review.py). "
        "A draft changed since it was approved, or that can no longer be published, is returned to its editor."
    )

    def handle(self, *args, **options):
        report = publish_due()
        self.stdout.write(
            f"{report.published} published, {report.returned} returned to their editors, "
            f"{report.skipped} left to another run."
        )
