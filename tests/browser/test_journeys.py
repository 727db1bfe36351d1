"""Whole journeys in Chromium at phone width: a participant passes a quiz; a registration is approved and placed.

Each journey works on people and a workshop of its own (built with `live_factory`), and waits
with Playwright's `expect(...)` for what it checks rather than reading the page at once.
"""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.courses.models import Module
from app.extensions import db
from app.quizzes.models import Choice, Question, Quiz
from tests.helpers import log_in, screenshot

pytestmark = pytest.mark.browser


def correct_choice_ids(app, module_key: str) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(
            sa.select(Choice.id).join(Question).join(Quiz).join(Module, Module.id == Quiz.module_id)
            .where(Module.key == module_key, Choice.correct.is_(True), Choice.retired_at.is_(None))
        ))


def test_participant_reads_a_module_and_passes_its_quiz(live_app, live_server, live_factory, page):
    participant = live_factory.participant()
    log_in(page, live_server, participant.email)
    page.goto(live_server + "/courses/labour-migration/")
    page.get_by_role("link", name="Fair recruitment").first.click()
    page.wait_for_url(re.compile(r".*/fair-recruitment/[a-z-]+/$"))
    screenshot(page, "section")
    next_button = page.get_by_role("button", name="Next →")
    finish_button = page.get_by_role("button", name="Finish and take the quiz →")
    for _ in range(50):  # a module has far fewer sections; the bound only stops a loop that never ends
        expect(next_button.or_(finish_button)).to_be_visible()
        if finish_button.is_visible():
            break
        here = page.url
        next_button.click()
        expect(page).not_to_have_url(here)
    finish_button.click()
    page.wait_for_url(live_server + "/courses/labour-migration/fair-recruitment/quiz")
    page.get_by_role("button", name="Start the quiz").click()
    for choice_id in correct_choice_ids(live_app, "fair-recruitment"):
        page.locator(f"label[for=c{choice_id}]").click()
    screenshot(page, "quiz")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name="Your score: 100%")).to_be_visible()
    expect(page.get_by_text("You passed this quiz. Well done!")).to_be_visible()
    screenshot(page, "quiz-result")
    page.goto(live_server + "/dashboard")
    expect(page.locator(".badge--ok", has_text="Completed").first).to_be_visible()
    screenshot(page, "dashboard-progress")


def test_registration_approved_and_placed_in_a_cohort(live_server, live_factory, new_page):
    trainer_user = live_factory.trainer()
    workshop = live_factory.workshop(trainers=[trainer_user], requires_approval=True, title="Bilateral agreements lab")
    person = live_factory.participant(name="Priya Raman")

    participant = new_page()
    log_in(participant, live_server, person.email)
    participant.goto(live_server + f"/workshops/{workshop.slug}/?lang=en")
    participant.get_by_role("link", name="Register").click()
    participant.get_by_label("Why do you want to take part?").fill("I draft our bilateral labour agreements.")
    participant.get_by_label("I have read the data notice").check()
    participant.get_by_role("button", name="Register").click()
    expect(participant.get_by_text("awaits the organisers' approval")).to_be_visible()
    screenshot(participant, "registration-pending")

    trainer = new_page(width=1280, height=900)
    log_in(trainer, live_server, trainer_user.email)
    trainer.goto(live_server + f"/trainer/workshops/{workshop.slug}/?lang=en")
    trainer.get_by_label("Status").select_option("pending")
    trainer.get_by_label("Name or e-mail").fill("Priya")
    trainer.get_by_role("button", name="Filter").click()
    trainer.get_by_label("Priya Raman", exact=True).check()
    trainer.get_by_role("button", name="Approve").click()
    expect(trainer.get_by_text("1 confirmed.")).to_be_visible()

    trainer.get_by_role("link", name="Cohorts").click()
    trainer.get_by_label("Cohort name (English)").fill("Policy group")
    trainer.get_by_role("button", name="Create").click()
    expect(trainer.get_by_text("Cohort created.")).to_be_visible()
    trainer.get_by_role("link", name="Registrations").click()
    trainer.get_by_label("Name or e-mail").fill("Priya")
    trainer.get_by_role("button", name="Filter").click()
    trainer.get_by_label("Priya Raman", exact=True).check()
    trainer.get_by_label("Move to cohort").select_option(label="Policy group")
    trainer.get_by_role("button", name="Move", exact=True).click()
    expect(trainer.get_by_text("1 participant moved.")).to_be_visible()
    screenshot(trainer, "trainer-registrations")

    participant.reload()
    expect(participant.get_by_text("Your cohort: Policy group")).to_be_visible()
    expect(participant.locator(".badge", has_text="Confirmed")).to_be_visible()
    screenshot(participant, "registration-confirmed")
