"""Whole journeys in Chromium at phone width: a participant passes a quiz; a registration is approved and placed."""
import re

import pytest
import sqlalchemy as sa

from app.courses.models import Module
from app.extensions import db
from app.quizzes.models import Choice, Question, Quiz
from tests.browser.conftest import LIVE_APPS, screenshot

pytestmark = pytest.mark.browser


def log_in(page, base, who):
    page.goto(base + "/login?lang=en")
    page.get_by_label("E-mail address").fill(f"{who}@example.org")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()


def correct_choice_ids(module_key: str) -> list[int]:
    with LIVE_APPS[0].app_context():
        return list(db.session.scalars(
            sa.select(Choice.id).join(Question).join(Quiz).join(Module, Module.id == Quiz.module_id)
            .where(Module.key == module_key, Choice.correct.is_(True), Choice.retired_at.is_(None))
        ))


def test_participant_reads_a_module_and_passes_its_quiz(live_server, page):
    log_in(page, live_server, "participant")
    page.goto(live_server + "/courses/labour-migration/")
    page.get_by_role("link", name="Fair recruitment").first.click()
    page.wait_for_url(re.compile(r".*/fair-recruitment/[a-z-]+/$"))
    screenshot(page, "section")
    while page.get_by_role("button", name="Next →").count():
        page.get_by_role("button", name="Next →").click()
    page.get_by_role("button", name="Finish and take the quiz →").click()
    page.wait_for_url(live_server + "/courses/labour-migration/fair-recruitment/quiz")
    page.get_by_role("button", name="Start the quiz").click()
    for choice_id in correct_choice_ids("fair-recruitment"):
        page.locator(f"label[for=c{choice_id}]").click()
    screenshot(page, "quiz")
    page.get_by_role("button", name="Submit my answers").click()
    assert page.get_by_role("heading", name="Your score: 100%").is_visible()
    assert page.get_by_text("You passed this quiz. Well done!").is_visible()
    screenshot(page, "quiz-result")
    page.goto(live_server + "/dashboard")
    assert page.locator(".badge--ok", has_text="Completed").count() >= 1
    screenshot(page, "dashboard-progress")


def test_registration_approved_and_placed_in_a_cohort(live_server, chromium):
    participant = chromium.new_context(viewport={"width": 360, "height": 740}).new_page()
    log_in(participant, live_server, "participant")
    participant.goto(live_server + "/workshops/governing-labour-migration-course/")
    participant.get_by_role("link", name="Register").click()
    participant.get_by_label("Why do you want to take part?").fill("I draft our bilateral labour agreements.")
    participant.get_by_label("I have read the data notice").check()
    participant.get_by_role("button", name="Register").click()
    assert participant.get_by_text("awaits the organisers' approval").is_visible()
    screenshot(participant, "registration-pending")

    trainer = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(trainer, live_server, "trainer")
    trainer.goto(live_server + "/trainer/workshops/governing-labour-migration-course/?lang=en")
    trainer.get_by_label("Status").select_option("pending")
    trainer.get_by_label("Name or e-mail").fill("Priya")
    trainer.get_by_role("button", name="Filter").click()
    trainer.get_by_label("Select Priya Raman").check()
    trainer.get_by_role("button", name="Approve").click()
    assert trainer.get_by_text("1 confirmed.").is_visible()

    trainer.get_by_role("link", name="Cohorts").click()
    trainer.get_by_label("Cohort name").fill("Policy group")
    trainer.get_by_role("button", name="Create").click()
    trainer.get_by_role("link", name="Registrations").click()
    trainer.get_by_label("Name or e-mail").fill("Priya")
    trainer.get_by_role("button", name="Filter").click()
    trainer.get_by_label("Select Priya Raman").check()
    trainer.get_by_label("Move to cohort").select_option(label="Policy group")
    trainer.get_by_role("button", name="Move", exact=True).click()
    assert trainer.get_by_text("1 participant moved.").is_visible()
    screenshot(trainer, "trainer-registrations")

    participant.reload()
    assert participant.get_by_text("Your cohort: Policy group").is_visible()
    assert participant.locator(".badge", has_text="Confirmed").is_visible()
    screenshot(participant, "registration-confirmed")
