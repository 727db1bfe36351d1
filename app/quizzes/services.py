"""Quiz rules: start or resume an attempt, save answers, grade once. Services flush; the request commits."""
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.pagination import parse_id
from app.core.timeutil import utcnow
from app.extensions import db
from app.quizzes.grading import grade, shuffled
from app.quizzes.models import Choice, Question, QuestionType, Quiz, QuizAttempt


class NoAttemptsLeft(DomainError):
    def default_message(self):
        return _l("You have used every attempt for this quiz.")


class AttemptAlreadySubmitted(DomainError):
    def default_message(self):
        return _l("This attempt was already submitted; its first result stands.")


class InvalidAnswer(DomainError):
    def default_message(self):
        return _l("The answers sent do not match this quiz. Reload the page and try again.")


@dataclass
class QuizQuestion:
    question: Question
    choices: list[Choice]

    @property
    def correct_ids(self) -> set[int]:
        return {choice.id for choice in self.choices if choice.correct}


def quiz_for_module(module_id: int) -> Quiz | None:
    return db.session.scalar(sa.select(Quiz).where(Quiz.module_id == module_id))


def load_questions(quiz: Quiz, question_ids: list[int] | None = None) -> list[QuizQuestion]:
    """Active questions with their choices in two queries; or exactly `question_ids`, for a review."""
    statement = sa.select(Question).where(Question.quiz_id == quiz.id)
    if question_ids:
        statement = statement.where(Question.id.in_(question_ids))
    else:
        statement = statement.where(Question.retired_at.is_(None))
    questions = list(db.session.scalars(statement.order_by(Question.position)))
    choices: dict[int, list[Choice]] = {question.id: [] for question in questions}
    if questions:
        choice_rows = db.session.scalars(
            sa.select(Choice).where(Choice.question_id.in_(choices.keys())).order_by(Choice.question_id, Choice.position)
        )
        for choice in choice_rows:
            if choice.retired_at is None or question_ids:
                choices[choice.question_id].append(choice)
    if question_ids:
        order = {question_id: index for index, question_id in enumerate(question_ids)}
        questions.sort(key=lambda question: order.get(question.id, 0))
    return [QuizQuestion(question, choices[question.id]) for question in questions]


def attempts_for(user_id: int, quiz_id: int) -> list[QuizAttempt]:
    return list(db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id).order_by(QuizAttempt.number)
    ))


def attempts_left(quiz: Quiz, attempts: list[QuizAttempt]) -> int:
    return max(quiz.max_attempts - sum(1 for attempt in attempts if attempt.is_submitted), 0)


def open_attempt(attempts: list[QuizAttempt]) -> QuizAttempt | None:
    return next((attempt for attempt in attempts if not attempt.is_submitted), None)


def start_or_resume(user_id: int, quiz: Quiz) -> QuizAttempt:
    attempts = attempts_for(user_id, quiz.id)
    unfinished = open_attempt(attempts)
    if unfinished is not None:
        return unfinished
    if attempts_left(quiz, attempts) == 0:
        raise NoAttemptsLeft()
    attempt = QuizAttempt(
        quiz_id=quiz.id, user_id=user_id, number=len(attempts) + 1, seed=secrets.randbelow(2**31),
        answers={}, question_ids=[],
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except sa.exc.IntegrityError:
        # A second click started the same attempt number first: resume that one.
        return open_attempt(attempts_for(user_id, quiz.id)) or start_or_resume(user_id, quiz)
    return attempt


def get_attempt(user_id: int, quiz: Quiz, attempt_id: int) -> QuizAttempt | None:
    """Only the participant's own attempt on this quiz: anyone else's is "not found"."""
    return db.session.scalar(
        sa.select(QuizAttempt).where(
            QuizAttempt.id == attempt_id, QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz.id
        )
    )


def ordered_choices(attempt: QuizAttempt, item: QuizQuestion) -> list[Choice]:
    if item.question.type == QuestionType.TRUE_FALSE:
        return item.choices  # "True" before "False" reads better than a shuffle
    return shuffled(item.choices, attempt.seed, item.question.id)


def parse_answers(form, questions: list[QuizQuestion]) -> dict[int, set[int]]:
    """Answers from form fields `q<question id>`; anything not of this quiz raises InvalidAnswer."""
    by_id = {item.question.id: item for item in questions}
    answers: dict[int, set[int]] = {}
    for name in form.keys():
        if not name.startswith("q"):
            continue
        question_id = parse_id(name[1:])
        chosen = {parse_id(value) for value in form.getlist(name)}
        item = by_id.get(question_id)
        if item is None or not chosen <= {choice.id for choice in item.choices}:
            raise InvalidAnswer()
        if item.question.type != QuestionType.MULTIPLE and len(chosen) > 1:
            raise InvalidAnswer()
        answers[question_id] = chosen
    return answers


def _stored(answers: dict[int, set[int]]) -> dict[str, list[int]]:
    return {str(question_id): sorted(chosen) for question_id, chosen in answers.items()}


def stored_answers(attempt: QuizAttempt) -> dict[int, set[int]]:
    return {int(question_id): set(chosen) for question_id, chosen in (attempt.answers or {}).items()}


def save_answers(attempt: QuizAttempt, answers: dict[int, set[int]]) -> None:
    """Keep answers for later. A conditional UPDATE, like `submit`: a save that reaches the row after
    the submission (another tab, a double click) changes nothing, so the graded answers stay."""
    result = db.session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(answers=_stored(answers), saved_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if result.rowcount != 1:
        raise AttemptAlreadySubmitted()


def submit(attempt: QuizAttempt, quiz: Quiz, answers: dict[int, set[int]], questions: list[QuizQuestion]) -> QuizAttempt:
    """Grade once. The conditional UPDATE makes a double submission (two tabs, a double click) a no-op."""
    score, _right = grade({item.question.id: item.correct_ids for item in questions}, answers)
    passed = score >= quiz.pass_mark
    result = db.session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(
            submitted_at=utcnow(), score=score, passed=passed, answers=_stored(answers),
            question_ids=[item.question.id for item in questions],
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if result.rowcount != 1:
        raise AttemptAlreadySubmitted()
    return attempt
