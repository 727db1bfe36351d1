"""`flask users create-admin EMAIL`: the first administrator of a real deployment;
`flask users purge-unconfirmed`: sign-ups never confirmed, deleted (run it daily from cron)."""
from datetime import timedelta

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from app.auth import services
from app.core.errors import DomainError
from app.core.permissions import Role
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.password_option(help="Asked for when not given.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator, or make an existing account one."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.ClickException(f"{email!r} is not a valid e-mail address: {error}") from None
    user = services.find_by_email(email)
    try:
        if user is None:
            user = services.create_user(email=email, password=password, name=name, role=Role.ADMIN)
            message = f"Created administrator {user.email}."
        else:
            services.change_role(None, user, Role.ADMIN)
            user.active = True
            message = f"{user.email} is now an administrator."
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(message)


@users_cli.command("purge-unconfirmed")
@click.option("--days", type=click.IntRange(min=1), default=7, show_default=True,
              help="Delete sign-ups not confirmed within this many days.")
def purge_unconfirmed(days: int) -> None:
    """Delete the accounts whose sign-up was never confirmed, with their profile and mail."""
    emails = services.purge_unconfirmed(timedelta(days=days))
    db.session.commit()
    click.echo(f"Deleted {len(emails)} unconfirmed sign-up(s) older than {days} day(s).")
