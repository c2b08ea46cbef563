"""Sending what is due: `manage.py send_notifications`, run every minute by cron or a systemd timer.

Each confirmed subscription is settled in a transaction of its own: locked (so two senders never mail
the same one), its unsettled changes recorded as settled under a unique constraint, the mail sent, then
the commit. So each change reaches each subscription once, and a sender killed midway leaves nothing
recorded for the subscription it was on. See docs/architecture.md#sending-each-change-once.
"""

import logging
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from measures.domain.subscriptions import Delivery, Subscription
from measures.public.alerts import facts, mail, targets

# A mail lists at most this many changes; more wait for the next mail (the next run, or the next day).
MAX_PER_MAIL = 50
# Entries judged per subscription and run, to bound one run's work after a long pause.
MAX_JUDGED = 2000
# The daily digest goes out from this hour on (TIME_ZONE, Asia/Shanghai).
DIGEST_HOUR = 8

logger = logging.getLogger(__name__)


class SendingFailed(Exception):
    """The mail server refused a message or could not be reached; the run stopped there."""


@dataclass
class Report:
    mails: int = 0
    changes: int = 0  # changes mailed (a mail may hold several)
    passed_over: int = 0  # changes judged not to match what a subscription follows
    busy: int = 0  # subscriptions another sender was working on
    purged: int = 0  # unconfirmed sign-ups deleted


def send_due(now=None) -> Report:
    """Send every mail that is due. Raises SendingFailed (after recording nothing for the subscription
    it was on) when the mail server fails."""
    now = now or timezone.now()
    report = Report()
    _count, deleted = Subscription.objects.stale(now).delete()
    report.purged = deleted.get(Subscription._meta.label, 0)
    with Outbox() as outbox:
        for pk in list(Subscription.objects.confirmed().order_by("pk").values_list("pk", flat=True)):
            try:
                settle(pk, now, outbox, report)
            except (IntegrityError, DatabaseError) as error:
                # Another sender settled it first (a unique constraint), or SQLite's lock timed out:
                # nothing was recorded here, and the next run looks again.
                logger.info("subscription %s left for the next run: %s", pk, error)
                report.busy += 1
    return report


class Outbox:
    """One connection to the mail server for the whole run, opened when the first mail is due (a run
    with nothing to send never connects)."""

    def __enter__(self):
        self.connection = get_connection()
        self.opened = False
        return self

    def send(self, message) -> None:
        try:
            if not self.opened:
                self.connection.open()
                self.opened = True
            message.connection = self.connection
            message.send()
        except Exception as error:  # smtplib's errors, OSError, a timeout
            raise SendingFailed(f"the mail server did not take the mail to subscription: {error}") from error

    def __exit__(self, *exc_info):
        if self.opened:
            try:
                self.connection.close()
            except Exception:  # the server went away meanwhile: nothing left to close
                logger.warning("closing the mail connection failed", exc_info=True)


def settle(pk: int, now, outbox: Outbox, report: Report) -> None:
    """Judge and mail what is due to one subscription, in a transaction of its own (the steps in
    docs/architecture.md#sending-each-change-once); send_due() settles each in turn, and bench/alerting.py
    times them one by one."""
    with transaction.atomic():
        subscription = lock(pk)
        if subscription is None:
            report.busy += 1
            return
        digest = subscription.frequency == Subscription.Frequency.DAILY
        if digest and not _digest_due(subscription, now):
            return
        _settle_facts(subscription, now, outbox, report)
        judged = list(targets.candidates(subscription)[:MAX_JUDGED])
        if not judged:
            return
        matched = targets.matching(subscription, judged)
        mailed = matched[:MAX_PER_MAIL]
        waiting = {entry.pk for entry in matched[MAX_PER_MAIL:]}
        mailed_ids = {entry.pk for entry in mailed}
        Delivery.objects.bulk_create(
            [
                Delivery(
                    subscription=subscription,
                    subject=entry.subject,
                    history_id=entry.history_id,
                    change_id=entry.pk,
                    mailed=entry.pk in mailed_ids,
                    sent_at=now,
                )
                for entry in judged
                if entry.pk not in waiting
            ]
        )
        report.passed_over += len(judged) - len(matched)
        if not mailed:
            return
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at"])
        # Sent inside the transaction: if the server refuses it, the records above are undone.
        outbox.send(mail.changes(subscription, mailed, digest=digest))
        report.mails += 1
        report.changes += len(mailed)


def _settle_facts(subscription: Subscription, now, outbox: Outbox, report: Report) -> None:
    """A followed measure's application facts entered or changed: one mail saying so (facts.py)."""
    saves = facts.unsent(subscription)
    if not saves:
        return
    facts.record_mailed(subscription, saves, now)
    subscription.last_sent_at = now
    subscription.save(update_fields=["last_sent_at"])
    outbox.send(mail.facts_entered(subscription))
    report.mails += 1


def lock(pk: int) -> Subscription | None:
    """The confirmed subscription, locked for this transaction; None if another sender holds it (or
    it was deleted or is no longer confirmed)."""
    subscriptions = Subscription.objects.confirmed().filter(pk=pk)
    if connection.features.has_select_for_update_skip_locked:
        return subscriptions.select_for_update(skip_locked=True).first()
    # SQLite: this write, the transaction's first statement, takes the database's write lock until
    # the commit; another sender's waits here (up to the database's timeout) and then reads what
    # this one recorded. It changes no value.
    if not subscriptions.update(frequency=F("frequency")):
        return None
    return subscriptions.first()


def _digest_due(subscription: Subscription, now) -> bool:
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return False
    return subscription.last_sent_at is None or timezone.localtime(subscription.last_sent_at).date() < local.date()
