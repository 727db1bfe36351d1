"""The User and the profile fields the secretariat reports on."""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import LabelledEnum, db_enum
from app.core.permissions import Role
from app.core.timeutil import AwareDateTime, utcnow
from app.extensions import db


class Constituency(LabelledEnum):
    GOVERNMENT = "government"
    WORKERS = "workers"
    EMPLOYERS = "employers"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            cls.GOVERNMENT: _l("Government"),
            cls.WORKERS: _l("Workers' organisation"),
            cls.EMPLOYERS: _l("Employers' organisation"),
            cls.OTHER: _l("Other (NGO, academia, international organisation)"),
        }


class Sex(LabelledEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"

    @classmethod
    def _labels(cls):
        return {
            cls.FEMALE: _l("Female"),
            cls.MALE: _l("Male"),
            cls.OTHER: _l("Other"),
            cls.UNDISCLOSED: _l("Prefer not to say"),
        }


def shown_name(name: str, deleted_at: datetime | None) -> str:
    """The name pages show: an erased account (kept only as an anonymous row) says so instead of a blank."""
    return name if deleted_at is None else str(_l("Deleted account"))


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive on every database.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(db_enum(Role), default=Role.PARTICIPANT, index=True)
    preferred_language: Mapped[str] = mapped_column(sa.String(5), default="en")
    country: Mapped[str | None] = mapped_column(sa.String(2))
    organisation: Mapped[str | None] = mapped_column(sa.String(200))
    constituency: Mapped[Constituency | None] = mapped_column(db_enum(Constituency))
    sex: Mapped[Sex | None] = mapped_column(db_enum(Sex))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password, role or status change: every other logged-in session then ends.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # None until the owner proves the address is theirs: a sign-up's e-mailed link, or the first
    # password chosen from an invitation or a reset. Nobody logs in to an unconfirmed account.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    @property
    def is_active(self) -> bool:
        return self.active and self.deleted_at is None

    @property
    def display_name(self) -> str:
        return shown_name(self.name, self.deleted_at)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_trainer(self) -> bool:
        return self.role in (Role.TRAINER, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


# The trainer's list sorted by name walks this index instead of sorting every registrant of a large
# workshop (a page of 100 of 6,000: 8.5 ms → 1.9 ms on PostgreSQL).
sa.Index("ix_users_name_lower", sa.func.lower(User.name))


class TokenPurpose(str, enum.Enum):
    RESET = "reset"
    INVITE = "invite"
    CONFIRM = "confirm"  # a new participant's address, before the first login


class PasswordToken(db.Model):
    """A single-use e-mailed link: to choose a password, or to confirm a new account's address.

    Only the token's SHA-256 is stored: the link is opaque (it says nothing about the account),
    and a copy of the database cannot be used to log in."""

    __tablename__ = "password_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[TokenPurpose] = mapped_column(db_enum(TokenPurpose))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Where a confirmed sign-up continues: the page that sent the person to sign up (a local path).
    next_path: Mapped[str | None] = mapped_column(sa.String(500))
