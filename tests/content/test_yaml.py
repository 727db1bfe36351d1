"""`flask content check` on YAML (quiz.yml, course.yml, front matter): every problem at its file and line."""
import pytest

from tests.content.helpers import BASICS, COURSE, RECRUITMENT, assert_problem

QUIZ = f"{BASICS}/quiz.yml"


def test_yaml_syntax_error(content):
    content.edit(QUIZ, "max_attempts: 3", "max_attempts: 3: 4")
    assert_problem(content.check(), f"{QUIZ}:2:", "invalid YAML: mapping values are not allowed here")


def test_yaml_syntax_error_in_front_matter_is_on_the_file_line(content):
    content.edit(f"{BASICS}/en.md", "title: Basics", "title: [Basics")  # line 2: YAML finds out on line 3
    assert_problem(content.check(), f"{BASICS}/en.md:3:", "invalid YAML: while parsing a flow sequence")


def test_missing_required_key(content):
    line = content.line_of(QUIZ, "- key: passports")
    content.edit(QUIZ, '    explanation:\n      en: "Keeping identity', '    notes:\n      en: "Keeping identity')
    result = content.check()
    assert_problem(result, f"{QUIZ}:{line}:", "question 'passports': missing required key 'explanation'")
    assert_problem(result, f"{QUIZ}:{line + 4}:", "unknown key 'notes'")


def test_missing_required_key_in_front_matter(content):
    content.edit(f"{BASICS}/en.md", "title: Basics\n", "")
    assert_problem(content.check(), f"{BASICS}/en.md:2:", "missing required key 'title'")


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("pass_mark: 70", "pass_mark: 101", 1, "pass_mark must be a whole number from 1 to 100, not 101"),
        ("pass_mark: 70", 'pass_mark: "70"', 1, "pass_mark must be a whole number from 1 to 100, not '70'"),
        ("max_attempts: 3", "max_attempts: 0", 2, "max_attempts must be a whole number of at least 1, not 0"),
        ("questions:", "questions: none\nold_questions:", 3, "questions must be a list, not text"),
        ("    type: single", "    type: essay", 5, "type must be one of single, multiple, true_false, not 'essay'"),
        ("        correct: false", "        correct: maybe", 12, "correct must be true or false, not text"),
        ('      en: "Who should pay', '      de: "Who should pay', 7, "unknown language code 'de' in text"),
    ],
)
def test_wrong_types_in_quiz(content, old, new, line, message):
    content.edit(QUIZ, old, new)
    assert_problem(content.check(), f"{QUIZ}:{line}:", message)


def test_english_is_required_in_every_text(content):
    content.edit(QUIZ, '      en: "Who should pay', '      fr: "Who should pay')
    assert_problem(content.check(), f"{QUIZ}:6:", "text needs an English text (en)")


def test_duplicate_yaml_mapping_key(content):
    content.edit(f"{COURSE}/course.yml", "summary:", "title:\n  en: Again\nsummary:")
    assert_problem(content.check(), f"{COURSE}/course.yml:3:", "duplicate key 'title' (first on line 1)")


def test_duplicate_and_bad_keys(content):
    course = f"{COURSE}/course.yml"
    content.edit(course, "  - recruitment\n", "  - recruitment\n  - basics\n")
    content.edit(QUIZ, "- key: good-practice", "- key: who-pays")
    content.edit(QUIZ, "      - key: b\n", "      - key: a\n")
    content.edit(f"{RECRUITMENT}/quiz.yml", "- key: contract-substitution", "- key: Contract_Substitution")
    result = content.check()
    assert_problem(result, f"{course}:8:", "duplicate module key 'basics' (first on line 6)")
    assert_problem(result, f"{QUIZ}:{content.line_of(QUIZ, 'key: who-pays', 2)}:", "duplicate question key 'who-pays' (first on line 4)")
    assert_problem(result, f"{QUIZ}:{content.line_of(QUIZ, '- key: a', 2)}:", "duplicate choice key 'a' (first on line 11)")
    assert_problem(result, f"{RECRUITMENT}/quiz.yml:4:", "question key 'Contract_Substitution' must be lowercase")


def test_unquoted_true_as_a_choice_key(content):
    content.edit(QUIZ, '      - key: "true"', "      - key: true")
    assert_problem(content.check(), f"{QUIZ}:{content.line_of(QUIZ, '- key: true')}:", 'choice key must be text: quote it, like "true"')


def test_a_file_that_is_not_a_mapping_empty_or_not_utf8(content):
    content.write(f"{COURSE}/course.yml", "- just\n- a list\n")
    content.write(QUIZ, "")
    (content.root / RECRUITMENT / "quiz.yml").write_bytes(b"pass_mark: 50\nmax_attempts: \xff\n")
    result = content.check()
    assert_problem(result, f"{COURSE}/course.yml:1:", "the file must be a mapping of keys to values, not a list")
    assert_problem(result, f"{QUIZ}:1:", "file is empty")
    assert_problem(result, f"{RECRUITMENT}/quiz.yml:2:", "not valid UTF-8 text: save the file as UTF-8")
