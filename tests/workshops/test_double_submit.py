"""A form sent several times at once (a double click, a retry on a slow link) changes data once.

Each check-then-insert runs under the workshop's row lock or ends at a unique constraint whose
error becomes the form's message. On PostgreSQL, through the real views, from 8 clients at once.
"""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.mail.models import OutboxMessage
from app.workshops.models import (
    Cohort,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
)
from tests import databases
from tests.factories import DEFAULT_PASSWORD, Factory
from tests.helpers import Browser, all_at_once, make_config

pytestmark = pytest.mark.postgresql

CLICKS = 8


@pytest.fixture(scope="module")
def race(tmp_path_factory):
    if not databases.on_postgresql():
        pytest.skip("double submissions race on PostgreSQL (TEST_DATABASE_URL)")
    url = databases.create_database("double", tmp_path_factory.mktemp("double"))
    app = create_app(make_config(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CLICKS + 2, "max_overflow": 0},
                                 LOGIN_LIMIT_PER_ADDRESS="100000 per minute", LOGIN_LIMIT_PER_ACCOUNT="100000 per minute"))
    with app.app_context():
        upgrade()
    factory = Factory(app)
    admin = factory.admin()
    trainer = factory.trainer()
    yield app, factory, admin, trainer
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


def clients_of(app, user) -> list[Browser]:
    browsers = [Browser(app.test_client()) for _ in range(CLICKS)]
    for browser in browsers:
        assert browser.login(user.email, DEFAULT_PASSWORD).status_code == 302
    return browsers


def count(app, statement) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


def test_a_new_workshop_saved_twice_at_once_exists_once(race):
    app, _factory, admin, _trainer = race
    start = date.today() + timedelta(days=40)
    form = {"title_en": "Same slug", "slug": "same-slug-race", "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=1)).isoformat(), "timezone": "Europe/Rome", "venue": "campus",
            "languages": ["en"], "capacity": "20", "waitlist_enabled": "y", "status": "open"}
    responses = all_at_once(clients_of(app, admin), "/admin/workshops/new", form)
    codes = sorted(response.status_code for response in responses)
    assert codes.count(302) == 1 and codes.count(422) == CLICKS - 1, codes
    refused = [r.get_data(as_text=True) for r in responses if r.status_code == 422]
    assert all("Another workshop already uses this short name." in page for page in refused)
    assert count(app, sa.select(Workshop.id).where(Workshop.slug == "same-slug-race")) == 1


def test_a_cohort_created_twice_at_once_exists_once(race):
    app, factory, _admin, trainer = race
    workshop = factory.workshop(trainers=[trainer])
    responses = all_at_once(clients_of(app, trainer), f"/trainer/workshops/{workshop.slug}/cohorts", {"name_en": "Group A"})
    assert sorted(r.status_code for r in responses).count(302) == 1
    assert all(r.status_code in (302, 422) for r in responses)
    assert count(app, sa.select(Cohort.id).where(Cohort.workshop_id == workshop.id)) == 1


def test_a_session_added_four_times_at_once_is_added_once(race):
    app, factory, _admin, trainer = race
    workshop = factory.workshop(trainers=[trainer])
    day = workshop.starts_on.isoformat()
    form = {"title_en": "Opening", "starts_at": f"{day}T09:00", "ends_at": f"{day}T10:00", "cohort": "", "room": "Hall"}
    responses = all_at_once(clients_of(app, trainer), f"/trainer/workshops/{workshop.slug}/sessions", form)
    assert all(r.status_code in (302, 422) for r in responses)
    assert count(app, sa.select(WorkshopSession.id).where(WorkshopSession.workshop_id == workshop.id)) == 1


def test_split_by_language_clicked_twice_at_once_makes_one_cohort_per_language(race):
    app, factory, _admin, trainer = race
    workshop = factory.workshop(trainers=[trainer])
    people = [factory.participant(preferred_language=language) for language in ("en", "fr", "en")]
    with app.app_context():
        for sequence, person in enumerate(people, start=1):
            db.session.add(Registration(workshop_id=workshop.id, user_id=person.id, status=RegistrationStatus.CONFIRMED,
                                        sequence=sequence, constituency=person.constituency,
                                        working_language=person.preferred_language, consent_at=sa.func.now()))
        db.session.commit()
    responses = all_at_once(clients_of(app, trainer), f"/trainer/workshops/{workshop.slug}/cohorts/split", {})
    assert all(r.status_code == 302 for r in responses)
    assert count(app, sa.select(Cohort.id).where(Cohort.workshop_id == workshop.id)) == 2
    assert count(app, sa.select(Registration.id).where(Registration.workshop_id == workshop.id,
                                                        Registration.cohort_id.is_(None))) == 0


def test_registering_again_twice_at_once_after_cancelling_takes_one_seat(race):
    app, factory, _admin, _trainer = race
    workshop = factory.workshop(capacity=5)
    person = factory.participant()
    browsers = clients_of(app, person)
    form = {"name": person.name, "country": "PH", "organisation": "Org", "constituency": "government", "sex": "female",
            "working_language": "en", "motivation": "To learn.", "accept_privacy": "y"}
    register = f"/workshops/{workshop.slug}/register"
    assert browsers[0].post(register, form).status_code == 302
    assert browsers[0].post(f"/workshops/{workshop.slug}/cancel").status_code == 302
    responses = all_at_once(browsers, register, form)
    assert all(r.status_code == 302 for r in responses)
    with app.app_context():
        rows = db.session.execute(sa.select(Registration.status).where(Registration.workshop_id == workshop.id)).all()
        subjects = db.session.scalars(sa.select(OutboxMessage.subject).where(OutboxMessage.recipient == person.email)
                                      .order_by(OutboxMessage.id)).all()
    assert [status for (status,) in rows] == [RegistrationStatus.CONFIRMED]
    # One confirmation for the first registration, one cancellation, one confirmation for the return: nothing else.
    assert len(subjects) == 3 and not any("waiting list" in subject for subject in subjects)
