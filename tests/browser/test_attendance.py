"""At phone width: a participant checks in with the code a trainer opened; the trainer saves the roster."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.attendance.models import Attendance
from app.auth.models import Constituency, Sex, User
from app.auth.passwords import hash_password
from app.core.permissions import Role
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import (
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
    workshop_trainers,
)
from tests.helpers import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "roster passphrase 2026"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def classroom(live_app):
    """Its own trainer, two participants and a workshop whose plenary started two minutes ago."""
    with live_app.app_context():
        password_hash = hash_password(PASSWORD)
        people = {}
        for key, name, role in (("trainer", "Tomás Roster", Role.TRAINER), ("ana", "Ana Check", Role.PARTICIPANT),
                                ("ben", "Ben Late", Role.PARTICIPANT)):
            user = User(email=f"{key}.attendance@example.net", name=name, password_hash=password_hash, role=role,
                        preferred_language="en", country="KE", constituency=Constituency.WORKERS, sex=Sex.FEMALE)
            db.session.add(user)
            people[key] = user
        workshop = Workshop(slug="attendance-browser", title={"en": "Attendance in the browser"}, starts_on=date.today(),
                            ends_on=date.today() + timedelta(days=1), timezone="UTC", languages=["en"], capacity=10,
                            status=WorkshopStatus.OPEN)
        db.session.add(workshop)
        db.session.flush()
        db.session.execute(workshop_trainers.insert().values(workshop_id=workshop.id, user_id=people["trainer"].id))
        for sequence, key in enumerate(("ana", "ben"), start=1):
            db.session.add(Registration(workshop_id=workshop.id, user_id=people[key].id, status=RegistrationStatus.CONFIRMED,
                                        sequence=sequence, working_language="en", consent_at=utcnow()))
        start = utcnow() - timedelta(minutes=2)
        session = WorkshopSession(workshop_id=workshop.id, title={"en": "Opening plenary"}, starts_at=start,
                                  ends_at=start + timedelta(hours=1))
        db.session.add(session)
        db.session.commit()
        return {"session_id": session.id, **{key: user.id for key, user in people.items()}}


def log_in(page, base, key):
    page.goto(base + "/login?lang=en")
    page.get_by_label("E-mail address").fill(f"{key}.attendance@example.net")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_participant_checks_in_and_trainer_saves_the_roster(live_app, live_server, chromium, classroom):
    trainer = chromium.new_context(viewport=PHONE, locale="en-GB").new_page()
    log_in(trainer, live_server, "trainer")
    trainer.goto(live_server + "/trainer/workshops/attendance-browser/sessions")
    trainer.get_by_role("link", name="Attendance · Opening plenary").click()
    trainer.get_by_role("button", name="Open self check-in").click()
    expect(trainer.get_by_text("Self check-in is open")).to_be_visible()
    code = trainer.locator(".checkin-code").inner_text().strip()
    assert len(code) == 6
    expect(trainer.locator(".qr-box svg")).to_be_visible()
    screenshot(trainer, "attendance-checkin-open")

    participant = chromium.new_context(viewport=PHONE, locale="en-GB").new_page()
    log_in(participant, live_server, "ana")
    participant.goto(live_server + "/checkin/")
    participant.get_by_label("Code shown by your trainer").fill(code.lower())
    participant.get_by_role("button", name="Continue").click()
    expect(participant.get_by_role("heading", name="Opening plenary")).to_be_visible()
    participant.get_by_role("button", name="Check me in").click()
    expect(participant.get_by_text("You are checked in. Welcome!")).to_be_visible()
    screenshot(participant, "attendance-checked-in")
    # Nothing at phone width is wider than the screen.
    assert participant.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    trainer.reload()
    ana = trainer.get_by_role("group", name="Ana Check")
    expect(ana.get_by_label("Present")).to_be_checked()
    trainer.get_by_role("group", name="Ben Late").get_by_text("Late", exact=True).click()
    trainer.get_by_role("button", name="Save").first.click()
    expect(trainer.get_by_text("1 mark saved.")).to_be_visible()
    expect(trainer.get_by_role("group", name="Ben Late").get_by_label("Late")).to_be_checked()
    assert trainer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(trainer, "attendance-roster")
    with live_app.app_context():
        saved = dict(db.session.execute(sa.select(Attendance.user_id, Attendance.status)
                                        .where(Attendance.session_id == classroom["session_id"])).all())
    assert {user_id: status.value for user_id, status in saved.items()} == {classroom["ana"]: "present", classroom["ben"]: "late"}
