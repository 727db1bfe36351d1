"""Nothing irreversible on one tap: cancelling, removing a session, splitting by language and rejecting
each show a page first (a GET that changes nothing); the POST from that page does it."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.attendance.models import Attendance, AttendanceStatus, MarkSource
from app.core.audit import AuditEntry
from app.core.timeutil import as_utc
from app.extensions import db
from app.mail.models import OutboxMessage
from app.workshops.models import Cohort, Registration, WorkshopSession
from tests.helpers import REGISTRATION_FORM as FORM
from tests.helpers import Browser


def statuses(app, workshop_id) -> dict:
    with app.app_context():
        return {r.user_id: (r.status.value, r.cohort_id, r.decision_reason) for r in db.session.scalars(
            sa.select(Registration).where(Registration.workshop_id == workshop_id))}


def person(app, factory, workshop, name, language="en"):
    user = factory.participant(name=name)
    browser = Browser(app.test_client())
    browser.login(user.email)
    assert browser.post(f"/workshops/{workshop.slug}/register", {**FORM, "name": name,
                                                                 "working_language": language}).status_code == 302
    return user, browser


# ---------------------------------------------------------------- cancelling one's registration

def test_cancel_asks_first_and_says_the_seat_goes_to_the_next_person(app, factory):
    workshop = factory.workshop(capacity=1)
    first, first_browser = person(app, factory, workshop, "First")
    second, _ = person(app, factory, workshop, "Second")
    before = statuses(app, workshop.id)
    detail = first_browser.client.get(f"/workshops/{workshop.slug}/").get_data(as_text=True)
    assert f'href="/workshops/{workshop.slug}/cancel"' in detail  # a link, not a one-tap form
    page = first_browser.client.get(f"/workshops/{workshop.slug}/cancel")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "goes to the next person on the waiting list" in text
    assert f'href="/workshops/{workshop.slug}/"' in text  # "No, keep it" goes back
    assert statuses(app, workshop.id) == before
    assert first_browser.post(f"/workshops/{workshop.slug}/cancel").status_code == 302
    after = statuses(app, workshop.id)
    assert after[first.id][0] == "cancelled" and after[second.id][0] == "confirmed"


def test_cancel_page_says_what_each_status_loses(app, factory):
    workshop = factory.workshop(capacity=1)
    _, alone = person(app, factory, workshop, "Alone")
    text = alone.client.get(f"/workshops/{workshop.slug}/cancel").get_data(as_text=True)
    assert "You give up your seat." in text and "waiting list" not in text.split("You give up")[1].split("</p>")[0]
    _, waiting = person(app, factory, workshop, "Waiting")
    text = waiting.client.get(f"/workshops/{workshop.slug}/cancel?lang=fr").get_data(as_text=True)
    assert "Vous quittez la liste d’attente, où vous êtes en position 1." in text
    approval = factory.workshop(requires_approval=True)
    _, pending = person(app, factory, approval, "Pending")
    assert "withdrawn" in pending.client.get(f"/workshops/{approval.slug}/cancel").get_data(as_text=True)


def test_cancel_bad_requests(app, factory, browser):
    workshop = factory.workshop()
    browser.login(factory.participant().email)
    assert browser.client.get(f"/workshops/{workshop.slug}/cancel").status_code == 404
    assert browser.post(f"/workshops/{workshop.slug}/cancel").status_code == 404
    assert browser.client.get("/workshops/no-such-workshop/cancel").status_code == 404
    _, me = person(app, factory, workshop, "Me")
    assert me.post(f"/workshops/{workshop.slug}/cancel").status_code == 302
    # Cancelled already: the page sends back to the workshop; a second POST changes nothing.
    assert me.client.get(f"/workshops/{workshop.slug}/cancel").status_code == 302
    before = statuses(app, workshop.id)
    assert me.post(f"/workshops/{workshop.slug}/cancel", follow_redirects=True).status_code == 200
    assert statuses(app, workshop.id) == before
    anonymous = app.test_client()
    assert anonymous.get(f"/workshops/{workshop.slug}/cancel").status_code == 302


# ---------------------------------------------------------------- a trainer's session: remove, edit

@pytest.fixture
def timetable(app, factory, browser):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], languages=["en", "fr"])
    browser.login(trainer.email)
    day = workshop.starts_on.isoformat()
    url = f"/trainer/workshops/{workshop.slug}/sessions"
    for title, start, end in [("Opening", "09:00", "10:30"), ("Panel", "11:00", "12:00")]:
        assert browser.post(url, {"title_en": title, "starts_at": f"{day}T{start}", "ends_at": f"{day}T{end}",
                                  "cohort": "", "room": "Room A"}).status_code == 302
    with app.app_context():
        sessions = {s.title["en"]: s.id for s in db.session.scalars(
            sa.select(WorkshopSession).where(WorkshopSession.workshop_id == workshop.id))}
    return workshop, url, sessions


def session_titles(app, workshop_id):
    with app.app_context():
        return sorted(title["en"] for title in db.session.scalars(
            sa.select(WorkshopSession.title).where(WorkshopSession.workshop_id == workshop_id)))


def test_remove_asks_first_with_title_time_and_marks(app, factory, browser, timetable):
    workshop, url, sessions = timetable
    page = browser.client.get(url).get_data(as_text=True)
    assert f'href="{url}/{sessions["Opening"]}/delete"' in page and f'href="{url}/{sessions["Opening"]}/edit"' in page
    response = browser.client.get(f"{url}/{sessions['Opening']}/delete")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Opening" in text and "10:30" in text and "Attendance was taken" not in text
    with app.app_context():
        someone = factory.participant()
        db.session.add(Attendance(session_id=sessions["Opening"], user_id=someone.id, status=AttendanceStatus.PRESENT,
                                  source=MarkSource.TRAINER, marked_at=datetime.now(UTC)))
        db.session.commit()
    text = browser.client.get(f"{url}/{sessions['Opening']}/delete").get_data(as_text=True)
    assert "its 1 mark is deleted with it" in text
    assert session_titles(app, workshop.id) == ["Opening", "Panel"]
    assert browser.post(f"{url}/{sessions['Opening']}/delete").status_code == 302
    assert session_titles(app, workshop.id) == ["Panel"]
    assert browser.client.get(f"{url}/{sessions['Opening']}/delete").status_code == 404


def test_edit_a_session(app, browser, timetable):
    workshop, url, sessions = timetable
    day = workshop.starts_on.isoformat()
    page = browser.client.get(f"{url}/{sessions['Panel']}/edit").get_data(as_text=True)
    assert f'value="{day}T11:00"' in page and 'value="Panel"' in page  # shown in the workshop's zone, as the browser writes it
    # Moving a session within its own time (it does not overlap itself), renamed, to another room.
    response = browser.post(f"{url}/{sessions['Panel']}/edit", {"title_en": "Panel debate", "starts_at": f"{day}T11:15",
                                                                 "ends_at": f"{day}T12:30", "cohort": "", "room": "B"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(WorkshopSession, sessions["Panel"])
        assert (saved.title, saved.room) == ({"en": "Panel debate"}, "B")
        local = as_utc(saved.starts_at).astimezone(ZoneInfo(workshop.timezone))
        assert local.strftime("%H:%M") == "11:15"
        assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.subject_id == saved.id,
                                                                    AuditEntry.action == "session.edited"))


def test_edit_refuses_an_overlap_under_the_start_field_and_bad_input(app, browser, timetable):
    workshop, url, sessions = timetable
    day = workshop.starts_on.isoformat()
    ok = {"title_en": "Panel", "starts_at": f"{day}T11:00", "ends_at": f"{day}T12:00", "cohort": "", "room": "Room A"}
    cases = [
        ({"starts_at": f"{day}T10:00"}, "starts_at", "overlaps"),
        ({"ends_at": f"{day}T10:00"}, "ends_at", "must end after it starts"),
        ({"starts_at": "2001-01-01T09:00", "ends_at": "2001-01-01T10:00"}, "starts_at", "within the workshop"),
        ({"title_en": ""}, "title_en", "This field is required"),
        ({"title_en": "t" * 10_000}, "title_en", "longer than 200"),
        ({"cohort": "99999"}, "cohort", "Not a valid choice"),
    ]
    for changes, field_id, message in cases:
        response = browser.post(f"{url}/{sessions['Panel']}/edit", {**ok, **changes})
        text = response.get_data(as_text=True)
        assert response.status_code == 422, changes
        error = text.split(f'id="{field_id}-error">')[1].split("</p>")[0]
        assert message in error, (changes, error)
    with app.app_context():
        saved = db.session.get(WorkshopSession, sessions["Panel"])
        assert (saved.title["en"], as_utc(saved.starts_at).astimezone(ZoneInfo(workshop.timezone)).strftime("%H:%M")) == ("Panel", "11:00")


def test_a_session_of_another_workshop_is_404(app, factory, browser, timetable):
    _, url, _ = timetable
    other_trainer = factory.trainer()
    other = factory.workshop(trainers=[other_trainer])
    owner = Browser(app.test_client())
    owner.login(other_trainer.email)
    day = other.starts_on.isoformat()
    owner.post(f"/trainer/workshops/{other.slug}/sessions", {"title_en": "Theirs", "starts_at": f"{day}T09:00",
                                                             "ends_at": f"{day}T10:00", "cohort": "", "room": ""})
    with app.app_context():
        theirs = db.session.scalar(sa.select(WorkshopSession.id).where(WorkshopSession.workshop_id == other.id))
    assert browser.client.get(f"{url}/{theirs}/edit").status_code == 404
    assert browser.post(f"{url}/{theirs}/edit", {"title_en": "Mine", "starts_at": f"{day}T09:00",
                                                 "ends_at": f"{day}T10:00"}).status_code == 404
    assert browser.client.get(f"{url}/{theirs}/delete").status_code == 404
    assert session_titles(app, other.id) == ["Theirs"]


# ---------------------------------------------------------------- split by working language

def test_split_asks_first_with_who_moves_where(app, factory, browser):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], languages=["en", "fr"])
    for i, language in enumerate(["en", "fr", "fr"]):
        person(app, factory, workshop, f"P{i}", language)
    browser.login(trainer.email)
    assert browser.post(f"/trainer/workshops/{workshop.slug}/cohorts", {"name_en": "French group"}).status_code == 302
    cohorts_page = browser.client.get(f"/trainer/workshops/{workshop.slug}/cohorts").get_data(as_text=True)
    assert f'href="/trainer/workshops/{workshop.slug}/cohorts/split"' in cohorts_page
    before = statuses(app, workshop.id)
    text = browser.client.get(f"/trainer/workshops/{workshop.slug}/cohorts/split").get_data(as_text=True)
    # "French group" is taken by a cohort without a language: the new one is named beside it.
    assert "English group" in text and "French group+" in text and "2 participants move" in text
    assert "1 participant moves" in text and "new cohort" in text
    assert statuses(app, workshop.id) == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort).where(Cohort.workshop_id == workshop.id)) == 1
    response = browser.post(f"/trainer/workshops/{workshop.slug}/cohorts/split", follow_redirects=True)
    assert "3 moved" in response.get_data(as_text=True)
    with app.app_context():
        names = [name["en"] for name in db.session.scalars(sa.select(Cohort.name).where(Cohort.workshop_id == workshop.id))]
    assert set(names) == {"French group", "English group", "French group+"}
    again = browser.client.get(f"/trainer/workshops/{workshop.slug}/cohorts/split").get_data(as_text=True)
    plan = again.split("<ul>")[1].split("</ul>")[0]
    assert "existing cohort" in plan and "2 already there" in plan and "move" not in plan


def test_split_page_with_nobody_confirmed(factory, browser):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    browser.login(trainer.email)
    text = browser.client.get(f"/trainer/workshops/{workshop.slug}/cohorts/split").get_data(as_text=True)
    assert "nothing will change" in text


# ---------------------------------------------------------------- rejecting

@pytest.fixture
def crowd(app, factory, browser):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], capacity=1)
    people = [person(app, factory, workshop, name)[0] for name in ("Ana Reyes", "Ben Okafor", "Chen Li")]
    browser.login(trainer.email)
    with app.app_context():
        ids = {r.user_id: r.id for r in db.session.scalars(sa.select(Registration).where(Registration.workshop_id == workshop.id))}
    return workshop, people, [ids[p.id] for p in people]


def test_reject_asks_first_names_the_people_and_requires_a_reason(app, browser, crowd):
    workshop, people, ids = crowd
    base = f"/trainer/workshops/{workshop.slug}"
    before = statuses(app, workshop.id)
    # The list's Reject button sends a GET (its form's token included) to the confirmation page.
    response = browser.client.get(f"{base}/registrations/reject", query_string={
        "ids": ids[:2], "csrf_token": "x", "back": "status=confirmed&evil=1", "cohort": "none"})
    assert response.status_code == 302 and "csrf_token" not in response.headers["Location"]
    text = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ana Reyes" in text and "Ben Okafor" in text and "Chen Li" not in text
    assert "e-mail with the reason" in text and "Reject 2 registrations" in text
    assert f'href="{base}/?status=confirmed"' in text  # Cancel goes back to the list as it was filtered
    assert statuses(app, workshop.id) == before
    # An empty reason: the page again, with the message, and nothing changed.
    for reason in ("", "   ", "r" * 1001):
        response = browser.post(f"{base}/registrations?status=confirmed", {"ids": ids[:2], "action": "reject", "reason": reason})
        text = response.get_data(as_text=True)
        assert response.status_code == 422 and "Ana Reyes" in text
        assert ("Give a reason" if len(reason) < 1000 else "too long") in text
        assert statuses(app, workshop.id) == before
    response = browser.post(f"{base}/registrations?status=confirmed",
                            {"ids": ids[:2], "action": "reject", "reason": "Your ministry already has a delegate."})
    assert response.status_code == 302 and response.headers["Location"].endswith("/?status=confirmed")
    after = statuses(app, workshop.id)
    assert [after[p.id][0] for p in people] == ["rejected", "rejected", "confirmed"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient == people[1].email, OutboxMessage.body.contains("already has a delegate"))) == 1
    # Rejected people are listed apart on a second confirmation; the counts read in French.
    text = browser.client.get(f"{base}/registrations/reject", query_string={"ids": ids, "lang": "fr"}).get_data(as_text=True)
    assert "Refuser 1 inscription" in text and "2 inscriptions cochées" in text


def test_reject_page_without_a_ticked_registration_or_with_bad_ids(app, factory, browser, crowd):
    workshop, _, _ = crowd
    base = f"/trainer/workshops/{workshop.slug}"
    text = browser.client.get(f"{base}/registrations/reject?ids=x&ids=-1").get_data(as_text=True)
    assert "Tick at least one registration" in text
    other = factory.workshop()
    person(app, factory, other, "Elsewhere")
    with app.app_context():
        theirs = db.session.scalar(sa.select(Registration.id).where(Registration.workshop_id == other.id))
    text = browser.client.get(f"{base}/registrations/reject", query_string={"ids": [theirs]}).get_data(as_text=True)
    assert "Elsewhere" not in text and "Tick at least one registration" in text
    before = statuses(app, other.id)
    browser.post(f"{base}/registrations", {"ids": [theirs], "action": "reject", "reason": "No."})
    assert statuses(app, other.id) == before
    assert browser.post(f"{base}/registrations", {"action": "reject", "reason": "No."}).status_code == 422
