"""The content's change counter (measures/domain/revision.py): kept by triggers on every content table, so
that no way of changing public content can leave the page cache and the ETags behind, and no change to
unpublished content moves it."""

from types import SimpleNamespace

import pytest
from django.db import connection
from simple_history.utils import bulk_create_with_history

from measures.domain.documents import RelatedDocument, RelatedDocumentMeasure
from measures.domain.eligibility import (
    ApplicationDepartment,
    ApplicationGuide,
    ApplicationInfo,
    AwardRecipientKind,
    Department,
    RecipientKind,
)
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource, PublicationStatus
from measures.domain.questions import QuestionAnswer
from measures.domain.revision import ContentRevision, content_revision, models_with_history, tables_with_triggers
from measures.search.synonyms import SearchSynonym


@pytest.mark.django_db
def test_every_content_table_counts_its_changes():
    """A content model added without its trigger would leave its edits invisible to the cache."""
    assert tables_with_triggers() == {model._meta.db_table for model in models_with_history()}


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


# Every content table, walked: a write that touches only draft work, and one the public sees. Each
# entry makes its rows with `world` (a published measure with a tagged award and application facts, and
# a draft measure with its own). A content table added without an entry here fails the walk.


@pytest.fixture
def world(small_policy):
    published = Measure.objects.get(policy=small_policy, number=1)
    public_award = Award.objects.get(clause__measure=published)
    public_kind = RecipientKind.objects.create(slug="incubator", name="孵化器", group=RecipientKind.Group.INCUBATOR)
    AwardRecipientKind.objects.create(award=public_award, kind=public_kind)
    public_info = ApplicationInfo.objects.create(measure=published, hotline="0592-1")
    public_department = Department.objects.create(name="公开的责任单位")
    ApplicationDepartment.objects.create(info=public_info, department=public_department)
    draft = Measure.objects.create(
        policy=small_policy, pillar=published.pillar, number=4, title="草稿措施", status=PublicationStatus.DRAFT
    )
    draft_clause = Clause.objects.create(measure=draft, position=1, text="草稿条款，最高100万元。")
    draft_award = Award.objects.create(
        clause=draft_clause,
        amount_yuan=1_000_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.REWARD,
        recipient="草稿对象",
        source_phrase="最高100万元",
    )
    document = RelatedDocument.objects.create(
        policy=small_policy, title="配套文件", relation=RelatedDocument.Relation.IMPLEMENTS
    )
    return SimpleNamespace(
        policy=small_policy,
        published=published,
        public_award=public_award,
        public_kind=public_kind,
        public_info=public_info,
        public_department=public_department,
        draft=draft,
        draft_clause=draft_clause,
        draft_award=draft_award,
        draft_info=ApplicationInfo.objects.create(measure=draft, hotline="0592-2"),
        document=document,
    )


def written_and_gone(model, **fields):
    """Insert a row, save it again, delete it: the three writes a table's trigger hears."""
    row = model.objects.create(**fields)
    row.save()
    row.delete()


def _draft_kind(w):
    kind = RecipientKind.objects.create(slug="draft-kind", name="草稿类别", group=RecipientKind.Group.PROJECT)
    link = AwardRecipientKind.objects.create(award=w.draft_award, kind=kind)
    kind.name = "改名的草稿类别"
    kind.save()
    link.delete()
    kind.delete()


def _draft_department(w):
    department = Department.objects.create(name="草稿的责任单位")
    link = ApplicationDepartment.objects.create(info=w.draft_info, department=department)
    department.phone = "0592-3"
    department.save()
    link.delete()
    department.delete()


def _draft_facts(w):
    w.draft_info.delete()
    written_and_gone(ApplicationInfo, measure=w.draft, hotline="0592-4")
    written_and_gone(ApplicationInfo, award=w.draft_award, hotline="0592-5")


def _draft_questions(w):
    """A draft 问答 on a published measure, and a published one on a draft measure: neither is public."""
    written_and_gone(QuestionAnswer, measure=w.published, question="草稿问题？", answer="草稿答复。")
    written_and_gone(
        QuestionAnswer, measure=w.draft, question="问题？", answer="答复。", status=PublicationStatus.PUBLISHED
    )


def _renamed(row, field, value):
    setattr(row, field, value)
    row.save()


ALWAYS_PUBLIC = None  # a table without drafts: every row of it is public

WRITES = {
    QuestionAnswer: (
        _draft_questions,
        lambda w: QuestionAnswer.objects.create(
            measure=w.published, question="是否适用？", answer="适用。", status=PublicationStatus.PUBLISHED
        ),
    ),
    Policy: (ALWAYS_PUBLIC, lambda w: _renamed(w.policy, "title", "改过的政策标题")),
    PolicySource: (
        ALWAYS_PUBLIC,
        lambda w: PolicySource.objects.create(policy=w.policy, label="新来源", url="https://example.org/s"),
    ),
    Pillar: (ALWAYS_PUBLIC, lambda w: _renamed(Pillar.objects.get(policy=w.policy, number=1), "title", "改过的方面")),
    Measure: (
        lambda w: written_and_gone(
            Measure, policy=w.policy, pillar=w.draft.pillar, number=5, title="另一草稿", status=PublicationStatus.DRAFT
        ),
        lambda w: _renamed(w.published, "title", "改过的措施标题"),
    ),
    Clause: (
        lambda w: written_and_gone(Clause, measure=w.draft, position=2, text="草稿措施的新条款"),
        lambda w: _renamed(Clause.objects.get(measure=w.published), "text", "改过的条款"),
    ),
    Award: (
        lambda w: written_and_gone(
            Award,
            clause=w.draft_clause,
            position=2,
            amount_yuan=2_000_000,
            limit=Award.Limit.CEILING,
            recurrence=Award.Recurrence.ONCE,
            nature=Award.Nature.REWARD,
            recipient="草稿对象",
            source_phrase="最高200万元",
        ),
        lambda w: _renamed(w.public_award, "amount_yuan", 6_000_000),
    ),
    RelatedDocument: (ALWAYS_PUBLIC, lambda w: _renamed(w.document, "title", "改过的配套文件")),
    # Search's synonyms change what every search page finds.
    SearchSynonym: (ALWAYS_PUBLIC, lambda w: SearchSynonym.objects.create(words="孵化、加速")),
    RelatedDocumentMeasure: (
        lambda w: written_and_gone(RelatedDocumentMeasure, document=w.document, measure=w.draft),
        lambda w: RelatedDocumentMeasure.objects.create(document=w.document, measure=w.published),
    ),
    RecipientKind: (_draft_kind, lambda w: _renamed(w.public_kind, "name", "改名的孵化器")),
    AwardRecipientKind: (
        lambda w: written_and_gone(AwardRecipientKind, award=w.draft_award, kind=w.public_kind),
        lambda w: AwardRecipientKind.objects.filter(award=w.public_award).delete(),
    ),
    Department: (_draft_department, lambda w: _renamed(w.public_department, "phone", "0592-9")),
    ApplicationInfo: (
        _draft_facts,
        lambda w: _renamed(w.public_info, "hotline", "0592-8"),
    ),
    ApplicationDepartment: (
        lambda w: written_and_gone(ApplicationDepartment, info=w.draft_info, department=w.public_department),
        lambda w: ApplicationDepartment.objects.filter(info=w.public_info).delete(),
    ),
    ApplicationGuide: (
        lambda w: written_and_gone(ApplicationGuide, info=w.draft_info, title="草稿指南", url="https://example.org/g"),
        lambda w: ApplicationGuide.objects.create(info=w.public_info, title="申报指南", url="https://example.org/g"),
    ),
}

WATCHED_PAGES = ["/", "/policies/test-policy/measures/1/", "/calculator/", "/api/v1/recipient-kinds/"]


def test_every_content_table_has_a_draft_write_and_a_public_write_below():
    assert set(WRITES) == set(models_with_history())


def _validators(client):
    return [(client.get(url)["ETag"], client.get(url)["Last-Modified"]) for url in WATCHED_PAGES]


@pytest.mark.parametrize("model", sorted(WRITES, key=lambda m: m._meta.db_table), ids=lambda m: m.__name__)
def test_draft_work_on_each_content_table_leaves_every_public_etag_alone(client, world, model):
    """Else anyone could tell from the ETags when editors tag a draft award or give a draft measure its
    application facts."""
    draft_write, public_write = WRITES[model]
    if draft_write is not ALWAYS_PUBLIC:
        before, validators = content_revision(), _validators(client)
        draft_write(world)
        assert content_revision() == before
        assert _validators(client) == validators
    before, etags = content_revision(), [etag for etag, _ in _validators(client)]
    public_write(world)
    assert content_revision().key != before.key
    assert all(new != old for (new, _), old in zip(_validators(client), etags, strict=True))
