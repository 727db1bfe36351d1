"""Friendly error pages, in the visitor's language, for every error a user can meet."""
from app import create_app
from tests.helpers import make_config


def test_404_and_405_pages(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    response = client.get("/no/such/page?lang=es")
    assert response.status_code == 404 and '<html lang="es">' in response.get_data(as_text=True)
    assert client.get("/logout").status_code == 405


def test_server_error_page_is_friendly_and_logged(database_url, caplog):
    app = create_app(make_config(database_url, TESTING=False, PROPAGATE_EXCEPTIONS=False))

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and "kaboom" not in page
    assert "kaboom" in caplog.text
