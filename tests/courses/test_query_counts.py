"""Course pages and the dashboard cost the same number of queries however much data exists."""
import re

import sqlalchemy as sa

from app.courses.models import Module
from app.extensions import db
from app.quizzes.models import Quiz, QuizAttempt
from tests.helpers import csrf_token

PAGES = [
    "/dashboard",
    "/courses/",
    "/courses/demo-course/",
    "/courses/demo-course/module-1/section-2/",
    "/courses/demo-course/module-1/quiz",
]


def measure(browser, count_queries):
    counts = {}
    for path in PAGES:
        browser.client.get(path)  # warm: the content cache (re)loads once per content version
        with count_queries() as counter:
            response = browser.client.get(path)
        assert response.status_code == 200, path
        counts[path] = counter.count
    return counts


def add_activity(app, factory, user_id, participants: int, attempts: int):
    """Other participants with progress and attempts, and more attempts for our user."""
    from app.progress.models import ModuleProgress

    with app.app_context():
        quiz_ids = list(db.session.scalars(sa.select(Quiz.id)))
        module_ids = list(db.session.scalars(sa.select(Module.id)))
    others = [factory.participant() for _ in range(participants)]
    with app.app_context():
        for other in others:
            for module_id in module_ids:
                db.session.add(ModuleProgress(user_id=other.id, module_id=module_id, sections_read=[1, 2], quiz_passed=False))
        for number in range(attempts):
            for quiz_id in quiz_ids:
                db.session.add(QuizAttempt(quiz_id=quiz_id, user_id=user_id, number=100 + number, seed=number,
                                           answers={}, question_ids=[], submitted_at=sa.func.now(), score=40, passed=False))
        db.session.commit()


def test_query_counts_do_not_grow_with_data(app, browser, factory, count_queries):
    factory.course(modules=2)
    user = factory.participant()
    browser.login(user.email)
    browser.post("/courses/demo-course/module-1/section-1/")
    small = measure(browser, count_queries)

    factory.course(key="second-course", modules=8, sections=6)
    add_activity(app, factory, user.id, participants=20, attempts=5)
    for section in ("section-1", "section-2", "section-3"):
        browser.post(f"/courses/second-course/module-4/{section}/")
    large = measure(browser, count_queries)

    print("query counts", small)
    assert large == small, f"query counts grew: {small} -> {large}"
    assert max(small.values()) <= 8, small


def test_course_pages_read_no_content_once_cached(app, browser, factory, count_queries):
    """With the content cached, a section page costs the user load and the participant's own rows only."""
    factory.course(modules=2)
    browser.login(factory.participant().email)
    path = "/courses/demo-course/module-1/section-2/"
    with count_queries() as cold:
        assert browser.client.get(path).status_code == 200
    with count_queries() as warm:
        assert browser.client.get(path).status_code == 200
    content_tables = ("courses", "modules", "sections", "quizzes", "questions", "choices")
    reads_content = [s for s in warm.statements if any(f"FROM {table}" in s for table in content_tables)]
    assert reads_content == [], reads_content
    assert warm.count < cold.count
    print("section page queries: cold", cold.count, "warm", warm.count)


def test_quiz_posts_cost_the_same_with_more_attempts_and_content(app, browser, factory, count_queries):
    """Saving answers and submitting an attempt: fixed query counts, whatever the other attempts and courses."""
    factory.course(modules=2, max_attempts=20)
    user = factory.participant()
    browser.login(user.email)
    quiz = "/courses/demo-course/module-1/quiz"

    def post_answers(action: str) -> int:
        browser.post(quiz + "/start")
        page = browser.client.get(quiz).get_data(as_text=True)
        action_url = re.search(r'action="([^"]*/quiz/attempts/\d+)"', page).group(1)
        answers = {}
        for name, value in re.findall(r'name="(q\d+)" value="(\d+)"', page):
            answers.setdefault(name, value)
        if action == "submit_anyway":
            answers = {}  # scores 0 every time: the best score never moves, so each submission writes alike
        form = {**answers, "action": action, "csrf_token": csrf_token(browser.client, quiz)}
        browser.client.get(quiz)  # warm
        with count_queries() as counter:
            response = browser.client.post(action_url, data=form)
        assert response.status_code == 302
        return counter.count

    post_answers("submit_anyway")  # the module's progress row exists from here on, as it will below
    small = (post_answers("save"), post_answers("submit_anyway"))
    factory.course(key="second-course", modules=6, sections=5)
    add_activity(app, factory, user.id, participants=10, attempts=5)
    large = (post_answers("save"), post_answers("submit_anyway"))
    print("quiz POST queries (save, submit)", small)
    assert large == small
    # The attempt is read, then written and reloaded by one UPDATE … RETURNING; the progress row is
    # locked and changed (inserted already changed the first time).
    assert max(small) <= 4, small


def test_the_home_page_costs_the_same_with_more_workshops(app, client, factory, count_queries):
    factory.course()

    def measure() -> int:
        client.get("/")  # warm
        with count_queries() as counter:
            assert client.get("/").status_code == 200
        return counter.count

    factory.workshop()
    small = measure()
    for _ in range(8):
        factory.workshop()
    assert measure() == small
    assert small <= 4, small
