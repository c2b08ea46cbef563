"""A clause's draft of a change carries the clause's awards: changed, added and removed inside the draft
without the public seeing it, and written onto the clause's own awards (same ids) when it is published."""

import pytest

from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Award, Clause, PublicationStatus
from measures.domain.public_history import PublicChange
from measures.editing.publishing import PublishingError, publish_clause_draft, publish_draft, start_draft_of_change
from tests.admin_forms import clause_url, form_data
from tests.html import amount_html, between, page, text_of

MEASURE_3 = "/policies/kjcx-2025/measures/3/"


@pytest.fixture
def clause(real_policy):
    """Measure 3's first clause: five awards, among them 不超过100万元 (position 2) and 最高1000万元 (5)."""
    return Clause.objects.get(measure__policy=real_policy, measure__number=3, position=1)


@pytest.fixture
def draft(clause, editor):
    return start_draft_of_change(clause, editor)


def copy_of(draft, position) -> Award:
    return Award.objects.get(clause=draft, draft_of__position=position)


def clause_section(client):
    return between(page(client, MEASURE_3), 'id="clause-1"', "</section>")


def test_a_draft_of_a_change_starts_with_a_copy_of_each_award_and_its_kinds(clause, draft):
    originals = list(clause.awards.order_by("position"))
    copies = list(draft.awards.order_by("position"))
    assert [copy.draft_of_id for copy in copies] == [award.pk for award in originals]
    assert [(c.amount_yuan, c.source_phrase) for c in copies] == [(a.amount_yuan, a.source_phrase) for a in originals]
    for award, copy in zip(originals, copies, strict=True):
        assert set(copy.recipient_kinds.all()) == set(award.recipient_kinds.all())


def test_an_award_changed_in_a_draft_stays_unseen_until_the_draft_is_published(client, editor, clause, draft):
    award = Award.objects.get(clause=clause, position=2)
    copy = copy_of(draft, 2)
    copy.amount_yuan = 1_200_000
    copy.source_phrase = "考核评估优良的分别给予不超过120万元、50万元奖励"
    copy._change_reason = "上限提高到120万元"
    copy.save()

    assert "最高120万元" not in clause_section(client)
    assert "最高120万元" not in page(client, "/awards/")
    assert client.get("/api/v1/awards/", {"min": 110, "max": 130}).json()["count"] == 0

    publish_draft(draft, editor, "经局务会审定")

    published = Award.objects.get(pk=award.pk)  # the same row: the finder, anchors and history follow its id
    assert (published.clause_id, published.position, published.amount_yuan) == (clause.pk, 2, 1_200_000)
    assert "最高120万元" in text_of(clause_section(client))
    assert client.get("/api/v1/awards/", {"min": 110, "max": 130}).json()["count"] == 1
    record = published.history.first()
    assert (record.history_change_reason, record.history_user) == ("上限提高到120万元；经局务会审定", editor)
    entry = PublicChange.objects.get(subject="award", object_id=award.pk, kind="changed")
    assert entry.reason == "上限提高到120万元；经局务会审定"
    assert (entry.old_values["amount_yuan"], entry.new_values["amount_yuan"]) == (1_000_000, 1_200_000)
    assert not Award.objects.filter(clause_id=draft.pk).exists()
    assert not Clause.objects.filter(pk=draft.pk).exists()


def test_awards_added_and_removed_in_a_draft_are_added_and_removed_on_publication(client, editor, clause, draft):
    dropped = Award.objects.get(clause=clause, position=5)
    copy_of(draft, 5).delete()
    added = Award.objects.create(
        clause=draft,
        position=5,
        amount_yuan=6_660_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUPPORT,
        recipient="草稿中新增的对象",
        source_phrase="给予最高666万元支持",
    )
    assert "666万元" not in clause_section(client)

    publish_clause_draft(draft, editor, "改为666万元支持")

    assert not Award.objects.filter(pk=dropped.pk).exists()
    moved = Award.objects.get(pk=added.pk)  # the new award keeps the id it had in the draft
    assert (moved.clause_id, moved.draft_of_id, moved.position) == (clause.pk, None, 5)
    section = clause_section(client)
    assert amount_html("一次性最高666万元") in section and amount_html("最高1000万元") not in section
    kinds = set(PublicChange.objects.filter(subject="award").values_list("object_id", "kind"))
    assert {(dropped.pk, "deleted"), (added.pk, "published")} <= kinds


def test_awards_exchanging_positions_in_a_draft_are_published(editor, clause, draft):
    first, second = Award.objects.get(clause=clause, position=1), Award.objects.get(clause=clause, position=2)
    one, two = copy_of(draft, 1), copy_of(draft, 2)
    one.position = 9
    one.save()
    two.position = 1
    two.save()
    one.position = 2
    one.save()

    publish_clause_draft(draft, editor, "调整顺序")

    assert Award.objects.get(pk=first.pk).position == 2
    assert Award.objects.get(pk=second.pk).position == 1


def test_kinds_changed_in_a_draft_are_published_onto_the_award(client, editor, clause, draft):
    award = Award.objects.get(clause=clause, position=5)
    extra = RecipientKind.objects.exclude(pk__in=award.recipient_kinds.all()).first()
    AwardRecipientKind.objects.create(award=copy_of(draft, 5), kind=extra)
    assert extra not in award.recipient_kinds.all()

    publish_clause_draft(draft, editor, "补充申报主体")

    assert extra in Award.objects.get(pk=award.pk).recipient_kinds.all()
    entry = PublicChange.objects.get(subject="kinds", object_id=award.pk)
    assert entry.reason == "补充申报主体" and extra.name in entry.new_values["names"]


def test_a_draft_is_not_published_over_a_change_made_to_one_of_its_awards_since(editor, clause, draft):
    award = Award.objects.get(clause=clause, position=4)
    award.recipient = "另一位编辑随后改过的对象"
    award.save()

    with pytest.raises(PublishingError, match="直接发布会覆盖那次修改"):
        publish_clause_draft(draft, editor, "发布")
    assert Award.objects.get(pk=award.pk).recipient == "另一位编辑随后改过的对象"
    assert Clause.objects.filter(pk=draft.pk).exists()


def test_an_award_edited_on_the_drafts_admin_page_goes_live_only_when_published(client, editor_client, clause, draft):
    data = form_data(editor_client.get(clause_url(draft)), "clause")
    (prefix,) = [
        name.removesuffix("-amount_yuan")
        for name, value in data.items()
        if name.endswith("-amount_yuan") and value == "100"
    ]
    data[f"{prefix}-amount_yuan"] = "120"
    data["change_reason"] = "上限提高到120万元"
    assert editor_client.post(clause_url(draft), data).status_code == 302

    assert Award.objects.get(clause=clause, position=2).amount_yuan == 1_000_000
    assert copy_of(draft, 2).amount_yuan == 1_200_000
    assert "最高120万元" not in clause_section(client)


def test_a_draft_award_copy_stays_a_draft_when_its_award_was_one(editor, clause):
    award = Award.objects.get(clause=clause, position=3)
    award.status = PublicationStatus.DRAFT
    award.save()
    draft = start_draft_of_change(Clause.objects.get(pk=clause.pk), editor)

    publish_clause_draft(draft, editor, "发布")

    assert Award.objects.get(pk=award.pk).status == PublicationStatus.DRAFT
