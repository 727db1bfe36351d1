"""Accounts deleted at the same instant give up their seats one at a time, under the workshop's lock
(PostgreSQL, through the real deletion form): every freed seat goes to one person waiting, once."""
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.mail.models import OutboxMessage
from app.workshops.models import Registration, RegistrationStatus
from tests import databases
from tests.factories import DEFAULT_PASSWORD, Factory
from tests.helpers import REGISTRATION_FORM, Browser, all_at_once, csrf_token, make_config, together

pytestmark = pytest.mark.postgresql

SEATS = 4
DELETE = {"password": DEFAULT_PASSWORD, "confirm": "y"}


@pytest.fixture(scope="module")
def race(tmp_path_factory):
    if not databases.on_postgresql():
        pytest.skip("deletions race on PostgreSQL (TEST_DATABASE_URL)")
    url = databases.create_database("deletion", tmp_path_factory.mktemp("deletion"))
    app = create_app(make_config(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2 * SEATS + 2, "max_overflow": 0},
                                 LOGIN_LIMIT_PER_ADDRESS="100000 per minute", LOGIN_LIMIT_PER_ACCOUNT="100000 per minute"))
    with app.app_context():
        upgrade()
    yield app, Factory(app)
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


def logged_in(app, user) -> Browser:
    browser = Browser(app.test_client())
    assert browser.login(user.email, DEFAULT_PASSWORD).status_code == 302
    return browser


def statuses(app, workshop_id) -> dict[int, RegistrationStatus]:
    with app.app_context():
        return dict(db.session.execute(sa.select(Registration.user_id, Registration.status)
                                       .where(Registration.workshop_id == workshop_id)).all())


def test_seated_people_deleting_their_accounts_at_once_promote_everyone_waiting(race):
    app, factory = race
    workshop = factory.workshop(capacity=SEATS)
    seated = [factory.participant() for _ in range(SEATS)]
    waiting = [factory.participant() for _ in range(SEATS)]
    browsers = []
    for person in seated + waiting:
        browser = logged_in(app, person)
        form = {**REGISTRATION_FORM, "working_language": "en"}
        assert browser.post(f"/workshops/{workshop.slug}/register", form).status_code == 302
        browsers.append(browser)
    assert list(statuses(app, workshop.id).values()).count(RegistrationStatus.WAITLISTED) == SEATS

    responses = all_at_once(browsers[:SEATS], "/account/delete", DELETE)

    assert [response.status_code for response in responses] == [302] * SEATS
    now = statuses(app, workshop.id)
    assert [now[person.id] for person in seated] == [RegistrationStatus.CANCELLED] * SEATS
    assert [now[person.id] for person in waiting] == [RegistrationStatus.CONFIRMED] * SEATS
    with app.app_context():
        for person in waiting:
            subjects = db.session.scalars(sa.select(OutboxMessage.subject).where(OutboxMessage.recipient == person.email)).all()
            assert subjects.count(f"Your seat is confirmed: {workshop.title['en']}") == 1, subjects
        for person in seated:
            assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))
                                     .where(OutboxMessage.recipient == person.email)) == 0


def test_a_deletion_sent_twice_at_once_promotes_one_person(race):
    app, factory = race
    workshop = factory.workshop(capacity=1)
    leaver, first, second = (factory.participant() for _ in range(3))
    for person in (leaver, first, second):
        form = {**REGISTRATION_FORM, "working_language": "en"}
        assert logged_in(app, person).post(f"/workshops/{workshop.slug}/register", form).status_code == 302
    clicks = [logged_in(app, leaver) for _ in range(4)]
    responses = all_at_once(clicks, "/account/delete", DELETE)
    assert all(response.status_code in (302, 422) for response in responses)
    now = statuses(app, workshop.id)
    assert (now[leaver.id], now[first.id], now[second.id]) == (
        RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


@pytest.mark.parametrize("round_", range(5))
def test_registering_in_one_tab_while_deleting_the_account_in_another_leaves_no_seat_held(race, round_):
    # Whichever comes first, a deleted person holds nothing: the registration is refused, or it is
    # made and then given up by the deletion like any other.
    app, factory = race
    workshop = factory.workshop(capacity=SEATS)
    person = factory.participant()
    registering, deleting = logged_in(app, person), logged_in(app, person)
    form = {**REGISTRATION_FORM, "working_language": "en", "csrf_token": csrf_token(registering.client)}
    delete = {**DELETE, "csrf_token": csrf_token(deleting.client)}
    responses = together([
        lambda: registering.client.post(f"/workshops/{workshop.slug}/register", data=form),
        lambda: deleting.client.post("/account/delete", data=delete),
    ])
    assert responses[1].status_code == 302
    assert responses[0].status_code < 500
    assert statuses(app, workshop.id).get(person.id, RegistrationStatus.CANCELLED) == RegistrationStatus.CANCELLED
