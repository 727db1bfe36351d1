"""60 participants check in with the same code at the same instant, on PostgreSQL, through the real views.

Each participant has their own logged-in client; all wait behind a barrier and post together.
Every one gets a mark and nobody an error; a participant's own double click at the same instant,
and a trainer's save racing self check-ins, leave one mark each.
"""
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.attendance.models import Attendance, AttendanceStatus, CheckIn, MarkSource
from app.auth.models import Constituency, Sex, User
from app.auth.passwords import hash_password
from app.core.permissions import Role
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import (
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
    workshop_trainers,
)
from tests import databases
from tests.helpers import Browser, csrf_token, make_config

pytestmark = pytest.mark.postgresql

PARTICIPANTS, CONNECTIONS = 60, 40
PASSWORD = "check-in passphrase 2026"


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    if not databases.on_postgresql():
        pytest.skip("the check-in burst runs against PostgreSQL (TEST_DATABASE_URL)")
    url = databases.create_database("checkin", tmp_path_factory.mktemp("checkin"))
    app = create_app(make_config(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CONNECTIONS, "max_overflow": 0, "pool_timeout": 60},
                                 LOGIN_LIMIT_PER_ADDRESS="100000 per minute"))
    with app.app_context():
        upgrade()
        password_hash = hash_password(PASSWORD)
        db.session.execute(sa.insert(User), [
            {"email": f"room{i}@example.net", "name": f"Room {i}", "password_hash": password_hash,
             "role": Role.TRAINER if i == PARTICIPANTS else Role.PARTICIPANT, "preferred_language": "en", "country": "KE",
             "constituency": Constituency.WORKERS, "sex": Sex.FEMALE, "active": True, "session_version": 1}
            for i in range(PARTICIPANTS + 1)])
        workshop = Workshop(slug="room", title={"en": "Room"}, starts_on=date.today() - timedelta(days=1),
                            ends_on=date.today() + timedelta(days=1), languages=["en"], capacity=100, status=WorkshopStatus.OPEN)
        db.session.add(workshop)
        db.session.flush()
        users = {u.email: u.id for u in db.session.scalars(sa.select(User))}
        db.session.execute(workshop_trainers.insert().values(workshop_id=workshop.id, user_id=users[f"room{PARTICIPANTS}@example.net"]))
        db.session.execute(sa.insert(Registration), [
            {"workshop_id": workshop.id, "user_id": users[f"room{i}@example.net"], "status": RegistrationStatus.CONFIRMED,
             "sequence": i + 1, "working_language": "en", "motivation": "", "consent_at": utcnow()} for i in range(PARTICIPANTS)])
        db.session.commit()
    clients = []
    for i in range(PARTICIPANTS + 1):
        browser = Browser(app.test_client())
        assert browser.login(f"room{i}@example.net", PASSWORD).status_code == 302
        clients.append(browser)
    yield app, clients
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


def new_session(app, code: str) -> int:
    with app.app_context():
        workshop_id = db.session.scalar(sa.select(Workshop.id))
        now = utcnow()
        session = WorkshopSession(workshop_id=workshop_id, title={"en": code}, starts_at=now, ends_at=now + timedelta(hours=1))
        db.session.add(session)
        db.session.flush()
        db.session.add(CheckIn(session_id=session.id, code=code, opened_at=now, expires_at=now + timedelta(minutes=15)))
        db.session.commit()
        return session.id


def release(clients, action):
    barrier = threading.Barrier(len(clients))

    def go(index):
        barrier.wait()
        return action(index, clients[index])

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(go, range(len(clients))))


def marks(app, session_id):
    with app.app_context():
        return db.session.execute(sa.select(Attendance.user_id, Attendance.status, Attendance.source)
                                  .where(Attendance.session_id == session_id)).all()


def test_sixty_check_in_at_once(room):
    app, clients = room
    participants = clients[:PARTICIPANTS]
    session_id = new_session(app, "ABC234")
    tokens = [csrf_token(c.client) for c in participants]
    statuses = release(participants, lambda i, c: c.client.post("/checkin/ABC234", data={"csrf_token": tokens[i]}).status_code)
    assert statuses == [302] * PARTICIPANTS
    result = marks(app, session_id)
    assert len(result) == PARTICIPANTS and len({r.user_id for r in result}) == PARTICIPANTS
    assert {(r.status, r.source) for r in result} == {(AttendanceStatus.PRESENT, MarkSource.SELF)}


def test_one_participant_clicking_eight_times_at_once_is_marked_once(room):
    app, clients = room
    session_id = new_session(app, "ABC345")
    same = [Browser(app.test_client()) for _ in range(8)]
    for browser in same:
        assert browser.login("room0@example.net", PASSWORD).status_code == 302
    tokens = [csrf_token(c.client) for c in same]
    statuses = release(same, lambda i, c: c.client.post("/checkin/ABC345", data={"csrf_token": tokens[i]}).status_code)
    assert statuses == [302] * 8
    assert len(marks(app, session_id)) == 1


def test_trainer_saving_while_everyone_checks_in_wins(room):
    app, clients = room
    session_id = new_session(app, "ABC456")
    trainer = clients[PARTICIPANTS]
    with app.app_context():
        ids = list(db.session.scalars(sa.select(User.id).where(User.role == Role.PARTICIPANT)))
    path = f"/trainer/workshops/room/sessions/{session_id}/attendance"
    roster = {f"status-{user_id}": "excused" for user_id in ids}
    tokens = [csrf_token(c.client) for c in clients]

    def act(i, c):
        if i == PARTICIPANTS:
            return c.client.post(path, data={**roster, "csrf_token": tokens[i]}).status_code
        return c.client.post("/checkin/ABC456", data={"csrf_token": tokens[i]}).status_code

    assert release(clients, act) == [302] * (PARTICIPANTS + 1)
    result = marks(app, session_id)
    # Whatever the order, the trainer's marks stand: a self check-in never overwrites them.
    assert len(result) == PARTICIPANTS
    assert {(r.status, r.source) for r in result} == {(AttendanceStatus.EXCUSED, MarkSource.TRAINER)}


def test_thirty_guesses_at_once_check_no_more_codes_than_the_limit(room, monkeypatch):
    # Counted before the code is looked at: the guesses in flight cannot slip past the limit.
    app, _clients = room
    monkeypatch.setitem(app.config, "CHECKIN_LIMIT_PER_USER", "5 per minute")
    guessers = [Browser(app.test_client()) for _ in range(30)]
    for browser in guessers:
        assert browser.login("room1@example.net", PASSWORD).status_code == 302
    letters = "BCDEFGHJKLMNPQRSTUVWXYZ"
    statuses = release(guessers, lambda i, c: c.client.get(f"/checkin/AAAA{letters[i // 10]}{letters[i % 10]}").status_code)
    assert sorted(statuses) == [404] * 5 + [429] * 25
