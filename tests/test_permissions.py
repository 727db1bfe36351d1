"""Who may open which URL, read from the app's own URL map so that a route added later is covered.

Two matrices, in the style of Indico's registration `permissions_test.py` and flaskr's
`test_author_required`:

- by role: every /trainer/ and /admin/ URL refuses a lesser role (403) and sends a visitor to
  log in (302);
- by ownership: every rule under /trainer/workshops/<slug>/ answers 404 to a trainer of another
  workshop, for each of GET and POST it accepts. Its ids are real ones of that workshop and its
  POSTs carry a valid CSRF token and a valid form, so the 404 can only come from the ownership
  check; the same requests by the workshop's own trainer succeed and change the data, while the
  outsider's leave it as it was.
"""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from app.core.permissions import Role
from app.extensions import db
from app.workshops.models import Cohort, Registration, WorkshopSession
from tests.helpers import (
    CSRF_REFUSED,
    REGISTRATION_FORM,
    Browser,
    csrf_token,
    make_config,
)

WORKSHOP_PREFIX = "/trainer/workshops/<slug>"
METHODS = ("GET", "POST")


def rules_under(url_map, prefix: str) -> list[tuple[str, str, str]]:
    """(method, rule, endpoint) for every GET and POST a rule under the prefix accepts."""
    return sorted((method, rule.rule, rule.endpoint) for rule in url_map.iter_rules() if rule.rule.startswith(prefix)
                  for method in METHODS if method in rule.methods)


# Read at collection time, from an app of its own (no database is touched), so that each rule
# is a test of its own named after its endpoint; test_the_matrix_is_the_url_map checks this list
# against the app the suite runs.
WORKSHOP_RULES = rules_under(create_app(make_config("sqlite://")).url_map, WORKSHOP_PREFIX)
GET_RULES = [entry for entry in WORKSHOP_RULES if entry[0] == "GET"]
POST_RULES = [entry for entry in WORKSHOP_RULES if entry[0] == "POST"]


def ids(entry) -> str:
    method, _, endpoint = entry
    return f"{method}-{endpoint}"


def test_the_matrix_is_the_url_map(app):
    assert rules_under(app.url_map, WORKSHOP_PREFIX) == WORKSHOP_RULES
    # The matrix is not vacuous: registrations, decisions, cohorts (create, rename, delete, split), sessions.
    assert len(GET_RULES) >= 3 and len(POST_RULES) >= 7, WORKSHOP_RULES


# ---------------------------------------------------------------- by role

def role_rules(app, prefix):
    for method, rule, _ in rules_under(app.url_map, prefix):
        yield method, re.sub(r"<[^>]+>", "1", rule)


def expect_everywhere(browser, prefix, status):
    token = csrf_token(browser.client)
    checked = 0
    for method, path in role_rules(browser.client.application, prefix):
        if method == "GET":
            response = browser.client.get(path)
        else:
            response = browser.client.post(path, data={"csrf_token": token})
        assert response.status_code == status, f"{method} {path} gave {response.status_code}"
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize(("role", "prefix"), [(Role.PARTICIPANT, "/trainer/"), (Role.PARTICIPANT, "/admin/"),
                                              (Role.TRAINER, "/admin/")])
def test_every_protected_url_refuses_a_lesser_role(browser, factory, role, prefix):
    browser.login(factory.user(role).email)
    expect_everywhere(browser, prefix, 403)


@pytest.mark.parametrize("prefix", ["/trainer/", "/admin/"])
def test_every_protected_url_sends_anonymous_visitors_to_login(browser, prefix):
    expect_everywhere(browser, prefix, 302)


# ---------------------------------------------------------------- by ownership

class World:
    """A workshop with its trainer, two confirmed participants, a cohort and a session; and a trainer of another."""

    def __init__(self, app, factory):
        self.app = app
        self.owner = factory.trainer()
        self.workshop = factory.workshop(trainers=[self.owner], languages=["en", "fr"])
        self.outsider = factory.trainer()
        factory.workshop(trainers=[self.outsider])  # a real trainer, of a workshop of their own
        for language in ("en", "fr"):
            person = Browser(app.test_client())
            person.login(factory.participant().email)
            response = person.post(f"/workshops/{self.workshop.slug}/register",
                                   {**REGISTRATION_FORM, "working_language": language})
            assert response.status_code == 302
        owner = self.browser(self.owner)
        assert owner.post(self.url("/cohorts"), {"name_en": "Group A"}).status_code == 302
        assert owner.post(self.url("/sessions"), self.session_form("Opening", hour=9)).status_code == 302
        with app.app_context():
            self.registration_ids = list(db.session.scalars(
                sa.select(Registration.id).where(Registration.workshop_id == self.workshop.id)))
            self.cohort_id = db.session.scalar(sa.select(Cohort.id).where(Cohort.workshop_id == self.workshop.id))
            self.session_id = db.session.scalar(
                sa.select(WorkshopSession.id).where(WorkshopSession.workshop_id == self.workshop.id))
        assert len(self.registration_ids) == 2 and self.cohort_id and self.session_id

    def url(self, rest: str) -> str:
        return f"/trainer/workshops/{self.workshop.slug}{rest}"

    def browser(self, user) -> Browser:
        browser = Browser(self.app.test_client())
        assert browser.login(user.email).status_code == 302
        return browser

    def session_form(self, title: str, hour: int) -> dict:
        day = (self.workshop.starts_on + timedelta(days=1)).isoformat()
        return {"title_en": title, "starts_at": f"{day}T{hour:02}:00", "ends_at": f"{day}T{hour:02}:45", "cohort": "",
                "room": "Room B"}

    def path(self, rule: str) -> str:
        values = {"slug": self.workshop.slug, "cohort_id": self.cohort_id, "session_id": self.session_id}

        def fill(match):
            name = match.group(1).rpartition(":")[2]
            assert name in values, f"{rule}: no real value for <{name}>; add one to World.path"
            return str(values[name])

        return re.sub(r"<([^>]+)>", fill, rule)

    def form(self, rule: str) -> dict | None:
        """A form the workshop's trainer could send to this rule with effect; None for a rule not known here."""
        forms = {
            "/registrations": {"ids": self.registration_ids, "action": "reject", "reason": "Changed by the test."},
            "/cohorts": {"name_en": "Group B"},
            "/cohorts/<int:cohort_id>/rename": {"name_en": "Renamed"},
            "/cohorts/<int:cohort_id>/delete": {},
            "/cohorts/split": {},
            "/sessions": self.session_form("Closing", hour=15),
            "/sessions/<int:session_id>/delete": {},
            "/sessions/<int:session_id>/edit": self.session_form("Opening, revised", hour=10),
        }
        return forms.get(rule.removeprefix(WORKSHOP_PREFIX))

    def snapshot(self) -> dict:
        """Everything of the workshop a trainer's action could change."""
        workshop_id = self.workshop.id
        with self.app.app_context():
            def rows(*columns):
                model = columns[0].class_
                return sorted(db.session.execute(sa.select(*columns).where(model.workshop_id == workshop_id)).all())

            return {
                "cohorts": rows(Cohort.id, Cohort.name, Cohort.language),
                "sessions": rows(WorkshopSession.id, WorkshopSession.title, WorkshopSession.starts_at,
                                 WorkshopSession.cohort_id),
                "registrations": rows(Registration.id, Registration.status, Registration.cohort_id,
                                      Registration.decision_reason),
            }


@pytest.fixture
def world(app, factory):
    return World(app, factory)


@pytest.mark.parametrize("entry", WORKSHOP_RULES, ids=ids)
def test_a_trainer_of_another_workshop_gets_404(world, entry):
    method, rule, _ = entry
    outsider = world.browser(world.outsider)
    path = world.path(rule)
    before = world.snapshot()
    if method == "GET":
        response = outsider.client.get(path)
    else:
        data = {**(world.form(rule) or {}), "csrf_token": csrf_token(outsider.client)}
        response = outsider.client.post(path, data=data)
        assert CSRF_REFUSED not in response.get_data(as_text=True)
    assert response.status_code == 404, f"{method} {path} gave {response.status_code} to a trainer of another workshop"
    assert world.snapshot() == before, f"{method} {path} by a trainer of another workshop changed data"


@pytest.mark.parametrize("who", ["owner", "admin"])
@pytest.mark.parametrize("entry", GET_RULES, ids=ids)
def test_the_workshops_trainer_and_admins_open_its_pages(world, factory, entry, who):
    _, rule, _ = entry
    user = world.owner if who == "owner" else factory.admin()
    response = world.browser(user).client.get(world.path(rule))
    assert response.status_code == 200


@pytest.mark.parametrize("entry", POST_RULES, ids=ids)
def test_the_workshops_trainer_changes_it_with_the_same_request(world, entry):
    """The control of the matrix: the very request refused to the outsider works for the owner."""
    _, rule, _ = entry
    owner = world.browser(world.owner)
    form = world.form(rule)
    before = world.snapshot()
    response = owner.client.post(world.path(rule), data={**(form or {}), "csrf_token": csrf_token(owner.client)})
    assert response.status_code not in (400, 403, 404) and response.status_code < 500, response.status_code
    if form is not None:
        assert world.snapshot() != before, f"POST {rule}: the control request changed nothing"
