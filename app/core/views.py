"""Small helpers shared by thin views."""
from collections.abc import Callable

from flask import flash

from app.core.errors import DomainError
from app.extensions import db


def apply_change(change: Callable[[], object], success: str | None = None) -> bool:
    """Run a service call and commit; a broken rule rolls back and flashes its message instead."""
    try:
        change()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return False
    db.session.commit()
    if success:
        flash(success, "success")
    return True


def apply_form_change(change: Callable[[], object], field, success: str) -> bool:
    """Like apply_change, but a broken rule is shown on the form field it concerns."""
    try:
        change()
    except DomainError as error:
        db.session.rollback()
        field.errors.append(str(error))
        return False
    db.session.commit()
    flash(success, "success")
    return True
