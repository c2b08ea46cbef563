from django.core.management.base import BaseCommand, CommandError

from measures.public.alerts.sender import SendingFailed, send_due


class Command(BaseCommand):
    help = (
        "Mail the published changes that people follow (关注) and that are due, and delete sign-ups "
        "never confirmed. Safe to run every minute (cron, a systemd timer), twice at once, or again after "
        "a crash: each change is mailed to each subscription once (measures/public/alerts/sender.py)."
    )

    def handle(self, *args, **options):
        try:
            report = send_due()
        except SendingFailed as error:
            raise CommandError(
                f"Stopped: {error}. Nothing was recorded for that subscription; the next run retries."
            ) from error
        self.stdout.write(
            f"{report.mails} mails ({report.changes} changes), {report.passed_over} changes not matching, "
            f"{report.busy} subscriptions left to another sender, {report.purged} unconfirmed sign-ups deleted."
        )
