"""审核 and 定时发布: an editor submits a draft, a second person (a reviewer) publishes it — now or at a set
time — or returns it with a comment; nobody publishes their own draft unless the site allows it; every
step is in the review history; and a scheduled draft is public not a moment before its time."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.domain.review import DraftReview, ReviewEvent, ReviewState
from measures.editing import review
from measures.editing.editors import EDITORS_GROUP
from measures.editing.publishing import start_draft_of_change
from tests.admin_forms import award_url, clause_url, form_data, publish_in_admin
from tests.html import between, page

DRAFT = PublicationStatus.DRAFT
SECRET = "审核测试词"
Action = ReviewEvent.Action


@pytest.fixture
def draft_measure(real_policy, editor):
    """Measure 7 of the real policy as a draft written by `editor`, with a draft clause and award."""
    measure = Measure.objects.create(
        policy=real_policy,
        pillar=real_policy.pillars.get(number=3),
        number=7,
        title=f"第七条{SECRET}",
        status=DRAFT,
        updated_by=editor,
    )
    clause = Clause.objects.create(
        measure=measure,
        position=1,
        text=f"支持{SECRET}项目，给予一次性7777万元奖励。",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/measure-7",
        status=DRAFT,
        updated_by=editor,
    )
    Award.objects.create(
        clause=clause,
        amount_yuan=77_770_000,
        limit=Award.Limit.EXACT,
        nature=Award.Nature.REWARD,
        recipient=f"{SECRET}企业",
        source_phrase="给予一次性7777万元奖励",
        status=DRAFT,
        updated_by=editor,
    )
    return measure


@pytest.fixture
def second_reviewer(db):
    user = User.objects.create_user("reviewer2", password="reviewer2-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP), Group.objects.get(name=review.REVIEWERS_GROUP))
    return user


def events(item):
    return [(event.action, event.user, event.comment) for event in item.events.order_by("at", "pk")]


MEASURE_7 = "/policies/kjcx-2025/measures/7/"


def search_results(client):
    return between(page(client, f"/search/?q={SECRET}"), 'id="search-count"', "</main>")


# Roles


def test_create_editor_with_reviewer_makes_a_reviewer_and_without_it_an_editor(db, monkeypatch):
    monkeypatch.setenv("XMPOLICY_EDITOR_PASSWORD", "a-long-password-1")
    call_command("create_editor", "zhou", "--reviewer")
    zhou = User.objects.get(username="zhou")
    assert review.is_reviewer(zhou)
    assert set(zhou.groups.values_list("name", flat=True)) == {EDITORS_GROUP, review.REVIEWERS_GROUP}

    call_command("create_editor", "zhou")  # run again without it: an editor only
    zhou = User.objects.get(username="zhou")
    assert not review.is_reviewer(zhou)
    assert zhou.has_perm("measures.add_draftreview")


def test_an_editor_is_not_offered_the_publish_action(editor_client):
    html = page(editor_client, "/admin/measures/measure/")
    assert "提交所选草稿审核" in html
    assert "publish_selected_drafts" not in html


def test_an_editor_cannot_publish_a_submitted_draft(editor, second_reviewer, draft_measure):
    other_editor = User.objects.create_user("lin", password="lin-password-1", is_staff=True)
    other_editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    item = review.submit(draft_measure, editor, "第七条原文已公布")

    with pytest.raises(review.ReviewError, match="只有审核人"):
        review.approve(item, other_editor)
    assert Measure.objects.get(pk=draft_measure.pk).status == DRAFT


def test_an_editors_post_to_the_review_page_is_refused(client, editor, draft_measure):
    item = review.submit(draft_measure, editor, "第七条原文已公布")
    client.force_login(editor)
    response = client.post(f"/admin/measures/draftreview/{item.pk}/change/", {"_publish": "1"})
    assert response.status_code == 403
    assert Measure.objects.get(pk=draft_measure.pk).status == DRAFT


# Submission, publication, return


def test_a_reviewer_publishes_a_submitted_draft_with_the_editors_reason(client, editor, reviewer, draft_measure):
    item = review.submit(draft_measure, editor, "第七条原文已公布")
    assert page(client, MEASURE_7, status=404)

    review.approve(item, reviewer, "已核对原文")

    item.refresh_from_db()
    assert item.state == ReviewState.PUBLISHED
    assert Measure.objects.get(pk=draft_measure.pk).status == PublicationStatus.PUBLISHED
    assert SECRET in page(client, MEASURE_7)
    record = Measure.objects.get(pk=draft_measure.pk).history.first()
    assert (record.history_user, record.history_change_reason) == (reviewer, "第七条原文已公布（审核：已核对原文）")
    assert events(item) == [
        (Action.SUBMITTED, editor, "第七条原文已公布"),
        (Action.PUBLISHED, reviewer, "已核对原文"),
    ]


def test_a_reviewer_publishes_from_the_review_page(client, editor, reviewer, draft_measure):
    item = review.submit(draft_measure, editor, "第七条原文已公布")
    client.force_login(reviewer)
    review_page = page(client, f"/admin/measures/draftreview/{item.pk}/change/")
    assert "发布后的变化" in review_page
    assert "一次性7777万元" in review_page  # the award it publishes
    response = client.post(f"/admin/measures/draftreview/{item.pk}/change/", {"_publish": "1", "comment": ""})
    assert response.status_code == 302
    client.logout()
    assert SECRET in page(client, MEASURE_7)


def test_the_review_page_shows_a_draft_of_a_change_against_its_clause(client, editor, reviewer, real_policy):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)
    draft = start_draft_of_change(clause, editor)
    draft.text = clause.text.replace("。", "，审核改动。", 1)
    draft.save()
    item = review.submit(draft, editor, "补充一句")
    client.force_login(reviewer)
    html = page(client, f"/admin/measures/draftreview/{item.pk}/change/")
    changed = between(html, 'class="publish-draft__row publish-draft__row--changed"', "</tr>")
    assert "修改" in changed and "第1条第1段" in changed
    assert "<ins>，审核改动</ins>" in changed


def test_nobody_publishes_their_own_draft(editor, reviewer, draft_measure):
    Measure.objects.filter(pk=draft_measure.pk).update(updated_by=reviewer)  # the reviewer wrote it
    item = review.submit(Measure.objects.get(pk=draft_measure.pk), editor, "第七条原文已公布")
    with pytest.raises(review.ReviewError, match="不能由您自己审核发布"):
        review.approve(item, reviewer)

    returned = review.return_for_changes(item, reviewer, "请另请人审核")
    own = review.submit(draft_measure, reviewer, "我提交的")  # submitted by the reviewer themself
    assert own.pk == returned.pk
    with pytest.raises(review.ReviewError, match="不能由您自己审核发布"):
        review.approve(own, reviewer)
    assert Measure.objects.get(pk=draft_measure.pk).status == DRAFT


def test_the_publish_action_refuses_a_reviewers_own_draft(client, reviewer, draft_measure):
    Measure.objects.filter(pk=draft_measure.pk).update(updated_by=reviewer)
    client.force_login(reviewer)
    response = client.post(
        "/admin/measures/measure/",
        {"action": "publish_selected_drafts", "_selected_action": [draft_measure.pk]},
        follow=True,
    )
    assert "不能由您自己审核发布" in response.content.decode()
    assert Measure.objects.get(pk=draft_measure.pk).status == DRAFT


def test_the_setting_allows_self_approval_on_a_one_person_site(settings, reviewer, draft_measure):
    settings.REVIEW_ALLOW_SELF_APPROVAL = True
    item = review.submit(draft_measure, reviewer, "第七条原文已公布")
    review.approve(item, reviewer)
    assert Measure.objects.get(pk=draft_measure.pk).status == PublicationStatus.PUBLISHED


def test_a_returned_draft_carries_the_comment_and_can_be_submitted_again(editor, reviewer, draft_measure):
    item = review.submit(draft_measure, editor, "第七条原文已公布")
    with pytest.raises(review.ReviewError, match="退回时请写明意见"):
        review.return_for_changes(item, reviewer, "  ")

    review.return_for_changes(item, reviewer, "金额与原文不符，请核对")
    item.refresh_from_db()
    assert item.state == ReviewState.RETURNED
    with pytest.raises(review.ReviewError, match="不在待审核状态"):
        review.approve(item, reviewer)

    again = review.submit(draft_measure, editor, "已核对金额")
    assert again.pk == item.pk and again.state == ReviewState.SUBMITTED
    assert events(again) == [
        (Action.SUBMITTED, editor, "第七条原文已公布"),
        (Action.RETURNED, reviewer, "金额与原文不符，请核对"),
        (Action.SUBMITTED, editor, "已核对金额"),
    ]


def test_a_draft_is_submitted_once_and_a_published_row_not_at_all(editor, draft_measure, real_policy):
    review.submit(draft_measure, editor, "第七条原文已公布")
    with pytest.raises(review.ReviewError, match="已经提交"):
        review.submit(draft_measure, editor, "再提交一次")
    with pytest.raises(review.ReviewError, match="不是草稿"):
        review.submit(Measure.objects.get(policy=real_policy, number=1), editor, "已发布的")


def test_a_draft_changed_after_submission_is_not_published(editor, reviewer, draft_measure):
    item = review.submit(draft_measure, editor, "第七条原文已公布")
    clause = Clause.objects.get(measure=draft_measure)
    clause.text += "提交后又改的一句。"
    clause.save()
    with pytest.raises(review.ReviewError, match="在提交之后又被修改过"):
        review.approve(item, reviewer)
    assert Measure.objects.get(pk=draft_measure.pk).status == DRAFT


def test_the_review_history_is_in_the_admin(client, editor, reviewer, draft_measure):
    item = review.submit(draft_measure, editor, "第七条原文已公布")
    review.return_for_changes(item, reviewer, "请补充来源")
    client.force_login(reviewer)
    events_list = page(client, "/admin/measures/reviewevent/")
    assert "提交审核" in events_list and "退回修改" in events_list and "请补充来源" in events_list
    review_page = page(client, f"/admin/measures/draftreview/{item.pk}/change/")
    assert "第七条原文已公布" in review_page and "请补充来源" in review_page and "editor" in review_page


def test_a_publication_by_the_action_is_in_the_review_history(client, editor, reviewer, draft_measure):
    item = review.submit(draft_measure, editor, "第七条原文已公布")
    client.force_login(reviewer)
    publish_in_admin(client, "measure", draft_measure, reason="按发文日期发布")
    item.refresh_from_db()
    assert item.state == ReviewState.PUBLISHED
    assert events(item)[-1] == (Action.PUBLISHED, reviewer, "按发文日期发布（发布所选草稿）")


# 定时发布


def schedule(draft, editor, reviewer, minutes=30):
    item = review.submit(draft, editor, "第七条原文已公布")
    when = timezone.now() + datetime.timedelta(minutes=minutes)
    return review.approve(item, reviewer, "按发文日期发布", publish_at=when), when


def test_a_scheduled_draft_is_public_exactly_when_due(client, editor, reviewer, draft_measure):
    item, when = schedule(draft_measure, editor, reviewer)
    assert item.state == ReviewState.SCHEDULED

    report = review.publish_due(now=when - datetime.timedelta(seconds=1))
    assert report.published == 0
    assert page(client, MEASURE_7, status=404)
    assert "找到 0 段" in search_results(client)
    assert "7777" not in page(client, "/api/v1/awards/?min=7000")

    report = review.publish_due(now=when)
    assert report.published == 1
    assert SECRET in page(client, MEASURE_7)
    assert MEASURE_7 in search_results(client)
    assert "77770000" in page(client, "/api/v1/awards/?min=7000")
    item.refresh_from_db()
    assert item.state == ReviewState.PUBLISHED
    assert events(item)[-1] == (Action.PUBLISHED, None, "")
    record = Measure.objects.get(pk=draft_measure.pk).history.first()
    assert record.history_user == reviewer  # who approved it


def test_publish_due_is_idempotent(editor, reviewer, draft_measure):
    _item, when = schedule(draft_measure, editor, reviewer)
    versions = draft_measure.history.count()
    assert review.publish_due(now=when).published == 1
    assert review.publish_due(now=when).published == 0
    call_command("publish_due")  # the command, later: nothing left to do
    assert draft_measure.history.count() == versions + 1
    assert ReviewEvent.objects.filter(action=Action.PUBLISHED).count() == 1


def test_a_past_publication_time_is_refused(editor, reviewer, draft_measure):
    item = review.submit(draft_measure, editor, "第七条原文已公布")
    with pytest.raises(review.ReviewError, match="定时发布时间已过"):
        review.approve(item, reviewer, publish_at=timezone.now() - datetime.timedelta(minutes=1))


def test_a_draft_changed_after_approval_is_returned_not_published(editor, reviewer, draft_measure):
    item, when = schedule(draft_measure, editor, reviewer)
    draft_measure.title += "（改）"
    draft_measure.save()

    report = review.publish_due(now=when)

    assert (report.published, report.returned) == (0, 1)
    item.refresh_from_db()
    assert item.state == ReviewState.RETURNED
    assert "又被修改过" in events(item)[-1][2]
    assert Measure.objects.get(pk=draft_measure.pk).status == DRAFT


def test_the_review_page_schedules_in_beijing_time(client, editor, reviewer, draft_measure):
    item = review.submit(draft_measure, editor, "第七条原文已公布")
    client.force_login(reviewer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.post(
        f"/admin/measures/draftreview/{item.pk}/change/",
        {"_publish": "1", "publish_at": f"{tomorrow:%Y-%m-%d}T09:30"},
    )
    item.refresh_from_db()
    assert item.state == ReviewState.SCHEDULED
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    assert item.publish_at == datetime.datetime.combine(tomorrow, datetime.time(9, 30), tzinfo=shanghai)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time: no race to test")
@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_publish_each_due_draft_once(real_policy, editor, reviewer):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)
    awards = [
        Award.objects.create(
            clause=clause,
            position=10 + n,
            amount_yuan=(n + 1) * 10_000,
            nature=Award.Nature.REWARD,
            recipient=f"定时{n}",
            source_phrase=f"给予{n + 1}万元奖励",
            status=DRAFT,
        )
        for n in range(8)
    ]
    when = timezone.now() + datetime.timedelta(minutes=5)
    for award in awards:
        item = review.submit(award, editor, "补录")
        review.approve(item, reviewer, publish_at=when)

    start = threading.Barrier(2)
    reports, errors = [], []

    def runner():
        try:
            start.wait()
            reports.append(review.publish_due(now=when))
        except Exception as error:  # reported below rather than lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    # What a runner left (another held it, or a deadlock between the two was broken) the next run takes.
    later = review.publish_due(now=when)
    assert sum(report.published for report in reports) + later.published == len(awards)
    assert DraftReview.objects.filter(state=ReviewState.PUBLISHED).count() == len(awards)
    assert ReviewEvent.objects.filter(action=Action.PUBLISHED).count() == len(awards)
    for award in awards:
        assert award.history.filter(status=PublicationStatus.PUBLISHED).count() == 1


# The start page


def test_the_start_page_lists_drafts_by_state_with_links(client, editor, reviewer, draft_measure, real_policy):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)
    mine = start_draft_of_change(clause, editor)
    waiting = review.submit(draft_measure, editor, "第七条原文已公布")
    client.force_login(editor)
    html = page(client, "/admin/")
    assert "第1条第1段的修改草稿" in html
    assert f"/admin/measures/clause/{mine.pk}/change/" in html
    assert f"/admin/measures/draftreview/submit/?model=clause&amp;ids={mine.pk}" in html
    assert f"/admin/measures/draftreview/{waiting.pk}/change/" in html

    review.return_for_changes(waiting, reviewer, "请补充来源")
    html = page(client, "/admin/")
    returned = html[html.index('id="start-returned"') :]
    assert "请补充来源" in returned[: returned.index("</div>")]


def test_the_start_page_lists_what_is_still_to_be_entered(editor_client, real_policy):
    award = Award.objects.filter(clause__measure__policy=real_policy).order_by("pk").first()
    Award.objects.filter(pk=award.pk).update(amount_yuan=award.amount_yuan + 10_000)  # its phrase disagrees
    html = page(editor_client, "/admin/")
    amounts = html[html.index('id="start-amounts"') :]
    assert f"/admin/measures/award/{award.pk}/change/" in amounts[: amounts.index("</div>")]
    pending = html[html.index('id="start-pending"') :]
    assert f"/admin/measures/measure/add/?policy={real_policy.pk}&amp;number=12" in pending
    facts = html[html.index('id="start-facts"') :]
    assert "待录入：" in facts[: facts.index("</div>")]


# Only a reviewer publishes: an editor's rows start as drafts and their status is not the editor's


def test_an_editor_cannot_publish_a_draft_by_its_status(editor_client, draft_measure):
    award = Award.objects.get(clause__measure=draft_measure)
    html = page(editor_client, award_url(award))
    assert 'name="status"' not in html and "发布状态" in html  # shown, not offered
    data = form_data(editor_client.get(award_url(award)), "award")
    data.update(recurrence="once", status=PublicationStatus.PUBLISHED, change_reason="试图直接发布")  # by hand
    assert editor_client.post(award_url(award), data).status_code == 302
    assert Award.objects.get(pk=award.pk).status == DRAFT


def test_a_row_an_editor_adds_starts_as_a_draft_and_a_reviewers_as_published(
    client, editor_client, reviewer_client, real_policy
):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)
    for user_client, amount in ((editor_client, "6661"), (reviewer_client, "6662")):
        data = form_data(user_client.get(clause_url(clause)), "clause")
        total = int(data["awards-TOTAL_FORMS"])
        prefix = f"awards-{total}"
        data.update(
            {
                "awards-TOTAL_FORMS": str(total + 1),
                f"{prefix}-position": str(total + 1),
                f"{prefix}-amount_yuan": amount,
                f"{prefix}-limit": "ceiling",
                f"{prefix}-recurrence": "once",
                f"{prefix}-nature": "reward",
                f"{prefix}-recipient": "企业",
                f"{prefix}-source_phrase": f"{amount}万元",
                f"{prefix}-status": PublicationStatus.PUBLISHED,
                "change_reason": "新增奖补",
            }
        )
        assert user_client.post(clause_url(clause), data).status_code == 302
    added = dict(
        Award.objects.filter(clause=clause, amount_yuan__in=[66_610_000, 66_620_000]).values_list(
            "amount_yuan", "status"
        )
    )
    assert added == {66_610_000: DRAFT, 66_620_000: PublicationStatus.PUBLISHED}
    measure_page = page(client, "/policies/kjcx-2025/measures/1/")
    assert "6662万元" in measure_page and "6661万元" not in measure_page


def test_an_award_an_editor_adds_to_a_draft_of_a_change_goes_public_with_it(client, editor, reviewer, real_policy):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)
    draft = start_draft_of_change(clause, editor)
    Award.objects.create(
        clause=draft,
        position=draft.awards.count() + 1,
        amount_yuan=66_630_000,
        recipient="企业",
        source_phrase="6663万元",
        updated_by=editor,
    )
    item = review.submit(draft, editor, "新增一笔奖补")
    review.approve(item, reviewer)
    assert "6663万元" in page(client, "/policies/kjcx-2025/measures/1/")
