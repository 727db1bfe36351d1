"""E-mailed links to choose a password or confirm a new account: opaque, single-use, short-lived.

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


LIFETIMES = {
    TokenPurpose.RESET: "PASSWORD_RESET_MAX_AGE",
    TokenPurpose.INVITE: "INVITATION_MAX_AGE",
    TokenPurpose.CONFIRM: "SIGNUP_CONFIRMATION_MAX_AGE",
}
PASSWORD_PURPOSES = (TokenPurpose.RESET, TokenPurpose.INVITE)


def lifetime_days(purpose: TokenPurpose) -> int:
    return current_app.config[LIFETIMES[purpose]] // 86400


def issue(user: User, purpose: TokenPurpose, next_path: str | None = None) -> str:
    """A new link token for `user`; the caller mails it. Earlier unused links stay valid until used."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(PasswordToken(user_id=user.id, token_hash=_digest(token), purpose=purpose, next_path=next_path,
                                 created_at=now,
                                 expires_at=now + timedelta(seconds=current_app.config[LIFETIMES[purpose]])))
    db.session.flush()
    return token


def _usable(token: str, purposes):
    return sa.and_(PasswordToken.token_hash == _digest(token), PasswordToken.purpose.in_(purposes),
                   PasswordToken.used_at.is_(None), PasswordToken.expires_at > utcnow())


def peek(token: str, purposes=PASSWORD_PURPOSES) -> tuple[User, PasswordToken]:
    """The account and link of a usable token for one of `purposes`, without spending it (to show the form)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidPasswordLink()
    row = db.session.execute(
        sa.select(User, PasswordToken).join(PasswordToken, PasswordToken.user_id == User.id)
        .where(_usable(token, purposes), User.active.is_(True), User.deleted_at.is_(None))
    ).first()
    if row is None:
        raise InvalidPasswordLink()
    return row[0], row[1]


def spend(token: str, user: User, purposes=PASSWORD_PURPOSES) -> None:
    """Spend this link and every other one of the account; refuse if someone spent it first."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidPasswordLink()
    now = utcnow()
    spent = db.session.execute(
        sa.update(PasswordToken).where(_usable(token, purposes), PasswordToken.user_id == user.id)
        .values(used_at=now)
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


def mail_link(user: User, purpose: TokenPurpose, next_path: str | None = None) -> None:
    """Queue the e-mail carrying a new link: a reset, an invitation to choose a first password, or a
    new participant's confirmation (which opens in the language they signed up in)."""
    if purpose is TokenPurpose.CONFIRM:
        url = public_url("auth.confirm_signup", token=issue(user, purpose, next_path), lang=user.preferred_language)
        queue_template(user, "signup_confirm", _l("Confirm your e-mail address for Passage"), link_url=url,
                       days=lifetime_days(purpose))
        return
    url = public_url("auth.reset_password", token=issue(user, purpose))
    if purpose is TokenPurpose.INVITE:
        queue_template(user, "invitation", _l("Your Passage account is ready"), link_url=url,
                       days=lifetime_days(purpose))
    else:
        queue_template(user, "password_reset", _l("Reset your Passage password"), reset_url=url)
