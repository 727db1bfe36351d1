"""The trainer's registration list: sorting, e-mail and date shown, select all, sort kept with filters and pages."""
import re

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db
from app.workshops.models import Registration, RegistrationStatus
from tests.helpers import REGISTRATION_FORM as FORM
from tests.helpers import Browser


@pytest.fixture
def listing(app, factory, browser):
    """Four people registering in the order Dina, Bea, Ann, Carl; the trainer logged in."""
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], capacity=2, waitlist_enabled=True, languages=["en", "fr"])
    for name in ("Dina", "bea", "Ann", "Carl"):
        user = factory.participant(name=name)
        client = Browser(app.test_client())
        client.login(user.email)
        client.post(f"/workshops/{workshop.slug}/register", {**FORM, "name": name, "working_language": "en"})
    browser.login(trainer.email)
    return workshop


def names(page):
    return re.findall(r'<label for="r\d+">([^<]+)</label>', page)


def get(browser, workshop, query=""):
    response = browser.client.get(f"/trainer/workshops/{workshop.slug}/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_default_order_is_arrival(browser, listing):
    page = get(browser, listing)
    assert names(page) == ["Dina", "bea", "Ann", "Carl"]
    assert 'aria-sort="ascending">#' in page


@pytest.mark.parametrize("sort, expected", [
    ("arrival", ["Dina", "bea", "Ann", "Carl"]),
    ("name", ["Ann", "bea", "Carl", "Dina"]),  # without regard to case
    ("status", ["Dina", "bea", "Ann", "Carl"]),  # confirmed, then waitlisted, each by arrival
    ("date", ["Dina", "bea", "Ann", "Carl"]),
    ("bogus", ["Dina", "bea", "Ann", "Carl"]),
    ("x" * 10_000, ["Dina", "bea", "Ann", "Carl"]),
])
def test_sorting(browser, listing, sort, expected):
    page = get(browser, listing, f"?sort={sort}")
    assert names(page) == expected


def test_status_sort_groups_statuses(app, browser, listing):
    with app.app_context():
        db.session.execute(sa.update(Registration).where(Registration.workshop_id == listing.id, Registration.sequence == 1)
                           .values(status=RegistrationStatus.CANCELLED))
        db.session.commit()
        statuses = dict(db.session.execute(sa.select(Registration.sequence, Registration.status)
                                           .where(Registration.workshop_id == listing.id)).all())
    page = get(browser, listing, "?sort=status")
    shown = [statuses[int(number)] for number in re.findall(r'<td class="seq">(\d+)</td>', page)]
    order = list(RegistrationStatus)
    assert shown == sorted(shown, key=order.index) and shown[-1] == RegistrationStatus.CANCELLED
    assert names(page)[-1] == "Dina"


def test_email_and_registration_date_are_shown(app, browser, listing):
    page = get(browser, listing)
    assert "@example" in page or "@" in re.sub(r"<[^>]+>", "", page)
    with app.app_context():
        created = db.session.scalar(sa.select(Registration.created_at).where(Registration.workshop_id == listing.id))
    assert str(created.year) in page and 'data-label="Registered"' in page


def test_sort_links_keep_the_filters(browser, listing):
    page = get(browser, listing, "?status=waitlisted&q=a")
    link = re.search(r'<a href="([^"]*sort=name[^"]*)">Name</a>', page).group(1).replace("&amp;", "&")
    assert "status=waitlisted" in link and "q=a" in link and "page=1" in link
    page = get(browser, listing, "?status=waitlisted&sort=name")
    assert names(page) == ["Ann", "Carl"]
    assert '<option value="name" selected>' in page


def test_sort_survives_a_bulk_action(app, browser, listing):
    page = get(browser, listing, "?sort=name&status=waitlisted")
    action = re.search(r'<form method="post" action="(/trainer/[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "sort=name" in action
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Registration.id).where(Registration.workshop_id == listing.id)))
    response = browser.post(action, {"ids": ids[:1], "action": "move", "cohort": "none"})
    assert "sort=name" in response.headers["Location"] and "status=waitlisted" in response.headers["Location"]


def test_select_all_without_javascript(browser, listing):
    page = get(browser, listing)
    assert len(re.findall(r'name="ids" value="\d+" id="r\d+"[^>]*>', page)) == 4
    assert "checked" not in re.sub(r'id="select-all"[^>]*>', "", page.split("<tbody>")[1])
    link = re.search(r'<a href="([^"]+)" id="select-all-link">Select all on this page</a>', page).group(1)
    page = get(browser, listing, "?" + link.split("?", 1)[1].replace("&amp;", "&"))
    assert len(re.findall(r'name="ids" value="\d+" id="r\d+"[^>]*checked>', page)) == 4
    assert 'id="select-all-link">Untick all</a>' in page


def test_the_script_and_stylesheet_are_our_own(browser, listing):
    page = get(browser, listing)
    assert re.search(r'<script src="/static/js/select-all\.js\?v=[0-9a-f]{12}" defer></script>', page)
    assert re.search(r'<link rel="stylesheet" href="/static/css/trainer\.css\?v=[0-9a-f]{12}">', page)
    assert browser.client.get("/static/js/select-all.js").status_code == 200
    assert browser.client.get("/static/css/trainer.css").status_code == 200


def test_another_trainers_list_is_404(browser, factory, listing):
    browser.logout()
    browser.login(factory.trainer().email)
    assert browser.client.get(f"/trainer/workshops/{listing.slug}/?sort=name&select=1").status_code == 404


def test_select_all_ticks_only_the_page_it_was_asked_on(app, browser, listing, monkeypatch):
    monkeypatch.setitem(app.config, "TRAINER_PAGE_SIZE", 3)
    page = get(browser, listing, "?select=1&sort=name")
    assert len(re.findall(r'name="ids" value="\d+" id="r\d+"[^>]*checked>', page)) == 3
    following = re.search(r'<a href="([^"]+)" rel="next">', page).group(1).replace("&amp;", "&")
    page = get(browser, listing, "?" + following.split("?", 1)[1])
    assert names(page) == ["Dina"] and "checked>" not in page.split("<tbody>")[1]


@pytest.mark.parametrize("query, shown", [
    ("", 4), ("?status=waitlisted", 2), ("?q=ANN", 1), ("?q=example", 4), ("?q=nobody", 0),
    ("?language=fr", 0), ("?cohort=none&sort=name", 4), ("?status=confirmed&q=DIN", 1),
])
def test_the_total_counts_the_rows_the_filters_keep(browser, listing, query, shown):
    """The total is counted apart from the rows (on registrations alone unless names are searched): both agree."""
    page = get(browser, listing, query)
    assert len(names(page)) == shown
    assert f"{shown} registration" in page


def test_rows_in_french_and_names_escaped(app, browser, listing):
    """The texts set up once per page (labels, country, date) are the reader's language's on every row; each box
    is named by its person's name, escaped."""
    with app.app_context():
        user_id = db.session.scalar(sa.select(Registration.user_id).where(Registration.workshop_id == listing.id)
                                    .order_by(Registration.sequence).limit(1))
        db.session.get(User, user_id).name = 'Dina & "<Co>"'
        db.session.commit()
    page = get(browser, listing, "?lang=fr")
    assert re.search(r'<input type="checkbox" name="ids" value="\d+" id="(r\d+)">.*?<label for="\1">'
                     r'Dina &amp; &#34;&lt;Co&gt;&#34;</label>', page, re.S)
    assert page.count('<label for="r') == 4
    assert page.count('<span class="badge badge--ok">Confirmée</span>') == 2
    assert page.count('<span class="badge badge--progress">') == 2
    assert "<Co>" not in page
