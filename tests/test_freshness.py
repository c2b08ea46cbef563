"""The content's change counter (measures/freshness.py): kept by triggers on every historical table,
so that no way of changing the content can leave the page cache and the ETags behind."""

import pytest
from django.db import connection
from simple_history.utils import bulk_create_with_history

from measures.freshness import content_revision, historical_models, tables_with_triggers
from measures.models import Award, Clause, ContentRevision, Measure, Pillar


@pytest.mark.django_db
def test_every_historical_table_counts_its_changes():
    """A content model added without its trigger would leave its edits invisible to the cache."""
    assert tables_with_triggers() == {model._meta.db_table for model in historical_models()}


def test_a_save_a_delete_and_a_history_written_in_bulk_each_count(small_policy):
    seen = {content_revision().key}
    clause = Clause.objects.get(measure__policy=small_policy, position=1)
    clause.save()
    seen.add(content_revision().key)
    Award.objects.get(clause=clause).delete()
    seen.add(content_revision().key)
    # What bypasses save() but writes history (an import, the synthetic corpus) counts too.
    bulk_create_with_history([Pillar(policy=small_policy, number=3, title="第三方面")], Pillar)
    seen.add(content_revision().key)
    # So does a change to the history itself.
    Measure.history.filter(number=1).update(history_change_reason="更正说明")
    seen.add(content_revision().key)
    assert len(seen) == 5


def test_reading_is_not_writing(small_policy):
    assert content_revision() == content_revision()


def test_the_counter_comes_back_if_its_row_was_emptied(small_policy):
    """A flush (as between browser tests) deletes the row; the next change brings it back."""
    ContentRevision.objects.all().delete()
    assert content_revision().key == "0"
    Clause.objects.get(measure__policy=small_policy, position=1).save()
    assert content_revision().key == "1"
    assert content_revision().last_modified is not None


def test_reading_the_revision_is_one_query_by_primary_key(small_policy, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        content_revision()
    assert "WHERE id = 1" in captured.captured_queries[0]["sql"]
    assert connection.vendor in {"sqlite", "postgresql"}
