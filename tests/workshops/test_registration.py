"""Participants register, wait, cancel; freed seats promote the first person who fits."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.mail.models import OutboxMessage
from app.workshops.models import Registration, WorkshopStatus
from tests.helpers import REGISTRATION_FORM as FORM
from tests.helpers import Browser


def registrations(app, workshop_id):
    with app.app_context():
        return {r.user_id: r.status.value for r in db.session.scalars(
            sa.select(Registration).where(Registration.workshop_id == workshop_id))}


def register(app, factory, workshop, **changes):
    user = factory.participant()
    browser = Browser(app.test_client())
    browser.login(user.email)
    response = browser.post(f"/workshops/{workshop.slug}/register", {**FORM, **changes})
    return user, browser, response


def test_catalogue_and_detail_show_seats_dates_and_languages(client, factory):
    workshop = factory.workshop(title="Fair recruitment in practice", capacity=60)
    factory.workshop(title="Draft one", status=WorkshopStatus.DRAFT)
    page = client.get("/workshops/?lang=fr").get_data(as_text=True)
    assert "Fair recruitment in practice" in page and "Draft one" not in page
    assert "60 / 60" in page and "Français" in page
    assert client.get(f"/workshops/{workshop.slug}/").status_code == 200


def test_draft_workshop_is_hidden(app, client, factory):
    workshop = factory.workshop(status=WorkshopStatus.DRAFT)
    assert client.get(f"/workshops/{workshop.slug}/").status_code == 404
    assert client.get(f"/workshops/{workshop.slug}/timetable.ics").status_code == 404
    assert client.get("/workshops/nope/").status_code == 404
    user, browser, response = register(app, factory, workshop)
    assert response.status_code == 404
    assert registrations(app, workshop.id) == {}


def test_register_confirms_and_sends_mail(app, factory):
    workshop = factory.workshop()
    user, browser, response = register(app, factory, workshop)
    assert response.status_code == 302
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "your seat is confirmed" in page
    assert registrations(app, workshop.id) == {user.id: "confirmed"}
    with app.app_context():
        mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == user.email))
        assert "confirmed" in mail.subject and workshop.title["en"] in mail.body
        saved = db.session.get(Registration, db.session.scalar(sa.select(Registration.id)))
        assert saved.consent_at is not None and saved.working_language == "fr"
        assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.subject_type == "registration")) == "registration.confirmed"


def test_full_workshop_waitlists_with_position(app, factory):
    workshop = factory.workshop(capacity=1)
    register(app, factory, workshop)
    user, browser, response = register(app, factory, workshop)
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "number 1 on the waiting list" in page and "Position 1 on the waiting list." in page
    assert registrations(app, workshop.id)[user.id] == "waitlisted"


def test_cancellation_promotes_the_first_waitlisted(app, factory):
    workshop = factory.workshop(capacity=1)
    first, first_browser, _ = register(app, factory, workshop)
    second, _, _ = register(app, factory, workshop)
    third, _, _ = register(app, factory, workshop)
    first_browser.post(f"/workshops/{workshop.slug}/cancel")
    assert registrations(app, workshop.id) == {first.id: "cancelled", second.id: "confirmed", third.id: "waitlisted"}
    with app.app_context():
        subjects = db.session.scalars(sa.select(OutboxMessage.subject).where(OutboxMessage.recipient == second.email)).all()
        assert any("confirmed" in subject for subject in subjects)


def test_cancelled_person_registers_again_at_the_end_of_the_queue(app, factory):
    workshop = factory.workshop(capacity=1)
    first, first_browser, _ = register(app, factory, workshop)
    second, _, _ = register(app, factory, workshop)
    first_browser.post(f"/workshops/{workshop.slug}/cancel")
    response = first_browser.post(f"/workshops/{workshop.slug}/register", FORM)
    assert response.status_code == 302
    assert registrations(app, workshop.id) == {first.id: "waitlisted", second.id: "confirmed"}


def test_quota_waitlists_beyond_the_constituency_even_with_free_seats(app, factory):
    workshop = factory.workshop(capacity=10, quota_government=1)
    register(app, factory, workshop)
    user, _, _ = register(app, factory, workshop)
    worker, _, _ = register(app, factory, workshop, constituency="workers")
    statuses = registrations(app, workshop.id)
    assert statuses[user.id] == "waitlisted" and statuses[worker.id] == "confirmed"


def test_approval_required_leaves_registration_pending(app, factory):
    workshop = factory.workshop(requires_approval=True)
    user, browser, response = register(app, factory, workshop)
    assert registrations(app, workshop.id) == {user.id: "pending"}


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (dict(status=WorkshopStatus.CLOSED), "not open for registration"),
        (dict(capacity=1, waitlist_enabled=False), "full and has no waiting list"),
        (dict(registration_closes_at=datetime.now(timezone.utc) - timedelta(hours=1)), "has closed"),
        (dict(registration_opens_at=datetime.now(timezone.utc) + timedelta(days=1)), "not opened yet"),
        (dict(starts_on=(datetime.now().date() - timedelta(days=10)), ends_on=(datetime.now().date() - timedelta(days=9))), "not open for registration"),
    ],
)
def test_registration_refused_with_a_message(app, factory, setup, message):
    workshop = factory.workshop(**setup)
    if setup.get("waitlist_enabled") is False:
        register(app, factory, workshop)
    before = registrations(app, workshop.id)
    user, browser, response = register(app, factory, workshop)
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    assert registrations(app, workshop.id) == before


def test_registering_twice_changes_nothing(app, factory):
    workshop = factory.workshop()
    user, browser, _ = register(app, factory, workshop)
    response = browser.post(f"/workshops/{workshop.slug}/register", FORM, follow_redirects=True)
    assert "already registered" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1


def test_language_not_offered_and_bad_form_input(app, factory):
    workshop = factory.workshop(languages=["en"])
    user, browser, response = register(app, factory, workshop, working_language="fr")
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    response = browser.post(f"/workshops/{workshop.slug}/register", {**FORM, "working_language": "en", "motivation": "m" * 2001})
    assert response.status_code == 422 and "longer than 2000" in response.get_data(as_text=True).replace(",", "")
    response = browser.post(f"/workshops/{workshop.slug}/register", {**FORM, "working_language": "en", "accept_privacy": ""})
    assert response.status_code == 422 and "accept the data notice" in response.get_data(as_text=True)
    assert registrations(app, workshop.id) == {}


def test_anonymous_register_goes_to_login(client, factory):
    workshop = factory.workshop()
    response = client.get(f"/workshops/{workshop.slug}/register")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_timetable_ics_imports(app, client, factory):
    from icalendar import Calendar

    from app.workshops.models import WorkshopSession

    workshop = factory.workshop()
    with app.app_context():
        start = datetime.combine(workshop.starts_on, datetime.min.time()).replace(hour=8, tzinfo=timezone.utc)
        db.session.add(WorkshopSession(workshop_id=workshop.id, title={"en": "Opening plenary"}, starts_at=start,
                                       ends_at=start + timedelta(hours=2), room="Room A"))
        db.session.commit()
    response = client.get(f"/workshops/{workshop.slug}/timetable.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    [event] = list(calendar.walk("VEVENT"))
    assert str(event["summary"]) == "Opening plenary" and event.decoded("dtstart") == start
    page = client.get(f"/workshops/{workshop.slug}/?lang=fr").get_data(as_text=True)
    local = start.astimezone(ZoneInfo("Europe/Rome")).strftime("%H:%M")
    assert "Opening plenary" in page and f"{local}–" in page and "(Europe/Rome)" in page


def test_dashboard_shows_registrations_and_the_next_session(app, factory):
    from app.workshops.models import Cohort, WorkshopSession

    workshop = factory.workshop(title="Labour migration governance")
    user, browser, _ = register(app, factory, workshop)
    with app.app_context():
        other = Cohort(workshop_id=workshop.id, name={"en": "Other group"})
        db.session.add(other)
        db.session.flush()
        start = datetime.combine(workshop.starts_on, datetime.min.time()).replace(hour=8, tzinfo=timezone.utc)
        db.session.add_all([
            WorkshopSession(workshop_id=workshop.id, cohort_id=other.id, title={"en": "Not my group"}, starts_at=start,
                            ends_at=start + timedelta(hours=1)),
            WorkshopSession(workshop_id=workshop.id, title={"en": "Opening plenary"}, starts_at=start + timedelta(hours=2),
                            ends_at=start + timedelta(hours=3)),
        ])
        db.session.commit()
    page = browser.client.get("/dashboard").get_data(as_text=True)
    assert "Labour migration governance" in page and "Confirmed" in page
    assert "Next session:" in page and "Opening plenary" in page and "Not my group" not in page


def on_forged_host(app, host: str = "evil.example") -> Browser:
    """A browser whose every request names another site in its Host header (as a proxy would pass it on)."""
    client = app.test_client()
    open_ = client.open
    client.open = lambda *args, **kwargs: open_(*args, **{"base_url": f"http://{host}", **kwargs})
    return Browser(client)


def test_links_in_mail_come_from_the_public_url_not_a_forged_host(app, factory, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", None)  # as in production: links would follow the Host header
    workshop = factory.workshop(capacity=1)
    first, _, _ = register(app, factory, workshop)
    second, _, _ = register(app, factory, workshop)
    # The cancellation that promotes the second person, and a reset request, come with a forged Host header.
    attacker = on_forged_host(app)
    assert attacker.login(first.email).status_code == 302
    assert attacker.post(f"/workshops/{workshop.slug}/cancel").status_code == 302
    assert on_forged_host(app).post("/password/forgot", {"email": second.email}).status_code == 302
    with app.app_context():
        bodies = db.session.scalars(sa.select(OutboxMessage.body).where(OutboxMessage.recipient == second.email)).all()
    promoted = [body for body in bodies if "is confirmed" in body]
    reset = [body for body in bodies if "/password/reset/" in body]
    assert promoted and reset
    assert all("evil.example" not in body for body in bodies)
    assert f"http://localhost/workshops/{workshop.slug}/" in promoted[0]
    assert "http://localhost/password/reset/" in reset[0]
