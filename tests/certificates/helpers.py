"""Shared pieces of the certificate tests: a workshop with past sessions, marks and completed modules."""
import io
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from app.attendance.models import Attendance, AttendanceStatus, MarkSource
from app.auth.models import Constituency, Sex, User
from app.certificates.models import Certificate
from app.core.permissions import Role
from app.core.timeutil import utcnow
from app.courses.models import Course, Module
from app.extensions import db
from app.progress.models import ModuleProgress
from app.workshops.models import Registration, RegistrationStatus
from tests.attendance.helpers import add_registrations, add_session

SESSION_MINUTES = 90


@dataclass
class Scene:
    admin: object
    trainer: object
    workshop: object
    sessions: list  # five session ids, all started


def make_scene(app, factory, *, sessions: int = 5, course: bool = True) -> Scene:
    trainer = factory.trainer()
    course_id = None
    if course:
        key = factory.course(key=f"course-{factory.participant().id}")
        with app.app_context():
            course_id = db.session.scalar(sa.select(Course.id).where(Course.key == key))
    today = date.today()
    workshop = factory.workshop(trainers=[trainer], starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=1),
                                timezone="UTC", title={"en": "Fair recruitment: from policy to practice"},
                                address="ITC-ILO campus, Turin", course_id=course_id)
    ids = [add_session(app, workshop.id, f"Session {n + 1}", -(n + 1) * 24 * 60, minutes=SESSION_MINUTES)
           for n in range(sessions)]
    return Scene(factory.admin(), trainer, workshop, ids)


def enrol(app, scene: Scene, user, cohort_id=None) -> None:
    add_registrations(app, scene.workshop.id, [(user, cohort_id)], start=user.id * 10)


def mark(app, session_ids, user, status: AttendanceStatus = AttendanceStatus.PRESENT) -> None:
    with app.app_context():
        for session_id in session_ids:
            db.session.add(Attendance(session_id=session_id, user_id=user.id, status=status, source=MarkSource.TRAINER))
        db.session.commit()


def complete_modules(app, scene: Scene, user, count: int | None = None) -> None:
    with app.app_context():
        modules = db.session.scalars(sa.select(Module.id).where(Module.course_id == scene.workshop.course_id)
                                     .order_by(Module.position)).all()
        done = set(db.session.scalars(sa.select(ModuleProgress.module_id).where(ModuleProgress.user_id == user.id)))
        for module_id in modules[:count]:
            if module_id in done:
                continue
            db.session.add(ModuleProgress(user_id=user.id, module_id=module_id, sections_read=[], completed_at=utcnow()))
        db.session.commit()


def certificates_of(app, user) -> list[Certificate]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    return page.extract_text()


def add_participants(app, workshop_id, count: int, offset: int) -> list[int]:
    """`count` confirmed participants written in two statements (for the query-count tests)."""
    with app.app_context():
        db.session.execute(sa.insert(User), [
            {"email": f"certified{offset + i}@example.net", "name": f"Certified {offset + i:03d}", "password_hash": "x",
             "role": Role.PARTICIPANT, "preferred_language": "en", "country": "PH", "constituency": Constituency.WORKERS,
             "sex": Sex.MALE, "active": True, "session_version": 1} for i in range(count)])
        ids = db.session.scalars(sa.select(User.id).where(User.email.like("certified%")).order_by(User.id)).all()[-count:]
        db.session.execute(sa.insert(Registration), [
            {"workshop_id": workshop_id, "user_id": user_id, "status": RegistrationStatus.CONFIRMED, "sequence": 1000 + offset + i,
             "constituency": Constituency.WORKERS, "working_language": "en", "motivation": "", "consent_at": utcnow()}
            for i, user_id in enumerate(ids)])
        db.session.commit()
        return list(ids)


def admin_workshop_form(**changes) -> dict:
    """A workshop form the admin page accepts."""
    start = date.today() + timedelta(days=40)
    data = {"title_en": "Certificates workshop", "slug": "certificates-workshop", "description_en": "", "course_id": "",
            "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=1)).isoformat(), "timezone": "Europe/Rome",
            "venue": "campus", "address_en": "", "languages": ["en"], "capacity": "30", "status": "open"}
    data.update(changes)
    return data


