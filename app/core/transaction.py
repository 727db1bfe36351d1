"""One commit point per request, and the one way a view asks a service to change data.

Services flush and never commit. A view runs a change through `apply()`: the change happens
in a savepoint, so a broken rule (DomainError) undoes exactly that change and becomes a message
on the form field it names, or a flash. At the end of the request `commit_or_rollback` commits
whatever is left when the response is a success or a redirect, and rolls back on any error
status, in the spirit of Indico's `RH.process`.

A GET or HEAD stores nothing, so on PostgreSQL it reads in autocommit (`read_without_transaction`):
no BEGIN, no COMMIT or ROLLBACK round trips, and psycopg keeps its prepared statements (a ROLLBACK
clears them). Under READ COMMITTED each statement sees its own snapshot anyway, so a page reads
nothing less consistent than inside a transaction. SQLite keeps its transaction (its write lock is
taken at BEGIN IMMEDIATE, see create_app), and so does a test that bound the session to one connection.
The connection is taken when the first statement asks for one, not before: a page that reads nothing
(the user's cookie absent, the content cached) never checks one out of the pool.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa
from flask import Flask, Response, current_app, flash, g, has_request_context, request

from app.core.errors import DomainError
from app.extensions import db

T = TypeVar("T")
AUTOCOMMIT_WANTED = "autocommit_wanted"  # a GET on PostgreSQL: its first statement switches the connection
AUTOCOMMIT_READ = "read_in_autocommit"  # ...and it did


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a change gave back, or the rule it broke."""

    value: T | None = None
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def apply(change: Callable[[], T], *, form=None, field=None, success: str | None = None) -> Outcome[T]:
    """Run a service call in a savepoint; a broken rule undoes it and is shown to the user.

    The message goes under `field` if given, else under the form field the error names,
    else into a flash. `success` is flashed when the change went through.
    """
    try:
        with db.session.begin_nested():
            value = change()
    except DomainError as error:
        show_error(error, form=form, field=field)
        return Outcome(error=error)
    if success:
        flash(success, "success")
    return Outcome(value=value)


def show_error(error: DomainError, *, form=None, field=None) -> None:
    if field is None and form is not None and error.field and error.field in form:
        field = form[error.field]
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def commit_or_rollback(response: Response) -> Response:
    """The request's one commit: kept on success or redirect, undone on any error status."""
    if g.get(AUTOCOMMIT_READ) or (g.get(AUTOCOMMIT_WANTED) and not db.session().in_transaction()):
        return response  # nothing to commit or undo: the request read in autocommit, or not at all
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def discard() -> None:
    """Forget a failed transaction before rendering an error page (the 500 handler)."""
    db.session.rollback()


def read_without_transaction() -> None:
    """before_request: a GET or HEAD on PostgreSQL reads in autocommit (see the module's docstring)."""
    if request.method not in ("GET", "HEAD") or request.endpoint in (None, "static"):
        return
    if not current_app.config["READS_WITHOUT_TRANSACTION"]:
        return
    bind = db.session.get_bind()
    if isinstance(bind, sa.Engine) and bind.dialect.name == "postgresql":
        g.setdefault(AUTOCOMMIT_WANTED, True)


def _take_autocommit_connection(state: sa.orm.ORMExecuteState) -> None:
    """do_orm_execute: the request's first statement takes its connection in autocommit, if the request wants it."""
    if has_request_context() and g.pop(AUTOCOMMIT_WANTED, False) and not state.session.in_transaction():
        state.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        g.setdefault(AUTOCOMMIT_READ, True)


def init_app(app: Flask) -> None:
    app.before_request(read_without_transaction)
    app.after_request(commit_or_rollback)
    if not sa.event.contains(db.session, "do_orm_execute", _take_autocommit_connection):
        sa.event.listen(db.session, "do_orm_execute", _take_autocommit_connection)
