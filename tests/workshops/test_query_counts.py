"""Trainer and participant workshop pages cost the same queries with 60 or 6,000 registrations."""
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa

from app.auth.models import Constituency, Sex, User
from app.core.permissions import Role
from app.extensions import db
from app.workshops.models import (
    Cohort,
    Registration,
    RegistrationStatus,
    WorkshopSession,
)


def fill(app, workshop, count: int, offset: int):
    """`count` registrations (bulk inserted), spread over statuses, languages and two cohorts."""
    with app.app_context():
        db.session.execute(sa.insert(User), [
            {"email": f"bulk{offset + i}@example.net", "name": f"Bulk {offset + i}", "password_hash": "x",
             "role": Role.PARTICIPANT, "preferred_language": "en", "country": "PH", "constituency": Constituency.WORKERS,
             "sex": Sex.MALE, "active": True, "session_version": 1} for i in range(count)])
        ids = db.session.scalars(sa.select(User.id).where(User.email.like("bulk%")).order_by(User.id)).all()[-count:]
        cohorts = db.session.scalars(sa.select(Cohort.id).where(Cohort.workshop_id == workshop.id)).all()
        start = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Registration.sequence), 0))
                                  .where(Registration.workshop_id == workshop.id))
        statuses = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING]
        db.session.execute(sa.insert(Registration), [
            {"workshop_id": workshop.id, "user_id": user_id, "status": statuses[i % 3], "sequence": start + i + 1,
             "constituency": Constituency.WORKERS, "working_language": ("en", "fr")[i % 2], "motivation": "m",
             "consent_at": datetime.now(timezone.utc), "cohort_id": cohorts[i % 2] if i % 3 == 0 else None}
            for i, user_id in enumerate(ids)])
        db.session.commit()


def test_workshop_pages_cost_the_same_with_60_or_6000_registrations(app, browser, factory, count_queries):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], capacity=10_000)
    with app.app_context():
        for name in ("A", "B"):
            db.session.add(Cohort(workshop_id=workshop.id, name={"en": name}))
        begin = datetime.combine(workshop.starts_on, time(8), tzinfo=timezone.utc)
        for hour in range(4):
            db.session.add(WorkshopSession(workshop_id=workshop.id, title={"en": f"S{hour}"}, starts_at=begin + timedelta(hours=hour),
                                           ends_at=begin + timedelta(hours=hour, minutes=50)))
        db.session.commit()
    browser.login(trainer.email)
    base = f"/trainer/workshops/{workshop.slug}"
    pages = ["/trainer/", f"{base}/", f"{base}/?status=confirmed&language=fr",
             f"{base}/?sort=name&page=2", f"{base}/?sort=date&status=pending&select=1", f"{base}/?q=bulk&lang=fr", f"{base}/cohorts", f"{base}/sessions",
             f"/workshops/{workshop.slug}/", "/workshops/", f"/workshops/{workshop.slug}/timetable.ics"]

    def measure():
        counts = {}
        for path in pages:
            with count_queries() as counter:
                assert browser.client.get(path).status_code == 200, path
            counts[path] = counter.count
        return counts

    fill(app, workshop, 60, 0)
    small = measure()
    fill(app, workshop, 5_940, 60)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 6_000
    large = measure()
    print("workshop query counts", small)
    assert large == small
    assert max(small.values()) <= 10, small


def test_a_participant_reads_a_full_workshop_in_five_statements(app, browser, factory, count_queries):
    # The person, the workshop with their registration, the seats taken and the waiting list (one
    # statement, from an index), the timetable and the cohorts: with 60 or 6,000 registrations.
    workshop = factory.workshop(capacity=5)
    with app.app_context():
        db.session.add_all([Cohort(workshop_id=workshop.id, name={"en": name}) for name in ("A", "B")])
        db.session.commit()
    browser.login(factory.participant().email)
    counts = []
    for count, offset in ((60, 0), (5_940, 60)):
        fill(app, workshop, count, offset)
        with count_queries() as counter:
            page = browser.client.get(f"/workshops/{workshop.slug}/").get_data(as_text=True)
        assert "waiting list at position" in page  # the outlook: the seats are taken
        counts.append(counter.count)
    assert counts == [5, 5]
