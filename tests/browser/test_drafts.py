"""An editor's draft in a real browser: an award changed inside a draft of a change, previewed, then
published by a reviewer (审核) through the confirmation page with a reason, and shown to the public with
that reason."""

import re

from playwright.sync_api import expect

from measures.domain.models import Clause
from tests.browser.admin_session import log_in

AMOUNT = "strong.award__amount"


def test_an_editor_changes_an_award_in_a_draft_a_reviewer_publishes_it(page, site, editor, reviewer, screenshot):
    clause = Clause.objects.get(measure__policy__slug="kjcx-2025", measure__number=3, position=1)
    log_in(page, site, "editor", "editor-password-1")

    # Start a draft of the clause from the clause list.
    page.goto(site + "/admin/measures/clause/")
    page.locator(f'input[name="_selected_action"][value="{clause.pk}"]').check()
    page.locator('select[name="action"]').select_option("start_drafts_of_change")
    page.locator('button[name="index"]').click()
    expect(page).to_have_url(re.compile(r"/admin/measures/clause/\d+/change/$"))
    draft_pk = int(re.search(r"/clause/(\d+)/change/", page.url).group(1))

    # Raise the 100万元 award inside the draft, with a reason.
    page.locator('input[name$="-amount_yuan"][value="100"]').fill("120")
    page.locator("#id_change_reason").fill("上限提高到120万元")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("成功")
    page.goto(site + "/policies/kjcx-2025/measures/3/")
    expect(page.locator("#clause-1 " + AMOUNT, has_text="最高120万元")).to_have_count(0)

    # Preview it from the draft's page.
    page.goto(site + f"/admin/measures/clause/{draft_pk}/change/")
    page.get_by_role("link", name="预览发布后的页面").click()
    expect(page.locator(".preview-banner")).to_contain_text("草稿预览")
    expect(page.locator("#clause-1 " + AMOUNT, has_text="最高120万元")).to_have_count(1)
    screenshot(page, 1280)

    # A reviewer publishes it: the confirmation page shows the amounts' change; the reviewer adds a word.
    page.context.clear_cookies()
    log_in(page, site, "reviewer", "reviewer-password-1")
    page.goto(site + "/admin/measures/clause/")
    page.locator(f'input[name="_selected_action"][value="{draft_pk}"]').check()
    page.locator('select[name="action"]').select_option("publish_selected_drafts")
    page.locator('button[name="index"]').click()
    rows = page.locator(".publish-draft__rows")
    expect(rows.locator("del", has_text="100万元")).to_be_visible()
    expect(rows.locator("ins", has_text="120万元")).to_be_visible()
    expect(page.locator(".publish-draft__reason")).to_contain_text("上限提高到120万元")
    page.locator("#id_publisher_reason").fill("经局务会审定")
    page.get_by_role("button", name="确认发布").click()
    expect(page.locator(".messagelist")).to_contain_text("已发布")

    # The public page and its history show the new amount and the reason.
    page.goto(site + "/policies/kjcx-2025/measures/3/")
    expect(page.locator("#clause-1 " + AMOUNT, has_text="最高120万元")).to_have_count(1)
    page.get_by_role("link", name="修改记录").first.click()
    expect(page.locator(".change__reason").first).to_contain_text("上限提高到120万元；经局务会审定")
    expect(page.locator(".change").first).to_contain_text("120万元")
