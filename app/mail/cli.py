"""`flask mail send [--watch]`: deliver the outbox; `flask mail retry`: send abandoned messages again."""
import logging
import time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.core.errors import DomainError
from app.extensions import db
from app.mail import services

mail_cli = AppGroup("mail", help="Deliver e-mail waiting in the outbox.")
log = logging.getLogger("passage.mail")
BATCH_SIZE = 50
# The database or the network going away for a while: what a watcher waits out (SMTP errors are OSErrors).
PASSING_FAULTS = (sa.exc.DBAPIError, OSError)


@mail_cli.command("send")
@click.option("--watch", is_flag=True, help="Keep running and deliver new messages as they arrive.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls with --watch.")
def send_command(watch: bool, interval: float) -> None:
    """Send the messages that are due over SMTP.

    A message that fails waits before its next attempt (1 minute, then 2, 4, … up to
    MAIL_RETRY_MAX_DELAY); one that can never be sent, or that failed MAIL_MAX_ATTEMPTS
    times, is abandoned with its error (see /admin/outbox and `flask mail retry`).
    """
    while True:
        try:
            delivery = _deliver_due()
        except PASSING_FAULTS:
            if not watch:
                raise
            # A watcher outlives a passing fault (the database restarting): log it and poll again.
            # Anything else is a bug: it stops the watcher, loudly, for its supervisor to restart.
            db.session.rollback()
            log.exception("The outbox could not be delivered; trying again in %s s", interval)
        else:
            if delivery.claimed or not watch:
                click.echo(f"sent {delivery.sent}, failed {delivery.failed}, abandoned {delivery.abandoned}, "
                           f"pending {services.pending_count()}")
        if not watch:
            return
        time.sleep(interval)


def _deliver_due() -> services.Delivery:
    """Batch after batch until nothing is due or the server stops answering; commit after each."""
    total = services.Delivery()
    while True:
        try:
            batch = services.send_due(BATCH_SIZE)
        finally:
            db.session.commit()  # what went out stays marked sent, even if the batch stopped half-way
        total += batch
        if batch.claimed < BATCH_SIZE or batch.interrupted:
            return total


@mail_cli.command("retry")
@click.option("--id", "message_ids", type=int, multiple=True, metavar="N",
              help="The message to send again (repeat for several); see /admin/outbox for the numbers.")
@click.option("--all-abandoned", is_flag=True, help="Every abandoned message.")
@click.option("--all-failed", is_flag=True,
              help="Every abandoned message and every one waiting after a failure (after an outage is over).")
def retry_command(message_ids: tuple[int, ...], all_abandoned: bool, all_failed: bool) -> None:
    """Make messages due now with a fresh set of attempts; the sender delivers them on its next poll."""
    if bool(message_ids) + all_abandoned + all_failed != 1:
        raise click.UsageError("Give --id N (one or more times), --all-abandoned or --all-failed.")
    problems = []
    if message_ids:
        count = 0
        for message_id in message_ids:
            try:
                services.send_again(message_id)
                count += 1
            except DomainError as error:
                problems.append(f"message {message_id}: {error}")
    else:
        count = services.send_all_again(waiting_too=all_failed)
    db.session.commit()
    click.echo(f"{count} message(s) due again; `flask mail send` delivers them.")
    if problems:
        raise click.ClickException("\n".join(problems))
