"""In French and in Spanish, at phone width: a participant reads a module and passes its quiz.

Every text checked comes from the app's own catalogues and from the synced content, so the test
follows the translations instead of pinning their wording.
"""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from app.courses.models import Module, Section
from app.extensions import db
from app.quizzes.models import Choice, Question, Quiz
from tests.helpers import screenshot

pytestmark = pytest.mark.browser

MODULE = "migrant-domestic-workers"


def texts_of(app, lang: str) -> dict:
    """What the pages should say in `lang`: interface strings and this module's content."""
    with app.test_request_context(), force_locale(lang):
        interface = {name: gettext(name) for name in ("Next", "Finish and take the quiz", "Start the quiz",
                                                        "Submit my answers")}
        interface["score"] = gettext("Your score: %(score)d%%", score=100)
    with app.app_context():
        module = db.session.scalar(sa.select(Module).where(Module.key == MODULE))
        first = db.session.scalar(sa.select(Section).where(Section.module_id == module.id, Section.retired_at.is_(None))
                                  .order_by(Section.position).limit(1))
        questions = db.session.scalars(sa.select(Question).join(Quiz).where(Quiz.module_id == module.id,
                                                                           Question.retired_at.is_(None))).all()
        correct = db.session.scalars(sa.select(Choice.id).where(Choice.question_id.in_([q.id for q in questions]),
                                                                Choice.correct.is_(True), Choice.retired_at.is_(None))).all()
        return {**interface, "module": module.title[lang], "section": first.title[lang],
                "question": questions[0].text[lang], "correct": list(correct)}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_module_and_its_quiz_in_french_and_spanish(live_app, live_server, live_factory, page, lang):
    expected = texts_of(live_app, lang)
    participant = live_factory.participant(preferred_language=lang)
    page.goto(f"{live_server}/login?lang={lang}")
    page.locator("#email").fill(participant.email)
    page.locator("#password").fill("correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"{live_server}/courses/labour-migration/{MODULE}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(expected["module"])
    expect(page.get_by_role("heading", name=expected["section"])).to_be_visible()
    expect(page.locator("article[lang=en]")).to_have_count(0)  # the text is translated, not English
    screenshot(page, f"section-{lang}")
    finish = page.get_by_role("button", name=expected["Finish and take the quiz"])
    following = page.get_by_role("button", name=expected["Next"])
    for _ in range(50):  # a module has far fewer sections; the bound only stops a loop that never ends
        expect(following.or_(finish)).to_be_visible()
        if finish.is_visible():
            break
        here = page.url
        following.click()
        expect(page).not_to_have_url(here)
    finish.click()
    page.get_by_role("button", name=expected["Start the quiz"]).click()
    expect(page.get_by_text(expected["question"])).to_be_visible()
    for choice_id in expected["correct"]:
        page.locator(f"label[for=c{choice_id}]").click()
    screenshot(page, f"quiz-{lang}")
    page.get_by_role("button", name=expected["Submit my answers"]).click()
    expect(page.get_by_role("heading", name=expected["score"])).to_be_visible()
    screenshot(page, f"quiz-result-{lang}")
