"""`flask content check` on quiz rules: every question can be answered right, and none gives its answer away."""
from tests.content.helpers import BASICS, RECRUITMENT, assert_problem

QUIZ = f"{BASICS}/quiz.yml"


def test_question_without_a_correct_choice(content):
    content.edit(QUIZ, "      - key: b\n        correct: true", "      - key: b\n        correct: false")
    assert_problem(content.check(), f"{QUIZ}:{content.line_of(QUIZ, 'choices:')}:", "question 'who-pays': no choice is correct")


def test_single_choice_with_two_correct(content):
    content.edit(QUIZ, "      - key: a\n        correct: false", "      - key: a\n        correct: true")
    assert_problem(content.check(), f"{QUIZ}:{content.line_of(QUIZ, 'choices:')}:",
                   "question 'who-pays': a single question has exactly one correct choice, not 2")


def test_true_false_rules(content):
    recruitment = f"{RECRUITMENT}/quiz.yml"
    content.edit(recruitment, '      - key: "true"\n        correct: false', '      - key: "true"\n        correct: true')
    content.cut(QUIZ, '      - key: "false"', "  - key: good-practice", after="- key: passports")
    result = content.check()
    assert_problem(result, f"{recruitment}:10:", "question 'contract-substitution': a true_false question has exactly one correct choice, not 2")
    line = content.line_of(QUIZ, "choices:", 2)
    assert_problem(result, f"{QUIZ}:{line}:", "question 'passports': a true_false question has exactly two choices, not 1")
    assert_problem(result, f"{QUIZ}:{line}:", "question 'passports': no choice is correct")


def test_a_question_needs_two_choices_and_a_quiz_a_question(content):
    text = content.read(QUIZ)
    content.write(QUIZ, text[: text.index("      - key: b", text.index("- key: good-practice"))])  # keeps choice a only
    content.write(f"{RECRUITMENT}/quiz.yml", "pass_mark: 50\nmax_attempts: 2\nquestions: []\n")
    result = content.check()
    assert_problem(result, f"{QUIZ}:{content.line_of(QUIZ, 'choices:', 3)}:", "question 'good-practice': a question needs at least two choices")
    assert_problem(result, f"{RECRUITMENT}/quiz.yml:3:", "a quiz needs at least one question")


def single_question(key: str, right: int, choices: int = 3) -> str:
    lines = [f"  - key: {key}", "    type: single", "    text:", f'      en: "Question {key}?"', "    explanation:",
             '      en: "Because."', "    choices:"]
    for index in range(choices):
        lines += [f"      - key: c{index}", f"        correct: {'true' if index == right else 'false'}", "        text:",
                  f'          en: "Choice {index}"', "        feedback:", '          en: "Feedback."']
    return "\n".join(lines) + "\n"


def multiple_question(key: str, wrong: int, choices: int = 4) -> str:
    lines = [f"  - key: {key}", "    type: multiple", "    text:", f'      en: "Question {key}?"', "    explanation:",
             '      en: "Because."', "    choices:"]
    for index in range(choices):
        lines += [f"      - key: c{index}", f"        correct: {'false' if index < wrong else 'true'}", "        text:",
                  f'          en: "Choice {index}"', "        feedback:", '          en: "Feedback."']
    return "\n".join(lines) + "\n"


def test_correct_answers_always_in_one_position_are_reported(content):
    head = "pass_mark: 70\nmax_attempts: 3\nquestions:\n"
    content.write(f"{BASICS}/quiz.yml", head + "".join(single_question(f"q{n}", right=0) for n in range(3)))
    assert_problem(content.check(), f"{BASICS}/quiz.yml:3:",
                   "every single-choice question has its correct answer in position 1")
    content.write(f"{BASICS}/quiz.yml", head + "".join(single_question(f"q{n}", right=n) for n in range(3)))
    assert content.check().exit_code == 0


def test_multiple_choice_questions_that_all_have_one_wrong_choice_are_reported(content):
    head = "pass_mark: 70\nmax_attempts: 3\nquestions:\n"
    content.write(f"{BASICS}/quiz.yml", head + multiple_question("m1", wrong=1) + multiple_question("m2", wrong=1))
    assert_problem(content.check(), f"{BASICS}/quiz.yml:3:", "every multiple-choice question has exactly one wrong choice")
    content.write(f"{BASICS}/quiz.yml", head + multiple_question("m1", wrong=1) + multiple_question("m2", wrong=2))
    assert content.check().exit_code == 0
