"""Forgotten password: an opaque, single-use link by e-mail, valid one hour."""
import re

import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import mailed_link

NEW = {"password": "a fresh passphrase 42", "confirm": "a fresh passphrase 42"}


def reset_link(app, email: str) -> str:
    return mailed_link(app, email, "/password/reset/")


def outbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def test_reset_by_email_link(app, browser, factory):
    user = factory.participant()
    response = browser.post("/password/forgot", {"email": user.email.upper()})
    assert response.status_code == 302
    link = reset_link(app, user.email)
    assert browser.client.get(link).status_code == 200
    assert browser.post(link, NEW).status_code == 302
    assert browser.login(user.email, DEFAULT_PASSWORD).status_code == 401
    assert browser.login(user.email, NEW["password"]).status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_mail(app, browser):
    response = browser.post("/password/forgot", {"email": "nobody@example.net"}, follow_redirects=True)
    assert "If an account uses this address" in response.get_data(as_text=True)
    assert outbox_count(app) == 0


def test_reset_link_works_only_once(app, browser, factory):
    user = factory.participant()
    browser.post("/password/forgot", {"email": user.email})
    link = reset_link(app, user.email)
    assert browser.post(link, NEW).status_code == 302
    response = browser.post(link, {"password": "yet another passphrase", "confirm": "yet another passphrase"},
                            follow_redirects=True)
    assert "has expired or has already been used" in response.get_data(as_text=True)
    assert browser.login(user.email, "yet another passphrase").status_code == 401


def test_reset_link_expires_after_an_hour(app, browser, factory):
    user = factory.participant()
    with time_machine.travel("2026-11-23 10:00:00+00:00", tick=False):
        browser.post("/password/forgot", {"email": user.email})
    link = reset_link(app, user.email)
    with time_machine.travel("2026-11-23 11:01:00+00:00", tick=False):
        response = browser.post(link, NEW, follow_redirects=True)
    assert "has expired or has already been used" in response.get_data(as_text=True)
    assert browser.login(user.email, DEFAULT_PASSWORD).status_code == 302


def test_tampered_reset_link_is_refused(app, browser, factory):
    user = factory.participant()
    browser.post("/password/forgot", {"email": user.email})
    link = reset_link(app, user.email)
    for bad in (link[:-3] + "abc", "/password/reset/garbage", "/password/reset/" + "x" * 5000):
        response = browser.client.get(bad, follow_redirects=True)
        assert response.status_code == 200
        assert "has expired or has already been used" in response.get_data(as_text=True)


def test_weak_new_password_is_refused(app, browser, factory):
    user = factory.participant()
    browser.post("/password/forgot", {"email": user.email})
    link = reset_link(app, user.email)
    response = browser.post(link, {"password": "qwertyuiop", "confirm": "qwertyuiop"})
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)
    assert browser.login(user.email, DEFAULT_PASSWORD).status_code == 302


def test_reset_mail_is_written_in_the_users_language(app, browser, factory):
    user = factory.participant(preferred_language="fr")
    browser.post("/password/forgot", {"email": user.email})
    with app.app_context():
        message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == user.email))
        assert message.subject.startswith("Réinitialiser") or "mot de passe" in message.subject


def test_the_link_is_opaque_and_only_its_digest_is_stored(app, browser, factory):
    user = factory.participant()
    browser.post("/password/forgot", {"email": user.email})
    token = reset_link(app, user.email).rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    with app.app_context():
        stored = db.session.execute(sa.text("SELECT token_hash FROM password_tokens")).scalars().all()
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64


def test_a_new_password_spends_every_earlier_link(app, browser, factory):
    user = factory.participant()
    browser.post("/password/forgot", {"email": user.email})
    first = reset_link(app, user.email)
    browser.post("/password/forgot", {"email": user.email})
    second = reset_link(app, user.email)
    assert first != second
    assert browser.post(second, NEW).status_code == 302
    response = browser.client.get(first, follow_redirects=True)
    assert "has already been used" in response.get_data(as_text=True)


def test_changing_the_password_on_the_account_page_spends_reset_links(app, browser, factory):
    user = factory.participant()
    browser.post("/password/forgot", {"email": user.email})
    link = reset_link(app, user.email)
    browser.login(user.email)
    response = browser.post("/account", {"password-submit": "1", "password-current_password": DEFAULT_PASSWORD,
                                         "password-password": NEW["password"], "password-confirm": NEW["confirm"]})
    assert response.status_code == 302
    browser.logout()
    assert "has already been used" in browser.client.get(link, follow_redirects=True).get_data(as_text=True)


def test_a_deactivated_account_cannot_use_its_link(app, browser, factory):
    user = factory.participant()
    browser.post("/password/forgot", {"email": user.email})
    link = reset_link(app, user.email)
    with app.app_context():
        db.session.execute(sa.text("UPDATE users SET active = false WHERE id = :id"), {"id": user.id})
        db.session.commit()
    assert browser.post(link, NEW, follow_redirects=True).status_code == 200
    assert browser.login(user.email, NEW["password"]).status_code == 401
