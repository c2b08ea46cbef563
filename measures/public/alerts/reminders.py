"""申报提醒 and the validity notice: `manage.py send_reminders`, which send_notifications also runs.

A subscription that asked for reminders is mailed when a window of what it follows opens, and 14 and 3
days before it closes; every follower of a policy or of its measures is mailed once when the policy
enters its last six months. Only real windows (按申报时间段 with dates) of public measures and awards of
policies not expired count. Each reminder is recorded under a unique constraint (Reminder) in the
transaction that mails it, its subscription locked as sender.py locks it, so each goes once even with
two senders; each subscription is looked at once a day (reminded_on), however often the sender runs.
`today` is a parameter (the command's --today): a test or a late run names the day.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from measures.domain.eligibility import ApplicationInfo, AwardRecipientKind, WindowKind, window_entries
from measures.domain.models import Award, Measure, Policy, PublicationStatus
from measures.domain.subscriptions import Reminder, Subscription
from measures.public.alerts import mail
from measures.public.alerts.sender import Outbox, lock
from measures.public.alerts.targets import WITH_REMINDERS
from measures.public.finder.filters import AwardFilter

Occasion = Reminder.Occasion
Kind = Subscription.Kind
# Days before a window closes that a reminder goes out, as grant portals remind (two weeks, then days).
CLOSING_LEAD = {Occasion.CLOSES_IN_14: 14, Occasion.CLOSES_IN_3: 3}
# A window's opening is still announced this many days late (a sender that was down, a late sign-up).
OPENING_GRACE_DAYS = 7

logger = logging.getLogger(__name__)


@dataclass
class ReminderReport:
    mails: int = 0
    reminders: int = 0
    busy: int = 0


@dataclass
class DueWindow:
    """An application record's window with a reminder due today; `occasions` in the order mailed."""

    info: ApplicationInfo
    occasions: list = field(default_factory=list)
    entry: object = None  # 去办理 (eligibility.ApplicationEntry), or None where no record names one

    @property
    def day_of(self) -> dict:
        """Each occasion's day: the opening day for the opening, else the closing day."""
        info = self.info
        return {o: info.window_opens if o == Occasion.OPENS else info.window_closes for o in self.occasions}


def occasions(opens: datetime.date | None, closes: datetime.date | None, today: datetime.date) -> list[str]:
    """The reminders of a window due `today`: its opening (for a week after), and the closing reminder
    whose lead has come (3 days overrides 14); none before it opens or after it closes."""
    if (opens and today < opens) or (closes and today > closes):
        return []
    due = []
    if opens and (today - opens).days < OPENING_GRACE_DAYS:
        due.append(Occasion.OPENS)
    if closes:
        left = (closes - today).days
        if left <= CLOSING_LEAD[Occasion.CLOSES_IN_3]:
            due.append(Occasion.CLOSES_IN_3)
        elif left <= CLOSING_LEAD[Occasion.CLOSES_IN_14]:
            due.append(Occasion.CLOSES_IN_14)
    return due


def due_windows(today: datetime.date) -> list[DueWindow]:
    """The public windows with a reminder due today, each with where to apply: one query, a second when
    an award's window names no entry (and none of the work per subscription when it finds nothing, which
    is most days)."""
    lead = max(CLOSING_LEAD.values())
    infos = (
        ApplicationInfo.objects.filter(window_kind=WindowKind.DATES)
        .filter(
            Q(window_opens__range=(today - datetime.timedelta(days=OPENING_GRACE_DAYS - 1), today))
            | Q(window_closes__range=(today, today + datetime.timedelta(days=lead)))
        )
        .filter(Q(measure__status=PublicationStatus.PUBLISHED) | Q(award__is_public=True))
        .select_related("measure__policy", "award__clause__measure__policy")
        .order_by("window_closes", "pk")
    )
    windows = []
    for info in infos:
        measure = info.measure or info.award.clause.measure
        if measure.policy.validity_status(today) == Policy.ValidityStatus.EXPIRED:
            continue
        info.owner_measure = measure
        due = occasions(info.window_opens, info.window_closes, today)
        if due:
            windows.append(DueWindow(info, due))
    entries = window_entries([(w.info, w.info.owner_measure.pk) for w in windows])
    for due_window in windows:
        due_window.entry = entries[due_window.info.pk]
    return windows


def covered_awards(subscription: Subscription):
    """The public awards a subscription follows, as a QuerySet (none for a search or a filter that no
    longer holds): its measure's, its policy's, the finder's with its filters, the calculator's answer."""
    awards = Award.objects.published()
    kind = subscription.kind
    if kind == Kind.MEASURE:
        return awards.filter(clause__measure_id=subscription.target_id)
    if kind == Kind.POLICY:
        return awards.filter(listed_policy_id=subscription.target_id)
    if kind == Kind.AWARDS:
        listed = AwardFilter(QueryDict(subscription.query), queryset=awards)
        return listed.qs if listed.is_valid() else awards.none()
    if kind == Kind.CALCULATOR:
        slugs = QueryDict(subscription.query).getlist("kind")
        return awards.filter(pk__in=AwardRecipientKind.objects.filter(kind__slug__in=slugs).values("award_id"))
    return awards.none()


def windows_of(subscription: Subscription, windows: list[DueWindow]) -> list[DueWindow]:
    """Those of `windows` that are a window of what the subscription follows: an award's own window if
    it follows the award, its measure's window if it follows an award of the measure without a window
    of its own (as the pages merge them: eligibility.merge_facts), or the measure. Two queries."""
    if not windows or subscription.kind not in WITH_REMINDERS:
        return []
    covered = covered_awards(subscription)
    by_award = {w.info.award_id: w for w in windows if w.info.award_id}
    by_measure = {w.info.measure_id: w for w in windows if w.info.measure_id}
    found = []
    if by_award:
        found += [by_award[pk] for pk in covered.filter(pk__in=list(by_award)).values_list("pk", flat=True)]
    if by_measure:
        own_window = ApplicationInfo.objects.exclude(window_kind=WindowKind.UNPUBLISHED).filter(award__isnull=False)
        measures = set(
            covered.filter(clause__measure_id__in=list(by_measure))
            .exclude(pk__in=own_window.values("award_id"))
            .values_list("clause__measure_id", flat=True)
        )
        if subscription.kind == Kind.MEASURE and subscription.target_id in by_measure:
            measures.add(subscription.target_id)
        if subscription.kind == Kind.POLICY:
            measures |= {pk for pk, w in by_measure.items() if w.info.owner_measure.policy_id == subscription.target_id}
        found += [by_measure[pk] for pk in measures]
    return sorted(found, key=lambda w: (w.info.window_closes or w.info.window_opens, w.info.pk))


# --- the validity notice -------------------------------------------------------------------------


def in_last_months(policy: Policy, today: datetime.date) -> bool:
    """Whether `today` is in the policy's last six months in force, by the rule its pages warn by
    (Policy.validity_warning: 2028-02-16 → from 2027-08-17 to that last day)."""
    warning = policy.validity_warning(today)
    return warning is not None and policy.validity_status(today) == Policy.ValidityStatus.IN_FORCE


def expiring_notices(today: datetime.date) -> dict[int, list[Policy]]:
    """The policies in their last six months, by the subscription that is to hear of each: of each
    address following the policy or one of its measures, its oldest such subscription, so the address
    is mailed once (again only if the policy's last day changes). Two senders choose the same one. One
    query; four when some policy is in its last six months."""
    policies = [p for p in Policy.objects.all() if in_last_months(p, today)]
    if not policies:
        return {}
    policy_of_measure = dict(Measure.objects.filter(policy__in=policies).values_list("pk", "policy_id"))
    by_id = {policy.pk: policy for policy in policies}
    followers = Subscription.objects.confirmed().filter(
        Q(kind=Kind.POLICY, target_id__in=list(by_id)) | Q(kind=Kind.MEASURE, target_id__in=list(policy_of_measure))
    )
    chosen: dict[tuple[str, int], int] = {}
    settled = set()
    rows = followers.order_by("pk").values_list("pk", "email", "kind", "target_id", "reminded_on")
    for pk, email, kind, target, reminded_on in rows:
        policy_id = target if kind == Kind.POLICY else policy_of_measure[target]
        chosen.setdefault((email, policy_id), pk)
        if reminded_on == today:
            settled.add(pk)
    # Chosen among all of an address's subscriptions, then those already told passed by: choosing
    # among the rest would tell the address again through another.
    told = set(
        Reminder.objects.filter(occasion=Occasion.POLICY_EXPIRING, object_id__in=list(by_id)).values_list(
            "subscription_id", "object_id", "day"
        )
    )
    notices: dict[int, list[Policy]] = {}
    for (_email, policy_id), pk in chosen.items():
        if pk not in settled and (pk, policy_id, by_id[policy_id].expiry_date) not in told:
            notices.setdefault(pk, []).append(by_id[policy_id])
    return notices


# --- sending --------------------------------------------------------------------------------------


def send_reminders(today: datetime.date | None = None, now: datetime.datetime | None = None) -> ReminderReport:
    """Mail every reminder due `today` (Xiamen's date by default). Raises sender.SendingFailed (after
    recording nothing for the subscription it was on) when the mail server fails."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    report = ReminderReport()
    windows = due_windows(today)
    notices = expiring_notices(today)
    pks = set(notices)
    if windows:
        asked = Subscription.objects.confirmed().filter(reminders=True, kind__in=WITH_REMINDERS)
        pks.update(asked.exclude(reminded_on=today).values_list("pk", flat=True))
    with Outbox() as outbox:
        for pk in sorted(pks):
            try:
                _remind(pk, windows, notices.get(pk, []), today, now, outbox, report)
            except (IntegrityError, DatabaseError) as error:
                # Another sender recorded it first (the unique constraint), or SQLite's lock timed out.
                logger.info("reminders of subscription %s left for the next run: %s", pk, error)
                report.busy += 1
    return report


def _remind(pk, windows: list[DueWindow], policies: list[Policy], today, now, outbox: Outbox, report: ReminderReport):
    with transaction.atomic():
        subscription = lock(pk)
        if subscription is None:
            report.busy += 1
            return
        # Settled for today, whatever is due: the next run of the day passes it by. (A window recorded
        # later today is reminded of tomorrow: an opening up to a week late, a closing until it closes.)
        subscription.reminded_on = today
        subscription.save(update_fields=["reminded_on"])
        mine = windows_of(subscription, windows) if subscription.reminders else []
        due = {(occasion, w.info.pk, day): w for w in mine for occasion, day in w.day_of.items()}
        due |= {(Occasion.POLICY_EXPIRING, p.pk, p.expiry_date): p for p in policies}
        sent = set(
            Reminder.objects.filter(subscription=subscription, object_id__in={key[1] for key in due}).values_list(
                "occasion", "object_id", "day"
            )
        )
        new = [key for key in due if key not in sent]
        if not new:
            return
        Reminder.objects.bulk_create(
            [Reminder(subscription=subscription, occasion=o, object_id=i, day=d, sent_at=now) for o, i, d in new]
        )
        items = [(key[0], due[key]) for key in new]
        # Sent inside the transaction: if the server refuses it, the records above are undone.
        outbox.send(mail.reminders(subscription, items, today))
        report.mails += 1
        report.reminders += len(new)
