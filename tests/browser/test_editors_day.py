"""Issue 27's editor's day, end to end in Chromium: an editor imports an official text (从原文导入), the new
measure lands under its pillar as drafts, is previewed and submitted; a reviewer in a browser of their own
publishes it from the start page with a comment; the public pages, history, search, award finder and
calculator show it with the reason. Then a change draft approved for a later time (定时发布) goes public
exactly when `publish_due` runs at its time, not a second before.

The text's words (走查测试…) and amounts are the test's own, not the real policy's."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.domain.review import DraftReview, ReviewState
from measures.editing import review
from tests.browser.admin_session import log_in

WORD = "走查测试"
IMPORTED_TEXT = f"""三、夯实企业科技创新主体地位
第七条 支持{WORD}加速器建设。对通过认定的{WORD}加速器，给予一次性8888万元奖励。
"""
MEASURE_URL = "/policies/kjcx-2025/measures/7/"
REASON = "导入第七条原文（测试）"
COMMENT = "已核对原文"
LATER_REASON = "奖励提高到9999万元（测试）"


def new_page(browser):
    """A browser of the reviewer's own: another context, so that the two sessions never mix."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(5_000)
    return context, context.new_page()


def import_text(page, site, policy):
    page.goto(site + "/admin/measures/policy/")
    page.get_by_role("link", name="从原文导入").first.click()
    page.get_by_label("粘贴原文").fill(IMPORTED_TEXT)
    page.get_by_role("button", name="读取并预览").click()
    # The preview reads the measure under pillar 3 and preselects it.
    expect(page.locator(".import-tree__pillar")).to_have_text("第3个方面：夯实企业科技创新主体地位")
    pillar = page.get_by_label("所属方面")
    expect(pillar).to_have_value(str(policy.pillars.get(number=3).pk))
    expect(pillar.locator("option:checked")).to_have_text("第3个方面：夯实企业科技创新主体地位")
    expect(page.locator(".import-award legend")).to_contain_text("8888万元")
    page.get_by_role("button", name="创建所选内容（草稿）").click()
    expect(page.locator(".messagelist")).to_contain_text("已从原文导入为草稿")


def tag_accelerators(page, site, award):
    """The award's recipient kind, chosen with the award list's bulk action, so the calculator finds it."""
    page.goto(site + f"/admin/measures/award/?q={WORD}")
    page.locator(f'input[name="_selected_action"][value="{award.pk}"]').check()
    page.locator('select[name="action"]').select_option("assign_kind")
    page.locator('button[name="index"]').click()
    page.get_by_label("申报主体类别").select_option(label="加速器")
    page.get_by_role("button", name="标注").click()
    expect(page.locator(".messagelist")).to_contain_text("已为1项奖补标注“加速器”")


def review_and_publish(browser, site, reason, *, publish_at=None):
    """The reviewer finds the submission under 待审核, reads its changes and publishes it (or schedules
    it); returns the review page's text of the changes."""
    context, second = new_page(browser)
    try:
        log_in(second, site, "reviewer", "reviewer-password-1")
        waiting = second.locator("#start-waiting li", has_text=reason)
        expect(waiting).to_have_count(1)
        waiting.get_by_role("link").first.click()
        changes = second.locator("#review").inner_text()
        second.get_by_label("审核意见").fill(COMMENT)
        if publish_at is not None:
            second.get_by_label("定时发布").fill(f"{publish_at:%Y-%m-%dT%H:%M}")
        second.get_by_role("button", name="审核通过并发布").click()
        expect(second.locator("#review-state")).to_contain_text("已发布" if publish_at is None else "定时发布")
        expect(second.locator("#review-events")).to_contain_text(COMMENT)
        return changes
    finally:
        context.close()


def test_an_imported_measure_is_reviewed_published_and_a_scheduled_change_appears_when_due(
    browser, page, site, real_policy, editor, reviewer
):
    # 1. The editor imports the text; the measure is a draft under pillar 3, with its clause and award.
    log_in(page, site, "editor", "editor-password-1")
    import_text(page, site, real_policy)
    measure = Measure.objects.get(policy=real_policy, number=7)
    assert measure.status == PublicationStatus.DRAFT
    assert measure.pillar.number == 3
    award = Award.objects.get(clause__measure=measure)
    assert (award.amount_yuan, award.status) == (88_880_000, PublicationStatus.DRAFT)
    tag_accelerators(page, site, award)

    # 2. The preview shows the measure as the public will see it, with its award; the public sees nothing.
    page.goto(site + f"/preview/measures/{measure.pk}/")
    expect(page.locator(".preview-banner")).to_contain_text("草稿预览")
    expect(page.locator("main")).to_contain_text("夯实企业科技创新主体地位")
    expect(page.locator("strong.award__amount", has_text="8888万元")).to_have_count(1)
    assert page.goto(site + MEASURE_URL).status == 404

    # 3. Submitted for review from the start page, with a reason.
    page.goto(site + "/admin/")
    mine = page.locator("#start-mine")
    expect(mine).to_contain_text(WORD)
    mine.get_by_role("link", name="提交审核").first.click()
    page.get_by_label("提交说明").fill(REASON)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#review-state")).to_contain_text("待审核")

    # 4. The reviewer sees the amount among the changes and publishes with a comment.
    assert "8888万元" in review_and_publish(browser, site, REASON)

    # 5. The public: the measure under pillar 3, its history with the reason, search, finder, calculator.
    page.goto(site + MEASURE_URL)
    main = page.locator("main")
    expect(main).to_contain_text(f"支持{WORD}加速器建设")
    expect(main).to_contain_text("夯实企业科技创新主体地位")
    expect(page.locator("strong.award__amount", has_text="8888万元")).to_have_count(1)
    page.get_by_role("link", name="修改记录").first.click()
    expect(page.locator(".change__reason").first).to_contain_text(f"{REASON}（审核：{COMMENT}）")

    page.goto(site + f"/search/?q={WORD}")
    expect(page.locator(f'li.search-result a[href*="{MEASURE_URL}"]').first).to_be_visible()

    page.goto(site + "/awards/?min=8000")
    expect(page.locator("li.award-result")).to_have_count(1)
    expect(page.locator("li.award-result")).to_contain_text("8888万元")

    page.goto(site + "/calculator/?kind=accelerator")
    expect(page.locator("li.calculator-award", has_text="8888万元")).to_have_count(1)

    # 6. A change draft of the clause: 9999万元, approved for a time tomorrow (Beijing time).
    clause = Clause.objects.get(measure=measure, draft_of__isnull=True)
    page.goto(site + "/admin/measures/clause/")
    page.locator(f'input[name="_selected_action"][value="{clause.pk}"]').check()
    page.locator('select[name="action"]').select_option("start_drafts_of_change")
    page.locator('button[name="index"]').click()
    expect(page).to_have_url(re.compile(r"/admin/measures/clause/\d+/change/$"))
    text = page.locator("#id_text")
    text.fill(text.input_value().replace("8888万元", "9999万元"))
    page.locator('input[name$="-amount_yuan"][value="8888"]').fill("9999")
    page.locator("#id_change_reason").fill(LATER_REASON)
    page.locator('input[name="_continue"]').click()
    # The award's quoted phrase still says 8888万元: saved, with a warning; the editor corrects it.
    expect(page.locator(".messagelist .warning").first).to_contain_text("给予一次性8888万元奖励")
    phrase = page.locator("#id_awards-0-source_phrase")
    phrase.fill(phrase.input_value().replace("8888万元", "9999万元"))
    page.locator("#id_change_reason").fill(LATER_REASON)
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("成功")
    expect(page.locator(".messagelist .warning")).to_have_count(0)

    page.goto(site + "/admin/")
    mine = page.locator("#start-mine")
    expect(mine).to_contain_text("修改草稿")
    mine.get_by_role("link", name="提交审核").first.click()
    page.get_by_label("提交说明").fill(LATER_REASON)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#review-state")).to_contain_text("待审核")

    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    changes = review_and_publish(browser, site, LATER_REASON, publish_at=tomorrow)
    assert "9999万元" in changes
    scheduled = DraftReview.objects.get(state=ReviewState.SCHEDULED)
    due = scheduled.publish_at
    assert timezone.localtime(due).strftime("%Y-%m-%dT%H:%M") == f"{tomorrow:%Y-%m-%dT%H:%M}"

    # Approved, not yet due: the public still reads 8888万元, also after publish_due a second early.
    assert review.publish_due(now=due - datetime.timedelta(seconds=1)).published == 0
    for url in (MEASURE_URL, "/awards/?min=9000"):
        page.goto(site + url)
        expect(page.locator("main")).not_to_contain_text("9999万元")
    page.goto(site + MEASURE_URL)
    expect(page.locator("strong.award__amount", has_text="8888万元")).to_have_count(1)

    # Due: publish_due publishes it, and every surface shows 9999万元 with the reason.
    assert review.publish_due(now=due).published == 1
    page.goto(site + MEASURE_URL)
    expect(page.locator("strong.award__amount", has_text="9999万元")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("8888万元")
    page.get_by_role("link", name="修改记录").first.click()
    expect(page.locator(".change__reason").first).to_contain_text(LATER_REASON)
    page.goto(site + "/awards/?min=9000")
    expect(page.locator("li.award-result")).to_contain_text("9999万元")
    page.goto(site + "/calculator/?kind=accelerator")
    expect(page.locator("li.calculator-award", has_text="9999万元")).to_have_count(1)
