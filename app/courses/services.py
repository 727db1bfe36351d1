"""Reading courses: the catalogue, one course's outline, one module's sections. Fixed query counts."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.i18n import sort_key
from app.core.translated import pick
from app.courses.models import Course, Module, Section
from app.extensions import db


class ContentNotFound(DomainError):
    def default_message(self):
        return _l("This course page does not exist.")


def active_courses() -> list[Course]:
    return list(db.session.scalars(sa.select(Course).where(Course.retired_at.is_(None)).order_by(Course.position, Course.id)))


def get_course(course_key: str) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.key == course_key, Course.retired_at.is_(None)))
    if course is None:
        raise ContentNotFound()
    return course


def course_modules(course_ids: list[int]) -> list[Module]:
    """Active modules of these courses, in order (one query)."""
    if not course_ids:
        return []
    return list(db.session.scalars(
        sa.select(Module)
        .where(Module.course_id.in_(course_ids), Module.retired_at.is_(None))
        .order_by(Module.course_id, Module.position)
    ))


def section_ids_by_module(module_ids: list[int]) -> dict[int, list[int]]:
    """Active section ids per module, in order (one query, ids only: no HTML is loaded)."""
    result: dict[int, list[int]] = {module_id: [] for module_id in module_ids}
    if module_ids:
        rows = db.session.execute(
            sa.select(Section.module_id, Section.id)
            .where(Section.module_id.in_(module_ids), Section.retired_at.is_(None))
            .order_by(Section.module_id, Section.position)
        )
        for module_id, section_id in rows:
            result[module_id].append(section_id)
    return result


def get_module(course_key: str, module_key: str) -> tuple[Course, Module]:
    row = db.session.execute(
        sa.select(Course, Module)
        .join(Module, Module.course_id == Course.id)
        .where(Course.key == course_key, Module.key == module_key,
               Course.retired_at.is_(None), Module.retired_at.is_(None))
    ).first()
    if row is None:
        raise ContentNotFound()
    return row.Course, row.Module


def section_outline(module: Module) -> list[Section]:
    """The module's active sections, titles only (the HTML stays deferred)."""
    return list(db.session.scalars(
        sa.select(Section)
        .where(Section.module_id == module.id, Section.retired_at.is_(None))
        .order_by(Section.position)
        .options(sa.orm.defer(Section.html))
    ))


def section_html(section_id: int) -> dict:
    return db.session.scalar(sa.select(Section.html).where(Section.id == section_id)) or {}


@dataclass(frozen=True)
class GlossaryEntry:
    key: str
    term: str
    definition: str


def glossary(course: Course, lang: str) -> list[GlossaryEntry]:
    """The course's terms in `lang` (English where a text is missing), in that language's alphabetical order."""
    entries = [GlossaryEntry(item["key"], pick(item["term"], lang), pick(item["definition"], lang))
               for item in course.glossary or []]
    return sorted(entries, key=lambda entry: sort_key(entry.term))
