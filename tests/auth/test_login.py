"""Login, logout, landing pages, `next`, rate limits and ended sessions."""
import pytest
from itsdangerous import URLSafeTimedSerializer

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


def test_posts_without_a_valid_form_do_not_lock_the_account(app, factory):
    user = factory.participant()
    attacker = Browser(app.test_client())
    for _ in range(10):
        # No CSRF token (what a cross-site form or a script would send), then a form without a password.
        assert attacker.client.post("/login", data={"email": user.email, "password": "guess"}).status_code == 400
        assert attacker.post("/login", {"email": user.email}).status_code == 401
    # None of these checked a password, so none counts: the owner logs in from a new device.
    assert Browser(app.test_client()).login(user.email).status_code == 302


def test_a_device_that_logged_in_before_gets_through_a_limit_others_reached(app, factory):
    user = factory.participant()
    owner = Browser(app.test_client())
    assert owner.login(user.email).status_code == 302
    owner.logout()
    attacker = Browser(app.test_client())
    for _ in range(5):
        assert attacker.login(user.email, "wrong password!!").status_code == 401
    # The account's limit is reached: a new device is refused even with the right password...
    assert attacker.login(user.email).status_code == 429
    assert Browser(app.test_client()).login(user.email).status_code == 429
    # ...but the owner's device, which logged in before, still gets in.
    assert owner.login(user.email).status_code == 302


def test_a_known_device_has_a_limit_of_its_own(app, factory):
    user = factory.participant()
    owner = Browser(app.test_client())
    assert owner.login(user.email).status_code == 302
    owner.logout()
    for _ in range(5):
        assert owner.login(user.email, "wrong password!!").status_code == 401
    assert owner.login(user.email).status_code == 429
    # Its guesses were its own: the account itself is not locked for others.
    assert Browser(app.test_client()).login(user.email).status_code == 302


def test_a_known_device_cookie_vouches_only_for_its_own_account(app, factory):
    first, second = factory.participant(), factory.participant()
    device = Browser(app.test_client())
    assert device.login(first.email).status_code == 302
    device.logout()
    attacker = Browser(app.test_client())
    for _ in range(5):
        assert attacker.login(second.email, "wrong password!!").status_code == 401
    # Having logged in to the first account does not make this device known to the second.
    assert device.login(second.email).status_code == 429
    # A copied cookie with a changed value is worth nothing either.
    cookie = device.client.get_cookie("passage_device", path="/login")
    forged = Browser(app.test_client())
    forged.client.set_cookie("passage_device", cookie.value[:-3] + "abc", path="/login")
    assert forged.login(second.email).status_code == 429


def test_the_known_device_cookie_is_set_at_login_and_kept_private(app, factory, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    user = factory.participant()
    response = Browser(app.test_client()).login(user.email)
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("passage_device="))
    assert "HttpOnly" in header and "Secure" in header and "SameSite=Lax" in header and "Path=/login" in header
    # It names no one: only a random device number and a keyed digest of each account's address.
    _valid, payload = URLSafeTimedSerializer("any key").loads_unsafe(header.split(";")[0].partition("=")[2])
    assert user.email not in str(payload) and user.name not in str(payload)
    # A failed login sets none.
    failed = Browser(app.test_client()).login(user.email, "wrong password!!")
    assert not any(value.startswith("passage_device=") for value in failed.headers.getlist("Set-Cookie"))
    # The data notice says so, in each language.
    notice = app.test_client().get("/privacy?lang=en").get_data(as_text=True)
    assert "A device cookie, sent only to the login page" in notice and "lasts a year" in notice
    assert "cookie d’appareil" in app.test_client().get("/privacy?lang=fr").get_data(as_text=True)
