"""关注: e-mail alerts without an account. A subscription is an address, one thing it follows (a
policy, a measure, the award finder's filters, a calculator answer or a search query), how often it
wants mail, whether it wants application reminders, whether the address has confirmed it, and what has
been mailed to it (Delivery: changes; Reminder: reminders).

The addresses are personal data: they are never public (no page, API, download or backup holds them;
measures/editing/backup.py leaves these tables out), and the admin shows editors counts, not
addresses, unless they hold the separate `view_subscriber_address` permission. Subscriptions are
not public content: they keep no history and move no content revision.

Mail is built from the public history (measures/domain/public_history.py's PublicChange entries),
never from raw history: a subscriber reads only what the public could see. Which entries match a
subscription, and the mail itself, are the public layer's (measures/public/alerts/).
"""

import datetime
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Unconfirmed sign-ups are deleted after this long, and their confirmation links expire with them.
CONFIRMATION_DAYS = 7


SECRET_LENGTH = 43  # characters of new_secret()


def new_secret() -> str:
    """A secret a subscriber's links carry (measures/public/alerts/links.py): 256 random bits, so that
    no one finds a link by trying, and it names neither the address nor the subscription's id. A
    secret dies with the rows that hold it: a link then opens nothing, even for a later sign-up of
    the same address to the same thing."""
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_since(self, moment: datetime.datetime):
        """Sign-ups never confirmed and made before `moment`: the ones to delete."""
        return self.filter(confirmed_at__isnull=True, created_at__lt=moment)

    def stale(self, now: datetime.datetime | None = None):
        return self.unconfirmed_since((now or timezone.now()) - datetime.timedelta(days=CONFIRMATION_DAYS))

    def of_address(self, email: str):
        return self.filter(email=email)

    def managed_by(self, manage_key: str):
        """The subscriptions one manage link manages: its address's, since the address last followed
        nothing (a sign-up after everything was cancelled starts a new manage link)."""
        return self.filter(manage_key=manage_key)


class Subscription(models.Model):
    class Kind(models.TextChoices):
        POLICY = "policy", _("政策")
        MEASURE = "measure", _("措施")
        AWARDS = "awards", _("奖补查询")
        SEARCH = "search", _("搜索")
        CALCULATOR = "calculator", _("政策计算器")

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("即时")
        DAILY = "daily", _("每日汇总")

    email = models.EmailField("邮箱", max_length=254)
    kind = models.CharField("关注什么", max_length=10, choices=Kind.choices)
    # The policy's or the measure's id (a plain id, as in the public history: the row may go, the
    # subscription's mail about its deletion must not); 0 for the finder and search.
    target_id = models.BigIntegerField("对象编号", default=0)
    # The finder's filters as a query string ("min=100&pillar=1"), the calculator's kinds
    # ("kind=incubator&kind=lab"), or the search's terms.
    query = models.CharField("条件", max_length=500, blank=True)
    # What is followed, in words, as it read at sign-up: shown if the policy or measure is gone since.
    label = models.CharField("关注内容", max_length=300)
    frequency = models.CharField("频率", max_length=10, choices=Frequency.choices, default=Frequency.INSTANT)
    language = models.CharField("邮件语言", max_length=10, default="zh-hans")
    # 申报提醒: also a mail when a followed application window opens, and 14 and 3 days before it closes
    # (measures/public/alerts/reminders.py). Not offered for a search, which follows clauses, not awards.
    reminders = models.BooleanField("申报提醒", default=False)
    # The day its reminders were last settled: the sender, run every minute, looks at each once a day.
    reminded_on = models.DateField("上次查看提醒", null=True, blank=True)
    # The secret of this subscription's confirm and unsubscribe links; given on the first save.
    key = models.CharField(max_length=SECRET_LENGTH, editable=False)
    # The secret of the manage link of its address, shared by the address's subscriptions (save()).
    manage_key = models.CharField(max_length=SECRET_LENGTH, editable=False)
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    last_sent_at = models.DateTimeField("上次发信", null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "关注"
        verbose_name_plural = "关注"
        ordering = ["pk"]
        constraints = [
            # One subscription per address and thing followed: signing up again changes nothing new.
            models.UniqueConstraint(fields=["email", "kind", "target_id", "query"], name="one_subscription_per_target"),
            # A confirm or unsubscribe link finds its subscription by this secret (and its unique index).
            models.UniqueConstraint(fields=["key"], name="subscription_key_unique"),
        ]
        indexes = [
            # The sender reads the confirmed ones; the clean-up, the old unconfirmed ones.
            models.Index(fields=["confirmed_at", "created_at"], name="subscription_confirmed"),
            # The manage page reads the subscriptions its link's secret names.
            models.Index(fields=["manage_key"], name="subscription_manage_key"),
        ]
        permissions = [("view_subscriber_address", "可查看关注者的邮箱地址")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.label}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = new_secret()
        if not self.manage_key:
            # The address's manage link, if it follows anything: one link shows all it follows. (Two
            # first sign-ups of an address at the same instant may start two, each showing its own.)
            others = Subscription.objects.of_address(self.email).exclude(pk=self.pk)
            self.manage_key = others.values_list("manage_key", flat=True).first() or new_secret()
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Delivery(models.Model):
    """That one public change (a PublicChange entry) is settled for one subscription: mailed, or
    passed over because it did not match (an award change outside the followed filters, judged once).
    The unique constraint is what makes each change go to each subscription once, whichever sender
    gets there first. A change is named by its historical record (subject and history id), which a
    replay of the public history (public_history.rebuild) gives again, so a rebuild never mails it twice.
    A save of a followed measure's application facts is settled here too, named by its own history record
    (measures/public/alerts/facts.py), with no public change (change_id 0)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    subject = models.CharField(max_length=10)
    history_id = models.BigIntegerField()
    change_id = models.BigIntegerField("公开修改记录")
    mailed = models.BooleanField("已发送", default=True)
    sent_at = models.DateTimeField("处理时间")

    class Meta:
        verbose_name = "已发送的修改"
        verbose_name_plural = "已发送的修改"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "subject", "history_id"], name="one_delivery_per_change_and_subscription"
            ),
        ]

    def __str__(self):
        return f"{self.subject} {self.history_id} → {self.subscription_id}"


class Reminder(models.Model):
    """That one reminder went to one subscription: a followed window opened or is about to close, or a
    followed policy entered its last months of validity. The unique constraint, not a check, is what sends
    each once, whichever sender gets there first (measures/public/alerts/reminders.py). A reminder names its
    window by the application record that gives it and the day it concerns (the opening or closing day),
    so a deadline an editor moves is a new window, reminded of again; a policy by its id and last day."""

    class Occasion(models.TextChoices):
        OPENS = "opens", _("开始申报")
        CLOSES_IN_14 = "closes_14", _("14天后截止")
        CLOSES_IN_3 = "closes_3", _("3天后截止")
        POLICY_EXPIRING = "expiring", _("政策即将失效")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="reminders_sent")
    occasion = models.CharField("提醒", max_length=10, choices=Occasion.choices)
    # The ApplicationInfo's id for a window, the Policy's for its validity: a plain id, as in Delivery.
    object_id = models.BigIntegerField("对象编号")
    day = models.DateField("日期")
    sent_at = models.DateTimeField("发送时间")

    class Meta:
        verbose_name = "已发送的提醒"
        verbose_name_plural = "已发送的提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "occasion", "object_id", "day"], name="one_reminder_per_occasion"
            ),
        ]

    def __str__(self):
        return f"{self.occasion} {self.object_id} {self.day} → {self.subscription_id}"
