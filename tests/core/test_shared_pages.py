"""Pages kept a few seconds for every visitor or participant: one render serves a burst, nobody gets another's page."""
import re
import time

import pytest

from tests.helpers import CSRF_RE, REGISTRATION_FORM, Browser

KEEP = 60.0  # seconds: longer than any of these tests


@pytest.fixture
def keeping(app, monkeypatch):
    monkeypatch.setitem(app.config, "SHARED_PAGE_SECONDS", KEEP)
    return app.extensions["shared_pages"]


def token_of(page: str) -> str:
    match = CSRF_RE.search(page)
    assert match, "no form token on the page"
    return match.group(1) or match.group(2)


def test_a_burst_of_visitors_costs_one_render_and_each_gets_a_token_of_their_own(app, keeping, factory, count_queries):
    workshop = factory.workshop(title="Fair recruitment in practice")
    first, second = app.test_client(), app.test_client()
    with count_queries() as counter:
        page = first.get("/").get_data(as_text=True)
    assert "Fair recruitment in practice" in page and counter.count > 0
    with count_queries() as counter:
        kept = second.get("/").get_data(as_text=True)
    assert counter.count == 0
    assert "Fair recruitment in practice" in kept and "10 seats left" in kept
    assert token_of(page) != token_of(kept)
    assert "\x1f" not in kept  # no placeholder left behind
    # Each token is its owner's: the language form it sits in is accepted, with it and only with it.
    assert second.post("/language", data={"lang": "fr", "next": "/", "csrf_token": token_of(kept)}).status_code == 302
    assert first.post("/language", data={"lang": "fr", "next": "/", "csrf_token": token_of(kept)}).status_code == 400
    assert second.get(f"/workshops/{workshop.slug}/").status_code == 200


def test_seats_and_new_workshops_show_once_the_page_is_due(app, keeping, factory, monkeypatch):
    factory.workshop(title="First workshop")
    visitor = app.test_client()
    assert "First workshop" in visitor.get("/").get_data(as_text=True)
    factory.workshop(title="Second workshop")
    assert "Second workshop" not in visitor.get("/").get_data(as_text=True)  # kept: at most a few seconds late
    monkeypatch.setitem(app.config, "SHARED_PAGE_SECONDS", 0.2)
    keeping.clear()
    visitor.get("/")
    factory.workshop(title="Third workshop")
    time.sleep(0.3)
    page = visitor.get("/").get_data(as_text=True)
    assert "Second workshop" in page and "Third workshop" in page


def test_visitors_participants_and_trainers_each_get_a_page_for_their_kind(app, keeping, factory, browser):
    visitor = app.test_client()
    assert "Create an account" in visitor.get("/").get_data(as_text=True)
    browser.login(factory.participant().email)
    own = browser.client.get("/").get_data(as_text=True)
    assert "Go to your dashboard" in own and "Create an account" not in own
    second = Browser(app.test_client())
    second.login(factory.participant().email)
    second = second.client
    shared = second.get("/").get_data(as_text=True)
    assert "Go to your dashboard" in shared and token_of(shared) != token_of(own)
    # The kept page's logout form carries this participant's own token: it logs them out.
    assert second.post("/logout", data={"csrf_token": token_of(shared)}).status_code == 302
    assert "Create an account" in visitor.get("/").get_data(as_text=True)
    trainer = Browser(app.test_client())
    trainer.login(factory.trainer().email)
    trainer = trainer.client
    kept = len(keeping)
    page = trainer.get("/").get_data(as_text=True)
    assert 'href="/trainer/"' in page and "Go to your dashboard" in page
    assert len(keeping) == kept  # a trainer's page is made for them, never kept


def test_a_workshop_page_is_each_participants_own(app, keeping, factory):
    workshop = factory.workshop(title="Skills and migration")
    path = f"/workshops/{workshop.slug}/"
    app.test_client().get(path)  # the visitors' page of this workshop is kept
    registered = Browser(app.test_client())
    registered.login(factory.participant().email)
    assert registered.post(f"/workshops/{workshop.slug}/register", REGISTRATION_FORM).status_code == 302
    for _ in range(2):  # the first view shows the flashed confirmation
        assert "Cancel my registration" in registered.client.get(path).get_data(as_text=True)
    other = Browser(app.test_client())
    other.login(factory.participant().email)
    page = other.client.get(path).get_data(as_text=True)
    assert "Cancel my registration" not in page and "Register</a>" in page


def test_participants_share_the_workshop_catalogue(app, keeping, factory, count_queries):
    factory.workshop(title="Social protection for migrant workers")
    readers = []
    for _ in range(2):
        reader = Browser(app.test_client())
        reader.login(factory.participant().email)
        readers.append(reader.client)
    assert "Social protection for migrant workers" in readers[0].get("/workshops/").get_data(as_text=True)
    with count_queries() as counter:
        page = readers[1].get("/workshops/").get_data(as_text=True)
    assert "Social protection for migrant workers" in page
    assert counter.count == 1  # who is signed in; the list itself was kept


def test_a_message_waiting_for_a_visitor_is_shown_to_them_alone(app, keeping, factory, browser):
    visitor = app.test_client()
    visitor.get("/")  # the home page is kept
    participant = factory.participant()
    browser.login(participant.email)
    browser.logout()
    assert "You are logged out." in browser.client.get("/").get_data(as_text=True)
    assert "You are logged out." not in visitor.get("/").get_data(as_text=True)
    assert "You are logged out." not in browser.client.get("/").get_data(as_text=True)  # shown once


def test_each_language_has_its_own_page(app, keeping):
    visitor = app.test_client()
    english = visitor.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    french = app.test_client().get("/?lang=fr").get_data(as_text=True)
    spanish = app.test_client().get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert re.search(r'<html lang="en"', english)
    assert re.search(r'<html lang="fr"', french)
    assert re.search(r'<html lang="es"', spanish)
    assert re.search(r'<html lang="en"', visitor.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True))


def test_a_content_sync_renews_the_page_at_once(app, keeping, factory):
    visitor = app.test_client()
    visitor.get("/")
    factory.course(key="new-course")  # bumps the content version, as `flask content sync` does
    assert "/courses/new-course/" in visitor.get("/").get_data(as_text=True)


def test_other_query_strings_and_missing_pages_are_never_kept(app, keeping, count_queries):
    visitor = app.test_client()
    for _ in range(2):
        with count_queries() as counter:
            assert visitor.get("/?utm_source=newsletter").status_code == 200
        assert counter.count > 0
        assert visitor.get("/workshops/no-such-workshop/").status_code == 404
    assert len(keeping) == 0


def test_only_so_many_pages_are_kept(app, keeping, factory, monkeypatch):
    monkeypatch.setattr(keeping, "size", 2)
    slugs = [factory.workshop().slug for _ in range(3)]
    visitor = app.test_client()
    for slug in slugs:
        assert visitor.get(f"/workshops/{slug}/").status_code == 200
    assert len(keeping) == 2
