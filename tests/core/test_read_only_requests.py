"""On PostgreSQL a GET reads in autocommit (no BEGIN, no COMMIT or ROLLBACK); a POST keeps its one transaction.

These tests build their own app on its own database: the suite's usual fixture binds the session
to one connection inside a transaction, which keeps the transaction on purpose.
"""
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests import databases
from tests.factories import Factory
from tests.helpers import Browser, get_paths, make_config

pytestmark = pytest.mark.skipif(not databases.on_postgresql(), reason="autocommit reads are for PostgreSQL (TEST_DATABASE_URL)")


@pytest.fixture
def server(tmp_path):
    url = databases.create_database("reads", tmp_path)
    app = create_app(make_config(url, WTF_CSRF_CHECK_DEFAULT=False))
    try:
        with app.app_context():
            upgrade()
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        databases.drop_database(url)


def autocommit_during(app, method: str, path: str) -> bool:
    with app.test_request_context(path, method=method):
        app.preprocess_request()
        db.session.execute(sa.text("SELECT 1"))  # the first statement takes the connection
        autocommit = db.session.connection().connection.dbapi_connection.autocommit
        db.session.rollback()
        return autocommit


def test_a_get_reads_in_autocommit_and_a_post_in_a_transaction(server):
    assert autocommit_during(server, "GET", "/privacy") is True
    assert autocommit_during(server, "POST", "/language") is False


def test_every_page_answers_and_writes_still_commit(server):
    factory = Factory(server)
    factory.course()
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    values = {"slug": workshop.slug, "course_key": "demo-course", "module_key": "module-1", "section_key": "section-1"}
    for user in (factory.participant(), trainer, factory.admin()):
        browser = Browser(server.test_client())
        browser.login(user.email)
        for path in get_paths(server, values):
            assert browser.client.get(path).status_code < 500, path
    # A POST after autocommit GETs on pooled connections: its change is stored.
    reader = Browser(server.test_client())
    reader.login(factory.participant().email)
    assert reader.post("/courses/demo-course/module-1/section-1/").status_code == 302
    page = reader.client.get("/courses/demo-course/").get_data(as_text=True)
    assert "1 of 3 sections read" in page


def test_a_page_that_reads_nothing_takes_no_connection(server):
    """A visitor's page with nothing to read (the content version checked a moment ago) leaves the pool alone."""
    client = server.test_client()
    assert client.get("/").status_code == 200  # the first page reads the content version
    with server.app_context():
        pool = db.engine.pool
    checkouts = []

    def count(*args):
        checkouts.append(1)

    sa.event.listen(pool, "checkout", count)
    try:
        assert client.get("/privacy").status_code == 200
        assert checkouts == []
        assert client.get("/").status_code == 200  # the home page lists workshops: one connection
        assert checkouts == [1]
    finally:
        sa.event.remove(pool, "checkout", count)
