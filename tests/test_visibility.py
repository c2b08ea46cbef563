""" "Visible to the public" is written once for the application (measures/domain/models.py, PUBLIC_CLAUSE) and
frozen in the migrations' SQL (the award listing's triggers, 0005; the content revision's, 0006; search's
own table, 0011). For every combination of the statuses that decide it, they all agree."""

import itertools

import pytest
from django.db import connection

from measures.domain.models import Award, Clause, Measure, PublicationStatus, is_public_clause
from measures.domain.public_history import PublicState
from measures.domain.questions import QuestionAnswer, is_public_question
from measures.domain.revision import content_revision

DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED
COMBINATIONS = list(itertools.product([PUBLISHED, DRAFT], [PUBLISHED, DRAFT], [False, True], [PUBLISHED, DRAFT]))


def award_on(clause, status):
    return Award.objects.create(
        clause=clause,
        status=status,
        amount_yuan=1_000_000,
        limit=Award.Limit.EXACT,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient="企业",
        source_phrase="补助100万元",
    )


@pytest.mark.parametrize(("measure_status", "clause_status", "is_draft_of", "award_status"), COMBINATIONS)
def test_the_sql_and_the_python_rule_agree(small_policy, measure_status, clause_status, is_draft_of, award_status):
    pillar = small_policy.pillars.first()
    measure = Measure.objects.create(policy=small_policy, pillar=pillar, number=4, title="规则", status=measure_status)
    fields = {"measure": measure, "provenance": "policy_text", "source_url": "https://e.org", "text": "补助100万元"}
    original = Clause.objects.create(position=1, **fields) if is_draft_of else None
    clause = Clause.objects.create(position=1, status=clause_status, draft_of=original, **fields)
    award = award_on(clause, award_status)

    clause_public = is_public_clause(
        status=clause_status, draft_of=original and original.pk, measure_status=measure_status
    )
    award_public = clause_public and award_status == PUBLISHED

    assert Clause.objects.published().filter(pk=clause.pk).exists() == clause_public
    assert Award.objects.get(pk=award.pk).is_public == award_public  # migration 0005's SQL
    assert PublicState.objects.filter(subject="clause", object_id=clause.pk, visible=True).exists() == clause_public
    if connection.vendor == "postgresql":  # migration 0011's SQL
        with connection.cursor() as cursor:
            cursor.execute("SELECT published FROM measures_clause_search WHERE clause_id = %s", [clause.pk])
            assert cursor.fetchone()[0] == clause_public
    before = content_revision().key  # migration 0006's SQL: a write counts when the row is public
    with connection.cursor() as cursor:
        cursor.execute("UPDATE measures_clause SET is_complete = NOT is_complete WHERE id = %s", [clause.pk])
    assert (content_revision().key != before) == clause_public


@pytest.mark.parametrize(("measure_status", "question_status"), list(itertools.product([PUBLISHED, DRAFT], repeat=2)))
def test_the_sql_and_the_python_rule_agree_on_a_question(small_policy, measure_status, question_status):
    """A 政策问答 (measures/domain/questions.py) is public when it and its measure are published: the
    QuerySet, the Python rule, the public history and migration 0030's triggers agree."""
    pillar = small_policy.pillars.first()
    measure = Measure.objects.create(policy=small_policy, pillar=pillar, number=4, title="规则", status=measure_status)
    question = QuestionAnswer.objects.create(measure=measure, question="问", answer="答", status=question_status)
    public = is_public_question(status=question_status, measure_status=measure_status)

    assert QuestionAnswer.objects.published().filter(pk=question.pk).exists() == public
    assert PublicState.objects.filter(subject="qa", object_id=question.pk, visible=True).exists() == public
    before = content_revision().key
    with connection.cursor() as cursor:
        cursor.execute("UPDATE measures_questionanswer SET answer = answer || '。' WHERE id = %s", [question.pk])
    assert (content_revision().key != before) == public
