"""去办理 on a phone: award cards whose award has a recorded official entry show the link at 375 px, on
the measure page and in the award finder, in the standard version and in the 长辈版, opening the official
site itself. The entry is the test's own: the real policy has none."""

from playwright.sync_api import expect

from measures.domain.eligibility import ApplicationInfo
from measures.domain.models import Award

ENTRY_URL = "https://apply.example.gov.cn/start"
BUTTON_BOX = """(element) => {
  const box = element.getBoundingClientRect();
  return {width: box.width, height: box.height, right: box.right};
}"""


def test_an_award_card_with_a_known_entry_shows_go_apply_on_a_phone_and_in_the_elder_version(
    page, site, screenshot, axe_violations
):
    award = Award.objects.get(source_phrase="给予每年每家最高500万元奖励")
    ApplicationInfo.objects.create(award=award, entry_name="测试办理系统", entry_url=ENTRY_URL, entry_online=True)
    page.set_viewport_size({"width": 375, "height": 800})
    cards = {
        f"/policies/kjcx-2025/measures/{award.clause.measure.number}/": "li.award",
        "/awards/": "li.award-result",
    }
    for elder in (False, True):
        page.context.clear_cookies()
        if elder:
            page.context.add_cookies([{"name": "elder", "value": "on", "url": site}])
        for path, card_selector in cards.items():
            page.goto(site + path)
            card = page.locator(card_selector).filter(has_text="每年每家最高500万元")
            link = card.get_by_role("link", name="去办理 测试办理系统")
            link.scroll_into_view_if_needed()
            expect(link).to_be_visible()
            expect(link).to_have_attribute("href", ENTRY_URL)
            expect(link).to_have_attribute("rel", "noopener external")
            expect(card.get_by_text("网上办理", exact=True)).to_be_visible()
            box = link.evaluate(BUTTON_BOX)
            assert box["height"] >= 44 and box["width"] >= 44 and box["right"] <= 375, (path, box)
            assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), path
            assert axe_violations(page) == [], path
        screenshot(page, "elder" if elder else "standard")
