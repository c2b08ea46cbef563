"""审核 in Chromium: an editor submits a draft from the start page, a second person (a reviewer) finds it
there waiting, reads its changes and publishes it, and the public page shows it."""

from playwright.sync_api import expect

from measures.domain.models import Award, Clause, Measure, PublicationStatus
from tests.browser.admin_session import log_in

SECRET = "浏览器审核测试"


def test_an_editor_submits_a_reviewer_publishes_and_the_public_sees_it(
    browser, page, site, real_policy, editor, reviewer
):
    measure = Measure.objects.create(
        policy=real_policy,
        pillar=real_policy.pillars.get(number=3),
        number=7,
        title=f"第七条{SECRET}",
        status=PublicationStatus.DRAFT,
        updated_by=editor,
    )
    clause = Clause.objects.create(
        measure=measure,
        position=1,
        text=f"支持{SECRET}项目，给予一次性6666万元奖励。",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/measure-7",
        status=PublicationStatus.DRAFT,
        updated_by=editor,
    )
    Award.objects.create(
        clause=clause,
        amount_yuan=66_660_000,
        limit=Award.Limit.EXACT,
        nature=Award.Nature.REWARD,
        recipient=f"{SECRET}企业",
        source_phrase="给予一次性6666万元奖励",
        status=PublicationStatus.DRAFT,
        updated_by=editor,
    )

    # The editor: the draft is on the start page; submitted with a reason.
    log_in(page, site, "editor", "editor-password-1")
    mine = page.locator("#start-mine")
    expect(mine).to_contain_text(SECRET)
    mine.get_by_role("link", name="提交审核").first.click()
    page.get_by_label("提交说明").fill("第七条原文已公布")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#review-state")).to_contain_text("待审核")
    page.goto(site + measure.get_absolute_url())
    expect(page.locator("main")).not_to_contain_text(SECRET)

    # The reviewer, in a browser of their own: waiting on the start page, its changes, published.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(5_000)
    second = context.new_page()
    try:
        log_in(second, site, "reviewer", "reviewer-password-1")
        waiting = second.locator("#start-waiting")
        expect(waiting).to_contain_text("第七条原文已公布")
        waiting.get_by_role("link", name=f"新措施：第7条 第七条{SECRET}").click()
        expect(second.locator("#review")).to_contain_text("一次性6666万元")
        second.get_by_label("审核意见").fill("已核对原文")
        second.get_by_role("button", name="审核通过并发布").click()
        expect(second.locator("#review-state")).to_contain_text("已发布")
        expect(second.locator("#review-events")).to_contain_text("已核对原文")
    finally:
        context.close()

    page.goto(site + measure.get_absolute_url())
    expect(page.locator("main")).to_contain_text(SECRET)
    expect(page.locator("main")).to_contain_text("6666万元")
