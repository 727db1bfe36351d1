"""Attendance per session and per group for the report: present + late over the sessions expected.

The same rule as `app.attendance.rates` (which gives one rate per person, for the matrix, exports
and certificates), counted here in Python over rows already loaded, to get per-session figures too.

A person is expected at a session when they are a confirmed participant of its cohort, or of
the workshop for a plenary (as `app.attendance.roster` says); only sessions that have started
count. Two queries whatever the number of participants and sessions (`sessions_and_marks`).
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.attendance.models import Attendance, AttendanceStatus
from app.extensions import db
from app.workshops.models import WorkshopSession


@dataclass(frozen=True)
class Rate:
    """Sessions attended (present or late) out of those expected; no rate when none was expected."""

    attended: int = 0
    expected: int = 0

    @property
    def value(self) -> float | None:
        return self.attended / self.expected if self.expected else None

    def __add__(self, other: "Rate") -> "Rate":
        return Rate(self.attended + other.attended, self.expected + other.expected)


@dataclass(frozen=True)
class SessionTally:
    session: WorkshopSession
    started: bool
    rate: Rate  # attended and expected participants (zero when not started)


def sessions_and_marks(workshop_id: int) -> tuple[list[WorkshopSession], dict[tuple[int, int], AttendanceStatus]]:
    """The workshop's sessions in order, and every mark by (session id, user id): two queries."""
    sessions = list(db.session.scalars(
        sa.select(WorkshopSession).where(WorkshopSession.workshop_id == workshop_id).order_by(WorkshopSession.starts_at)
    ))
    marks = db.session.execute(
        sa.select(Attendance.session_id, Attendance.user_id, Attendance.status)
        .join(WorkshopSession, WorkshopSession.id == Attendance.session_id)
        .where(WorkshopSession.workshop_id == workshop_id)
    )
    return sessions, {(session_id, user_id): status for session_id, user_id, status in marks}


def tally(cohort_of: dict[int, int | None], sessions: Iterable[WorkshopSession],
          marks: dict[tuple[int, int], AttendanceStatus], now: datetime) -> tuple[dict[int, Rate], list[SessionTally]]:
    """Each confirmed participant's rate and each session's, from rows already loaded (no query)."""
    attended = {user_id: 0 for user_id in cohort_of}
    expected = {user_id: 0 for user_id in cohort_of}
    per_session = []
    for session in sessions:
        started = session.starts_at <= now
        here = [user_id for user_id, cohort_id in cohort_of.items()
                if session.cohort_id is None or session.cohort_id == cohort_id] if started else []
        came = [user_id for user_id in here if (status := marks.get((session.id, user_id))) is not None and status.attended]
        for user_id in here:
            expected[user_id] += 1
        for user_id in came:
            attended[user_id] += 1
        per_session.append(SessionTally(session, started, Rate(len(came), len(here))))
    return {user_id: Rate(attended[user_id], expected[user_id]) for user_id in cohort_of}, per_session
