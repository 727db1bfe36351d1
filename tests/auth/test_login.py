"""Login, logout, landing pages, `next`, rate limits and ended sessions."""
import pytest

from app.core.permissions import Role
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import Browser


@pytest.mark.parametrize(("role", "home"), [(Role.PARTICIPANT, "/dashboard"), (Role.TRAINER, "/trainer/"), (Role.ADMIN, "/admin/")])
def test_each_role_lands_on_its_home(browser, factory, role, home):
    user = factory.user(role)
    response = browser.login(user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == home
    assert browser.client.get(home).status_code == 200


def test_login_ignores_email_case_and_spaces(browser, factory):
    user = factory.participant(email="kofi@example.net")
    assert browser.login("  KOFI@Example.NET ").headers["Location"] == "/dashboard"
    assert user.email == "kofi@example.net"


def test_wrong_password_and_unknown_email_get_the_same_message(browser, factory):
    user = factory.participant()
    wrong = browser.login(user.email, "not the right password")
    unknown = browser.login("nobody@example.net", DEFAULT_PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    message = "The e-mail address or password is not correct."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert browser.client.get("/dashboard").status_code == 302


def test_empty_login_form_shows_required_fields(browser):
    response = browser.post("/login", {})
    assert response.status_code == 401
    assert "This field is required." in response.get_data(as_text=True)


def test_anonymous_visitor_is_sent_to_login_then_back(browser, factory):
    user = factory.participant()
    response = browser.client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    response = browser.post("/login?next=/account", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "\\\\evil"])
def test_next_only_goes_to_a_local_path(browser, factory, target):
    user = factory.participant()
    response = browser.post(f"/login?next={target}", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/dashboard"


def test_logout_needs_a_post_and_ends_the_session(browser, factory):
    user = factory.participant()
    browser.login(user.email)
    assert browser.client.get("/logout").status_code == 405
    assert browser.logout().status_code == 302
    assert browser.client.get("/dashboard").status_code == 302


def as_admin(app, admin) -> Browser:
    """An administrator in a browser of their own: changes go through the admin pages, as in real use."""
    browser = Browser(app.test_client())
    assert browser.login(admin.email).status_code == 302
    return browser


def test_deactivated_account_cannot_log_in(app, browser, factory):
    admin = factory.admin()
    user = factory.participant()
    assert as_admin(app, admin).post(f"/admin/users/{user.id}/active", {"active": "0"}).status_code == 302
    response = browser.login(user.email)
    assert response.status_code == 401
    assert "This account is deactivated" in response.get_data(as_text=True)
    assert browser.client.get("/dashboard").status_code == 302
    # A wrong password does not reveal that the account exists or is deactivated.
    response = browser.login(user.email, "not the password at all")
    assert "This account is deactivated" not in response.get_data(as_text=True)


def test_deactivation_ends_live_sessions(app, browser, factory):
    admin = factory.admin()
    user = factory.participant()
    browser.login(user.email)
    assert browser.client.get("/dashboard").status_code == 200
    assert as_admin(app, admin).post(f"/admin/users/{user.id}/active", {"active": "0"}).status_code == 302
    assert browser.client.get("/dashboard").status_code == 302


def test_role_change_ends_live_sessions(app, browser, factory):
    admin = factory.admin()
    user = factory.trainer()
    browser.login(user.email)
    assert browser.client.get("/trainer/").status_code == 200
    assert as_admin(app, admin).post(f"/admin/users/{user.id}/role", {"role": "participant"}).status_code == 302
    assert browser.client.get("/trainer/").status_code == 302


def test_failed_logins_are_limited_per_account(browser, factory):
    user = factory.participant()
    for _ in range(5):
        assert browser.login(user.email, "wrong password!!").status_code == 401
    response = browser.login(user.email)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Another account from the same address is not locked out by someone else's typos.
    other = factory.participant()
    assert browser.login(other.email).status_code == 302


def test_successful_logins_do_not_count_against_the_account(browser, factory):
    user = factory.participant()
    for _ in range(7):
        assert browser.login(user.email).status_code == 302
        browser.logout()


def test_logins_are_limited_per_address(app, browser, factory, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "8 per minute")
    users = [factory.participant() for _ in range(3)]
    statuses = [browser.login(users[i % 3].email, "wrong password!!").status_code for i in range(9)]
    assert statuses[:8] == [401] * 8
    assert statuses[8] == 429
