"""A workshop title is one line: it goes into e-mail subjects, where a line break has no place."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.workshops.models import Workshop


def form(**changes):
    start = date.today() + timedelta(days=40)
    data = {
        "title_en": "Inter-regional workshop on labour migration", "slug": "one-line-2027",
        "description": "Two days.", "course_id": "", "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1)).isoformat(), "timezone": "Europe/Rome", "venue": "campus",
        "address_en": "Turin", "languages": ["en", "fr"], "capacity": "60", "waitlist_enabled": "y",
        "quota_government": "", "quota_workers": "", "quota_employers": "", "quota_other": "",
        "registration_opens_at": "", "registration_closes_at": "", "status": "open",
    }
    data.update(changes)
    return data


def titles(app) -> list[str]:
    with app.app_context():
        return [title["en"] for title in db.session.scalars(sa.select(Workshop.title).order_by(Workshop.id))]


@pytest.mark.parametrize("title", ["Labour migration\r\nBcc: all@example.org", "Labour\nmigration",
                                   "Labour\rmigration", "Labour\u2028migration", "Labour\x85migration"])
def test_a_title_with_a_line_break_is_refused(app, browser, factory, title):
    browser.login(factory.admin().email)
    response = browser.post("/admin/workshops/new", form(title_en=title))
    assert response.status_code == 422
    assert "This must fit on one line." in response.get_data(as_text=True)
    assert titles(app) == []


def test_a_cohort_name_with_a_line_break_is_refused(app, browser, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    browser.login(trainer.email)
    response = browser.post(f"/trainer/workshops/{workshop.slug}/cohorts", {"name_en": "Group\r\nA"})
    assert response.status_code == 422 and "This must fit on one line." in response.get_data(as_text=True)


def test_editing_refuses_a_line_break_too_and_a_one_line_title_is_saved(app, browser, factory):
    browser.login(factory.admin().email)
    assert browser.post("/admin/workshops/new", form()).status_code == 302
    response = browser.post("/admin/workshops/one-line-2027/edit", form(title_en="Two\r\nlines"))
    assert response.status_code == 422 and "This must fit on one line." in response.get_data(as_text=True)
    assert titles(app) == ["Inter-regional workshop on labour migration"]
