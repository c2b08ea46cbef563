"""Signing in to the admin as an editor does, for the browser tests of the editors' pages."""

from playwright.sync_api import expect


def log_in(page, site, username, password):
    """Sign in through the login form and wait for the editor's start page."""
    page.goto(site + "/admin/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#start-page")).to_be_visible()
