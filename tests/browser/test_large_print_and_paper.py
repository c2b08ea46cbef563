"""Amounts in the 长辈版 at 200% zoom on a phone, and pages on paper, in Debian's Chromium: an amount's
figure never splits across lines; a printed link names its whole address on one line; measure 3 prints
on the number of A4 pages docs/public-site.md states."""

import re

from django.conf import settings as django_settings
from playwright.sync_api import expect

# A 375 px phone zoomed to 200% lays the page out in 188 CSS px.
PHONE_AT_200 = {"width": 188, "height": 400}

# Each amount figure on the page that the browser drew on more than one line.
SPLIT_FIGURES = """() => [...document.querySelectorAll('.amount-figure')]
  .filter((figure) => new Set([...figure.getClientRects()].map((rect) => Math.round(rect.top))).size > 1)
  .map((figure) => figure.closest('strong, a').textContent)"""

# How many lines each amount takes, to show that the check meets amounts that do wrap.
WRAPPED_AMOUNTS = """() => [...document.querySelectorAll('.award__amount, .award-chart__amount a')]
  .filter((amount) => new Set([...amount.getClientRects()].map((rect) => Math.round(rect.top))).size > 1)
  .length"""


def test_in_the_elder_version_at_200_percent_no_amount_splits_inside_its_figure(page, site):
    page.context.add_cookies([{"name": "elder", "value": "on", "url": site}])
    page.set_viewport_size(PHONE_AT_200)
    wrapped = 0
    for path in ("/", "/policies/kjcx-2025/measures/6/", "/awards/"):
        page.goto(site + path)
        expect(page.locator(".amount-figure").first).to_be_visible()
        assert page.evaluate(SPLIT_FIGURES) == [], path
        wrapped += page.evaluate(WRAPPED_AMOUNTS)
    assert wrapped > 0  # some amounts are longer than a line here: the figure stayed whole anyway


def printed(page, site, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + path)
    page.emulate_media(media="print")
    return page.pdf(format="A4")


def pdf_pages(document: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", document))


def after(page, selector):
    """What a link prints after its text (its ::after content and display)."""
    return page.evaluate(
        """(selector) => {
          const style = getComputedStyle(document.querySelector(selector), '::after');
          return {content: style.content, display: style.display};
        }""",
        selector,
    )


def test_a_printed_link_to_the_site_names_its_whole_address(page, site):
    printed(page, site, "/calculator/?kind=accelerator")
    link = after(page, '.calculator-award a[href^="/policies/"]')
    assert link["content"].startswith(f'"<{django_settings.SITE_URL}/policies/kjcx-2025/measures/6/'), link
    printed(page, site, "/policies/kjcx-2025/measures/6/")
    source = after(page, ".clause__source a")
    assert source["content"] == '"<https://tongan.xmnn.cn/jdgz/202502/t20250224_300022.htm>"', source


# Each printed address as the browser lays it out: a box made like the link's ::after (its computed
# style copied), put where the ::after is; how many lines it takes, and whether it would fit one.
PRINTED_ADDRESSES = """() => [...document.querySelectorAll('a[href]')].flatMap((link) => {
  const style = getComputedStyle(link, '::after');
  if (!link.getClientRects().length || style.content === 'none' || style.content === '""') return [];
  const box = document.createElement('span');
  box.textContent = style.content.slice(1, -1);
  for (const name of ['display', 'maxWidth', 'overflowWrap', 'wordBreak', 'fontSize', 'marginLeft', 'whiteSpace']) {
    box.style[name] = style[name];
  }
  box.style.lineHeight = '1.25';
  link.append(box);
  const lines = Math.round(box.getBoundingClientRect().height / (parseFloat(style.fontSize) * 1.25));
  box.style.whiteSpace = 'nowrap';
  box.style.maxWidth = 'none';
  const fits = box.getBoundingClientRect().width <= link.parentElement.clientWidth;
  box.remove();
  return [{address: box.textContent, lines, fits}];
})"""


def test_a_printed_address_is_not_split_across_lines_where_it_fits_one(page, site):
    printed(page, site, "/policies/kjcx-2025/")
    addresses = page.evaluate(PRINTED_ADDRESSES)
    assert len(addresses) >= 5
    assert [a for a in addresses if a["fits"] and a["lines"] != 1] == [], addresses


def test_measure_3_prints_on_one_a4_page_as_the_docs_say(page, site):
    assert pdf_pages(printed(page, site, "/policies/kjcx-2025/measures/3/")) == 1
