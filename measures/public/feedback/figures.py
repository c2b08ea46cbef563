"""/feedback/'s figures: for each of the last twelve months, the messages received, how many of them
were answered, and the median days from receipt to answer; and the same for the twelve months
together. Counts only: nothing a visitor wrote, no address. Counted at most every FRESH_FOR, for every
visitor at once (the shared cache), and the page says when."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from measures.domain.feedback import Feedback
from xmpolicy.optional_cache import OptionalCache

MONTHS = 12
# Counting a year of a busy city's messages is a scan of all of them: figures a few minutes old are as
# useful to a visitor, and the page says when they were counted.
FRESH_FOR = datetime.timedelta(minutes=5)
CACHE_KEY = "feedback-figures"
KEPT = OptionalCache("feedback figures")  # a cache that fails costs a count, never the page
ANSWERED = Q(state=Feedback.State.ANSWERED, answered_at__isnull=False)
REFUSED = Q(state=Feedback.State.REFUSED)


@dataclass
class Month:
    first_day: datetime.date
    received: int = 0
    answered: int = 0
    refused: int = 0
    median_days: float | None = None


def month_starts(today: datetime.date) -> list[datetime.date]:
    """The first days of the last MONTHS months, this one included, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(MONTHS):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def current_figures(now: datetime.datetime | None = None) -> dict:
    """The figures counted less than FRESH_FOR ago (today's), or counted now: with `counted_at`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    kept = KEPT.get(CACHE_KEY)
    if kept and kept["today"] == today and kept["counted_at"] <= now < kept["counted_at"] + FRESH_FOR:
        return kept
    counted = {**figures(today), "today": today, "counted_at": now}
    KEPT.set(CACHE_KEY, counted, int(FRESH_FOR.total_seconds()))
    return counted


def figures(today: datetime.date | None = None) -> dict:
    """Counted by the database (months in Xiamen's time): two queries, however many messages."""
    today = today or timezone.localdate()
    starts = month_starts(today)
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(starts[0], datetime.time.min, tzinfo=zone)
    recent = Feedback.objects.received_since(since).annotate(month=TruncMonth("received_at", tzinfo=zone))
    months = {start: Month(start) for start in starts}
    counts = (
        recent.order_by()
        .values("month")
        .annotate(received=Count("pk"), answered=Count("pk", filter=ANSWERED), refused=Count("pk", filter=REFUSED))
    )
    for row in counts:
        if month := months.get(_first_day(row["month"], zone)):
            month.received, month.answered, month.refused = row["received"], row["answered"], row["refused"]
    by_month, overall = _median_days(recent.filter(ANSWERED), zone)
    for first_day, days in by_month.items():
        if first_day in months:
            months[first_day].median_days = days
    sums = (sum(getattr(m, name) for m in months.values()) for name in ("received", "answered", "refused"))
    total = Month(starts[0], *sums, median_days=overall)
    return {"months": list(months.values()), "total": total}


def _median_days(answered, zone) -> tuple[dict, float | None]:
    """The median days from receipt to answer, by month and of all: the database ranks the answers by how
    long they took, within their month and among all, and returns only those in the middle of either
    (one or two each)."""
    took = ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField())
    order = [took.asc(), F("pk").asc()]
    ranked = answered.annotate(
        took=took,
        rank=Window(RowNumber(), partition_by=[F("month")], order_by=order),
        size=Window(Count("pk"), partition_by=[F("month")]),
        rank_of_all=Window(RowNumber(), order_by=order),
        size_of_all=Window(Count("pk")),
    )
    middle = ranked.filter(
        Q(rank=(F("size") + 1) / 2)
        | Q(rank=(F("size") + 2) / 2)
        | Q(rank_of_all=(F("size_of_all") + 1) / 2)
        | Q(rank_of_all=(F("size_of_all") + 2) / 2)
    )
    months, everything = {}, []
    for month, duration, rank, size, rank_of_all, size_of_all in middle.values_list(
        "month", "took", "rank", "size", "rank_of_all", "size_of_all"
    ):
        days = duration.total_seconds() / 86400
        if rank in _middle(size):
            months.setdefault(_first_day(month, zone), []).append(days)
        if rank_of_all in _middle(size_of_all):
            everything.append(days)
    return {key: _mean(days) for key, days in months.items()}, _mean(everything) if everything else None


def _middle(size: int) -> set[int]:
    """The ranks (from 1) whose mean is the median of `size` values: one, or two when `size` is even."""
    return {(size + 1) // 2, (size + 2) // 2}


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 1)


def _first_day(month, zone) -> datetime.date:
    # TruncMonth of a moment is a moment (midnight of the month's first day in `zone`) on both databases.
    return timezone.localtime(month, zone).date() if isinstance(month, datetime.datetime) else month
