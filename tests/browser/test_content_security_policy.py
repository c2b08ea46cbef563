"""The Content-Security-Policy (xmpolicy/csp.py) in force in Chromium: no page breaks it, and the pages
still work under it (the chart's data table opens, the language switch switches, Swagger UI lists the
operations, the admin's forms and widgets run).

The shared `page` fixture bypasses the policy (axe-core is injected inline); these tests open a context
that keeps it, and collect every violation the browser reports: `securitypolicyviolation` events,
passed to the test through an exposed function (which survives navigations), and the console's errors
naming the Content Security Policy, which also cover what is refused before any script of the page runs.
Any script error fails the test too: a script refused halfway would leave the page half working.
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from measures.domain.models import Clause, Measure

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  window.reportCspViolation(`${event.violatedDirective} blocked ${blocked} in ${event.documentURI}`);
});
"""


@pytest.fixture
def violations():
    """What the browser refused under the policy, one line each, for the test's whole run."""
    return []


@pytest.fixture
def strict_page(browser, requests_made, violations):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(5_000)
    context.expose_function("reportCspViolation", lambda line: violations.append(line))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.on("request", lambda request: requests_made.append(request.url))
    page.on("console", lambda message: _console(message, violations))
    page.on("pageerror", lambda error: violations.append(f"script error: {error}"))
    yield page
    context.close()


def _console(message, violations):
    if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
        violations.append(f"console: {message.text}")


def assert_no_violation(page, violations, requests_made, site):
    # Reports are delivered asynchronously: give the last ones time to arrive.
    page.wait_for_timeout(200)
    assert violations == [], "\n".join(violations)
    server = urlsplit(site)
    assert [url for url in requests_made if urlsplit(url)[:2] != server[:2]] == []


def test_a_violation_would_be_seen(strict_page, site, violations):
    """The listeners work: an inline script added to a page is refused, and reported."""
    strict_page.goto(site + "/")
    strict_page.evaluate("() => document.body.append(Object.assign(document.createElement('script'), {text: '1'}))")
    strict_page.wait_for_timeout(200)
    assert any("script-src" in line for line in violations), violations


def test_the_home_page_runs_under_the_policy_and_its_chart_table_opens(strict_page, site, violations, requests_made):
    page = strict_page
    response = page.goto(site + "/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("main")).to_contain_text("厦委发〔2025〕1号")
    table = page.locator(".award-chart__table")
    expect(page.locator(".award-chart__svg")).to_be_visible()
    expect(table).to_be_hidden()
    page.get_by_text("查看数据表").click()
    expect(table).to_be_visible()
    # The stylesheet applied: the site's own CSS is in force, not the browser's defaults.
    assert page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).display") != "inline"
    assert_no_violation(page, violations, requests_made, site)


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/policies/kjcx-2025/measures/3/", "#clause-1"),
        ("/awards/?min=1000&max=3000", "li.award-result"),
        ("/search/?q=孵化器", "li.search-result mark"),
        ("/no/such/page/", "text=页面不存在"),
    ],
    ids=["measure", "awards", "search", "not-found"],
)
def test_a_public_page_runs_under_the_policy(strict_page, site, violations, requests_made, path, ready):
    strict_page.goto(site + path)
    expect(strict_page.locator(ready).first).to_be_visible()
    assert_no_violation(strict_page, violations, requests_made, site)


def test_the_language_switch_works_under_the_policy(strict_page, site, violations, requests_made):
    page = strict_page
    page.goto(site + "/policies/kjcx-2025/measures/3/")
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(site + "/policies/kjcx-2025/measures/3/")
    page.get_by_role("button", name="中文", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    # The second visit to the page came from the page cache: its policy still fits its body.
    page.reload()
    expect(page.locator("#clause-1")).to_be_visible()
    assert_no_violation(page, violations, requests_made, site)


def test_swagger_ui_lists_the_operations_under_the_policy(strict_page, site, violations, requests_made):
    page = strict_page
    page.goto(site + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("xmpolicy 开放数据 API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    paths = operations.all_inner_texts()
    assert {"/api/v1/awards/", "/api/v1/search/"} <= {text.replace("\u200b", "") for text in paths}
    # Open an operation and run it: Try it out → Execute fetches the API from the page.
    page.locator("#operations-v1-v1_awards_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    # No validator badge: Swagger UI would send the schema's address to validator.swagger.io.
    assert page.evaluate("() => window.ui.getConfigs().validatorUrl") is None
    assert_no_violation(page, violations, requests_made, site)


def test_the_admin_runs_under_the_policy(strict_page, site, violations, requests_made, editor):
    page = strict_page
    page.goto(site + "/admin/")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill("editor-password-1")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#content h1")).to_have_text("政策内容管理")

    page.goto(site + "/admin/measures/measure/")
    expect(page.locator("#result_list")).to_be_visible()
    # The actions bar's script runs: selecting a row counts it.
    page.locator("#result_list tbody input.action-select").first.check()
    expect(page.locator(".action-counter")).to_contain_text("1")

    measure = Measure.objects.get(policy__slug="kjcx-2025", number=3)
    page.goto(site + f"/admin/measures/measure/{measure.pk}/change/")
    expect(page.locator("#measure_form")).to_be_visible()
    # The inline formset's script runs: its "add another" link adds a row.
    added = page.locator(".dynamic-clauses")
    before = added.count()
    page.locator(".add-row a").first.click()
    expect(added).to_have_count(before + 1)

    clause = Clause.objects.filter(measure=measure).order_by("position").first()
    page.goto(site + f"/admin/measures/clause/{clause.pk}/change/")
    expect(page.locator("#clause_form")).to_be_visible()
    page.goto(site + f"/admin/measures/policy/{measure.policy.pk}/change/")
    # The date widget's script runs: its calendar opens.
    page.locator("#id_issue_date ~ .datetimeshortcuts a:has(.date-icon)").click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    page.goto(site + f"/admin/measures/measure/{measure.pk}/history/")
    expect(page.locator("#content h1")).to_be_visible()
    assert_no_violation(page, violations, requests_made, site)
