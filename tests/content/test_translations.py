"""Translations (fr.md, es.md) have exactly the sections of en.md."""
from tests.content.helpers import BASICS, assert_problem


def test_translation_sections_must_match_english(content):
    french = content.read(f"{BASICS}/en.md").replace("title: Basics", "title: Les bases")
    start, end = french.index("## Fees and related costs"), french.index("## Who does what")
    french = (french[:start] + french[end:]).replace("{#further-reading}", "{#pour-aller-plus-loin}").replace(
        "[who does what](#roles)", "")
    content.write(f"{BASICS}/fr.md", french)
    result = content.check()
    assert_problem(result, f"{BASICS}/fr.md:1:", "section 'fees-and-costs' of en.md is missing from this translation")
    assert_problem(result, f"{BASICS}/fr.md:1:", "section 'further-reading' of en.md is missing")
    line = content.line_of(f"{BASICS}/fr.md", "{#pour-aller-plus-loin}")
    assert_problem(result, f"{BASICS}/fr.md:{line}:", "section 'pour-aller-plus-loin' is not in en.md")


def test_a_translation_says_the_same_figures_as_english(content):
    english = content.read(f"{BASICS}/en.md")
    french = english.replace("title: Basics", "title: Les bases").replace(
        "Governments license and inspect agencies.", "Les gouvernements inspectent 1 200 agences (2,5 % par an).")
    content.write(f"{BASICS}/en.md", english.replace(
        "Governments license and inspect agencies.", "Governments inspect 1,200 agencies (2.5% a year)."))
    content.write(f"{BASICS}/fr.md", french)
    assert content.check().exit_code == 0  # 1,200 / 1 200 and 2.5 / 2,5 are the same figures
    content.write(f"{BASICS}/fr.md", french.replace("1 200", "1 300").replace("(a sample figure)", "(2019)"))
    result = content.check()
    line = content.line_of(f"{BASICS}/fr.md", "{#roles}")
    assert_problem(result, f"{BASICS}/fr.md:{line}:",
                   "section 'roles' does not say the figures of en.md (only in English: 1200; only here: 1300)")
    assert_problem(result, f"{BASICS}/fr.md:1:", "key_figures do not say the figures of en.md (only here: 2019)")


def test_a_quiz_text_exists_in_every_language_the_quiz_uses(content):
    quiz = content.read(f"{BASICS}/quiz.yml")
    content.write(f"{BASICS}/quiz.yml", quiz.replace(
        '      en: "Who should pay recruitment fees and related costs?"',
        '      en: "Who should pay recruitment fees and related costs?"\n      fr: "Qui doit payer les frais ?"', 1))
    result = content.check()
    line = content.line_of(f"{BASICS}/quiz.yml", "explanation:")
    assert_problem(result, f"{BASICS}/quiz.yml:{line}:",
                   "question 'who-pays': explanation has no fr text, though other texts of this quiz have one")
    assert "question 'who-pays': text has no fr" not in result.output


def test_a_quiz_translation_says_the_same_figures(content):
    quiz = content.read(f"{BASICS}/quiz.yml").replace('      en: "The worker"', '      en: "The worker, 2 months\' pay"', 1)
    translated = quiz
    for english, french in (("The worker, 2 months' pay", "Le travailleur, 3 mois de salaire"),):
        translated = translated.replace(f'      en: "{english}"', f'      en: "{english}"\n          fr: "{french}"', 1)
    content.write(f"{BASICS}/quiz.yml", translated)
    result = content.check()
    assert "text.fr does not say the figures of the English (only in English: 2; only here: 3)" in result.output
