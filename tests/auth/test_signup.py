"""Sign-up: a new participant gets an account; every bad input gets a message and changes nothing."""
import pytest
import sqlalchemy as sa

from app.auth.models import Constituency, Sex, User
from app.core.permissions import Role
from app.extensions import db

GOOD = {
    "name": "Marisol Quispe",
    "email": "Marisol.Quispe@Example.org",
    "password": "migration rights for all",
    "confirm": "migration rights for all",
    "country": "PE",
    "organisation": "Ministerio de Trabajo",
    "constituency": "government",
    "sex": "female",
    "preferred_language": "es",
    "accept_privacy": "y",
}


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_signup_creates_a_participant_and_logs_in(app, browser):
    response = browser.post("/signup", GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "marisol.quispe@example.org"))
        assert user.role == Role.PARTICIPANT
        assert (user.country, user.constituency, user.sex) == ("PE", Constituency.GOVERNMENT, Sex.FEMALE)
        assert user.preferred_language == "es"
        assert user.password_hash.startswith("scrypt:")
        assert "migration rights" not in user.password_hash
    page = browser.client.get("/dashboard")
    assert page.status_code == 200
    assert "Marisol Quispe" in page.get_data(as_text=True)


def test_signup_form_offers_localized_countries_and_every_choice(client):
    page = client.get("/signup?lang=fr").get_data(as_text=True)
    assert '<option value="DE">Allemagne</option>' in page
    assert "Préfère ne pas le dire" in page or "Prefer not to say" in page
    for value in ("government", "workers", "employers", "other", "undisclosed", "en", "fr", "es"):
        assert f'value="{value}"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid e-mail address."),
        ({"password": "short1", "confirm": "short1"}, "password", "at least 10 characters"),
        ({"password": "password123", "confirm": "password123"}, "password", "too common"),
        ({"password": "1234567890", "confirm": "1234567890"}, "password", "too common"),
        ({"confirm": "something else entirely"}, "confirm", "do not match"),
        ({"name": "x" * 10_000}, "name", "longer than 120"),
        ({"name": "   "}, "name", "This field is required."),
        ({"country": "XX"}, "country", "Not a valid choice"),
        ({"preferred_language": "de"}, "preferred_language", "Not a valid choice"),
        ({"constituency": "press"}, "constituency", "Not a valid choice"),
        ({"sex": ""}, "sex", "This field is required."),
        ({"accept_privacy": ""}, "accept_privacy", "accept the data notice"),
        ({"organisation": "o" * 201}, "organisation", "longer than 200"),
    ],
)
def test_bad_signup_input_gets_a_message_and_creates_nothing(app, browser, changes, field, message):
    before = count_users(app)
    data = {**GOOD, **changes}
    response = browser.post("/signup", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    assert 'aria-invalid="true"' in page
    assert count_users(app) == before


def test_duplicate_email_in_another_case_is_refused(app, browser, factory):
    factory.participant(email="marisol.quispe@example.org")
    before = count_users(app)
    response = browser.post("/signup", {**GOOD, "email": "MARISOL.QUISPE@EXAMPLE.ORG"})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert count_users(app) == before


def test_empty_signup_form_lists_every_missing_field(app, browser):
    response = browser.post("/signup", {})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count("This field is required.") >= 4
    assert count_users(app) == 0


def test_signup_without_csrf_token_is_refused(app, client):
    response = client.post("/signup", data=GOOD)
    assert response.status_code == 400
    assert count_users(app) == 0


def test_password_containing_the_email_is_refused(app, browser):
    response = browser.post("/signup", {**GOOD, "password": "marisol.quispe2026", "confirm": "marisol.quispe2026"})
    assert response.status_code == 422
    assert "must not contain your name or e-mail" in response.get_data(as_text=True)
