"""A trainer's registrations and a quiz on a 360 px phone: nothing wider than the screen, nothing out of reach."""
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.auth.models import Constituency
from app.courses.models import Course, Module
from app.courses.cache import bump_version
from app.extensions import db
from app.quizzes.models import Question, Quiz
from app.workshops.models import Cohort, Registration, RegistrationStatus
from tests.factories import build_course
from tests.helpers import log_in, screenshot

pytestmark = pytest.mark.browser

LONG = "https://www.ilo.org/global/topics/labour-migration/publications/WCMS_652001_international_labour_migration_statistics"


def crowded_workshop(app, factory):
    """A trainer's workshop with long names, e-mails, cohorts and every status: what overflows first."""
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer], capacity=50, languages=["en", "fr", "es"],
                                title="Labour migration governance and fair recruitment in practice")
    people = [factory.participant(name=name, email=f"{name.split()[0].lower()}.{i}.{workshop.slug}@ministry-of-labour.example.org")
              for i, name in enumerate(["Maria Fernanda Gonzalez de la Cruz", "Priya Raman", "Jean-Baptiste Nkurunziza",
                                        "Oluwaseun Adebayo-Williamson", "Ana", "Thanh Huong Nguyen"])]
    statuses = [RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED, RegistrationStatus.CONFIRMED]
    with app.app_context():
        cohort = Cohort(workshop_id=workshop.id, name={"en": "Francophone policy and social dialogue group"})
        db.session.add(cohort)
        db.session.flush()
        for number, (person, status) in enumerate(zip(people, statuses), 1):
            db.session.add(Registration(
                workshop_id=workshop.id, user_id=person.id, status=status, sequence=number,
                constituency=Constituency.GOVERNMENT, working_language=["en", "fr", "es"][number % 3],
                motivation="I draft our bilateral labour agreements. " * 5, consent_at=datetime.now(UTC),
                cohort_id=cohort.id if number % 2 else None))
        db.session.commit()
    return trainer, workshop


def test_registrations_fit_a_phone_and_select_all_works(live_app, live_server, live_factory, new_page):
    trainer, workshop = crowded_workshop(live_app, live_factory)
    page = new_page(width=360, height=740)
    log_in(page, live_server, trainer.email)
    page.goto(live_server + f"/trainer/workshops/{workshop.slug}/?lang=en")
    screenshot(page, "registrations-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    boxes = page.locator('input[name="ids"]')
    expect(boxes).to_have_count(6)
    for index in range(6):
        box = boxes.nth(index).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
    # Each card shows its status beside the name, inside the screen.
    badge = page.locator("tbody tr").first.locator(".badge").bounding_box()
    assert badge["x"] + badge["width"] <= 360
    select_all = page.get_by_label("Select all on this page")
    expect(select_all).to_be_visible()
    select_all.check()
    for index in range(6):
        expect(boxes.nth(index)).to_be_checked()
    boxes.nth(2).uncheck()
    expect(select_all).not_to_be_checked()
    screenshot(page, "registrations-360-selected")


def test_registrations_select_all_without_javascript(live_app, live_server, live_factory, new_page):
    trainer, workshop = crowded_workshop(live_app, live_factory)
    page = new_page(width=360, height=740, java_script_enabled=False)
    log_in(page, live_server, trainer.email)
    page.goto(live_server + f"/trainer/workshops/{workshop.slug}/?lang=en&status=confirmed")
    page.get_by_role("link", name="Select all on this page").click()
    boxes = page.locator('input[name="ids"]')
    expect(boxes).to_have_count(2)
    expect(boxes.first).to_be_checked()
    expect(boxes.last).to_be_checked()
    assert "status=confirmed" in page.url


def test_registrations_sort_on_a_desktop(live_app, live_server, live_factory, new_page):
    trainer, workshop = crowded_workshop(live_app, live_factory)
    page = new_page(width=1280, height=900)
    log_in(page, live_server, trainer.email)
    page.goto(live_server + f"/trainer/workshops/{workshop.slug}/?lang=en")
    expect(page.get_by_role("columnheader", name="Registered")).to_be_visible()
    expect(page.get_by_text(f"priya.1.{workshop.slug}@ministry-of-labour.example.org")).to_be_visible()
    page.get_by_role("link", name="Name", exact=True).click()
    expect(page.locator("tbody tr").first).to_contain_text("Ana")
    expect(page.get_by_role("columnheader", name="Name", exact=True)).to_have_attribute("aria-sort", "ascending")
    screenshot(page, "registrations-1280-by-name")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@pytest.fixture
def long_quiz(live_app):
    """A course whose first question holds a long URL and a long word (keys of its own: the demo data stays)."""
    with live_app.app_context():
        if db.session.scalar(sa.select(Course.id).where(Course.key == "long-words")) is None:
            build_course(key="long-words", modules=2, questions=3, max_attempts=3)
            question = db.session.scalar(
                sa.select(Question).join(Quiz).join(Module, Module.id == Quiz.module_id)
                .join(Course, Course.id == Module.course_id)
                .where(Course.key == "long-words", Module.key == "module-1", Question.key == "q1"))
            question.text = {"en": f"Read {LONG} and say which Arbeitsmarktzulassungsverfahrensverordnung applies?"}
            bump_version()  # as `flask content sync` does: the server's content cache reloads
            db.session.commit()
    return "/courses/long-words/module-1/quiz"


def test_quiz_on_a_phone_text_inside_cards_and_unanswered_warning(live_server, live_factory, long_quiz, new_page):
    page = new_page(width=360, height=740)
    log_in(page, live_server, live_factory.participant().email)
    page.goto(live_server + long_quiz)
    page.get_by_role("button", name="Start the quiz").click()
    first = page.locator("fieldset.question").first
    expect(first).to_be_visible()
    screenshot(page, "quiz-360-long-words")
    card, legend = first.bounding_box(), first.locator("legend").bounding_box()
    assert legend["y"] >= card["y"] and legend["x"] + legend["width"] <= card["x"] + card["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    first.locator("label").first.click()
    page.get_by_role("button", name="Submit my answers").click()
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("2 questions are not answered yet.")
    screenshot(page, "quiz-360-unanswered")
    expect(first.locator("input:checked")).to_have_count(1)  # the answer given is still there
    warning.get_by_role("link", name="Question 2").click()
    expect(page).to_have_url(re.compile(r"#question-\d+$"))
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_role("heading", name="Your score:")).to_be_visible()
    expect(page.get_by_text("The right answers and their explanations appear once you pass")).to_be_visible()
    screenshot(page, "quiz-360-failed-review")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
