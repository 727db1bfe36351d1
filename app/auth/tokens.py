"""Links to choose a password: opaque, single-use, short-lived.

The link carries 256 random bits and nothing else; the database keeps their SHA-256. Using a
link spends it with one conditional UPDATE, so two tabs submitting the same link at once set
one password, and choosing a password spends every other link the account still has.
"""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.auth.models import PasswordToken, TokenPurpose, User
from app.core.errors import DomainError
from app.core.timeutil import utcnow
from app.core.urls import public_url
from app.extensions import db
from app.mail.services import queue_template

# A real token is 43 characters; anything much longer is not worth hashing.
MAX_TOKEN_LENGTH = 100


class InvalidPasswordLink(DomainError):
    def default_message(self):
        return _l("This link is invalid, has expired or has already been used. Ask for a new one.")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetime(purpose: TokenPurpose) -> timedelta:
    key = "INVITATION_MAX_AGE" if purpose is TokenPurpose.INVITE else "PASSWORD_RESET_MAX_AGE"
    return timedelta(seconds=current_app.config[key])


def issue(user: User, purpose: TokenPurpose) -> str:
    """A new link token for `user`; the caller mails it. Earlier unused links stay valid until used."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(PasswordToken(user_id=user.id, token_hash=_digest(token), purpose=purpose,
                                 created_at=now, expires_at=now + _lifetime(purpose)))
    db.session.flush()
    return token


def _usable(token: str):
    return sa.and_(PasswordToken.token_hash == _digest(token), PasswordToken.used_at.is_(None),
                   PasswordToken.expires_at > utcnow())


def peek(token: str) -> tuple[User, TokenPurpose]:
    """The account and purpose of a usable link, without spending it (for showing the form)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidPasswordLink()
    row = db.session.execute(
        sa.select(User, PasswordToken.purpose).join(PasswordToken, PasswordToken.user_id == User.id)
        .where(_usable(token), User.active.is_(True), User.deleted_at.is_(None))
    ).first()
    if row is None:
        raise InvalidPasswordLink()
    return row[0], row[1]


def spend(token: str, user: User) -> None:
    """Spend this link and every other one of the account; refuse if someone spent it first."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidPasswordLink()
    now = utcnow()
    spent = db.session.execute(
        sa.update(PasswordToken).where(_usable(token), PasswordToken.user_id == user.id).values(used_at=now)
    ).rowcount
    if spent != 1:
        raise InvalidPasswordLink()
    spend_all(user)


def spend_all(user: User) -> None:
    """No link sent before now can set this account's password any more."""
    db.session.execute(
        sa.update(PasswordToken).where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def mail_link(user: User, purpose: TokenPurpose) -> None:
    """Queue the e-mail carrying a new link: a reset, or an invitation to choose a first password."""
    url = public_url("auth.reset_password", token=issue(user, purpose))
    if purpose is TokenPurpose.INVITE:
        days = current_app.config["INVITATION_MAX_AGE"] // 86400
        queue_template(user, "invitation", _l("Your Passage account is ready"), link_url=url, days=days)
    else:
        queue_template(user, "password_reset", _l("Reset your Passage password"), reset_url=url)
