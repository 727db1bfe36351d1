"""`flask content sync` upserts by stable keys: a re-run writes nothing, edits update in place, what is gone is retired."""
import shutil

import sqlalchemy as sa

from app.courses.models import Course, Module, Section
from app.extensions import db
from app.progress.models import ModuleProgress
from app.quizzes.models import Choice, Question, QuestionType, Quiz, QuizAttempt
from tests.content.helpers import BASICS, COURSE, RECRUITMENT, assert_problem


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]


def test_sync_creates_the_course_then_a_second_sync_writes_nothing(app, content, count_queries):
    result = content.sync()
    assert result.exit_code == 0, result.output
    assert "created 24, updated 0, retired 0, unchanged 0" in result.output
    with app.app_context():
        assert (count(Course), count(Module), count(Section), count(Quiz), count(Question), count(Choice)) == (1, 2, 6, 2, 4, 9)
        course = db.session.scalar(sa.select(Course))
        assert course.key == COURSE and course.title["en"].startswith("Sample course") and course.position == 0
        modules = db.session.scalars(sa.select(Module).order_by(Module.position)).all()
        assert [m.key for m in modules] == ["basics", "recruitment"]
        basics = modules[0]
        assert basics.title == {"en": "Basics"} and basics.summary["en"].startswith("What a recruiter does")
        assert basics.minutes == 3  # under 200 words: 1 minute; 3 questions: 2 minutes
        assert basics.key_figures["en"][0].startswith("Three actors") and len(basics.sources["en"]) == 2
        assert modules[1].key_figures == {} and modules[1].sources == {}
        sections = db.session.scalars(sa.select(Section).filter_by(module_id=basics.id).order_by(Section.position)).all()
        assert [s.key for s in sections] == ["why-it-matters", "fees-and-costs", "roles", "further-reading"]
        roles = sections[2]
        assert roles.position == 2 and roles.title == {"en": "Who does what"} and roles.words == 14
        assert "<table>" in roles.html["en"] and "<h3>Governments</h3>" in roles.html["en"]
        assert '<a href="/courses/sample-course/basics/roles/" rel="noopener noreferrer">who does what</a>' in sections[1].html["en"]
        quiz = db.session.scalar(sa.select(Quiz).filter_by(module_id=basics.id))
        assert (quiz.pass_mark, quiz.max_attempts) == (70, 3)
        questions = db.session.scalars(sa.select(Question).filter_by(quiz_id=quiz.id).order_by(Question.position)).all()
        assert [(q.key, q.type) for q in questions] == [
            ("who-pays", QuestionType.SINGLE), ("passports", QuestionType.TRUE_FALSE), ("good-practice", QuestionType.MULTIPLE)]
        assert questions[0].text == {"en": "Who should pay recruitment fees and related costs?"}
        assert questions[0].explanation["en"].startswith("The cost of hiring")
        choices = db.session.scalars(sa.select(Choice).filter_by(question_id=questions[0].id).order_by(Choice.position)).all()
        assert [(c.key, c.correct) for c in choices] == [("a", False), ("b", True)]
        assert choices[1].text == {"en": "The employer"} and choices[1].feedback["en"].startswith("Correct.")

    with count_queries() as counter:
        result = content.sync()
    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, retired 0, unchanged 24" in result.output
    assert any(s.lstrip().upper().startswith("SELECT") for s in counter.statements), "the listener saw nothing"
    assert writes(counter.statements) == []


def test_editing_a_section_updates_its_html_in_place(app, content):
    assert content.sync().exit_code == 0
    with app.app_context():
        before = db.session.scalar(sa.select(Section).filter_by(key="fees-and-costs"))
    content.edit(f"{BASICS}/en.md", "The core principle is simple", "The *first* principle is simple")
    result = content.sync()
    assert result.exit_code == 0, result.output
    assert "created 0, updated 1, retired 0" in result.output
    with app.app_context():
        after = db.session.get(Section, before.id)
        assert "The <em>first</em> principle" in after.html["en"] and "core principle" not in after.html["en"]


def test_removing_a_question_retires_it_and_keeps_attempts_and_progress(app, content, factory):
    assert content.sync().exit_code == 0
    user = factory.participant()
    with app.app_context():
        module = db.session.scalar(sa.select(Module).filter_by(key="basics"))
        quiz = db.session.scalar(sa.select(Quiz).filter_by(module_id=module.id))
        question = db.session.scalar(sa.select(Question).filter_by(quiz_id=quiz.id, key="passports"))
        section_ids = list(db.session.scalars(sa.select(Section.id).filter_by(module_id=module.id)))
        attempt = QuizAttempt(quiz_id=quiz.id, user_id=user.id, number=1, seed=1, answers={}, question_ids=[question.id])
        progress = ModuleProgress(user_id=user.id, module_id=module.id, sections_read=section_ids[:2])
        db.session.add_all([attempt, progress])
        db.session.commit()
        ids = (question.id, attempt.id, progress.id)

    original = content.cut(f"{BASICS}/quiz.yml", "  - key: passports", "  - key: good-practice")
    result = content.sync()
    assert result.exit_code == 0, result.output
    assert "retired 3," in result.output  # the question and its two choices
    with app.app_context():
        question = db.session.get(Question, ids[0])
        assert question.retired_at is not None
        retired_choices = db.session.scalars(sa.select(Choice.retired_at).filter_by(question_id=question.id)).all()
        assert len(retired_choices) == 2 and None not in retired_choices
        later = db.session.scalar(sa.select(Question).filter_by(quiz_id=question.quiz_id, key="good-practice"))
        assert later.retired_at is None and later.position == 1
        attempt, progress = db.session.get(QuizAttempt, ids[1]), db.session.get(ModuleProgress, ids[2])
        assert attempt.question_ids == [ids[0]] and progress.sections_read == section_ids[:2]

    content.write(f"{BASICS}/quiz.yml", original)
    result = content.sync()
    assert result.exit_code == 0 and "created 0," in result.output, result.output
    with app.app_context():
        question = db.session.get(Question, ids[0])
        assert question.retired_at is None and question.position == 1  # the same row comes back


def test_a_module_gone_from_content_is_retired_with_everything_in_it(app, content):
    assert content.sync().exit_code == 0
    content.edit(f"{COURSE}/course.yml", "  - basics\n", "")
    content.edit(f"{RECRUITMENT}/en.md", " Back to [fees](/courses/sample-course/basics/fees-and-costs/).", "")
    shutil.rmtree(content.root / BASICS)
    result = content.sync()
    assert result.exit_code == 0, result.output
    assert "retired 15," in result.output  # the module, its 4 sections, 3 questions and 7 choices
    with app.app_context():
        module = db.session.scalar(sa.select(Module).filter_by(key="basics"))
        assert module.retired_at is not None
        sections = db.session.scalars(sa.select(Section).filter_by(module_id=module.id)).all()
        assert len(sections) == 4 and all(s.retired_at is not None for s in sections)
        quiz = db.session.scalar(sa.select(Quiz).filter_by(module_id=module.id))
        assert all(q.retired_at is not None for q in db.session.scalars(sa.select(Question).filter_by(quiz_id=quiz.id)))
        recruitment = db.session.scalar(sa.select(Module).filter_by(key="recruitment"))
        assert recruitment.position == 0 and recruitment.retired_at is None


def test_a_failed_sync_changes_nothing(app, content, count_queries):
    content.edit(f"{BASICS}/quiz.yml", "pass_mark: 70", "pass_mark: 0")
    result = content.sync()
    assert_problem(result, f"{BASICS}/quiz.yml:1:", "pass_mark must be a whole number from 1 to 100")
    with app.app_context():
        assert count(Course) == 0 and count(Module) == 0

    content.edit(f"{BASICS}/quiz.yml", "pass_mark: 0", "pass_mark: 70")
    assert content.sync().exit_code == 0
    content.edit(f"{BASICS}/en.md", "title: Basics", "title: The basics")
    content.edit(f"{BASICS}/en.md", "## Who does what {#roles}", "## Who does what {#Roles}")
    with count_queries() as counter:
        result = content.sync()
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert counter.statements == []  # it does not even read the database
    with app.app_context():
        assert db.session.scalar(sa.select(Module.title).filter_by(key="basics")) == {"en": "Basics"}


def test_a_complete_translation_is_synced_beside_english(app, content):
    english = content.read(f"{BASICS}/en.md")
    french = english.replace("title: Basics", "title: Les bases").replace("## Who does what {#roles}", "## Qui fait quoi {#roles}")
    content.write(f"{BASICS}/fr.md", french)
    assert content.sync().exit_code == 0
    with app.app_context():
        module = db.session.scalar(sa.select(Module).filter_by(key="basics"))
        assert module.title == {"en": "Basics", "fr": "Les bases"}
        roles = db.session.scalar(sa.select(Section).filter_by(module_id=module.id, key="roles"))
        assert roles.title == {"en": "Who does what", "fr": "Qui fait quoi"} and set(roles.html) == {"en", "fr"}
