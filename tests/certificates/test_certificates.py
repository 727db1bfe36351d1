"""Certificates: who earns which, the PDF (read back with pypdf), the public check page, revoking."""
import re

import pytest
import sqlalchemy as sa

from app.attendance.models import AttendanceStatus
from app.certificates import eligibility
from app.certificates.models import CertificateKind
from app.core.audit import AuditEntry
from app.extensions import db
from app.workshops.models import Cohort, RegistrationStatus, Workshop
from tests.attendance.helpers import add_registrations, add_session
from tests.certificates.helpers import (
    SESSION_MINUTES,
    admin_workshop_form,
    certificates_of,
    complete_modules,
    enrol,
    make_scene,
    mark,
    pdf_text,
)
from tests.factories import DEFAULT_PASSWORD, reload
from tests.helpers import Browser, csrf_token


@pytest.fixture
def scene(app, factory):
    return make_scene(app, factory)


def kind_of(app, scene, user):
    with app.app_context():
        workshop = db.session.get(Workshop, scene.workshop.id)
        return eligibility.standing(user.id, workshop).kind


def set_threshold(app, scene, value):
    with app.app_context():
        db.session.get(Workshop, scene.workshop.id).attendance_threshold = value
        db.session.commit()


def get_certificate(browser, scene):
    return browser.post(f"/workshops/{scene.workshop.slug}/certificate")


# ---------------------------------------------------------------- eligibility

def test_exactly_at_the_threshold_earns_participation_and_just_below_does_not(app, factory, scene):
    person = factory.participant()
    enrol(app, scene, person)
    mark(app, scene.sessions[:3], person)
    mark(app, scene.sessions[3:4], person, AttendanceStatus.LATE)  # late counts as attended
    mark(app, scene.sessions[4:], person, AttendanceStatus.EXCUSED)  # excused does not
    assert kind_of(app, scene, person) == CertificateKind.PARTICIPATION  # 4 of 5 = 80% exactly
    set_threshold(app, scene, 81)
    assert kind_of(app, scene, person) is None


def test_three_of_five_is_below_eighty(app, factory, scene):
    person = factory.participant()
    enrol(app, scene, person)
    mark(app, scene.sessions[:3], person)
    mark(app, scene.sessions[3:], person, AttendanceStatus.ABSENT)
    assert kind_of(app, scene, person) is None
    set_threshold(app, scene, 60)
    assert kind_of(app, scene, person) == CertificateKind.PARTICIPATION


def test_no_session_started_yet_earns_nothing(app, factory):
    scene = make_scene(app, factory, sessions=0)
    person = factory.participant()
    enrol(app, scene, person)
    add_session(app, scene.workshop.id, "Tomorrow", 24 * 60)
    assert kind_of(app, scene, person) is None


def test_unmarked_started_sessions_count_and_future_ones_do_not(app, factory, scene):
    person = factory.participant()
    enrol(app, scene, person)
    add_session(app, scene.workshop.id, "Next week", 7 * 24 * 60)
    mark(app, scene.sessions[:4], person)  # the fifth started session has no mark: 4 of 5
    with app.app_context():
        standing = eligibility.standing(person.id, db.session.get(Workshop, scene.workshop.id))
        assert (standing.sessions_expected, standing.sessions_attended) == (5, 4)
        assert standing.minutes_attended == 4 * SESSION_MINUTES


def test_another_cohorts_sessions_are_not_expected(app, factory, scene):
    with app.app_context():
        cohorts = [Cohort(workshop_id=scene.workshop.id, name={"en": name}) for name in ("A", "B")]
        db.session.add_all(cohorts)
        db.session.commit()
        a, b = cohorts[0].id, cohorts[1].id
    other = [add_session(app, scene.workshop.id, f"B only {n}", -60 * (n + 1), cohort_id=b) for n in range(3)]
    person = factory.participant()
    enrol(app, scene, person, cohort_id=a)
    mark(app, scene.sessions[:4], person)
    assert other and kind_of(app, scene, person) == CertificateKind.PARTICIPATION


def test_completion_needs_every_module(app, factory, scene):
    person = factory.participant()
    enrol(app, scene, person)
    mark(app, scene.sessions, person)
    complete_modules(app, scene, person, count=1)
    assert kind_of(app, scene, person) == CertificateKind.PARTICIPATION
    complete_modules(app, scene, person)
    with app.app_context():
        assert eligibility.standing(person.id, db.session.get(Workshop, scene.workshop.id)).modules_completed == 2
    assert kind_of(app, scene, person) == CertificateKind.COMPLETION


def test_a_pending_registration_earns_nothing(app, factory, scene):
    person = factory.participant()
    add_registrations(app, scene.workshop.id, [(person, None)], status=RegistrationStatus.PENDING, start=500)
    mark(app, scene.sessions, person)
    assert kind_of(app, scene, person) is None


# ---------------------------------------------------------------- getting it

def test_asked_for_before_it_is_earned_is_refused_and_nothing_is_created(app, browser, factory, scene):
    person = factory.participant()
    enrol(app, scene, person)
    mark(app, scene.sessions[:2], person)
    browser.login(person.email)
    assert "Get my certificate" not in browser.client.get("/dashboard").get_data(as_text=True)
    response = get_certificate(browser, scene)
    assert response.status_code == 302 and response.location.endswith("/dashboard")
    page = browser.client.get("/dashboard").get_data(as_text=True)
    assert "You have not earned a certificate for this workshop yet" in page
    assert certificates_of(app, person) == []


def test_a_workshop_that_does_not_exist_is_404(browser, factory):
    browser.login(factory.participant().email)
    assert browser.post("/workshops/no-such-workshop/certificate").status_code == 404
    assert browser.client.post("/workshops/no-such-workshop/certificate").status_code == 400  # no CSRF token


@pytest.mark.parametrize("name", ["Nguyễn Thị Minh Khai", "Анна Кузнецова", "Łukasz Đorđević-Çelik"])
def test_the_pdf_prints_any_name_the_workshop_hours_and_code(app, browser, factory, scene, name):
    person = factory.participant(name=name)
    enrol(app, scene, person)
    mark(app, scene.sessions[:4], person)
    browser.login(person.email)
    assert "Get my certificate" in browser.client.get("/dashboard").get_data(as_text=True)
    response = get_certificate(browser, scene)
    assert response.status_code == 302
    [certificate] = certificates_of(app, person)
    assert response.location.endswith(f"/certificates/{certificate.code}/pdf")
    assert len(certificate.code) == 16 and certificate.kind == CertificateKind.PARTICIPATION
    assert certificate.minutes_attended == 4 * SESSION_MINUTES
    pdf = browser.client.get(response.location)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    for expected in (name, "Certificate of participation", "Fair recruitment: from policy to practice",
                     "Hours attended: 6", certificate.code, f"http://localhost/certificates/{certificate.code}",
                     "ITC-ILO campus, Turin"):
        assert expected in text, (expected, text)
    start = scene.workshop.starts_on
    assert str(start.year) in text and start.strftime("%B") in text


def test_the_pdf_is_in_the_participants_language(app, browser, factory, scene):
    person = factory.participant(name="Fatima El Idrissi", preferred_language="fr")
    enrol(app, scene, person)
    mark(app, scene.sessions, person)
    complete_modules(app, scene, person)
    with app.app_context():
        db.session.execute(sa.update(Workshop).where(Workshop.id == scene.workshop.id).values(
            title={"en": "Fair recruitment: from policy to practice", "fr": "Recrutement équitable : des politiques à la pratique"},
            address={"en": "ITC-ILO campus, Turin", "fr": "Campus du CIF-OIT, Turin"}))
        db.session.commit()
    browser.login(person.email)
    response = get_certificate(browser, scene)
    text = pdf_text(browser.client.get(response.location + "?lang=en").data)
    assert "Certificat de réussite" in text and "Heures de présence : 7,5" in text, text
    # The workshop's own texts in her language too, whoever opens the PDF.
    assert "Recrutement équitable : des politiques à la pratique" in text and "Campus du CIF-OIT, Turin" in text, text


def test_a_double_click_makes_one_certificate_and_a_later_click_brings_it_up_to_date(app, browser, factory, scene):
    person = factory.participant()
    enrol(app, scene, person)
    mark(app, scene.sessions[:4], person)
    browser.login(person.email)
    token = csrf_token(browser.client)
    first = browser.client.post(f"/workshops/{scene.workshop.slug}/certificate", data={"csrf_token": token})
    second = browser.client.post(f"/workshops/{scene.workshop.slug}/certificate", data={"csrf_token": token})
    assert first.location == second.location
    [certificate] = certificates_of(app, person)
    mark(app, scene.sessions[4:], person)
    complete_modules(app, scene, person)
    get_certificate(browser, scene)
    [updated] = certificates_of(app, person)
    assert (updated.code, updated.kind, updated.minutes_attended) == (certificate.code, CertificateKind.COMPLETION, 5 * SESSION_MINUTES)
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.subject_type == "certificate",
                                                                       AuditEntry.subject_id == certificate.id)).all()
    assert sorted(actions) == ["certificate.issued", "certificate.updated"]


def test_a_get_never_issues(app, browser, factory, scene):
    person = factory.participant()
    enrol(app, scene, person)
    mark(app, scene.sessions, person)
    browser.login(person.email)
    assert browser.client.get(f"/workshops/{scene.workshop.slug}/certificate").status_code == 405
    browser.client.get("/dashboard")
    assert certificates_of(app, person) == []


def test_another_participants_pdf_is_404_and_a_visitor_must_log_in(app, browser, factory, scene):
    owner, other = factory.participant(), factory.participant()
    enrol(app, scene, owner)
    mark(app, scene.sessions, owner)
    owner_browser = Browser(app.test_client())
    owner_browser.login(owner.email)
    location = get_certificate(owner_browser, scene).location
    browser.login(other.email)
    assert browser.client.get(location).status_code == 404
    trainer = Browser(app.test_client())
    trainer.login(scene.trainer.email)
    assert trainer.client.get(location).status_code == 404
    assert app.test_client().get(location).status_code == 302
    admin = Browser(app.test_client())
    admin.login(scene.admin.email)
    assert admin.client.get(location).status_code == 200


# ---------------------------------------------------------------- the public check page

def issued(app, factory, scene, **profile):
    person = factory.participant(**profile)
    enrol(app, scene, person)
    mark(app, scene.sessions, person)
    browser = Browser(app.test_client())
    browser.login(person.email)
    get_certificate(browser, scene)
    [certificate] = certificates_of(app, person)
    return person, certificate


def test_the_check_page_shows_exactly_name_workshop_dates_hours_and_kind(app, factory, scene):
    person, certificate = issued(app, factory, scene, name="Анна Кузнецова", country="UA", organisation="Trade Union X")
    response = app.test_client().get(f"/certificates/{certificate.code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    facts = page.split('<dl class="facts">')[1].split("</dl>")[0]
    labels = re.findall(r"<dt>([^<]*)</dt>", facts)
    assert labels == ["Certificate", "Awarded to", "Workshop", "Dates", "Hours attended", "Code"]
    values = re.findall(r"<dd>(.*?)</dd>", facts)
    assert values[:3] == ["Certificate of participation", "Анна Кузнецова", "Fair recruitment: from policy to practice"]
    assert values[4] == "7.5"
    # The random code may itself contain "UA": look for the country code everywhere but there.
    without_code = page.replace(certificate.code, "")
    for private in (person.email, "Ukraine", "Trade Union X", "UA"):
        assert private not in without_code


def test_the_check_page_of_a_holder_who_deleted_their_account_says_why_no_name_is_shown(app, factory, scene):
    person, certificate = issued(app, factory, scene, name="Ana Leaving")
    holder = Browser(app.test_client())
    holder.login(person.email)
    assert holder.post("/account/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"}).status_code == 302
    page = app.test_client().get(f"/certificates/{certificate.code}?lang=en").get_data(as_text=True)
    assert "Not shown: the holder deleted their account" in page and "Ana Leaving" not in page
    assert "This certificate is valid" in page  # the code, workshop, dates and hours can still be compared


def test_an_unknown_or_malformed_code_says_so(client):
    for code in ("AAAAAAAAAAAAAAAA", "x", "<script>alert(1)<script>", "a" * 500, "é" * 16):
        response = client.get(f"/certificates/{code}")
        assert response.status_code == 404
        assert "No certificate has the code" in response.get_data(as_text=True)
    assert "<script>alert" not in client.get("/certificates/<script>alert(1)<script>").get_data(as_text=True)
    assert client.get("/certificates/a/b").status_code == 404


def test_the_check_page_is_rate_limited_per_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_CHECK_LIMIT", "3 per minute")
    codes = [client.get(f"/certificates/unknown-code-{n}").status_code for n in range(4)]
    assert codes == [404, 404, 404, 429]


# ---------------------------------------------------------------- revoking

def test_an_admin_revokes_with_a_reason(app, browser, factory, scene):
    person, certificate = issued(app, factory, scene)
    browser.login(scene.admin.email)
    path = f"/admin/workshops/{scene.workshop.slug}/certificates"
    page = browser.client.get(path).get_data(as_text=True)
    assert person.name in page and certificate.code in page
    revoke = f"{path}/{certificate.id}/revoke"
    assert browser.post(revoke, {"reason": "  "}).status_code == 302
    assert "Say why the certificate is revoked." in browser.client.get(path).get_data(as_text=True)
    assert not certificates_of(app, person)[0].is_revoked
    assert browser.post(revoke, {"reason": "Attendance sheet was forged."}).status_code == 302
    [revoked] = certificates_of(app, person)
    assert revoked.is_revoked and revoked.revoked_by_id == scene.admin.id and revoked.revoke_reason == "Attendance sheet was forged."
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "certificate.revoked"))
        assert (entry.actor_id, entry.subject_id, entry.details) == (scene.admin.id, certificate.id, "Attendance sheet was forged.")
    browser.post(revoke, {"reason": "Again."})
    assert "This certificate was already revoked." in browser.client.get(path).get_data(as_text=True)

    check = app.test_client().get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert "was revoked" in check and person.name not in check
    participant = Browser(app.test_client())
    participant.login(person.email)
    dashboard = participant.client.get("/dashboard").get_data(as_text=True)
    assert "Get my certificate" not in dashboard and "was revoked" in dashboard
    assert participant.client.get(f"/certificates/{certificate.code}/pdf").status_code == 404
    get_certificate(participant, scene)
    assert "Your certificate for this workshop was revoked" in participant.client.get("/dashboard").get_data(as_text=True)
    assert len(certificates_of(app, person)) == 1


@pytest.mark.parametrize("who", ["trainer", "participant"])
def test_only_admins_revoke(app, browser, factory, scene, who):
    person, certificate = issued(app, factory, scene)
    user = scene.trainer if who == "trainer" else person
    browser.login(user.email)
    path = f"/admin/workshops/{scene.workshop.slug}/certificates"
    assert browser.client.get(path).status_code == 403
    assert browser.post(f"{path}/{certificate.id}/revoke", {"reason": "No."}).status_code == 403
    assert not certificates_of(app, person)[0].is_revoked


def test_a_certificate_of_another_workshop_cannot_be_revoked_through_this_one(app, browser, factory, scene):
    _person, certificate = issued(app, factory, scene)
    other = factory.workshop()
    browser.login(scene.admin.email)
    assert browser.post(f"/admin/workshops/{other.slug}/certificates/{certificate.id}/revoke", {"reason": "x"}).status_code == 404
    assert browser.post(f"/admin/workshops/{scene.workshop.slug}/certificates/999999/revoke", {"reason": "x"}).status_code == 404
    assert browser.client.get("/admin/workshops/nope/certificates").status_code == 404


# ---------------------------------------------------------------- the threshold on the workshop form

def test_the_threshold_is_set_on_the_workshop_form(app, browser, factory):
    form = admin_workshop_form
    browser.login(factory.admin().email)
    for bad in ("0", "101", "abc"):
        response = browser.post("/admin/workshops/new", form(slug=f"t-{bad}", attendance_threshold=bad))
        assert response.status_code == 422, bad
    assert browser.post("/admin/workshops/new", form(slug="t-ninety", attendance_threshold="90")).status_code == 302
    assert browser.post("/admin/workshops/new", form(slug="t-default")).status_code == 302
    assert reload(app, Workshop, _id(app, "t-ninety")).attendance_threshold == 90
    assert reload(app, Workshop, _id(app, "t-default")).attendance_threshold == 80
    assert 'name="attendance_threshold"' in browser.client.get("/admin/workshops/t-ninety/edit").get_data(as_text=True)


def _id(app, slug):
    with app.app_context():
        return db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == slug))
