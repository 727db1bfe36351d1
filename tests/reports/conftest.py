"""A small known workshop for the reports: two cohorts, a course, marks and progress, every count worked out by hand.

Confirmed: Ana (female, government, PH, cohort A), Ben (male, workers, FR, A), Chen (prefers not to say,
employers, JO, B), Dee (nothing given, no cohort). Also Eve (pending, female, other, KE), Fay (waitlisted,
male, government, BR) and Gus (cancelled: never counted).

Sessions: a plenary and one per cohort, all started, and a plenary tomorrow (never counted).
Marks: plenary Ana present, Ben late, Chen absent, Dee excused; A: Ana present, Ben absent; B: Chen present;
tomorrow: Ana present (ignored). Rates: Ana 2/2, Ben 1/2, Chen 1/2, Dee 0/1; all 4/7.

Course "demo-course" (2 modules of 3 sections, each with a quiz): module 1 Ana completed (90), Ben read
1 section (40), Chen completed (70); module 2 Ana read 2 sections.
"""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import Constituency, Sex
from app.courses.models import Course, Module
from app.extensions import db
from app.workshops.models import Cohort, RegistrationStatus
from tests.reports.helpers import add_session, mark, progress, register


@dataclass
class Scene:
    trainer: object
    workshop: object
    cohorts: dict
    people: dict
    sessions: dict
    modules: list


@pytest.fixture
def scene(app, factory):
    key = factory.course()
    with app.app_context():
        course_id = db.session.scalar(sa.select(Course.id).where(Course.key == key))
        modules = db.session.scalars(sa.select(Module.id).where(Module.course_id == course_id).order_by(Module.position)).all()
    trainer = factory.trainer()
    today = date.today()
    workshop = factory.workshop(trainers=[trainer], starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1),
                                timezone="UTC", capacity=100, course_id=course_id)
    with app.app_context():
        cohorts = {name: Cohort(workshop_id=workshop.id, name={"en": name}) for name in ("A", "B")}
        db.session.add_all(cohorts.values())
        db.session.commit()
        cohorts = {name: cohort.id for name, cohort in cohorts.items()}
    person = factory.participant
    people = {
        "Ana": person(name="Ana", sex=Sex.FEMALE, country="PH"),
        "Ben": person(name="Ben", sex=Sex.MALE, country="FR"),
        "Chen": person(name="Chen", sex=Sex.UNDISCLOSED, country="JO"),
        "Dee": person(name="Dee", sex=None, country=None, constituency=None),
        "Eve": person(name="Eve", sex=Sex.FEMALE, country="KE"),
        "Fay": person(name="Fay", sex=Sex.MALE, country="BR"),
        "Gus": person(name="Gus", sex=Sex.MALE, country="BR"),
    }
    confirmed = RegistrationStatus.CONFIRMED
    register(app, workshop.id, [
        (people["Ana"], confirmed, cohorts["A"], Constituency.GOVERNMENT),
        (people["Ben"], confirmed, cohorts["A"], Constituency.WORKERS),
        (people["Chen"], confirmed, cohorts["B"], Constituency.EMPLOYERS),
        (people["Dee"], confirmed, None, None),
        (people["Eve"], RegistrationStatus.PENDING, None, Constituency.OTHER),
        (people["Fay"], RegistrationStatus.WAITLISTED, None, Constituency.GOVERNMENT),
        (people["Gus"], RegistrationStatus.CANCELLED, None, Constituency.WORKERS),
    ])
    sessions = {
        "plenary": add_session(app, workshop.id, "Opening plenary", -120),
        "a": add_session(app, workshop.id, "Group work A", -60, cohorts["A"]),
        "b": add_session(app, workshop.id, "Group work B", -60, cohorts["B"]),
        "future": add_session(app, workshop.id, "Tomorrow's plenary", 24 * 60),
    }
    mark(app, sessions["plenary"], {people["Ana"]: "present", people["Ben"]: "late", people["Chen"]: "absent",
                                    people["Dee"]: "excused"})
    mark(app, sessions["a"], {people["Ana"]: "present", people["Ben"]: "absent"})
    mark(app, sessions["b"], {people["Chen"]: "present"})
    mark(app, sessions["future"], {people["Ana"]: "present"})
    progress(app, people["Ana"], modules[0], read=3, score=90, completed=True)
    progress(app, people["Ben"], modules[0], read=1, score=40)
    progress(app, people["Chen"], modules[0], read=3, score=70, completed=True)
    progress(app, people["Ana"], modules[1], read=2)
    return Scene(trainer, workshop, cohorts, people, sessions, list(modules))
