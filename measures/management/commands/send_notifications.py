from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from measures.domain.feedback import purge_addresses
from measures.public.alerts.reminders import send_reminders
from measures.public.alerts.sender import DIGEST_HOUR, SendingFailed, send_due


class Command(BaseCommand):
    help = (
        "Mail the published changes that people follow (关注) and that are due, and delete sign-ups "
        "never confirmed; from 8:00 also the reminders due today (send_reminders). Safe to run every "
        "minute (cron, a systemd timer), twice at once, or again after a crash: each change is mailed to "
        "each subscription once (measures/public/alerts/sender.py). Also erases the addresses left with "
        "纠错 and 提问 closed more than FEEDBACK_ADDRESS_KEEP_DAYS ago."
    )

    def handle(self, *args, **options):
        try:
            report = send_due()
            # Reminders go out in the morning with the digests, not at midnight.
            reminded = send_reminders() if timezone.localtime().hour >= DIGEST_HOUR else None
        except SendingFailed as error:
            raise CommandError(
                f"Stopped: {error}. Nothing was recorded for that subscription; the next run retries."
            ) from error
        self.stdout.write(
            f"{report.mails} mails ({report.changes} changes), {report.passed_over} changes not matching, "
            f"{report.busy} subscriptions left to another sender, {report.purged} unconfirmed sign-ups deleted."
        )
        erased = purge_addresses()
        self.stdout.write(f"{erased} feedback addresses erased.")
        if reminded is not None:
            self.stdout.write(f"{reminded.mails} reminder mails ({reminded.reminders} reminders).")
