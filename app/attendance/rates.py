"""Attendance rates: the one definition that exports, the report and certificates share.

A participant's rate is the sessions they attended over the sessions they were expected at that
have started by `now`:

- expected: the workshop's sessions that have started, that are plenaries or sessions of the
  cohort the confirmed participant is in now (the roster's rule, `roster.expected_query`);
- attended: of those, the ones marked present or late;
- excused counts as not attended: the session stays in the denominator. The rate measures the
  time a person actually spent in the room, which is what a certificate of participation
  certifies; the excused count is kept beside it so that a page can say why someone fell short;
- a started session with no mark yet counts as not attended (closing attendance marks it absent).

Only confirmed registrations have a rate; a confirmed participant with no started session has
`expected == 0` and a rate of None (not 0%).
"""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.attendance.models import Attendance, AttendanceStatus
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import Registration, RegistrationStatus, WorkshopSession

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass(frozen=True)
class Rate:
    expected: int  # started sessions the person was expected at
    attended: int  # of those, marked present or late
    excused: int = 0  # of those, marked excused (not attended)

    @property
    def value(self) -> float | None:
        """Between 0 and 1, or None when no session was expected yet."""
        return self.attended / self.expected if self.expected else None

    def reaches(self, percent: int) -> bool:
        """Whether the rate is at least `percent` (0–100), in integers (0.7 * 10 is not 7 in floats);
        never true before any session was expected."""
        return self.expected > 0 and self.attended * 100 >= percent * self.expected


def rates_subquery(workshop_id: int, now: datetime | None = None):
    """(user_id, expected, attended, excused) per confirmed participant, as a subquery to join to.

    Exports join it to their own streaming query instead of loading every rate first.
    """
    now = now or utcnow()
    session, registration, mark = WorkshopSession, Registration, Attendance

    def count_of(*statuses):
        return sa.func.coalesce(sa.func.sum(sa.case((mark.status.in_(statuses), 1), else_=0)), 0)

    return (
        sa.select(registration.user_id.label("user_id"), sa.func.count(session.id).label("expected"),
                  count_of(*ATTENDED).label("attended"), count_of(AttendanceStatus.EXCUSED).label("excused"))
        .select_from(registration)
        .outerjoin(session, sa.and_(
            session.workshop_id == registration.workshop_id, session.starts_at <= now,
            sa.or_(session.cohort_id.is_(None), session.cohort_id == registration.cohort_id)))
        .outerjoin(mark, sa.and_(mark.session_id == session.id, mark.user_id == registration.user_id))
        .where(registration.workshop_id == workshop_id, registration.status == RegistrationStatus.CONFIRMED)
        .group_by(registration.user_id)
        .subquery("rates")
    )


def attendance_rates(workshop_id: int, now: datetime | None = None) -> dict[int, Rate]:
    """Every confirmed participant's Rate by user id, in one query."""
    rates = rates_subquery(workshop_id, now)
    return {user_id: Rate(expected, attended, excused)
            for user_id, expected, attended, excused in db.session.execute(sa.select(rates))}
