"""One bad message never stops the others: a line break in a subject, an address that cannot be
written in a header, a recipient the server refuses for good. Each is recorded and the rest go out."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.mail import services
from app.mail.models import OutboxMessage
from tests.helpers import REGISTRATION_FORM, Browser, SmtpServer


@pytest.fixture
def smtp(app, monkeypatch):
    server = SmtpServer().start()
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    yield server
    server.stop()


def queue(app, recipient, subject="Hello", body="Body") -> int:
    with app.app_context():
        message = services.queue_message(recipient, subject, body)
        db.session.commit()
        return message.id


def store_raw(app, recipient, subject) -> int:
    """A row as an older version wrote it, before subjects were made one line."""
    with app.app_context():
        message = OutboxMessage(recipient=recipient, subject=subject, body="Body")
        db.session.add(message)
        db.session.commit()
        return message.id


def rows(app) -> dict[int, OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(sa.select(OutboxMessage)).all()
        for row in found:
            db.session.expunge(row)
        return {row.id: row for row in found}


def test_a_line_break_in_a_workshop_title_stops_nothing(app, runner, factory, smtp):
    before = queue(app, "before@example.net")
    workshop = factory.workshop(title="Labour migration\r\nBcc: everyone@example.org")
    person = factory.participant()
    browser = Browser(app.test_client())
    browser.login(person.email)
    assert browser.post(f"/workshops/{workshop.slug}/register",
                        {**REGISTRATION_FORM, "working_language": "en"}).status_code == 302
    old_row = store_raw(app, "old@example.net", "Queued by an older version\nBcc: x@example.org")
    after = queue(app, "after@example.net")

    result = runner.invoke(args=["mail", "send"])
    assert result.exception is None, result.output
    assert "sent 4, failed 0" in result.output
    subjects = {message["To"]: message["Subject"] for message in smtp.messages}
    assert subjects[person.email] == "Your seat is confirmed: Labour migration Bcc: everyone@example.org"
    assert subjects["old@example.net"] == "Queued by an older version Bcc: x@example.org"
    assert all(message["Bcc"] is None for message in smtp.messages)
    assert all(row.sent_at is not None for row in rows(app).values()), (before, old_row, after)


def test_subjects_are_stored_on_one_line(app):
    message_id = queue(app, "someone@example.net", "One\r\ntwo\nthree\u2028four\tfive")
    assert rows(app)[message_id].subject == "One two three four five"


def test_a_message_that_can_never_be_sent_is_abandoned_with_its_error(app, runner, smtp):
    unwritable = store_raw(app, "broken@example.net\nBcc: x@example.org", "Hello")
    smtp.refuse("gone@example.net")
    refused = queue(app, "gone@example.net")
    good = queue(app, "good@example.net")

    result = runner.invoke(args=["mail", "send"])
    assert result.exception is None, result.output
    assert "sent 1" in result.output and "abandoned 2" in result.output
    assert [message["To"] for message in smtp.messages] == ["good@example.net"]
    found = rows(app)
    assert found[good].sent_at is not None
    for message_id in (unwritable, refused):
        assert found[message_id].sent_at is None and found[message_id].abandoned_at is not None
        assert found[message_id].attempts == 1
    assert "linefeed" in found[unwritable].last_error
    assert "550" in found[refused].last_error

    # Later runs leave them alone: abandoned, not retried forever.
    result = runner.invoke(args=["mail", "send"])
    assert "sent 0" in result.output
    assert {message_id: rows(app)[message_id].attempts for message_id in (unwritable, refused)} == {
        unwritable: 1, refused: 1}


class StopWatching(Exception):
    pass


def test_watch_keeps_going_past_a_bad_message(app, runner, smtp, monkeypatch):
    store_raw(app, "broken@example.net\r\nBcc: x@example.org", "Hello")
    good = queue(app, "good@example.net", "Line\none")
    naps = []

    def nap(seconds):
        naps.append(seconds)
        if len(naps) == 2:
            raise StopWatching  # after the watcher's second poll

    monkeypatch.setattr("app.mail.cli.time.sleep", nap)
    result = runner.invoke(args=["mail", "send", "--watch", "--interval", "1"])
    assert isinstance(result.exception, StopWatching), result.output
    assert len(naps) == 2
    assert [message["To"] for message in smtp.messages] == ["good@example.net"]
    assert rows(app)[good].sent_at is not None


def test_watch_outlives_a_passing_fault_of_the_database(app, runner, smtp, monkeypatch, caplog):
    good = queue(app, "good@example.net")
    real_send_due = services.send_due
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.OperationalError("SELECT …", {}, Exception("the server closed the connection"))
        return real_send_due(*args, **kwargs)

    def nap(seconds):
        if len(calls) >= 2:
            raise StopWatching

    monkeypatch.setattr(services, "send_due", flaky)
    monkeypatch.setattr("app.mail.cli.time.sleep", nap)
    result = runner.invoke(args=["mail", "send", "--watch"])
    assert isinstance(result.exception, StopWatching), result.output
    assert "The outbox could not be delivered" in caplog.text
    assert rows(app)[good].sent_at is not None and len(smtp.messages) == 1


def test_watch_stops_on_a_fault_that_is_a_bug_and_says_so(app, runner, smtp, monkeypatch):
    """Only the database or the network going away is waited out; a bug is not retried every 5 s for ever."""
    queue(app, "good@example.net")

    def broken(*args, **kwargs):
        raise TypeError("send_due() got an unexpected keyword argument")

    monkeypatch.setattr(services, "send_due", broken)
    monkeypatch.setattr("app.mail.cli.time.sleep", lambda seconds: pytest.fail("the watcher slept after a bug"))
    result = runner.invoke(args=["mail", "send", "--watch"])
    assert isinstance(result.exception, TypeError), result.output


def test_a_dropped_connection_leaves_the_rest_of_the_batch_due(app, runner, smtp):
    first = queue(app, "first@example.net")
    dropped = queue(app, "dropped@example.net")
    untried = queue(app, "untried@example.net")
    smtp.hang_up("dropped@example.net")
    result = runner.invoke(args=["mail", "send"])
    assert result.exception is None, result.output
    assert "sent 1, failed 1, abandoned 0, pending 2" in result.output
    found = rows(app)
    assert found[first].sent_at is not None
    assert (found[dropped].attempts, found[dropped].abandoned_at) == (1, None) and found[dropped].last_error
    assert (found[untried].attempts, found[untried].last_error) == (0, None)
    assert "sent 1, failed 0, abandoned 0, pending 1" in runner.invoke(args=["mail", "send"]).output
    assert [message["To"] for message in smtp.messages] == ["first@example.net", "untried@example.net"]
