"""The rules the data model guarantees: named constraints in the database, and the cross-row
rules that model validation enforces for the admin and the loader."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.domain.models import Award, Clause, Measure, Pillar, Policy


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def another_policy_with_a_pillar():
    other = Policy.objects.create(
        slug="other",
        title="另一政策",
        issuing_bodies="机关",
        issue_date=datetime.date(2025, 1, 1),
        declared_measure_count=3,
    )
    return other, Pillar.objects.create(policy=other, number=1, title="方面")


def test_a_measure_number_is_unique_within_its_policy(small_policy):
    measure = Measure(policy=small_policy, pillar=small_policy.pillars.first(), number=1, title="重复")
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "已有相同编号的措施" in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()


def test_the_same_measure_number_may_exist_in_another_policy(small_policy):
    other, pillar = another_policy_with_a_pillar()
    Measure(policy=other, pillar=pillar, number=1, title="第一条").full_clean()


def test_a_measure_number_beyond_the_declared_count_is_refused(small_policy):
    measure = Measure(policy=small_policy, pillar=small_policy.pillars.first(), number=6, title="超出")
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert error.value.message_dict["number"] == ["本政策共5条措施，编号应在1到5之间，不能是6。"]


def test_a_measure_number_below_one_is_refused_by_the_database(small_policy):
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(policy=small_policy, pillar=small_policy.pillars.first(), number=0, title="零")


def test_a_measure_cannot_sit_under_another_policys_pillar(small_policy):
    _, foreign_pillar = another_policy_with_a_pillar()
    measure = Measure(policy=small_policy, pillar=foreign_pillar, number=4, title="错位")
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "同一政策" in error.value.message_dict["pillar"][0]


def test_the_declared_count_cannot_drop_below_a_recorded_measure(small_policy):
    small_policy.declared_measure_count = 2
    with pytest.raises(ValidationError) as error:
        small_policy.full_clean()
    assert "已录入第3条措施" in error.value.message_dict["declared_measure_count"][0]


def test_a_pillar_number_is_unique_within_its_policy(small_policy):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pillar.objects.create(policy=small_policy, number=1, title="重复")


@pytest.mark.usefixtures("empty_database")
def test_a_clause_position_is_unique_within_its_measure(small_policy):
    clause = Clause.objects.get()
    duplicate = Clause(
        measure=clause.measure, position=1, text="x", provenance="policy_text", source_url="https://a.b/"
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "已有相同序号的段落" in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.usefixtures("empty_database")
def test_a_negative_amount_is_refused_with_a_chinese_message(small_policy):
    award = Award.objects.get()
    award.amount_yuan = -1
    with pytest.raises(ValidationError) as error:
        award.full_clean()
    assert "金额不能为负数。" in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        award.save()


@pytest.mark.usefixtures("empty_database")
def test_an_award_position_is_unique_within_its_clause(small_policy):
    award = Award.objects.get()
    award.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        award.save()


def award(**fields):
    defaults = dict(amount_yuan=30_000_000, limit="ceiling", recurrence="unspecified", per_recipient=False)
    return Award(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        (dict(limit="exact", recurrence="once"), "一次性3000万元"),
        (dict(amount_yuan=5_000_000, recurrence="per_year", per_recipient=True), "每年每家最高500万元"),
        (dict(), "最高3000万元"),
        (dict(limit="exact"), "3000万元"),
        (dict(amount_yuan=120_000_000), "最高1.2亿元"),
    ],
)
def test_an_awards_display_text_is_derived_from_its_fields(fields, text):
    assert award(**fields).display_text == text


def policy_issued(issue_date, years=3, effective=None):
    return Policy(issue_date=issue_date, validity_years=years, effective_date=effective, declared_measure_count=1)


def test_validity_runs_from_the_issue_date_to_the_day_before_the_anniversary():
    policy = policy_issued(datetime.date(2025, 2, 17))
    assert policy.expiry_date == datetime.date(2028, 2, 16)
    assert policy.validity_status(datetime.date(2025, 2, 16)) == Policy.ValidityStatus.NOT_YET
    assert policy.validity_status(datetime.date(2025, 2, 17)) == Policy.ValidityStatus.IN_FORCE
    assert policy.validity_status(datetime.date(2028, 2, 16)) == Policy.ValidityStatus.IN_FORCE
    assert policy.validity_status(datetime.date(2028, 2, 17)) == Policy.ValidityStatus.EXPIRED


def test_validity_counts_from_the_effective_date_when_there_is_one():
    policy = policy_issued(datetime.date(2025, 2, 17), years=1, effective=datetime.date(2025, 3, 1))
    assert policy.expiry_date == datetime.date(2026, 2, 28)


def test_a_policy_issued_on_29_february_expires_at_the_end_of_february():
    assert policy_issued(datetime.date(2024, 2, 29), years=1).expiry_date == datetime.date(2025, 2, 28)


def test_a_policy_without_a_validity_period_never_expires():
    policy = policy_issued(datetime.date(2000, 1, 1), years=None)
    assert policy.expiry_date is None
    assert policy.validity_status(datetime.date(2100, 1, 1)) == Policy.ValidityStatus.IN_FORCE
