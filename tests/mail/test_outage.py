"""An SMTP outage loses nothing: failed messages wait longer and longer (exponential back-off over
more than a day), and once the server is back every message goes out exactly once.

The clock is time-machine's; the server is a real one (aiosmtpd) that answers 451 during the outage,
or no server at all (connection refused); messages go through `flask mail send`, the real path.
"""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.core.timeutil import as_utc
from app.extensions import db
from app.mail import services
from app.mail.models import OutboxMessage
from tests.helpers import SmtpServer

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def smtp(app, monkeypatch):
    server = SmtpServer().start()
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    yield server
    server.stop()


def queue(app, number: int) -> None:
    with app.app_context():
        services.queue_message(f"person{number}@example.net", f"Message {number}", "Body")
        db.session.commit()


def outbox(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(sa.select(
            OutboxMessage.id, OutboxMessage.sent_at, OutboxMessage.abandoned_at, OutboxMessage.attempts,
            OutboxMessage.next_attempt_at).order_by(OutboxMessage.id)).all()


class Outage:
    """Either the server answers 451 to every recipient, or nothing listens on the port at all."""

    def __init__(self, kind, app, smtp, monkeypatch):
        self.kind, self.app, self.smtp, self.monkeypatch = kind, app, smtp, monkeypatch

    def begin(self):
        if self.kind == "451":
            self.smtp.down()
        else:
            self.monkeypatch.setitem(self.app.config, "MAIL_PORT", SmtpServer.closed_port())

    def end(self):
        self.smtp.up()
        self.monkeypatch.setitem(self.app.config, "MAIL_PORT", self.smtp.port)


@pytest.mark.parametrize("kind", ["451", "connection refused"])
def test_an_hour_of_smtp_outage_loses_nothing_and_sends_each_message_once(app, runner, smtp, monkeypatch, kind):
    outage = Outage(kind, app, smtp, monkeypatch)
    with time_machine.travel(START, tick=False) as clock:
        for number in range(20):
            queue(app, number)
        outage.begin()
        # An hour of outage, `flask mail send` every minute; a new message every five minutes.
        for minute in range(60):
            if minute % 5 == 0:
                queue(app, 100 + minute)
            result = runner.invoke(args=["mail", "send"])
            assert result.exception is None, result.output
            clock.shift(timedelta(minutes=1))
        during = outbox(app)
        assert len(during) == 32 and smtp.messages == []
        assert all(sent is None and abandoned is None for _, sent, abandoned, _, _ in during)
        # Back-off: in an hour no message was tried more than 7 times (1, 2, 4, … minutes apart).
        assert max(attempts for *_, attempts, _ in during) <= 7

        outage.end()
        waited = 0
        while any(sent is None for _, sent, *_ in outbox(app)) and waited < 180:
            assert runner.invoke(args=["mail", "send"]).exception is None
            clock.shift(timedelta(minutes=1))
            waited += 1
        # Everything is out within the longest wait the back-off had reached (64 minutes).
        assert waited <= 65, waited
        for _ in range(10):  # and later runs send nothing again
            runner.invoke(args=["mail", "send"])
            clock.shift(timedelta(hours=1))

    after = outbox(app)
    assert all(sent is not None and abandoned is None for _, sent, abandoned, _, _ in after)
    assert sorted(smtp.message_ids()) == sorted(f"<outbox-{row[0]}@passage>" for row in after)
    assert len(set(smtp.message_ids())) == len(smtp.messages) == 32


def test_a_message_is_retried_for_more_than_a_day_then_abandoned(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", SmtpServer.closed_port())
    tried_at = []
    with time_machine.travel(START, tick=False) as clock:
        queue(app, 1)
        while True:
            assert runner.invoke(args=["mail", "send"]).exception is None
            tried_at.append(datetime.now(UTC))
            [(_, sent, abandoned, attempts, next_attempt_at)] = outbox(app)
            assert sent is None and attempts == len(tried_at)
            if abandoned is not None:
                break
            clock.move_to(as_utc(next_attempt_at))
            # Not due a second before its time: a run then leaves it alone.
            clock.shift(timedelta(seconds=-1))
            runner.invoke(args=["mail", "send"])
            assert outbox(app)[0][3] == attempts
            clock.shift(timedelta(seconds=1))

    gaps = [later - earlier for earlier, later in zip(tried_at, tried_at[1:])]
    assert len(tried_at) == app.config["MAIL_MAX_ATTEMPTS"]
    assert gaps == sorted(gaps) and gaps[1] == 2 * gaps[0]  # each wait at least as long as the one before
    assert tried_at[-1] - tried_at[0] >= timedelta(days=1)
