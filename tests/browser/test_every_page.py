"""What every kind of public page gets checked for in the browser: no serious or critical
accessibility violation (axe-core), and no request to any host but the site's own."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

# name: (path, a locator that must match before the page is checked: the page shows what it is for)
PAGES = {
    "home": ("/", "text=厦委发〔2025〕1号"),
    "pillar": ("/policies/kjcx-2025/pillars/1/", ".measure-list"),
    "measure": ("/policies/kjcx-2025/measures/3/", "#clause-1"),
    "awards": ("/awards/?min=1000&max=3000", "li.award-result"),
    "policy-library": ("/policies/", "li.library-entry"),
    "award-policies": ("/awards/policies/?min=1000", ".policy-choices"),
    "search": ("/search/?q=孵化器", "li.search-result mark"),
    "amount-search": ("/search/?q=孵化器 500万以上", ".search-understood a"),
    "widened-search": ("/search/?q=国家重点实验室", ".search-widened"),
    "search-suggestions": ("/search/?q=孵化器建设方案", ".search-suggestions a"),
    "not-found": ("/no/such/page/", "text=页面不存在"),
    "measure-history": ("/policies/kjcx-2025/measures/3/history/", "h1"),
    "changes": ("/changes/", "h1"),
    "measure-as-of": ("/policies/kjcx-2025/measures/3/?as_of=2025-03-01", "h1"),
    "policy": ("/policies/kjcx-2025/", ".related-doc"),
    "follow": ("/follow/?kind=measure&policy=kjcx-2025&measure=3", "form.follow-form"),
    "feedback": ("/feedback/new/?kind=report&policy=kjcx-2025&measure=3&clause=1", "form.feedback-form"),
    "feedback-figures": ("/feedback/", "table.feedback-figures__months"),
    "downloads": ("/downloads/", "h1"),
    "accessibility": ("/accessibility/", "text=GB/T 37668-2019"),
    "calendar": ("/calendar/", ".calendar-section--unpublished"),
    "calendar-unpublished": ("/calendar/?section=unpublished", "li.calendar-entry"),
}
CASES = [(name, "zh") for name in PAGES] + [(name, "en") for name in ("home", "measure", "awards")]


@pytest.mark.parametrize(("name", "language"), CASES, ids=[f"{name}-{language}" for name, language in CASES])
def test_the_page_has_no_serious_accessibility_violation_and_asks_no_other_host(
    page, site, requests_made, axe_violations, name, language
):
    path, ready = PAGES[name]
    if language == "en":
        page.goto(site + "/")
        page.get_by_role("button", name="English", exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(site + path)
    expect(page.locator(ready).first).to_be_visible()

    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)

    server = urlsplit(site)
    assert site + "/static/css/site.css" in requests_made
    assert [url for url in requests_made if urlsplit(url)[:2] != server[:2]] == []
