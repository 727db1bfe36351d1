"""Build users (and later workshops) through the services, as the app itself does.

Each object is committed (to the test's savepoint) and handed back detached, loaded.
"""
import itertools

from app.auth import services as accounts
from app.auth.models import Constituency, Sex
from app.core.permissions import Role
from app.courses.cache import bump_version
from app.extensions import db

DEFAULT_PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def reload(app, model, object_id):
    """A fresh, detached copy of a row, as the database has it now."""
    with app.app_context():
        obj = db.session.get(model, object_id)
        if obj is not None:
            db.session.expunge(obj)
        return obj


class Factory:
    def __init__(self, app):
        self.app = app

    def _saved(self, build):
        with self.app.app_context():
            obj = build()
            db.session.commit()
            db.session.refresh(obj)
            db.session.expunge(obj)
            return obj

    def user(self, role: Role = Role.PARTICIPANT, *, email: str | None = None, password: str = DEFAULT_PASSWORD, **profile):
        number = next(_numbers)
        fields = {
            "name": f"Person {number}",
            "country": "PH",
            "organisation": "Department of Migrant Workers",
            "constituency": Constituency.GOVERNMENT,
            "sex": Sex.FEMALE,
            "preferred_language": "en",
        }
        fields.update(profile)
        email = email or f"person{number}@example.net"
        return self._saved(lambda: accounts.create_user(email=email, password=password, role=role, **fields))

    def course(self, **kwargs):
        """Build a course; returns its key (objects would be detached without their relationships)."""
        with self.app.app_context():
            course = build_course(**kwargs)
            bump_version()  # as `flask content sync` does: every content cache reloads
            db.session.commit()
            return course.key

    def workshop(self, trainers=(), **fields):
        """An open workshop next month, in English and French, 10 seats, waiting list on; texts in English
        (a plain string as `title` is taken as the English title)."""
        from datetime import date, timedelta

        from app.workshops.models import Workshop, WorkshopStatus, workshop_trainers

        number = next(_numbers)
        start = date.today() + timedelta(days=30)
        values = dict(slug=f"workshop-{number}", title={"en": f"Workshop {number}"}, description={"en": "About it."},
                      starts_on=start, ends_on=start + timedelta(days=1), timezone="Europe/Rome",
                      languages=["en", "fr"], capacity=10, waitlist_enabled=True, status=WorkshopStatus.OPEN)
        values.update(fields)
        for name in ("title", "description", "address"):
            if isinstance(values.get(name), str):
                values[name] = {"en": values[name]}

        def build():
            workshop = Workshop(**values)
            db.session.add(workshop)
            db.session.flush()
            for trainer in trainers:
                db.session.execute(workshop_trainers.insert().values(workshop_id=workshop.id, user_id=trainer.id))
            return workshop

        return self._saved(build)

    def participant(self, **kwargs):
        return self.user(Role.PARTICIPANT, **kwargs)

    def trainer(self, **kwargs):
        return self.user(Role.TRAINER, **kwargs)

    def admin(self, **kwargs):
        return self.user(Role.ADMIN, **kwargs)


def build_course(key: str = "demo-course", modules: int = 2, sections: int = 3, questions: int = 4,
                 pass_mark: int = 50, max_attempts: int = 2):
    """A small course straight into the tables (the content/ loader has its own tests).

    Each quiz alternates single-choice (choice "a" right), multiple-choice ("a" and "b" right)
    and true/false ("true" right) questions.
    """
    from app.courses.models import Course, Module, Section
    from app.quizzes.models import Choice, Question, QuestionType, Quiz

    course = Course(key=key, position=0, title={"en": "Demo course", "fr": "Cours démo"}, summary={"en": "A course."})
    db.session.add(course)
    for m in range(modules):
        module = Module(course=course, key=f"module-{m + 1}", position=m, title={"en": f"Module {m + 1}"},
                        summary={"en": "About it."}, key_figures={"en": ["1 figure (Source, 2024)"]},
                        sources={"en": ["A source, 2024"]}, minutes=10)
        db.session.add(module)
        for s in range(sections):
            db.session.add(Section(module=module, key=f"section-{s + 1}", position=s, title={"en": f"Section {s + 1}"},
                                   html={"en": f"<p>Text of section {s + 1}.</p>", "fr": f"<p>Texte {s + 1}.</p>"},
                                   words=100))
        if questions:
            db.session.flush()
            quiz = Quiz(module_id=module.id, pass_mark=pass_mark, max_attempts=max_attempts)
            db.session.add(quiz)
            for q in range(questions):
                kind = [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE][q % 3]
                question = Question(quiz=quiz, key=f"q{q + 1}", position=q, type=kind, text={"en": f"Question {q + 1}?"},
                                    explanation={"en": f"Because of reason {q + 1}."})
                db.session.add(question)
                keys = ["true", "false"] if kind == QuestionType.TRUE_FALSE else ["a", "b", "c", "d"]
                right = {"a", "b"} if kind == QuestionType.MULTIPLE else {keys[0]}
                for position, choice_key in enumerate(keys):
                    db.session.add(Choice(question=question, key=choice_key, position=position, correct=choice_key in right,
                                          text={"en": f"Choice {choice_key}"}, feedback={"en": f"Feedback {choice_key}"}))
    db.session.flush()
    return course
