"""The measure page's 政策问答 in Chromium: at 375 px and in the 长辈版 it reflows, its links are 44 px
targets, axe-core finds no violation (WCAG 2.1 AA; the 长辈版 with 7:1 contrast), and search finds it."""

import pytest
from playwright.sync_api import expect

from measures.domain.models import Measure, PublicationStatus
from measures.domain.questions import QuestionAnswer

MEASURE_3 = "/policies/kjcx-2025/measures/3/"
PHONE = {"width": 375, "height": 800}
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
AAA_CONTRAST = {**WCAG_21_AA, "rules": {"color-contrast-enhanced": {"enabled": True}}}
OVERFLOW = "() => document.documentElement.scrollWidth > window.innerWidth"
TARGETS = """() => [...document.querySelectorAll(".question a")].map((a) => {
  const box = a.getBoundingClientRect();
  return [a.textContent.trim(), box.width, box.height];
})"""


@pytest.fixture
def question(site):
    measure = Measure.objects.get(policy__slug="kjcx-2025", number=3)
    row = QuestionAnswer(
        measure=measure,
        clause=measure.clauses.order_by("position").first(),
        question="（测试问题）省级重点实验室能否申报本条的奖励？",
        answer="（测试答复）以本条原文所列对象为准。",
        status=PublicationStatus.PUBLISHED,
    )
    row._change_reason = "测试"
    row.save()
    return row


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_the_questions_reflow_at_375_px_with_44_px_links_and_pass_axe(page, site, question, axe_violations, elder):
    if elder:
        page.context.add_cookies([{"name": "elder", "value": "on", "url": site}])
    page.set_viewport_size(PHONE)
    page.goto(site + MEASURE_3)
    section = page.locator("#questions")
    expect(section).to_contain_text("省级重点实验室能否申报")
    assert page.evaluate(OVERFLOW) is False
    for text, width, height in page.evaluate(TARGETS):
        assert width >= 44 and height >= 44, text
    violations = axe_violations(page, AAA_CONTRAST if elder else WCAG_21_AA, impacts=None)
    assert not violations, "\n".join(violations)
    # Its paragraph link leads to the paragraph, on the same page.
    section.get_by_role("link", name="涉及第1段").click()
    expect(page).to_have_url(site + MEASURE_3 + "#clause-1")


def test_search_leads_to_the_answer_on_the_measure_page(page, site, question):
    page.goto(site + "/search/?q=省级重点实验室")
    page.locator(".search-questions").get_by_role("link").first.click()
    expect(page).to_have_url(site + MEASURE_3 + "#qa-1")
    expect(page.locator("#qa-1")).to_contain_text("以本条原文所列对象为准")
