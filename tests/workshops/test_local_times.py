"""Times typed in a workshop's own zone: clocks that jump forward or back, and dates at the edge."""
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopSession

# Europe/Rome in 2027: clocks go forward at 02:00 on 28 March and back at 03:00 on 31 October.
SPRING, AUTUMN = date(2027, 3, 28), date(2027, 10, 31)


def error_of(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    return match.group(1) if match else ""


def sessions_of(app, workshop_id):
    with app.app_context():
        return db.session.execute(sa.select(WorkshopSession.starts_at, WorkshopSession.ends_at)
                                  .where(WorkshopSession.workshop_id == workshop_id)).all()


def add(browser, workshop, day: date, start: str, end: str):
    return browser.post(f"/trainer/workshops/{workshop.slug}/sessions",
                        {"title_en": "Session", "starts_at": f"{day}T{start}", "ends_at": f"{day}T{end}", "cohort": ""})


def test_a_time_skipped_by_the_clocks_is_refused_on_its_field(browser, factory, app):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], starts_on=SPRING, ends_on=SPRING)
    browser.login(trainer.email)
    response = add(browser, workshop, SPRING, "02:30", "04:00")
    assert response.status_code == 422
    assert "does not exist in the chosen time zone" in error_of(response.get_data(as_text=True), "starts_at")
    assert sessions_of(app, workshop.id) == []


def test_a_time_that_happens_twice_is_its_first_occurrence(browser, factory, app):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], starts_on=AUTUMN, ends_on=AUTUMN)
    browser.login(trainer.email)
    assert add(browser, workshop, AUTUMN, "02:30", "04:00").status_code == 302
    [(starts_at, ends_at)] = sessions_of(app, workshop.id)
    # 02:30 summer time (UTC+2) comes first; 04:00 is winter time (UTC+1).
    assert starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert ends_at == datetime(2027, 10, 31, 3, 0, tzinfo=UTC)


def test_end_before_start_is_shown_under_the_end_field(browser, factory, app):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    browser.login(trainer.email)
    response = add(browser, workshop, workshop.starts_on, "11:00", "10:00")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "must end after it starts" in error_of(page, "ends_at") and not error_of(page, "starts_at")


def test_registration_window_at_the_edge_of_the_calendar_is_a_message_not_a_crash(browser, factory, app):
    admin = factory.admin()
    workshop = factory.workshop(timezone="America/New_York")
    browser.login(admin.email)
    form = {"title_en": workshop.title["en"], "slug": workshop.slug, "starts_on": workshop.starts_on.isoformat(),
            "ends_on": workshop.ends_on.isoformat(), "timezone": "America/New_York", "venue": "campus",
            "languages": ["en"], "capacity": "10", "waitlist_enabled": "y", "status": "open",
            "registration_opens_at": "0001-01-01T00:00", "registration_closes_at": "9999-12-31T23:00"}
    response = browser.post(f"/admin/workshops/{workshop.slug}/edit", form)
    assert response.status_code == 422
    assert "between the years 1900 and 2100" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).registration_opens_at is None


def workshop_form(**fields) -> dict:
    form = {"title_en": "At the edge", "slug": "at-the-edge", "starts_on": "2027-05-03", "ends_on": "2027-05-04",
            "timezone": "America/New_York", "venue": "campus", "languages": ["en"], "capacity": "10",
            "waitlist_enabled": "y", "status": "open"}
    return {**form, **fields}


@pytest.mark.parametrize("field, value", [("starts_on", "0001-01-01"), ("starts_on", "1899-12-31"),
                                          ("ends_on", "9999-12-31"), ("ends_on", "2101-01-01")])
def test_workshop_days_outside_the_calendar_are_refused_on_their_field(browser, factory, app, field, value):
    """A first day in 9999 used to be saved: a workshop no session could ever be added to."""
    browser.login(factory.admin().email)
    form = workshop_form(**{field: value, "starts_on" if field == "ends_on" else "ends_on": value})
    response = browser.post("/admin/workshops/new", form)
    assert response.status_code == 422
    assert "between the years 1900 and 2100" in error_of(response.get_data(as_text=True), field)
    with app.app_context():
        assert db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == "at-the-edge")) is None


@pytest.mark.parametrize("zone, day, start, end", [
    ("America/New_York", "9999-12-31", "22:00", "23:00"),  # UTC would be in the year 10000
    ("Asia/Tokyo", "0001-01-01", "00:00", "01:00"),  # UTC would be before the year 1
    ("America/New_York", "2101-01-01", "09:00", "10:00"),
])
def test_a_session_at_the_edge_of_the_calendar_is_a_message_not_a_crash(browser, factory, app, zone, day, start, end):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], timezone=zone)
    browser.login(trainer.email)
    response = add(browser, workshop, day, start, end)
    assert response.status_code == 422
    assert "between the years 1900 and 2100" in error_of(response.get_data(as_text=True), "starts_at")
    assert sessions_of(app, workshop.id) == []


# The farthest a typed time can reach: the calendar's first minute in the zone furthest ahead of UTC,
# its last minute in the zone furthest behind (both fixed offsets, so the years' history does not move them).
EDGES = [
    {"zone": "Pacific/Kiritimati", "days": ("1900-01-01", "1900-01-02"), "window": ("1900-01-01T00:00", "1900-01-01T00:30"),
     "session": ("1900-01-01T00:00", "1900-01-01T01:00")},
    {"zone": "Pacific/Niue", "days": ("2100-12-30", "2100-12-31"), "window": ("2100-12-30T00:00", "2100-12-31T23:59"),
     "session": ("2100-12-31T22:00", "2100-12-31T23:59")},
]


@pytest.mark.parametrize("edge", EDGES, ids=["first-minute", "last-minute"])
def test_the_edges_of_the_calendar_show_everywhere(browser, factory, app, edge):
    """Whatever the forms accept, every page, the .ics file, the exports and the sheets can show."""
    admin, participant = factory.admin(), factory.participant()
    browser.login(admin.email)
    slug = "edge"
    form = workshop_form(slug=slug, timezone=edge["zone"], starts_on=edge["days"][0], ends_on=edge["days"][1],
                         registration_opens_at=edge["window"][0], registration_closes_at=edge["window"][1],
                         trainer_ids=[str(admin.id)])
    assert browser.post("/admin/workshops/new", form).status_code == 302
    response = browser.post(f"/trainer/workshops/{slug}/sessions", {"title_en": "Edge", "starts_at": edge["session"][0],
                                                                    "ends_at": edge["session"][1], "cohort": ""})
    assert response.status_code == 302, error_of(response.get_data(as_text=True), "starts_at")
    with app.app_context():
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
        [session_id] = db.session.scalars(sa.select(WorkshopSession.id).where(WorkshopSession.workshop_id == workshop.id))
        db.session.add(Registration(workshop_id=workshop.id, user_id=participant.id, status=RegistrationStatus.CONFIRMED,
                                    sequence=1, working_language="en", consent_at=utcnow()))
        db.session.commit()
    paths = [rule.rule.replace("<slug>", slug).replace("<int:session_id>", str(session_id))
             for rule in app.url_map.iter_rules()
             if "<slug>" in rule.rule and "GET" in rule.methods and "<int:" not in rule.rule.replace("<int:session_id>", "")
             and not rule.rule.endswith(("/delete", "/cancel", "/register"))]  # the participant's, below
    assert len(paths) > 20
    for path in paths + ["/admin/workshops/", "/trainer/", "/workshops/"]:
        response = browser.client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        assert response.get_data()  # a streamed export is written only as it is read
        response.close()
    browser.logout()
    browser.login(participant.email)
    for path in (f"/workshops/{slug}/", f"/workshops/{slug}/timetable.ics", f"/workshops/{slug}/cancel", "/dashboard"):
        assert browser.client.get(path).status_code == 200, path
