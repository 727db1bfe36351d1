"""Account rules shared by the web, the CLI and the tests. Services flush, callers commit."""
import secrets

import sqlalchemy as sa
from blinker import Namespace
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.models import User
from app.auth.passwords import hash_password, password_problem, verify_password
from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import Role
from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.services import discard_mail_to


class EmailTaken(DomainError):
    field = "email"

    def default_message(self):
        return _l("An account with this e-mail address already exists.")


class WeakPassword(DomainError):
    field = "password"


class InvalidResetLink(DomainError):
    def default_message(self):
        return _l("This reset link is invalid or has expired. Ask for a new one.")


class LastAdmin(DomainError):
    def default_message(self):
        return _l("You are the last active administrator: another admin must exist first.")


class AccountInactive(DomainError):
    def default_message(self):
        return _l("This account is deactivated. Please contact the course secretariat.")


class WrongPassword(DomainError):
    field = "current_password"

    def default_message(self):
        return _l("Your current password is not correct.")


# Deleting an account reaches data that packages above auth keep (registrations, groups), which auth
# cannot import: they connect a function here (create_app wires them). Each is called with the user,
# in the deletion's transaction, before the name and address are erased.
account_deleting = Namespace().signal("account-deleting")

PROFILE_FIELDS = ("name", "country", "organisation", "constituency", "sex", "preferred_language")

# A hash to compare against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = None


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def check_password(user: User, password: str) -> None:
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise WeakPassword(problem)


def create_user(*, email: str, password: str, name: str, role: Role = Role.PARTICIPANT, **profile) -> User:
    email = normalize_email(email)
    if find_by_email(email) is not None:
        raise EmailTaken()
    user = User(email=email, name=name.strip(), role=role, password_hash="")
    check_password(user, password)
    user.password_hash = hash_password(password)
    for field, value in profile.items():
        if field not in PROFILE_FIELDS:
            raise TypeError(f"unknown profile field {field}")
        setattr(user, field, value)
    db.session.add(user)
    try:
        # The unique constraint settles a race between two sign-ups with the same address.
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise EmailTaken() from None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; never says which part was wrong.

    Only someone who knows the password learns that the account is deactivated.
    """
    global _DUMMY_HASH
    user = find_by_email(email) if email else None
    if user is None or not user.password_hash:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if not user.is_active:
        raise AccountInactive()
    return user


def record_login(user: User, chosen_language: str | None = None) -> None:
    """Note the login; a language picked explicitly just before it becomes the preference."""
    user.last_login_at = utcnow()
    if chosen_language:
        user.preferred_language = chosen_language


def update_profile(user: User, **profile) -> None:
    for field, value in profile.items():
        if field not in PROFILE_FIELDS:
            raise TypeError(f"unknown profile field {field}")
        # Enum members are str too: strip only plain text.
        setattr(user, field, value.strip() if type(value) is str else value)


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise WrongPassword()
    set_password(user, new)


def set_password(user: User, new: str) -> None:
    check_password(user, new)
    user.password_hash = hash_password(new)
    user.session_version += 1


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User) -> str:
    # The token names the current hash: once the password changes, the link is spent.
    return _reset_serializer().dumps({"uid": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        raise InvalidResetLink() from None
    if not isinstance(data, dict):
        raise InvalidResetLink()
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if user is None or not user.is_active or user.password_hash[-16:] != data.get("h"):
        raise InvalidResetLink()
    return user


def _active_admin_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(
            User.role == Role.ADMIN, User.active.is_(True), User.deleted_at.is_(None)
        )
    )


def _guard_last_admin(user: User) -> None:
    if user.role == Role.ADMIN and user.is_active and _active_admin_count() <= 1:
        raise LastAdmin()


def end_sessions(user: User) -> None:
    """Every cookie issued to this account so far, remember-me included, stops working."""
    user.session_version += 1


def change_role(actor: User, user: User, role: Role) -> None:
    if role == user.role:
        return
    if user.role == Role.ADMIN:
        _guard_last_admin(user)
    audit.record(actor, "user.role", "user", user.id, f"{user.role.value} -> {role.value}")
    user.role = role
    user.session_version += 1


def set_active(actor: User, user: User, active: bool) -> None:
    if active == user.active:
        return
    if not active:
        _guard_last_admin(user)
    audit.record(actor, "user.activate" if active else "user.deactivate", "user", user.id)
    user.active = active
    user.session_version += 1


def delete_account(user: User, password: str) -> None:
    """Erase the person, keep an anonymous row so that counts and history still add up.

    What the person still has coming is given up by the functions connected to `account_deleting`
    (seats go to the next person waiting); every message to the old address leaves the outbox.
    """
    if not verify_password(user.password_hash, password):
        raise WrongPassword(field="password")
    _guard_last_admin(user)
    account_deleting.send(user)
    audit.record(user, "user.delete", "user", user.id)
    # Last, so that it also takes what the step above queued for this address (a cancellation notice).
    discard_mail_to(user.email)
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.name = ""
    user.password_hash = ""
    user.country = user.organisation = user.constituency = user.sex = None
    user.active = False
    user.deleted_at = utcnow()
    user.session_version += 1


def search_users(query: str = ""):
    """A select() of users matching a name or e-mail fragment, newest first."""
    statement = sa.select(User).where(User.deleted_at.is_(None)).order_by(User.created_at.desc(), User.id.desc())
    if query.strip():
        statement = statement.where(name_or_email_matches(query))
    return statement


def name_or_email_matches(query: str):
    """A condition on User: the name or e-mail contains `query` (case-insensitive, % and _ literal)."""
    escaped = query.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return sa.or_(sa.func.lower(User.name).like(pattern, escape="\\"), User.email.like(pattern, escape="\\"))
