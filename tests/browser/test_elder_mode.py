"""长辈版 and the national accessibility rules (issue 17), in Debian's Chromium.

Every public page in the standard and the 长辈版, in Chinese and English: no sideways scrolling at
320 CSS px nor at 200% zoom on a 1280 px window, and no text clipped by a box that cannot be scrolled
from the keyboard; the 长辈版's measured text size, line height, paragraph spacing and target sizes;
axe-core's WCAG 2.1 AA rules in both versions and the 7:1 contrast rule (color-contrast-enhanced) in the
长辈版; and a journey made with the keyboard alone. One page is reused within each test, its viewport
resized rather than a new context opened, so that the module stays quick.
"""

import re

from playwright.sync_api import expect

# One page of each kind: (path, a locator that shows the page has what it is for).
PAGES = [
    ("/", "text=厦委发〔2025〕1号"),
    ("/policies/kjcx-2025/", ".related-doc"),
    ("/policies/kjcx-2025/pillars/1/", ".measure-list"),
    ("/policies/kjcx-2025/measures/3/", "#clause-1"),
    ("/policies/kjcx-2025/measures/3/?as_of=2025-03-01", "h1"),
    ("/policies/kjcx-2025/measures/3/history/", "h1"),
    ("/awards/?min=1000", "li.award-result"),
    ("/search/?q=孵化器", "li.search-result mark"),
    ("/changes/", "h1"),
    ("/downloads/", ".downloads__table"),
    ("/follow/?kind=measure&policy=kjcx-2025&measure=3", "form.follow-form"),
    ("/accessibility/", "h1"),
    ("/no/such/page/", "h1"),
]
# 320 CSS px (WCAG 1.4.10), and a 1280 × 800 window zoomed to 200%, which lays pages out in 640 × 400 CSS px.
NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 400}
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
AAA_CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}}

# What overflows sideways: the page itself, or a box that clips its content without being a scroll
# region the keyboard can reach (role="region" tabindex="0", as WCAG 1.4.10 allows for tables).
OVERFLOW = """() => {
  const found = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    found.push(`the page: ${document.documentElement.scrollWidth} px in ${window.innerWidth} px`);
  }
  for (const element of document.querySelectorAll("body *")) {
    if (element.scrollWidth <= element.clientWidth + 1 || element.closest("svg")) continue;
    const style = getComputedStyle(element);
    if (style.overflowX === "visible" || style.display === "inline") continue;
    const region = element.getAttribute("role") === "region" && element.tabIndex === 0 && style.overflowX === "auto";
    const hidden = element.classList.contains("visually-hidden") || element.getClientRects().length === 0;
    if (!region && !hidden) found.push(`${element.tagName.toLowerCase()}.${element.className} clips its content`);
  }
  return found;
}"""

# The 长辈版's measures, taken from what the browser computed.
MEASURES = """() => {
  const px = (value) => parseFloat(value);
  const visible = (element) => element.getClientRects().length > 0;
  const paragraphs = [...document.querySelectorAll("main p")].filter(visible);
  const texts = paragraphs.map((p) => {
    const style = getComputedStyle(p);
    return {text: p.textContent.trim().slice(0, 20), size: px(style.fontSize), line: px(style.lineHeight)};
  });
  const gaps = [];
  for (const p of paragraphs) {
    const next = p.nextElementSibling;
    if (next && next.tagName === "P" && visible(next)) {
      gaps.push({
        text: p.textContent.trim().slice(0, 20),
        gap: next.getBoundingClientRect().top - p.getBoundingClientRect().bottom,
        line: px(getComputedStyle(p).lineHeight),
      });
    }
  }
  const targets = [...document.querySelectorAll(
    "button, input:not([type=hidden]), select, summary, .site-header a, .site-footer a, .breadcrumb a, " +
    ".page-tools a, .chip, .pager__link, .finder-form__actions a, .finder-summary__links a, .clause__anchor"
  )].filter(visible).map((element) => {
    const box = element.getBoundingClientRect();
    const what = `${element.tagName.toLowerCase()} ${element.textContent.trim().slice(0, 20)}`;
    return {what, width: box.width, height: box.height};
  });
  const motion = [...document.querySelectorAll("*")].filter((element) => {
    const style = getComputedStyle(element);
    return style.animationName !== "none" || px(style.transitionDuration) > 0;
  }).length;
  return {body: px(getComputedStyle(document.body).fontSize), texts, gaps, targets, motion};
}"""


def choose(page, site, *, elder, english=False):
    """Set the 长辈版 and language cookies as the header's switches do."""
    page.context.clear_cookies()
    cookies = [{"name": "django_language", "value": "en" if english else "zh-hans", "url": site}]
    if elder:
        cookies.append({"name": "elder", "value": "on", "url": site})
    page.context.add_cookies(cookies)


def open_page(page, site, path, ready):
    page.goto(site + path)
    expect(page.locator(ready).first).to_be_visible()


def test_every_page_in_both_versions_reflows_at_320_px_and_at_200_percent_zoom(page, site):
    problems = []
    for elder, english in ((False, False), (True, False), (False, True), (True, True)):
        choose(page, site, elder=elder, english=english)
        for path, ready in PAGES:
            page.set_viewport_size(DESKTOP)
            open_page(page, site, path, ready)
            for size in (NARROW, ZOOMED):
                page.set_viewport_size(size)
                found = page.evaluate(OVERFLOW)
                problems += [f"{path} elder={elder} en={english} at {size['width']} px: {f}" for f in found]
    assert not problems, "\n".join(problems)


def test_the_elder_version_has_large_text_wide_spacing_big_targets_and_no_motion(page, site):
    choose(page, site, elder=True)
    for viewport, least in ((PHONE, 20), (DESKTOP, 22)):
        page.set_viewport_size(viewport)
        for path, ready in PAGES:
            open_page(page, site, path, ready)
            expect(page.locator("html")).to_have_class("elder")
            found = page.evaluate(MEASURES)
            where = f"{path} at {viewport['width']} px"
            assert found["body"] >= least, where
            small = [t for t in found["texts"] if t["size"] < least or t["line"] < 1.5 * t["size"]]
            assert not small, (where, small)
            tight = [g for g in found["gaps"] if g["gap"] < 1.3 * g["line"] - 0.5]
            assert not tight, (where, tight)
            tiny = [t for t in found["targets"] if t["width"] < 44 or t["height"] < 44]
            assert not tiny, (where, tiny)
            assert found["motion"] == 0, where

    # The award chart's data table comes first, open, before the chart itself.
    page.goto(site + "/")
    table, chart = page.locator(".award-chart__table"), page.locator(".award-chart__svg")
    expect(table).to_be_visible()
    assert table.bounding_box()["y"] < chart.bounding_box()["y"]

    # The standard version is as it was: 16 px text, the table folded away under the chart.
    choose(page, site, elder=False)
    page.goto(site + "/")
    expect(page.locator("html")).not_to_have_class("elder")
    assert page.evaluate("() => getComputedStyle(document.body).fontSize") == "16px"
    expect(page.locator(".award-chart__table")).to_be_hidden()


def test_axe_finds_no_wcag_21_aa_violation_in_either_version_nor_an_aaa_contrast_one_in_the_elder(
    page, site, axe_violations
):
    problems = []
    for elder, english in ((True, False), (True, True), (False, True)):
        choose(page, site, elder=elder, english=english)
        for path, ready in PAGES:
            open_page(page, site, path, ready)
            found = axe_violations(page, WCAG_21_AA, impacts=None)
            if elder:
                found += axe_violations(page, AAA_CONTRAST, impacts=None)
            problems += [f"{path} elder={elder} en={english}: {f}" for f in found]
    assert not problems, "\n".join(problems)


def test_a_keyboard_user_turns_on_the_elder_version_filters_awards_and_opens_the_first(page, site):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")

    def tab_to(locator, limit=40):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if locator.evaluate("(element) => element === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {locator}")

    # The first Tab reaches the skip link.
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    expect(page.locator("a.skip-link")).to_have_text("跳到主要内容")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    # The 长辈版 switch, pressed with the space bar.
    tab_to(page.get_by_role("button", name="长辈版", exact=True))
    page.keyboard.press("Space")
    expect(page.locator("html")).to_have_class("elder")
    expect(page.get_by_role("button", name="退出长辈版")).to_be_visible()

    # The award finder from the navigation, with Enter.
    tab_to(page.locator("header nav").get_by_role("link", name="奖补查询"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(site + "/awards/")))
    expect(page.locator("html")).to_have_class("elder")

    tab_to(page.locator("#id_min"))
    page.keyboard.type("1000")
    tab_to(page.get_by_role("button", name="筛选"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"min=1000"))
    results = page.locator("li.award-result")
    expect(results.first).to_be_visible()
    amounts = [int(re.search(r"(\d+)万元", text).group(1)) for text in results.all_inner_texts()]
    assert amounts and min(amounts) >= 1000

    first = results.first.locator(".award-result__where a")
    href = first.get_attribute("href")
    tab_to(first, limit=80)
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + href)
    expect(page.locator("html")).to_have_class("elder")

    # And back to the standard version, still with the keyboard.
    page.keyboard.press("Shift+Tab")  # from the clause anchor's target back into the page
    tab_to(page.get_by_role("button", name="退出长辈版"), limit=200)
    page.keyboard.press("Enter")
    expect(page.locator("html")).not_to_have_class("elder")
