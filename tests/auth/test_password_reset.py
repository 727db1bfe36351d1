"""Forgotten password: a signed, single-use link by e-mail, valid one hour."""
import re

import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import DEFAULT_PASSWORD

NEW = {"password": "a fresh passphrase 42", "confirm": "a fresh passphrase 42"}


def reset_link(app, email: str) -> str:
    with app.app_context():
        body = db.session.scalar(
            sa.select(OutboxMessage.body).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())
        )
    assert body, "no reset e-mail in the outbox"
    return re.search(r"http://localhost(/password/reset/\S+)", body).group(1)


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
    assert "invalid or has expired" in response.get_data(as_text=True)
    assert browser.login(user.email, "yet another passphrase").status_code == 401


def test_reset_link_expires_after_an_hour(app, browser, factory):
    user = factory.participant()
    with time_machine.travel("2026-11-23 10:00:00+00:00", tick=False):
        browser.post("/password/forgot", {"email": user.email})
    link = reset_link(app, user.email)
    with time_machine.travel("2026-11-23 11:01:00+00:00", tick=False):
        response = browser.post(link, NEW, follow_redirects=True)
    assert "invalid or has expired" in response.get_data(as_text=True)
    assert browser.login(user.email, DEFAULT_PASSWORD).status_code == 302


def test_tampered_reset_link_is_refused(app, browser, factory):
    user = factory.participant()
    browser.post("/password/forgot", {"email": user.email})
    link = reset_link(app, user.email)
    for bad in (link[:-3] + "abc", "/password/reset/garbage", "/password/reset/" + "x" * 5000):
        response = browser.client.get(bad, follow_redirects=True)
        assert response.status_code == 200
        assert "invalid or has expired" in response.get_data(as_text=True)


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
