"""/feedback/'s figures: for each of the last twelve months, the messages received, how many of them
were answered, and the median days from receipt to answer; and the same for the twelve months
together. Counts only: nothing a visitor wrote, no address. One query, however many messages."""

import datetime
import statistics
from dataclasses import dataclass

from django.utils import timezone

from measures.domain.feedback import Feedback

MONTHS = 12


@dataclass
class Month:
    first_day: datetime.date
    received: int = 0
    answered: int = 0
    refused: int = 0
    days_to_answer: list | None = None

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.days_to_answer), 1) if self.days_to_answer else None


def month_starts(today: datetime.date) -> list[datetime.date]:
    """The first days of the last MONTHS months, this one included, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(MONTHS):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def figures(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    starts = month_starts(today)
    months = {start: Month(start, days_to_answer=[]) for start in starts}
    since = datetime.datetime.combine(starts[0], datetime.time.min, tzinfo=timezone.get_current_timezone())
    rows = Feedback.objects.received_since(since).values_list("received_at", "state", "answered_at")
    for received_at, state, answered_at in rows:
        local = timezone.localtime(received_at)
        month = months.get(local.date().replace(day=1))
        if month is None:
            continue
        month.received += 1
        if state == Feedback.State.ANSWERED and answered_at:
            month.answered += 1
            month.days_to_answer.append((answered_at - received_at).total_seconds() / 86400)
        elif state == Feedback.State.REFUSED:
            month.refused += 1
    every = [days for month in months.values() for days in month.days_to_answer]
    total = Month(starts[0], sum(m.received for m in months.values()), len(every), days_to_answer=every)
    total.refused = sum(m.refused for m in months.values())
    return {"months": list(months.values()), "total": total}
