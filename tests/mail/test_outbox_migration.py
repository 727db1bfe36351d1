"""Migration 0008 on an outbox in use: waiting messages become due, those the old sender gave up on abandoned."""
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests import databases
from tests.helpers import make_config


@pytest.fixture
def empty_app(tmp_path):
    url = databases.create_database("outbox_migration", tmp_path)
    app = create_app(make_config(url))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    databases.drop_database(url)


def test_existing_messages_are_due_or_abandoned(empty_app):
    upgrade(revision="0006")
    with db.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO outbox_messages (id, recipient, subject, body, created_at, sent_at, attempts, last_error) VALUES "
            "(1, 'a@example.net', 'Sent', 'B', '2026-11-20 10:00:00', '2026-11-20 10:01:00', 1, NULL),"
            "(2, 'b@example.net', 'Waiting', 'B', '2026-11-20 11:00:00', NULL, 3, 'connect: refused'),"
            "(3, 'c@example.net', 'Given up', 'B', '2026-11-20 12:00:00', NULL, 10, 'connect: refused')"))
    upgrade(revision="0008")
    with db.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT id, next_attempt_at IS NOT NULL, abandoned_at IS NOT NULL, attempts, last_error "
            "FROM outbox_messages ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [
        (1, True, False, 1, None), (2, True, False, 3, "connect: refused"), (3, True, True, 10, "connect: refused")]
