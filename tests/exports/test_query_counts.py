"""Every export, sign-in sheet and page costs the same number of queries with 6 or 60 participants."""
from datetime import UTC, datetime

import sqlalchemy as sa

from app.attendance.models import Attendance, AttendanceStatus, MarkSource
from app.auth.models import Constituency, Sex, User
from app.core.permissions import Role
from app.extensions import db
from app.progress.models import ModuleProgress
from app.workshops.models import Registration, RegistrationStatus

URLS = ["attendance.csv", "attendance.xlsx", "attendance.csv?layout=long", "attendance.csv?anonymized=1",
        "registrations.csv", "registrations.xlsx", "results.csv", "results.xlsx", "signin-sheet.pdf", "{plenary}"]


def fill(app, world, count: int, offset: int) -> None:
    """`count` more confirmed participants, each with a mark at the plenary and a quiz score."""
    with app.app_context():
        db.session.execute(sa.insert(User), [
            {"email": f"many{offset + i}@example.net", "name": f"Many {offset + i:03d}", "password_hash": "x",
             "role": Role.PARTICIPANT, "preferred_language": "en", "country": "PH", "organisation": "=Org",
             "constituency": Constituency.WORKERS, "sex": Sex.MALE, "active": True, "session_version": 1}
            for i in range(count)])
        ids = db.session.scalars(sa.select(User.id).where(User.email.like("many%")).order_by(User.id)).all()[-count:]
        db.session.execute(sa.insert(Registration), [
            {"workshop_id": world.workshop.id, "user_id": user_id, "status": RegistrationStatus.CONFIRMED,
             "sequence": 100 + offset + i, "working_language": "en", "motivation": "", "consent_at": datetime.now(UTC)}
            for i, user_id in enumerate(ids)])
        db.session.execute(sa.insert(Attendance), [
            {"session_id": world.sessions["plenary"], "user_id": user_id, "status": AttendanceStatus.PRESENT,
             "source": MarkSource.TRAINER, "marked_at": datetime.now(UTC)} for user_id in ids])
        db.session.execute(sa.insert(ModuleProgress), [
            {"user_id": user_id, "module_id": world.modules[0], "sections_read": [], "best_score": 70,
             "quiz_passed": True, "updated_at": datetime.now(UTC)} for user_id in ids])
        db.session.commit()


def measure(browser, world, count_queries) -> dict[str, int]:
    counts = {}
    base = f"/trainer/workshops/{world.workshop.slug}/"
    for url in URLS:
        path = base + url.format(plenary=f"signin-sheet.pdf?session={world.sessions['plenary']}")
        with count_queries() as counter:
            response = browser.client.get(path)
            assert response.status_code == 200, path
            response.get_data()
        counts[url] = counter.count
    for page in ("/admin/workshops/{slug}/", "/trainer/workshops/{slug}/", "/trainer/workshops/{slug}/sessions"):
        with count_queries() as counter:
            assert browser.client.get(page.format(slug=world.workshop.slug)).status_code == 200
        counts[page] = counter.count
    return counts


def test_queries_do_not_grow_with_participants(app, browser, world, factory, count_queries, capsys):
    # The scene's 11 confirmed participants are replaced by 6, then 60, of the same shape.
    with app.app_context():
        db.session.execute(sa.delete(Registration).where(Registration.workshop_id == world.workshop.id))
        db.session.commit()
    browser.login(factory.admin().email)
    fill(app, world, 6, 0)
    small = measure(browser, world, count_queries)
    fill(app, world, 54, 6)
    large = measure(browser, world, count_queries)
    with capsys.disabled():
        print(f"\nexport queries with 6 participants: {small}\nwith 60: {large}")
    assert small == large
