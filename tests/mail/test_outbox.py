"""The outbox: messages survive an SMTP failure and go out on a later run; none is sent twice."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.mail import services
from app.mail.models import OutboxMessage
from tests.helpers import SmtpServer


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    yield server
    server.stop()


def queue(app, count=2):
    with app.app_context():
        for number in range(count):
            services.queue_message(f"person{number}@example.net", f"Subject {number}", "Body")
        db.session.commit()


def states(app):
    with app.app_context():
        return db.session.execute(sa.select(OutboxMessage.sent_at.is_not(None), OutboxMessage.attempts)
                                  .order_by(OutboxMessage.id)).all()


def test_messages_survive_smtp_failure_and_go_out_next_run(app, runner, smtp, monkeypatch):
    with time_machine.travel("2026-11-23 10:00:00+00:00", tick=False) as clock:
        queue(app)
        monkeypatch.setitem(app.config, "MAIL_PORT", SmtpServer.closed_port())  # the server is "down"
        result = runner.invoke(args=["mail", "send"])
        assert "sent 0, failed 2, abandoned 0, pending 2" in result.output
        assert states(app) == [(False, 1), (False, 1)]

        monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
        result = runner.invoke(args=["mail", "send"])
        assert "sent 0, failed 0, abandoned 0, pending 2" in result.output  # not due before a minute has passed
        clock.shift(timedelta(minutes=1))
        result = runner.invoke(args=["mail", "send"])
        assert "sent 2, failed 0, abandoned 0, pending 0" in result.output
        assert [m["To"] for m in smtp.messages] == ["person0@example.net", "person1@example.net"]
        assert states(app) == [(True, 2), (True, 2)]

        # A third run sends nothing again.
        clock.shift(timedelta(days=1))
        result = runner.invoke(args=["mail", "send"])
        assert "sent 0, failed 0, abandoned 0, pending 0" in result.output
        assert len(smtp.messages) == 2


def test_a_rolled_back_change_leaves_no_message(app):
    with app.app_context():
        services.queue_message("someone@example.net", "Never", "Body")
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_log_backend_writes_committed_messages_to_the_log(app, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "log")
    with app.app_context():
        services.queue_message("dev@example.net", "Hello dev", "Body text")
        db.session.commit()
        services.queue_message("ghost@example.net", "Rolled back", "Body")
        db.session.rollback()
    assert "E-mail to dev@example.net: Hello dev" in caplog.text
    assert "ghost@example.net" not in caplog.text
