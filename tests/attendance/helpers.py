"""Shared pieces of the attendance tests: registrations, sessions and marks written straight to the database."""
from datetime import timedelta

import sqlalchemy as sa

from app.attendance.models import Attendance
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import Registration, RegistrationStatus, WorkshopSession


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
        session = WorkshopSession(workshop_id=workshop_id, title={"en": title}, cohort_id=cohort_id, starts_at=start,
                                  ends_at=start + timedelta(minutes=minutes))
        db.session.add(session)
        db.session.commit()
        return session.id


def marks(app, session_id) -> dict:
    with app.app_context():
        return {m.user_id: (m.status.value, m.source.value) for m in db.session.scalars(
            sa.select(Attendance).where(Attendance.session_id == session_id))}
