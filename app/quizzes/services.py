"""Quiz rules: start or resume an attempt, save answers, grade once. Services flush; the request commits."""
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.pagination import parse_id
from app.core.timeutil import utcnow
from app.core.translated import pick
from app.courses.cache import cached
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


@dataclass(frozen=True, slots=True)
class QuizEntry:
    """A module's quiz as pages read it (a plain value from the content cache)."""

    id: int
    module_id: int
    pass_mark: int
    max_attempts: int


@dataclass(frozen=True, slots=True)
class QuestionEntry:
    id: int
    quiz_id: int
    key: str
    position: int
    type: QuestionType
    text: dict
    explanation: dict
    retired: bool

    @property
    def is_multiple(self) -> bool:
        """More than one answer may be right: checkboxes instead of radio buttons."""
        return self.type == QuestionType.MULTIPLE

    def t_text(self) -> str:
        return pick(self.text)

    def t_explanation(self) -> str:
        return pick(self.explanation)


@dataclass(frozen=True, slots=True)
class ChoiceEntry:
    id: int
    question_id: int
    key: str
    position: int
    correct: bool
    text: dict
    feedback: dict
    retired: bool

    def t_text(self) -> str:
        return pick(self.text)

    def t_feedback(self) -> str:
        return pick(self.feedback)


@dataclass
class QuizQuestion:
    question: QuestionEntry
    choices: list[ChoiceEntry]

    @property
    def correct_ids(self) -> set[int]:
        return {choice.id for choice in self.choices if choice.correct}


@dataclass(frozen=True)
class QuizIndex:
    """Every quiz with all its questions and choices, retired ones included (a review shows them)."""

    by_module: dict[int, QuizEntry]
    questions: dict[int, tuple[QuestionEntry, ...]]  # by quiz id, in order
    choices: dict[int, tuple[ChoiceEntry, ...]]  # by question id, in order


def _load_quizzes() -> QuizIndex:
    quizzes = {q.module_id: QuizEntry(q.id, q.module_id, q.pass_mark, q.max_attempts)
               for q in db.session.scalars(sa.select(Quiz))}
    questions: dict[int, list[QuestionEntry]] = {quiz.id: [] for quiz in quizzes.values()}
    for q in db.session.scalars(sa.select(Question).order_by(Question.quiz_id, Question.position, Question.id)):
        questions.setdefault(q.quiz_id, []).append(
            QuestionEntry(q.id, q.quiz_id, q.key, q.position, q.type, q.text, q.explanation, q.retired_at is not None))
    choices: dict[int, list[ChoiceEntry]] = {}
    for c in db.session.scalars(sa.select(Choice).order_by(Choice.question_id, Choice.position, Choice.id)):
        choices.setdefault(c.question_id, []).append(
            ChoiceEntry(c.id, c.question_id, c.key, c.position, c.correct, c.text, c.feedback, c.retired_at is not None))
    return QuizIndex(by_module=quizzes, questions={k: tuple(v) for k, v in questions.items()},
                     choices={k: tuple(v) for k, v in choices.items()})


def quiz_index() -> QuizIndex:
    return cached("quizzes", _load_quizzes)


def quiz_for_module(module_id: int) -> QuizEntry | None:
    return quiz_index().by_module.get(module_id)


def load_questions(quiz: QuizEntry, question_ids: list[int] | None = None) -> list[QuizQuestion]:
    """Active questions with their active choices; or exactly `question_ids` with all theirs, for a review."""
    index = quiz_index()
    questions = index.questions.get(quiz.id, ())
    if question_ids:
        wanted = set(question_ids)
        order = {question_id: position for position, question_id in enumerate(question_ids)}
        chosen = sorted((q for q in questions if q.id in wanted), key=lambda q: order.get(q.id, 0))
        return [QuizQuestion(q, list(index.choices.get(q.id, ()))) for q in chosen]
    return [QuizQuestion(q, [c for c in index.choices.get(q.id, ()) if not c.retired])
            for q in questions if not q.retired]


def attempts_for(user_id: int, quiz_id: int) -> list[QuizAttempt]:
    return list(db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id).order_by(QuizAttempt.number)
    ))


def attempts_left(quiz: QuizEntry, attempts: list[QuizAttempt]) -> int:
    return max(quiz.max_attempts - sum(1 for attempt in attempts if attempt.is_submitted), 0)


def open_attempt(attempts: list[QuizAttempt]) -> QuizAttempt | None:
    return next((attempt for attempt in attempts if not attempt.is_submitted), None)


def start_or_resume(user_id: int, quiz: QuizEntry) -> QuizAttempt:
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


def get_attempt(user_id: int, quiz: QuizEntry, attempt_id: int) -> QuizAttempt | None:
    """Only the participant's own attempt on this quiz: anyone else's is "not found"."""
    return db.session.scalar(
        sa.select(QuizAttempt).where(
            QuizAttempt.id == attempt_id, QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz.id
        )
    )


def ordered_choices(attempt: QuizAttempt, item: QuizQuestion) -> list[ChoiceEntry]:
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
    _update_unsubmitted(attempt, answers=_stored(answers), saved_at=utcnow())


def submit(attempt: QuizAttempt, quiz: QuizEntry, answers: dict[int, set[int]], questions: list[QuizQuestion]) -> QuizAttempt:
    """Grade once. The conditional UPDATE makes a double submission (two tabs, a double click) a no-op."""
    score, _right = grade({item.question.id: item.correct_ids for item in questions}, answers)
    passed = score >= quiz.pass_mark
    _update_unsubmitted(attempt, submitted_at=utcnow(), score=score, passed=passed, answers=_stored(answers),
                        question_ids=[item.question.id for item in questions])
    return attempt


def _update_unsubmitted(attempt: QuizAttempt, **values) -> None:
    """Write `values` only if the attempt is still unsubmitted, and reload it from the same statement
    (UPDATE … RETURNING): whoever reaches the row second finds it submitted and changes nothing."""
    updated = db.session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(**values)
        .returning(QuizAttempt)
        .execution_options(synchronize_session=False, populate_existing=True)
    ).scalar_one_or_none()
    if updated is None:
        db.session.refresh(attempt)  # the other request's answers and score, for the page that follows
        raise AttemptAlreadySubmitted()
