"""A workshop running today: two cohorts, sessions around now, confirmed and pending participants."""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.workshops.models import Cohort, RegistrationStatus
from tests.attendance.helpers import add_registrations, add_session


@dataclass
class Scene:
    trainer: object
    workshop: object
    cohorts: dict
    people: dict  # name -> user
    sessions: dict  # "plenary", "a", "b", "future", "past" -> id


@pytest.fixture
def scene(app, factory):
    trainer = factory.trainer()
    today = date.today()
    workshop = factory.workshop(trainers=[trainer], starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1),
                                timezone="UTC", capacity=100)
    with app.app_context():
        cohorts = {name: Cohort(workshop_id=workshop.id, name={"en": name}) for name in ("A", "B")}
        db.session.add_all(cohorts.values())
        db.session.commit()
        cohorts = {name: cohort.id for name, cohort in cohorts.items()}
    people = {name: factory.participant(name=name) for name in ("Zoë Ade", "amira Ben", "Chen Li", "Pending Pat")}
    add_registrations(app, workshop.id, [(people["Zoë Ade"], cohorts["A"]), (people["amira Ben"], cohorts["A"]),
                                         (people["Chen Li"], cohorts["B"])])
    add_registrations(app, workshop.id, [(people["Pending Pat"], None)], status=RegistrationStatus.PENDING, start=10)
    sessions = {
        "plenary": add_session(app, workshop.id, "Opening plenary", -5),
        "a": add_session(app, workshop.id, "Group work A", -30, cohort_id=cohorts["A"]),
        "b": add_session(app, workshop.id, "Group work B", -30, cohort_id=cohorts["B"]),
        "future": add_session(app, workshop.id, "Tomorrow's plenary", 24 * 60),
        "past": add_session(app, workshop.id, "Yesterday's plenary", -24 * 60),
    }
    return Scene(trainer, workshop, cohorts, people, sessions)
