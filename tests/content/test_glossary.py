"""A course's glossary.yml: checked like the rest of content/, synced, and shown in the reader's language."""
import sqlalchemy as sa

from app.courses.models import Course
from app.extensions import db
from tests.content.helpers import COURSE, assert_problem

GLOSSARY = """terms:
  - key: kafala
    term:
      en: "Kafala"
      fr: "Kafala"
    definition:
      en: "A sponsorship system that ties a migrant worker's residence to one employer."
      fr: "Un système de parrainage qui lie la résidence d'un travailleur migrant à un seul employeur."
  - key: totalization
    term:
      en: "Totalization"
      fr: "Totalisation"
    definition:
      en: "Adding up periods of insurance completed in 2 or more countries."
      fr: "L'addition des périodes d'assurance accomplies dans 2 pays ou plus."
  - key: equality-of-treatment
    term:
      en: "Equality of treatment"
      fr: "Égalité de traitement"
    definition:
      en: "Migrant workers get the same treatment as nationals."
      fr: "Les travailleurs migrants sont traités comme les nationaux."
"""


def test_a_glossary_is_synced_and_shown_in_the_readers_order(app, content, browser, factory):
    content.write(f"{COURSE}/glossary.yml", GLOSSARY)
    assert content.sync().exit_code == 0
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.key == COURSE))
        assert [term["key"] for term in course.glossary] == ["kafala", "totalization", "equality-of-treatment"]
    browser.login(factory.participant().email)
    page = browser.client.get(f"/courses/{COURSE}/glossary?lang=fr").get_data(as_text=True)
    # French alphabetical order, accents ignored: Égalité before Kafala before Totalisation.
    assert page.index('id="equality-of-treatment">Égalité de traitement') < page.index('id="kafala">Kafala') \
        < page.index('id="totalization">Totalisation')
    assert "dans 2 pays ou plus" in page
    assert 'href="/courses/sample-course/glossary"' in browser.client.get(f"/courses/{COURSE}/").get_data(as_text=True)


def test_glossary_problems_are_reported_with_their_line(content):
    broken = GLOSSARY.replace('      fr: "Totalisation"\n', "").replace("in 2 or more", "in 3 or more")
    content.write(f"{COURSE}/glossary.yml", broken)
    result = content.check()
    line = content.line_of(f"{COURSE}/glossary.yml", 'en: "Totalization"') - 1
    assert_problem(result, f"{COURSE}/glossary.yml:{line}:", "term 'totalization': term has no fr text")
    line = content.line_of(f"{COURSE}/glossary.yml", "in 3 or more") - 1
    assert_problem(result, f"{COURSE}/glossary.yml:{line}:",
                   "term 'totalization': definition.fr does not say the figures of the English (only in English: 3; only here: 2)")
    content.write(f"{COURSE}/glossary.yml", GLOSSARY.replace("key: kafala", "key: totalization"))
    assert "term key 'totalization'" in content.check().output or "duplicate" in content.check().output


def test_a_course_without_glossary_says_so(content, browser, factory):
    assert content.sync().exit_code == 0
    browser.login(factory.participant().email)
    assert "This course has no glossary yet." in browser.client.get(f"/courses/{COURSE}/glossary").get_data(as_text=True)
    assert browser.client.get("/courses/no-such-course/glossary").status_code == 404
