"""`flask mail retry`: abandoned messages (one, or all) are due again with a fresh set of attempts."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.mail.models import OutboxMessage
from tests.helpers import SmtpServer

GAVE_UP = dict(attempts=16, abandoned_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC), last_error="connect: refused")
RETRYING = dict(attempts=3, next_attempt_at=datetime(2099, 1, 1, tzinfo=UTC), last_error="451 try later")


@pytest.fixture
def smtp(app, monkeypatch):
    server = SmtpServer().start()
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    yield server
    server.stop()


def store(app, recipient, **state) -> int:
    with app.app_context():
        message = OutboxMessage(recipient=recipient, subject="Hello", body="Body", **state)
        db.session.add(message)
        db.session.commit()
        return message.id


def delivered(smtp) -> list[str]:
    return sorted(message["To"] for message in smtp.messages)


def test_retry_one_message_by_its_number(app, runner, smtp):
    one = store(app, "one@example.net", **GAVE_UP)
    store(app, "two@example.net", **GAVE_UP)
    result = runner.invoke(args=["mail", "retry", "--id", str(one)])
    assert result.exit_code == 0 and "1 message(s) due again" in result.output
    assert "sent 1, failed 0, abandoned 0, pending 0" in runner.invoke(args=["mail", "send"]).output
    assert delivered(smtp) == ["one@example.net"]

    # Sent already, or no such message: said, and nothing is sent twice.
    result = runner.invoke(args=["mail", "retry", "--id", str(one), "--id", "999999"])
    assert result.exit_code == 1
    assert f"message {one}: This message has already been sent." in result.output
    assert "message 999999: There is no such message in the outbox." in result.output
    runner.invoke(args=["mail", "send"])
    assert delivered(smtp) == ["one@example.net"]


def test_retry_all_abandoned_or_all_failed(app, runner, smtp):
    store(app, "one@example.net", **GAVE_UP)
    store(app, "two@example.net", **GAVE_UP)
    store(app, "later@example.net", **RETRYING)
    assert "2 message(s) due again" in runner.invoke(args=["mail", "retry", "--all-abandoned"]).output
    runner.invoke(args=["mail", "send"])
    assert delivered(smtp) == ["one@example.net", "two@example.net"]
    # After an outage, --all-failed also brings forward those waiting for their next attempt.
    assert "1 message(s) due again" in runner.invoke(args=["mail", "retry", "--all-failed"]).output
    runner.invoke(args=["mail", "send"])
    assert delivered(smtp) == ["later@example.net", "one@example.net", "two@example.net"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))) == 0


@pytest.mark.parametrize("args", [[], ["--all-abandoned", "--all-failed"], ["--id", "1", "--all-abandoned"]])
def test_retry_wants_exactly_one_choice(runner, args):
    result = runner.invoke(args=["mail", "retry", *args])
    assert result.exit_code == 2 and "Give --id N" in result.output
