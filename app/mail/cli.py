"""`flask mail send [--watch]`: deliver the outbox."""
import time

import click
from flask.cli import AppGroup

from app.extensions import db
from app.mail import services

mail_cli = AppGroup("mail", help="Deliver e-mail waiting in the outbox.")


@mail_cli.command("send")
@click.option("--watch", is_flag=True, help="Keep running and deliver new messages as they arrive.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls with --watch.")
def send_command(watch: bool, interval: float) -> None:
    """Send pending messages over SMTP; failures stay in the outbox for the next run."""
    while True:
        total_sent = total_failed = 0
        while True:
            sent, failed = _deliver_batch()
            total_sent += sent
            total_failed += failed
            if sent == 0:
                break
        if total_sent or total_failed or not watch:
            click.echo(f"sent {total_sent}, failed {total_failed}, pending {services.pending_count()}")
        if not watch:
            return
        time.sleep(interval)


def _deliver_batch() -> tuple[int, int]:
    try:
        return services.send_pending()
    finally:
        db.session.commit()  # what went out stays marked sent, even if the batch stopped half-way
