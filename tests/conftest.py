"""Fixtures: one migrated database per test run, each test inside a transaction rolled back after it."""
import re

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db, limiter
from config import TestingConfig
from tests import databases
from tests.factories import DEFAULT_PASSWORD, Factory


def make_config(database_url: str, **overrides):
    return type("TestConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, **overrides})


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = databases.create_database("suite", tmp_path_factory.mktemp("db"))
    yield url
    databases.drop_database(url)


@pytest.fixture(scope="session")
def _app(database_url):
    app = create_app(make_config(database_url))
    with app.app_context():
        upgrade()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_app):
    """The app with every database call of the test inside one transaction, rolled back after.

    No app context stays pushed: each request gets its own, as in production (so `g`,
    the current user and the session are fresh per request). Tests that read the
    database open `with app.app_context():` themselves.
    """
    engines = db._app_engines[_app]
    engine = engines[None]
    connection = engine.connect()
    transaction = connection.begin()
    engines[None] = connection
    with _app.app_context():
        limiter.reset()
    try:
        yield _app
    finally:
        engines[None] = engine
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app):
    return Factory(app)


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(client, path: str = "/privacy") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


class Browser:
    """The flaskr-style helper: a test client that fills forms with their CSRF token."""

    def __init__(self, client):
        self.client = client

    def post(self, path: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", csrf_token(self.client))
        return self.client.post(path, data=data, **kwargs)

    def login(self, email: str, password: str = DEFAULT_PASSWORD, **kwargs):
        return self.post("/login", {"email": email, "password": password}, **kwargs)

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def browser(client):
    return Browser(client)


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter: client.get(...)`, then `counter.count`."""
    from contextlib import contextmanager

    import sqlalchemy as sa

    @contextmanager
    def counting():
        counter = QueryCounter()
        connection = db._app_engines[app][None]
        sa.event.listen(connection, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(connection, "before_cursor_execute", counter)

    return counting
