"""Quiz → Question → Choice (content), and QuizAttempt (a participant's answers and score)."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum, db_enum
from app.core.timeutil import AwareDateTime, utcnow
from app.core.translated import JSONData, TranslatedText, pick
from app.extensions import db


class QuestionType(LabelledEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"

    @classmethod
    def _labels(cls):
        return {cls.SINGLE: _l("One answer"), cls.MULTIPLE: _l("Several answers"), cls.TRUE_FALSE: _l("True or false")}


class Quiz(db.Model):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("modules.id", ondelete="CASCADE"), unique=True)
    pass_mark: Mapped[int] = mapped_column(default=70)
    max_attempts: Mapped[int] = mapped_column(default=3)

    questions: Mapped[list["Question"]] = relationship(
        back_populates="quiz", order_by="Question.position", lazy="raise"
    )


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    type: Mapped[QuestionType] = mapped_column(db_enum(QuestionType))
    text: Mapped[dict] = mapped_column(TranslatedText)
    explanation: Mapped[dict] = mapped_column(TranslatedText)
    retired_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    quiz: Mapped[Quiz] = relationship(back_populates="questions", lazy="raise")
    choices: Mapped[list["Choice"]] = relationship(
        back_populates="question", order_by="Choice.position", lazy="raise"
    )

    __table_args__ = (sa.UniqueConstraint("quiz_id", "key"),)

    @property
    def is_multiple(self) -> bool:
        """More than one answer may be right: checkboxes instead of radio buttons."""
        return self.type == QuestionType.MULTIPLE

    def t_text(self) -> str:
        return pick(self.text)

    def t_explanation(self) -> str:
        return pick(self.explanation)


class Choice(db.Model):
    __tablename__ = "choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    correct: Mapped[bool] = mapped_column(default=False)
    text: Mapped[dict] = mapped_column(TranslatedText)
    feedback: Mapped[dict] = mapped_column(TranslatedText)
    retired_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    question: Mapped[Question] = relationship(back_populates="choices", lazy="raise")

    __table_args__ = (sa.UniqueConstraint("question_id", "key"),)

    def t_text(self) -> str:
        return pick(self.text)

    def t_feedback(self) -> str:
        return pick(self.feedback)


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    number: Mapped[int]
    # Seeds the choice order, so a reload shows the same order and each attempt its own.
    seed: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # {"<question id>": [<choice id>, ...]}
    answers: Mapped[dict] = mapped_column(JSONData, default=dict)
    # The question ids graded, in order: the review survives content retired later.
    question_ids: Mapped[list] = mapped_column(JSONData, default=list)
    score: Mapped[int | None]
    passed: Mapped[bool | None]

    # The unique number settles two "start" clicks racing each other.
    __table_args__ = (
        sa.UniqueConstraint("quiz_id", "user_id", "number"),
        sa.Index("ix_quiz_attempts_user_quiz", "user_id", "quiz_id"),
    )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
