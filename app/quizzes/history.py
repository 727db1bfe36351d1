"""A person's quiz attempts across every course, for the secretariat's view of an account."""
from typing import NamedTuple

import sqlalchemy as sa

from app.courses.models import Module
from app.extensions import db
from app.quizzes.models import Quiz, QuizAttempt


class AttemptLine(NamedTuple):
    attempt: QuizAttempt
    module: Module


def attempts_of(user_id: int, limit: int = 100) -> list[AttemptLine]:
    """The person's attempts with their module, latest first: one query."""
    rows = db.session.execute(
        sa.select(QuizAttempt, Module).join(Quiz, Quiz.id == QuizAttempt.quiz_id).join(Module, Module.id == Quiz.module_id)
        .where(QuizAttempt.user_id == user_id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc()).limit(limit)
    )
    return [AttemptLine(attempt, module) for attempt, module in rows]
