"""Verdicts that do not depend on the day (issue 32).

This machine's speed varies up to 3× from one day to the next, so a millisecond figure alone passes on a
fast day and fails on a slow one. Every millisecond (or second) target therefore has a twin: the figure
as it would read at the reference speed, scaled by a reference workload timed in the same process,
just after the figure (`reference_ms`). The verdict is the twin's; the table prints both.

The reference workload is what every timed row is made of, in small: one request through the whole
middleware stack (GET /healthz, whose view runs SELECT 1) and the calibration query, a fixed piece of
work for PostgreSQL. REFERENCE_DAY_MS is its time on the quiet machine on which the targets were met
(docs/benchmarks.md, "Verdicts that do not depend on the day"): `python bench/speed.py` measures the
reference and the static file's rate together and prints the reference day's value they imply.
"""

import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: python bench/speed.py

from bench.harness import Table  # after the project is on the path

REFERENCE_DAY_MS = 1.75
# The static file's rate through gunicorn and whitenoise on the reference day (bench/scale.py's page rows):
# each full run prints the speed it implies beside the reference workload's, as a cross-check.
REFERENCE_DAY_STATIC_RPS = 5000
# Counting in SQL, written so that both databases run it (the benchmarks use PostgreSQL's figure).
CALIBRATION_QUERY = (
    "WITH RECURSIVE counted(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counted WHERE n < 5000) "
    "SELECT sum(n % 7) FROM counted"
)
SAMPLES = 61


def reference_ms(samples: int = SAMPLES) -> float:
    """The reference workload now, in this process: the lower quartile of `samples` runs (steadier than
    the median from one measurement to the next, and still moved by a machine that stays busy)."""
    from django.db import connection
    from django.test import Client

    browser = Client(HTTP_HOST="127.0.0.1")
    times = []
    for _ in range(samples + 1):
        start = time.perf_counter()
        if browser.get("/healthz").status_code != 200:
            raise RuntimeError("/healthz did not answer 200: the reference cannot be measured")
        with connection.cursor() as cursor:
            cursor.execute(CALIBRATION_QUERY)
            cursor.fetchone()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.quantiles(times[1:], n=4)[0]  # the first warms the connection


@dataclass(frozen=True)
class Speed:
    """How fast the machine is now against the reference day: `factor` < 1 on a slower day."""

    reference_ms: float

    @property
    def factor(self) -> float:
        return REFERENCE_DAY_MS / self.reference_ms

    def at_reference(self, value: float) -> float:
        return value * self.factor

    @classmethod
    def now(cls) -> "Speed":
        return cls(reference_ms())

    @classmethod
    def unscaled(cls) -> "Speed":
        """For a run without PostgreSQL (bench/reading.py alone): the times are judged as measured."""
        return cls(REFERENCE_DAY_MS)


def add_timed(
    table: Table,
    metric: str,
    value: float,
    target: float,
    *,
    unit: str = "ms",
    baseline: str = "",
    ratio: str = "",
    speed: Speed | None = None,
    strict: bool = False,
) -> Speed:
    """A row with a time target: the time as measured, its twin at the reference speed, and the verdict
    of the twin (≤ target, or < target when `strict`). The reference is measured now unless given.
    Returns the speed used, for rows measured together."""
    speed = speed or Speed.now()
    twin = speed.at_reference(value)
    digits = 2 if unit == "s" else 1
    table.add(
        metric,
        f"{value:.{digits}f} {unit}",
        baseline,
        ratio,
        f"{'<' if strict else '≤'} {target:g} {unit}",
        twin < target if strict else twin <= target,
        twin=f"{twin:.{digits}f} {unit} (×{speed.factor:.2f})",
    )
    return speed


def add_speed_row(table: Table) -> Speed:
    """The row that says how fast the machine is in this run, before the timed rows."""
    speed = Speed.now()
    table.add(
        "reference workload (GET /healthz + calibration query), lower quartile",
        f"{speed.reference_ms:.2f} ms",
        f"{REFERENCE_DAY_MS:.2f} ms (reference day)",
        f"×{speed.factor:.2f}",
        "",
        None,
    )
    return speed


def add_static_speed_row(table: Table, static_rps: float) -> None:
    """The machine's speed by the static file (wrk through gunicorn), beside the reference workload's:
    two ways of reading the day that should roughly agree on a quiet machine."""
    speed = Speed.now()
    table.add(
        "machine speed by the static file vs by the reference workload",
        f"×{static_rps / REFERENCE_DAY_STATIC_RPS:.2f}",
        f"{static_rps:.0f} req/s ({REFERENCE_DAY_STATIC_RPS:,} on the reference day)",
        f"×{speed.factor:.2f}",
        "",
        None,
    )


def calibrate(rounds: int = 5, seconds: int = 5) -> float:
    """REFERENCE_DAY_MS as this machine implies it now: the reference workload and the static file's
    rate measured together, in turns, on a small database of its own; the rate of the reference day
    over today's, times today's reference. Run it on a quiet machine (`bench/speed.py`)."""
    from bench.harness import BenchDatabase, Gunicorn, ensure_services, free_port, log, wrk
    from bench.scale import django_in_process

    ensure_services()
    implied = []
    with BenchDatabase("xmp_bench_speed") as db:
        django_in_process(db.env)
        Path(db.env["STATIC_ROOT"], "bench-speed.html").write_bytes(b"<!doctype html>" + b"x" * 60_000)
        with Gunicorn(free_port(), db.env, workers=2) as server:
            static = server.url("/static/bench-speed.html")
            wrk(static, 1, connections=8)
            for _ in range(rounds):
                now = reference_ms()
                rate = wrk(static, seconds, connections=8).requests_per_second
                implied.append(now * rate / REFERENCE_DAY_STATIC_RPS)
                log(f"reference {now:.2f} ms, static file {rate:.0f} req/s: the reference day's {implied[-1]:.2f} ms")
        from django.db import connections

        connections.close_all()
    return statistics.median(implied)


if __name__ == "__main__":
    print(f"REFERENCE_DAY_MS = {calibrate():.2f}  (now: {REFERENCE_DAY_MS})")
