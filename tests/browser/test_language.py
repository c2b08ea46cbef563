"""The language switch in the header: the interface in English, the policy's own text in Chinese."""

from playwright.sync_api import expect


def test_a_visitor_switches_the_interface_to_english_and_back_to_chinese(page, site, screenshot):
    page.goto(site + "/policies/kjcx-2025/measures/3/")
    nav = page.locator("header nav")
    expect(nav.get_by_role("link")).to_have_text(
        ["首页", "政策库", "奖补查询", "政策计算器", "申报日历", "搜索", "修改记录"]
    )

    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(site + "/policies/kjcx-2025/measures/3/")
    expect(nav.get_by_role("link")).to_have_text(
        ["Home", "Policy library", "Find awards", "Policy calculator", "Application calendar", "Search", "Change log"]
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("拓展科技交流合作平台")

    # The choice is remembered from page to page.
    page.goto(site + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "《关于深化拓展科技创新引领工程 推动科技创新和产业创新深度融合的若干措施》"
    )
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, width)

    page.get_by_role("button", name="中文", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(nav.get_by_role("link")).to_have_text(
        ["首页", "政策库", "奖补查询", "政策计算器", "申报日历", "搜索", "修改记录"]
    )
