"""Every text of a workshop in each of its working languages: entered per language, read in the reader's
(or the recipient's), the first language standing in for a missing one and marked lang="…"."""
import csv
import io
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date
from pypdf import PdfReader

from app.auth.models import User
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import queue_template
from app.workshops.models import (
    Cohort,
    Registration,
    RegistrationStatus,
    Venue,
    Workshop,
    WorkshopSession,
)
from tests.helpers import REGISTRATION_FORM


def workshop_form(**changes):
    start = date.today() + timedelta(days=40)
    data = {
        "title_en": "Labour migration and development", "title_fr": "Migrations de main-d’œuvre et développement",
        "title_es": "", "slug": "", "description_en": "Two days.\n\nWith interpretation.",
        "description_fr": "Deux journées.", "course_id": "", "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1)).isoformat(), "timezone": "Europe/Rome", "venue": "campus",
        "address_en": "Viale Maestri del Lavoro 10\nTurin", "languages": ["en", "fr"], "capacity": "30",
        "status": "open", "attendance_threshold": "80",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def row(app, slug):
    with app.app_context():
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
        if workshop is not None:
            db.session.expunge(workshop)
        return workshop


def h1(page: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)


def test_admin_enters_texts_per_language_and_each_reader_sees_theirs(app, browser, factory):
    browser.login(factory.admin().email)
    form = browser.client.get("/admin/workshops/new").get_data(as_text=True)
    for code in ("en", "fr", "es"):
        assert f'name="title_{code}"' in form and f'name="description_{code}"' in form and f'lang="{code}"' in form
    response = browser.post("/admin/workshops/new", workshop_form())
    assert response.status_code == 302
    workshop = row(app, "labour-migration-and-development")
    assert workshop.title == {"en": "Labour migration and development",
                              "fr": "Migrations de main-d’œuvre et développement"}
    assert workshop.description == {"en": "Two days.\n\nWith interpretation.", "fr": "Deux journées."}
    assert workshop.address == {"en": "Viale Maestri del Lavoro 10\nTurin"}
    url = f"/workshops/{workshop.slug}/"
    french = browser.client.get(url + "?lang=fr").get_data(as_text=True)
    assert h1(french) == "Migrations de main-d’œuvre et développement"
    assert "<p>Deux journées.</p>" in french
    # The address exists in English only: shown in English, marked so, with its lines kept.
    assert '<span class="written" lang="en">Viale Maestri del Lavoro 10\nTurin</span>' in french
    # Spanish is not a working language: the first one (English) stands in, marked lang="en".
    spanish = browser.client.get(url + "?lang=es").get_data(as_text=True)
    assert h1(spanish) == '<span lang="en">Labour migration and development</span>'
    assert '<div class="prose" lang="en"><p>Two days.</p><p>With interpretation.</p></div>' in spanish
    assert "<title>Labour migration and development · Passage</title>" in spanish
    # The list of workshops and the edit form show each language's own text.
    assert "Migrations de main-d’œuvre et développement" in browser.client.get("/workshops/?lang=fr").get_data(as_text=True)
    edit = browser.client.get(f"/admin/workshops/{workshop.slug}/edit").get_data(as_text=True)
    assert 'value="Migrations de main-d’œuvre et développement"' in edit


def test_the_first_language_needs_a_title_and_languages_not_offered_keep_nothing(app, browser, factory):
    browser.login(factory.admin().email)
    response = browser.post("/admin/workshops/new", workshop_form(languages=["fr", "es"], title_fr="", title_es="Migración"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="title_fr-error">[^<]*Required in the first language offered', page)
    assert row(app, "migracion") is None
    response = browser.post("/admin/workshops/new", workshop_form(languages=["fr", "es"], title_es="Migración",
                                                                  slug="fr-es-only"))
    assert response.status_code == 302
    saved = row(app, "fr-es-only")
    # English was not offered: its texts are not kept; French leads.
    assert saved.title == {"fr": "Migrations de main-d’œuvre et développement", "es": "Migración"}
    assert saved.description == {"fr": "Deux journées."} and saved.main_language == "fr"


def test_an_empty_slug_is_made_from_the_title_ascii_and_unique(app, browser, factory):
    browser.login(factory.admin().email)
    title = "Migración laboral: ¿qué cambia en 2027? Ñandú & co"
    for _ in range(2):
        assert browser.post("/admin/workshops/new", workshop_form(title_en=title, slug="")).status_code == 302
    with app.app_context():
        slugs = set(db.session.scalars(sa.select(Workshop.slug).where(Workshop.slug.like("migracion%"))))
    assert slugs == {"migracion-laboral-que-cambia-en-2027-nandu-co", "migracion-laboral-que-cambia-en-2027-nandu-co-2"}
    # A title without any Latin letter still gives a usable address.
    assert browser.post("/admin/workshops/new", workshop_form(title_en="العمل اللائق", slug="")).status_code == 302
    assert row(app, "workshop") is not None
    # A slug typed by the admin is kept as typed.
    assert browser.post("/admin/workshops/new", workshop_form(slug="my-own")).status_code == 302
    assert row(app, "my-own") is not None


def test_a_venue_elsewhere_needs_its_place_and_city_and_shows_as_written(app, browser, factory):
    browser.login(factory.admin().email)
    form = browser.client.get("/admin/workshops/new").get_data(as_text=True)
    assert 'type="radio"' in form and 'value="elsewhere"' in form
    response = browser.post("/admin/workshops/new", workshop_form(venue="elsewhere", slug="dakar"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="place_en-error"' in page and 'id="city_en-error"' in page
    assert browser.post("/admin/workshops/new", workshop_form(
        venue="elsewhere", slug="dakar", place_en="Hotel Terrou-Bi", city_en="Dakar", city_fr="Dakar (Sénégal)",
        address_en="Boulevard Martin Luther King\nCorniche Ouest")).status_code == 302
    saved = row(app, "dakar")
    assert (saved.venue, saved.place, saved.city) == (Venue.ELSEWHERE, {"en": "Hotel Terrou-Bi"},
                                                      {"en": "Dakar", "fr": "Dakar (Sénégal)"})
    english = browser.client.get("/workshops/dakar/?lang=en").get_data(as_text=True)
    assert "<dd>Hotel Terrou-Bi, Dakar<span" in english
    assert "Boulevard Martin Luther King\nCorniche Ouest" in english
    french = browser.client.get("/workshops/dakar/?lang=fr").get_data(as_text=True)
    assert "<dd>Hotel Terrou-Bi, Dakar (Sénégal)" in french or '<span lang="en">Hotel Terrou-Bi, Dakar' in french
    # Back to campus: the place and city go with the venue they belonged to.
    assert browser.post("/admin/workshops/dakar/edit", workshop_form(slug="dakar", place_en="Hotel Terrou-Bi",
                                                                     city_en="Dakar")).status_code == 302
    assert (row(app, "dakar").place, row(app, "dakar").city) == ({}, {})


def test_the_time_zones_are_grouped_by_region_with_the_usual_ones_first(app, browser, factory):
    factory.workshop(timezone="America/Bogota")
    browser.login(factory.admin().email)
    page = browser.client.get("/admin/workshops/new").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="timezone".*?</select>', page, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    labels = [label for label, _ in groups]
    assert labels[0] == "Usual" and {"Africa", "Americas", "Asia", "Europe", "Pacific"} <= set(labels)
    usual = re.findall(r'value="([^"]+)"', groups[0][1])
    assert usual[:2] == ["Europe/Rome", "UTC"] and "America/Bogota" in usual
    assert "Europe/Rome (Turin campus)" in groups[0][1]
    values = re.findall(r'<option[^>]*value="([^"]+)"', select)
    assert len(values) == len(set(values)), "each zone once"
    assert 400 < len(values) < 450  # canonical zones, not the 597 names with their aliases
    assert "US/Eastern" not in values and "Etc/GMT+3" not in values and "Africa/Dakar" in values
    assert select.count(" selected") == 1 and 'selected value="Europe/Rome"' in select
    # An alias a workshop already uses (from before) is kept and offered, so its form still saves.
    factory.workshop(timezone="US/Eastern")
    again = browser.client.get("/admin/workshops/new").get_data(as_text=True)
    assert 'value="US/Eastern"' in again


def _trainer_workshop(factory, browser):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], title={"en": "Skills partnerships", "fr": "Partenariats de compétences"})
    browser.login(trainer.email)
    return trainer, workshop


def test_cohort_names_per_language_unique_in_each(app, browser, factory):
    _, workshop = _trainer_workshop(factory, browser)
    url = f"/trainer/workshops/{workshop.slug}/cohorts"
    page = browser.client.get(url).get_data(as_text=True)
    assert 'name="name_en"' in page and 'name="name_fr"' in page and 'name="name_es"' not in page
    assert browser.post(url, {"name_en": "Group A", "name_fr": "Groupe A"}).status_code == 302
    # The French name is taken, whatever the English one says.
    response = browser.post(url, {"name_en": "Group B", "name_fr": "groupe a"})
    assert response.status_code == 422 and re.search(r'id="name_fr-error">[^<]*already exists', response.get_data(as_text=True))
    assert browser.post(url, {"name_en": "", "name_fr": "Groupe C"}).status_code == 422  # English comes first
    assert browser.post(url, {"name_en": "Group C"}).status_code == 302  # French may wait
    with app.app_context():
        cohorts = db.session.scalars(sa.select(Cohort).where(Cohort.workshop_id == workshop.id).order_by(Cohort.id)).all()
        names = [cohort.name for cohort in cohorts]
    assert names == [{"en": "Group A", "fr": "Groupe A"}, {"en": "Group C"}]
    # Renamed in both languages at once.
    assert browser.post(f"{url}/{cohorts[1].id}/rename", {"name_en": "Group C", "name_fr": "Groupe C"}).status_code == 302
    french = browser.client.get(url + "?lang=fr").get_data(as_text=True)
    assert "<strong>Groupe A</strong>" in french and "<strong>Groupe C</strong>" in french
    with app.app_context():
        assert db.session.get(Cohort, cohorts[1].id).name == {"en": "Group C", "fr": "Groupe C"}


def test_split_names_each_cohort_in_every_working_language(app, browser, factory):
    trainer, workshop = _trainer_workshop(factory, browser)
    for language in ("en", "fr"):
        person = factory.participant()
        browser.logout()
        browser.login(person.email)
        browser.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "working_language": language})
    browser.logout()
    browser.login(trainer.email)
    browser.post(f"/trainer/workshops/{workshop.slug}/cohorts/split")
    with app.app_context():
        names = {c.language: c.name for c in db.session.scalars(sa.select(Cohort).where(Cohort.workshop_id == workshop.id))}
    assert names == {"en": {"en": "English group", "fr": "Groupe anglais"},
                     "fr": {"en": "French group", "fr": "Groupe français"}}


def test_session_titles_per_language_in_the_timetable_and_the_calendar(app, browser, factory):
    _, workshop = _trainer_workshop(factory, browser)
    day = workshop.starts_on.isoformat()
    url = f"/trainer/workshops/{workshop.slug}/sessions"
    session = {"starts_at": f"{day}T09:00", "ends_at": f"{day}T10:00", "cohort": "", "room": "Hall"}
    assert browser.post(url, {**session, "title_fr": "Ouverture"}).status_code == 422  # English is first
    assert browser.post(url, {**session, "title_en": "Opening", "title_fr": "Ouverture"}).status_code == 302
    assert browser.post(url, {**session, "title_en": "Panel", "starts_at": f"{day}T11:00",
                              "ends_at": f"{day}T12:00"}).status_code == 302
    with app.app_context():
        saved = db.session.scalars(sa.select(WorkshopSession).where(WorkshopSession.workshop_id == workshop.id)
                                   .order_by(WorkshopSession.starts_at)).all()
        assert [s.title for s in saved] == [{"en": "Opening", "fr": "Ouverture"}, {"en": "Panel"}]
    french = browser.client.get(f"/workshops/{workshop.slug}/?lang=fr").get_data(as_text=True)
    assert "<strong>Ouverture</strong>" in french and '<strong><span lang="en">Panel</span></strong>' in french
    edit = browser.client.get(f"{url}/{saved[0].id}/edit").get_data(as_text=True)
    assert 'value="Ouverture"' in edit and 'lang="fr"' in edit
    # An overlap names the other session in the reader's language.
    clash = browser.post(url + "?lang=fr", {**session, "title_en": "Clash", "starts_at": f"{day}T09:30"})
    assert "Ouverture" in clash.get_data(as_text=True)
    ics = browser.client.get(f"/workshops/{workshop.slug}/timetable.ics?lang=fr").get_data(as_text=True)
    assert "X-WR-CALNAME:Partenariats de compétences" in ics
    assert "SUMMARY:Ouverture" in ics and "SUMMARY:Panel" in ics
    english = browser.client.get(f"/workshops/{workshop.slug}/timetable.ics?lang=en").get_data(as_text=True)
    assert "SUMMARY:Opening" in english


def test_exports_and_sign_in_sheets_read_in_the_readers_language(app, browser, factory):
    _, workshop = _trainer_workshop(factory, browser)
    person = factory.participant(name="Nadia Benali")
    with app.app_context():
        cohort = Cohort(workshop_id=workshop.id, name={"en": "Group A", "fr": "Groupe A"})
        db.session.add(cohort)
        db.session.flush()
        start = datetime.combine(workshop.starts_on, time(9), tzinfo=ZoneInfo(workshop.timezone))
        db.session.add(WorkshopSession(workshop_id=workshop.id, title={"en": "Opening", "fr": "Ouverture"},
                                       starts_at=start, ends_at=start + timedelta(hours=1)))
        db.session.add(Registration(workshop_id=workshop.id, user_id=person.id, status=RegistrationStatus.CONFIRMED, sequence=1,
                                    working_language="fr", consent_at=start, cohort_id=cohort.id))
        db.session.commit()
    base = f"/trainer/workshops/{workshop.slug}"
    table = list(csv.reader(io.StringIO(browser.client.get(f"{base}/attendance.csv?lang=fr").get_data(as_text=True))))
    assert any(cell.startswith("Ouverture (") for cell in table[0]) and "Groupe A" in table[1]
    english = list(csv.reader(io.StringIO(browser.client.get(f"{base}/attendance.csv?lang=en").get_data(as_text=True))))
    assert any(cell.startswith("Opening (") for cell in english[0]) and "Group A" in english[1]
    pdf = PdfReader(io.BytesIO(browser.client.get(f"{base}/signin-sheet.pdf?lang=fr").data))
    sheet = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Partenariats de compétences" in sheet and "Ouverture" in sheet


def test_emails_go_out_in_the_recipients_language_with_its_dates_and_numbers(app, browser, factory):
    workshop = factory.workshop(title={"en": "Skills partnerships", "fr": "Partenariats de compétences"},
                                address={"en": "Turin", "fr": "Turin (Italie)"})
    person = factory.participant(preferred_language="fr")
    browser.login(person.email)
    assert browser.post(f"/workshops/{workshop.slug}/register?lang=en",
                        {**REGISTRATION_FORM, "working_language": "fr"}).status_code == 302
    with app.app_context():
        mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == person.email)).one()
        registered = db.session.scalar(sa.select(Registration.created_at).where(Registration.user_id == person.id))
    assert "Partenariats de compétences" in mail.subject and "Partenariats de compétences" in mail.body
    local = registered.astimezone(ZoneInfo(workshop.timezone))
    assert format_date(local.date(), format="long", locale="fr") in mail.body  # « 23 décembre 2026 »
    assert f"{local:%H:%M} (Europe/Rome)" in mail.body
    # A number the recipient's way: a narrow no-break space between thousands in French.
    with app.test_request_context():
        user = db.session.get(User, person.id)
        registration = db.session.scalar(sa.select(Registration).where(Registration.user_id == person.id))
        saved = db.session.get(Workshop, workshop.id)
        body = queue_template(user, "registration_waitlisted", "x", workshop=saved, registration=registration,
                              position=1234).body
        user.preferred_language = "es"
        spanish = queue_template(user, "registration_waitlisted", "x", workshop=saved, registration=registration,
                                 position=1234).body
        db.session.rollback()
    assert "1\u202f234" in body and "Partenariats de compétences" in body and "Turin (Italie)" in body
    # Spanish is not offered: English leads, the number is written the Spanish way.
    assert "Skills partnerships" in spanish and "Turin" in spanish and "1234" in spanish.replace(".", "")
