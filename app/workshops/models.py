"""Workshop, Registration, Cohort and WorkshopSession."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Constituency
from app.core.enums import LabelledEnum, db_enum
from app.core.i18n import current_language
from app.core.timeutil import AwareDateTime, utcnow
from app.core.translated import JSONData, Shown, shown
from app.extensions import db


class WorkshopStatus(LabelledEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"

    @classmethod
    def _labels(cls):
        return {cls.DRAFT: _l("Draft"), cls.OPEN: _l("Open for registration"), cls.CLOSED: _l("Registration closed"),
                cls.ARCHIVED: _l("Archived")}


class Venue(LabelledEnum):
    CAMPUS = "campus"
    ONLINE = "online"
    ELSEWHERE = "elsewhere"

    @classmethod
    def _labels(cls):
        return {cls.CAMPUS: _l("On campus"), cls.ONLINE: _l("Online"),
                cls.ELSEWHERE: _l("Elsewhere")}


class RegistrationStatus(LabelledEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    REJECTED = "rejected"

    @classmethod
    def _labels(cls):
        return {cls.PENDING: _l("Awaiting approval"), cls.CONFIRMED: _l("Confirmed"), cls.WAITLISTED: _l("On the waiting list"),
                cls.CANCELLED: _l("Cancelled"), cls.REJECTED: _l("Not accepted")}

    @property
    def is_active(self) -> bool:
        """Pending, confirmed or waitlisted: the person still expects a seat."""
        return self in ACTIVE_STATUSES

    @property
    def tone(self) -> str:
        """How a badge shows this status: good news, something under way, or neutral."""
        return _TONES.get(self, "")


_TONES = {RegistrationStatus.CONFIRMED: "ok", RegistrationStatus.WAITLISTED: "progress",
          RegistrationStatus.PENDING: "progress"}
ACTIVE_STATUSES = frozenset({RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED})


workshop_trainers = sa.Table(
    "workshop_trainers",
    db.metadata,
    sa.Column("workshop_id", sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Workshop(db.Model):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # Texts per working language ({"en": ..., "fr": ...}); read them with t_title() and the like.
    title: Mapped[dict] = mapped_column(JSONData)
    description: Mapped[dict] = mapped_column(JSONData, default=dict)
    course_id: Mapped[int | None] = mapped_column(sa.ForeignKey("courses.id", ondelete="SET NULL"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Rome")
    venue: Mapped[Venue] = mapped_column(db_enum(Venue), default=Venue.CAMPUS)
    # Elsewhere: the place's name and city; any venue: an address, link or directions. Per language.
    place: Mapped[dict] = mapped_column(JSONData, default=dict)
    city: Mapped[dict] = mapped_column(JSONData, default=dict)
    address: Mapped[dict] = mapped_column(JSONData, default=dict)
    languages: Mapped[list] = mapped_column(JSONData, default=list)
    capacity: Mapped[int]
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    # Absolute seat counts per constituency; None means no limit beyond capacity.
    quota_government: Mapped[int | None]
    quota_workers: Mapped[int | None]
    quota_employers: Mapped[int | None]
    quota_other: Mapped[int | None]
    registration_opens_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    requires_approval: Mapped[bool] = mapped_column(default=False)
    # The attendance rate (percent) that earns a certificate of participation.
    attendance_threshold: Mapped[int] = mapped_column(default=80, server_default="80")
    status: Mapped[WorkshopStatus] = mapped_column(db_enum(WorkshopStatus), default=WorkshopStatus.DRAFT, index=True)
    # Order of arrival: handed out under the workshop's row lock, never a timestamp.
    next_sequence: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    trainers = relationship("User", secondary=workshop_trainers, lazy="raise")

    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.CheckConstraint("attendance_threshold BETWEEN 1 AND 100", name="threshold_percent"),
    )

    @property
    def is_open(self) -> bool:
        return self.status == WorkshopStatus.OPEN

    @property
    def main_language(self) -> str:
        """The first working language: its texts are required, and shown when the reader's is missing."""
        return self.languages[0] if self.languages else "en"

    def text(self, texts: dict | None, lang: str | None = None) -> Shown:
        """One of this workshop's texts (its own, a cohort's or a session's) in `lang` (default: the page's),
        else in its first working language, else in another of its languages."""
        return shown(texts, lang, (self.main_language, *(self.languages or ())))

    def t_title(self, lang: str | None = None) -> Shown:
        return self.text(self.title, lang)

    def t_description(self, lang: str | None = None) -> Shown:
        return self.text(self.description, lang)

    def t_address(self, lang: str | None = None) -> Shown:
        return self.text(self.address, lang)

    def t_venue(self, lang: str | None = None) -> Shown:
        """Where it takes place, as the admin wrote it: "Hotel Terrou-Bi, Dakar", or "On campus", "Online"."""
        if self.venue == Venue.ELSEWHERE:
            place, city = self.text(self.place, lang), self.text(self.city, lang)
            written = ", ".join(part for part in (place, city) if part)
            if written:
                return Shown(written, place.lang if place else city.lang)
        return Shown(Venue(self.venue).label if self.venue != Venue.ELSEWHERE else "", lang or current_language())

    def quota_for(self, constituency: Constituency | None) -> int | None:
        if constituency is None:
            return None
        return getattr(self, f"quota_{Constituency(constituency).value}")

    @property
    def quotas(self) -> dict[Constituency, int]:
        return {c: self.quota_for(c) for c in Constituency if self.quota_for(c) is not None}


class Cohort(db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    # Per working language; names are unique within a workshop in each language (checked under its lock).
    name: Mapped[dict] = mapped_column(JSONData)
    language: Mapped[str | None] = mapped_column(sa.String(5))


class Registration(db.Model):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(db_enum(RegistrationStatus), index=True)
    sequence: Mapped[int]
    # The constituency the registration was made with (the profile may change later).
    constituency: Mapped[Constituency | None] = mapped_column(db_enum(Constituency))
    working_language: Mapped[str] = mapped_column(sa.String(5))
    motivation: Mapped[str] = mapped_column(sa.Text, default="")
    consent_at: Mapped[datetime] = mapped_column(AwareDateTime())
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow, onupdate=utcnow)
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")

    user = relationship("User", lazy="raise")
    workshop = relationship(Workshop, lazy="raise")

    @property
    def is_active(self) -> bool:
        return self.status.is_active

    @property
    def is_cancelled(self) -> bool:
        return self.status == RegistrationStatus.CANCELLED

    # One registration per person and workshop, enforced by the database.
    __table_args__ = (
        sa.UniqueConstraint("workshop_id", "user_id"),
        sa.UniqueConstraint("workshop_id", "sequence"),
        sa.Index("ix_registrations_queue", "workshop_id", "status", "sequence"),
        # Seats left, on every catalogue and workshop page: counted from the index alone.
        sa.Index("ix_registrations_seat_counts", "workshop_id", "status", "constituency"),
    )


class WorkshopSession(db.Model):
    __tablename__ = "workshop_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    # None: a plenary session for everyone.
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    title: Mapped[dict] = mapped_column(JSONData)  # per working language: workshop.text(session.title)
    starts_at: Mapped[datetime] = mapped_column(AwareDateTime())
    ends_at: Mapped[datetime] = mapped_column(AwareDateTime())
    room: Mapped[str] = mapped_column(sa.String(120), default="")

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)
