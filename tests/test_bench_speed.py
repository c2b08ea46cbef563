"""Benchmark verdicts that do not depend on the day (bench/speed.py): a time row is judged by its twin
at the reference speed, and the table prints the time as measured beside it."""

import pytest

from bench.harness import Table
from bench.speed import REFERENCE_DAY_MS, Speed, add_timed, reference_ms


def verdict(table: Table) -> str:
    return table.lines()[-1]


def test_a_time_over_its_target_on_a_machine_twice_as_slow_passes_and_shows_both_figures():
    table = Table()
    add_timed(table, "finder p95", 52.0, 30, speed=Speed(REFERENCE_DAY_MS * 2))
    assert verdict(table) == "overall: PASS"
    row = table.lines()[2]
    assert "52.0 ms" in row and "26.0 ms (×0.50)" in row and "≤ 30 ms" in row


def test_a_time_within_its_target_on_a_machine_twice_as_fast_fails():
    table = Table()
    add_timed(table, "finder p95", 20.0, 30, speed=Speed(REFERENCE_DAY_MS / 2))
    assert verdict(table) == "overall: FAIL"
    assert "40.0 ms (×2.00)" in table.lines()[2]


def test_a_strict_target_in_seconds_fails_at_the_target_itself():
    table = Table()
    add_timed(table, "read 1 MB", 5.0, 5, unit="s", strict=True, speed=Speed.unscaled())
    assert verdict(table) == "overall: FAIL"
    assert "< 5 s" in table.lines()[2]


def test_a_table_without_time_rows_has_no_reference_speed_column():
    table = Table()
    table.add("errors", "0", "", "", "0", True)
    assert "at reference speed" not in table.lines()[0]
    add_timed(table, "p95", 1.0, 30, speed=Speed.unscaled())
    assert "at reference speed" in table.lines()[0]


@pytest.mark.django_db
def test_the_reference_is_measured_through_the_site_and_the_database():
    assert 0 < reference_ms(samples=3) < 10_000
