"""OneOf: a column compared with a list of ids bound as one value (PostgreSQL's array) or as IN (...)
(SQLite), the same rows either way, kept or left out."""

import pytest

from measures.domain.id_lists import OneOf
from measures.domain.models import Award, Measure


@pytest.fixture
def measures(small_policy):
    return list(Measure.objects.filter(policy=small_policy).order_by("number"))


def test_one_of_keeps_the_rows_listed_and_exclude_leaves_them_out(small_policy, measures):
    first, second, third = measures
    listed = [first.pk, third.pk, 10**9]  # an id of no row matches nothing
    of_policy = Measure.objects.filter(policy=small_policy).order_by("number")
    assert list(of_policy.filter(OneOf("id", listed))) == [first, third]
    assert list(of_policy.exclude(OneOf("id", listed))) == [second]
    assert list(of_policy.filter(OneOf("id", []))) == []
    assert list(of_policy.exclude(OneOf("id", []))) == measures


def test_one_of_reads_a_long_list_as_the_usual_in(small_policy):
    award = Award.objects.get(clause__measure__policy=small_policy)
    many = [*range(10**6, 10**6 + 500), small_policy.pk]
    assert list(Award.objects.filter(OneOf("listed_policy_id", many))) == [award]
    assert not Award.objects.exclude(OneOf("listed_policy_id", many)).filter(pk=award.pk).exists()
