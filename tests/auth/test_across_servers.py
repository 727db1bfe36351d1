"""A deactivation or a role change made on one server ends the person's session on another at its next request.

Two apps built by create_app() on one database share nothing in memory, like two servers.
"""
import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests import databases
from tests.factories import Factory
from tests.helpers import Browser, make_config


@pytest.fixture
def servers(tmp_path):
    url = databases.create_database("servers", tmp_path)
    apps = [create_app(make_config(url)) for _ in range(2)]
    try:
        with apps[0].app_context():
            upgrade()
        yield apps
    finally:
        for app in apps:
            with app.app_context():
                db.engine.dispose()
        databases.drop_database(url)


@pytest.mark.parametrize("change", [("active", {"active": "0"}), ("role", {"role": "trainer"})])
def test_a_change_on_one_server_ends_the_session_on_the_other(servers, change):
    first, second = servers
    factory = Factory(first)
    person, admin = factory.participant(), factory.admin()
    there = Browser(second.test_client())
    there.login(person.email)
    assert there.client.get("/dashboard").status_code == 200
    here = Browser(first.test_client())
    here.login(admin.email)
    what, form = change
    assert here.post(f"/admin/users/{person.id}/{what}", form).status_code == 302

    response = there.client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
