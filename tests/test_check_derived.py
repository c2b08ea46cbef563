"""`manage.py check_derived` (measures/domain/derived.py declares the stores it checks): clean on a database
the application wrote, and after each kind of write below the application it names the store that
differs and exits 1, until `--repair` has rebuilt it."""

import contextlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils.module_loading import import_string

from measures.domain import derived
from measures.domain.eligibility import ApplicationInfo
from measures.domain.models import Award, Clause
from measures.management.commands.check_derived import differences
from tests.html import between, page, text_of

PAGE = Path(__file__).resolve().parent.parent / "docs" / "derived-data.md"
POSTGRESQL = "postgresql"


def test_the_doc_page_is_the_declaration():
    assert PAGE.read_text(encoding="utf-8") == derived.derived_data_page(), (
        "run: python manage.py check_derived --page > docs/derived-data.md"
    )


def test_every_declared_check_exists_and_every_store_without_one_says_why():
    for store in derived.STORES:
        if store.check:
            assert callable(import_string(store.check.replace(":", ".")))
        else:
            assert store.checked.startswith("no check:")


def differing() -> set[str]:
    return {name for name, lines in differences().items() if lines}


def assert_reported_then_repaired(*stores):
    assert set(stores) <= differing()
    with pytest.raises(CommandError, match=stores[0]) as failed:
        call_command("check_derived", verbosity=0)
    assert failed.value.returncode == 1
    call_command("check_derived", "--repair", verbosity=0)
    assert differing() == set()
    call_command("check_derived", verbosity=0)  # exit status 0


@contextlib.contextmanager
def triggers_off(table):
    """Writes below every trigger of `table` (a restore with triggers disabled, a bulk load)."""
    with connection.cursor() as cursor:
        if connection.vendor == POSTGRESQL:
            # The foreign keys' deferred checks run first: a table with pending trigger events cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            yield cursor
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield cursor
            for _name, sql in triggers:
                cursor.execute(sql)


@pytest.fixture
def award(small_policy):
    return Award.objects.get(clause__measure__policy=small_policy)


def test_a_database_written_by_the_application_is_clean(real_policy, small_policy):
    found = differences()
    assert found and all(lines == [] for lines in found.values()), found
    checked = {store.name for store in derived.STORES if store.check and connection.vendor in store.databases}
    assert set(found) == checked
    call_command("check_derived", verbosity=0)


def search_count(client, term):
    return client.get("/api/v1/search/", {"q": term}).json()["count"]


@pytest.mark.usefixtures("empty_database")
def test_a_clause_text_written_by_raw_sql_is_reported_and_repaired_so_search_finds_it(client, award):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE measures_clause SET text = %s WHERE id = %s", ["改为支持众创空间运营。", award.clause_id]
        )
    stores = ("clause_tokens", "search_rows") if connection.vendor == POSTGRESQL else ("clause_tokens",)
    assert_reported_then_repaired(*stores)
    assert search_count(client, "众创空间") == 1
    assert search_count(client, "孵化器建设，给予") == 0


@pytest.mark.usefixtures("empty_database")
def test_search_row_tokens_written_by_raw_sql_are_reported_and_repaired(client, award):
    if connection.vendor != POSTGRESQL:  # SQLite searches the clauses themselves: no search table to check
        assert "search_rows" not in differences()
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE measures_clause_search SET tokens = '{}' WHERE clause_id = %s", [award.clause_id])
    assert search_count(client, "孵化器") == 0
    assert_reported_then_repaired("search_rows")
    assert search_count(client, "孵化器") == 1


@pytest.mark.usefixtures("empty_database")
def test_token_counts_written_by_raw_sql_are_reported_and_repaired(award):
    if connection.vendor != POSTGRESQL:
        assert "search_token_counts" not in differences()
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE measures_search_token SET clauses = clauses + 5 WHERE token = ''")
    assert_reported_then_repaired("search_token_counts")


@pytest.mark.usefixtures("empty_database")
def test_a_listing_column_written_below_its_triggers_is_reported_and_repaired(client, award):
    with triggers_off("measures_award") as cursor:
        cursor.execute("UPDATE measures_award SET is_public = %s WHERE id = %s", [False, award.pk])
    assert client.get("/api/v1/awards/").json()["count"] == 0
    assert_reported_then_repaired("award_listing")
    assert client.get("/api/v1/awards/").json()["count"] == 1


@pytest.mark.usefixtures("empty_database")
def test_an_awards_window_written_below_its_triggers_is_reported_and_repaired(client, award):
    ApplicationInfo.objects.create(award=award, window_kind="year_round")
    with triggers_off("measures_award") as cursor:
        cursor.execute("UPDATE measures_award SET listed_window_kind = NULL WHERE id = %s", [award.pk])
    assert "500万元" not in year_round_of_calendar(client)
    assert_reported_then_repaired("award_window")
    assert "500万元" in year_round_of_calendar(client)


def year_round_of_calendar(client):
    html = page(client, "/calendar/?policy=test-policy")
    return between(html, 'calendar-section--year-round"', "</section>")


@pytest.mark.usefixtures("empty_database")
def test_a_public_state_lost_is_reported_and_replayed(award):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM measures_publicstate WHERE subject = 'award'")
    assert_reported_then_repaired("public_history")


@pytest.mark.usefixtures("empty_database")
def test_a_tally_counted_before_a_write_the_revision_missed_is_reported_and_counted_again(client, award):
    assert "最高500万元" in text_of(client.get("/awards/").content.decode())
    with triggers_off("measures_award") as cursor:  # the revision's trigger too: the revision stays
        cursor.execute("UPDATE measures_award SET amount_yuan = 6000000 WHERE id = %s", [award.pk])
    assert_reported_then_repaired("finder_tally")


@pytest.mark.usefixtures("empty_database")
def test_a_missing_revision_trigger_is_reported_and_not_repaired(award):
    with triggers_off("measures_measure"):
        assert "content_revision" in differing()
        with pytest.raises(CommandError, match="content_revision"):
            call_command("check_derived", "--repair", verbosity=0)
    assert differing() == set()


@pytest.mark.usefixtures("empty_database")
def test_a_missing_award_changes_trigger_is_reported_and_not_repaired(award):
    with triggers_off("measures_awardrecipientkind"):
        assert "award_changes" in differing()
        with pytest.raises(CommandError, match="award_changes"):
            call_command("check_derived", "--repair", verbosity=0)
    assert differing() == set()


@pytest.mark.usefixtures("empty_database")
def test_a_clause_written_by_the_application_keeps_its_tokens(award):
    clause = Clause.objects.get(pk=award.clause_id)
    clause.text = "改为支持众创空间运营。"
    clause.save()
    assert differing() == set()
