"""Issue 30's whole journey in Chromium, mail through a real SMTP server: a visitor on a phone reports a
wrong amount on measure 3; an editor finds it on the start page, corrects the award through a draft that
a reviewer publishes, answers the visitor naming that change, and publishes the question as a 政策问答 a
reviewer approves; the visitor's mails arrive, the page shows the 问答 and the change, /feedback/ counts it."""

import re

from playwright.sync_api import expect

from measures.domain.feedback import Feedback
from measures.domain.models import Clause
from tests.browser.admin_session import log_in

MEASURE_3 = "/policies/kjcx-2025/measures/3/"
VISITOR = "wang@example.cn"
AMOUNT = "strong.award__amount"
QUESTION = "第1段的奖励上限是多少？"
ANSWER = "经核对原文，上限为120万元，页面已更正。"


def test_a_report_on_a_phone_is_corrected_answered_and_published_as_a_question(
    browser, page, site, settings, editor, reviewer, mail_through_smtp, screenshot
):
    settings.SITE_URL = site
    inbox = mail_through_smtp
    clause = Clause.objects.get(measure__policy__slug="kjcx-2025", measure__number=3, position=1)

    # The visitor, at 375 px: 报告问题 beside the first paragraph's award.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + MEASURE_3)
    page.locator("#clause-1 .feedback-links--award a").first.click()
    page.get_by_label("内容").fill("这里写的最高100万元，原文是120万元吗？")
    page.get_by_label("邮箱地址（选填，用于答复）").fill(VISITOR)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("已收到您的留言")
    item = Feedback.objects.get()
    assert item.clause == clause and item.award is not None
    assert inbox.wait_for(1)
    received, recipients = inbox.messages[0]
    assert recipients == [VISITOR] and item.reference in received["Subject"]

    # The editor, at a desk: the message waits on the start page.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk.set_default_timeout(10_000)
    editor_page = desk.new_page()
    try:
        log_in(editor_page, site, "editor", "editor-password-1")
        expect(editor_page.locator("#start-feedback-new")).to_contain_text("第3条")
        message_url = site + f"/admin/measures/feedback/{item.pk}/change/"

        # The correction, as every change of published content: a draft of the clause, with a reason ...
        editor_page.goto(site + "/admin/measures/clause/")
        editor_page.locator(f'input[name="_selected_action"][value="{clause.pk}"]').check()
        editor_page.locator('select[name="action"]').select_option("start_drafts_of_change")
        editor_page.locator('button[name="index"]').click()
        expect(editor_page).to_have_url(re.compile(r"/admin/measures/clause/\d+/change/$"))
        draft_pk = int(re.search(r"/clause/(\d+)/change/", editor_page.url).group(1))
        editor_page.locator('input[name$="-amount_yuan"][value="100"]').fill("120")
        editor_page.locator("#id_change_reason").fill("据访客纠错核对原文：上限为120万元")
        editor_page.locator('input[name="_save"]').click()
        expect(editor_page.locator(".messagelist")).to_contain_text("成功")

        # ... that a reviewer publishes.
        review = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        review.set_default_timeout(10_000)
        reviewer_page = review.new_page()
        try:
            log_in(reviewer_page, site, "reviewer", "reviewer-password-1")
            reviewer_page.goto(site + "/admin/measures/clause/")
            reviewer_page.locator(f'input[name="_selected_action"][value="{draft_pk}"]').check()
            reviewer_page.locator('select[name="action"]').select_option("publish_selected_drafts")
            reviewer_page.locator('button[name="index"]').click()
            reviewer_page.locator("#id_publisher_reason").fill("已核对原文")
            reviewer_page.get_by_role("button", name="确认发布").click()
            expect(reviewer_page.locator(".messagelist")).to_contain_text("已发布")

            # The answer names the change; the visitor is mailed once.
            editor_page.goto(message_url)
            editor_page.locator("#id_state").select_option(label="已答复")
            editor_page.locator("#id_answer").fill(ANSWER)
            editor_page.locator("#id_change_key").select_option(index=1)  # the newest: the correction
            editor_page.locator('input[name="_continue"]').click()
            expect(editor_page.locator(".messagelist")).to_contain_text("答复已通过邮件发给访客")
            assert inbox.wait_for(2)
            answered, recipients = inbox.messages[1]
            body = answered.get_body(preferencelist=("plain",)).get_content()
            assert recipients == [VISITOR] and ANSWER in body
            assert f"{site}{MEASURE_3}history/#change-" in body

            # Answered in the open: a draft 问答 from the message, reworded, that the reviewer publishes.
            editor_page.get_by_role("link", name="发布为问答").click()
            expect(editor_page.locator("#id_answer")).to_have_value(ANSWER)
            editor_page.locator("#id_question").fill(QUESTION)
            editor_page.locator("#id_change_reason").fill("由访客提问整理")
            editor_page.locator('input[name="_save"]').click()
            expect(editor_page.locator(".messagelist")).to_contain_text("成功")

            reviewer_page.goto(site + "/admin/measures/questionanswer/")
            reviewer_page.get_by_role("link", name=re.compile("奖励上限")).click()
            reviewer_page.locator("#id_status").select_option(label="已发布")
            reviewer_page.locator("#id_change_reason").fill("审核通过")
            reviewer_page.locator('input[name="_save"]').click()
            expect(reviewer_page.locator(".messagelist")).to_contain_text("成功")
        finally:
            review.close()
    finally:
        desk.close()

    # The visitor's phone: the corrected amount, the 问答, the change in the history, the figures.
    page.goto(site + MEASURE_3)
    expect(page.locator("#clause-1 " + AMOUNT, has_text="最高120万元")).to_have_count(1)
    questions = page.locator("#questions")
    expect(questions).to_contain_text(QUESTION)
    expect(questions).to_contain_text(ANSWER)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "journey-measure-375")
    page.goto(site + MEASURE_3 + "history/")
    # Newest first: the 问答's publication, then the correction with its reason.
    expect(page.locator(".change").first).to_contain_text(QUESTION)
    expect(page.locator(".change", has_text="据访客纠错核对原文").first).to_contain_text("120万元")
    page.goto(site + "/feedback/")
    total = page.locator(".feedback-figures__total")
    expect(total.locator("div", has_text="近12个月收到").locator("dd")).to_have_text("1")
    expect(total.locator("div", has_text="已答复").locator("dd")).to_have_text("1")
