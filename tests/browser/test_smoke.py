"""In a real Chromium at phone width: each demo account logs in through the form and sees its home.

The demo accounts are only logged into here; a test that changes an account uses one of its own.
"""
import pytest
from playwright.sync_api import expect

from tests.helpers import screenshot

pytestmark = pytest.mark.browser

HOMES = [
    ("participant", "/dashboard", "My workshops"),
    ("trainer", "/trainer/", "Your workshops"),
    ("admin", "/admin/", "Users"),
]


@pytest.mark.parametrize(("role", "home", "heading"), HOMES)
def test_demo_account_logs_in_and_sees_its_home(live_server, page, role, home, heading):
    page.goto(live_server + "/login?lang=en")
    page.get_by_label("E-mail address").fill(f"{role}@example.org")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + home)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    screenshot(page, f"home-{role}")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server + "/")


def test_wrong_password_shows_a_message_on_the_form(live_server, live_factory, page):
    user = live_factory.participant()  # its own account: a failed login counts against the account
    page.goto(live_server + "/login?lang=en")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("The e-mail address or password is not correct.", exact=True)).to_be_visible()
    screenshot(page, "login-error")


def test_language_switcher_works_without_javascript(live_server, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(live_server + "/")
    page.select_option("#lang-select", "es")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    screenshot(page, "home-es-no-js")
