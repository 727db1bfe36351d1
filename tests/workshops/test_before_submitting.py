"""Forms that tell before, not after: the waiting list and approval announced, fields marked, errors linked."""
import re
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.auth.models import Constituency
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import (
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
)
from tests.helpers import REGISTRATION_FORM


def add_registrations(app, workshop_id, people, status=RegistrationStatus.CONFIRMED):
    """Registrations in order of arrival, numbered as seats.register numbers them."""
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        for person in people:
            db.session.add(Registration(workshop_id=workshop_id, user_id=person.id, status=status,
                                        sequence=workshop.next_sequence, constituency=Constituency.GOVERNMENT,
                                        working_language="en", consent_at=utcnow()))
            workshop.next_sequence += 1
        db.session.commit()


def full_workshop(app, factory, waiting: int, **fields):
    """A one-seat workshop whose seat is taken, with `waiting` people on its waiting list."""
    workshop = factory.workshop(capacity=1, **fields)
    add_registrations(app, workshop.id, [factory.participant()])
    add_registrations(app, workshop.id, [factory.participant() for _ in range(waiting)], RegistrationStatus.WAITLISTED)
    return workshop


def test_a_full_workshop_says_the_waiting_list_place_before_registering(app, browser, factory):
    workshop = full_workshop(app, factory, waiting=2)
    visitor_page = browser.client.get(f"/workshops/{workshop.slug}/").get_data(as_text=True)
    assert "you join the waiting list at position 3" in visitor_page
    browser.login(factory.participant().email)
    page = browser.client.get(f"/workshops/{workshop.slug}/").get_data(as_text=True)
    assert "position 3" in page and "Join the waiting list" in page
    form = browser.client.get(f"/workshops/{workshop.slug}/register").get_data(as_text=True)
    assert "you join the waiting list at position 3" in form
    assert re.search(r'<button type="submit" class="button">Join the waiting list</button>', form)
    response = browser.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "working_language": "en"})
    assert response.status_code == 302
    assert "number 3 on the waiting list" in browser.client.get(response.location).get_data(as_text=True)


def test_a_workshop_with_free_seats_promises_nothing_more(app, browser, factory):
    workshop = factory.workshop()
    browser.login(factory.participant().email)
    for path in (f"/workshops/{workshop.slug}/", f"/workshops/{workshop.slug}/register"):
        page = browser.client.get(path).get_data(as_text=True)
        assert 'id="outlook"' not in page and "waiting list at position" not in page


def test_a_full_constituency_quota_also_means_the_waiting_list(app, browser, factory):
    workshop = factory.workshop(capacity=5, quota_government=1)
    add_registrations(app, workshop.id, [factory.participant()])  # a government seat
    browser.login(factory.participant().email)
    assert "waiting list at position 1" in browser.client.get(f"/workshops/{workshop.slug}/register").get_data(as_text=True)


def test_a_workshop_needing_approval_says_so_on_its_page_and_form(app, browser, factory):
    workshop = factory.workshop(requires_approval=True)
    browser.login(factory.participant().email)
    for path in (f"/workshops/{workshop.slug}/", f"/workshops/{workshop.slug}/register"):
        assert "need the organisers' approval" in browser.client.get(path).get_data(as_text=True), path


def test_a_full_workshop_without_a_waiting_list_offers_no_register_button(app, browser, factory):
    workshop = full_workshop(app, factory, waiting=0, waitlist_enabled=False)
    browser.login(factory.participant().email)
    page = browser.client.get(f"/workshops/{workshop.slug}/").get_data(as_text=True)
    assert "keeps no waiting list" in page
    assert f"/workshops/{workshop.slug}/register" not in page


def test_someone_already_registered_sees_their_status_not_the_forecast(app, browser, factory):
    workshop = full_workshop(app, factory, waiting=1)
    person = factory.participant()
    browser.login(person.email)
    browser.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "working_language": "en"})
    page = browser.client.get(f"/workshops/{workshop.slug}/").get_data(as_text=True)
    assert "Position 2 on the waiting list." in page
    assert 'id="outlook"' not in page


def test_the_dashboard_shows_each_waiting_list_place_in_a_fixed_number_of_queries(app, browser, factory,
                                                                                 count_queries):
    person = factory.participant()
    browser.login(person.email)

    def dashboard():
        browser.client.get("/dashboard")  # warm: the content cache (re)loads once per content version
        with count_queries() as counter:
            page = browser.client.get("/dashboard").get_data(as_text=True)
        return page, counter.count

    workshops = [full_workshop(app, factory, waiting=n) for n in (0, 2)]
    for workshop in workshops:
        browser.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "working_language": "en"})
    page, two = dashboard()
    assert "Position 1 on the waiting list." in page and "Position 3 on the waiting list." in page
    more = [full_workshop(app, factory, waiting=1) for _ in range(3)]
    for workshop in more:
        browser.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "working_language": "en"})
    page, five = dashboard()
    assert page.count("Position 2 on the waiting list.") == 3
    assert five == two


def test_a_confirmed_seat_shows_no_waiting_list_place_on_the_dashboard(app, browser, factory):
    workshop = factory.workshop()
    browser.login(factory.participant().email)
    browser.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "working_language": "en"})
    assert "on the waiting list." not in browser.client.get("/dashboard").get_data(as_text=True)


def test_the_working_language_starts_empty_unless_it_can_be_guessed(app, browser, factory):
    person = factory.participant(preferred_language="es")
    browser.login(person.email)
    two = factory.workshop(languages=["en", "fr"])
    page = browser.client.get(f"/workshops/{two.slug}/register").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="working_language"[^>]*>(.*?)</select>', page, re.DOTALL)
    assert 'required' in select.group(0)
    assert re.match(r'\s*<option selected value="">', select.group(1))
    one = factory.workshop(languages=["fr"])
    page = browser.client.get(f"/workshops/{one.slug}/register").get_data(as_text=True)
    assert '<option selected value="fr">' in page
    response = browser.post(f"/workshops/{two.slug}/register", {**REGISTRATION_FORM, "working_language": ""})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                                 .where(Registration.user_id == person.id)) == 0


def test_the_error_summary_links_each_error_to_its_field(app, browser, factory):
    workshop = factory.workshop()
    browser.login(factory.participant().email)
    response = browser.post(f"/workshops/{workshop.slug}/register",
                            {**REGISTRATION_FORM, "working_language": "", "motivation": "", "accept_privacy": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = re.search(r'<div class="alert alert--error error-summary" role="alert" tabindex="-1" id="form-errors" '
                        r'autofocus>(.*?)</div>', page, re.DOTALL)
    assert summary, "the summary takes the focus, so that the page opens at it"
    links = re.findall(r'<a href="#([\w-]+)">', summary.group(1))
    assert links == ["working_language", "motivation", "accept_privacy"]
    for field_id in links:
        assert f'id="{field_id}"' in page


@pytest.mark.parametrize("value", ["", "x" * 10_000])
def test_a_bad_value_is_named_in_the_summary(app, browser, factory, value):
    workshop = factory.workshop()
    browser.login(factory.participant().email)
    response = browser.post(f"/workshops/{workshop.slug}/register",
                            {**REGISTRATION_FORM, "working_language": "en", "motivation": value})
    assert response.status_code == 422
    assert re.search(r'<li><a href="#motivation">Why do you want to take part\? — ', response.get_data(as_text=True))


def test_optional_fields_say_so_and_required_selects_start_empty(client):
    page = client.get("/signup").get_data(as_text=True)
    assert re.search(r'<label for="organisation">Organisation <span class="optional">\(optional\)</span></label>', page)
    assert re.search(r'<label for="name">Full name</label>', page)
    for name in ("country", "constituency", "sex"):
        select = re.search(rf'<select[^>]*id="{name}"[^>]*>\s*<option[^>]*>', page).group(0)
        assert "required" in select and 'value=""' in select, name
    language = re.search(r'<select[^>]*id="preferred_language"[^>]*>', page).group(0)
    assert "required" not in language  # it always has a value: the page's language


def test_the_checkbox_groups_of_the_workshop_form_are_fieldsets(app, browser, factory):
    browser.login(factory.admin().email)
    page = browser.client.get("/admin/workshops/new").get_data(as_text=True)
    for name, legend in (("languages", "Languages offered"), ("trainer_ids", "Trainers")):
        assert re.search(rf'<fieldset class="field field--group\s*" id="{name}">\s*<legend>{legend}', page), name
        assert f'<label for="{name}"' not in page
    assert not re.search(r"<ul[^>]*required", page)


def test_an_overlap_names_the_session_it_clashes_with_under_the_start(app, browser, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    browser.login(trainer.email)
    day, url = workshop.starts_on.isoformat(), f"/trainer/workshops/{workshop.slug}/sessions"
    plenary = {"title_en": "Opening plenary", "starts_at": f"{day}T09:00", "ends_at": f"{day}T10:30", "cohort": "", "room": ""}
    assert browser.post(url, plenary).status_code == 302
    response = browser.post(url, {**plenary, "title_en": "Panel", "starts_at": f"{day}T10:00", "ends_at": f"{day}T11:00"})
    assert response.status_code == 422
    under_start = re.search(r'<p class="error" id="starts_at-error">([^<]*)</p>', response.get_data(as_text=True))
    assert "Opening plenary" in under_start.group(1) and "9:00" in under_start.group(1) and "10:30" in under_start.group(1)
    response = browser.post(url, {**plenary, "title_en": "Backwards", "starts_at": f"{day}T15:00", "ends_at": f"{day}T14:00"})
    assert re.search(r'<p class="error" id="ends_at-error">A session must end after it starts.</p>',
                     response.get_data(as_text=True))


def started_workshop(factory, **fields):
    from datetime import date, timedelta

    return factory.workshop(starts_on=date.today() - timedelta(days=1), ends_on=date.today() + timedelta(days=3),
                            **fields)


def test_a_workshop_under_way_is_not_offered_for_registration(app, browser, factory):
    workshop = started_workshop(factory, title="Already running")
    for path in ("/workshops/", "/"):
        page = browser.client.get(path).get_data(as_text=True)
        assert "Already running" in page and "Registration closed" in page, path
    person = factory.participant()
    browser.login(person.email)
    page = browser.client.get(f"/workshops/{workshop.slug}/").get_data(as_text=True)
    assert "This workshop has started: registration is closed." in page
    assert f"/workshops/{workshop.slug}/register" not in page
    response = browser.client.get(f"/workshops/{workshop.slug}/register")
    assert response.status_code == 302 and response.location.endswith(f"/workshops/{workshop.slug}/")
    response = browser.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "working_language": "en"})
    assert response.status_code == 302
    assert "registration is closed" in browser.client.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                                 .where(Registration.workshop_id == workshop.id)) == 0


def test_an_admin_can_accept_late_registrations_with_a_later_closing_time(app, browser, factory):
    from datetime import timedelta

    workshop = started_workshop(factory, registration_closes_at=utcnow() + timedelta(days=1))
    assert "Registration closed" not in browser.client.get("/workshops/").get_data(as_text=True)
    browser.login(factory.participant().email)
    assert browser.client.get(f"/workshops/{workshop.slug}/register").status_code == 200
    response = browser.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "working_language": "en"})
    assert "your seat is confirmed" in browser.client.get(response.location).get_data(as_text=True)


def session_setup(app, browser, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    browser.login(trainer.email)
    day, url = workshop.starts_on.isoformat(), f"/trainer/workshops/{workshop.slug}/sessions"
    for title, start, end in (("Opening plenary", "09:00", "10:30"), ("Panel", "11:00", "12:00")):
        assert browser.post(url, {"title_en": title, "starts_at": f"{day}T{start}", "ends_at": f"{day}T{end}",
                                  "cohort": "", "room": "Room A"}).status_code == 302
    with app.app_context():
        ids = {s.title["en"]: s.id for s in db.session.scalars(sa.select(WorkshopSession)
                                                                .where(WorkshopSession.workshop_id == workshop.id))}
    return workshop, day, url, ids


def test_a_trainer_edits_a_session(app, browser, factory):
    workshop, day, url, ids = session_setup(app, browser, factory)
    edit = f"{url}/{ids['Panel']}/edit"
    assert f'href="{edit}"' in browser.client.get(url).get_data(as_text=True)
    page = browser.client.get(edit).get_data(as_text=True)
    assert 'value="Panel"' in page and f'value="{day}T11:00"' in page and f'value="{day}T12:00"' in page
    moved = {"title_en": "Panel on recruitment", "starts_at": f"{day}T14:00", "ends_at": f"{day}T15:30", "cohort": "",
             "room": "Room B"}
    for _ in range(2):  # a double click saves the same thing twice
        response = browser.post(edit, moved)
        assert response.status_code == 302 and response.location.endswith(url)
    with app.app_context():
        session = db.session.get(WorkshopSession, ids["Panel"])
        assert (session.title, session.room) == ({"en": "Panel on recruitment"}, "Room B")
        assert session.starts_at.astimezone(ZoneInfo("Europe/Rome")).strftime("%H:%M") == "14:00"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkshopSession)
                                 .where(WorkshopSession.workshop_id == workshop.id)) == 2
    # Keeping its own times is not an overlap with itself.
    assert browser.post(edit, {**moved, "title_en": "Panel again"}).status_code == 302


@pytest.mark.parametrize("changes, field, message", [
    ({"starts_at": "T10:00", "ends_at": "T11:30"}, "starts_at", "Opening plenary"),
    ({"starts_at": "T15:00", "ends_at": "T14:00"}, "ends_at", "must end after it starts"),
    ({"title_en": ""}, "title_en", "This field is required."),
    ({"title_en": "x" * 10_000}, "title_en", "longer than 200"),
    ({"starts_at": "", "ends_at": ""}, "starts_at", "Enter a date and time."),
])
def test_a_bad_session_edit_changes_nothing(app, browser, factory, changes, field, message):
    _workshop, day, url, ids = session_setup(app, browser, factory)
    good = {"title_en": "Panel", "starts_at": f"{day}T11:00", "ends_at": f"{day}T12:00", "cohort": "", "room": ""}
    sent = {**good, **{k: (f"{day}{v}" if v.startswith("T") else v) for k, v in changes.items()}}
    response = browser.post(f"{url}/{ids['Panel']}/edit", sent)
    assert response.status_code == 422
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', response.get_data(as_text=True))
    assert error and message in error.group(1)
    with app.app_context():
        session = db.session.get(WorkshopSession, ids["Panel"])
        assert session.title == {"en": "Panel"}
        assert session.starts_at.astimezone(ZoneInfo("Europe/Rome")).strftime("%H:%M") == "11:00"


def test_a_session_of_another_workshop_cannot_be_edited(app, browser, factory):
    _workshop, _day, url, ids = session_setup(app, browser, factory)
    other = factory.workshop(trainers=[factory.trainer()])
    assert browser.client.get(f"/trainer/workshops/{other.slug}/sessions/{ids['Panel']}/edit").status_code == 404
    assert browser.client.get(f"{url}/99999999/edit").status_code == 404
