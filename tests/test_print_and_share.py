"""Print and share, as the server writes them: the print stylesheet and the 打印 button on every content
page, the QR code of the policy and measure pages (the page's canonical address), 复制链接 beside each
clause, and the settings that address mail (EMAIL_URL, SITE_URL). tests/browser/test_print_and_share.py
prints, scans and copies in a real browser."""

import re

import pytest
import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured

from tests.html import page
from xmpolicy.env import env_email, env_site_url

CONTENT_PAGES = [
    "/",
    "/policies/kjcx-2025/",
    "/policies/kjcx-2025/pillars/1/",
    "/policies/kjcx-2025/measures/3/",
    "/policies/kjcx-2025/measures/3/history/",
    "/awards/",
    "/search/?q=%E5%AD%B5%E5%8C%96%E5%99%A8",  # 孵化器, as a browser sends it
    "/changes/",
    "/downloads/",
]


def test_every_content_page_has_the_print_stylesheet_the_print_button_and_its_address(client, real_policy):
    for url in CONTENT_PAGES:
        html = page(client, url)
        assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html, url
        assert '<link rel="stylesheet" href="/site-address.css" media="print">' in html, url
        # Hidden until static/js/page-tools.js shows it: without JavaScript there is nothing to click.
        assert '<button type="button" class="page-tools__print" data-print hidden>打印</button>' in html, url
        assert '<script src="/static/js/page-tools.js" defer></script>' in html, url
        assert f'<p class="print-only">厦门科技创新政策库 · 本页网址：{settings.SITE_URL}{url}</p>' in html, url


def test_the_print_stylesheet_is_a4_without_chrome_and_prints_link_targets():
    with open(finders.find("css/print.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert re.search(r"@page\s*{[^}]*size:\s*A4", css)
    hidden = css[: css.index("display: none !important")]
    for chrome in (".site-header", ".site-nav", ".language-switch", ".breadcrumb", ".page-tools", "button", "form"):
        assert f"\n{chrome}," in hidden or f"\n{chrome} " in hidden, chrome
    assert 'a[href]::after {\n  content: "<" attr(href) ">";' in css
    assert 'a[href^="/"]::after {\n  content: "<" var(--site-address, "") attr(href) ">";' in css
    for card in (".clause", ".award", ".related-doc"):
        assert re.search(rf"\n{re.escape(card)},[^{{]*{{\s*break-inside: avoid", css), card


def test_the_site_address_for_printed_links_is_site_url_whatever_host_asked(client, settings, db):
    settings.SITE_URL = "https://policy.example.cn"
    response = client.get("/site-address.css", headers={"host": "localhost"})
    assert response["Content-Type"].startswith("text/css")
    assert ':root {\n  --site-address: "https://policy.example.cn";\n}' in response.content.decode()


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/policies/kjcx-2025/", "/policies/kjcx-2025/"),
        ("/", "/policies/kjcx-2025/"),
        ("/policies/kjcx-2025/measures/3/", "/policies/kjcx-2025/measures/3/"),
        ("/policies/kjcx-2025/measures/3/?as_of=2025-03-01", "/policies/kjcx-2025/measures/3/"),
    ],
)
def test_the_policy_and_measure_pages_carry_an_svg_qr_code_of_their_canonical_address(
    client, real_policy, settings, url, canonical
):
    settings.SITE_URL = "https://policy.example.cn"
    html = page(client, url)
    figure = re.search(r'<figure class="qr-code">(.*?)</figure>', html, re.S).group(1)
    assert "<figcaption>手机扫码查看</figcaption>" in figure
    assert f"<title>本页网址的二维码：https://policy.example.cn{canonical}</title>" in figure
    drawn = re.search(r'<path stroke="#000" d="([^"]+)"', figure).group(1)
    expected = segno.make(f"https://policy.example.cn{canonical}", error="m", micro=False)
    assert f'd="{drawn}"' in expected.svg_inline(scale=4, border=4)


def test_pages_other_than_policies_and_measures_have_no_qr_code(client, real_policy):
    for url in ("/policies/kjcx-2025/pillars/1/", "/awards/", "/changes/"):
        assert "qr-code" not in page(client, url)


def test_each_clause_has_a_copy_link_that_is_a_plain_link_to_it(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/2/")
    for position in (1, 2):
        assert (
            f'<a class="clause__copy" href="/policies/kjcx-2025/measures/2/#clause-{position}" data-copy-link '
            f'data-copied="已复制本段链接">复制链接<span class="visually-hidden">（第{position}段）</span></a>'
        ) in html
    assert html.count('class="clause__copy-status" role="status"') == 2


def test_the_page_script_only_adds_to_the_page():
    with open(finders.find("js/page-tools.js"), encoding="utf-8") as script:
        js = script.read()
    assert "window.print()" in js and "navigator.clipboard.writeText(link.href)" in js
    assert "button.hidden = false" in js


# --- EMAIL_URL and SITE_URL -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mailer:p%40ss@mail.example.cn:587",
            dict(EMAIL_HOST="mail.example.cn", EMAIL_PORT=587, EMAIL_USE_TLS=True, EMAIL_USE_SSL=False),
        ),
        ("smtps://mailer:pass@mail.example.cn", dict(EMAIL_PORT=465, EMAIL_USE_TLS=False, EMAIL_USE_SSL=True)),
        ("smtps://mailer:pass@mail.example.cn:2465", dict(EMAIL_PORT=2465, EMAIL_USE_SSL=True)),
        ("smtp://127.0.0.1:2525", dict(EMAIL_PORT=2525, EMAIL_USE_TLS=False, EMAIL_HOST_USER="")),
        ("smtp://relay.example.cn:25?tls=1", dict(EMAIL_USE_TLS=True)),
        ("smtp://mail.example.cn:587?timeout=5", dict(EMAIL_TIMEOUT=5, EMAIL_USE_TLS=True)),
    ],
)
def test_email_url_gives_the_smtp_settings(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)
    config = env_email("EMAIL_URL", "console://")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert {key: config[key] for key in expected} == expected
    if "mailer" in url:
        assert config["EMAIL_HOST_USER"] == "mailer"
        assert config["EMAIL_HOST_PASSWORD"] in {"p@ss", "pass"}


def test_the_default_writes_mails_to_the_console(monkeypatch, settings):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env_email("EMAIL_URL", "console://") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


@pytest.mark.parametrize(
    "url", ["http://mail.example.cn", "smtp://", "smtp://h:99999", "smtp://h:587?tls=1&evil=1", "mailto:x@y"]
)
def test_an_email_url_that_cannot_be_used_is_refused(monkeypatch, url):
    monkeypatch.setenv("EMAIL_URL", url)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env_email("EMAIL_URL", "console://")


@pytest.mark.parametrize("url", ["policy.example.cn", "https://policy.example.cn/path", "ftp://x", "https://"])
def test_a_site_url_that_is_not_a_sites_address_is_refused(monkeypatch, url):
    monkeypatch.setenv("SITE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        env_site_url("SITE_URL", "")


def test_a_site_url_loses_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://policy.example.cn/")
    assert env_site_url("SITE_URL", "") == "https://policy.example.cn"
