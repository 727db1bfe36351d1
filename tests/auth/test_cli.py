"""`flask users create-admin` and `flask demo load`."""
import sqlalchemy as sa

from app.auth.models import User
from app.core.permissions import Role
from app.extensions import db


def test_create_admin(app, runner):
    result = runner.invoke(args=["users", "create-admin", "Boss@Example.org", "--password", "a long admin passphrase"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
        assert user.role == Role.ADMIN


def test_create_admin_promotes_an_existing_account(app, runner, factory):
    user = factory.participant()
    result = runner.invoke(args=["users", "create-admin", user.email, "--password", "ignored for existing"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(User, user.id).role == Role.ADMIN


def test_create_admin_refuses_bad_input(app, runner):
    result = runner.invoke(args=["users", "create-admin", "not-an-email", "--password", "a long admin passphrase"])
    assert result.exit_code == 1 and "not a valid e-mail" in result.output
    result = runner.invoke(args=["users", "create-admin", "a@example.org", "--password", "password"])
    assert result.exit_code == 1 and "at least 10" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_demo_load_creates_the_three_accounts_once(app, runner, browser):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load", "--scale", "5"]).exit_code == 0
    from app.workshops.models import Registration, Workshop, WorkshopSession

    with app.app_context():
        count = lambda model, *where: db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))  # noqa: E731
        assert count(User, User.email.like("demo0%@example.org")) == 5
        assert count(User, User.email.in_(["admin@example.org", "trainer@example.org", "participant@example.org"])) == 3
        assert count(Workshop) == 2 and count(WorkshopSession) > 5
        assert count(Registration, Registration.status == "confirmed") == 60 + 18
    for role, home in (("participant", "/dashboard"), ("trainer", "/trainer/"), ("admin", "/admin/")):
        assert browser.login(f"{role}@example.org", "demo-pass-2026").headers["Location"] == home
        browser.logout()


def test_demo_load_is_refused_in_production(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_DATA_ALLOWED", False)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1 and "disabled" in result.output
