"""发布所选草稿 publishes the selection in one transaction: visitors see a policy's new measures go public
together, never some of them between two publications, and a failure part-way publishes none."""

import pytest
from django.db import DatabaseError

from measures.domain.models import Clause, Measure, PublicationStatus
from measures.editing import actions
from tests.admin_forms import publish_in_admin
from tests.html import page

DRAFT = PublicationStatus.DRAFT


@pytest.fixture
def new_measures(real_policy, editor):
    """Two measures whose text was not yet known, entered as drafts by an editor, a paragraph each."""
    measures = []
    for number in real_policy.pending_measure_numbers[:2]:
        measure = Measure(
            policy=real_policy, pillar=real_policy.pillars.first(), number=number, title=f"新措施{number}", status=DRAFT
        )
        measure._history_user, measure._change_reason = editor, "录入原文"
        measure.save()
        clause = Clause(
            measure=measure,
            position=1,
            text=f"第{number}条的原文。",
            provenance=Clause.Provenance.POLICY_TEXT,
            source_url="https://example.org/text",
            status=DRAFT,
        )
        clause._history_user, clause._change_reason = editor, "录入原文"
        clause.save()
        measures.append(measure)
    return measures


def test_a_failure_part_way_through_the_selection_publishes_none_of_it(
    client, reviewer_client, new_measures, monkeypatch
):
    published = []

    def fails_the_second_time(obj, user, words):
        if published:
            raise DatabaseError("the connection was lost")  # as a database can fail in the middle
        published.append(obj)
        return real_publish(obj, user, words)

    real_publish = actions.publish_draft
    monkeypatch.setattr(actions, "publish_draft", fails_the_second_time)
    with pytest.raises(DatabaseError):
        publish_in_admin(reviewer_client, "measure", *new_measures, reason="一并发布")

    assert published, "the first measure was published before the failure"
    for measure in new_measures:
        assert Measure.objects.get(pk=measure.pk).status == DRAFT
        assert client.get(measure.get_absolute_url()).status_code == 404  # still the pending page


def test_the_selection_goes_public_together(client, reviewer_client, new_measures):
    response = publish_in_admin(reviewer_client, "measure", *new_measures, reason="一并发布")

    assert "已发布" in response.content.decode()
    for measure in new_measures:
        assert f"第{measure.number}条的原文。" in page(client, measure.get_absolute_url())
