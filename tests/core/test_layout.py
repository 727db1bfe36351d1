"""The base layout: one small stylesheet of our own, landmarks, skip link, nothing from other sites."""
import re

import pytest

from tests.helpers import Browser, csrf_token


def test_stylesheet_is_small(client):
    css = client.get("/static/css/passage.css")
    assert css.status_code == 200 and len(css.data) < 15_000


@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/privacy", "/workshops/"])
def test_layout_landmarks_and_no_third_party_requests(client, path):
    page = client.get(path).get_data(as_text=True)
    for landmark in ('<header', '<nav aria-label=', '<main id="main"', '<footer'):
        assert landmark in page
    assert '<a class="skip-link" href="#main">' in page
    assert re.search(r'<html lang="(en|fr|es)">', page)
    # Every script, stylesheet, image or font comes from this site.
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page.replace('href="http://localhost', ''))
    assert "<script" not in page  # works with JavaScript off: there is none


def _nav(page: str) -> str:
    return page[page.index('<header'):page.index('</header>')]


def test_the_kept_header_shows_each_visitor_only_their_own_links(app, factory):
    """The header is rendered once per kind of visitor and kept: one visitor's links never reach another."""
    people = {"admin": factory.admin(), "trainer": factory.trainer(), "participant": factory.participant()}
    seen = {}
    for round_ in range(2):  # the second round is served from what the first one kept
        for kind, person in people.items():
            browser = Browser(app.test_client())
            browser.login(person.email)
            seen[kind, round_] = _nav(browser.client.get("/privacy").get_data(as_text=True))
        seen["visitor", round_] = _nav(app.test_client().get("/privacy").get_data(as_text=True))
    for round_ in range(2):
        assert "Administration" in seen["admin", round_] and "Training" in seen["admin", round_]
        assert "Administration" not in seen["trainer", round_] and "Training" in seen["trainer", round_]
        assert "Administration" not in seen["participant", round_] and "Training" not in seen["participant", round_]
        assert "Log out" in seen["participant", round_] and "Log out" not in seen["visitor", round_]
        assert "Log in" in seen["visitor", round_]


def test_the_kept_header_follows_the_language(client):
    english = _nav(client.get("/privacy").get_data(as_text=True))
    french = _nav(client.get("/privacy?lang=fr").get_data(as_text=True))
    assert "Workshops" in english and '<option value="en" lang="en" selected>' in english
    assert "Ateliers" in french and '<option value="fr" lang="fr" selected>' in french


def test_the_header_forms_carry_this_visitors_token_and_page(app):
    first, second = app.test_client(), app.test_client()
    tokens = [csrf_token(client, "/workshops/") for client in (first, second)]
    assert tokens[0] != tokens[1]  # each visitor's own, not the one kept with the header
    page = first.get('/workshops/?q="><b>x</b>').get_data(as_text=True)
    assert 'name="next" value="/workshops/?q=&#34;&gt;&lt;b&gt;x&lt;/b&gt;"' in page  # escaped, as before
    assert "<b>x</b>" not in _nav(page)
    # Both header forms work with the token they carry: the language form comes back to the page.
    response = first.post("/language", data={"lang": "es", "next": "/workshops/?page=1", "csrf_token": tokens[0]})
    assert response.status_code == 302 and response.headers["Location"] == "/workshops/?page=1"


def test_the_language_form_returns_to_the_page_without_its_lang_parameter(client):
    """Arriving by a `?lang=fr` link and choosing Spanish shows the page in Spanish, not French again."""
    page = client.get("/workshops/?lang=fr&page=2").get_data(as_text=True)
    assert 'name="next" value="/workshops/?page=2"' in page
    assert 'name="next" value="/privacy"' in client.get("/privacy?lang=fr").get_data(as_text=True)
    response = client.post("/language", data={"lang": "es", "next": "/privacy", "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/privacy"
    assert '<html lang="es">' in client.get("/privacy").get_data(as_text=True)
