"""Award.is_public (migration 0005) always says what the joins say: the award, its clause and
its measure published, the clause not a draft of a change — whatever wrote the rows."""

import pytest

from measures.domain.models import Award, Clause, Measure, PublicationStatus

DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED


def public_by_the_joins():
    return set(
        Award.objects.filter(
            status=PUBLISHED,
            clause__status=PUBLISHED,
            clause__draft_of__isnull=True,
            clause__measure__status=PUBLISHED,
        ).values_list("pk", flat=True)
    )


def public_by_the_column():
    return set(Award.objects.published().values_list("pk", flat=True))


@pytest.fixture
def award(small_policy):
    return Award.objects.get(clause__measure__policy=small_policy)


def test_the_loaded_real_policy_shows_all_its_awards(real_policy):
    assert public_by_the_column() == public_by_the_joins()
    assert len(public_by_the_column()) == 8


@pytest.mark.usefixtures("empty_database")
def test_an_award_saved_as_a_draft_is_hidden_and_published_again_is_shown(award):
    award.status = DRAFT
    award.save()
    assert public_by_the_column() == public_by_the_joins() == set()
    award.status = PUBLISHED
    award.save()
    assert public_by_the_column() == public_by_the_joins() == {award.pk}


@pytest.mark.usefixtures("empty_database")
def test_a_clause_or_measure_made_a_draft_hides_its_awards_even_by_a_bulk_update(award):
    Clause.objects.filter(pk=award.clause_id).update(status=DRAFT)
    assert public_by_the_column() == set()
    Clause.objects.filter(pk=award.clause_id).update(status=PUBLISHED)
    assert public_by_the_column() == {award.pk}
    measure = Measure.objects.get(clauses__awards=award)
    measure.status = DRAFT
    measure.save()
    assert public_by_the_column() == public_by_the_joins() == set()
    Measure.objects.filter(pk=measure.pk).update(status=PUBLISHED)
    assert public_by_the_column() == public_by_the_joins() == {award.pk}


@pytest.mark.usefixtures("empty_database")
def test_an_award_moved_to_a_draft_of_a_change_is_hidden(award):
    clause = award.clause
    draft = Clause.objects.create(
        measure=clause.measure,
        position=clause.position,
        text=clause.text + "（修改稿）",
        provenance=clause.provenance,
        source_url=clause.source_url,
        status=DRAFT,
        draft_of=clause,
    )
    Award.objects.filter(pk=award.pk).update(clause=draft)
    assert public_by_the_column() == public_by_the_joins() == set()


@pytest.mark.usefixtures("empty_database")
def test_a_new_award_on_a_published_clause_is_shown_at_once(award):
    added = Award.objects.create(
        clause=award.clause,
        position=2,
        amount_yuan=1_000_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient="新型研发机构",
        source_phrase="最高100万元",
    )
    assert public_by_the_column() == public_by_the_joins() == {award.pk, added.pk}


def test_the_copied_columns_are_not_part_of_an_awards_history(award):
    history_fields = {field.name for field in Award.history.model._meta.fields}
    assert not history_fields & {"is_public", "listed_policy", "listed_pillar_number", "listed_measure_number"}
