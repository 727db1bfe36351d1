"""The progress matrix: a workshop's confirmed participants × its course's modules, in a fixed number of queries."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.attendance.rates import Rate, attendance_rates
from app.auth.models import User
from app.core.timeutil import utcnow
from app.courses import services as courses
from app.courses.models import Course, Module
from app.extensions import db
from app.progress.models import ModuleProgress
from app.workshops.models import Registration, RegistrationStatus, Workshop

NO_COHORT = "none"


@dataclass(frozen=True)
class Cell:
    """One participant in one module."""

    read: int
    sections: int
    best_score: int | None
    completed: bool

    @property
    def started(self) -> bool:
        return self.completed or self.read > 0 or self.best_score is not None


@dataclass(frozen=True)
class Line:
    user: User
    cohort_id: int | None
    rate: Rate
    cells: list[Cell]

    @property
    def completed(self) -> int:
        return sum(cell.completed for cell in self.cells)


@dataclass(frozen=True)
class Matrix:
    course: Course | None
    modules: list[Module]
    lines: list[Line]

    def completed_in(self, index: int) -> int:
        return sum(line.cells[index].completed for line in self.lines)


def course_and_modules(workshop: Workshop) -> tuple[Course | None, list[Module]]:
    """The workshop's course (None if it has none or it was retired) and its active modules: two queries."""
    course = db.session.get(Course, workshop.course_id) if workshop.course_id else None
    if course is None or course.retired_at is not None:
        return None, []
    return course, courses.course_modules([course.id])


def progress_rows(user_ids, module_ids: list[int]) -> dict[tuple[int, int], ModuleProgress]:
    """(user id, module id) → progress; `user_ids` may be a list or a subquery. One query."""
    if not module_ids:
        return {}
    rows = db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.module_id.in_(module_ids), ModuleProgress.user_id.in_(user_ids))
    )
    return {(row.user_id, row.module_id): row for row in rows}


def cell(progress: ModuleProgress | None, section_ids: list[int]) -> Cell:
    if progress is None:
        return Cell(0, len(section_ids), None, False)
    read = set(progress.sections_read or [])
    return Cell(sum(1 for section_id in section_ids if section_id in read), len(section_ids), progress.best_score,
                progress.completed_at is not None)


def progress_matrix(workshop: Workshop, cohort: int | str | None = None, now: datetime | None = None) -> Matrix:
    """Confirmed participants sorted by name, all of them, of one cohort (an id) or of none (`NO_COHORT`)."""
    statement = (
        sa.select(User, Registration.cohort_id).join(Registration, Registration.user_id == User.id)
        .where(Registration.workshop_id == workshop.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(sa.func.lower(User.name), User.id)
    )
    if cohort == NO_COHORT:
        statement = statement.where(Registration.cohort_id.is_(None))
    elif cohort is not None:
        statement = statement.where(Registration.cohort_id == cohort)
    people = db.session.execute(statement).all()
    rates = attendance_rates(workshop.id, now or utcnow())
    course, modules = course_and_modules(workshop)
    module_ids = [module.id for module in modules]
    sections = courses.section_ids_by_module(module_ids)
    rows = progress_rows([user.id for user, _cohort in people], module_ids) if people else {}
    lines = [
        Line(user, cohort_id, rates.get(user.id, Rate(expected=0, attended=0)),
             [cell(rows.get((user.id, module.id)), sections[module.id]) for module in modules])
        for user, cohort_id in people
    ]
    return Matrix(course, modules, lines)
