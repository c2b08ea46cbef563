"""纠错 and 提问 at city scale (issue 32): visitors' messages in proportion to the library, and the two
public pages that read them or the content — /feedback/'s figures (the last twelve months, counted) and
the form opened from a measure — timed like the calculator (bench/scale.py)."""

import datetime
import random

MESSAGES_PER_POLICY = 20  # 10,000 a year for 500 policies: a busy city's 12345 line, for one portal
ANSWERED_SHARE = 0.7
REFUSED_SHARE = 0.1


def seed_feedback(policies: int, seed: int) -> int:
    """Replace every message with MESSAGES_PER_POLICY × `policies` of them, received over the last twelve
    months, most answered within days. Returns how many were written."""
    from django.utils import timezone

    from measures.domain.feedback import Feedback

    rng = random.Random(seed)
    now = timezone.now()
    count = MESSAGES_PER_POLICY * policies
    rows = []
    for number in range(1, count + 1):
        received = now - datetime.timedelta(days=rng.uniform(0, 364))
        roll = rng.random()
        row = Feedback(
            reference=f"FK-{received.year}-{number:06d}",
            kind=rng.choice(Feedback.Kind.values),
            text=f"合成测试留言第{number}号：这项奖补如何申报？",
            concerns="第1条",
            received_at=received,
            due_on=(received + datetime.timedelta(days=7)).date(),
        )
        if roll < ANSWERED_SHARE:
            row.state, row.answer = Feedback.State.ANSWERED, "合成测试答复。"
            row.answered_at = row.closed_at = received + datetime.timedelta(days=rng.uniform(0.5, 10))
        elif roll < ANSWERED_SHARE + REFUSED_SHARE:
            row.state, row.refusal_reason = Feedback.State.REFUSED, "合成测试：与政策无关。"
            row.closed_at = received + datetime.timedelta(days=1)
        rows.append(row)
    Feedback.objects.all().delete()
    Feedback.objects.bulk_create(rows, batch_size=2000)
    return count


def feedback_urls(featured: str, count: int = 60) -> list[str]:
    """The figures page, and the form opened from measures of the featured policy (a measure, a clause)."""
    urls = []
    for number in range(count):
        if number % 3 == 0:
            urls.append("/feedback/")
        else:
            kind = "question" if number % 2 else "report"
            clause = f"&clause={number % 2 + 1}" if number % 3 == 2 else ""
            urls.append(f"/feedback/new/?kind={kind}&policy={featured}&measure={number % 12 + 1}{clause}")
    return urls
