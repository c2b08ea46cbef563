"""已知的后续变化: a reviewed change scheduled on a published measure is announced on its page — that it
is coming and when — and nothing of what it changes reaches any public surface before it is published."""

import datetime

from django.utils import timezone

from measures.domain.models import Measure, PublicationStatus
from measures.domain.review import DraftReview
from measures.domain.revision import content_revision
from measures.editing import review
from measures.editing.publishing import start_draft_of_change
from tests.html import between, page

MEASURE_3 = "/policies/kjcx-2025/measures/3/"
SECRET = "定时修改保密词"


def scheduled_change(real_policy, editor, reviewer, publish_at):
    clause = real_policy.measures.get(number=3).clauses.get(position=1)
    draft = start_draft_of_change(clause, editor)
    draft.text = f"{draft.text}{SECRET}"
    draft.updated_by = editor
    draft.save()
    item = review.submit(draft, editor, f"补充{SECRET}")
    return review.approve(item, reviewer, f"审核{SECRET}", publish_at=publish_at)


def test_a_scheduled_change_is_announced_with_its_time_and_nothing_of_its_content(
    client, real_policy, editor, reviewer
):
    assert "已知的后续变化" not in page(client, MEASURE_3)
    revision = content_revision().key
    local = timezone.get_current_timezone()
    when = datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=2), datetime.time(9, 30), local)
    item = scheduled_change(real_policy, editor, reviewer, when)
    # The page shows something new: its ETag and page cache must move on.
    assert content_revision().key != revision

    html = page(client, MEASURE_3)
    upcoming = between(html, 'id="upcoming-heading"', "</section>")
    assert f"一项已审核的修改定于{when:%Y年%-m月%-d日} 09:30发布" in upcoming
    for url in (MEASURE_3, f"{MEASURE_3}history/", "/changes/", "/changes/feed/"):
        assert SECRET not in page(client, url), url
    assert "找到 0 段" in page(client, f"/search/?q={SECRET}")
    assert SECRET not in page(client, "/api/v1/clauses/?measure=3") + page(client, "/downloads/clauses.csv")

    # Returned to its editor: no longer coming, and the page says so at once.
    revision = content_revision().key
    review.return_for_changes(DraftReview.objects.get(pk=item.pk), reviewer, "请再核对")
    assert content_revision().key != revision
    assert "已知的后续变化" not in page(client, MEASURE_3)


def test_scheduling_a_draft_measure_the_public_cannot_see_moves_nothing(real_policy, editor, reviewer):
    measure = Measure.objects.create(
        policy=real_policy,
        pillar=real_policy.pillars.get(number=1),
        number=7,
        title=f"第七条{SECRET}",
        status=PublicationStatus.DRAFT,
        updated_by=editor,
    )
    revision = content_revision().key
    item = review.submit(measure, editor, "第七条原文已公布")
    review.approve(item, reviewer, publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert content_revision().key == revision
