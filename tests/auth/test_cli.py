"""`flask users create-admin`, `flask users purge-unconfirmed` and `flask demo load`."""
import sqlalchemy as sa
import time_machine

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


def test_purge_unconfirmed_deletes_only_old_sign_ups_never_confirmed(app, runner, factory, browser):
    from app.auth.models import PasswordToken
    from app.mail.models import OutboxMessage
    from tests.helpers import Browser

    form = {"name": "Old Sign-up", "password": "an old passphrase 1", "confirm": "an old passphrase 1",
            "country": "PE", "constituency": "workers", "sex": "female", "preferred_language": "en",
            "accept_privacy": "y"}
    with time_machine.travel("2026-11-01 10:00:00+00:00", tick=False):
        Browser(app.test_client()).post("/signup", {**form, "email": "old.unconfirmed@example.org"})
        old_confirmed = factory.participant(email="old.confirmed@example.org")
        # An invitation not yet taken up is unconfirmed too, but the administrators' to manage.
        browser.login(factory.admin().email)
        assert browser.post("/admin/users/new", {"name": "Invited Person", "email": "invited@example.org",
                                                 "role": "trainer", "preferred_language": "en"}).status_code == 302
    Browser(app.test_client()).post("/signup", {**form, "email": "new.unconfirmed@example.org"})

    with time_machine.travel("2026-11-10 10:00:00+00:00", tick=False):
        result = runner.invoke(args=["users", "purge-unconfirmed", "--days", "7"])
    assert result.exit_code == 0 and "Deleted 1 unconfirmed" in result.output, result.output
    with app.app_context():
        emails = set(db.session.scalars(sa.select(User.email)))
        assert "old.unconfirmed@example.org" not in emails
        assert {"new.unconfirmed@example.org", "invited@example.org", old_confirmed.email} <= emails
        # Nothing of the purged sign-up is left: no link, no mail to the address.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.recipient == "old.unconfirmed@example.org")) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordToken)
                                 .join(User, User.id == PasswordToken.user_id)) == \
            db.session.scalar(sa.select(sa.func.count()).select_from(PasswordToken))
    assert runner.invoke(args=["users", "purge-unconfirmed", "--days", "0"]).exit_code == 2  # at least a day
