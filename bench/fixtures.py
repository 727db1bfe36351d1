"""Bench data beyond `flask demo load`: a workshop with 6,000 registrations, and what the load needs.

Run as `python bench/fixtures.py` with DATABASE_URL set (after `flask db upgrade`, `content sync`
and `demo load`). Prints a JSON object: the sections, the modules with a quiz, the workshops.
"""
import json
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402  (after the path above)
from app.attendance.models import Attendance, AttendanceStatus, MarkSource  # noqa: E402
from app.auth.models import Constituency, Sex, User  # noqa: E402
from app.core.permissions import Role  # noqa: E402
from app.courses.models import Course, Module, Section  # noqa: E402
from app.extensions import db  # noqa: E402
from app.quizzes.models import Quiz  # noqa: E402
from app.workshops.models import (  # noqa: E402
    Registration,
    RegistrationStatus,
    Venue,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
)

BIG = "bench-6000-registrations"
BIG_COUNT = 6000
# The attendance export the secretariat downloads: 500 participants × 20 sessions = 10,000 rows.
EXPORT = "bench-attendance-10000"
EXPORT_PEOPLE, EXPORT_SESSIONS = 500, 20


def big_workshop() -> None:
    if db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == BIG)) is not None:
        return
    trainer = db.session.scalar(sa.select(User).where(User.email == "trainer@example.org"))
    course_id = db.session.scalar(sa.select(Course.id).where(Course.key == "labour-migration"))
    today = date.today()
    workshop = Workshop(
        slug=BIG, title={"en": "Regional forum on labour migration (6,000 registrations)"}, description={"en": "Bench."},
        course_id=course_id, starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=31),
        timezone="Europe/Rome", venue=Venue.CAMPUS, address={"en": "Turin"}, languages=["en", "fr", "es"],
        capacity=10_000, waitlist_enabled=True, requires_approval=False, status=WorkshopStatus.OPEN,
        trainers=[trainer],
    )
    db.session.add(workshop)
    db.session.flush()
    password_hash = db.session.scalar(sa.select(User.password_hash).where(User.email == "participant@example.org"))
    constituencies, sexes = list(Constituency), list(Sex)
    db.session.execute(sa.insert(User), [
        {"email": f"crowd{i:05d}@example.net", "name": f"Crowd Participant {i}", "password_hash": password_hash,
         "role": Role.PARTICIPANT, "preferred_language": ("en", "fr", "es")[i % 3], "country": "PH",
         "constituency": constituencies[i % 4], "sex": sexes[i % 4], "active": True, "session_version": 1}
        for i in range(BIG_COUNT)])
    ids = db.session.scalars(sa.select(User.id).where(User.email.like("crowd%@example.net")).order_by(User.id)).all()
    statuses = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING]
    now = datetime.now(timezone.utc)
    db.session.execute(sa.insert(Registration), [
        {"workshop_id": workshop.id, "user_id": user_id, "status": statuses[i % 3], "sequence": i + 1,
         "constituency": constituencies[i % 4], "working_language": ("en", "fr", "es")[i % 3],
         "motivation": "To compare policies.", "consent_at": now}
        for i, user_id in enumerate(ids)])
    workshop.next_sequence = len(ids) + 1
    db.session.commit()


def export_workshop() -> None:
    if db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == EXPORT)) is not None:
        return
    today = date.today()
    start = today - timedelta(days=EXPORT_SESSIONS)
    workshop = Workshop(slug=EXPORT, title={"en": "Two-week course on labour migration (10,000 attendance marks)"},
                        starts_on=start, ends_on=today, timezone="UTC", languages=["en"], capacity=EXPORT_PEOPLE,
                        status=WorkshopStatus.CLOSED)
    db.session.add(workshop)
    db.session.flush()
    sessions = [WorkshopSession(workshop_id=workshop.id, title={"en": f"Day {i + 1}: labour migration"},
                                starts_at=datetime.combine(start + timedelta(days=i), time(9), timezone.utc),
                                ends_at=datetime.combine(start + timedelta(days=i), time(12), timezone.utc))
                for i in range(EXPORT_SESSIONS)]
    db.session.add_all(sessions)
    db.session.flush()
    password_hash = db.session.scalar(sa.select(User.password_hash).where(User.email == "participant@example.org"))
    ids = db.session.scalars(sa.insert(User).returning(User.id), [
        {"email": f"course{i:05d}@example.net", "name": f"Course Participant Nguyễn {i}", "password_hash": password_hash,
         "role": Role.PARTICIPANT, "preferred_language": "en", "country": "VN", "organisation": "Ministry of Labour",
         "constituency": Constituency.GOVERNMENT, "sex": Sex.FEMALE, "active": True, "session_version": 1}
        for i in range(EXPORT_PEOPLE)]).all()
    now = datetime.now(timezone.utc)
    db.session.execute(sa.insert(Registration), [
        {"workshop_id": workshop.id, "user_id": user_id, "status": RegistrationStatus.CONFIRMED, "sequence": i + 1,
         "constituency": Constituency.GOVERNMENT, "working_language": "en", "motivation": "", "consent_at": now}
        for i, user_id in enumerate(ids)])
    statuses = list(AttendanceStatus)
    db.session.execute(sa.insert(Attendance), [
        {"session_id": session.id, "user_id": user_id, "status": statuses[(i + j) % len(statuses)],
         "source": MarkSource.TRAINER, "marked_at": now}
        for i, user_id in enumerate(ids) for j, session in enumerate(sessions)])
    workshop.next_sequence = EXPORT_PEOPLE + 1
    db.session.commit()


def describe() -> dict:
    sections = db.session.execute(
        sa.select(Course.key, Module.key, Section.key).join(Module, Module.course_id == Course.id)
        .join(Section, Section.module_id == Module.id)
        .where(Course.retired_at.is_(None), Module.retired_at.is_(None), Section.retired_at.is_(None))
        .order_by(Module.position, Section.position)).all()
    quizzes = db.session.execute(
        sa.select(Course.key, Module.key).join(Module, Module.course_id == Course.id)
        .join(Quiz, Quiz.module_id == Module.id).order_by(Module.position)).all()
    slug = "inter-regional-labour-migration"
    plenary = db.session.scalar(
        sa.select(WorkshopSession.id).join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .where(Workshop.slug == slug, WorkshopSession.cohort_id.is_(None)).order_by(WorkshopSession.starts_at).limit(1))
    return {
        "roster": f"/trainer/workshops/{slug}/sessions/{plenary}/attendance",
        "sections": [f"/courses/{c}/{m}/{s}/" for c, m, s in sections],
        "quizzes": [f"/courses/{c}/{m}/quiz" for c, m in quizzes],
        "workshops": ["inter-regional-labour-migration", "governing-labour-migration-course"],
        "big": BIG,
        "export": EXPORT,
    }


if __name__ == "__main__":
    app = create_app("development")
    with app.app_context():
        big_workshop()
        export_workshop()
        print(json.dumps(describe()))
