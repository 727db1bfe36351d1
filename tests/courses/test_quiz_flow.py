"""The quiz never loses the way: unanswered questions warn first, a pass leads on, a retry stays a test."""
import pytest

from tests.courses.test_quiz import QUIZ, answers, attempt_ids, choice_ids, load_attempt, start


@pytest.fixture
def learner(browser, factory):
    factory.course()
    user = factory.participant()
    browser.login(user.email)
    return user


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
