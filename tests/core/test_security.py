"""Security bars: headers, cookies, CSRF, NUL bytes (who may open which URL: tests/test_permissions.py)."""
import pytest

from app import create_app
from config import ProductionConfig

PUBLIC = ["/", "/login", "/signup", "/privacy", "/password/forgot"]


@pytest.mark.parametrize("path", PUBLIC + ["/no-such-page"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_httponly_and_lax(browser, factory):
    user = factory.participant()
    response = browser.login(user.email)
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_a_default_or_missing_secret_key(monkeypatch):
    for key in (None, "dev-only-change-me", "short"):
        config = type("Prod", (ProductionConfig,), {"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(config)


def test_production_sets_secure_cookies():
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "k" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(
    ("path", "data"),
    [("/login", {"email": "a@example.net", "password": "x"}), ("/logout", {}), ("/language", {"lang": "fr"}),
     ("/password/forgot", {"email": "a@example.net"}), ("/account", {"profile-name": "X", "profile-submit": "1"}),
     ("/account/delete", {"password": "x", "confirm": "y"})],
)
def test_post_without_csrf_token_is_refused(browser, factory, path, data):
    user = factory.participant()
    browser.login(user.email)
    response = browser.client.post(path, data=data)
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
    assert browser.client.get("/account").status_code == 200  # still logged in: nothing happened


def test_nul_bytes_are_refused_before_reaching_the_database(browser):
    assert browser.client.get("/workshops/?q=a%00b").status_code == 400
    assert browser.client.get("/workshops/a%00b/").status_code == 400
    response = browser.post("/login", {"email": "a\x00@example.net", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["q=\xff\xfe", "lang=\xe9", "q=%ff", "page=\xff"])
def test_raw_bytes_in_the_query_string_are_read_as_a_browser_would_send_them(client, query):
    """Browsers percent-encode; `flask run` passes a hand-made request's raw bytes on. It was a 500."""
    for path in ("/workshops/", "/privacy", "/login", "/no-such-page"):
        response = client.get(path, environ_overrides={"QUERY_STRING": query})
        assert response.status_code == (404 if path == "/no-such-page" else 200), path


def test_a_raw_utf8_search_finds_what_the_encoded_one_finds(browser, factory):
    factory.participant(name="Zoé Ndiaye")
    factory.participant(name="Zoe Other")
    browser.login(factory.admin().email)
    raw = browser.client.get("/admin/", environ_overrides={"QUERY_STRING": "q=Zo\xc3\xa9"}).get_data(as_text=True)
    encoded = browser.client.get("/admin/?q=Zo%C3%A9").get_data(as_text=True)
    for page in (raw, encoded):
        assert "Zoé Ndiaye" in page and "Zoe Other" not in page


def test_production_refuses_requests_for_another_host():
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "k" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                                                "PUBLIC_URL": "https://passage.example.org",
                                                "TRUSTED_HOSTS": ["passage.example.org"]})
    client = create_app(config).test_client()
    assert client.get("/privacy", base_url="https://passage.example.org").status_code == 200
    assert client.get("/privacy", base_url="https://evil.example").status_code == 400
    assert client.get("/privacy", base_url="https://passage.example.org", headers={"Host": "evil.example"}).status_code == 400


def test_production_sends_hsts():
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "k" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                                                "TRUSTED_HOSTS": None})
    response = create_app(config).test_client().get("/privacy", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_of_a_logged_in_person_are_not_cached(browser, factory):
    assert "no-store" not in browser.client.get("/privacy").headers.get("Cache-Control", "")
    browser.login(factory.participant().email)
    assert browser.client.get("/dashboard").headers["Cache-Control"] == "no-store"
    assert browser.client.get("/privacy").headers["Cache-Control"] == "no-store"
