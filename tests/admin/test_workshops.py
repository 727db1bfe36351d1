"""Admins create and edit workshops; capacity and quota rules hold."""
from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.workshops.models import (
    Registration,
    RegistrationStatus,
    Workshop,
    workshop_trainers,
)
from tests.helpers import REGISTRATION_FORM as FORM
from tests.helpers import Browser


def form(**changes):
    start = date.today() + timedelta(days=40)
    data = {
        "title_en": "Inter-regional workshop on labour migration", "slug": "inter-regional-2027",
        "description_en": "Two days.", "course_id": "", "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1)).isoformat(), "timezone": "Europe/Rome", "venue": "campus",
        "address_en": "Viale Maestri del Lavoro 10, Turin", "languages": ["en", "fr", "es"], "capacity": "60",
        "waitlist_enabled": "y", "quota_government": "20", "quota_workers": "20", "quota_employers": "20",
        "quota_other": "", "registration_opens_at": "", "registration_closes_at": "", "status": "open",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def workshop_row(app, slug):
    with app.app_context():
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
        if workshop is not None:
            db.session.expunge(workshop)
        return workshop


def test_admin_creates_a_workshop_with_trainers(app, browser, factory):
    admin = factory.admin()
    trainer = factory.trainer()
    browser.login(admin.email)
    assert browser.client.get("/admin/workshops/new").status_code == 200
    response = browser.post("/admin/workshops/new", form(trainer_ids=[str(trainer.id)]))
    assert response.status_code == 302
    workshop = workshop_row(app, "inter-regional-2027")
    assert (workshop.capacity, workshop.languages, workshop.quota_workers, workshop.quota_other) == (60, ["en", "fr", "es"], 20, None)
    with app.app_context():
        assert db.session.scalars(sa.select(workshop_trainers.c.user_id)).all() == [trainer.id]
    page = browser.client.get("/admin/workshops/").get_data(as_text=True)
    assert "Inter-regional workshop" in page
    trainer_browser = Browser(app.test_client())
    trainer_browser.login(trainer.email)
    assert "Inter-regional workshop" in trainer_browser.client.get("/trainer/").get_data(as_text=True)


def test_bad_workshop_input_gets_messages_and_saves_nothing(app, browser, factory):
    browser.login(factory.admin().email)
    cases = [
        (form(slug="Not A Slug"), "lowercase letters"),
        (form(ends_on="2000-01-01"), "cannot be before the first"),
        (form(capacity="0"), "Number must be"),
        (form(capacity="10"), "add up to more than the capacity"),
        (form(languages=None), "Choose at least one language"),
        (form(title_en="t" * 201), "longer than 200"),
        (form(registration_opens_at="2027-01-02T10:00", registration_closes_at="2027-01-01T10:00"), "must close after it opens"),
        (form(timezone="Mars/Olympus"), "Not a valid choice"),
    ]
    for data, message in cases:
        response = browser.post("/admin/workshops/new", data)
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True), message
    assert workshop_row(app, "inter-regional-2027") is None


def test_capacity_cannot_drop_below_confirmed_and_raising_it_promotes(app, browser, factory):
    admin = factory.admin()
    workshop = factory.workshop(slug="small-one", capacity=2)
    for _ in range(3):
        client = Browser(app.test_client())
        client.login(factory.participant().email)
        client.post("/workshops/small-one/register", {**FORM, "working_language": "en"})
    browser.login(admin.email)
    edit = form(slug="small-one", title_en=workshop.title["en"], languages=["en", "fr"], quota_government="", quota_workers="",
                quota_employers="", starts_on=workshop.starts_on.isoformat(), ends_on=workshop.ends_on.isoformat())
    response = browser.post("/admin/workshops/small-one/edit", {**edit, "capacity": "1"})
    assert response.status_code == 422
    assert "cannot be lower than the 2 seats already confirmed" in response.get_data(as_text=True)
    response = browser.post("/admin/workshops/small-one/edit", {**edit, "capacity": "3"})
    assert response.status_code == 302
    with app.app_context():
        statuses = db.session.scalars(sa.select(Registration.status).where(Registration.workshop_id == workshop.id)).all()
        assert statuses.count(RegistrationStatus.CONFIRMED) == 3
        assert db.session.get(Workshop, workshop.id).capacity == 3


def test_duplicate_slug_is_refused(app, browser, factory):
    factory.workshop(slug="taken")
    browser.login(factory.admin().email)
    response = browser.post("/admin/workshops/new", form(slug="taken"))
    assert response.status_code == 422 and "already uses this short name" in response.get_data(as_text=True)


def test_edit_unknown_workshop_is_404(browser, factory):
    browser.login(factory.admin().email)
    assert browser.client.get("/admin/workshops/nope/edit").status_code == 404
