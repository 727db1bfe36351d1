"""One account seen by the secretariat; inviting people; sending them a password link."""
import re

import sqlalchemy as sa

from app.auth.models import User
from app.core.audit import AuditEntry
from app.core.permissions import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from app.core.timeutil import utcnow
from app.quizzes.models import Quiz, QuizAttempt
from tests.factories import reload
from tests.helpers import REGISTRATION_FORM

INVITE = {"name": "Nadia Benali", "email": "Nadia.Benali@Example.org", "role": "trainer", "preferred_language": "fr"}
CHOSEN = {"password": "a passphrase of her own", "confirm": "a passphrase of her own"}


def mails_to(app, email: str) -> list[OutboxMessage]:
    with app.app_context():
        return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == email)
                                  .order_by(OutboxMessage.id)).all()


def link_in(message: OutboxMessage) -> str:
    return re.search(r"http://localhost(/password/reset/\S+)", message.body).group(1)


def test_the_user_page_shows_profile_registrations_attempts_and_audit(app, browser, factory):
    admin = factory.admin(name="Amina Admin")
    person = factory.participant(name="Rosa Flores", organisation="Ministry of Labour")
    workshop = factory.workshop(title="Fair recruitment in practice")
    factory.course()
    with app.app_context():
        quiz_id = db.session.scalar(sa.select(Quiz.id).order_by(Quiz.id))
        db.session.add(QuizAttempt(quiz_id=quiz_id, user_id=person.id, number=1, seed=1, score=75, passed=True,
                                   submitted_at=utcnow()))
        db.session.commit()
    browser.login(person.email)
    assert browser.post(f"/workshops/{workshop.slug}/register", REGISTRATION_FORM).status_code == 302
    browser.logout()
    browser.login(admin.email)
    browser.post(f"/admin/users/{person.id}/role", {"role": "trainer"})
    page = browser.client.get(f"/admin/users/{person.id}/").get_data(as_text=True)
    # Registering updated her profile from the form.
    assert "Ana Pérez" in page and "Ministerio de Trabajo" in page and person.email in page
    assert "Fair recruitment in practice" in page and "Confirmed" in page
    assert "user.role" in page and "participant -&gt; trainer" in page and "Amina Admin" in page
    assert "Module 1" in page and "75 %" in page and "Passed" in page
    home = browser.client.get("/admin/").get_data(as_text=True)
    assert f'href="/admin/users/{person.id}/"' in home


def test_the_role_form_on_the_user_page_returns_to_it(app, browser, factory):
    admin = factory.admin()
    person = factory.participant()
    browser.login(admin.email)
    response = browser.post(f"/admin/users/{person.id}/role?from=detail", {"role": "trainer"})
    assert response.headers["Location"] == f"/admin/users/{person.id}/"
    assert reload(app, User, person.id).role == Role.TRAINER


def test_an_unknown_or_deleted_user_page_is_404_and_participants_are_refused(app, browser, factory):
    admin = factory.admin()
    person = factory.participant()
    browser.login(person.email)
    assert browser.client.get(f"/admin/users/{person.id}/").status_code == 403
    assert browser.post(f"/admin/users/{person.id}/password-link").status_code == 403
    browser.logout()
    browser.login(admin.email)
    assert browser.client.get("/admin/users/999999/").status_code == 404
    assert browser.post("/admin/users/999999/password-link").status_code == 404


def test_inviting_opens_an_account_without_password_and_mails_a_link(app, browser, factory):
    admin = factory.admin()
    browser.login(admin.email)
    response = browser.post("/admin/users/new", INVITE)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "nadia.benali@example.org"))
        assert (user.name, user.role, user.preferred_language, user.password_hash) == (
            "Nadia Benali", Role.TRAINER, "fr", "")
        assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.subject_id == user.id)) == "user.invite"
    assert response.headers["Location"] == f"/admin/users/{user.id}/"
    assert "(not confirmed yet)" in browser.client.get(f"/admin/users/{user.id}/?lang=en").get_data(as_text=True)
    [mail] = mails_to(app, "nadia.benali@example.org")
    assert "mot de passe" in mail.body  # in the language the admin chose for her
    browser.logout()
    # Nobody can log in before she chooses a password, not even with an empty one.
    assert browser.login("nadia.benali@example.org", "").status_code in (401, 422)
    link = link_in(mail)
    assert "Choose your password" in browser.client.get(link + "?lang=en").get_data(as_text=True)
    assert browser.post(link, CHOSEN).status_code == 302
    # The link came to her mailbox: choosing the password from it confirms the address too.
    assert browser.login("nadia.benali@example.org", CHOSEN["password"]).status_code == 302
    assert reload(app, User, user.id).email_confirmed_at is not None


def test_inviting_an_address_that_has_an_account_changes_nothing(app, browser, factory):
    admin = factory.admin()
    person = factory.participant(email="taken@example.org")
    browser.login(admin.email)
    response = browser.post("/admin/users/new", {**INVITE, "email": "TAKEN@example.org"})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert mails_to(app, "taken@example.org") == []
    assert reload(app, User, person.id).role == Role.PARTICIPANT


def test_an_invalid_invitation_is_refused_with_messages(app, browser, factory):
    admin = factory.admin()
    browser.login(admin.email)
    for bad in ({}, {**INVITE, "email": "not an address"}, {**INVITE, "name": "x" * 10_000},
                {**INVITE, "role": "superuser"}, {**INVITE, "preferred_language": "xx"}):
        response = browser.post("/admin/users/new", bad)
        assert response.status_code == 422, bad
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_an_admin_sends_a_reset_link_or_the_invitation_again(app, browser, factory):
    admin = factory.admin()
    person = factory.participant()
    browser.login(admin.email)
    response = browser.post(f"/admin/users/{person.id}/password-link", follow_redirects=True)
    assert "link to choose a new password" in response.get_data(as_text=True)
    [mail] = mails_to(app, person.email)
    assert "reset the password" in mail.body
    browser.post("/admin/users/new", INVITE)
    invited = "nadia.benali@example.org"
    with app.app_context():
        invited_id = db.session.scalar(sa.select(User.id).where(User.email == invited))
    first = link_in(mails_to(app, invited)[0])
    response = browser.post(f"/admin/users/{invited_id}/password-link", follow_redirects=True)
    assert "new invitation link" in response.get_data(as_text=True)
    second = link_in(mails_to(app, invited)[1])
    assert first != second
    browser.logout()
    assert browser.post(second, CHOSEN).status_code == 302
    # Choosing a password spends the first invitation too.
    assert "already been used" in browser.client.get(first, follow_redirects=True).get_data(as_text=True)


def test_no_link_is_sent_to_a_deactivated_account(app, browser, factory):
    admin = factory.admin()
    person = factory.participant()
    browser.login(admin.email)
    browser.post(f"/admin/users/{person.id}/active", {"active": "0"})
    response = browser.post(f"/admin/users/{person.id}/password-link", follow_redirects=True)
    assert "deactivated" in response.get_data(as_text=True)
    assert mails_to(app, person.email) == []
