"""The roster costs the same number of queries with 6 or 60 participants, to read and to save."""
from datetime import UTC, datetime

import sqlalchemy as sa

from app.auth.models import Constituency, Sex, User
from app.core.permissions import Role
from app.extensions import db
from app.workshops.models import Registration, RegistrationStatus
from tests.attendance.helpers import marks


def fill(app, workshop_id, count: int, offset: int) -> list[int]:
    with app.app_context():
        db.session.execute(sa.insert(User), [
            {"email": f"roster{offset + i}@example.net", "name": f"Roster {offset + i:03d}", "password_hash": "x",
             "role": Role.PARTICIPANT, "preferred_language": "en", "country": "PH", "constituency": Constituency.WORKERS,
             "sex": Sex.MALE, "active": True, "session_version": 1} for i in range(count)])
        ids = db.session.scalars(sa.select(User.id).where(User.email.like("roster%")).order_by(User.id)).all()[-count:]
        db.session.execute(sa.insert(Registration), [
            {"workshop_id": workshop_id, "user_id": user_id, "status": RegistrationStatus.CONFIRMED, "sequence": 100 + offset + i,
             "constituency": Constituency.WORKERS, "working_language": "en", "motivation": "", "consent_at": datetime.now(UTC)}
            for i, user_id in enumerate(ids)])
        db.session.commit()
        return list(ids)


def test_roster_queries_do_not_grow_with_participants(app, browser, scene, count_queries, capsys):
    browser.login(scene.trainer.email)
    path = f"/trainer/workshops/{scene.workshop.slug}/sessions/{scene.sessions['plenary']}/attendance"
    statuses = ["present", "late", "excused", "absent"]

    def measure(user_ids):
        counts = {}
        with count_queries() as counter:
            assert browser.client.get(path).status_code == 200
        counts["GET roster"] = counter.count
        form = {f"status-{user_id}": statuses[i % 4] for i, user_id in enumerate(user_ids)}
        token = browser.client.get(path).get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        with count_queries() as counter:
            assert browser.client.post(path, data={**form, "csrf_token": token}).status_code == 302
        counts["POST save"] = counter.count
        with count_queries() as counter:
            assert browser.client.get(path + "/close").status_code == 200
        counts["GET close"] = counter.count
        return counts

    # 3 participants from the scene + 3 = 6, then + 54 = 60; every mark changes on each save.
    small = measure(fill(app, scene.workshop.id, 3, 0) + [p.id for p in scene.people.values()][:3])
    assert len(marks(app, scene.sessions["plenary"])) == 6
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM attendance"))
        db.session.commit()
    every = fill(app, scene.workshop.id, 54, 3)
    with app.app_context():
        all_ids = list(db.session.scalars(sa.select(Registration.user_id).where(
            Registration.workshop_id == scene.workshop.id, Registration.status == RegistrationStatus.CONFIRMED)))
    assert len(all_ids) == 60 and set(every) <= set(all_ids)
    large = measure(all_ids)
    assert len(marks(app, scene.sessions["plenary"])) == 60
    with capsys.disabled():
        print(f"\nroster queries with 6 participants: {small}; with 60: {large}")
    assert small == large
