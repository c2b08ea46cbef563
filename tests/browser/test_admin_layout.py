"""The editors' admin in Chromium at 1280 px, as a Chinese editor sees it: the recipient kinds' selector
speaks Chinese and stands right of its label, the clause list's 条款内容 has room to be read, and the
error summary's links lead to the fields. With the Content-Security-Policy in force (no bypass)."""

import re

import pytest
from playwright.sync_api import expect

from measures.domain.models import Award

LATIN = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def editor_page(browser, site, editor):
    """A signed-in editor's page, the policy enforced: anything it refuses is in `refused`."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and page.refused.append(message.text))
    page.goto(site + "/admin/login/")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill("editor-password-1")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#content h1")).to_have_text("政策内容管理")
    yield page
    context.close()


def test_the_kinds_selector_reads_in_chinese_right_of_its_label(editor_page, site):
    page = editor_page
    award = Award.objects.filter(recipient_kinds__isnull=False).order_by("pk").first()
    page.goto(site + f"/admin/measures/award/{award.pk}/change/")

    selector = page.locator(".field-recipient_kinds .selector")
    expect(selector).to_be_visible()
    expect(page.locator("#id_recipient_kinds_add_all")).to_have_text("全选申报主体类别")
    expect(page.locator("#id_recipient_kinds_remove_all")).to_have_text("移除全部申报主体类别")
    # Every word of the widget, the arrow buttons' hidden names and the hints included, is Chinese.
    words = selector.evaluate(
        "(box) => [box.innerText, ...[...box.querySelectorAll('[title], [aria-label], [placeholder]')].map("
        "(node) => [node.title, node.getAttribute('aria-label'), node.placeholder].join(' '))].join(' ')"
    )
    hidden_names = page.locator(".field-recipient_kinds .selector-chooser button").all_text_contents()
    assert LATIN.findall(words + " ".join(hidden_names)) == []
    assert "选中申报主体类别" in words
    # The label on the left, the widget right of it on the same row.
    label = page.locator(".field-recipient_kinds label[for='id_recipient_kinds']").bounding_box()
    widget = selector.bounding_box()
    assert label["x"] + label["width"] <= widget["x"]
    assert abs(label["y"] - widget["y"]) < 40
    assert page.refused == []


def test_the_clause_lists_text_column_is_wide_enough_to_read(editor_page, site):
    page = editor_page
    page.goto(site + "/admin/measures/clause/")

    widths = page.locator("#result_list td.field-excerpt").evaluate_all(
        "(cells) => cells.map((cell) => cell.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= 300
    # …without pushing the list wider than its box (no sideways scrolling).
    overflow = page.locator("#changelist .results").evaluate("(box) => box.scrollWidth - box.clientWidth")
    assert overflow <= 0
    assert page.refused == []


def test_the_error_summary_links_to_the_reason_below_the_fold(editor_page, site):
    page = editor_page
    award = Award.objects.order_by("pk").first()
    page.goto(site + f"/admin/measures/award/{award.pk}/change/")
    page.locator("#id_condition").fill("新获批建设（含重组入列）的平台")
    page.locator("input[name=_save]").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("变更说明")
    reason = page.locator("#id_change_reason")
    assert not reason.is_visible() or reason.bounding_box()["y"] > 800  # below the fold

    summary.get_by_role("link", name="变更说明").click()

    assert page.evaluate("() => location.hash") == "#id_change_reason"
    box = reason.bounding_box()
    assert 0 <= box["y"] < 800  # scrolled to it
    assert page.refused == []
