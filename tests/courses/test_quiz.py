"""Quizzes: start, save, submit once, review; every forged answer is refused; unanswered questions warn first."""
import re

import pytest
import sqlalchemy as sa

from app.courses.models import Module
from app.extensions import db
from app.progress.models import ModuleProgress
from app.quizzes.models import Choice, Question, Quiz, QuizAttempt
from tests.factories import reload

QUIZ = "/courses/demo-course/module-1/quiz"


def choice_ids(app, module_key="module-1"):
    """{question key: {choice key: choice id}} and {question key: question id}."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Question.key, Question.id, Choice.key, Choice.id)
            .join(Choice, Choice.question_id == Question.id).join(Quiz, Quiz.id == Question.quiz_id)
            .join(Module, Module.id == Quiz.module_id).where(Module.key == module_key)
        ).all()
    choices, questions = {}, {}
    for question_key, question_id, choice_key, choice_id in rows:
        choices.setdefault(question_key, {})[choice_key] = choice_id
        questions[question_key] = question_id
    return choices, questions


def answers(app, right=True):
    """Form data answering every question of module-1 (right or all wrong)."""
    choices, questions = choice_ids(app)
    data = {}
    for key, by_choice in choices.items():
        field = f"q{questions[key]}"
        if "true" in by_choice:
            data[field] = [by_choice["true" if right else "false"]]
        elif key in ("q2", "q5"):  # multiple choice
            data[field] = [by_choice["a"], by_choice["b"]] if right else [by_choice["a"]]
        else:
            data[field] = [by_choice["a" if right else "c"]]
    return data


def attempt_ids(app, user_id):
    with app.app_context():
        return list(db.session.scalars(sa.select(QuizAttempt.id).where(QuizAttempt.user_id == user_id).order_by(QuizAttempt.id)))


def load_attempt(app, attempt_id):
    return reload(app, QuizAttempt, attempt_id)


@pytest.fixture
def learner(browser, factory):
    factory.course()
    user = factory.participant()
    browser.login(user.email)
    return user


def start(browser):
    return browser.post(QUIZ + "/start")


def test_start_answer_submit_and_review(app, browser, learner):
    page = browser.client.get(QUIZ).get_data(as_text=True)
    assert "Start the quiz" in page and "4 questions" in page
    assert start(browser).headers["Location"] == QUIZ
    page = browser.client.get(QUIZ).get_data(as_text=True)
    assert "Submit my answers" in page
    # The correct answers are nowhere in the page before submission.
    assert "Feedback" not in page and "Because of reason" not in page and "correct" not in page.lower().replace("correct horse", "")
    [attempt_id] = attempt_ids(app, learner.id)
    response = browser.post(f"{QUIZ}/attempts/{attempt_id}", {**answers(app), "action": "submit"})
    assert response.headers["Location"] == f"{QUIZ}/attempts/{attempt_id}"
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your score: 100%" in page and "You passed this quiz" in page
    assert "Because of reason 1." in page and "correct answer" in page and "your answer" in page
    attempt = load_attempt(app, attempt_id)
    assert attempt.score == 100 and attempt.passed


def test_partial_multiple_choice_scores_nothing(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    data = answers(app)
    choices, questions = choice_ids(app)
    data[f"q{questions['q2']}"] = [choices["q2"]["a"]]  # one of the two right answers only
    browser.post(f"{QUIZ}/attempts/{attempt_id}", {**data, "action": "submit"})
    assert load_attempt(app, attempt_id).score == 75


def test_save_and_finish_later_keeps_answers(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    data = answers(app)
    response = browser.post(f"{QUIZ}/attempts/{attempt_id}", {**data, "action": "save"})
    assert response.headers["Location"] == QUIZ
    attempt = load_attempt(app, attempt_id)
    assert attempt.submitted_at is None and len(attempt.answers) == 4
    page = browser.client.get(QUIZ).get_data(as_text=True)
    for ids in data.values():
        for choice_id in ids:
            assert re.search(rf'value="{choice_id}" checked', page)


def test_choice_order_is_stable_per_attempt(app, browser, learner):
    start(browser)
    first = browser.client.get(QUIZ).get_data(as_text=True)
    second = browser.client.get(QUIZ).get_data(as_text=True)
    order = lambda page: re.findall(r'id="c(\d+)"', page)
    assert order(first) == order(second)


def test_double_submission_is_graded_once(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    browser.post(f"{QUIZ}/attempts/{attempt_id}", {**answers(app, right=False), "action": "submit"})
    first = load_attempt(app, attempt_id)
    response = browser.post(f"{QUIZ}/attempts/{attempt_id}", {**answers(app), "action": "submit"}, follow_redirects=True)
    assert "first result stands" in response.get_data(as_text=True)
    again = load_attempt(app, attempt_id)
    assert (again.score, again.submitted_at, again.answers) == (first.score, first.submitted_at, first.answers)
    assert again.score < 50


def test_attempt_limit(app, browser, learner):
    for _ in range(2):
        start(browser)
        attempt_id = attempt_ids(app, learner.id)[-1]
        browser.post(f"{QUIZ}/attempts/{attempt_id}", {**answers(app, right=False), "action": "submit"})
    start(browser)
    page = browser.client.get(QUIZ).get_data(as_text=True)
    assert "used every attempt" in page and "0 attempts left" in page
    assert len(attempt_ids(app, learner.id)) == 2


def test_best_score_counts_and_passing_completes_the_module(app, browser, learner):
    for section in ("section-1", "section-2", "section-3"):
        browser.post(f"/courses/demo-course/module-1/{section}/")
    start(browser)
    browser.post(f"{QUIZ}/attempts/{attempt_ids(app, learner.id)[-1]}", {**answers(app), "action": "submit"})
    with app.app_context():
        progress = db.session.scalar(sa.select(ModuleProgress).where(ModuleProgress.user_id == learner.id))
        assert progress.best_score == 100 and progress.quiz_passed and progress.completed_at is not None
    page = browser.client.get("/courses/demo-course/").get_data(as_text=True)
    assert "Completed" in page and "Best quiz score: 100%" in page


def test_someone_elses_attempt_is_404(app, browser, factory, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    browser.logout()
    intruder = factory.participant()
    browser.login(intruder.email)
    assert browser.post(f"{QUIZ}/attempts/{attempt_id}", {**answers(app), "action": "submit"}).status_code == 404
    assert browser.client.get(f"{QUIZ}/attempts/{attempt_id}").status_code == 404
    assert load_attempt(app, attempt_id).submitted_at is None


def arabic_indic(number: int) -> str:
    """The same number in Arabic-Indic digits, which str.isdigit() and int() both accept."""
    return str(number).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


@pytest.mark.parametrize("forgery", ["other_question", "made_up", "not_a_number", "two_on_single", "unknown_question",
                                     "superscript", "non_ascii_choice", "non_ascii_question"])
def test_forged_answers_are_refused_and_nothing_is_stored(app, browser, learner, forgery):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    choices, questions = choice_ids(app)
    data = answers(app)
    q1 = f"q{questions['q1']}"
    data[q1] = {
        "other_question": [choices["q2"]["a"]],
        "made_up": [999999],
        "not_a_number": ["abc"],
        "two_on_single": [choices["q1"]["a"], choices["q1"]["b"]],
        "unknown_question": [choices["q1"]["a"]],
        "superscript": ["²"],
        "non_ascii_choice": [arabic_indic(choices["q1"]["a"])],
        "non_ascii_question": [choices["q1"]["a"]],
    }[forgery]
    if forgery == "unknown_question":
        data["q999999"] = [choices["q1"]["a"]]
    if forgery == "non_ascii_question":
        data[f"q{arabic_indic(questions['q1'])}"] = data.pop(q1)
    response = browser.post(f"{QUIZ}/attempts/{attempt_id}", {**data, "action": "submit"})
    assert response.status_code == 400
    assert "do not match this quiz" in response.get_data(as_text=True)
    attempt = load_attempt(app, attempt_id)
    assert attempt.submitted_at is None and attempt.answers == {}


def test_module_without_quiz_has_no_quiz_page(browser, factory):
    factory.course(key="no-quiz", questions=0)
    browser.login(factory.participant().email)
    assert browser.client.get("/courses/no-quiz/module-1/quiz").status_code == 404


# Never lose the way: unanswered questions warn first, a pass leads on, a retry stays a test.

def submit(browser, app, attempt_id, data, action="submit"):
    return browser.post(f"{QUIZ}/attempts/{attempt_id}", {**data, "action": action})


def test_unanswered_questions_warn_and_spend_no_attempt(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    choices, questions = choice_ids(app)
    data = answers(app)
    del data[f"q{questions['q2']}"], data[f"q{questions['q4']}"]
    response = submit(browser, app, attempt_id, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 questions are not answered yet." in page and "no attempt is used" in page
    assert f'href="#question-{questions["q2"]}">Question 2</a>' in page
    assert f'href="#question-{questions["q4"]}">Question 4</a>' in page
    assert f'id="question-{questions["q2"]}"' in page
    assert 'name="action" value="submit_anyway"' in page
    # The answers given are kept on the page and saved; nothing is graded.
    assert f'value="{choices["q1"]["a"]}" checked' in page
    attempt = load_attempt(app, attempt_id)
    assert attempt.submitted_at is None and attempt.score is None
    assert set(attempt.answers) == {str(questions["q1"]), str(questions["q3"])}
    # Submitting anyway grades what is there.
    response = submit(browser, app, attempt_id, data, action="submit_anyway")
    assert response.headers["Location"] == f"{QUIZ}/attempts/{attempt_id}"
    attempt = load_attempt(app, attempt_id)
    assert attempt.submitted_at is not None and attempt.score == 50


def test_one_unanswered_question_is_counted_in_the_singular(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    _, questions = choice_ids(app)
    data = answers(app)
    del data[f"q{questions['q3']}"]
    page = submit(browser, app, attempt_id, data).get_data(as_text=True)
    assert "1 question is not answered yet." in page


def test_an_empty_submission_warns_about_every_question(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    page = submit(browser, app, attempt_id, {}).get_data(as_text=True)
    assert "4 questions are not answered yet." in page
    assert load_attempt(app, attempt_id).submitted_at is None


def test_a_double_submit_anyway_grades_once(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    submit(browser, app, attempt_id, {}, action="submit_anyway")
    first = load_attempt(app, attempt_id)
    response = submit(browser, app, attempt_id, answers(app), action="submit_anyway")
    assert response.headers["Location"] == f"{QUIZ}/attempts/{attempt_id}"
    assert load_attempt(app, attempt_id).score == first.score == 0


def test_a_complete_submission_is_graded_without_a_warning(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    assert submit(browser, app, attempt_id, answers(app)).status_code == 302


def test_passing_offers_the_next_module(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    submit(browser, app, attempt_id, answers(app))
    page = browser.client.get(f"{QUIZ}/attempts/{attempt_id}").get_data(as_text=True)
    assert 'href="/courses/demo-course/module-2/">Next module: Module 2</a>' in page


def test_passing_the_last_module_offers_the_course_and_the_dashboard(app, browser, learner):
    quiz = "/courses/demo-course/module-2/quiz"
    browser.post(quiz + "/start")
    attempt_id = attempt_ids(app, learner.id)[-1]
    choices, questions = choice_ids(app, "module-2")
    data = {}
    for key, by_choice in choices.items():
        right = ["a", "b"] if key in ("q2",) else ["true"] if "true" in by_choice else ["a"]
        data[f"q{questions[key]}"] = [by_choice[c] for c in right]
    browser.post(f"{quiz}/attempts/{attempt_id}", {**data, "action": "submit"})
    page = browser.client.get(f"{quiz}/attempts/{attempt_id}").get_data(as_text=True)
    assert "You passed this quiz" in page and "Next module" not in page
    assert "last module of the course" in page and 'href="/dashboard"' in page and 'href="/courses/demo-course/"' in page


def test_a_failed_attempt_with_attempts_left_shows_only_what_was_wrong(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    submit(browser, app, attempt_id, answers(app, right=False))
    page = browser.client.get(f"{QUIZ}/attempts/{attempt_id}").get_data(as_text=True)
    assert "Not passed yet" in page and "Try again" in page
    assert "wrong" in page and "your answer" in page
    # Neither the right answers nor the explanations nor the feedback give the next attempt away.
    assert "correct answer" not in page and "Because of reason" not in page and "Feedback" not in page
    assert "Next module" not in page
    assert 'href="/courses/demo-course/module-1/section-1/">Read the module again</a>' in page


def test_the_last_failed_attempt_reveals_the_answers_and_leads_on(app, browser, learner):
    for _ in range(2):
        start(browser)
        submit(browser, app, attempt_ids(app, learner.id)[-1], answers(app, right=False))
    first, last = attempt_ids(app, learner.id)
    for attempt_id in (first, last):
        page = browser.client.get(f"{QUIZ}/attempts/{attempt_id}").get_data(as_text=True)
        assert "correct answer" in page and "Because of reason 1." in page
        assert "Next module: Module 2" in page and "Try again" not in page


def test_after_a_pass_earlier_attempts_show_the_answers(app, browser, learner):
    start(browser)
    submit(browser, app, attempt_ids(app, learner.id)[-1], answers(app, right=False))
    start(browser)
    submit(browser, app, attempt_ids(app, learner.id)[-1], answers(app))
    first, _ = attempt_ids(app, learner.id)
    page = browser.client.get(f"{QUIZ}/attempts/{first}").get_data(as_text=True)
    assert "correct answer" in page and "Because of reason 1." in page


def test_someone_elses_attempt_cannot_be_submitted_anyway(app, browser, factory, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    browser.logout()
    browser.login(factory.participant().email)
    assert submit(browser, app, attempt_id, {}, action="submit_anyway").status_code == 404
    assert load_attempt(app, attempt_id).submitted_at is None


def test_a_huge_forged_answer_is_refused(app, browser, learner):
    start(browser)
    [attempt_id] = attempt_ids(app, learner.id)
    _, questions = choice_ids(app)
    response = submit(browser, app, attempt_id, {f"q{questions['q1']}": ["9" * 10_000]})
    assert response.status_code == 400
    assert load_attempt(app, attempt_id).answers == {}
