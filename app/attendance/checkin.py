"""Self check-in: a short code the trainer opens for a session, and a participant marking themselves.

Codes are 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L), drawn with
`secrets`: 31⁶ ≈ 887 million codes, a few of them open at any moment, and guessing is
rate-limited per person and per address on the check-in page.
"""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import segno
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.attendance.errors import (
    CheckInClosed,
    CheckInNotAvailable,
    CodeExpired,
    NotExpected,
    OtherCohort,
    UnknownCode,
)
from app.attendance.models import Attendance, AttendanceStatus, CheckIn, MarkSource
from app.attendance.roster import check_in_of, upsert
from app.auth.models import User
from app.core import audit
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.locking import lock
from app.workshops.models import (
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
)

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize(code: str) -> str | None:
    """What a person typed ("ab3-k9q ") as a stored code ("AB3K9Q"), or None if it cannot be one."""
    cleaned = "".join(code.split()).replace("-", "").upper()
    if len(cleaned) != CODE_LENGTH or any(character not in ALPHABET for character in cleaned):
        return None
    return cleaned


def open_check_in(session: WorkshopSession, actor: User, *, minutes: int, opens_before: int,
                  now: datetime | None = None) -> CheckIn:
    """Open (or keep open for another `minutes`) the session's check-in.

    Allowed from `opens_before` minutes before the session starts until it ends. An open
    check-in keeps its code, so a double click or a second trainer does not invalidate a
    code already on the screen; a closed or expired one gets a new code.
    """
    now = now or utcnow()
    if now >= session.ends_at:
        raise CheckInNotAvailable(_l("This session has ended: take attendance on the roster instead."))
    if now < session.starts_at - timedelta(minutes=opens_before):
        raise CheckInNotAvailable(_l("Check-in opens %(minutes)d minutes before the session starts.", minutes=opens_before))
    lock(session.workshop_id)  # one check-in row per session, even when two trainers open it at once
    check_in = check_in_of(session.id)
    if check_in is None or not check_in.is_open(now):
        code = _unused_code()
        if check_in is None:
            check_in = CheckIn(session_id=session.id, code=code)
            db.session.add(check_in)
        check_in.code, check_in.opened_at = code, now
    check_in.closed_at = None
    check_in.opened_by_id = actor.id
    check_in.expires_at = now + timedelta(minutes=minutes)
    db.session.flush()
    audit.record(actor, "checkin.opened", "session", session.id, check_in.code)
    return check_in


def _unused_code() -> str:
    while True:
        code = new_code()
        if db.session.scalar(sa.select(CheckIn.id).where(CheckIn.code == code)) is None:
            return code


@dataclass(frozen=True)
class Found:
    check_in: CheckIn
    session: WorkshopSession
    workshop: Workshop


def find(code: str) -> Found | None:
    """The check-in with this code, its session and workshop, in one query."""
    code = normalize(code)
    if code is None:
        return None
    row = db.session.execute(
        sa.select(CheckIn, WorkshopSession, Workshop)
        .join(WorkshopSession, WorkshopSession.id == CheckIn.session_id)
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .where(CheckIn.code == code)
    ).first()
    return Found(*row) if row else None


def refusal(found: Found | None, user: User, now: datetime | None = None):
    """Why this person cannot check in with this code now, as a DomainError, or None if they can."""
    now = now or utcnow()
    if found is None:
        return UnknownCode()
    if found.check_in.closed_at is not None or now >= found.session.ends_at:
        return CheckInClosed()
    if not found.check_in.is_open(now):
        return CodeExpired()
    registration = db.session.scalar(sa.select(Registration).where(
        Registration.workshop_id == found.session.workshop_id, Registration.user_id == user.id))
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return NotExpected()
    if found.session.cohort_id is not None and registration.cohort_id != found.session.cohort_id:
        return OtherCohort()
    return None


@dataclass(frozen=True)
class CheckedIn:
    mark: Attendance
    new: bool  # False: a mark was already there (an earlier check-in, or the trainer's) and was kept


def check_in(code: str, user: User, *, grace_minutes: int, now: datetime | None = None) -> CheckedIn:
    """Mark `user` present (late after the grace period) at the session of `code`.

    An existing mark is never overwritten: a trainer's mark always wins, and a double click
    checks in once. Two requests of the same person at the same instant meet at the unique
    (session, user) constraint, and the second does nothing.
    """
    now = now or utcnow()
    found = find(code)
    error = refusal(found, user, now)
    if error is not None:
        raise error
    session = found.session
    status = AttendanceStatus.LATE if would_be_late(session, grace_minutes, now) else AttendanceStatus.PRESENT
    inserted = db.session.execute(
        upsert().values(session_id=session.id, user_id=user.id, status=status, source=MarkSource.SELF,
                        marked_by_id=user.id, marked_at=now)
        .on_conflict_do_nothing(index_elements=["session_id", "user_id"]).returning(Attendance.__table__.c.id)
    ).scalar() is not None
    if inserted:
        audit.record(user, "attendance.checked_in", "session", session.id, f"user {user.id}: - -> {status.value}")
        db.session.flush()
    return CheckedIn(mark_of(session.id, user.id), inserted)


def qr_svg(url: str) -> Markup:
    """The URL as an inline SVG QR code (no external request, scales to any screen)."""
    qr = segno.make_qr(url, error="m")
    return Markup(qr.svg_inline(scale=8, border=2, dark="#1b1f24", light="#ffffff",
                                title=str(_l("QR code for check-in")), svgclass="qr", lineclass=None, omitsize=True))


def mark_of(session_id: int, user_id: int) -> Attendance | None:
    return db.session.scalar(sa.select(Attendance).where(Attendance.session_id == session_id, Attendance.user_id == user_id))


def would_be_late(session: WorkshopSession, grace_minutes: int, now: datetime) -> bool:
    return now > session.starts_at + timedelta(minutes=grace_minutes)
