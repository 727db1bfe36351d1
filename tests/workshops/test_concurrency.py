"""200 registrations at once for 60 seats, on PostgreSQL, through the real HTTP view.

Each participant has their own logged-in client; all 200 wait behind a barrier and post
together over at most 50 database connections. The workshop row lock must leave exactly
60 confirmed and 140 waitlisted, in order of arrival, without an error or a duplicate.
"""
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.auth.models import Constituency, Sex, User
from app.auth.passwords import hash_password
from app.core.permissions import Role
from app.extensions import db
from app.workshops.models import (
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopStatus,
)
from tests import databases
from tests.helpers import Browser, csrf_token, make_config

pytestmark = pytest.mark.postgresql

REQUESTS, SEATS, CONNECTIONS = 200, 60, 50
REPEATS = int(os.environ.get("BURST_REPEATS", "20" if os.environ.get("CI") == "true" else "3"))
PASSWORD = "burst passphrase 2026"
FORM = {"name": "P", "country": "KE", "organisation": "Org", "sex": "female", "working_language": "en",
        "motivation": "To learn.", "accept_privacy": "y"}
CONSTITUENCIES = [Constituency.GOVERNMENT, Constituency.WORKERS, Constituency.EMPLOYERS, Constituency.OTHER]


@pytest.fixture(scope="module")
def burst_app(tmp_path_factory):
    if not databases.on_postgresql():
        pytest.skip("the concurrency burst runs against PostgreSQL (TEST_DATABASE_URL)")
    url = databases.create_database("burst", tmp_path_factory.mktemp("burst"))
    options = {"pool_size": CONNECTIONS, "max_overflow": 0, "pool_timeout": 60}
    app = create_app(make_config(url, SQLALCHEMY_ENGINE_OPTIONS=options, MAIL_BACKEND="smtp",
                                 LOGIN_LIMIT_PER_ADDRESS="100000 per minute"))
    with app.app_context():
        upgrade()
        password_hash = hash_password(PASSWORD)
        db.session.execute(sa.insert(User), [
            {"email": f"burst{i}@example.net", "name": f"Burst {i}", "password_hash": password_hash,
             "role": Role.PARTICIPANT, "preferred_language": "en", "country": "KE",
             "constituency": CONSTITUENCIES[i % 4], "sex": Sex.FEMALE, "active": True, "session_version": 1}
            for i in range(REQUESTS)
        ])
        db.session.commit()
    clients = []
    for i in range(REQUESTS):
        browser = Browser(app.test_client())
        assert browser.login(f"burst{i}@example.net", PASSWORD).status_code == 302
        clients.append(browser)
    yield app, clients
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


def new_workshop(app, run: int, **fields) -> tuple[int, str]:
    from datetime import date, timedelta

    with app.app_context():
        workshop = Workshop(slug=f"burst-{run}-{time.monotonic_ns()}", title={"en": "Burst"}, starts_on=date.today() + timedelta(days=20),
                            ends_on=date.today() + timedelta(days=21), languages=["en"], capacity=SEATS,
                            waitlist_enabled=True, status=WorkshopStatus.OPEN, **fields)
        db.session.add(workshop)
        db.session.commit()
        return workshop.id, workshop.slug


def release(clients, action):
    """Run action(i, client) for every client at the same instant; return statuses and seconds."""
    barrier = threading.Barrier(len(clients))

    def go(index):
        barrier.wait()
        return action(index, clients[index])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        statuses = list(pool.map(go, range(len(clients))))
    return statuses, time.perf_counter() - started


def rows(app, workshop_id):
    with app.app_context():
        return db.session.execute(
            sa.select(Registration.user_id, Registration.status, Registration.sequence, Registration.constituency)
            .where(Registration.workshop_id == workshop_id).order_by(Registration.sequence)
        ).all()


def register_all(clients, slug):
    forms = [{**FORM, "constituency": CONSTITUENCIES[i % 4].value,
              "csrf_token": csrf_token(c.client)}
             for i, c in enumerate(clients)]
    return release(clients, lambda i, c: c.client.post(f"/workshops/{slug}/register", data=forms[i]).status_code)


@pytest.mark.parametrize("run", range(REPEATS))
def test_burst_of_registrations_fills_exactly_the_seats(burst_app, run):
    app, clients = burst_app
    workshop_id, slug = new_workshop(app, run)
    statuses, seconds = register_all(clients, slug)
    assert statuses == [302] * REQUESTS
    result = rows(app, workshop_id)
    by_status = [r.status for r in result]
    assert len(result) == REQUESTS and len({r.user_id for r in result}) == REQUESTS
    assert by_status.count(RegistrationStatus.CONFIRMED) == SEATS
    assert by_status.count(RegistrationStatus.WAITLISTED) == REQUESTS - SEATS
    # Order of arrival: the first 60 sequence numbers hold the seats.
    assert by_status == [RegistrationStatus.CONFIRMED] * SEATS + [RegistrationStatus.WAITLISTED] * (REQUESTS - SEATS)
    assert [r.sequence for r in result] == list(range(1, REQUESTS + 1))
    print(f"burst {run}: {REQUESTS} requests, {SEATS} confirmed, {REQUESTS - SEATS} waitlisted in {seconds:.2f} s")


def test_burst_with_quotas_keeps_every_constituency_within_its_quota(burst_app):
    app, clients = burst_app
    quotas = {"quota_government": 10, "quota_workers": 20, "quota_employers": 20, "quota_other": 10}
    workshop_id, slug = new_workshop(app, 99, **quotas)
    statuses, seconds = register_all(clients, slug)
    assert statuses == [302] * REQUESTS
    result = rows(app, workshop_id)
    confirmed = [r for r in result if r.status == RegistrationStatus.CONFIRMED]
    assert len(confirmed) == SEATS
    for constituency in CONSTITUENCIES:
        assert sum(1 for r in confirmed if r.constituency == constituency) == quotas[f"quota_{constituency.value}"]
    print(f"quota burst: {REQUESTS} requests, {len(confirmed)} confirmed in {seconds:.2f} s")


def test_cancellations_and_promotions_race_without_losing_a_seat(burst_app):
    app, clients = burst_app
    workshop_id, slug = new_workshop(app, 100)
    register_all(clients, slug)
    # Half of the confirmed cancel while the other 100 people register for... the same workshop again
    # (refused: already registered) — all at once.
    tokens = [csrf_token(c.client) for c in clients]
    confirmed_idx = [r.user_id for r in rows(app, workshop_id) if r.status == RegistrationStatus.CONFIRMED]
    with app.app_context():
        index_of = {u.id: int(u.email[5:].split("@")[0]) for u in db.session.scalars(sa.select(User))}
    cancelling = {index_of[user_id] for user_id in confirmed_idx[:30]}

    def act(i, c):
        if i in cancelling:
            return c.client.post(f"/workshops/{slug}/cancel", data={"csrf_token": tokens[i]}).status_code
        return c.client.get(f"/workshops/{slug}/").status_code

    statuses, seconds = release(clients, act)
    assert set(statuses) <= {200, 302}
    result = rows(app, workshop_id)
    by_status = [r.status for r in result]
    assert by_status.count(RegistrationStatus.CONFIRMED) == SEATS
    assert by_status.count(RegistrationStatus.CANCELLED) == 30
    assert by_status.count(RegistrationStatus.WAITLISTED) == REQUESTS - SEATS - 30
    # Promotions went to the head of the queue: every remaining waitlisted arrived after every promoted one.
    waiting = [r.sequence for r in result if r.status == RegistrationStatus.WAITLISTED]
    seated = [r.sequence for r in result if r.status == RegistrationStatus.CONFIRMED]
    assert max(seated) < min(waiting)
    print(f"cancel race: 30 cancellations among {REQUESTS} requests in {seconds:.2f} s")


def test_simultaneous_registrations_on_sqlite_are_serialized(tmp_path):
    """The embedded default: no row locks, so every transaction takes SQLite's write lock first."""
    if databases.on_postgresql():
        pytest.skip("the SQLite variant")
    url = f"sqlite:///{tmp_path / 'burst.sqlite'}"
    app = create_app(make_config(url, LOGIN_LIMIT_PER_ADDRESS="100000 per minute"))
    with app.app_context():
        upgrade()
        password_hash = hash_password(PASSWORD)
        db.session.execute(sa.insert(User), [
            {"email": f"lite{i}@example.net", "name": f"Lite {i}", "password_hash": password_hash,
             "role": Role.PARTICIPANT, "preferred_language": "en", "country": "KE",
             "constituency": Constituency.WORKERS, "sex": Sex.MALE, "active": True, "session_version": 1}
            for i in range(30)])
        db.session.commit()
    clients = []
    for i in range(30):
        browser = Browser(app.test_client())
        assert browser.login(f"lite{i}@example.net", PASSWORD).status_code == 302
        clients.append(browser)
    workshop_id, slug = new_workshop(app, 0)
    with app.app_context():
        db.session.execute(sa.update(Workshop).where(Workshop.id == workshop_id).values(capacity=10))
        db.session.commit()
    statuses, _ = register_all(clients, slug)
    assert statuses == [302] * 30
    by_status = [r.status for r in rows(app, workshop_id)]
    assert by_status == [RegistrationStatus.CONFIRMED] * 10 + [RegistrationStatus.WAITLISTED] * 20
