"""Browser tests: Debian's Chromium, headless, driven by Playwright against pytest-django's live server.

One browser for the whole session, a fresh context (cookies, viewport) per test. Every request a page
makes is recorded, so that tests can check the pages load nothing from another host. axe-core comes from
the npm registry (package.json; `make test` runs `npm ci`) and is injected into the page under test.
Screenshots go to artifacts/screenshots/ (git-ignored).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
# Debian's package (scripts/install-system-packages); Playwright's own browser download is not used.
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    # The tests run as root in a container without user namespaces.
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium calls Google (updates, safe browsing, sync) at start-up; the network is closed.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `sudo bash scripts/install-system-packages`")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (or `make test`, which runs it)")
    # Playwright's sync API keeps an asyncio event loop running in this thread, so Django refuses ORM
    # calls here (SynchronousOnlyOperation) -- the fixtures that load data and flush the database
    # between tests make such calls. They are safe: nothing else runs on that loop.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, real_policy):
    """The live server's base URL (no trailing slash), serving the real policy."""
    return live_server.url


@pytest.fixture
def requests_made():
    """The URL of every request the test's pages made, in order."""
    return []


@pytest.fixture
def page(browser, requests_made):
    # bypass_csp: add_script_tag injects axe-core inline, which a strict Content-Security-Policy would block.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.on("request", lambda request: requests_made.append(request.url))
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """A function that runs axe-core on a page as it is now and returns its serious and critical
    violations, one readable line each (rule, help, the elements' selectors). `options` are axe.run's
    (e.g. runOnly a set of rules or tags); `impacts=None` reports violations of every impact."""

    def run(page, options=None, impacts=AXE_FAILING_IMPACTS):
        page.add_script_tag(path=str(AXE))
        # Only violations are read: leaving out the passes makes axe about twice as fast.
        options = {**(options or {}), "resultTypes": ["violations"]}
        results = page.evaluate("(options) => axe.run(document, options)", options)
        return [
            f"{violation['impact']}: {violation['id']} ({violation['help']}) at "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in results["violations"]
            if impacts is None or violation["impact"] in impacts
        ]

    return run


@pytest.fixture
def screenshot(request):
    """A function that saves a full-page screenshot as artifacts/screenshots/<test function>-<suffix>.png."""
    name = request.node.originalname

    def save(page, suffix):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{suffix}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
