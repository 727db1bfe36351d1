"""Eight "Get my certificate" clicks at once issue one certificate with one code (PostgreSQL, real views)."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.certificates.models import Certificate
from app.core.audit import AuditEntry
from app.extensions import db
from tests import databases
from tests.attendance.helpers import add_registrations, add_session
from tests.certificates.helpers import mark
from tests.factories import DEFAULT_PASSWORD, Factory
from tests.helpers import Browser, all_at_once, make_config

CLICKS = 8

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def race(tmp_path_factory):
    if not databases.on_postgresql():
        pytest.skip("double submissions race on PostgreSQL (TEST_DATABASE_URL)")
    url = databases.create_database("certificates", tmp_path_factory.mktemp("certificates"))
    app = create_app(make_config(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CLICKS + 2, "max_overflow": 0},
                                 LOGIN_LIMIT_PER_ADDRESS="100000 per minute", LOGIN_LIMIT_PER_ACCOUNT="100000 per minute"))
    with app.app_context():
        upgrade()
    yield app, Factory(app)
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


def test_eight_clicks_at_once_issue_one_certificate(race):
    app, factory = race
    person = factory.participant(name="Nguyễn Văn An")
    today = date.today()
    workshop = factory.workshop(starts_on=today - timedelta(days=2), ends_on=today, timezone="UTC")
    add_registrations(app, workshop.id, [(person, None)])
    mark(app, [add_session(app, workshop.id, f"Day {n}", -(n + 1) * 24 * 60) for n in range(2)], person)
    browsers = [Browser(app.test_client()) for _ in range(CLICKS)]
    assert all(browser.login(person.email, DEFAULT_PASSWORD).status_code == 302 for browser in browsers)
    responses = all_at_once(browsers, f"/workshops/{workshop.slug}/certificate", {})
    assert [r.status_code for r in responses] == [302] * CLICKS
    assert len({r.location for r in responses}) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(Certificate.user_id == person.id)) == 1
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                                 .where(AuditEntry.action == "certificate.issued")) == 1
