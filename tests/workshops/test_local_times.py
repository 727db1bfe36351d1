"""Times typed in a workshop's own zone: clocks that jump forward or back, and dates at the edge."""
import re
from datetime import UTC, date, datetime

import sqlalchemy as sa

from app.extensions import db
from app.workshops.models import Workshop, WorkshopSession

# Europe/Rome in 2027: clocks go forward at 02:00 on 28 March and back at 03:00 on 31 October.
SPRING, AUTUMN = date(2027, 3, 28), date(2027, 10, 31)


def error_of(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    return match.group(1) if match else ""


def sessions_of(app, workshop_id):
    with app.app_context():
        return db.session.execute(sa.select(WorkshopSession.starts_at, WorkshopSession.ends_at)
                                  .where(WorkshopSession.workshop_id == workshop_id)).all()


def add(browser, workshop, day: date, start: str, end: str):
    return browser.post(f"/trainer/workshops/{workshop.slug}/sessions",
                        {"title_en": "Session", "starts_at": f"{day}T{start}", "ends_at": f"{day}T{end}", "cohort": ""})


def test_a_time_skipped_by_the_clocks_is_refused_on_its_field(browser, factory, app):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], starts_on=SPRING, ends_on=SPRING)
    browser.login(trainer.email)
    response = add(browser, workshop, SPRING, "02:30", "04:00")
    assert response.status_code == 422
    assert "does not exist in the chosen time zone" in error_of(response.get_data(as_text=True), "starts_at")
    assert sessions_of(app, workshop.id) == []


def test_a_time_that_happens_twice_is_its_first_occurrence(browser, factory, app):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], starts_on=AUTUMN, ends_on=AUTUMN)
    browser.login(trainer.email)
    assert add(browser, workshop, AUTUMN, "02:30", "04:00").status_code == 302
    [(starts_at, ends_at)] = sessions_of(app, workshop.id)
    # 02:30 summer time (UTC+2) comes first; 04:00 is winter time (UTC+1).
    assert starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert ends_at == datetime(2027, 10, 31, 3, 0, tzinfo=UTC)


def test_end_before_start_is_shown_under_the_end_field(browser, factory, app):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    browser.login(trainer.email)
    response = add(browser, workshop, workshop.starts_on, "11:00", "10:00")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "must end after it starts" in error_of(page, "ends_at") and not error_of(page, "starts_at")


def test_registration_window_at_the_edge_of_the_calendar_is_a_message_not_a_crash(browser, factory, app):
    admin = factory.admin()
    workshop = factory.workshop(timezone="America/New_York")
    browser.login(admin.email)
    form = {"title_en": workshop.title["en"], "slug": workshop.slug, "starts_on": workshop.starts_on.isoformat(),
            "ends_on": workshop.ends_on.isoformat(), "timezone": "America/New_York", "venue": "campus",
            "languages": ["en"], "capacity": "10", "waitlist_enabled": "y", "status": "open",
            "registration_opens_at": "0001-01-01T00:00", "registration_closes_at": "9999-12-31T23:00"}
    response = browser.post(f"/admin/workshops/{workshop.slug}/edit", form)
    assert response.status_code == 422
    assert "between the years 1900 and 2100" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).registration_opens_at is None
