"""Two gunicorn servers on two ports, one PostgreSQL database and one Redis, sharing nothing in memory.

What docs/deployment.md promises for several servers behind a load balancer, checked over real
HTTP with the production configuration: a login made on one server is valid on the other; a
logout or a deactivation on one ends the session on both; the login limit counts across both; a
content change seen by one is seen by both; registrations sent to both at once never overbook.
"""
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import redis
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.courses.cache import bump_version
from app.courses.models import Course, Module, Section
from app.extensions import db
from app.workshops.models import Registration, RegistrationStatus
from tests import databases
from tests.factories import DEFAULT_PASSWORD, Factory
from tests.helpers import CSRF_RE, REGISTRATION_FORM, make_config

pytestmark = pytest.mark.postgresql

ROOT = Path(__file__).resolve().parent.parent
# A Redis database of its own, emptied before the servers start.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
SEATS, PEOPLE = 4, 16


def redis_or_skip() -> None:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required on CI and does not answer at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        client.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(url: str, port: int, public_url: str) -> subprocess.Popen:
    env = {**os.environ, "PASSAGE_CONFIG": "production", "DATABASE_URL": url, "SECRET_KEY": "s" * 64,
           "PUBLIC_URL": public_url, "RATELIMIT_STORAGE_URI": REDIS_URL, "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute",
           "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute", "MAIL_BACKEND": "smtp"}
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    for _ in range(150):
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/privacy")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server on port {port}")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """(app, [first, second]): an in-process app on the same database to prepare and check data, and
    the two servers' base URLs."""
    if not databases.on_postgresql():
        pytest.skip("two servers share one PostgreSQL database (TEST_DATABASE_URL)")
    redis_or_skip()
    url = databases.create_database("two-servers", tmp_path_factory.mktemp("two-servers"))
    app = create_app(make_config(url))
    with app.app_context():
        upgrade()
    ports = [free_port(), free_port()]
    processes = [start(url, port, f"http://127.0.0.1:{ports[0]}") for port in ports]
    try:
        for port, process in zip(ports, processes):
            wait_until_up(port, process)
        yield app, [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        with app.app_context():
            db.engine.dispose()
        databases.drop_database(url)


class Person:
    """Someone with a browser: their session cookie, sent to whichever server they are given.

    Production cookies are `Secure`, which a cookie jar would not send over plain HTTP: kept by hand.
    """

    def __init__(self, base: str, cookie: str = ""):
        self.base = base
        self.cookie = cookie

    def on(self, base: str) -> "Person":
        """The same browser, its cookie copied, talking to another server."""
        return Person(base, self.cookie)

    def send(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """Status, Location and body; no redirect followed."""
        host = urlsplit(self.base)
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session="):
                self.cookie = header.split(";")[0]
        connection.close()
        return response.status, response.headers.get("Location", ""), text

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        _status, _location, page = self.send("GET", "/privacy")
        return self.send("POST", path, {**data, "csrf_token": CSRF_RE.search(page).group(1)})

    def login(self, email: str, password: str = DEFAULT_PASSWORD) -> int:
        return self.post("/login", {"email": email, "password": password})[0]

    def status_of(self, path: str) -> int:
        return self.send("GET", path)[0]


def test_a_login_on_one_server_is_valid_on_the_other_and_a_logout_on_either_ends_it(servers):
    app, (first, second) = servers
    person = Factory(app).participant()
    here = Person(first)
    assert here.login(person.email) == 302
    there = here.on(second)
    assert there.status_of("/dashboard") == 200
    copied = here.on(second)  # the cookie as it was, say copied from this browser
    assert there.post("/logout", {})[0] == 302
    assert copied.status_of("/dashboard") == 302
    assert copied.on(first).status_of("/dashboard") == 302


def test_a_deactivation_on_one_server_ends_the_session_on_the_other(servers):
    app, (first, second) = servers
    factory = Factory(app)
    person, admin = factory.participant(), factory.admin()
    there = Person(second)
    there.login(person.email)
    assert there.status_of("/dashboard") == 200
    here = Person(first)
    here.login(admin.email)
    assert here.post(f"/admin/users/{person.id}/active", {"active": "0"})[0] == 302
    assert there.status_of("/dashboard") == 302


def test_the_login_limit_counts_across_both_servers(servers):
    app, (first, second) = servers
    person = Factory(app).participant()
    statuses = [Person((first, second)[n % 2]).login(person.email, "a wrong guess") for n in range(8)]
    # 5 per minute for the account, wherever the guesses land: the sixth is refused, on either server.
    assert statuses == [401] * 5 + [429] * 3
    assert Person(second).login(person.email) == 429


def test_a_content_change_is_seen_by_both_servers_at_the_next_request(servers):
    app, (first, second) = servers
    factory = Factory(app)
    key = factory.course(key="two-servers")
    person = Factory(app).participant()
    readers = [Person(first), Person(second)]
    for reader in readers:
        reader.login(person.email)
    path = f"/courses/{key}/module-1/section-1/"
    for reader in readers:
        assert "Text of section 1." in reader.send("GET", path)[2]  # now cached in each server's processes
    with app.app_context():
        section = db.session.scalar(sa.select(Section).join(Module).join(Course).where(
            Course.key == key, Module.key == "module-1", Section.key == "section-1"))
        section.html = {"en": "<p>Revised after a content sync.</p>"}
        bump_version()  # what `flask content sync` does in the transaction that changes the content
        db.session.commit()
    for reader in readers:
        page = reader.send("GET", path)[2]
        assert "Revised after a content sync." in page and "Text of section 1." not in page


def test_registrations_sent_to_both_servers_at_once_never_overbook(servers):
    app, (first, second) = servers
    factory = Factory(app)
    workshop = factory.workshop(capacity=SEATS)
    people = []
    for n in range(PEOPLE):
        person = Person((first, second)[n % 2])
        assert person.login(factory.participant().email) == 302
        people.append(person)
    forms = []
    for person in people:
        page = person.send("GET", f"/workshops/{workshop.slug}/register")[2]
        forms.append({**REGISTRATION_FORM, "working_language": "en", "csrf_token": CSRF_RE.search(page).group(1)})
    barrier = threading.Barrier(PEOPLE)

    def register(index: int) -> int:
        barrier.wait()
        return people[index].send("POST", f"/workshops/{workshop.slug}/register", forms[index])[0]

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        statuses = list(pool.map(register, range(PEOPLE)))
    assert statuses == [302] * PEOPLE
    with app.app_context():
        rows = db.session.execute(sa.select(Registration.status, Registration.sequence)
                                  .where(Registration.workshop_id == workshop.id)
                                  .order_by(Registration.sequence)).all()
    assert [status for status, _sequence in rows] == \
        [RegistrationStatus.CONFIRMED] * SEATS + [RegistrationStatus.WAITLISTED] * (PEOPLE - SEATS)
    assert [sequence for _status, sequence in rows] == list(range(1, PEOPLE + 1))
