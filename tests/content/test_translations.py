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
