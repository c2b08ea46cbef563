"""The e-mail alerts at scale (issue 18): what `manage.py send_notifications` costs each subscription.

Subscriptions of the four kinds (a policy, a measure, the finder's filters, a search words), confirmed
before an edit of an award, are settled one by one as the sender settles them (each judged and mailed in
a transaction of its own, measures/public/alerts/sender.py): the p95 of a subscription's time, and its
queries, on the small corpus and on the whole one (they must be equal). Mail goes to Django's in-memory
outbox; the subscriptions and their deliveries are deleted afterwards.
"""

import random
import time

FOLLOWERS = 60  # subscriptions settled, 15 of each kind
EMAIL_DOMAIN = "bench.example.cn"


def _follow(policy_slug: str, seed: int) -> list:
    """FOLLOWERS confirmed subscriptions: the policy, its measures, finder filters, search words."""
    from django.utils import timezone

    from bench.corpus.generate import VOCABULARY
    from measures.domain.models import Measure, Policy
    from measures.domain.subscriptions import Subscription

    rng = random.Random(seed)
    policy = Policy.objects.get(slug=policy_slug)
    measures = list(Measure.objects.filter(policy=policy).order_by("number").values_list("pk", flat=True))
    confirmed = timezone.now()
    made = []
    for number in range(FOLLOWERS):
        kind = Subscription.Kind.values[number % 4]
        target, query = 0, ""
        if kind == Subscription.Kind.POLICY:
            target = policy.pk
        elif kind == Subscription.Kind.MEASURE:
            target = measures[number % len(measures)]
        elif kind == Subscription.Kind.AWARDS:
            query = rng.choice(["min=100", "band=1000-plus", "pillar=1&sort=amount", f"policy={policy_slug}", ""])
        else:
            query = rng.choice(VOCABULARY)
        made.append(
            Subscription(
                email=f"follower-{number}@{EMAIL_DOMAIN}",
                kind=kind,
                target_id=target,
                query=query,
                label="（基准测试）",
                confirmed_at=confirmed,
            )
        )
    for subscription in made:  # one by one: save() gives each its key
        subscription.save()
    return [subscription.pk for subscription in made]


def _edit(policy_slug: str) -> None:
    """An editor's change of one award of the policy's first measure: one entry of the public history."""
    from measures.domain.models import Award

    award = Award.objects.published().filter(clause__measure__policy__slug=policy_slug).order_by("pk").first()
    award.amount_yuan += 10_000
    award._change_reason = "基准测试：调整金额"
    award.save()


def settle_each(policy_slug: str, seed: int) -> tuple[list[float], list[int], int]:
    """Follow, edit, then settle every subscription as the sender does. Returns each subscription's time
    (ms) and queries, and the mails sent."""
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from measures.domain.subscriptions import Subscription
    from measures.public.alerts import sender

    pks = _follow(policy_slug, seed)
    try:
        _edit(policy_slug)
        times, queries = [], []
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            report, now = sender.Report(), timezone.now()
            with sender.Outbox() as outbox:
                for pk in pks:
                    with CaptureQueriesContext(connection) as captured:
                        start = time.perf_counter()
                        sender.settle(pk, now, outbox, report)
                        times.append((time.perf_counter() - start) * 1000)
                    queries.append(len(captured))
            sent = len(mail.outbox)
    finally:
        Subscription.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()  # their deliveries go too
    if not sent:
        raise RuntimeError("the edit was mailed to no one: the alerts bench measured nothing")
    return times, queries, sent
