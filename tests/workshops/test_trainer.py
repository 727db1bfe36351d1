"""Trainers: registrations with filters and bulk decisions, cohorts, sessions (who may: tests/test_permissions.py)."""

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.mail.models import OutboxMessage
from app.workshops.models import Cohort, Registration, Workshop, WorkshopSession
from tests.helpers import REGISTRATION_FORM as FORM
from tests.helpers import Browser


@pytest.fixture
def setup(app, factory, browser):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], capacity=2, requires_approval=True, languages=["en", "fr", "es"])
    people = []
    for i, language in enumerate(["en", "fr", "es", "fr"]):
        user = factory.participant(name=f"Person {i}")
        client = Browser(app.test_client())
        client.login(user.email)
        client.post(f"/workshops/{workshop.slug}/register", {**FORM, "name": f"Person {i}", "working_language": language})
        people.append(user)
    browser.login(trainer.email)
    return trainer, workshop, people


def regs(app, workshop_id):
    with app.app_context():
        return {r.user_id: (r.status.value, r.cohort_id) for r in db.session.scalars(
            sa.select(Registration).where(Registration.workshop_id == workshop_id))}


def reg_ids(app, workshop_id, user_ids):
    with app.app_context():
        return list(db.session.scalars(sa.select(Registration.id).where(
            Registration.workshop_id == workshop_id, Registration.user_id.in_(user_ids))))


def test_trainer_home_lists_only_their_workshops(browser, factory, setup):
    trainer, workshop, _ = setup
    factory.workshop(title="Someone else's workshop")
    page = browser.client.get("/trainer/").get_data(as_text=True)
    assert workshop.title["en"] in page and "Someone else's workshop" not in page
    assert "Awaiting approval: 4" in page


def test_filters(browser, setup):
    _, workshop, _ = setup
    page = browser.client.get(f"/trainer/workshops/{workshop.slug}/?language=fr").get_data(as_text=True)
    assert "Person 1" in page and "Person 3" in page and "Person 0" not in page
    page = browser.client.get(f"/trainer/workshops/{workshop.slug}/?q=person 2").get_data(as_text=True)
    assert "Person 2" in page and "Person 1" not in page
    assert browser.client.get(f"/trainer/workshops/{workshop.slug}/?status=bogus&cohort=x&page=-3").status_code == 200


def test_bulk_approve_confirms_in_order_then_waitlists(app, browser, setup):
    _, workshop, people = setup
    ids = reg_ids(app, workshop.id, [p.id for p in people])
    response = browser.post(f"/trainer/workshops/{workshop.slug}/registrations", {"ids": ids, "action": "approve"},
                            follow_redirects=True)
    assert "2 confirmed, 2 placed on the waiting list." in response.get_data(as_text=True)
    statuses = regs(app, workshop.id)
    assert [statuses[p.id][0] for p in people] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action.like("registration.approved%"))) == 4
    # Approving the same people again reports each of them as skipped, counted in the reader's language.
    response = browser.post(f"/trainer/workshops/{workshop.slug}/registrations?lang=fr",
                            {"ids": ids[:1], "action": "approve"}, follow_redirects=True)
    assert "1 ignorée : son état ne permet pas cette action." in response.get_data(as_text=True)


def test_reject_with_reason_frees_the_seat_and_promotes(app, browser, setup):
    _, workshop, people = setup
    ids = reg_ids(app, workshop.id, [p.id for p in people])
    browser.post(f"/trainer/workshops/{workshop.slug}/registrations", {"ids": ids, "action": "approve"})
    first = reg_ids(app, workshop.id, [people[0].id])
    browser.post(f"/trainer/workshops/{workshop.slug}/registrations",
                 {"ids": first, "action": "reject", "reason": "Your ministry already has a delegate."})
    statuses = regs(app, workshop.id)
    assert statuses[people[0].id][0] == "rejected" and statuses[people[2].id][0] == "confirmed"
    with app.app_context():
        body = db.session.scalars(sa.select(OutboxMessage.body).where(OutboxMessage.recipient == people[0].email)
                                  .order_by(OutboxMessage.id.desc())).first()
        assert "Your ministry already has a delegate." in body


def test_bulk_action_without_selection_or_with_bad_input(app, browser, setup):
    _, workshop, people = setup
    before = regs(app, workshop.id)
    response = browser.post(f"/trainer/workshops/{workshop.slug}/registrations", {"action": "approve"}, follow_redirects=True)
    assert "Tick at least one" in response.get_data(as_text=True)
    assert browser.post(f"/trainer/workshops/{workshop.slug}/registrations", {"ids": ["x"], "action": "approve"}).status_code == 400
    ids = reg_ids(app, workshop.id, [people[0].id])
    assert browser.post(f"/trainer/workshops/{workshop.slug}/registrations", {"ids": ids, "action": "explode"}).status_code == 400
    response = browser.post(f"/trainer/workshops/{workshop.slug}/registrations",
                            {"ids": ids, "action": "reject", "reason": "r" * 1001}, follow_redirects=True)
    assert "too long" in response.get_data(as_text=True)
    assert regs(app, workshop.id) == before


def test_cohorts_create_move_split_rename_delete(app, browser, setup):
    _, workshop, people = setup
    ids = reg_ids(app, workshop.id, [p.id for p in people])
    with app.app_context():
        db.session.execute(sa.update(Workshop).where(Workshop.id == workshop.id).values(capacity=4))
        db.session.commit()
    browser.post(f"/trainer/workshops/{workshop.slug}/registrations", {"ids": ids, "action": "approve"})
    assert browser.post(f"/trainer/workshops/{workshop.slug}/cohorts", {"name_en": "Group A"}).status_code == 302
    response = browser.post(f"/trainer/workshops/{workshop.slug}/cohorts", {"name_en": "group a"})
    assert response.status_code == 422 and "already exists" in response.get_data(as_text=True)
    assert browser.post(f"/trainer/workshops/{workshop.slug}/cohorts", {"name_en": ""}).status_code == 422
    with app.app_context():
        cohort_id = db.session.scalar(sa.select(Cohort.id).where(Cohort.workshop_id == workshop.id).order_by(Cohort.id))
    browser.post(f"/trainer/workshops/{workshop.slug}/registrations", {"ids": ids[:2], "action": "move", "cohort": cohort_id})
    assert [regs(app, workshop.id)[p.id][1] for p in people[:2]] == [cohort_id, cohort_id]
    # A cohort holding people cannot be deleted.
    response = browser.post(f"/trainer/workshops/{workshop.slug}/cohorts/{cohort_id}/delete", follow_redirects=True)
    assert "Move everyone out" in response.get_data(as_text=True)
    # Split by language: three cohorts, each person in theirs.
    browser.post(f"/trainer/workshops/{workshop.slug}/cohorts/split")
    with app.app_context():
        cohorts = {c.language: c.id for c in db.session.scalars(sa.select(Cohort).where(Cohort.workshop_id == workshop.id)) if c.language}
    assert set(cohorts) == {"en", "fr", "es"}
    after = regs(app, workshop.id)
    assert after[people[1].id][1] == after[people[3].id][1] == cohorts["fr"]
    # Group A is empty now: rename, then delete.
    browser.post(f"/trainer/workshops/{workshop.slug}/cohorts/{cohort_id}/rename", {"name": "Renamed"})
    assert browser.post(f"/trainer/workshops/{workshop.slug}/cohorts/{cohort_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, cohort_id) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "registration.moved")) >= 2


def test_sessions_within_dates_without_overlap(app, browser, setup):
    _, workshop, _ = setup
    day = workshop.starts_on.isoformat()
    url = f"/trainer/workshops/{workshop.slug}/sessions"
    ok = {"title_en": "Opening", "starts_at": f"{day}T09:00", "ends_at": f"{day}T10:30", "cohort": "", "room": "Room A"}
    assert browser.post(url, ok).status_code == 302
    cases = [
        ({"starts_at": f"{day}T10:00", "ends_at": f"{day}T11:00"}, "overlaps another session"),
        ({"starts_at": f"{day}T12:00", "ends_at": f"{day}T11:00"}, "must end after it starts"),
        ({"starts_at": "2001-01-01T09:00", "ends_at": "2001-01-01T10:00"}, "within the workshop"),
        ({"starts_at": "", "ends_at": f"{day}T11:00"}, "Enter a date and time."),
        ({"title_en": "t" * 201}, "longer than 200"),
        ({"cohort": "99999"}, "Not a valid choice"),
    ]
    for changes, message in cases:
        response = browser.post(url, {**ok, "starts_at": f"{day}T14:00", "ends_at": f"{day}T15:00", **changes})
        assert response.status_code == 422 and message in response.get_data(as_text=True), changes
    with app.app_context():
        [session] = db.session.scalars(sa.select(WorkshopSession)).all()
    page = browser.client.get(url).get_data(as_text=True)
    assert "Opening" in page and "Room A" in page
    assert browser.post(f"{url}/{session.id}/delete").status_code == 302
