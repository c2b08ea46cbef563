import datetime

from django.core.management.base import BaseCommand, CommandError

from measures.public.alerts.reminders import send_reminders
from measures.public.alerts.sender import SendingFailed


def day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Mail the reminders due today (申报提醒: a followed window opening, 14 and 3 days before it closes) "
        "and the notice of a followed policy entering its last six months. send_notifications runs this "
        "too from 8:00; safe to run again and twice at once: each reminder goes once "
        "(measures/public/alerts/reminders.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=day, help="the day to remind as of (YYYY-MM-DD); Xiamen's today by default")

    def handle(self, *args, today=None, **options):
        try:
            report = send_reminders(today=today)
        except SendingFailed as error:
            raise CommandError(
                f"Stopped: {error}. Nothing was recorded for that subscription; the next run retries."
            ) from error
        self.stdout.write(
            f"{report.mails} mails ({report.reminders} reminders), {report.busy} subscriptions left to another sender."
        )
