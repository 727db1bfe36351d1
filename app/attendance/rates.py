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


def expected_condition():
    """Join condition of a Registration to the sessions its person is expected at, started or not:
    the plenaries and the sessions of their cohort (the roster's rule)."""
    return sa.and_(WorkshopSession.workshop_id == Registration.workshop_id,
                   sa.or_(WorkshopSession.cohort_id.is_(None), WorkshopSession.cohort_id == Registration.cohort_id))


def with_expected_sessions(statement):
    """`statement` (selecting from Registration) joined to each expected session and its mark, if any;
    a registration without any expected session keeps one row with empty session columns."""
    return (statement.outerjoin(WorkshopSession, expected_condition())
            .outerjoin(Attendance, sa.and_(Attendance.session_id == WorkshopSession.id,
                                           Attendance.user_id == Registration.user_id)))


def rate_aggregates(now: datetime | None = None) -> tuple:
    """(expected, attended, excused) as sums over the rows of `with_expected_sessions`.

    Grouped by person they give `attendance_rates`; as window functions (`.over(partition_by=…)`)
    an export gets each person's rate on the same rows that carry their marks.
    """
    started = WorkshopSession.starts_at <= (now or utcnow())

    def count_when(condition):
        return sa.func.sum(sa.case((condition, 1), else_=0))

    return (count_when(started), count_when(sa.and_(started, Attendance.status.in_(ATTENDED))),
            count_when(sa.and_(started, Attendance.status == AttendanceStatus.EXCUSED)))


def attendance_rates(workshop_id: int, now: datetime | None = None) -> dict[int, Rate]:
    """Every confirmed participant's Rate by user id, in one query."""
    statement = with_expected_sessions(
        sa.select(Registration.user_id, *rate_aggregates(now)).select_from(Registration)
    ).where(Registration.workshop_id == workshop_id, Registration.status == RegistrationStatus.CONFIRMED)
    rows = db.session.execute(statement.group_by(Registration.user_id))
    return {user_id: Rate(expected or 0, attended or 0, excused or 0) for user_id, expected, attended, excused in rows}
