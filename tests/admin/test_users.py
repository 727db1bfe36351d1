"""Admin home: find users, change roles, deactivate; the last admin is protected."""
import sqlalchemy as sa

from app.auth.models import User
from app.core.audit import AuditEntry
from app.core.permissions import Role
from app.extensions import db
from tests.factories import reload


def load(app, user_id):
    return reload(app, User, user_id)


def test_admin_lists_and_searches_users(browser, factory):
    admin = factory.admin(name="Amina Admin")
    factory.participant(name="Rosa Flores", email="rosa@example.net")
    factory.participant(name="Tomas Ek", email="tomas@example.net")
    browser.login(admin.email)
    page = browser.client.get("/admin/").get_data(as_text=True)
    assert "Rosa Flores" in page and "Tomas Ek" in page
    page = browser.client.get("/admin/?q=ROSA").get_data(as_text=True)
    assert "Rosa Flores" in page and "Tomas Ek" not in page
    page = browser.client.get("/admin/?q=%25_").get_data(as_text=True)
    assert "No user matches this search." in page


def test_admin_pages_through_many_users(app, browser, factory, monkeypatch):
    admin = factory.admin()
    monkeypatch.setitem(app.config, "ADMIN_PAGE_SIZE", 3)
    for _ in range(7):
        factory.participant()
    browser.login(admin.email)
    page = browser.client.get("/admin/?page=3").get_data(as_text=True)
    assert "Page 3 of 3" in page and "8 users" in page
    assert browser.client.get("/admin/?page=999").status_code == 200
    assert browser.client.get("/admin/?page=abc").status_code == 200


def test_admin_changes_a_role_with_an_audit_entry(app, browser, factory):
    admin = factory.admin()
    user = factory.participant()
    browser.login(admin.email)
    response = browser.post(f"/admin/users/{user.id}/role", {"role": "trainer"})
    assert response.status_code == 302
    assert load(app, user.id).role == Role.TRAINER
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.role"))
        assert (entry.actor_id, entry.subject_id, entry.details) == (admin.id, user.id, "participant -> trainer")


def test_unknown_role_or_user_changes_nothing(app, browser, factory):
    admin = factory.admin()
    user = factory.participant()
    browser.login(admin.email)
    response = browser.post(f"/admin/users/{user.id}/role", {"role": "superuser"}, follow_redirects=True)
    assert "Choose a valid role." in response.get_data(as_text=True)
    assert load(app, user.id).role == Role.PARTICIPANT
    assert browser.post("/admin/users/999999/role", {"role": "admin"}).status_code == 404
    assert browser.post(f"/admin/users/{user.id}/active", {"active": "maybe"}).status_code == 400


def test_admin_deactivates_and_reactivates(app, browser, factory):
    admin = factory.admin()
    user = factory.participant()
    browser.login(admin.email)
    browser.post(f"/admin/users/{user.id}/active", {"active": "0"})
    assert not load(app, user.id).active
    browser.post(f"/admin/users/{user.id}/active", {"active": "1"})
    assert load(app, user.id).active


def test_last_admin_cannot_demote_or_deactivate_themselves(app, browser, factory):
    admin = factory.admin()
    browser.login(admin.email)
    response = browser.post(f"/admin/users/{admin.id}/role", {"role": "participant"}, follow_redirects=True)
    assert "last active administrator" in response.get_data(as_text=True)
    response = browser.post(f"/admin/users/{admin.id}/active", {"active": "0"}, follow_redirects=True)
    assert "last active administrator" in response.get_data(as_text=True)
    saved = load(app, admin.id)
    assert saved.role == Role.ADMIN and saved.active


def test_with_two_admins_one_may_step_down(app, browser, factory):
    admin = factory.admin()
    factory.admin()
    browser.login(admin.email)
    browser.post(f"/admin/users/{admin.id}/role", {"role": "trainer"})
    assert load(app, admin.id).role == Role.TRAINER
