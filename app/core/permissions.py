"""Roles and the decorators that guard whole areas of the site."""
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.enums import LabelledEnum
from app.extensions import login_manager


class Role(LabelledEnum):
    PARTICIPANT = "participant"
    TRAINER = "trainer"
    ADMIN = "admin"

    @classmethod
    def _labels(cls):
        return {cls.PARTICIPANT: _l("Participant"), cls.TRAINER: _l("Trainer"), cls.ADMIN: _l("Administrator")}


# An admin may do anything a trainer may; a trainer is not a participant-only page's audience
# but may still view those pages.
ROLE_RANK = {Role.PARTICIPANT: 0, Role.TRAINER: 1, Role.ADMIN: 2}


def has_role(user, role: Role) -> bool:
    return bool(user.is_authenticated) and ROLE_RANK[user.role] >= ROLE_RANK[role]


def role_required(role: Role):
    """Require a logged-in user with at least `role`; anonymous users go to the login page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_role(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
