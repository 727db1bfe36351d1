"""Attendance taken at the running demo course's past sessions: mostly present, some late, excused or absent."""
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.attendance import roster
from app.attendance.models import Attendance, AttendanceStatus
from app.auth.models import User
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import Workshop, WorkshopSession

# Out of every 20 marks: 16 present, 2 late, 1 excused, 1 absent, spread so that a few people
# fall below the certificate threshold and most reach it.
PATTERN = [AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED, AttendanceStatus.LATE, AttendanceStatus.LATE] + [AttendanceStatus.PRESENT] * 16


def status_for(person_index: int, session_index: int) -> AttendanceStatus:
    """Deterministic: the same demo gives the same marks on every machine."""
    return PATTERN[(person_index * 7 + session_index * 3) % len(PATTERN)]


def take_attendance(workshop: Workshop, trainer: User, always_present: set[int], now: datetime | None = None) -> int:
    """Mark every started session of the workshop that has no mark yet; returns how many sessions.

    Run on each `flask demo load`: sessions that started since the last load get their marks,
    and sessions already marked (by the demo or by someone trying the roster) are left alone.
    """
    now = now or utcnow()
    sessions = db.session.scalars(sa.select(WorkshopSession).where(
        WorkshopSession.workshop_id == workshop.id, WorkshopSession.starts_at <= now).order_by(WorkshopSession.starts_at)).all()
    marked = set(db.session.scalars(sa.select(Attendance.session_id).distinct()
                                    .where(Attendance.session_id.in_([s.id for s in sessions]))))
    taken = 0
    for session_index, session in enumerate(sessions):
        if session.id in marked:
            continue
        people = roster.expected_participants(session)
        choices = {person.id: AttendanceStatus.PRESENT if person.id in always_present else status_for(index, session_index)
                   for index, person in enumerate(sorted(people, key=lambda p: p.id))}
        roster.save_marks(session, trainer, choices, now=min(now, session.starts_at + timedelta(minutes=5)))
        taken += 1
    return taken
