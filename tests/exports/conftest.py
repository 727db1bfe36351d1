"""A workshop with two cohorts, past and future sessions, marks, quiz progress, and names that try to break files."""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.attendance.models import AttendanceStatus
from app.auth.models import Constituency, Sex
from app.core.timeutil import utcnow
from app.courses.cache import bump_version
from app.courses.models import Course, Module
from app.extensions import db
from app.progress.models import ModuleProgress
from app.workshops.models import Cohort, RegistrationStatus, Workshop
from tests.attendance.helpers import add_registrations, add_session
from tests.exports.helpers import PEOPLE, mark


@dataclass
class World:
    trainer: object
    workshop: object
    people: dict  # key of PEOPLE (and "pending", "b") -> user
    sessions: dict  # "plenary", "a", "b", "future" -> id
    modules: list  # module ids of the workshop's course


@pytest.fixture
def world(app, factory):
    trainer = factory.trainer()
    today = date.today()
    with app.app_context():
        course = Course(key="exports-course", title={"en": "Course"}, summary={"en": "About."})
        db.session.add(course)
        db.session.flush()
        modules = [Module(course_id=course.id, key=f"m{i}", position=i, title={"en": title}, summary={"en": ""},
                          key_figures={}, sources={}) for i, title in enumerate(["Rights", "=Recruitment"])]
        db.session.add_all(modules)
        bump_version()
        db.session.commit()
        course_id, module_ids = course.id, [m.id for m in modules]
    workshop = factory.workshop(trainers=[trainer], starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1),
                                timezone="UTC", capacity=100, course_id=course_id, address="Viale Maestri del Lavoro 10, Turin")
    with app.app_context():
        cohorts = {name: Cohort(workshop_id=workshop.id, name={"en": name}) for name in ("A", "B")}
        db.session.add_all(cohorts.values())
        db.session.commit()
        cohorts = {name: cohort.id for name, cohort in cohorts.items()}
    people = {key: factory.participant(name=name, organisation=organisation, country=country,
                                       constituency=Constituency.WORKERS, sex=Sex.MALE)
              for key, (name, organisation, country) in PEOPLE.items()}
    people["b"] = factory.participant(name="Bea Cohort-B")
    people["pending"] = factory.participant(name="Pending Pat")
    add_registrations(app, workshop.id, [(people[key], cohorts["A"]) for key in PEOPLE] + [(people["b"], cohorts["B"])])
    add_registrations(app, workshop.id, [(people["pending"], None)], status=RegistrationStatus.PENDING, start=50)
    sessions = {
        "plenary": add_session(app, workshop.id, "Opening plenary", -24 * 60),
        "a": add_session(app, workshop.id, "Group work A", -60, cohort_id=cohorts["A"]),
        "b": add_session(app, workshop.id, "Group work B", -60, cohort_id=cohorts["B"]),
        "future": add_session(app, workshop.id, "Closing plenary", 24 * 60),
    }
    with app.app_context():
        db.session.execute(sa.update(Workshop).where(Workshop.id == workshop.id).values(venue="campus"))
        db.session.commit()
    # formula: present, late (2/2); arabic: present, excused (1/2); b: absent at the plenary, present at B (1/2).
    mark(app, sessions["plenary"], people["formula"].id, AttendanceStatus.PRESENT)
    mark(app, sessions["a"], people["formula"].id, AttendanceStatus.LATE)
    mark(app, sessions["plenary"], people["arabic"].id, AttendanceStatus.PRESENT)
    mark(app, sessions["a"], people["arabic"].id, AttendanceStatus.EXCUSED)
    mark(app, sessions["plenary"], people["b"].id, AttendanceStatus.ABSENT)
    mark(app, sessions["b"], people["b"].id, AttendanceStatus.PRESENT)
    with app.app_context():
        db.session.add_all([
            ModuleProgress(user_id=people["formula"].id, module_id=module_ids[0], best_score=85, completed_at=utcnow()),
            ModuleProgress(user_id=people["formula"].id, module_id=module_ids[1], best_score=40),
            ModuleProgress(user_id=people["arabic"].id, module_id=module_ids[1], best_score=100),
        ])
        db.session.commit()
    return World(trainer, workshop, people, sessions, module_ids)
