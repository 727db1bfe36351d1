"""What a person can type into an address where the app expects a number or its own names.

- Ids are ASCII digits only: `str.isdigit()` also accepts "²" (int() refuses it: a 500) and "١٢"
  (int() reads 12: one record answering to many spellings). One parser, `core.pagination.parse_id`.
- A page's query is never handed to `url_for` as keywords: `?endpoint=`, `?_method=`, `?_external=`
  or the route's own `?slug=` would reach url_for's parameters, and the page would fail or link elsewhere.
"""
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.core.permissions import Role
from app.extensions import db
from app.workshops.models import Cohort, Registration, RegistrationStatus
from tests.helpers import REGISTRATION_FORM, Browser

ROOT = Path(__file__).resolve().parent.parent.parent
NON_ASCII_DIGITS = ["²", "¹²", "١٢", "١", "𝟏", "①"]  # superscripts, Arabic-Indic, mathematical, circled
# url_for's own parameters, and the names of the routes' own variables
RESERVED = ["endpoint", "_method", "_external", "_anchor", "_scheme", "_values", "values", "slug", "user_id"]


@pytest.fixture
def listing(app, factory, browser):
    """Three pending registrations for a workshop, one cohort; the trainer logged in."""
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], requires_approval=True)
    for name in ("Ann", "Bea", "Carl"):
        person = Browser(app.test_client())
        person.login(factory.participant(name=name).email)
        person.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "name": name, "working_language": "en"})
    with app.app_context():
        db.session.add(Cohort(workshop_id=workshop.id, name={"en": "A"}))
        db.session.commit()
    browser.login(trainer.email)
    return workshop


def statuses(app, workshop_id) -> list:
    with app.app_context():
        return list(db.session.execute(sa.select(Registration.status, Registration.cohort_id)
                                       .where(Registration.workshop_id == workshop_id).order_by(Registration.id)))


def test_a_cohort_filter_or_page_in_other_digits_shows_everyone(browser, listing):
    for name in ("cohort", "page"):
        for value in NON_ASCII_DIGITS:
            response = browser.client.get(f"/trainer/workshops/{listing.slug}/", query_string={name: value})
            assert response.status_code == 200, (name, value)
            assert response.get_data(as_text=True).count('name="ids"') == 3


def test_a_progress_cohort_in_other_digits_is_not_a_cohort(browser, listing):
    for value in NON_ASCII_DIGITS:
        response = browser.client.get(f"/trainer/workshops/{listing.slug}/progress", query_string={"cohort": value})
        assert response.status_code == 200, value
        assert "not one of this workshop" in response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["approve", "move"])
def test_ticked_ids_in_other_digits_are_refused_and_change_nothing(app, browser, listing, action):
    before = statuses(app, listing.id)
    for value in NON_ASCII_DIGITS:
        response = browser.post(f"/trainer/workshops/{listing.slug}/registrations",
                                {"ids": [value], "action": action, "cohort": "none"})
        assert response.status_code == 400, value
    assert statuses(app, listing.id) == before


def test_a_move_to_a_cohort_in_other_digits_is_a_message(app, browser, listing):
    with app.app_context():
        first = db.session.scalar(sa.select(Registration.id).where(Registration.workshop_id == listing.id))
    before = statuses(app, listing.id)
    for value in NON_ASCII_DIGITS:
        response = browser.post(f"/trainer/workshops/{listing.slug}/registrations",
                                {"ids": [str(first)], "action": "move", "cohort": value}, follow_redirects=True)
        assert response.status_code == 200, value
        assert "Choose a cohort of this workshop." in response.get_data(as_text=True)
    assert statuses(app, listing.id) == before


def test_the_reject_page_ignores_ids_in_other_digits(browser, listing):
    for value in NON_ASCII_DIGITS:
        response = browser.client.get(f"/trainer/workshops/{listing.slug}/registrations/reject", query_string={"ids": value})
        assert response.status_code == 200, value
        assert "Tick at least one registration" in response.get_data(as_text=True)


def test_a_sign_in_sheet_for_a_session_in_other_digits_is_not_found(browser, listing):
    for value in NON_ASCII_DIGITS:
        response = browser.client.get(f"/trainer/workshops/{listing.slug}/signin-sheet.pdf", query_string={"session": value})
        assert response.status_code == 404, value


def test_an_id_in_the_address_is_written_in_ascii_digits(app, browser, factory):
    """`<int:…>` used to read "١" as 1: the same record at many addresses. Now only "1" is its address."""
    browser.logout()
    admin, other = factory.admin(), factory.participant()
    browser.login(admin.email)
    for spelling in (str(other.id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), f"{other.id}²"):
        assert browser.post(f"/admin/users/{spelling}/role", {"role": "admin"}).status_code == 404
    with app.app_context():
        assert db.session.get(User, other.id).role == Role.PARTICIPANT
    assert browser.post(f"/admin/users/{other.id}/role", {"role": "trainer"}).status_code == 302


def links(page: str, rel: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(rf'<a href="([^"]+)" rel="{rel}">', page)]


@pytest.mark.parametrize("name", RESERVED)
def test_reserved_names_in_the_query_of_the_registration_list(app, browser, listing, monkeypatch, name):
    """Its pager, sort links, select-all link and the bulk form all keep the list's filters."""
    monkeypatch.setitem(app.config, "TRAINER_PAGE_SIZE", 1)
    path = f"/trainer/workshops/{listing.slug}/"
    response = browser.client.get(path, query_string={name: "https", "page": "2", "status": "pending"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for link in links(page, "prev") + links(page, "next"):
        parts = urlsplit(link)
        assert not parts.scheme and not parts.netloc and parts.path == path, link
        assert parse_qs(parts.query)["status"] == ["pending"] and parse_qs(parts.query)[name] == ["https"]
    assert links(page, "prev") and links(page, "next")
    action = re.search(r'<form method="post" action="(/trainer/[^"]+)"', page).group(1).replace("&amp;", "&")
    assert action == f"/trainer/workshops/{listing.slug}/registrations?status=pending&page=2"


@pytest.mark.parametrize("name", RESERVED)
def test_reserved_names_in_the_query_of_the_user_list(app, browser, factory, monkeypatch, name):
    monkeypatch.setitem(app.config, "ADMIN_PAGE_SIZE", 1)
    browser.login(factory.admin().email)
    factory.participant()
    response = browser.client.get("/admin/", query_string={name: "x", "page": "2", "q": "e"})
    assert response.status_code == 200
    [previous] = links(response.get_data(as_text=True), "prev")
    parts = urlsplit(previous)
    assert parts.path == "/admin/" and parse_qs(parts.query) == {name: ["x"], "page": ["1"], "q": ["e"]}


@pytest.mark.parametrize("name", RESERVED)
def test_reserved_names_after_a_bulk_action_are_dropped(app, browser, listing, name):
    with app.app_context():
        first = db.session.scalar(sa.select(Registration.id).where(Registration.workshop_id == listing.id))
    response = browser.post(f"/trainer/workshops/{listing.slug}/registrations?{name}=x&status=pending",
                            {"ids": [str(first)], "action": "approve"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/trainer/workshops/{listing.slug}/?status=pending"
    assert statuses(app, listing.id)[0][0] == RegistrationStatus.CONFIRMED


def test_no_url_for_is_given_a_request_s_arguments_as_keywords():
    """The class of fault above, for pages written later: `url_for(..., **request.args)` and its kin."""
    pattern = re.compile(r"\*\*\s*request\.(args|form|values)")
    sources = [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("app").rglob("*.py")]
    bad = [f"{path.relative_to(ROOT)}:{number}" for path in sources
           for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
           if pattern.search(line)]
    assert not bad, "pass the query's names one by one (or use url_with):\n" + "\n".join(bad)
