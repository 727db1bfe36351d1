"""The progress matrix and the report cost the same number of queries with 6 or 60 participants."""
from datetime import UTC, datetime

import sqlalchemy as sa

from app.attendance.models import Attendance, AttendanceStatus, MarkSource
from app.auth.models import Constituency, Sex, User
from app.core.permissions import Role
from app.extensions import db
from app.progress.models import ModuleProgress
from app.workshops.models import Registration, RegistrationStatus

COUNTRIES = ["PH", "FR", "JO", "BR", "KE", None, "XX"]


def fill(app, scene, count: int, offset: int) -> None:
    """`count` more confirmed participants, each with a cohort (or none), marks and progress."""
    with app.app_context():
        db.session.execute(sa.insert(User), [
            {"email": f"many{offset + i}@example.net", "name": f"Many {offset + i:03d}", "password_hash": "x",
             "role": Role.PARTICIPANT, "preferred_language": "en", "country": COUNTRIES[i % len(COUNTRIES)],
             "constituency": Constituency.WORKERS, "sex": list(Sex)[i % 4], "active": True, "session_version": 1}
            for i in range(count)])
        ids = db.session.scalars(sa.select(User.id).where(User.email.like("many%")).order_by(User.id)).all()[-count:]
        cohorts = [scene.cohorts["A"], scene.cohorts["B"], None]
        db.session.execute(sa.insert(Registration), [
            {"workshop_id": scene.workshop.id, "user_id": user_id, "status": RegistrationStatus.CONFIRMED,
             "sequence": 100 + offset + i, "constituency": list(Constituency)[i % 4], "working_language": "en",
             "motivation": "", "consent_at": datetime.now(UTC), "cohort_id": cohorts[i % 3]} for i, user_id in enumerate(ids)])
        db.session.execute(sa.insert(Attendance), [
            {"session_id": scene.sessions["plenary"], "user_id": user_id, "status": list(AttendanceStatus)[i % 4],
             "source": MarkSource.TRAINER, "marked_at": datetime.now(UTC)} for i, user_id in enumerate(ids)])
        db.session.execute(sa.insert(ModuleProgress), [
            {"user_id": user_id, "module_id": module_id, "sections_read": [], "best_score": 50 + i % 50, "quiz_passed": False,
             "updated_at": datetime.now(UTC)} for i, user_id in enumerate(ids) for module_id in scene.modules])
        db.session.commit()


def confirmed(app, scene) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
            Registration.workshop_id == scene.workshop.id, Registration.status == RegistrationStatus.CONFIRMED))


def test_queries_do_not_grow_with_participants(app, browser, scene, count_queries, capsys):
    browser.login(scene.trainer.email)
    base = f"/trainer/workshops/{scene.workshop.slug}"
    pages = {"progress": base + "/progress", "progress of a cohort": base + f"/progress?cohort={scene.cohorts['A']}",
             "report": base + "/report"}

    def measure():
        counts = {}
        for name, path in pages.items():
            browser.client.get(path)  # warm: the content cache may have to (re)load once per content version
            with count_queries() as counter:
                response = browser.client.get(path)
            assert response.status_code == 200
            counts[name] = counter.count
        return counts

    fill(app, scene, 2, 0)  # the scene's 4 + 2
    assert confirmed(app, scene) == 6
    small = measure()
    fill(app, scene, 54, 2)
    assert confirmed(app, scene) == 60
    large = measure()
    with capsys.disabled():
        print(f"\nreport queries with 6 participants: {small}; with 60: {large}")
    assert small == large
    assert max(large.values()) <= 15


def test_admin_report_queries_do_not_grow_either(app, browser, factory, scene, count_queries):
    browser.login(factory.admin().email)
    path = f"/admin/workshops/{scene.workshop.slug}/report"
    fill(app, scene, 2, 0)
    browser.client.get(path)  # warm the content cache
    with count_queries() as small:
        assert browser.client.get(path).status_code == 200
    fill(app, scene, 54, 2)
    with count_queries() as large:
        assert browser.client.get(path).status_code == 200
    assert small.count == large.count
