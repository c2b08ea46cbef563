"""Every way of writing content reaches the public at once: the next page, finder count and API answer
show it, even when the page before was served from the page cache.

The paths: a save (the admin's, a publication's, a draft of a change published with its awards), the
loader, a backup restored, QuerySet.update(), bulk_create(), bulk_update(), raw SQL, and a migration's
data step (which writes through a plain manager, as migrations' historical models do). The database's
triggers keep the content revision and the award finder's columns whatever the path; the content
QuerySets record history, versions and search tokens for the bulk paths too (measures/domain/models.py,
ContentQuerySet). On PostgreSQL, search's own table and its token counts (migration 0011,
measures/search/table.py) are kept by triggers: after every test here, whatever it wrote, every derived
store equals what its source rows make it (`check_derived`, docs/derived-data.md), except after a write
below the application, which the command reports."""

import pytest
from django.core.management import call_command
from django.db import connection

from measures.domain.models import BULK_REASON, Award, Clause, Measure, PublicationStatus
from measures.domain.public_history import PublicChange
from measures.editing import backup
from measures.editing.publishing import publish_draft, start_draft_of_change
from measures.management.commands.check_derived import differences
from tests.data import assert_derived_data_kept
from tests.html import page, text_of

MEASURE_PAGE = "/policies/test-policy/measures/1/"


def public_view(client):
    """What the public sees of the small policy's awards: the finder, its count, the API, the page (the
    finder and the page as their text reads)."""
    finder = text_of(page(client, "/awards/"))
    api = client.get("/api/v1/awards/").json()
    return {
        "finder": finder,
        "api_amounts": sorted(award["amount_yuan"] for award in api["results"]),
        "api_count": api["count"],
        "page": text_of(page(client, MEASURE_PAGE)),
    }


@pytest.fixture(autouse=True)
def derived_data_kept(db):
    """After each write path, every derived store holds what its source rows make it (check_derived)."""
    yield
    assert_derived_data_kept()


@pytest.fixture
def award(small_policy):
    return Award.objects.get(clause__measure__policy=small_policy)


@pytest.fixture
def cached_client(client, award):
    """A client whose pages were just rendered, so that the page cache holds the state before."""
    before = public_view(client)
    assert before["api_amounts"] == [5_000_000]
    assert "最高500万元" in before["page"]
    return client


@pytest.mark.usefixtures("empty_database")
def test_a_save_reaches_the_next_page(cached_client, award):
    award.amount_yuan = 6_000_000
    award.save()
    view = public_view(cached_client)
    assert view["api_amounts"] == [6_000_000]
    assert "最高600万元" in view["page"] and "最高600万元" in view["finder"]


@pytest.mark.usefixtures("empty_database")
def test_a_draft_of_a_change_published_with_its_awards_reaches_the_next_page(cached_client, award, editor):
    draft = start_draft_of_change(award.clause, editor)
    copy = draft.awards.get()
    copy.amount_yuan = 6_000_000
    copy.save()
    Award.objects.create(
        clause=draft,
        position=2,
        amount_yuan=1_000_000,
        limit=Award.Limit.EXACT,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient="众创空间",
        source_phrase="一次性补助100万元",
    )
    assert public_view(cached_client)["api_amounts"] == [5_000_000]

    publish_draft(draft, editor, "提高上限并新增众创空间补助")

    view = public_view(cached_client)
    assert view["api_amounts"] == [1_000_000, 6_000_000]
    assert "每年每家最高600万元" in view["page"] and "众创空间" in view["finder"]
    assert Award.objects.get(pk=award.pk).amount_yuan == 6_000_000
    # Amount-aware search finds the clause by its award's new amount (its text still says 500万元).
    assert cached_client.get("/api/v1/search/", {"q": "600万元"}).json()["count"] == 1


@pytest.mark.usefixtures("empty_database")
def test_queryset_update_reaches_the_next_page_and_is_recorded(cached_client, award):
    Clause.objects.filter(pk=award.clause_id).update(status=PublicationStatus.DRAFT)
    view = public_view(cached_client)
    assert view["api_count"] == 0
    assert "最高500万元" not in view["page"]
    assert "最高500万元" not in view["finder"]
    clause = Clause.objects.get(pk=award.clause_id)
    assert clause.version == 2
    assert clause.history.first().history_change_reason == BULK_REASON
    assert PublicChange.objects.filter(subject="clause", object_id=clause.pk, kind="withdrawn").exists()


@pytest.mark.usefixtures("empty_database")
def test_queryset_update_of_a_text_refreshes_what_search_finds(cached_client, award):
    Clause.objects.filter(pk=award.clause_id).update(text="改为支持众创空间运营。")
    assert "众创空间" in page(cached_client, "/search/?q=众创空间")
    assert cached_client.get("/api/v1/search/", {"q": "众创空间"}).json()["count"] == 1
    assert cached_client.get("/api/v1/search/", {"q": "孵化器建设，给予"}).json()["count"] == 0


@pytest.mark.usefixtures("empty_database")
def test_a_measure_title_changed_by_update_is_searchable(cached_client, small_policy):
    Measure.objects.filter(policy=small_policy, number=1).update(title="众创空间建设")
    assert cached_client.get("/api/v1/search/", {"q": "众创空间"}).json()["count"] == 1


@pytest.mark.usefixtures("empty_database")
def test_a_withdrawn_measure_and_a_renamed_policy_move_what_search_finds(cached_client, small_policy):
    # Search's own table (PostgreSQL) follows a measure's status and a policy's slug, set by update().
    assert cached_client.get("/api/v1/search/", {"q": "孵化器"}).json()["count"] == 1
    Measure.objects.filter(policy=small_policy, number=1).update(status=PublicationStatus.DRAFT)
    assert cached_client.get("/api/v1/search/", {"q": "孵化器"}).json()["count"] == 0
    Measure.objects.filter(policy=small_policy, number=1).update(status=PublicationStatus.PUBLISHED)
    type(small_policy).objects.filter(pk=small_policy.pk).update(slug="renamed-policy")
    (found,) = cached_client.get("/api/v1/search/", {"q": "孵化器"}).json()["results"]
    assert "renamed-policy" in str(found)


@pytest.mark.usefixtures("empty_database")
def test_a_deleted_clause_leaves_what_search_finds(cached_client, award):
    award.delete()
    Clause.objects.filter(pk=award.clause_id).delete()
    assert cached_client.get("/api/v1/search/", {"q": "孵化器"}).json()["count"] == 0


@pytest.mark.usefixtures("empty_database")
def test_bulk_create_reaches_the_next_page_and_is_recorded(cached_client, award):
    (created,) = Award.objects.bulk_create(
        [
            Award(
                clause_id=award.clause_id,
                position=2,
                amount_yuan=1_000_000,
                limit=Award.Limit.EXACT,
                recurrence=Award.Recurrence.ONCE,
                nature=Award.Nature.SUBSIDY,
                recipient="众创空间",
                source_phrase="一次性补助100万元",
            )
        ]
    )
    view = public_view(cached_client)
    assert view["api_amounts"] == [1_000_000, 5_000_000]
    assert "众创空间" in view["page"]
    assert created.history.get().history_type == "+"
    assert PublicChange.objects.filter(subject="award", object_id=created.pk, kind="created").exists()


@pytest.mark.usefixtures("empty_database")
def test_bulk_create_of_clauses_gives_them_search_tokens(cached_client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=2)
    Clause.objects.bulk_create(
        [
            Clause(
                measure=measure,
                position=1,
                text="建设概念验证中心。",
                provenance="policy_text",
                source_url="https://e.org",
            )
        ]
    )
    assert cached_client.get("/api/v1/search/", {"q": "概念验证"}).json()["count"] == 1


@pytest.mark.usefixtures("empty_database")
def test_bulk_update_reaches_the_next_page_and_is_recorded(cached_client, award):
    award.amount_yuan = 7_000_000
    Award.objects.bulk_update([award], ["amount_yuan"])
    view = public_view(cached_client)
    assert view["api_amounts"] == [7_000_000]
    assert "最高700万元" in view["page"] and "最高700万元" in view["finder"]
    assert Award.objects.get(pk=award.pk).version == 2
    assert PublicChange.objects.filter(subject="award", object_id=award.pk, kind="changed").exists()


@pytest.mark.usefixtures("empty_database")
def test_a_migrations_data_step_reaches_the_next_page(cached_client, award):
    # A migration's historical models write through plain managers: only the database's triggers see it.
    Award._base_manager.filter(pk=award.pk).update(amount_yuan=8_000_000)
    Clause._base_manager.filter(pk=award.clause_id).update(status=PublicationStatus.PUBLISHED, text="迁移后的文字")
    view = public_view(cached_client)
    assert view["api_amounts"] == [8_000_000]
    assert "最高800万元" in view["page"] and "最高800万元" in view["finder"]
    assert "迁移后的文字" in view["page"]
    Award._base_manager.filter(pk=award.pk).update(status=PublicationStatus.DRAFT)
    assert public_view(cached_client)["api_count"] == 0
    # The text's search tokens are Python's, which a plain manager does not compute: reported, then repaired.
    reported = {name for name, lines in differences().items() if lines}
    assert reported == ({"clause_tokens", "search_rows"} if connection.vendor == "postgresql" else {"clause_tokens"})
    call_command("check_derived", "--repair", verbosity=0)
    assert cached_client.get("/api/v1/search/", {"q": "迁移后"}).json()["count"] == 1


@pytest.mark.usefixtures("empty_database")
def test_raw_sql_reaches_the_next_page(cached_client, award):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE measures_award SET amount_yuan = 4000000 WHERE id = %s", [award.pk])
    view = public_view(cached_client)
    assert view["api_amounts"] == [4_000_000]
    assert "最高400万元" in view["page"] and "最高400万元" in view["finder"]


def test_the_loader_reaches_the_next_page(client, real_policy):
    before = client.get("/api/v1/awards/", {"min": 3000}).json()["count"]
    Award.objects.filter(amount_yuan=30_000_000).update(amount_yuan=1)
    assert client.get("/api/v1/awards/", {"min": 3000}).json()["count"] == 0
    call_command("load_policy", "--force", verbosity=0)
    assert client.get("/api/v1/awards/", {"min": 3000}).json()["count"] == before


@pytest.mark.usefixtures("empty_database")
def test_a_restored_backup_reaches_the_next_page(cached_client, small_policy, award, sequences_put_back):
    saved = backup.export_content()
    award.amount_yuan = 9_000_000
    award.save()
    assert public_view(cached_client)["api_amounts"] == [9_000_000]
    models = backup.backed_up_models()
    content = [model for model in reversed(models) if not hasattr(model, "history_id")]  # children first
    for model in content + [model for model in models if model not in content]:
        model._base_manager.all().delete()  # the content, then the history its deletion wrote
    assert cached_client.get("/api/v1/awards/").json()["count"] == 0
    backup.import_content(saved)
    view = public_view(cached_client)
    assert view["api_amounts"] == [5_000_000]
    assert "最高500万元" in view["page"]
