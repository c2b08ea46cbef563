"""The content's change counter (measures/domain/revision.py): kept by triggers on every content table, so
that no way of changing public content can leave the page cache and the ETags behind, and no change to
unpublished content moves it."""

import pytest
from django.db import connection
from simple_history.utils import bulk_create_with_history

from measures.domain.models import Award, Clause, Measure, Pillar, PublicationStatus
from measures.domain.revision import ContentRevision, content_models, content_revision, tables_with_triggers


@pytest.mark.django_db
def test_every_content_table_counts_its_changes():
    """A content model added without its trigger would leave its edits invisible to the cache."""
    assert tables_with_triggers() == {model._meta.db_table for model in content_models()}


def test_a_save_a_delete_an_update_and_a_bulk_write_each_count(small_policy):
    seen = {content_revision().key}
    clause = Clause.objects.get(measure__policy=small_policy, position=1)
    clause.save()
    seen.add(content_revision().key)
    Award.objects.get(clause=clause).delete()
    seen.add(content_revision().key)
    # What bypasses save() and history counts too: a bulk write, a QuerySet.update().
    bulk_create_with_history([Pillar(policy=small_policy, number=3, title="第三方面")], Pillar)
    seen.add(content_revision().key)
    Clause.objects.filter(pk=clause.pk).update(text="批量修改的文字")
    seen.add(content_revision().key)
    Measure.objects.filter(policy=small_policy, number=2).update(status=PublicationStatus.DRAFT)
    seen.add(content_revision().key)
    assert len(seen) == 6


def test_saving_unpublished_content_does_not_count(small_policy):
    """Else anyone could tell from the ETags when editors work on drafts."""
    measure = Measure.objects.get(policy=small_policy, number=1)
    measure.status = PublicationStatus.DRAFT
    measure.save()
    before = content_revision()
    measure.title = "草稿标题"
    measure.save()
    clause = measure.clauses.get()
    clause.text = "草稿措施中的条款"
    clause.save()
    award = clause.awards.get()
    award.amount_yuan = 7_774_000
    award.save()
    draft = Measure.objects.create(policy=small_policy, pillar=measure.pillar, number=4, title="新草稿", status="draft")
    draft.delete()
    assert content_revision() == before


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
