"""Language choice: explicit choice, saved preference, Accept-Language, English."""
from app.auth.models import User
from app.extensions import db
from tests.helpers import Browser


def lang_of(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_accept_language_is_used_for_visitors(client):
    assert lang_of(client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})) == "es"
    assert lang_of(client.get("/", headers={"Accept-Language": "de-DE,de"})) == "en"


def test_pages_are_translated(client):
    page = client.get("/login?lang=fr").get_data(as_text=True)
    assert "Connexion" in page or "Se connecter" in page
    page = client.get("/login?lang=es").get_data(as_text=True)
    assert "Iniciar sesión" in page


def test_switcher_choice_sticks_for_a_visitor(browser):
    response = browser.post("/language", {"lang": "fr", "next": "/privacy"})
    assert response.headers["Location"] == "/privacy"
    assert lang_of(browser.client.get("/", headers={"Accept-Language": "es"})) == "fr"


def test_switcher_ignores_unknown_languages_and_foreign_next(browser):
    response = browser.post("/language", {"lang": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert lang_of(browser.client.get("/")) == "en"


def test_lang_parameter_shows_the_page_but_never_changes_the_stored_preference(app, browser, factory):
    user = factory.participant(preferred_language="en")
    browser.login(user.email)
    assert lang_of(browser.client.get("/dashboard?lang=es")) == "es"
    with app.app_context():
        assert db.session.get(User, user.id).preferred_language == "en"


def test_switcher_choice_is_saved_as_the_users_preference(app, browser, factory):
    user = factory.participant(preferred_language="en")
    browser.login(user.email)
    browser.post("/language", {"lang": "es", "next": "/dashboard"})
    with app.app_context():
        assert db.session.get(User, user.id).preferred_language == "es"
    # A new device, with a French browser, still gets the saved preference after login.
    other = app.test_client()
    Browser(other).login(user.email)
    assert lang_of(other.get("/dashboard", headers={"Accept-Language": "fr"})) == "es"


def test_saved_preference_beats_accept_language(browser, factory):
    user = factory.participant(preferred_language="fr")
    browser.login(user.email)
    assert lang_of(browser.client.get("/dashboard", headers={"Accept-Language": "es"})) == "fr"


def test_language_chosen_before_login_becomes_the_preference(app, browser, factory):
    user = factory.participant(preferred_language="fr")
    browser.client.get("/login?lang=es")
    browser.login(user.email)
    assert lang_of(browser.client.get("/dashboard")) == "es"
    with app.app_context():
        assert db.session.get(User, user.id).preferred_language == "es"
