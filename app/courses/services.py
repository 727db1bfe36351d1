"""Reading courses: the catalogue, one course's outline, one module's sections.

Everything here reads the content snapshot (`courses.cache`): plain values, loaded in four queries
once per content version and process, then read from memory. Nothing here queries per request.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.i18n import sort_key
from app.core.translated import pick
from app.courses.cache import cached
from app.courses.models import Course, Module, Section
from app.extensions import db


class ContentNotFound(DomainError):
    def default_message(self):
        return _l("This course page does not exist.")


@dataclass(frozen=True, slots=True)
class CourseEntry:
    """An active course as pages read it (a plain value; treat its dicts as read-only)."""

    id: int
    key: str
    position: int
    title: dict
    summary: dict
    glossary: list

    def t_title(self) -> str:
        return pick(self.title)

    def t_summary(self) -> str:
        return pick(self.summary)


@dataclass(frozen=True, slots=True)
class ModuleEntry:
    id: int
    course_id: int
    key: str
    position: int
    title: dict
    summary: dict
    key_figures: dict
    sources: dict
    minutes: int

    def t_title(self) -> str:
        return pick(self.title)

    def t_summary(self) -> str:
        return pick(self.summary)

    def t_key_figures(self) -> list[str]:
        return pick(self.key_figures, default=[])

    def t_sources(self) -> list[str]:
        return pick(self.sources, default=[])


@dataclass(frozen=True, slots=True)
class SectionEntry:
    id: int
    module_id: int
    key: str
    position: int
    title: dict
    words: int

    def t_title(self) -> str:
        return pick(self.title)


@dataclass(frozen=True)
class Catalogue:
    """The active content, indexed the ways pages look it up."""

    courses: tuple[CourseEntry, ...]
    modules: dict[int, tuple[ModuleEntry, ...]] = field(default_factory=dict)  # by course id
    sections: dict[int, tuple[SectionEntry, ...]] = field(default_factory=dict)  # by module id
    html: dict[int, dict] = field(default_factory=dict)  # by section id


def _load_catalogue() -> Catalogue:
    courses = tuple(
        CourseEntry(c.id, c.key, c.position, c.title, c.summary, c.glossary or [])
        for c in db.session.scalars(sa.select(Course).where(Course.retired_at.is_(None))
                                    .order_by(Course.position, Course.id).options(sa.orm.undefer(Course.glossary)))
    )
    course_ids = [course.id for course in courses]
    modules: dict[int, list[ModuleEntry]] = {course_id: [] for course_id in course_ids}
    for m in db.session.scalars(sa.select(Module).where(Module.course_id.in_(course_ids), Module.retired_at.is_(None))
                                .order_by(Module.course_id, Module.position, Module.id)):
        modules[m.course_id].append(ModuleEntry(m.id, m.course_id, m.key, m.position, m.title, m.summary,
                                                m.key_figures, m.sources, m.minutes))
    module_ids = [module.id for entries in modules.values() for module in entries]
    sections: dict[int, list[SectionEntry]] = {module_id: [] for module_id in module_ids}
    html: dict[int, dict] = {}
    rows = db.session.execute(
        sa.select(Section.id, Section.module_id, Section.key, Section.position, Section.title, Section.words, Section.html)
        .where(Section.module_id.in_(module_ids), Section.retired_at.is_(None))
        .order_by(Section.module_id, Section.position, Section.id)
    ) if module_ids else []
    for row in rows:
        sections[row.module_id].append(SectionEntry(row.id, row.module_id, row.key, row.position, row.title, row.words))
        html[row.id] = row.html or {}
    return Catalogue(courses=courses, modules={k: tuple(v) for k, v in modules.items()},
                     sections={k: tuple(v) for k, v in sections.items()}, html=html)


def catalogue() -> Catalogue:
    return cached("courses", _load_catalogue)


def active_courses() -> list[CourseEntry]:
    return list(catalogue().courses)


def get_course(course_key: str) -> CourseEntry:
    course = next((course for course in catalogue().courses if course.key == course_key), None)
    if course is None:
        raise ContentNotFound()
    return course


def course_modules(course_ids: list[int]) -> list[ModuleEntry]:
    """Active modules of these courses, in order."""
    modules = catalogue().modules
    return [module for course_id in sorted(set(course_ids)) for module in modules.get(course_id, ())]


def section_ids_by_module(module_ids: list[int]) -> dict[int, list[int]]:
    """Active section ids per module, in order."""
    sections = catalogue().sections
    return {module_id: [section.id for section in sections.get(module_id, ())] for module_id in module_ids}


def get_module(course_key: str, module_key: str) -> tuple[CourseEntry, ModuleEntry]:
    course = get_course(course_key)
    module = next((module for module in catalogue().modules.get(course.id, ()) if module.key == module_key), None)
    if module is None:
        raise ContentNotFound()
    return course, module


def section_outline(module: ModuleEntry) -> list[SectionEntry]:
    """The module's active sections, in order (titles: the HTML is read by `section_html`)."""
    return list(catalogue().sections.get(module.id, ()))


def section_html(section_id: int) -> dict:
    return catalogue().html.get(section_id, {})


@dataclass(frozen=True)
class GlossaryEntry:
    key: str
    term: str
    definition: str


def glossary(course: CourseEntry, lang: str) -> list[GlossaryEntry]:
    """The course's terms in `lang` (English where a text is missing), in that language's alphabetical order."""
    entries = [GlossaryEntry(item["key"], pick(item["term"], lang), pick(item["definition"], lang))
               for item in course.glossary or []]
    return sorted(entries, key=lambda entry: sort_key(entry.term))
