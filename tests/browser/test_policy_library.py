"""The policy library in a real browser, on a library of many policies generated in the test (the
benchmarks' corpus generator): a visitor finds a policy by its 文号 and by its issuer, on a phone and on a
desktop, and the page passes axe."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from measures.domain.documents import RelatedDocument
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource

POLICIES = 45  # more than a page of the library (30)
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def library_site(live_server, transactional_db):
    """A library of generated policies only (the generator refuses to mix them with real ones: the real policy
    is loaded again after the test, as after any test that commits)."""
    for model in (RelatedDocument, Award, Clause, Measure, Pillar, PolicySource, Policy):
        model.objects.all().delete()
    call_command("generate_corpus", "--policies", str(POLICIES), "--clauses-per-policy", "12", verbosity=0)
    return live_server.url


def open_filters_on_a_phone(page):
    """On a phone the filters sit behind 筛选 (measures/policy_library.html); on a desktop beside the list."""
    toggle = page.locator(".finder-toggle a")
    if toggle.is_visible():
        toggle.click()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_visitor_finds_a_policy_by_its_number_and_by_its_issuer(page, library_site, axe_violations, width):
    wanted = Policy.objects.order_by("slug")[POLICIES // 2]
    issuer = wanted.issuing_bodies.split("、")[0]
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(library_site + "/")
    # The header's 政策库 (on a phone the navigation may wrap, never hide it).
    page.get_by_role("navigation", name="网站导航").get_by_role("link", name="政策库", exact=True).click()
    expect(page).to_have_url(library_site + "/policies/")
    expect(page.locator(".finder-summary__count")).to_have_text(f"共 {POLICIES} 项政策")
    expect(page.locator("li.library-entry")).to_have_count(30)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page, WCAG_21_AA) == []

    # By 文号, typed with square brackets as on a keyboard without 〔〕.
    open_filters_on_a_phone(page)
    page.get_by_label("标题、简称或文号").fill(wanted.document_number.replace("〔", "[").replace("〕", "]"))
    page.get_by_role("button", name="查找").click()
    found = page.locator("li.library-entry")
    expect(found.filter(has_text=wanted.title)).to_have_count(1)
    for text in found.all_inner_texts():
        assert wanted.document_number in text
    found.filter(has_text=wanted.title).get_by_role("link", name=re.compile(re.escape(wanted.title))).click()
    expect(page).to_have_url(library_site + f"/policies/{wanted.slug}/")
    # Its breadcrumb leads back to the library.
    page.get_by_role("navigation", name="当前位置").get_by_role("link", name="政策库").click()
    expect(page).to_have_url(library_site + "/policies/")

    # By issuer: its facet's option, then the policy among that issuer's, a page at most away.
    open_filters_on_a_phone(page)
    option = page.locator(".facet--issuer a.chip", has_text=re.compile(f"^{re.escape(issuer)} \\("))
    count = int(re.search(r"\((\d+)\)", option.inner_text()).group(1))
    option.click()
    expect(page.locator(".finder-summary__count")).to_have_text(f"共 {count} 项政策")
    entries = page.locator("li.library-entry")
    expect(entries.first).to_be_visible()
    listed = entries.all_inner_texts()
    while wanted.title not in "\n".join(listed) and page.locator("a[rel=next]").count():
        page.locator("a[rel=next]").click()
        listed = page.locator("li.library-entry").all_inner_texts()
    assert any(wanted.title in text for text in listed)
    assert all(issuer in text for text in listed)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page, WCAG_21_AA) == []
