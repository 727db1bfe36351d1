"""Nothing irreversible on one tap, in Chromium at phone width: a cancellation asks first, then gives the seat away."""
import pytest
from playwright.sync_api import expect

from tests.helpers import REGISTRATION_FORM, Browser, log_in, screenshot

pytestmark = pytest.mark.browser


def register(app, user, workshop) -> None:
    client = Browser(app.test_client())
    client.login(user.email)
    assert client.post(f"/workshops/{workshop.slug}/register", {**REGISTRATION_FORM, "name": user.name}).status_code == 302


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_cancelling_asks_first_and_the_seat_goes_to_the_next_person(live_app, live_server, live_factory, new_page):
    trainer = live_factory.trainer()
    workshop = live_factory.workshop(trainers=[trainer], capacity=1, title="One seat left")
    holder = live_factory.participant(name="Seat Holder")
    waiting = live_factory.participant(name="Next In Line")
    register(live_app, holder, workshop)
    register(live_app, waiting, workshop)

    page = new_page(360)
    log_in(page, live_server, holder.email)
    page.goto(f"{live_server}/workshops/{workshop.slug}/")
    page.get_by_role("link", name="Cancel my registration").click()
    expect(page.get_by_role("heading", name="Cancel your registration?")).to_be_visible()
    expect(page.get_by_text("it goes to the next person on the waiting list")).to_be_visible()
    no_horizontal_scroll(page)
    screenshot(page, "cancel-confirm-360")
    # Going back keeps the registration.
    page.get_by_role("link", name="No, keep it").click()
    expect(page.get_by_role("link", name="Cancel my registration")).to_be_visible()
    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.get_by_text("Your registration is cancelled.")).to_be_visible()

    trainer_page = new_page(360)
    log_in(trainer_page, live_server, trainer.email)
    trainer_page.goto(f"{live_server}/trainer/workshops/{workshop.slug}/")
    row = trainer_page.locator("tr", has_text="Next In Line")
    expect(row).to_contain_text("Confirmed")
    expect(trainer_page.locator("tr", has_text="Seat Holder")).to_contain_text("Cancelled")
    screenshot(trainer_page, "cancel-seat-promoted-360")


def test_rejecting_from_the_list_asks_for_a_reason_first(live_app, live_server, live_factory, new_page):
    trainer = live_factory.trainer()
    workshop = live_factory.workshop(trainers=[trainer], title="Reject with a reason")
    person = live_factory.participant(name="Ticked Person")
    register(live_app, person, workshop)
    page = new_page(360)
    log_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/trainer/workshops/{workshop.slug}/?status=confirmed")
    page.get_by_label("Ticked Person", exact=True).check()
    page.get_by_role("button", name="Reject…").click()
    expect(page.get_by_role("heading", name="Reject these registrations?")).to_be_visible()
    assert "csrf_token" not in page.url
    expect(page.locator("main li", has_text="Ticked Person")).to_be_visible()
    page.get_by_role("button", name="Reject 1 registration").click()
    expect(page.get_by_text("Give a reason: it is e-mailed to each person you reject.", exact=True)).to_be_visible()
    page.get_by_label("Reason (sent to the participant)").fill("The workshop is for labour inspectors.")
    page.get_by_role("button", name="Reject 1 registration").click()
    expect(page.get_by_text("1 registration rejected.")).to_be_visible()
    assert page.url.endswith("/?status=confirmed")
