"""/feedback/'s figures counted by the database (measures/public/feedback/figures.py): each month's
messages, answers, refusals and median days to answer equal what counting the messages one by one in
Xiamen's time gives, months with an odd and an even number of answers, and messages on a month's edge."""

import datetime
import random
import statistics
from zoneinfo import ZoneInfo

import pytest

from measures.domain.feedback import Feedback
from measures.public.feedback.figures import FRESH_FOR, current_figures, figures, month_starts

pytestmark = pytest.mark.django_db

XIAMEN = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 6, 15)


def message(received_at, state=Feedback.State.NEW, answer_days=None):
    item = Feedback(kind="question", text="问题", concerns="第1条", received_at=received_at, due_on=TODAY, state=state)
    if state == Feedback.State.ANSWERED:
        item.answer, item.answered_at = "答复", received_at + datetime.timedelta(days=answer_days)
    elif state == Feedback.State.REFUSED:
        item.refusal_reason = "无关"
    return item


def counted_one_by_one(items, today):
    """The figures as a person would count them: each message's month in Xiamen, the median of the list."""
    starts = month_starts(today)
    months = {start: [0, 0, 0, []] for start in starts}
    for item in items:
        month = months.get(item.received_at.astimezone(XIAMEN).date().replace(day=1))
        if month is None:
            continue
        month[0] += 1
        if item.state == Feedback.State.ANSWERED:
            month[1] += 1
            month[3].append((item.answered_at - item.received_at).total_seconds() / 86400)
        month[2] += item.state == Feedback.State.REFUSED
    every = [days for month in months.values() for days in month[3]]

    def median(days):
        return round(statistics.median(days), 1) if days else None

    rows = [(start, r, a, f, median(d)) for start, (r, a, f, d) in months.items()]
    total = (sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows), median(every))
    return rows, total


def as_rows(result):
    rows = [(m.first_day, m.received, m.answered, m.refused, m.median_days) for m in result["months"]]
    total = result["total"]
    return rows, (total.received, total.answered, total.refused, total.median_days)


def test_the_figures_equal_the_messages_counted_one_by_one():
    rng = random.Random(7)
    start = datetime.datetime(2025, 5, 1, tzinfo=XIAMEN)
    items = []
    for _ in range(400):
        received = start + datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 410))
        roll = rng.random()
        if roll < 0.6:
            items.append(message(received, Feedback.State.ANSWERED, rng.choice([0.5, 1, 2, 3.25, 7, 12])))
        elif roll < 0.75:
            items.append(message(received, Feedback.State.REFUSED))
        else:
            items.append(message(received))
    Feedback.objects.bulk_create(items)
    assert as_rows(figures(TODAY)) == counted_one_by_one(items, TODAY)


def test_a_message_is_counted_in_its_month_in_xiamen_and_even_counts_take_the_mean_of_the_middle_two():
    # 16:30 UTC on 31 May is 00:30 on 1 June in Xiamen: a June message.
    edge = datetime.datetime(2026, 5, 31, 16, 30, tzinfo=datetime.UTC)
    items = [message(edge, Feedback.State.ANSWERED, days) for days in (1, 2, 6, 30)]
    items.append(message(datetime.datetime(2026, 5, 31, 15, 30, tzinfo=datetime.UTC), Feedback.State.REFUSED))
    Feedback.objects.bulk_create(items)
    months = {m.first_day: m for m in figures(TODAY)["months"]}
    june, may = months[datetime.date(2026, 6, 1)], months[datetime.date(2026, 5, 1)]
    assert (june.received, june.answered, june.median_days) == (4, 4, 4.0)  # the mean of 2 and 6 days
    assert (may.received, may.refused, may.median_days) == (1, 1, None)


def test_the_figures_are_counted_again_once_they_are_five_minutes_old_and_the_page_says_when(client):
    counted_at = datetime.datetime(2026, 6, 15, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Xiamen
    Feedback.objects.bulk_create([message(counted_at - datetime.timedelta(hours=1))])
    assert current_figures(counted_at)["total"].received == 1

    Feedback.objects.bulk_create([message(counted_at)])
    four_minutes_on = counted_at + datetime.timedelta(minutes=4)
    assert current_figures(four_minutes_on)["total"].received == 1  # one count for every visitor
    five_minutes_on = counted_at + FRESH_FOR
    assert current_figures(five_minutes_on)["total"].received == 2
    assert current_figures(five_minutes_on + datetime.timedelta(seconds=1))["counted_at"] == five_minutes_on

    html = client.get("/feedback/").content.decode()
    assert "统计截至" in html and "每5分钟更新" in html


def test_a_cache_server_that_is_down_costs_a_count_not_the_page(client, settings, caplog):
    # Nothing listens on port 1: every cache read and write fails (xmpolicy/optional_cache.py).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    Feedback.objects.bulk_create([message(datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1))])
    response = client.get("/feedback/")
    assert response.status_code == 200
    total = response.content.decode().split("feedback-figures__total", 1)[1].split("</dl>")[0]
    assert "<dd>1</dd>" in total
    assert "feedback figures unavailable" in caplog.text
