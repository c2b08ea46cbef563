"""pa11y's WCAG2AA run (HTML_CodeSniffer, a second opinion beside axe-core's in test_every_page.py and
test_elder_mode.py) over one page of each kind, standard and 长辈版, Chinese and English, in Debian's
Chromium. pa11y comes from the npm registry (package.json, installed without scripts: no browser download);
tests/browser/pa11y_pages.js runs it, one browser for every page."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's (scripts/install-system-packages); pa11y_pages.js names it too
PA11Y = ROOT / "node_modules" / "pa11y"
RUNNER = ROOT / "tests" / "browser" / "pa11y_pages.js"
ELDER = "elder=on"
ENGLISH = "django_language=en"

PAGES = [
    ("/", ""),  # the home page's chart and its table
    ("/", ELDER),  # the 长辈版 puts the chart's table first, open
    ("/", ENGLISH),
    ("/policies/kjcx-2025/measures/3/", ""),
    ("/policies/kjcx-2025/measures/3/", f"{ELDER}; {ENGLISH}"),
    ("/policies/kjcx-2025/measures/3/history/", ""),
    ("/awards/?min=100", ""),
    ("/policies/", ""),
    ("/calculator/?kind=tech-business-incubator&kind=accelerator", ""),
    ("/search/?q=孵化器", ""),
    ("/changes/", ENGLISH),
    ("/downloads/", ""),
    ("/accessibility/", ""),
]


def test_pa11y_finds_no_wcag2aa_error_on_any_kind_of_page(site):
    node = shutil.which("node")
    if node is None or not PA11Y.exists():
        pytest.fail("node or pa11y is missing: run `make node_modules/.installed` (or `make test`)")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `sudo bash scripts/install-system-packages`")
    pages = [json.dumps({"url": site + path, "cookies": cookies}, ensure_ascii=False) for path, cookies in PAGES]
    completed = subprocess.run([node, str(RUNNER), *pages], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr[-3000:]
    found = {
        json.loads(page)["url"].removeprefix(site) + " " + json.loads(page)["cookies"]: issues
        for page, issues in json.loads(completed.stdout).items()
        if issues
    }
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
