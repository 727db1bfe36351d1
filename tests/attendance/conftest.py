"""A workshop running today: two cohorts, sessions around now, confirmed and pending participants."""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.attendance.models import Attendance
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import Cohort, Registration, RegistrationStatus, WorkshopSession


@dataclass
class Scene:
    trainer: object
    workshop: object
    cohorts: dict
    people: dict  # name -> user
    sessions: dict  # "plenary", "a", "b", "future", "past" -> id


def add_registrations(app, workshop_id, users_and_cohorts, status=RegistrationStatus.CONFIRMED, start=0):
    with app.app_context():
        now = utcnow()
        for i, (user, cohort_id) in enumerate(users_and_cohorts, start=start + 1):
            db.session.add(Registration(workshop_id=workshop_id, user_id=user.id, status=status, sequence=i,
                                        working_language="en", consent_at=now, cohort_id=cohort_id))
        db.session.commit()


def add_session(app, workshop_id, title, starts_in_minutes, minutes=90, cohort_id=None) -> int:
    with app.app_context():
        start = utcnow() + timedelta(minutes=starts_in_minutes)
        session = WorkshopSession(workshop_id=workshop_id, title=title, cohort_id=cohort_id, starts_at=start,
                                  ends_at=start + timedelta(minutes=minutes))
        db.session.add(session)
        db.session.commit()
        return session.id


def marks(app, session_id) -> dict:
    with app.app_context():
        return {m.user_id: (m.status.value, m.source.value) for m in db.session.scalars(
            sa.select(Attendance).where(Attendance.session_id == session_id))}


@pytest.fixture
def scene(app, factory):
    trainer = factory.trainer()
    today = date.today()
    workshop = factory.workshop(trainers=[trainer], starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1),
                                timezone="UTC", capacity=100)
    with app.app_context():
        cohorts = {name: Cohort(workshop_id=workshop.id, name=name) for name in ("A", "B")}
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
