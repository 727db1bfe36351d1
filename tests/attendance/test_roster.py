"""The trainer's roster: who is expected, saving marks, "everyone present", closing, and who may do it."""
import re

import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from tests.attendance.helpers import marks
from tests.helpers import Browser


def url(scene, session="plenary", suffix=""):
    return f"/trainer/workshops/{scene.workshop.slug}/sessions/{scene.sessions[session]}/attendance{suffix}"


def names_on(page: str) -> list[str]:
    return re.findall(r'<legend title="[^"]*">([^<]+?)(?: <span|</legend>)', page)


def test_roster_lists_confirmed_participants_sorted_by_name(browser, scene):
    browser.login(scene.trainer.email)
    page = browser.client.get(url(scene)).get_data(as_text=True)
    assert names_on(page) == ["amira Ben", "Chen Li", "Zoë Ade"]  # case-insensitive; pending Pat is not expected
    page = browser.client.get(url(scene, "a")).get_data(as_text=True)
    assert names_on(page) == ["amira Ben", "Zoë Ade"]
    assert 'type="radio"' in page and "<table" not in page


def test_sessions_page_links_each_roster(browser, scene):
    browser.login(scene.trainer.email)
    page = browser.client.get(f"/trainer/workshops/{scene.workshop.slug}/sessions").get_data(as_text=True)
    assert url(scene) in page and url(scene, "b") in page


def test_saving_marks_records_who_and_when(app, browser, scene):
    browser.login(scene.trainer.email)
    zoe, amira = scene.people["Zoë Ade"], scene.people["amira Ben"]
    response = browser.post(url(scene, "a"), {f"status-{zoe.id}": "late", f"status-{amira.id}": "excused"},
                            follow_redirects=True)
    assert "2 marks saved." in response.get_data(as_text=True)
    assert marks(app, scene.sessions["a"]) == {zoe.id: ("late", "trainer"), amira.id: ("excused", "trainer")}
    response = browser.post(url(scene, "a"), {f"status-{zoe.id}": "present", f"status-{amira.id}": "excused"},
                            follow_redirects=True)
    assert "1 mark saved." in response.get_data(as_text=True)
    with app.app_context():
        entries = db.session.execute(sa.select(AuditEntry.actor_id, AuditEntry.details)
                                     .where(AuditEntry.action == "attendance.marked").order_by(AuditEntry.id)).all()
    assert entries[-1] == (scene.trainer.id, f"user {zoe.id}: late -> present")
    assert len(entries) == 3


def test_mark_everyone_present_keeps_chosen_marks(app, browser, scene):
    browser.login(scene.trainer.email)
    chen = scene.people["Chen Li"]
    browser.post(url(scene), {f"status-{chen.id}": "absent", "everyone_present": "1"})
    result = marks(app, scene.sessions["plenary"])
    assert result[chen.id] == ("absent", "trainer")
    assert sorted(status for status, _ in result.values()) == ["absent", "present", "present"]


def test_people_not_expected_are_ignored_and_bad_values_refused(app, browser, scene):
    browser.login(scene.trainer.email)
    chen, pat = scene.people["Chen Li"], scene.people["Pending Pat"]
    browser.post(url(scene, "a"), {f"status-{chen.id}": "present", f"status-{pat.id}": "present"})
    assert marks(app, scene.sessions["a"]) == {}
    assert browser.post(url(scene, "a"), {f"status-{chen.id}": "here"}).status_code == 400
    assert browser.post(url(scene, "a"), {"status-x": "present"}).status_code == 400
    assert browser.client.post(url(scene, "a"), data={f"status-{chen.id}": "present"}).status_code == 400  # no CSRF token


def test_close_confirms_how_many_then_marks_the_rest_absent(app, browser, scene):
    browser.login(scene.trainer.email)
    zoe = scene.people["Zoë Ade"]
    browser.post(url(scene), {f"status-{zoe.id}": "present"})
    page = browser.client.get(url(scene, suffix="/close")).get_data(as_text=True)
    assert "2 participants have no mark yet and will be marked absent." in page
    assert len(marks(app, scene.sessions["plenary"])) == 1  # the GET changed nothing
    response = browser.post(url(scene, suffix="/close"), follow_redirects=True)
    assert "Attendance closed: 2 participants marked absent." in response.get_data(as_text=True)
    result = marks(app, scene.sessions["plenary"])
    assert result[zoe.id] == ("present", "trainer") and sorted(result.values()).count(("absent", "trainer")) == 2
    page = browser.client.get(url(scene, suffix="/close")).get_data(as_text=True)
    assert "nobody will be marked absent" in page


def test_another_workshops_session_and_another_trainer_get_404(app, factory, browser, scene):
    other_workshop = factory.workshop()
    browser.login(scene.trainer.email)
    foreign = f"/trainer/workshops/{other_workshop.slug}/sessions/{scene.sessions['plenary']}/attendance"
    assert browser.client.get(foreign).status_code == 404  # not their workshop
    other_trainer = factory.trainer()
    with app.app_context():
        from app.workshops.models import (
            workshop_trainers,  # the other workshop gets its own trainer
        )

        db.session.execute(workshop_trainers.insert().values(workshop_id=other_workshop.id, user_id=other_trainer.id))
        db.session.commit()
    stranger = Browser(app.test_client())
    stranger.login(other_trainer.email)
    # Their own workshop's URL with a session id of another workshop: 404, nothing written.
    assert stranger.client.get(foreign).status_code == 404
    assert stranger.post(foreign, {f"status-{scene.people['Chen Li'].id}": "absent"}).status_code == 404
    for suffix in ("", "/close"):
        assert stranger.client.get(url(scene, suffix=suffix)).status_code == 404
    for suffix in ("", "/checkin", "/close"):
        assert stranger.post(url(scene, suffix=suffix), {f"status-{scene.people['Chen Li'].id}": "absent"}).status_code == 404
    assert marks(app, scene.sessions["plenary"]) == {}


def test_participants_cannot_open_the_roster(app, browser, scene):
    browser.login(scene.people["Zoë Ade"].email)
    assert browser.client.get(url(scene)).status_code == 403


def test_admin_takes_attendance_of_any_workshop(app, factory, scene):
    admin = Browser(app.test_client())
    admin.login(factory.admin().email)
    assert admin.client.get(url(scene)).status_code == 200
