"""After an edit the award finder's tally catches up from the log of the awards' changes
(measures/domain/award_changes.py, measures/public/finder/tally.py) instead of counting every award
again, and what it catches up to is what a fresh count gives: every group, every facet's labels, for each
kind of edit an editor makes."""

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F

from measures.domain import award_changes
from measures.domain.award_changes import ChangedAward
from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Award, Clause, Measure, Pillar, PublicationStatus
from measures.public.finder import tally


def comparable(counted: tally.Tally) -> dict:
    """Everything a tally answers from."""
    return {
        "listings": counted.listings,
        "groups": counted.groups,
        "broad": counted.broad,
        "pillar_titles": counted.pillar_titles,
        "kinds": counted.kinds,
        "policies": counted.policies,
        "policies_by_size": counted.policies_by_size,
        "combinations": counted.combinations,
    }


@pytest.fixture
def before(real_policy, small_policy):
    """The tally of both policies as a worker holds it before the edit."""
    return tally.fresh()


def caught_up_as_counted(before, monkeypatch) -> tally.Tally:
    """The tally caught up from `before` (never counted afresh), checked against a fresh count."""
    with monkeypatch.context() as patched:
        patched.setattr(tally, "counted", lambda: pytest.fail("counted afresh instead of catching up"))
        caught = tally.caught_up(before)
    assert comparable(caught) == comparable(tally.fresh())
    return caught


def tagged_award(real_policy) -> Award:
    return Award.objects.published().filter(listed_policy=real_policy, kind_links__isnull=False).first()


def small_award(small_policy) -> Award:
    return Award.objects.get(listed_policy=small_policy)


def test_an_amount_changed_moves_the_award_in_every_scope(before, real_policy, monkeypatch):
    award = tagged_award(real_policy)
    award.amount_yuan += 10_000
    award.save()
    caught = caught_up_as_counted(before, monkeypatch)
    assert caught.position > before.position
    assert caught.listings[award.pk][1] == award.amount_yuan


def test_a_frequency_and_a_nature_changed_move_the_award_between_groups(before, small_policy, monkeypatch):
    award = small_award(small_policy)
    award.recurrence, award.limit = Award.Recurrence.ONCE, Award.Limit.EXACT
    award.save()
    caught = caught_up_as_counted(before, monkeypatch)
    assert caught.listings[award.pk][3:5] == ("once", "exact")


def test_a_deleted_award_leaves_every_scope_and_a_policy_left_without_awards_leaves_the_facet(
    before, small_policy, monkeypatch
):
    small_award(small_policy).delete()
    caught = caught_up_as_counted(before, monkeypatch)
    assert small_policy.pk not in caught.policies
    assert ("policy", small_policy.pk) not in caught.groups


def test_a_deleted_award_with_kinds_leaves_its_kinds_counts(before, real_policy, monkeypatch):
    award = tagged_award(real_policy)
    kinds = list(award.kind_links.values_list("kind_id", flat=True))
    award.delete()
    caught = caught_up_as_counted(before, monkeypatch)
    for kind in kinds:
        assert caught.count(("kind", kind), tally.Question()) == before.count(("kind", kind), tally.Question()) - 1


def test_an_award_moved_to_a_clause_of_another_policy_moves_policy_and_pillar(
    before, real_policy, small_policy, monkeypatch
):
    award = tagged_award(real_policy)
    award.clause = Clause.objects.filter(measure__policy=small_policy).first()
    award.position = 9
    award.save()
    caught = caught_up_as_counted(before, monkeypatch)
    assert caught.listings[award.pk][0] == small_policy.pk


def test_a_clause_moved_to_another_measure_moves_its_awards(before, small_policy, monkeypatch):
    award = small_award(small_policy)
    clause = Clause.objects.get(pk=award.clause_id)
    clause.measure = Measure.objects.get(policy=small_policy, number=3)  # in the second pillar
    clause.position = 9
    clause.save()
    caught = caught_up_as_counted(before, monkeypatch)
    assert caught.listings[award.pk][2] == 2


def test_a_measure_moved_to_another_pillar_moves_its_awards(before, small_policy, monkeypatch):
    measure = Measure.objects.get(policy=small_policy, number=1)
    measure.pillar = Pillar.objects.get(policy=small_policy, number=2)
    measure.save()
    caught = caught_up_as_counted(before, monkeypatch)
    assert caught.listings[small_award(small_policy).pk][2] == 2
    assert caught.pillar_label(2, small_policy.pk) == "第二方面"


def test_a_measure_withdrawn_hides_its_awards_and_published_again_shows_them(before, real_policy, monkeypatch):
    measure = Measure.objects.get(pk=tagged_award(real_policy).clause.measure_id)
    hidden = set(Award.objects.published().filter(clause__measure=measure).values_list("pk", flat=True))
    measure.status = PublicationStatus.DRAFT
    measure.save()
    withdrawn = caught_up_as_counted(before, monkeypatch)
    assert hidden and not hidden & set(withdrawn.listings)
    measure.status = PublicationStatus.PUBLISHED
    measure.save()
    assert hidden <= set(caught_up_as_counted(withdrawn, monkeypatch).listings)


def test_an_award_withdrawn_and_published_again(before, real_policy, monkeypatch):
    award = tagged_award(real_policy)
    award.status = PublicationStatus.DRAFT
    award.save()
    withdrawn = caught_up_as_counted(before, monkeypatch)
    assert award.pk not in withdrawn.listings
    award.status = PublicationStatus.PUBLISHED
    award.save()
    assert award.pk in caught_up_as_counted(withdrawn, monkeypatch).listings


def test_a_kind_added_removed_and_changed_on_an_award(before, real_policy, small_policy, monkeypatch):
    award = small_award(small_policy)
    kinds = list(RecipientKind.objects.order_by("pk")[:2])
    link = AwardRecipientKind.objects.create(award=award, kind=kinds[0])
    added = caught_up_as_counted(before, monkeypatch)
    assert added.listings[award.pk][5] == (kinds[0].pk,)
    link.kind = kinds[1]
    link.save()
    changed = caught_up_as_counted(added, monkeypatch)
    assert changed.listings[award.pk][5] == (kinds[1].pk,)
    link.delete()
    assert caught_up_as_counted(changed, monkeypatch).listings[award.pk][5] == ()


def test_a_new_award_and_a_bulk_update_are_caught_up(before, real_policy, small_policy, monkeypatch):
    clause = Clause.objects.get(pk=small_award(small_policy).clause_id)
    Award.objects.create(
        clause=clause,
        position=2,
        amount_yuan=300_000,
        limit=Award.Limit.EXACT,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient="孵化器",
        source_phrase="给予30万元补助",
    )
    Award.objects.filter(listed_policy=real_policy).update(amount_yuan=F("amount_yuan") + 1)
    caught_up_as_counted(before, monkeypatch)


def test_a_policy_retitled_is_read_anew_though_no_award_changed(before, small_policy, monkeypatch):
    small_policy.short_title = "改过的简称"
    small_policy.save()
    caught = caught_up_as_counted(before, monkeypatch)
    assert caught.position == before.position
    assert caught.policies[small_policy.pk] == ("test-policy", "改过的简称")


def test_a_draft_award_edited_is_not_logged(before, small_policy):
    award = small_award(small_policy)
    award.status = PublicationStatus.DRAFT
    award.save()
    position = award_changes.log_position()
    award = Award.objects.get(pk=award.pk)  # as the admin reads it for the next edit
    award.amount_yuan += 1
    award.save()
    assert award_changes.log_position() == position


def test_a_log_that_no_longer_reaches_back_or_holds_too_many_changes_counts_afresh(before, real_policy, monkeypatch):
    awards = list(Award.objects.published().filter(listed_policy=real_policy)[:3])
    for award in awards:
        award.amount_yuan += 1
        award.save()
    monkeypatch.setattr(tally, "MOST_CHANGES", 2)
    assert award_changes.changed_since(before.position, 2) is None
    assert comparable(tally.caught_up(before)) == comparable(tally.fresh())
    monkeypatch.setattr(tally, "MOST_CHANGES", 10)
    newest = ChangedAward.objects.order_by("-id").first()
    ChangedAward.objects.exclude(pk=newest.pk).delete()  # the older rows dropped, as the log's trigger does
    assert award_changes.changed_since(before.position, 10) is None
    assert comparable(tally.caught_up(before)) == comparable(tally.fresh())


@pytest.mark.usefixtures("sequences_put_back")
def test_a_log_emptied_and_started_again_below_the_position_counts_afresh(before, small_policy):
    ChangedAward.objects.all().delete()
    with connection.cursor() as cursor:  # its ids drawn from 1 again, as after a restore
        for sql in connection.ops.sequence_reset_by_name_sql(
            no_style(), [{"table": ChangedAward._meta.db_table, "column": "id"}]
        ):
            cursor.execute(sql)
    award = small_award(small_policy)
    award.amount_yuan = 6_000_000
    award.save()
    assert award_changes.changed_since(before.position, 10) is None
    assert tally.caught_up(before).listings[award.pk][1] == 6_000_000


def test_two_workers_each_see_an_edit_made_by_either(real_policy, small_policy):
    """Two processes (two gunicorn workers, two instances) each keep their own tally; an edit through
    either is in the other's next answer."""
    first, second = tally._Latest(), tally._Latest()
    key = tally.revision_key(request=None)
    first.get(key), second.get(key)
    award = small_award(small_policy)
    award.amount_yuan = 7_000_000
    award.save()
    key = tally.revision_key(request=None)
    expected = comparable(tally.fresh())
    assert comparable(first.get(key)) == expected
    assert comparable(second.get(key)) == expected
    assert first.get(key).count(tally.ALL, tally.Question(low=7_000_000, high=7_000_000)) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sequences outlive a rollback")
def test_a_rolled_back_change_leaves_a_gap_the_next_change_is_still_read_after(before, small_policy, monkeypatch):
    award = small_award(small_policy)
    with pytest.raises(RuntimeError), transaction.atomic():
        award.amount_yuan += 1
        award.save()
        raise RuntimeError("rolled back")
    award.refresh_from_db()
    award.amount_yuan += 2
    award.save()
    assert caught_up_as_counted(before, monkeypatch).listings[award.pk][1] == 5_000_002
