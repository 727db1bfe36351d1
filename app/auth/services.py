"""Account rules shared by the web, the CLI and the tests. Services flush, callers commit."""
import secrets
from datetime import timedelta

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from app.auth import tokens
from app.auth.models import PasswordToken, TokenPurpose, User
from app.auth.passwords import hash_password, password_problem, verify_password
from app.auth.throttle import Attempts
from app.core import audit
from app.core.audit import AuditEntry
from app.core.errors import DomainError
from app.core.permissions import Role
from app.core.timeutil import utcnow
from app.core.urls import public_url
from app.extensions import db
from app.mail.services import discard_mail_to, queue_template


class EmailTaken(DomainError):
    field = "email"

    def default_message(self):
        return _l("An account with this e-mail address already exists.")


class WeakPassword(DomainError):
    field = "password"


class LastAdmin(DomainError):
    def default_message(self):
        return _l("You are the last active administrator: another admin must exist first.")


class AccountInactive(DomainError):
    def default_message(self):
        return _l("This account is deactivated. Please contact the course secretariat.")


class AddressNotConfirmed(DomainError):
    """The right password for an account whose address was never confirmed: no login yet."""

    def __init__(self, user: User):
        super().__init__()
        self.user = user

    def default_message(self):
        return _l("Confirm your e-mail address first, with the link we e-mailed you. "
                  "If you cannot find it, a new one is on its way (at most three a day).")


class WrongPassword(DomainError):
    field = "current_password"

    def default_message(self):
        return _l("Your current password is not correct.")


# E-mails to the owner of an address someone tried to sign up with again.
SIGNUP_NOTICES_PER_ADDRESS = "3 per day"

# Deleting an account reaches data that packages above auth keep (registrations, groups), which auth
# cannot import: they connect a function here (create_app wires them). Each is called with the user,
# in the deletion's transaction, before the name and address are erased.
account_deleting = Namespace().signal("account-deleting")

# A new account's address starts confirmed (the column's default) unless this is written: a plain None
# would let the ORM apply the default anyway.
UNCONFIRMED = sa.null()

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


def create_user(*, email: str, password: str, name: str, role: Role = Role.PARTICIPANT, confirmed: bool = True,
                **profile) -> User:
    """An account that can log in at once (the CLI, the demo), or once its address is confirmed (a sign-up)."""
    email = normalize_email(email)
    user = User(email=email, name=name.strip(), role=role, password_hash="",
                email_confirmed_at=utcnow() if confirmed else UNCONFIRMED)
    # The policy and the hash come before the lookup: a taken address costs the same time and gets the same refusals.
    check_password(user, password)
    user.password_hash = hash_password(password)
    if find_by_email(email) is not None:
        raise EmailTaken()
    for field, value in profile.items():
        if field not in PROFILE_FIELDS:
            raise TypeError(f"unknown profile field {field}")
        setattr(user, field, value)
    return _insert(user)


def _insert(user: User) -> User:
    db.session.add(user)
    try:
        # The unique constraint settles a race between two sign-ups with the same address.
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise EmailTaken() from None
    return user


def invite_user(actor: User, *, email: str, name: str, role: Role, preferred_language: str) -> User:
    """Open an account without a password and e-mail its owner a link to choose one.

    Until then nobody can log in to it (an empty hash matches no password).
    """
    email = normalize_email(email)
    if find_by_email(email) is not None:
        raise EmailTaken()
    user = _insert(User(email=email, name=name.strip(), role=role, preferred_language=preferred_language,
                        password_hash="", email_confirmed_at=UNCONFIRMED))
    audit.record(actor, "user.invite", "user", user.id, role.value)
    tokens.mail_link(user, TokenPurpose.INVITE)
    return user


def send_password_link(actor: User, user: User) -> TokenPurpose:
    """An admin sends a reset link, or the invitation again to someone who never chose a password."""
    if not user.is_active:
        raise AccountInactive()
    purpose = TokenPurpose.RESET if user.password_hash else TokenPurpose.INVITE
    audit.record(actor, f"user.{purpose.value}_sent", "user", user.id)
    tokens.mail_link(user, purpose)
    return purpose


def audit_trail(user: User, limit: int = 50) -> list[tuple[AuditEntry, str | None]]:
    """The latest entries about this account or made by it, with the actor's name: one query."""
    actor = aliased(User)
    return db.session.execute(
        sa.select(AuditEntry, actor.name).outerjoin(actor, actor.id == AuditEntry.actor_id)
        .where(sa.or_(sa.and_(AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id),
                      AuditEntry.actor_id == user.id))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()


def sign_up(*, email: str, password: str, name: str, next_path: str | None = None, **profile) -> None:
    """Open a participant's account, to be confirmed from an e-mailed link before the first login.

    Sign-up must not tell who is registered: every case gets the same answer, and only the
    address's mailbox learns what happened. A new address gets a confirmation link (which also
    leads on to `next_path`). An address whose sign-up was never confirmed is taken by this
    latest sign-up (nobody has proven it theirs, and nobody could use it): its password and
    profile become this one's, and a new link is sent. The owner of a confirmed account is told
    that someone tried. Repeats are mailed a few times a day at most, so that nobody can use
    sign-up to flood an inbox. Every case hashes the password first, so they take the same time.
    """
    user = User(email=normalize_email(email), name=name.strip(), role=Role.PARTICIPANT, password_hash="",
                email_confirmed_at=UNCONFIRMED)
    check_password(user, password)
    user.password_hash = hash_password(password)
    update_profile(user, **profile)
    try:
        # The unique constraint settles a race between sign-ups with one address; the savepoint forgets the loser.
        with db.session.begin_nested():
            _insert(user)
    except EmailTaken:
        _signed_up_again(user.email, user.password_hash, name, next_path, profile)
        return
    tokens.mail_link(user, TokenPurpose.CONFIRM, next_path)


def _signed_up_again(email: str, password_hash: str, name: str, next_path: str | None, profile: dict) -> None:
    owner = find_by_email(email)
    if owner is None or not owner.is_active:
        return
    repeats = Attempts(SIGNUP_NOTICES_PER_ADDRESS, "signup-notice:" + email)
    if owner.email_confirmed_at is None and owner.password_hash:
        # A self sign-up never confirmed (an invitation has no password yet, and is left as it is).
        # The link proves the mailbox and the password proves the person: confirming needs both,
        # so taking over an unconfirmed sign-up gains nothing without the owner's inbox.
        owner.password_hash = password_hash
        update_profile(owner, name=name, **profile)
        if repeats.take():
            tokens.mail_link(owner, TokenPurpose.CONFIRM, next_path)
    elif repeats.take():
        queue_template(owner, "signup_existing", _l("Someone tried to create a Passage account with your address"),
                       login_url=public_url("auth.login"), forgot_url=public_url("auth.forgot_password"))


def confirm_signup(token: str, user: User, password: str) -> str | None:
    """Confirm a sign-up's address from its link and the password chosen at sign-up; the page to go on to.

    The password is checked before the link is spent, so a typo does not use the link up.
    """
    if not verify_password(user.password_hash, password):
        raise WrongPassword(_l("This is not the password you chose when you signed up. If you signed up more than "
                               "once, use the password of the last time."), field="password")
    _, link = tokens.peek(token, (TokenPurpose.CONFIRM,))
    tokens.spend(token, user, (TokenPurpose.CONFIRM,))
    user.email_confirmed_at = utcnow()
    user.last_login_at = utcnow()
    return link.next_path


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
    if user.email_confirmed_at is None:
        raise AddressNotConfirmed(user)
    return user


def purge_unconfirmed(older_than: timedelta) -> list[str]:
    """Delete the sign-ups whose address was not confirmed within `older_than`; their addresses.

    Nobody ever used them (they cannot log in), so nothing is kept: not the name, the profile or
    the mail to the address. Invited accounts (no password yet) are the administrators' to manage.
    The condition is repeated in the DELETE itself, so a sign-up confirmed meanwhile stays.
    """
    stale = sa.and_(User.email_confirmed_at.is_(None), User.password_hash != "", User.deleted_at.is_(None),
                    User.created_at < utcnow() - older_than)
    ids = db.session.scalars(sa.select(User.id).where(stale)).all()
    if not ids:
        return []
    db.session.execute(sa.delete(PasswordToken).where(PasswordToken.user_id.in_(ids)))
    emails = db.session.scalars(sa.delete(User).where(User.id.in_(ids), stale).returning(User.email)).all()
    for email in emails:
        discard_mail_to(email)
    return list(emails)


def remind_to_confirm(user: User) -> None:
    """Someone logged in with the right password before confirming: a new link (a few a day at most)."""
    if Attempts(SIGNUP_NOTICES_PER_ADDRESS, "signup-notice:" + user.email).take():
        tokens.mail_link(user, TokenPurpose.CONFIRM)


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
    tokens.spend_all(user)


def set_password_from_link(token: str, user: User, new: str) -> None:
    """Spend the e-mailed link, then set the password: a link sets at most one password.

    The link came to the account's mailbox, so it also confirms the address (an invitation, or a
    sign-up whose confirmation was lost)."""
    tokens.spend(token, user)
    set_password(user, new)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()


def _guard_last_admin(user: User) -> None:
    """Refuse to take away the last active administrator.

    The active admins' rows are locked (in id order, so two requests never wait on each other
    in a circle) before they are counted: two admins demoting each other at once are served one
    after the other, and the second sees that only one admin is left.
    """
    if user.role != Role.ADMIN or not user.is_active:
        return
    admins = db.session.scalars(
        sa.select(User.id).where(User.role == Role.ADMIN, User.active.is_(True), User.deleted_at.is_(None))
        .order_by(User.id).with_for_update()
    ).all()
    if user.id in admins and len(admins) <= 1:
        raise LastAdmin()
    if user.id not in admins:
        # Another request changed this account while we waited for the lock: start again from it.
        db.session.refresh(user)
        _guard_last_admin(user)


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
    # The row is locked and read afresh first: a second click waits, then finds the account gone, and a
    # registration in another tab (which share-locks this row) comes before or after, never between.
    db.session.refresh(user, with_for_update=True)
    if not verify_password(user.password_hash, password):
        raise WrongPassword(field="password")
    _guard_last_admin(user)
    account_deleting.send(user)
    audit.record(user, "user.delete", "user", user.id)
    # Last, so that it also takes what the step above queued for this address (a cancellation notice).
    discard_mail_to(user.email)
    tokens.spend_all(user)
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
