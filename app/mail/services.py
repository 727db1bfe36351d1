"""Queue messages in the caller's transaction; deliver pending ones over SMTP or to the log."""
import logging
import smtplib
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_sqlalchemy.session import Session

from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.models import OutboxMessage

log = logging.getLogger("passage.mail")


def queue_message(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox; it is only real once the caller's transaction commits."""
    message = OutboxMessage(recipient=recipient, subject=subject[:255], body=body)
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
    if config["MAIL_USE_TLS"]:
        connection.starttls()
    if config["MAIL_USERNAME"]:
        connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return connection


def _as_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@passage>"
    email.set_content(message.body)
    return email


def send_pending(batch_size: int = 50) -> tuple[int, int]:
    """Send one batch of pending messages. Returns (sent, failed).

    Rows are claimed with FOR UPDATE SKIP LOCKED, so several senders never send one
    message twice. A failure is recorded on the row, which stays pending for the next run.
    The caller commits after each batch, also when it stops half-way (`flask mail send`).
    """
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    pending = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts)
        .order_by(OutboxMessage.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    ).all()
    if not pending:
        return 0, 0
    sent = failed = 0
    try:
        connection = _smtp_connection()
    except (OSError, smtplib.SMTPException) as error:
        for message in pending:
            message.attempts += 1
            message.last_error = f"connect: {error}"[:1000]
        log.error("SMTP server unreachable (%s); %d message(s) stay in the outbox", error, len(pending))
        return 0, len(pending)
    try:
        for message in pending:
            message.attempts += 1
            try:
                connection.send_message(_as_email(message))
            except (OSError, smtplib.SMTPException) as error:
                message.last_error = str(error)[:1000]
                failed += 1
            else:
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return sent, failed


def pending_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    )
