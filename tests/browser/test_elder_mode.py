"""长辈版 and the national accessibility rules (issue 17), in Debian's Chromium.

Every public page in the standard and the 长辈版, in Chinese and English: no sideways scrolling at
320 CSS px nor at 200% zoom on a 1280 px window, and no text clipped by a box that cannot be scrolled
from the keyboard; the 长辈版's measured text size, line height, paragraph spacing and target sizes;
axe-core's WCAG 2.1 AA rules in both versions (the standard Chinese pages are test_every_page.py's) and
the 7:1 contrast rule (color-contrast-enhanced) in the 长辈版; and a journey made with the keyboard alone.
Each page is loaded once per version and checked for all of these; one page is reused within each test,
its viewport resized rather than a new context opened, so that the module stays quick.
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
    ("/calculator/?kind=tech-business-incubator&kind=accelerator", "li.calculator-award"),
    ("/no/such/page/", "h1"),
    ("/calendar/?section=unpublished", "li.calendar-entry"),
    ("/feedback/new/?kind=report&policy=kjcx-2025&measure=3&clause=1", "form.feedback-form"),
    ("/feedback/", "table.feedback-figures__months"),
    ("/policies/", "li.library-entry"),
]
# 320 CSS px (WCAG 1.4.10), and a 1280 × 800 window zoomed to 200%, which lays pages out in 640 × 400 CSS px.
NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 400}
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# In the 长辈版 the same run checks contrast by the AAA rule (7:1), which no tag above selects, instead of
# the AA one (4.5:1): whatever passes the first passes the second, and contrast is axe's slowest rule.
AA_AND_AAA_CONTRAST = {
    **WCAG_21_AA,
    "rules": {"color-contrast-enhanced": {"enabled": True}, "color-contrast": {"enabled": False}},
}
# English pages differ from Chinese ones in the interface's words only: a few kinds of page suffice for axe
# (and for the standard version's reflow, since the 长辈版's larger English is reflowed on every page).
ENGLISH_PAGES = [PAGES[0], PAGES[3], PAGES[6], PAGES[11]]

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


# The focused element's outline, as drawn (:focus-visible applies from the keyboard).
FOCUS_RING = """() => {
  const element = document.activeElement;
  if (element === document.body) return null;
  const style = getComputedStyle(element);
  return {what: element.outerHTML.slice(0, 80), width: parseFloat(style.outlineWidth), style: style.outlineStyle};
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


def problems_of(page, site, path, ready, *, elder, axe_options=None, axe_violations=None):
    """Everything wrong with one page as the visitor set it up: sideways scrolling or clipped text at
    320 px and at 200% zoom; in the 长辈版, text, spacing, targets or motion below the rules, on a
    phone and on a desktop; and, given axe options, axe-core's violations of any impact."""
    page.set_viewport_size(NARROW)
    open_page(page, site, path, ready)
    found = []
    for size in (NARROW, ZOOMED):
        page.set_viewport_size(size)
        found += [f"at {size['width']} px: {problem}" for problem in page.evaluate(OVERFLOW)]
    if elder:
        for viewport, least in ((PHONE, 20), (DESKTOP, 22)):
            page.set_viewport_size(viewport)
            measured = page.evaluate(MEASURES)
            where = f"at {viewport['width']} px"
            if measured["body"] < least:
                found.append(f"{where}: body text of {measured['body']} px")
            found += [
                f"{where}: text of {t['size']} px, line height {t['line']} px: {t['text']}"
                for t in measured["texts"]
                if t["size"] < least or t["line"] < 1.5 * t["size"]
            ]
            found += [
                f"{where}: {g['gap']:.1f} px after a paragraph of line height {g['line']} px: {g['text']}"
                for g in measured["gaps"]
                if g["gap"] < 1.3 * g["line"] - 0.5
            ]
            found += [
                f"{where}: a target of {t['width']:.0f}×{t['height']:.0f} px: {t['what']}"
                for t in measured["targets"]
                if t["width"] < 44 or t["height"] < 44
            ]
            if measured["motion"]:
                found.append(f"{where}: {measured['motion']} elements move")
    if axe_options:
        page.set_viewport_size(DESKTOP)
        found += axe_violations(page, axe_options, impacts=None)
    return [f"{path}: {problem}" for problem in found]


def test_the_standard_version_reflows_in_both_languages_and_passes_axe_in_english(page, site, axe_violations):
    # axe's default rules, which include WCAG 2.1 AA, check the standard Chinese pages in test_every_page.py.
    problems = []
    choose(page, site, elder=False)
    for path, ready in PAGES:
        problems += problems_of(page, site, path, ready, elder=False)
    # English pages differ in the interface's words only; the 长辈版 test below reflows all of them, larger.
    choose(page, site, elder=False, english=True)
    for path, ready in ENGLISH_PAGES:
        problems += problems_of(
            page, site, path, ready, elder=False, axe_options=WCAG_21_AA, axe_violations=axe_violations
        )
    assert not problems, "\n".join(problems)


def test_the_elder_version_is_large_spaced_still_reflows_and_passes_axe_with_7_to_1_contrast(
    page, site, axe_violations
):
    choose(page, site, elder=True)
    problems = []
    for path, ready in PAGES:
        problems += problems_of(
            page, site, path, ready, elder=True, axe_options=AA_AND_AAA_CONTRAST, axe_violations=axe_violations
        )
    assert not problems, "\n".join(problems)

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
    eyebrow = page.locator(".eyebrow").first
    expect(eyebrow).to_have_css("color", "rgb(74, 83, 96)")  # --muted, #4a5360

    # A system that asks for more contrast gets darker greys and firmer lines in the standard version too.
    page.emulate_media(contrast="more", reduced_motion="reduce")
    expect(eyebrow).to_have_css("color", "rgb(47, 53, 61)")  # #2f353d
    expect(page.locator(".meta")).to_have_css("border-top-width", "2px")
    page.emulate_media(contrast="no-preference", reduced_motion="no-preference")


def test_the_elder_version_in_english_too(page, site, axe_violations):
    choose(page, site, elder=True, english=True)
    problems = []
    for path, ready in PAGES:
        options = AA_AND_AAA_CONTRAST if (path, ready) in ENGLISH_PAGES else None
        problems += problems_of(page, site, path, ready, elder=True, axe_options=options, axe_violations=axe_violations)
    assert not problems, "\n".join(problems)


def test_a_keyboard_user_turns_on_the_elder_version_filters_awards_and_opens_the_first(page, site):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")

    def tab_to(locator, limit=40):
        """Tab until `locator` has the focus, checking that every stop on the way shows a focus ring."""
        for _ in range(limit):
            page.keyboard.press("Tab")
            ring = page.evaluate(FOCUS_RING)
            # (After the last control the focus leaves the page, then comes back to its first.)
            assert ring is None or (ring["width"] >= 2 and ring["style"] != "none"), ring
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
