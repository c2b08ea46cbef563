"""Print, scan, copy in a real browser: a measure printed from a phone (print media, Chromium's page.pdf()
at 375 px) fits its pages without the site's chrome; the 打印 button prints; the QR code drawn on the page
decodes (zbarimg, Debian's zbar-tools) to the page's canonical address; 复制链接 copies the clause's
address, and without JavaScript it is a plain link to the clause."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

ZBARIMG = shutil.which("zbarimg")


def pdf_pages(document: bytes) -> int:
    """Pages in a PDF that Chromium wrote (its page objects: /Type /Page, not /Pages)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", document))


def printed(page, site, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + path)
    page.emulate_media(media="print")
    return page.pdf(format="A4")


def test_measure_3_printed_from_a_phone_fits_two_pages_and_shows_the_content_only(page, site, screenshot):
    document = printed(page, site, "/policies/kjcx-2025/measures/3/")
    assert 1 <= pdf_pages(document) <= 2
    for chrome in (".site-header", ".breadcrumb", ".page-tools", ".pager", ".clause__copy"):
        expect(page.locator(chrome).first).to_be_hidden()
    # The policy's title, the measure, its clause and awards, and the source stay on paper.
    expect(page.locator(".eyebrow")).to_contain_text("关于深化拓展科技创新引领工程")
    expect(page.get_by_role("heading", level=1)).to_have_text("第3条 拓展科技交流合作平台")
    expect(page.locator(".award")).to_have_count(5)
    expect(page.locator(".clause__source")).to_be_visible()
    expect(page.locator(".print-only")).to_contain_text("本页网址：")
    expect(page.locator(".qr-code")).to_be_visible()
    # A link's target is printed after its text.
    after = page.evaluate("() => getComputedStyle(document.querySelector('.clause__source a'), '::after').content")
    assert "https://tongan.xmnn.cn/jdgz/202502/t20250224_300022.htm" in after
    assert page.evaluate("() => getComputedStyle(document.querySelector('.award')).breakInside") == "avoid"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.clause')).breakInside") == "avoid"
    screenshot(page, "measure-3-print-375")


def test_the_policy_page_prints_without_navigation_and_with_its_related_documents(page, site):
    document = printed(page, site, "/policies/kjcx-2025/")
    assert pdf_pages(document) >= 1
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".language-switch")).to_be_hidden()
    expect(page.locator(".related-doc")).to_have_count(3)
    expect(page.locator(".related-doc").first).to_be_visible()


def test_the_print_button_appears_with_javascript_and_prints(page, site):
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page.goto(site + "/policies/kjcx-2025/measures/3/")
    button = page.get_by_role("button", name="打印")
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("() => window.printed") == 1


@pytest.mark.skipif(ZBARIMG is None, reason="zbarimg missing: run scripts/install-system-packages")
@pytest.mark.parametrize("path", ["/policies/kjcx-2025/", "/policies/kjcx-2025/measures/3/"])
def test_the_qr_code_on_the_page_scans_as_its_canonical_address(browser, site, tmp_path, path):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(site + path + "?as_of=2025-03-01" if "measures" in path else site + path)
        image = tmp_path / "qr.png"
        page.locator(".qr-code__image").screenshot(path=str(image))
    finally:
        context.close()
    result = subprocess.run([ZBARIMG, "--raw", "-q", str(image)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == django_settings.SITE_URL + path


def test_copy_link_copies_the_clauses_address_and_says_so(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    try:
        page = context.new_page()
        page.goto(site + "/policies/kjcx-2025/measures/2/")
        page.locator("#clause-2 .clause__copy").click()
        expect(page.locator("#clause-2 .clause__copy-status")).to_have_text("已复制本段链接")
        assert (
            page.evaluate("() => navigator.clipboard.readText()") == site + "/policies/kjcx-2025/measures/2/#clause-2"
        )
        assert page.url == site + "/policies/kjcx-2025/measures/2/"  # copied, not followed
    finally:
        context.close()


def test_without_javascript_copy_link_is_a_plain_link_to_the_clause(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + "/policies/kjcx-2025/measures/2/")
        expect(page.locator(".page-tools__print")).to_be_hidden()
        page.locator("#clause-2 .clause__copy").click()
        expect(page).to_have_url(site + "/policies/kjcx-2025/measures/2/#clause-2")
    finally:
        context.close()
