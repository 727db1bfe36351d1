"""Deleting an account through its form: seats still to come are given up (the next person waiting is
promoted and told), groups left, free text and mail to the old address erased; what happened stays
as anonymous counts, and the reports and exports still add up."""
import csv
import io
from datetime import date, timedelta

import sqlalchemy as sa

from app.attendance.models import Attendance, AttendanceStatus, MarkSource
from app.auth.models import User
from app.core.audit import AuditEntry
from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import queue_message
from app.workshops.models import Cohort, Registration, RegistrationStatus, WorkshopSession
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import REGISTRATION_FORM, Browser

MOTIVATION = "I run the migrant desk at the Ministry in Guatemala City."
DELETE = {"password": DEFAULT_PASSWORD, "confirm": "y"}


def logged_in(app, user) -> Browser:
    browser = Browser(app.test_client())
    assert browser.login(user.email).status_code == 302
    return browser


def register(app, workshop, user, **changes) -> Browser:
    browser = logged_in(app, user)
    form = {**REGISTRATION_FORM, "name": user.name, "working_language": "en", "motivation": MOTIVATION, **changes}
    assert browser.post(f"/workshops/{workshop.slug}/register", form).status_code == 302
    return browser


def registration(app, workshop_id, user_id) -> Registration:
    with app.app_context():
        row = db.session.scalar(sa.select(Registration).where(Registration.workshop_id == workshop_id,
                                                              Registration.user_id == user_id))
        db.session.expunge(row)
        return row


def mail_to(app, address) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)
                                       .order_by(OutboxMessage.id)))


def add_registration(app, workshop_id, user, status, cohort_id=None, motivation=MOTIVATION):
    with app.app_context():
        number = db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                                   .where(Registration.workshop_id == workshop_id))
        db.session.add(Registration(workshop_id=workshop_id, user_id=user.id, status=status, sequence=number + 1,
                                    constituency=user.constituency, working_language="en", consent_at=utcnow(),
                                    cohort_id=cohort_id, motivation=motivation))
        db.session.commit()


def test_deleting_an_account_gives_its_seat_to_the_next_person_waiting(app, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(capacity=1, trainers=[trainer])
    leaver = factory.participant(name="Ana Leaving")
    waiting = factory.participant(name="Ben Waiting")
    browser = register(app, workshop, leaver)
    register(app, workshop, waiting)
    with app.app_context():
        cohort = Cohort(workshop_id=workshop.id, name={"en": "Group A"})
        db.session.add(cohort)
        db.session.flush()
        db.session.execute(sa.update(Registration).where(Registration.user_id == leaver.id).values(cohort_id=cohort.id))
        db.session.commit()
    assert registration(app, workshop.id, waiting.id).status == RegistrationStatus.WAITLISTED

    response = browser.post("/account/delete", DELETE)

    assert response.status_code == 302
    gone = registration(app, workshop.id, leaver.id)
    assert gone.status == RegistrationStatus.CANCELLED
    assert (gone.cohort_id, gone.motivation) == (None, "")
    assert registration(app, workshop.id, waiting.id).status == RegistrationStatus.CONFIRMED
    # The promoted person is told, exactly as after a normal cancellation.
    [*_earlier, news] = mail_to(app, waiting.email)
    assert news.subject == f"Your seat is confirmed: {workshop.title['en']}"
    # Nothing remains addressed to the old address, nor naming the person in the outbox.
    assert mail_to(app, leaver.email) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.body.contains("Ana Leaving"))) == 0
        actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["registration.cancelled", "registration.promoted", "user.delete"]


def test_a_waitlisted_or_pending_person_leaves_the_queue_and_nobody_else_moves(app, factory):
    full = factory.workshop(capacity=1)
    approval = factory.workshop(requires_approval=True)
    seated, leaver, behind = (factory.participant() for _ in range(3))
    register(app, full, seated)
    browser = register(app, full, leaver)
    register(app, full, behind)
    register(app, approval, leaver)
    assert browser.post("/account/delete", DELETE).status_code == 302
    assert registration(app, full.id, leaver.id).status == RegistrationStatus.CANCELLED
    assert registration(app, approval.id, leaver.id).status == RegistrationStatus.CANCELLED
    assert registration(app, full.id, seated.id).status == RegistrationStatus.CONFIRMED
    assert registration(app, full.id, behind.id).status == RegistrationStatus.WAITLISTED
    assert registration(app, approval.id, leaver.id).motivation == ""


def test_queued_and_abandoned_mail_to_the_old_address_is_deleted_and_others_mail_kept(app, factory):
    leaver, other = factory.participant(), factory.participant()
    with app.app_context():
        queue_message(leaver.email, "Queued", "Dear Ana, ...")
        abandoned = queue_message(leaver.email, "Abandoned", "Dear Ana, ...")
        abandoned.attempts, abandoned.last_error = 10, "connect: refused"
        queue_message(other.email, "For someone else", "Dear Ben, ...")
        db.session.commit()
    assert logged_in(app, leaver).post("/account/delete", DELETE).status_code == 302
    assert mail_to(app, leaver.email) == []
    assert [message.subject for message in mail_to(app, other.email)] == ["For someone else"]


def test_free_text_is_erased_from_every_registration(app, factory):
    workshop, other = factory.workshop(), factory.workshop()
    leaver = factory.participant()
    register(app, workshop, leaver)
    browser = register(app, other, leaver)
    assert browser.post(f"/workshops/{other.slug}/cancel").status_code == 302
    with app.app_context():
        db.session.execute(sa.update(Registration).where(Registration.user_id == leaver.id)
                           .values(decision_reason="Ana's ministry already sent two people."))
        db.session.commit()
    assert browser.post("/account/delete", DELETE).status_code == 302
    with app.app_context():
        rows = db.session.execute(sa.select(Registration.motivation, Registration.decision_reason)
                                  .where(Registration.user_id == leaver.id)).all()
        user = db.session.get(User, leaver.id)
        assert (user.name, user.organisation) == ("", None)
    assert rows == [("", ""), ("", "")]


def test_a_workshop_that_has_ended_keeps_the_anonymous_count_and_promotes_nobody(app, factory):
    """The seat was used: the report of a past workshop still counts that someone took part, and nobody
    on its old waiting list is told, long after, that a seat is theirs."""
    trainer = factory.trainer()
    today = date.today()
    workshop = factory.workshop(trainers=[trainer], starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=9),
                                timezone="UTC", capacity=1)
    leaver, waiting = factory.participant(name="Ana Leaving"), factory.participant()
    with app.app_context():
        cohort = Cohort(workshop_id=workshop.id, name={"en": "Group A"})
        start = utcnow() - timedelta(days=10)
        session = WorkshopSession(workshop_id=workshop.id, title={"en": "Opening"}, starts_at=start, ends_at=start + timedelta(hours=1))
        db.session.add_all([cohort, session])
        db.session.commit()
        cohort_id, session_id = cohort.id, session.id
    add_registration(app, workshop.id, leaver, RegistrationStatus.CONFIRMED, cohort_id)
    add_registration(app, workshop.id, waiting, RegistrationStatus.WAITLISTED, motivation="To learn.")
    with app.app_context():
        db.session.add(Attendance(session_id=session_id, user_id=leaver.id, status=AttendanceStatus.PRESENT,
                                  source=MarkSource.TRAINER))
        db.session.commit()
    mail_before = len(mail_to(app, waiting.email))

    assert logged_in(app, leaver).post("/account/delete", DELETE).status_code == 302

    kept = registration(app, workshop.id, leaver.id)
    assert (kept.status, kept.cohort_id, kept.motivation) == (RegistrationStatus.CONFIRMED, cohort_id, "")
    assert registration(app, workshop.id, waiting.id).status == RegistrationStatus.WAITLISTED
    assert len(mail_to(app, waiting.email)) == mail_before
    trainer_browser = logged_in(app, trainer)
    page = trainer_browser.client.get(f"/trainer/workshops/{workshop.slug}/report?lang=en").get_data(as_text=True)
    assert "Ana Leaving" not in page
    # One confirmed participant, present at the one session, now under "Not given" for sex and country.
    assert "100% (1/1)" in page
    export = trainer_browser.client.get(f"/trainer/workshops/{workshop.slug}/registrations.csv?lang=en")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 3 and "Ana Leaving" not in export.get_data(as_text=True)
    assert leaver.email not in export.get_data(as_text=True) and MOTIVATION not in export.get_data(as_text=True)
    # Trainers' pages name the row for what it is, not with a blank.
    for path in (f"/trainer/workshops/{workshop.slug}/?lang=fr",
                 f"/trainer/workshops/{workshop.slug}/sessions/{session_id}/attendance?lang=fr"):
        page = trainer_browser.client.get(path).get_data(as_text=True)
        assert "Compte supprimé" in page and "Ana Leaving" not in page, path


def test_reports_and_exports_count_the_promoted_person_after_a_deletion(app, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(capacity=1, trainers=[trainer])
    leaver, waiting = factory.participant(name="Ana Leaving"), factory.participant(name="Ben Waiting")
    browser = register(app, workshop, leaver)
    register(app, workshop, waiting, motivation="To learn.")
    assert browser.post("/account/delete", DELETE).status_code == 302
    trainer_browser = logged_in(app, trainer)
    report = trainer_browser.client.get(f"/trainer/workshops/{workshop.slug}/report?lang=en")
    assert report.status_code == 200
    page = report.get_data(as_text=True)
    assert "Ana Leaving" not in page
    for kind in ("registrations", "attendance", "results"):
        for extension in ("csv", "xlsx"):
            response = trainer_browser.client.get(f"/trainer/workshops/{workshop.slug}/{kind}.{extension}")
            assert response.status_code == 200 and response.get_data(), (kind, extension)
    export = trainer_browser.client.get(f"/trainer/workshops/{workshop.slug}/registrations.csv?lang=en")
    text = export.get_data(as_text=True)
    assert "Ana Leaving" not in text and leaver.email not in text and MOTIVATION not in text
    rows = {row[0]: row for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows["Ben Waiting"][rows["Name"].index("Status")] == "Confirmed"
    attendance = trainer_browser.client.get(f"/trainer/workshops/{workshop.slug}/attendance.csv?lang=en")
    names = [row[0] for row in csv.reader(io.StringIO(attendance.get_data(as_text=True).lstrip("\ufeff")))][1:]
    assert names == ["Ben Waiting"]


def test_the_data_notice_and_the_deletion_page_say_what_deleting_does(client, app, factory):
    page = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "the next person on the waiting list" in page and "still waiting to be sent" in page
    browser = logged_in(app, factory.participant())
    page = browser.client.get("/account/delete?lang=en").get_data(as_text=True)
    assert "the next person on the waiting list" in page
