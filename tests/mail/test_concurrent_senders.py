"""Several senders at once, after an outage and a requeue, send each message exactly once.

Each sender runs what `flask mail send` runs (`app.mail.cli._deliver_due`) in a thread of its own,
with its own database connection, on PostgreSQL (rows claimed with FOR UPDATE SKIP LOCKED), to a
real SMTP server. (Processes would be closer still, but each costs seconds to start on a busy machine.)
"""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.mail.cli import _deliver_due
from app.mail.models import OutboxMessage
from tests import databases
from tests.helpers import SmtpServer, make_config

pytestmark = pytest.mark.postgresql

MESSAGES, SENDERS = 400, 4


@pytest.fixture
def outbox_database(tmp_path):
    if not databases.on_postgresql():
        pytest.skip("concurrent senders run against PostgreSQL (TEST_DATABASE_URL)")
    url = databases.create_database("senders", tmp_path)
    app = create_app(make_config(url))
    with app.app_context():
        upgrade()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


def senders(app) -> list:
    """SENDERS deliveries started together; what each did."""
    barrier = threading.Barrier(SENDERS)

    def deliver(_):
        with app.app_context():
            barrier.wait()
            try:
                return _deliver_due()
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        return list(pool.map(deliver, range(SENDERS)))


def test_after_an_outage_concurrent_senders_send_each_message_once(outbox_database, monkeypatch):
    app = outbox_database
    with app.app_context():
        db.session.execute(sa.insert(OutboxMessage), [
            {"recipient": f"person{number}@example.net", "subject": f"Message {number}", "body": "Body"}
            for number in range(MESSAGES)])
        db.session.commit()
    smtp = SmtpServer().start()
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
    try:
        smtp.down()
        failed = senders(app)
        assert sum(delivery.failed for delivery in failed) == MESSAGES
        assert sum(delivery.sent for delivery in failed) == 0
        smtp.up()
        # All of them wait for their next attempt now; an admin requeues them once the server is back.
        assert "400 message(s) due again" in app.test_cli_runner().invoke(args=["mail", "retry", "--all-failed"]).output
        results = senders(app)
    finally:
        smtp.stop()
    assert sum(delivery.sent for delivery in results) == MESSAGES
    assert all(delivery.sent > 0 for delivery in results)  # they did share the work
    ids = smtp.message_ids()
    assert len(ids) == len(set(ids)) == MESSAGES
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))) == 0
