"""Two administrators acting at once, and one e-mailed link used twice at once (PostgreSQL).

The last-admin rule counts the admins under a row lock, so two admins demoting or
deactivating each other at the same instant leave one admin; a password link is spent by a
conditional UPDATE, so two tabs submitting it together set one password.
"""
import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.auth.models import User
from app.core.permissions import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests import databases
from tests.factories import DEFAULT_PASSWORD, Factory
from tests.helpers import Browser, csrf_token, make_config, together

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def race(tmp_path_factory):
    if not databases.on_postgresql():
        pytest.skip("administrators race on PostgreSQL (TEST_DATABASE_URL)")
    url = databases.create_database("admins", tmp_path_factory.mktemp("admins"))
    app = create_app(make_config(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 6, "max_overflow": 0},
                                 LOGIN_LIMIT_PER_ADDRESS="100000 per minute", LOGIN_LIMIT_PER_ACCOUNT="100000 per minute"))
    with app.app_context():
        upgrade()
    yield app, Factory(app)
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


def two_admins(app, factory):
    """Exactly two active administrators, each logged in on a client of their own."""
    with app.app_context():
        db.session.execute(sa.update(User).where(User.role == Role.ADMIN).values(role=Role.PARTICIPANT))
        db.session.commit()
    admins = [factory.admin(), factory.admin()]
    browsers = [Browser(app.test_client()) for _ in admins]
    for browser, admin in zip(browsers, admins):
        assert browser.login(admin.email, DEFAULT_PASSWORD).status_code == 302
    return admins, browsers


def active_admins(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
            User.role == Role.ADMIN, User.active.is_(True)))


def each_acts_on_the_other(admins, browsers, action: str, data: dict) -> list:
    forms = [{**data, "csrf_token": csrf_token(browser.client)} for browser in browsers]
    return together([
        lambda browser=browser, other=other, form=form:
            browser.client.post(f"/admin/users/{other.id}/{action}", data=form, follow_redirects=True)
        for browser, other, form in zip(browsers, reversed(admins), forms)
    ])


@pytest.mark.parametrize("round_", range(5))
def test_two_admins_demoting_each_other_at_once_leave_one_admin(race, round_):
    app, factory = race
    admins, browsers = two_admins(app, factory)
    responses = each_acts_on_the_other(admins, browsers, "role", {"role": "participant"})
    assert active_admins(app) == 1
    # The second is refused: told it would remove the last admin, or, if the first had already
    # committed, logged out (its demotion ended its session) before it could act.
    assert all(r.status_code < 500 for r in responses)


@pytest.mark.parametrize("round_", range(5))
def test_two_admins_deactivating_each_other_at_once_leave_one_admin(race, round_):
    app, factory = race
    admins, browsers = two_admins(app, factory)
    each_acts_on_the_other(admins, browsers, "active", {"active": "0"})
    assert active_admins(app) == 1


def test_one_password_link_submitted_twice_at_once_sets_one_password(race):
    app, factory = race
    person = factory.participant()
    tabs = [Browser(app.test_client()) for _ in range(4)]
    assert tabs[0].post("/password/forgot", {"email": person.email}).status_code == 302
    with app.app_context():
        body = db.session.scalar(sa.select(OutboxMessage.body).where(OutboxMessage.recipient == person.email))
    link = re.search(r"http://localhost(/password/reset/\S+)", body).group(1)
    passwords = [f"tab number {i} passphrase" for i in range(len(tabs))]
    forms = [{"password": p, "confirm": p, "csrf_token": csrf_token(tab.client, link)} for tab, p in zip(tabs, passwords)]
    responses = together([lambda tab=tab, form=form: tab.client.post(link, data=form) for tab, form in zip(tabs, forms)])
    # The winner goes to the login page; a tab that lost the race is told the link is spent (on the
    # form if it read the link before the winner committed, on the "forgot" page if after).
    assert sorted(r.headers.get("Location", "") for r in responses).count("/login") == 1
    assert all("already been used" in r.get_data(as_text=True) for r in responses if r.status_code == 422)
    winners = [p for p in passwords if Browser(app.test_client()).login(person.email, p).status_code == 302]
    assert len(winners) == 1
