"""Upsert a validated ContentTree into the database by stable keys; retire what is gone, never delete.

Rows are matched by key (course; module in course; section in module; the quiz of a module;
question in quiz; choice in question), so ids — and the progress and quiz attempts that point
at them — survive every edit. An attribute is only assigned when its value differs, so a
re-run on unchanged content writes nothing at all.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from app.content.markdown import count_words, render_markdown
from app.content.tree import ContentTree, ModuleContent
from app.core.timeutil import utcnow
from app.courses.cache import bump_version
from app.courses.models import Course, Module, Section
from app.extensions import db
from app.quizzes.models import Choice, Question, QuestionType, Quiz

WORDS_PER_MINUTE = 200
QUESTIONS_PER_MINUTE = 2
SYNC_LOCK_ID = 0x636F6E74656E74  # "content": the advisory lock that serialises syncs on PostgreSQL

Row = TypeVar("Row", Course, Module, Section, Quiz, Question, Choice)


def module_minutes(module: ModuleContent) -> int:
    """Minutes a module takes: reading its English text, then answering its quiz."""
    words = sum(count_words(section.body.get("en", "")) for section in module.sections)
    questions = len(module.quiz.questions) if module.quiz else 0
    return math.ceil(words / WORDS_PER_MINUTE) + math.ceil(questions / QUESTIONS_PER_MINUTE)


@dataclass
class SyncReport:
    """Rows per outcome. created + updated + unchanged is the number of rows in the content;
    retired counts rows newly retired (already retired ones are left out)."""

    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, retired {self.retired}, unchanged {self.unchanged}"


def sync_content(tree: ContentTree) -> SyncReport:
    """Make the database match `tree` (which must have passed validation). Flushes, never commits.

    A sync that changed anything bumps the content version in the same transaction: every
    server's content cache reloads when it sees the new version (see courses.cache).
    """
    report = _Sync(utcnow()).run(tree)
    if report.created or report.updated or report.retired:
        bump_version()
    return report


class _Sync:
    def __init__(self, now: datetime):
        self.now = now
        self.report = SyncReport()
        self.session = db.session

    def run(self, tree: ContentTree) -> SyncReport:
        self._lock()
        # Content is small (a few courses): six queries load every existing row, indexed by
        # (parent id, key); what is left in the indexes at the end is gone from content.
        select = self.session.scalars
        courses = {c.key: c for c in select(sa.select(Course))}
        modules = {(m.course_id, m.key): m for m in select(sa.select(Module))}
        sections = {(s.module_id, s.key): s for s in select(sa.select(Section))}
        quizzes = {q.module_id: q for q in select(sa.select(Quiz))}
        questions = {(q.quiz_id, q.key): q for q in select(sa.select(Question))}
        choices = {(c.question_id, c.key): c for c in select(sa.select(Choice))}

        # One level at a time, flushing in between: new rows need their parent's id, and
        # the inserts of a level go out together.
        course_rows = []
        for position, course in enumerate(tree.courses):
            glossary = [{"key": t.key, "term": t.term, "definition": t.definition} for t in course.glossary]
            row = self._upsert(courses, course.key, Course, key=course.key, position=position,
                               title=course.title, summary=course.summary, glossary=glossary, retired_at=None)
            course_rows.append((row, course))
        self.session.flush()

        module_rows = []
        for course_row, course in course_rows:
            for position, module in enumerate(course.modules):
                row = self._upsert(
                    modules, (course_row.id, module.key), Module,
                    course_id=course_row.id, key=module.key, position=position,
                    title=module.title, summary=module.summary, key_figures=module.key_figures,
                    sources=module.sources, minutes=module_minutes(module), retired_at=None,
                )
                module_rows.append((row, module, f"/courses/{course.key}/{module.key}/"))
        self.session.flush()

        quiz_rows = []
        for module_row, module, base in module_rows:
            for position, section in enumerate(module.sections):
                self._upsert(
                    sections, (module_row.id, section.key), Section,
                    module_id=module_row.id, key=section.key, position=position, title=section.title,
                    html={lang: render_markdown(body, base) for lang, body in section.body.items()},
                    words=count_words(section.body.get("en", "")), retired_at=None,
                )
            if module.quiz is None:
                raise ValueError(f"module {module.key!r} has no quiz: sync only content that passed validation")
            quiz = self._upsert(quizzes, module_row.id, Quiz, module_id=module_row.id,
                                pass_mark=module.quiz.pass_mark, max_attempts=module.quiz.max_attempts)
            quiz_rows.append((quiz, module.quiz))
        self.session.flush()

        question_rows = []
        for quiz_row, quiz in quiz_rows:
            for position, question in enumerate(quiz.questions):
                row = self._upsert(
                    questions, (quiz_row.id, question.key), Question,
                    quiz_id=quiz_row.id, key=question.key, position=position, type=QuestionType(question.type),
                    text=question.text, explanation=question.explanation, retired_at=None,
                )
                question_rows.append((row, question))
        self.session.flush()

        for question_row, question in question_rows:
            for position, choice in enumerate(question.choices):
                self._upsert(
                    choices, (question_row.id, choice.key), Choice,
                    question_id=question_row.id, key=choice.key, position=position, correct=choice.correct,
                    text=choice.text, feedback=choice.feedback, retired_at=None,
                )

        # A quiz has no retired_at: it goes with its module.
        for index in (courses, modules, sections, questions, choices):
            for row in index.values():
                if row.retired_at is None:
                    row.retired_at = self.now
                    self.report.retired += 1
        self.session.flush()
        return self.report

    def _lock(self) -> None:
        """Two hosts deploying at once would both insert the same new keys: on PostgreSQL the
        second sync waits for the first to commit, then finds nothing left to do."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(sa.select(sa.func.pg_advisory_xact_lock(SYNC_LOCK_ID)))

    def _upsert(self, index: dict[Any, Row], lookup: Any, model: type[Row], **values: Any) -> Row:
        """The row for `lookup` with `values`, created if new; removed from `index` so it is not retired."""
        row = index.pop(lookup, None)
        if row is None:
            row = model(**values)
            self.session.add(row)
            self.report.created += 1
            return row
        changed = False
        for name, value in values.items():
            # JSON columns come back as plain dicts and lists: == compares them by value.
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        if changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return row
