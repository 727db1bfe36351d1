"""Whatever a user types into any URL or form, as any role, the answer is never a 500."""
import re

import pytest

from app.core.permissions import Role
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import Registration, RegistrationStatus
from tests.helpers import CSRF_REFUSED, csrf_token

NASTY = ["99999999999999999999", "2147483648", "", "x" * 10_000, "-1", "0", "999999999999999999999", "abc", "<script>alert(1)</script>", "'; DROP TABLE users; --",
         "%00", "\u202e\u0000", "🙂" * 50,
         # digits that str.isdigit() accepts and int() refuses ("²") or reads ("١٢")
         "²", "١٢",
         # the calendar's edges, in a workshop west of UTC (New York): the year 10000 in UTC, the year 1
         "9999-12-31T23:00", "0001-01-01"]
EXTREME_DATES = {"9999-12-31T23:00", "0001-01-01"}
# url_for's own parameters and a route's own variable: a page that hands its query to url_for as keywords fails on them
RESERVED_NAMES = {"endpoint": "x", "_method": "x", "_external": "1", "_anchor": "x", "_scheme": "x", "_values": "x",
                  "slug": "x", "page": "1"}


def paths(rule: str, workshop_slug: str) -> list[str]:
    """The rule with real keys filled in; with an id beyond any database integer too."""
    values = {"slug": workshop_slug, "course_key": "demo-course", "module_key": "module-1", "section_key": "section-1",
              "token": "not-a-token", "filename": "css/passage.css"}

    def filled(huge: bool) -> str:
        def replace(match):
            converter, _, name = match.group(1).rpartition(":")
            if converter == "int":
                return "99999999999" if huge else "1"
            return values.get(name, "x")

        return re.sub(r"<([^>]+)>", replace, rule)

    return [filled(False), filled(True)] if "<int:" in rule else [filled(False)]


def register(app, workshop, people) -> None:
    """Confirmed registrations straight into the table, so that the lists have rows, sort links and pages."""
    with app.app_context():
        for sequence, person in enumerate(people, 1):
            db.session.add(Registration(workshop_id=workshop.id, user_id=person.id, status=RegistrationStatus.CONFIRMED,
                                        sequence=sequence, working_language="en", consent_at=utcnow()))
        db.session.commit()


@pytest.mark.parametrize("role", [None, Role.PARTICIPANT, Role.TRAINER, Role.ADMIN], ids=lambda r: r or "visitor")
def test_garbage_never_causes_a_server_error(app, browser, factory, monkeypatch, role):
    # One row a page: every list has a pager, whose links are built from the page's own query.
    monkeypatch.setitem(app.config, "ADMIN_PAGE_SIZE", 1)
    monkeypatch.setitem(app.config, "TRAINER_PAGE_SIZE", 1)
    factory.course()
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], timezone="America/New_York")
    register(app, workshop, [factory.participant(), factory.participant()])
    user = trainer if role == Role.TRAINER else factory.user(role) if role else None
    if user:
        browser.login(user.email)
    token = csrf_token(browser.client)  # one per session: every POST below reuses it
    seen = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("auth.logout", "static") or "delete" in rule.rule:
            continue
        for path in paths(rule.rule, workshop.slug):
            if "GET" in rule.methods:
                response = browser.client.get(path, query_string=RESERVED_NAMES)
                assert response.status_code < 500, f"GET {path} with reserved names: {response.status_code}"
                response.close()
        for path, value in [(p, v) for p in paths(rule.rule, workshop.slug) for v in NASTY]:
            if "GET" in rule.methods:
                response = browser.client.get(path, query_string={"page": value, "q": value, "status": value,
                                                                  "cohort": value, "lang": value, "next": value})
                assert response.status_code < 500, f"GET {path} with {value[:20]!r}: {response.status_code}"
                # A streamed download holds its request's context until the server closes it, as every
                # WSGI server does (PEP 3333); the test client leaves closing to us.
                response.close()
            if "POST" in rule.methods:
                data = {name: value for name in ("email", "password", "name", "country", "lang", "next", "action",
                                                 "ids", "cohort", "reason", "title", "starts_at", "ends_at", "role",
                                                 "active", "motivation", "working_language", "capacity", "slug",
                                                 "starts_on", "ends_on", "timezone", "q1", "confirm",
                                                 "registration_opens_at", "registration_closes_at")}
                if value in EXTREME_DATES:  # a real zone, so that the dates reach the conversion to UTC
                    data["timezone"] = "America/New_York"
                response = browser.client.post(path, data={**data, "csrf_token": token})
                assert response.status_code < 500, f"POST {path} with {value[:20]!r}: {response.status_code}"
                # The garbage must reach the view, not stop at a stale token.
                assert CSRF_REFUSED not in response.get_data(as_text=True), f"POST {path}: the CSRF token was refused"
            seen += 1
    assert seen > 200
