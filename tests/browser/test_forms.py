"""Forms in Chromium: back to the chosen workshop after signing up and confirming the address; a failed
submit opens at its errors.

Each test builds its own people and workshops with `live_factory`.
"""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import Registration, RegistrationStatus, Workshop
from tests.helpers import SCREENSHOTS, log_in, mailed_link, screenshot

pytestmark = pytest.mark.browser


def fill_workshop(app, workshop, people):
    """Take every seat of the workshop (first come, first numbered)."""
    with app.app_context():
        for number, person in enumerate(people, start=1):
            db.session.add(Registration(workshop_id=workshop.id, user_id=person.id, status=RegistrationStatus.CONFIRMED,
                                        sequence=number, working_language="en", consent_at=utcnow()))
        db.session.execute(sa.update(Workshop).where(Workshop.id == workshop.id).values(next_sequence=len(people) + 1))
        db.session.commit()


@pytest.mark.parametrize("width", [360, 1280])
def test_a_visitor_who_signs_up_instead_of_logging_in_comes_back_to_the_workshop(live_app, live_server, live_factory,
                                                                                  new_page, width):
    workshop = live_factory.workshop(title=f"Skills partnerships {width}", capacity=1)
    fill_workshop(live_app, workshop, [live_factory.participant()])
    page = new_page(width=width, height=800)
    page.goto(live_server + f"/workshops/{workshop.slug}/?lang=en")
    expect(page.get_by_text("you join the waiting list at position 1")).to_be_visible()
    screenshot(page, f"full-workshop-{width}")
    page.get_by_role("link", name="Join the waiting list").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    page.get_by_label("Full name").fill("Lucía Fernández")
    page.get_by_label("E-mail address").fill(f"lucia{width}@example.net")
    page.get_by_label("Password", exact=True).fill("bilateral agreements matter")
    page.get_by_label("Repeat the password").fill("bilateral agreements matter")
    page.get_by_label("Country").select_option("AR")
    page.get_by_label("Constituency").select_option("workers")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Preferred language").select_option("es")
    page.get_by_label("I have read").check()
    screenshot(page, f"signup-from-workshop-{width}")
    page.get_by_role("button", name="Create my account").click()
    # Told where the link went, in the language chosen on the form; the link leads back to the workshop.
    expect(page.get_by_role("heading", name="Revise su correo")).to_be_visible()
    screenshot(page, f"signup-sent-{width}")
    page.goto(live_server + mailed_link(live_app, f"lucia{width}@example.net", "/signup/confirm/"))
    page.get_by_label("La contraseña que eligió al registrarse").fill("bilateral agreements matter")
    screenshot(page, f"signup-confirm-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Confirmar e iniciar sesión").click()
    expect(page).to_have_url(live_server + f"/workshops/{workshop.slug}/register")
    # The welcome in the language chosen on the form; the page too, from now on.
    expect(page.get_by_text("Le damos la bienvenida a Passage, Lucía Fernández.")).to_be_visible()
    expect(page.get_by_text("quedará en el puesto 1 de la lista de espera")).to_be_visible()
    expect(page.get_by_role("button", name="Inscribirme en la lista de espera")).to_be_visible()
    screenshot(page, f"register-after-signup-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_label("Idioma de trabajo").select_option("en")
    page.get_by_label("¿Por qué desea participar?").fill("Negocio acuerdos bilaterales.")
    page.get_by_label("He leído").check()
    page.get_by_role("button", name="Inscribirme en la lista de espera").click()
    expect(page.get_by_text("usted ocupa el puesto 1 en la lista de espera")).to_be_visible()
    page.goto(live_server + "/dashboard")
    expect(page.get_by_text("Puesto 1 en la lista de espera.")).to_be_visible()
    screenshot(page, f"dashboard-waitlist-{width}")


def test_a_failed_submit_opens_at_the_error_summary_on_a_phone(live_server, live_factory, new_page):
    admin = live_factory.admin()
    page = new_page(width=360, height=740)
    log_in(page, live_server, admin.email)
    page.goto(live_server + "/admin/workshops/new?lang=en")
    page.get_by_label("Title (English)").fill("A workshop without dates")
    page.get_by_role("button", name="Save workshop").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    screenshot(page, "workshop-form-errors-360")
    page.screenshot(path=str(SCREENSHOTS / "workshop-form-errors-360-viewport.png"))  # what the phone shows
    expect(summary.get_by_role("link", name=re.compile("^Languages offered"))).to_be_visible()
    summary.get_by_role("link", name=re.compile("^Last day")).click()
    expect(page.locator("#ends_on")).to_be_in_viewport()
    expect(page.locator("#ends_on")).to_have_attribute("aria-invalid", "true")


def test_a_failed_registration_opens_at_its_errors(live_server, live_factory, new_page):
    workshop = live_factory.workshop(title="Labour mobility lab")
    person = live_factory.participant()
    page = new_page(width=360, height=740)
    log_in(page, live_server, person.email)
    page.goto(live_server + f"/workshops/{workshop.slug}/register?lang=en")
    expect(page.get_by_text("Organisation (optional)")).to_be_visible()
    page.get_by_role("button", name="Register").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    page.screenshot(path=str(SCREENSHOTS / "register-errors-360-viewport.png"))
    summary.get_by_role("link", name=re.compile("^Why do you want to take part")).click()
    expect(page.locator("#motivation")).to_be_in_viewport()
    screenshot(page, "register-errors-360")


def test_a_trainer_edits_a_session_on_a_phone(live_app, live_server, live_factory, new_page):
    trainer = live_factory.trainer()
    workshop = live_factory.workshop(trainers=[trainer], title="Session editing lab")
    page = new_page(width=360, height=740)
    log_in(page, live_server, trainer.email)
    page.goto(live_server + f"/trainer/workshops/{workshop.slug}/sessions?lang=en")
    day = workshop.starts_on.isoformat()
    page.get_by_label("Title (English)").fill("Opening")
    page.get_by_label("Starts", exact=True).fill(f"{day}T09:00")
    page.get_by_label("Ends", exact=True).fill(f"{day}T10:00")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Session added to the timetable.")).to_be_visible()
    page.get_by_role("link", name="Edit · Opening").click()
    expect(page.get_by_role("heading", name="Edit a session")).to_be_visible()
    expect(page.get_by_label("Starts", exact=True)).to_have_value(f"{day}T09:00")
    page.get_by_label("Title (English)").fill("Opening plenary")
    page.get_by_label("Ends", exact=True).fill(f"{day}T10:30")
    screenshot(page, "session-edit-360")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Session changed.")).to_be_visible()
    expect(page.get_by_text("Opening plenary").first).to_be_visible()
    screenshot(page, "sessions-after-edit-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
