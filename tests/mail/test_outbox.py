"""The outbox: messages survive an SMTP failure and go out on the next run; none is sent twice."""
import socket

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.mail import services
from app.mail.models import OutboxMessage


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def queue(app, count=2):
    with app.app_context():
        for number in range(count):
            services.queue_message(f"person{number}@example.net", f"Subject {number}", "Body")
        db.session.commit()


def states(app):
    with app.app_context():
        return db.session.execute(sa.select(OutboxMessage.sent_at.is_not(None), OutboxMessage.attempts)
                                  .order_by(OutboxMessage.id)).all()


def test_messages_survive_smtp_failure_and_go_out_next_run(app, runner, smtp_server, monkeypatch):
    controller, inbox = smtp_server
    queue(app)
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there: the server is "down"
    result = runner.invoke(args=["mail", "send"])
    assert "sent 0, failed 2, pending 2" in result.output
    assert states(app) == [(False, 1), (False, 1)]

    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    result = runner.invoke(args=["mail", "send"])
    assert "sent 2, failed 0, pending 0" in result.output
    assert [m.rcpt_tos for m in inbox.messages] == [["person0@example.net"], ["person1@example.net"]]
    assert states(app) == [(True, 2), (True, 2)]

    # A third run sends nothing again.
    result = runner.invoke(args=["mail", "send"])
    assert "sent 0, failed 0, pending 0" in result.output
    assert len(inbox.messages) == 2


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
