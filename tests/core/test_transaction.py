"""One commit point: a GET stores nothing; a broken rule undoes its change and says why."""
import re

import pytest
import sqlalchemy as sa

from app.core.permissions import Role
from app.extensions import db
from app.workshops.models import Cohort, Workshop
from tests.helpers import get_paths


def snapshot(app) -> dict:
    """Every row of every table, as the database has it now."""
    with app.app_context():
        return {table.name: sorted(map(repr, db.session.execute(sa.select(table)).all()))
                for table in db.metadata.sorted_tables}


@pytest.mark.parametrize("role", [None, Role.PARTICIPANT, Role.TRAINER, Role.ADMIN], ids=lambda r: r or "visitor")
def test_no_get_changes_stored_data(app, browser, factory, role):
    factory.course()
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    user = trainer if role == Role.TRAINER else factory.user(role) if role else None
    if user:
        browser.login(user.email)
    values = {"slug": workshop.slug, "course_key": "demo-course", "module_key": "module-1", "section_key": "section-1"}
    before = snapshot(app)
    visited = 0
    for path in get_paths(app, values):
        for query in ("", "?lang=es", "?lang=fr&page=2"):
            visited += browser.client.get(path + query).status_code == 200
    assert visited > 10
    assert snapshot(app) == before


def test_a_broken_rule_undoes_its_change_and_shows_under_its_field(app, browser, factory):
    admin = factory.admin()
    taken = factory.workshop()
    workshop = factory.workshop(capacity=10)
    browser.login(admin.email)
    before = snapshot(app)
    form = {"title_en": "Renamed", "slug": taken.slug, "starts_on": workshop.starts_on.isoformat(),
            "ends_on": workshop.ends_on.isoformat(), "timezone": "Europe/Rome", "venue": "campus",
            "languages": ["en"], "capacity": "10", "waitlist_enabled": "y", "status": "open"}
    response = browser.post(f"/admin/workshops/{workshop.slug}/edit", form)
    assert response.status_code == 422
    assert re.search(r'id="slug-error">Another workshop already uses this short name.<', response.get_data(as_text=True))
    assert snapshot(app) == before
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).title == workshop.title


def test_a_rule_broken_in_a_bulk_change_leaves_no_part_of_it(app, browser, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    other = factory.workshop(trainers=[trainer])
    browser.login(trainer.email)
    browser.post(f"/trainer/workshops/{other.slug}/cohorts", {"name_en": "Elsewhere"})
    with app.app_context():
        foreign = db.session.scalar(sa.select(Cohort.id).where(Cohort.workshop_id == other.id))
    before = snapshot(app)
    response = browser.post(f"/trainer/workshops/{workshop.slug}/registrations",
                            {"ids": ["1"], "action": "move", "cohort": str(foreign)}, follow_redirects=True)
    assert "Choose a cohort of this workshop." in response.get_data(as_text=True)
    assert snapshot(app) == before
