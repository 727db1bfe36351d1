"""Profile, password change and account deletion."""
import sqlalchemy as sa

from app.auth.models import Sex, User
from app.core.audit import AuditEntry
from app.extensions import db
from tests.factories import DEFAULT_PASSWORD, reload
from tests.helpers import Browser

PROFILE = {
    "profile-name": "Nadia Benali",
    "profile-country": "MA",
    "profile-organisation": "UMT",
    "profile-constituency": "workers",
    "profile-sex": "undisclosed",
    "profile-preferred_language": "fr",
    "profile-submit": "1",
}


def load(app, user_id):
    return reload(app, User, user_id)


def test_account_page_shows_the_current_profile(browser, factory):
    user = factory.participant(name="Nadia B.", country="MA")
    browser.login(user.email)
    page = browser.client.get("/account").get_data(as_text=True)
    assert 'value="Nadia B."' in page
    assert '<option selected value="MA">' in page
    assert '<option selected value="government">' in page


def test_profile_is_saved(app, browser, factory):
    user = factory.participant()
    browser.login(user.email)
    response = browser.post("/account", PROFILE)
    assert response.status_code == 302
    saved = load(app, user.id)
    assert (saved.name, saved.country, saved.sex, saved.preferred_language) == ("Nadia Benali", "MA", Sex.UNDISCLOSED, "fr")


def test_bad_profile_changes_nothing(app, browser, factory):
    user = factory.participant()
    browser.login(user.email)
    response = browser.post("/account", {**PROFILE, "profile-name": "n" * 10_000, "profile-country": "ZZ"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "longer than 120" in page and "Not a valid choice" in page
    assert load(app, user.id).name == user.name


def test_password_change_keeps_this_session_and_ends_others(app, browser, factory, client):
    user = factory.participant()
    other_device = app.test_client()
    Browser(other_device).login(user.email)
    browser.login(user.email)
    response = browser.post("/account", {
        "password-current_password": DEFAULT_PASSWORD,
        "password-password": "a brand new passphrase",
        "password-confirm": "a brand new passphrase",
        "password-submit": "1",
    })
    assert response.status_code == 302
    assert browser.client.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302
    browser.logout()
    assert browser.login(user.email, "a brand new passphrase").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(app, browser, factory):
    user = factory.participant()
    browser.login(user.email)
    response = browser.post("/account", {
        "password-current_password": "not my password",
        "password-password": "a brand new passphrase",
        "password-confirm": "a brand new passphrase",
        "password-submit": "1",
    })
    assert response.status_code == 422
    assert "current password is not correct" in response.get_data(as_text=True)
    assert load(app, user.id).password_hash == user.password_hash


def test_delete_account_erases_personal_data(app, browser, factory):
    user = factory.participant(name="Erase Me", organisation="Somewhere")
    browser.login(user.email)
    assert browser.client.get("/account/delete").status_code == 200
    response = browser.post("/account/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    gone = load(app, user.id)
    assert gone.deleted_at is not None and not gone.active
    assert (gone.name, gone.country, gone.organisation, gone.sex, gone.constituency) == ("", None, None, None, None)
    assert user.email not in gone.email
    assert browser.client.get("/dashboard").status_code == 302
    assert browser.login(user.email).status_code == 401
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.subject_id == user.id)) == "user.delete"


def test_delete_account_needs_password_and_confirmation(app, browser, factory):
    user = factory.participant()
    browser.login(user.email)
    response = browser.post("/account/delete", {"password": "wrong", "confirm": "y"})
    assert response.status_code == 422
    response = browser.post("/account/delete", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 422
    assert "Tick the box" in response.get_data(as_text=True)
    assert load(app, user.id).deleted_at is None


def test_the_last_admin_cannot_delete_their_account(app, browser, factory):
    admin = factory.admin()
    browser.login(admin.email)
    response = browser.post("/account/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert "last active administrator" in response.get_data(as_text=True)
    assert load(app, admin.id).deleted_at is None


def test_guessing_the_current_password_is_limited_like_login(app, browser, factory):
    user = factory.participant()
    browser.login(user.email)
    wrong = {"password-current_password": "not my password", "password-password": "a fresh passphrase 42",
             "password-confirm": "a fresh passphrase 42", "password-submit": "1"}
    statuses = [browser.post("/account", wrong).status_code for _ in range(5)]
    assert statuses == [422] * 5
    # The sixth guess is refused before the password is checked, on either form that asks for it.
    assert browser.post("/account", wrong).status_code == 429
    assert browser.post("/account/delete", {"password": "still guessing", "confirm": "y"}).status_code == 429
    # Saving the profile is not a guess and is not blocked.
    assert browser.post("/account", {"profile-name": "New Name", "profile-submit": "1", "profile-country": "PH",
                                     "profile-preferred_language": "en"}).status_code in (302, 422)


def test_logout_ends_the_session_on_the_server(app, browser, factory):
    user = factory.participant()
    browser.post("/login", {"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"})
    cookies = {cookie.key: cookie.value for cookie in browser.client._cookies.values()}
    assert {"session", "remember_token"} <= set(cookies)
    browser.logout()
    # Someone who copied the cookies before the logout gets nowhere with them.
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    assert thief.get("/dashboard").status_code == 302
    thief.delete_cookie("session")
    assert thief.get("/dashboard").status_code == 302


def test_only_checked_passwords_count_against_the_account(app, browser, factory):
    user = factory.participant()
    browser.login(user.email)
    wrong = {"password-current_password": "not my password", "password-password": "a fresh passphrase 42",
             "password-confirm": "a fresh passphrase 42", "password-submit": "1"}
    for _ in range(6):
        # No CSRF token, a form left incomplete, a deletion not confirmed: no password was checked.
        assert browser.client.post("/account", data=wrong).status_code == 400
        assert browser.post("/account", {**wrong, "password-confirm": "does not match"}).status_code == 422
        assert browser.post("/account/delete", {"password": "still guessing"}).status_code == 422
    statuses = [browser.post("/account", wrong).status_code for _ in range(5)]
    assert statuses == [422] * 5
    assert browser.post("/account", wrong).status_code == 429


def test_a_right_current_password_does_not_count(app, browser, factory):
    user = factory.participant()
    browser.login(user.email)
    password = DEFAULT_PASSWORD
    for number in range(6):
        new = f"a fresh passphrase {number}"
        response = browser.post("/account", {"password-current_password": password, "password-password": new,
                                             "password-confirm": new, "password-submit": "1"})
        assert response.status_code == 302
        password = new
