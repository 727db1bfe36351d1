"""Admins see the messages that failed and send abandoned ones again (a POST with CSRF)."""
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.mail.models import OutboxMessage
from tests.helpers import CSRF_REFUSED, Browser, SmtpServer


@pytest.fixture
def smtp(app, monkeypatch):
    server = SmtpServer().start()
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    yield server
    server.stop()


def store(app, recipient, **state) -> int:
    with app.app_context():
        message = OutboxMessage(recipient=recipient, subject=f"For {recipient}", body="Body", **state)
        db.session.add(message)
        db.session.commit()
        return message.id


def row(app, message_id) -> tuple:
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        return message.sent_at is not None, message.abandoned_at is not None, message.attempts


GAVE_UP = dict(attempts=16, abandoned_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC), last_error="connect: refused")
RETRYING = dict(attempts=3, next_attempt_at=datetime(2099, 1, 1, tzinfo=UTC), last_error="451 try later")


@pytest.fixture
def admin(app, factory):
    browser = Browser(app.test_client())
    browser.login(factory.admin().email)
    return browser


def test_admins_see_abandoned_and_retrying_messages_and_a_get_changes_nothing(app, admin, factory):
    abandoned = store(app, "gone@example.net", **GAVE_UP)
    retrying = store(app, "later@example.net", **RETRYING)
    store(app, "fresh@example.net")
    store(app, "sent@example.net", sent_at=datetime(2026, 11, 20, tzinfo=UTC), attempts=1)
    assert 'href="/admin/outbox/"' in admin.client.get("/admin/").get_data(as_text=True)
    page = admin.client.get("/admin/outbox/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1 message waiting for its first attempt" in text
    assert "1 message waiting for another attempt after a failure" in text and "1 abandoned message" in text
    assert "gone@example.net" in text and "connect: refused" in text and "Abandoned on" in text
    assert "later@example.net" in text and "Next attempt on" in text and "451 try later" in text
    assert "fresh@example.net" not in text and "sent@example.net" not in text
    assert f'action="/admin/outbox/{abandoned}/send-again"' in text
    assert text.index("gone@example.net") < text.index("later@example.net")  # the abandoned first
    assert "Body" not in text.split("<main")[1]  # bodies (reset links) are not shown
    assert (row(app, abandoned), row(app, retrying)) == ((False, True, 16), (False, False, 3))

    participant = Browser(app.test_client())
    participant.login(factory.participant().email)
    assert participant.client.get("/admin/outbox/").status_code == 403
    assert participant.post(f"/admin/outbox/{abandoned}/send-again").status_code == 403
    assert row(app, abandoned) == (False, True, 16)


def test_send_again_needs_the_csrf_token_then_the_message_goes_out(app, admin, runner, smtp):
    abandoned = store(app, "gone@example.net", **GAVE_UP)
    refused = admin.client.post(f"/admin/outbox/{abandoned}/send-again")
    assert refused.status_code == 400 and CSRF_REFUSED in refused.get_data(as_text=True)
    assert row(app, abandoned) == (False, True, 16)
    assert "sent 0" in runner.invoke(args=["mail", "send"]).output

    response = admin.post(f"/admin/outbox/{abandoned}/send-again", follow_redirects=True)
    assert f"Message {abandoned} is back in the queue" in response.get_data(as_text=True)
    assert row(app, abandoned) == (False, False, 0)
    assert "sent 1" in runner.invoke(args=["mail", "send"]).output
    assert [message["To"] for message in smtp.messages] == ["gone@example.net"]
    assert row(app, abandoned) == (True, False, 1)

    # Once sent, "send again" (a stale page, a double click) sends nothing twice.
    response = admin.post(f"/admin/outbox/{abandoned}/send-again", follow_redirects=True)
    assert "This message has already been sent." in response.get_data(as_text=True)
    response = admin.post("/admin/outbox/999999/send-again", follow_redirects=True)
    assert response.status_code == 200 and "There is no such message in the outbox." in response.get_data(as_text=True)
    runner.invoke(args=["mail", "send"])
    assert len(smtp.messages) == 1


def test_send_every_abandoned_message_again(app, admin, runner, smtp):
    first = store(app, "one@example.net", **GAVE_UP)
    second = store(app, "two@example.net", **GAVE_UP)
    retrying = store(app, "later@example.net", **RETRYING)
    text = admin.client.get("/admin/outbox/").get_data(as_text=True)
    assert 'action="/admin/outbox/send-again"' in text
    response = admin.post("/admin/outbox/send-again", follow_redirects=True)
    assert "2 abandoned messages are back in the queue" in response.get_data(as_text=True)
    runner.invoke(args=["mail", "send"])
    assert sorted(message["To"] for message in smtp.messages) == ["one@example.net", "two@example.net"]
    assert (row(app, first)[0], row(app, second)[0], row(app, retrying)) == (True, True, (False, False, 3))
    response = admin.post("/admin/outbox/send-again", follow_redirects=True)
    assert "No message is abandoned." in response.get_data(as_text=True)
    assert 'action="/admin/outbox/send-again"' not in admin.client.get("/admin/outbox/").get_data(as_text=True)
