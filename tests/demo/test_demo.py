"""`flask demo load`: the running course has attendance taken, and the demo participant a certificate."""
import sqlalchemy as sa

from app.attendance.models import Attendance, AttendanceStatus
from app.auth.models import User
from app.certificates.models import Certificate
from app.extensions import db
from app.workshops.models import Cohort, Workshop, WorkshopSession
from tests.certificates.helpers import pdf_text


def test_the_running_course_has_attendance_and_the_demo_participant_a_certificate(app, runner, browser):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        course = db.session.scalar(sa.select(Workshop).where(Workshop.slug == "governing-labour-migration-course"))
        marks = db.session.execute(sa.select(Attendance.status, sa.func.count()).join(WorkshopSession)
                                   .where(WorkshopSession.workshop_id == course.id).group_by(Attendance.status)).all()
        counts = dict(marks)
        assert set(counts) == set(AttendanceStatus)
        assert counts[AttendanceStatus.PRESENT] > 3 * sum(n for status, n in counts.items() if status != AttendanceStatus.PRESENT)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        again = dict(db.session.execute(sa.select(Attendance.status, sa.func.count()).join(WorkshopSession)
                                        .where(WorkshopSession.workshop_id == course.id).group_by(Attendance.status)).all())
        assert again == counts  # idempotent: nothing marked twice

    browser.login("participant@example.org", "demo-pass-2026")
    assert "Get my certificate (PDF)" in browser.client.get("/dashboard").get_data(as_text=True)
    response = browser.post("/workshops/governing-labour-migration-course/certificate")
    assert response.status_code == 302
    text = pdf_text(browser.client.get(response.location).data)
    assert "Priya Raman" in text and "Two-week course: governing labour migration" in text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1


def test_the_demo_accounts_start_in_english_each_time(app, runner, browser):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    browser.login("admin@example.org", "demo-pass-2026")
    browser.post("/language", {"lang": "fr", "next": "/"})  # the switcher saves the preference
    with app.app_context():
        assert db.session.scalar(sa.select(User.preferred_language).where(User.email == "admin@example.org")) == "fr"
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        languages = db.session.scalars(sa.select(User.preferred_language).where(
            User.email.in_(["admin@example.org", "trainer@example.org", "participant@example.org"]))).all()
    assert languages == ["en", "en", "en"]


def test_the_demo_workshops_speak_english_french_and_spanish(app, runner, browser):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        workshops = db.session.scalars(sa.select(Workshop)).all()
        sessions = db.session.scalars(sa.select(WorkshopSession)).all()
        cohorts = db.session.scalars(sa.select(Cohort)).all()
        assert len(workshops) == 2 and sessions and cohorts
        for workshop in workshops:
            for texts in (workshop.title, workshop.description, workshop.address):
                assert set(texts) == {"en", "fr", "es"} and len(set(texts.values())) == 3, texts
        assert all(set(session.title) == {"en", "fr", "es"} for session in sessions)
        assert all(set(cohort.name) == {"en", "fr", "es"} for cohort in cohorts)
    page = browser.client.get("/workshops/inter-regional-labour-migration/?lang=es").get_data(as_text=True)
    assert "Taller interregional sobre migración laboral y desarrollo" in page
    assert "Plenaria de apertura: la migración laboral hoy" in page and "Campus del CIF-OIT" in page
    assert 'lang="en"' not in page.split("<main", 1)[1]  # nothing falls back to English
