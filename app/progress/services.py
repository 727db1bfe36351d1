"""Progress rules: a section read, a quiz result, completion, and where a participant stands.

Progress sits above courses and quizzes: it looks up a module's sections and quiz itself, so
callers pass only what happened. Services flush; the request commits.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa

from app.core.timeutil import utcnow
from app.courses import services as courses
from app.courses.services import CourseEntry, ModuleEntry, SectionEntry
from app.extensions import db
from app.progress.models import ModuleProgress, ProgressStatus
from app.quizzes.models import Quiz, QuizAttempt


@dataclass(frozen=True)
class ModuleStanding:
    """One module as a participant sees it in a list: sections read, status, best score."""

    module: ModuleEntry
    sections: int
    read: int
    status: ProgressStatus
    best_score: int | None


@dataclass
class CourseStanding:
    course: CourseEntry
    modules: list[ModuleStanding] = field(default_factory=list)

    @property
    def sections(self) -> int:
        return sum(standing.sections for standing in self.modules)

    @property
    def read(self) -> int:
        return sum(standing.read for standing in self.modules)

    @property
    def completed(self) -> int:
        return sum(standing.status == ProgressStatus.COMPLETED for standing in self.modules)


class Resume(NamedTuple):
    """Where to continue: the module touched last and not completed."""

    course: CourseEntry
    module: ModuleEntry


@dataclass(frozen=True)
class LearningOverview:
    courses: list[CourseStanding]
    resume: Resume | None


def progress_by_module(user_id: int, module_ids: list[int]) -> dict[int, ModuleProgress]:
    if not module_ids:
        return {}
    rows = db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.user_id == user_id, ModuleProgress.module_id.in_(module_ids))
    )
    return {row.module_id: row for row in rows}


def progress_of(user_id: int, module_id: int) -> ModuleProgress | None:
    return progress_by_module(user_id, [module_id]).get(module_id)


def _locked(user_id: int, module_id: int) -> ModuleProgress | None:
    """The row reloaded under its lock (SELECT … FOR UPDATE; SQLite already holds its write lock)."""
    return db.session.scalar(
        sa.select(ModuleProgress).where(ModuleProgress.user_id == user_id, ModuleProgress.module_id == module_id)
        .with_for_update().execution_options(populate_existing=True)
    )


def _change(user_id: int, module_id: int, change: Callable[[ModuleProgress], None]) -> ModuleProgress:
    """Apply `change` to the participant's row for this module, locked until the request commits.

    Sections read are a list changed by read-modify-write: without the lock, tabs marking
    sections at the same instant each write their own list and the last one wins. A new row is
    inserted already changed (one statement, not an INSERT then an UPDATE).
    """
    progress = _locked(user_id, module_id)
    if progress is None:
        progress = ModuleProgress(user_id=user_id, module_id=module_id, sections_read=[], quiz_passed=False)
        change(progress)
        try:
            # Two tabs racing to create the row: the unique constraint lets one win, the other waits for it.
            with db.session.begin_nested():
                db.session.add(progress)
            return progress
        except sa.exc.IntegrityError:
            progress = _locked(user_id, module_id)
    change(progress)
    db.session.flush()
    return progress


def read_count(progress: ModuleProgress | None, section_ids: list[int]) -> int:
    if progress is None:
        return 0
    read = set(progress.sections_read or [])
    return sum(1 for section_id in section_ids if section_id in read)


def first_unread(progress: ModuleProgress | None, section_ids: list[int]) -> int | None:
    read = set(progress.sections_read or []) if progress else set()
    return next((section_id for section_id in section_ids if section_id not in read), None)


def status(progress: ModuleProgress | None) -> ProgressStatus:
    if progress is None:
        return ProgressStatus.NOT_STARTED
    if progress.completed_at is not None:
        return ProgressStatus.COMPLETED
    if progress.sections_read or progress.best_score is not None:
        return ProgressStatus.IN_PROGRESS
    return ProgressStatus.NOT_STARTED


def _has_quiz(module_id: int) -> bool:
    return db.session.scalar(sa.select(Quiz.id).where(Quiz.module_id == module_id)) is not None


def _update_completion(progress: ModuleProgress) -> None:
    """Completed when every active section is read and the quiz (if any) passed; then it stays so."""
    if progress.completed_at is not None:
        return  # completed stays completed, even when a section is added later
    section_ids = courses.section_ids_by_module([progress.module_id])[progress.module_id]
    if read_count(progress, section_ids) < len(section_ids):
        return
    if progress.quiz_passed or not _has_quiz(progress.module_id):
        progress.completed_at = utcnow()


def mark_section_read(user_id: int, section: SectionEntry) -> ModuleProgress:
    def read(progress: ModuleProgress) -> None:
        if section.id not in (progress.sections_read or []):
            progress.sections_read = [*(progress.sections_read or []), section.id]
        progress.last_section_id = section.id
        _update_completion(progress)

    return _change(user_id, section.module_id, read)


def record_quiz_result(attempt: QuizAttempt, module_id: int) -> ModuleProgress:
    """A graded attempt counts towards its module (the quiz's): the best score, a pass, perhaps completion."""
    def graded(progress: ModuleProgress) -> None:
        if progress.best_score is None or attempt.score > progress.best_score:
            progress.best_score = attempt.score
        if attempt.passed:
            progress.quiz_passed = True
        _update_completion(progress)

    return _change(attempt.user_id, module_id, graded)


def module_standings(user_id: int, modules: list[ModuleEntry]) -> list[ModuleStanding]:
    """Each module with the participant's progress in it: two queries whatever the number of modules."""
    module_ids = [module.id for module in modules]
    sections = courses.section_ids_by_module(module_ids)
    rows = progress_by_module(user_id, module_ids)
    return [
        ModuleStanding(module=module, sections=len(sections[module.id]), read=read_count(rows.get(module.id), sections[module.id]),
                       status=status(rows.get(module.id)), best_score=getattr(rows.get(module.id), "best_score", None))
        for module in modules
    ]


def last_visited(user_id: int) -> ModuleProgress | None:
    """The module the participant touched last and has not completed: "continue where you left off"."""
    return db.session.scalar(
        sa.select(ModuleProgress)
        .where(ModuleProgress.user_id == user_id, ModuleProgress.completed_at.is_(None))
        .order_by(ModuleProgress.updated_at.desc(), ModuleProgress.id.desc())
        .limit(1)
    )


def learning_overview(user_id: int) -> LearningOverview:
    """Every course with each module's progress, and where to continue. Five queries in all."""
    course_list = courses.active_courses()
    modules = courses.course_modules([course.id for course in course_list])
    by_course = {course.id: CourseStanding(course) for course in course_list}
    for standing in module_standings(user_id, modules):
        by_course[standing.module.course_id].modules.append(standing)
    last = last_visited(user_id)
    module = next((m for m in modules if last is not None and m.id == last.module_id), None)
    resume = Resume(by_course[module.course_id].course, module) if module is not None else None
    return LearningOverview(courses=list(by_course.values()), resume=resume)
