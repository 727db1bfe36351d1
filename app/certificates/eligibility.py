"""Who has earned which certificate: attendance rate against the workshop's threshold, and the course's modules.

Each function runs a fixed number of queries, whatever the number of sessions or workshops.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.attendance.models import Attendance
from app.attendance.rates import ATTENDED, Rate
from app.certificates.models import CertificateKind
from app.core.timeutil import utcnow
from app.courses.models import Module
from app.extensions import db
from app.progress.models import ModuleProgress
from app.workshops.models import (
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
)


@dataclass(frozen=True)
class Standing:
    """Where one participant stands in one workshop, and the certificate it earns (or None)."""

    workshop: Workshop
    sessions_expected: int  # sessions of theirs that have started
    sessions_attended: int  # of those, marked present or late
    minutes_attended: int  # the summed length of the sessions attended
    modules_total: int
    modules_completed: int

    @property
    def attendance(self) -> Rate:
        return Rate(expected=self.sessions_expected, attended=self.sessions_attended)

    @property
    def rate(self) -> float | None:
        """Attendance rate 0–1, or None before the first of their sessions has started."""
        return self.attendance.value

    @property
    def reaches_threshold(self) -> bool:
        return self.attendance.reaches(self.workshop.attendance_threshold)

    @property
    def completed_course(self) -> bool:
        return self.modules_total > 0 and self.modules_completed >= self.modules_total

    @property
    def kind(self) -> CertificateKind | None:
        if not self.reaches_threshold:
            return None
        return CertificateKind.COMPLETION if self.completed_course else CertificateKind.PARTICIPATION


# The rule of app.attendance.rates, counted here for one person across workshops and with the
# minutes attended, which the certificate prints and the shared per-workshop query does not give.
def _attendance_of(user_id: int, workshop_ids: list[int], now: datetime) -> dict[int, tuple[int, int, int]]:
    """{workshop id: (sessions expected, sessions attended, minutes attended)} for one person, in one query.

    The same definition as the exports' attendance rate: present + late over the sessions the person
    was expected at (their confirmed registration's cohort, and the plenaries) that have started.
    """
    rows = db.session.execute(
        sa.select(WorkshopSession.workshop_id, WorkshopSession.starts_at, WorkshopSession.ends_at, Attendance.status)
        .join(Registration, sa.and_(Registration.workshop_id == WorkshopSession.workshop_id, Registration.user_id == user_id))
        .outerjoin(Attendance, sa.and_(Attendance.session_id == WorkshopSession.id, Attendance.user_id == user_id))
        .where(WorkshopSession.workshop_id.in_(workshop_ids), Registration.status == RegistrationStatus.CONFIRMED,
               WorkshopSession.starts_at <= now,
               sa.or_(WorkshopSession.cohort_id.is_(None), WorkshopSession.cohort_id == Registration.cohort_id))
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for workshop_id, starts_at, ends_at, status in rows:
        total = totals[workshop_id]
        total[0] += 1
        if status in ATTENDED:
            total[1] += 1
            total[2] += round((ends_at - starts_at).total_seconds() / 60)
    return {workshop_id: tuple(total) for workshop_id, total in totals.items()}


def _modules_of(user_id: int, course_ids: set[int]) -> dict[int, tuple[int, int]]:
    """{course id: (modules, modules this person completed)}, retired modules left out, in one query."""
    if not course_ids:
        return {}
    rows = db.session.execute(
        sa.select(Module.course_id, sa.func.count(Module.id), sa.func.count(ModuleProgress.completed_at))
        .outerjoin(ModuleProgress, sa.and_(ModuleProgress.module_id == Module.id, ModuleProgress.user_id == user_id))
        .where(Module.course_id.in_(course_ids), Module.retired_at.is_(None))
        .group_by(Module.course_id)
    )
    return {course_id: (total, completed) for course_id, total, completed in rows}


def standings(user_id: int, workshops: list[Workshop], now: datetime | None = None) -> dict[int, Standing]:
    """The person's standing in each workshop, by workshop id (two queries for any number of workshops)."""
    if not workshops:
        return {}
    now = now or utcnow()
    attendance = _attendance_of(user_id, [w.id for w in workshops], now)
    modules = _modules_of(user_id, {w.course_id for w in workshops if w.course_id is not None})
    result = {}
    for workshop in workshops:
        expected, attended, minutes = attendance.get(workshop.id, (0, 0, 0))
        total, completed = modules.get(workshop.course_id, (0, 0))
        result[workshop.id] = Standing(workshop, expected, attended, minutes, total, completed)
    return result


def standing(user_id: int, workshop: Workshop, now: datetime | None = None) -> Standing:
    return standings(user_id, [workshop], now)[workshop.id]
