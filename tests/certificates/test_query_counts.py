"""The certificate pages cost the same number of queries with 6 or 60 participants."""
import sqlalchemy as sa

from app.certificates.models import Certificate, CertificateKind
from app.core.timeutil import utcnow
from app.extensions import db
from tests.certificates.helpers import (
    add_participants,
    complete_modules,
    enrol,
    make_scene,
    mark,
)


def issue_for(app, workshop_id, user_ids, offset):
    with app.app_context():
        db.session.execute(sa.insert(Certificate), [
            {"workshop_id": workshop_id, "user_id": user_id, "kind": CertificateKind.PARTICIPATION, "code": f"code{offset + i:012d}",
             "issued_at": utcnow(), "minutes_attended": 90, "revoke_reason": ""} for i, user_id in enumerate(user_ids)])
        db.session.commit()


def test_admin_list_and_check_page_do_not_grow(app, browser, factory, count_queries):
    scene = make_scene(app, factory)
    browser.login(scene.admin.email)
    path = f"/admin/workshops/{scene.workshop.slug}/certificates"

    def measure():
        with count_queries() as counter:
            assert browser.client.get(path).status_code == 200
        listed = counter.count
        with count_queries() as counter:
            assert browser.client.get("/certificates/code000000000001").status_code == 200
        return listed, counter.count

    issue_for(app, scene.workshop.id, add_participants(app, scene.workshop.id, 6, 0), 0)
    small = measure()
    issue_for(app, scene.workshop.id, add_participants(app, scene.workshop.id, 54, 6), 6)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 60
    assert measure() == small


def test_the_dashboard_does_not_grow_with_sessions_or_workshops(app, browser, factory, count_queries):
    person = factory.participant()
    browser.login(person.email)

    def measure():
        browser.client.get("/dashboard")  # warm: the content cache (re)loads once per content version
        with count_queries() as counter:
            page = browser.client.get("/dashboard")
        assert page.status_code == 200
        return counter.count

    scene = make_scene(app, factory, sessions=2)
    enrol(app, scene, person)
    mark(app, scene.sessions, person)
    small = measure()
    for _ in range(3):
        more = make_scene(app, factory, sessions=6)
        enrol(app, more, person)
        mark(app, more.sessions, person)
        complete_modules(app, more, person)
    assert "Get my certificate" in browser.client.get("/dashboard").get_data(as_text=True)
    assert measure() == small
