"""Self check-in: the trainer opens a code; an expected participant confirms; everyone else is refused."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.attendance import checkin
from app.attendance.models import CheckIn
from app.core.timeutil import utcnow
from app.extensions import db
from tests.attendance.helpers import marks
from tests.helpers import Browser


def open_code(app, browser, scene, session="plenary") -> str:
    browser.login(scene.trainer.email)
    path = f"/trainer/workshops/{scene.workshop.slug}/sessions/{scene.sessions[session]}/attendance"
    response = browser.post(path + "/checkin", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    with app.app_context():
        code = db.session.scalar(sa.select(CheckIn.code).where(CheckIn.session_id == scene.sessions[session]))
    assert 'class="checkin-code"' in page and code in page
    assert "<svg" in page and 'class="qr"' in page and f"http://localhost/checkin/{code}" in page
    return code


def participant(app, user) -> Browser:
    person = Browser(app.test_client())
    person.login(user.email)
    return person


def test_code_alphabet_and_normalization():
    code = checkin.new_code()
    assert len(code) == 6 and set(code) <= set(checkin.ALPHABET)
    assert not set("01OIL") & set(checkin.ALPHABET)
    assert checkin.normalize(" ab3-k9q ") == "AB3K9Q"
    assert checkin.normalize("AB0K9Q") is None and checkin.normalize("ABC") is None


def test_participant_checks_in_present_after_confirming(app, browser, scene):
    code = open_code(app, browser, scene)
    zoe = participant(app, scene.people["Zoë Ade"])
    page = zoe.client.get(f"/checkin/{code}").get_data(as_text=True)
    assert "Opening plenary" in page and "Check me in" in page
    assert marks(app, scene.sessions["plenary"]) == {}  # a GET never checks in
    response = zoe.post(f"/checkin/{code.lower()}", follow_redirects=True)
    assert "You are checked in. Welcome!" in response.get_data(as_text=True)
    assert marks(app, scene.sessions["plenary"]) == {scene.people["Zoë Ade"].id: ("present", "self")}


def test_typed_code_goes_to_its_page(app, browser, scene):
    code = open_code(app, browser, scene)
    zoe = participant(app, scene.people["Zoë Ade"])
    response = zoe.client.get(f"/checkin/?code={code[:3].lower()} {code[3:]}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/checkin/{code}")


def test_after_the_grace_period_it_is_late(app, browser, scene):
    code = open_code(app, browser, scene, "a")  # began 30 minutes ago
    response = participant(app, scene.people["amira Ben"]).post(f"/checkin/{code}", follow_redirects=True)
    assert "marked late" in response.get_data(as_text=True)
    assert marks(app, scene.sessions["a"]) == {scene.people["amira Ben"].id: ("late", "self")}


def test_double_click_marks_once(app, browser, scene):
    code = open_code(app, browser, scene)
    zoe = participant(app, scene.people["Zoë Ade"])
    zoe.post(f"/checkin/{code}")
    response = zoe.post(f"/checkin/{code}", follow_redirects=True)
    assert "Your attendance was already recorded: Present." in response.get_data(as_text=True)
    assert len(marks(app, scene.sessions["plenary"])) == 1


def test_trainers_mark_wins_over_self_check_in(app, browser, scene):
    code = open_code(app, browser, scene)
    zoe = scene.people["Zoë Ade"]
    roster = f"/trainer/workshops/{scene.workshop.slug}/sessions/{scene.sessions['plenary']}/attendance"
    browser.post(roster, {f"status-{zoe.id}": "excused"})
    participant(app, zoe).post(f"/checkin/{code}")
    assert marks(app, scene.sessions["plenary"])[zoe.id] == ("excused", "trainer")
    # and the trainer may overwrite a self check-in
    chen = scene.people["Chen Li"]
    participant(app, chen).post(f"/checkin/{code}")
    browser.post(roster, {f"status-{chen.id}": "absent"})
    assert marks(app, scene.sessions["plenary"])[chen.id] == ("absent", "trainer")


@pytest.mark.parametrize("who, session, message, status", [
    ("Chen Li", "a", "This session is for another cohort", 403),
    ("Pending Pat", "plenary", "You are not on the list for this session", 403),
    ("stranger", "plenary", "You are not on the list for this session", 403),
])
def test_people_not_expected_are_refused(app, factory, browser, scene, who, session, message, status):
    code = open_code(app, browser, scene, session)
    user = factory.participant() if who == "stranger" else scene.people[who]
    person = participant(app, user)
    for response in (person.client.get(f"/checkin/{code}"), person.post(f"/checkin/{code}")):
        assert response.status_code == status and message in response.get_data(as_text=True)
    assert marks(app, scene.sessions[session]) == {}


def test_a_trainer_is_not_a_participant(app, browser, scene):
    code = open_code(app, browser, scene)
    assert browser.post(f"/checkin/{code}").status_code == 403


def test_unknown_expired_and_closed_codes(app, browser, scene):
    zoe = participant(app, scene.people["Zoë Ade"])
    assert zoe.post("/checkin/ZZZZZZ").status_code == 404
    assert "not known" in zoe.client.get("/checkin/<script>").get_data(as_text=True)
    code = open_code(app, browser, scene)
    with app.app_context():
        db.session.execute(sa.update(CheckIn).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    response = zoe.post(f"/checkin/{code}")
    assert response.status_code == 403 and "has expired" in response.get_data(as_text=True)
    # Opening again gives a new code; the old one is unknown from then on.
    new_code = open_code(app, browser, scene)
    assert new_code != code and zoe.post(f"/checkin/{code}").status_code == 404
    browser.post(f"/trainer/workshops/{scene.workshop.slug}/sessions/{scene.sessions['plenary']}/attendance/close")
    response = zoe.post(f"/checkin/{new_code}")
    assert response.status_code == 403 and "closed" in response.get_data(as_text=True)
    assert marks(app, scene.sessions["plenary"])[scene.people["Zoë Ade"].id] == ("absent", "trainer")


def test_reopening_an_open_check_in_keeps_its_code(app, browser, scene):
    assert open_code(app, browser, scene) == open_code(app, browser, scene)


def test_a_code_checks_in_only_for_its_own_session(app, browser, scene):
    code = open_code(app, browser, scene, "a")
    participant(app, scene.people["Zoë Ade"]).post(f"/checkin/{code}")
    assert marks(app, scene.sessions["plenary"]) == {} and len(marks(app, scene.sessions["a"])) == 1


def test_check_in_cannot_open_for_a_future_or_finished_session(app, browser, scene):
    browser.login(scene.trainer.email)
    for session, message in (("future", "Check-in opens 30 minutes before the session starts."),
                             ("past", "This session has ended")):
        path = f"/trainer/workshops/{scene.workshop.slug}/sessions/{scene.sessions[session]}/attendance"
        response = browser.post(path + "/checkin", follow_redirects=True)
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_code_of_another_workshops_session_cannot_be_used(app, factory, browser, scene):
    """A participant of this workshop holding another workshop's code is not expected there."""
    code = open_code(app, browser, scene)
    other = factory.workshop()
    stranger_to_this = participant(app, factory.participant())
    assert stranger_to_this.post(f"/checkin/{code}").status_code == 403
    assert other.slug not in stranger_to_this.client.get(f"/checkin/{code}").get_data(as_text=True)


def test_anonymous_visitors_log_in_first(app, browser, scene):
    code = open_code(app, browser, scene)
    response = app.test_client().get(f"/checkin/{code}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_guessing_codes_is_rate_limited_per_person(app, browser, scene, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_LIMIT_PER_USER", "3 per minute")
    zoe = participant(app, scene.people["Zoë Ade"])
    assert [zoe.client.get(f"/checkin/AAAAA{c}").status_code for c in "BCDE"] == [404, 404, 404, 429]
    other = participant(app, scene.people["amira Ben"])
    assert other.client.get("/checkin/AAAAAF").status_code == 404  # another person still may try


def test_guessing_codes_is_rate_limited_per_address(app, scene, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_LIMIT_PER_ADDRESS", "2 per minute")
    statuses = [participant(app, scene.people[name]).client.get("/checkin/AAAAAB").status_code
                for name in ("Zoë Ade", "amira Ben", "Chen Li")]
    assert statuses == [404, 404, 429]


def test_successful_check_ins_do_not_use_up_the_limit(app, browser, scene, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_LIMIT_PER_ADDRESS", "2 per minute")
    code = open_code(app, browser, scene)
    for name in ("Zoë Ade", "amira Ben", "Chen Li"):
        person = participant(app, scene.people[name])
        assert person.client.get(f"/checkin/{code}").status_code == 200
        assert person.post(f"/checkin/{code}").status_code == 302
    assert len(marks(app, scene.sessions["plenary"])) == 3
