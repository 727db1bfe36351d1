"""Fixtures: one migrated database per test run, each test inside a transaction rolled back after it."""
import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db, limiter
from tests import databases
from tests.factories import Factory
from tests.helpers import Browser, make_config


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
    database open `with app.app_context():` themselves. Tests change the configuration with
    `monkeypatch.setitem(app.config, ...)`; as a safety net it is also put back after each test.
    """
    config = dict(_app.config)
    engines = db._app_engines[_app]
    engine = engines[None]
    content_cache = _app.extensions["content_cache"]
    shared_pages = _app.extensions["shared_pages"]
    connection = engine.connect()
    transaction = connection.begin()
    engines[None] = connection
    with _app.app_context():
        limiter.reset()
    # The rolled-back content of the test before must not linger in the process's content cache.
    content_cache.clear()
    shared_pages.clear()
    try:
        yield _app
    finally:
        content_cache.clear()
        shared_pages.clear()
        engines[None] = engine
        transaction.rollback()
        connection.close()
        _app.config.clear()
        _app.config.update(config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app):
    return Factory(app)


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
