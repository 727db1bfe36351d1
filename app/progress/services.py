"""Progress rules: a section read, a quiz result, completion. Services flush, views commit."""
import sqlalchemy as sa

from app.core.timeutil import utcnow
from app.extensions import db
from app.progress.models import ModuleProgress


def progress_by_module(user_id: int, module_ids: list[int]) -> dict[int, ModuleProgress]:
    if not module_ids:
        return {}
    rows = db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.user_id == user_id, ModuleProgress.module_id.in_(module_ids))
    )
    return {row.module_id: row for row in rows}


def get_or_create(user_id: int, module_id: int) -> ModuleProgress:
    progress = db.session.scalar(
        sa.select(ModuleProgress).where(ModuleProgress.user_id == user_id, ModuleProgress.module_id == module_id)
    )
    if progress is not None:
        return progress
    progress = ModuleProgress(user_id=user_id, module_id=module_id, sections_read=[], quiz_passed=False)
    try:
        # Two tabs racing to create the row: the unique constraint lets one win, the other reloads.
        with db.session.begin_nested():
            db.session.add(progress)
    except sa.exc.IntegrityError:
        return db.session.scalar(
            sa.select(ModuleProgress).where(ModuleProgress.user_id == user_id, ModuleProgress.module_id == module_id)
        )
    return progress


def read_count(progress: ModuleProgress | None, section_ids: list[int]) -> int:
    if progress is None:
        return 0
    read = set(progress.sections_read or [])
    return sum(1 for section_id in section_ids if section_id in read)


def first_unread(progress: ModuleProgress | None, section_ids: list[int]) -> int | None:
    read = set(progress.sections_read or []) if progress else set()
    return next((section_id for section_id in section_ids if section_id not in read), None)


def _update_completion(progress: ModuleProgress, section_ids: list[int], has_quiz: bool) -> None:
    if progress.completed_at is not None:
        return  # completed stays completed, even when a section is added later
    all_read = read_count(progress, section_ids) == len(section_ids)
    if all_read and (progress.quiz_passed or not has_quiz):
        progress.completed_at = utcnow()


def mark_section_read(user_id: int, module_id: int, section_id: int, section_ids: list[int], has_quiz: bool) -> ModuleProgress:
    progress = get_or_create(user_id, module_id)
    if section_id not in (progress.sections_read or []):
        progress.sections_read = [*(progress.sections_read or []), section_id]
    progress.last_section_id = section_id
    _update_completion(progress, section_ids, has_quiz)
    return progress


def record_quiz_result(user_id: int, module_id: int, score: int, passed: bool, section_ids: list[int]) -> ModuleProgress:
    progress = get_or_create(user_id, module_id)
    if progress.best_score is None or score > progress.best_score:
        progress.best_score = score
    if passed:
        progress.quiz_passed = True
    _update_completion(progress, section_ids, has_quiz=True)
    return progress


def status(progress: ModuleProgress | None, section_ids: list[int]) -> str:
    """"completed", "in_progress" or "not_started", for labels and styles."""
    if progress is None:
        return "not_started"
    if progress.completed_at is not None:
        return "completed"
    return "in_progress" if progress.sections_read or progress.best_score is not None else "not_started"


def last_visited(user_id: int) -> ModuleProgress | None:
    """The module the participant touched last and has not completed: "continue where you left off"."""
    return db.session.scalar(
        sa.select(ModuleProgress)
        .where(ModuleProgress.user_id == user_id, ModuleProgress.completed_at.is_(None))
        .order_by(ModuleProgress.updated_at.desc(), ModuleProgress.id.desc())
        .limit(1)
    )


def learning_overview(user_id: int) -> dict:
    """Every course with each module's progress, overall progress, and where to continue.

    Five queries whatever the number of courses, modules or attempts.
    """
    from app.courses import services as courses

    course_list = courses.active_courses()
    modules = courses.course_modules([course.id for course in course_list])
    module_ids = [module.id for module in modules]
    sections = courses.section_ids_by_module(module_ids)
    rows = progress_by_module(user_id, module_ids)
    by_course = {course.id: {"course": course, "modules": [], "read": 0, "sections": 0, "completed": 0} for course in course_list}
    module_course = {}
    for module in modules:
        entry = by_course[module.course_id]
        row, ids = rows.get(module.id), sections[module.id]
        read = read_count(row, ids)
        entry["modules"].append({"module": module, "read": read, "sections": len(ids), "status": status(row, ids),
                                 "best_score": row.best_score if row else None})
        entry["read"] += read
        entry["sections"] += len(ids)
        entry["completed"] += status(row, ids) == "completed"
        module_course[module.id] = entry["course"]
    last = last_visited(user_id)
    resume = None
    if last is not None and last.module_id in module_course:
        resume = {"course": module_course[last.module_id], "module": next(m for m in modules if m.id == last.module_id)}
    return {"courses": list(by_course.values()), "resume": resume}
