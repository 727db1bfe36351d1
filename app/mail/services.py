"""Queue messages in the caller's transaction; deliver due ones over SMTP (or to the log); requeue."""
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.session import Session

from app.core.errors import DomainError
from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.models import OutboxMessage

log = logging.getLogger("passage.mail")


def one_line(text) -> str:
    """A header value on one line: each run of white space, line breaks included, becomes one space.

    A workshop title (or any other value put into a subject) with a CR or LF in it would
    otherwise make the message impossible to write, or add headers of its own.
    """
    return " ".join(str(text).split())


def queue_message(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox; it is only real once the caller's transaction commits."""
    message = OutboxMessage(recipient=recipient, subject=one_line(subject)[:255], body=body)
    db.session.add(message)
    if current_app.config["MAIL_BACKEND"] == "log":
        # Development: "delivered" to the log when the transaction commits (see register_log_delivery).
        message.sent_at = utcnow()
        db.session.info.setdefault("mail_to_log", []).append(message)
    return message


def queue_template(user, template: str, subject, **context) -> OutboxMessage:
    """Render a message in the recipient's language and queue it.

    Links are built from PUBLIC_URL in a request context of their own, never from the current
    request's Host header, which a client can forge to send people to another site.
    """
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]), \
            force_locale(user.preferred_language or "en"):
        body = render_template(f"mail/{template}.txt", user=user, **context)
        return queue_message(user.email, str(subject), body)


def discard_mail_to(recipient: str) -> int:
    """Delete every outbox message to this address, queued, abandoned or sent: used when the account
    is deleted (the messages hold the old address and name). Returns how many went."""
    # Development's "log" backend would still print those queued in this transaction.
    waiting = db.session.info.get("mail_to_log")
    if waiting:
        db.session.info["mail_to_log"] = [message for message in waiting if message.recipient != recipient]
    result = db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.recipient == recipient))
    return result.rowcount


def _log_committed(session) -> None:
    for message in session.info.pop("mail_to_log", []):
        log.warning("E-mail to %s: %s\n%s", message.recipient, message.subject, message.body)


def _forget_rolled_back(session, previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop("mail_to_log", None)


def register_log_delivery() -> None:
    """Hook the development "log" backend to commits (once per process, whatever the app count)."""
    if not sa.event.contains(Session, "after_commit", _log_committed):
        sa.event.listen(Session, "after_commit", _log_committed)
        sa.event.listen(Session, "after_soft_rollback", _forget_rolled_back)


def _smtp_connection():
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    connection = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    try:
        if config["MAIL_USE_TLS"]:
            connection.starttls()
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except BaseException:
        connection.close()
        raise
    return connection


def _as_email(message: OutboxMessage) -> EmailMessage:
    """The message as sent. Raises ValueError for a value no header can hold (a line break in the address)."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = one_line(message.subject)  # rows queued before subjects were made one line
    email["Message-ID"] = f"<outbox-{message.id}@passage>"
    email.set_content(message.body)
    return email


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {code} {_text(reply)}" for address, (code, reply) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _is_permanent(error: BaseException) -> bool:
    """A failure of this message that no later attempt can mend.

    The server's 5xx answer to its recipient or its content, an address it cannot take
    (SMTPUTF8 unsupported), or a message that cannot even be written (a line break in a
    header). Anything about the connection or the server as a whole (refused, timed out,
    4xx, a refused sender or login, which are the configuration's) is tried again later.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return True
    return not isinstance(error, (OSError, smtplib.SMTPException))


def _connection_lost(connection, error: BaseException) -> bool:
    """The server hung up, or the socket failed (a timeout half-way through a message)."""
    if isinstance(error, smtplib.SMTPServerDisconnected) or connection.sock is None:
        return True
    # smtplib's errors are OSErrors too; only the socket's own mean the connection is gone.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def retry_delay(attempts: int) -> timedelta:
    """How long a message waits after its `attempts`-th failure: doubling from the first delay, capped."""
    config = current_app.config
    first, longest = config["MAIL_RETRY_FIRST_DELAY"], config["MAIL_RETRY_MAX_DELAY"]
    return timedelta(seconds=min(first * 2 ** min(max(attempts - 1, 0), 40), longest))


def retry_span() -> timedelta:
    """From a message's first attempt to its last, when every one fails (about 44 hours by default)."""
    return sum((retry_delay(attempt) for attempt in range(1, current_app.config["MAIL_MAX_ATTEMPTS"])), timedelta())


@dataclass
class Delivery:
    """What one batch did: messages claimed, sent, failed (to be tried again later) and abandoned."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    abandoned: int = 0
    # The server could not be reached, or dropped the connection: the rest of the batch waits.
    interrupted: bool = False

    def __iadd__(self, other: "Delivery") -> "Delivery":
        self.claimed += other.claimed
        self.sent += other.sent
        self.failed += other.failed
        self.abandoned += other.abandoned
        self.interrupted = self.interrupted or other.interrupted
        return self


def _record_failure(message: OutboxMessage, error: BaseException, now: datetime, delivery: Delivery,
                    *, stage: str = "send") -> None:
    message.last_error = f"{stage}: {_describe(error)}"[:1000]
    if _is_permanent(error) or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.abandoned_at = now
        delivery.abandoned += 1
        log.error("Outbox message %s abandoned after %d attempt(s): %s", message.id, message.attempts,
                  message.last_error)
    else:
        message.next_attempt_at = now + retry_delay(message.attempts)
        delivery.failed += 1


def due_messages():
    """Pending messages whose next attempt has come, oldest first."""
    return (sa.select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.abandoned_at.is_(None),
                   OutboxMessage.next_attempt_at <= utcnow())
            .order_by(OutboxMessage.id))


def send_due(batch_size: int = 50) -> Delivery:
    """Send one batch of due messages over one SMTP connection.

    Rows are claimed with FOR UPDATE SKIP LOCKED, so several senders never send one message
    twice. Each message's failure is caught and recorded on its row alone: one message that
    cannot be sent never stops the others. The caller commits after each batch (`flask mail send`).
    """
    pending = db.session.scalars(due_messages().limit(batch_size).with_for_update(skip_locked=True)).all()
    delivery = Delivery(claimed=len(pending))
    if not pending:
        return delivery
    now = utcnow()
    try:
        connection = _smtp_connection()
    except Exception as error:  # whatever it is, the server is unusable for now
        for message in pending:
            message.attempts += 1
            _record_failure(message, error, now, delivery, stage="connect")
        delivery.interrupted = True
        log.error("SMTP server unusable (%s); %d message(s) wait for their next attempt", _describe(error), len(pending))
        return delivery
    try:
        for message in pending:
            message.attempts += 1
            try:
                connection.send_message(_as_email(message))
            except Exception as error:  # recorded on this message alone; the batch goes on
                _record_failure(message, error, now, delivery)
                if _connection_lost(connection, error):
                    # The messages after this one stay due, untried, for the next run.
                    delivery.interrupted = True
                    break
            else:
                message.sent_at = utcnow()
                message.last_error = None
                delivery.sent += 1
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    return delivery


class MessageNotFound(DomainError):
    def default_message(self):
        return _l("There is no such message in the outbox.")


class MessageAlreadySent(DomainError):
    def default_message(self):
        return _l("This message has already been sent.")


def _requeue(*conditions) -> int:
    """Due now, with a fresh set of attempts. A conditional UPDATE: never a message already sent,
    even one a sender is sending at this moment (its row lock makes this wait, then re-check)."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), *conditions)
        .values(abandoned_at=None, attempts=0, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return result.rowcount


def send_again(message_id: int) -> None:
    """Put one unsent message (abandoned, or waiting after a failure) back in the queue, due now."""
    if _requeue(OutboxMessage.id == message_id) == 0:
        raise MessageNotFound() if db.session.get(OutboxMessage, message_id) is None else MessageAlreadySent()


def send_all_again(*, waiting_too: bool = False) -> int:
    """Requeue every abandoned message (and, with `waiting_too`, those waiting after a failure). How many."""
    condition = OutboxMessage.abandoned_at.is_not(None)
    if waiting_too:
        condition = sa.or_(condition, OutboxMessage.attempts > 0)
    return _requeue(condition)


def failed_messages():
    """Unsent messages that failed at least once: the abandoned first (latest first), then those waiting."""
    return (sa.select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None),
                   sa.or_(OutboxMessage.abandoned_at.is_not(None), OutboxMessage.attempts > 0))
            .order_by(sa.case((OutboxMessage.abandoned_at.is_(None), 1), else_=0),
                      OutboxMessage.abandoned_at.desc(), OutboxMessage.next_attempt_at, OutboxMessage.id))


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int
    retrying: int
    abandoned: int


def outbox_counts() -> OutboxCounts:
    """Unsent messages: waiting for a first attempt, waiting after a failure, abandoned (one query)."""
    unsent = OutboxMessage.sent_at.is_(None)
    alive = OutboxMessage.abandoned_at.is_(None)
    row = db.session.execute(sa.select(
        sa.func.count().filter(unsent, alive, OutboxMessage.attempts == 0),
        sa.func.count().filter(unsent, alive, OutboxMessage.attempts > 0),
        sa.func.count().filter(unsent, OutboxMessage.abandoned_at.is_not(None)),
    ).select_from(OutboxMessage)).one()
    return OutboxCounts(*row)


def pending_count() -> int:
    """Messages still to be sent (due now or later); abandoned ones are not pending."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.abandoned_at.is_(None))
    )
