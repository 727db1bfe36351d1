"""Property-based: whatever is typed into the main forms, the answer is never a 500, and a refused form stores nothing.

Each example is a valid form with up to three fields replaced by something else: a value of the
kinds that once gave 500s (digits that are not ASCII, the calendar's edges, huge numbers), another
field's valid value, or any text Hypothesis makes up. One bad field at a time reaches deeper than a
form that is all noise, which stops at the first validator. `derandomize` makes every run try the
same examples, so CI is deterministic; 30 examples a form keep the file to about 20 seconds.
"""
import itertools
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.timeutil import MAX_YEAR, MIN_YEAR
from app.extensions import db
from app.quizzes.models import QuizAttempt
from app.workshops.models import Cohort, Workshop, WorkshopSession
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import REGISTRATION_FORM, Browser, csrf_token

FUZZ = settings(
    max_examples=30, deadline=None, derandomize=True, database=None,
    # The fixtures (app, users, a workshop) are made once per test: the examples share them on purpose,
    # so that a form accepted earlier (a slug, a session) is there to collide with later ones.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EDGES = ["", " ", "0", "-1", "²", "¹²", "١٢", "𝟏", "99999999999999999999", "2147483648", "9999-12-31", "0001-01-01",
         "9999-12-31T23:00", "0001-01-01T00:00", "1899-12-31T23:59", "2101-01-01T00:00", "x" * 300,
         "<script>alert(1)</script>", "a\r\nb", "\u202e", "🙂" * 20, "none", "y"]
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
# Any day or minute of the calendar, its edges and the app's own (1900 to 2100) most often.
ANY_MOMENT = st.one_of(
    st.sampled_from(["0001-01-01T00:00", "1899-12-31T23:59", "1900-01-01T00:00", "2100-12-31T23:59",
                     "2101-01-01T00:00", "9999-12-31T23:59"]),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)).map(
        lambda moment: moment.strftime("%Y-%m-%dT%H:%M").rjust(16, "0")))
ANY_DAY = st.one_of(st.sampled_from(["0001-01-01", "1899-12-31", "1900-01-01", "2100-12-31", "2101-01-01", "9999-12-31"]),
                    st.dates().map(lambda day: f"{day.year:04d}-{day.month:02d}-{day.day:02d}"))
_numbers = itertools.count(1)


@st.composite
def forms(draw, valid: dict, extra=None):
    """`valid` with up to three fields replaced (or removed); `extra` adds field-specific strategies."""
    form = dict(valid)
    others = sorted({value for value in valid.values() if isinstance(value, str)})
    anything = st.one_of(st.sampled_from(EDGES), ANY_TEXT, st.sampled_from(others), st.just(None))
    for name in draw(st.lists(st.sampled_from(sorted(valid)), max_size=3, unique=True)):
        value = draw(st.one_of(extra[name], anything) if extra and name in extra else anything)
        if value is None:
            form.pop(name)
        else:
            form[name] = value
    return form


def unique(form: dict, name: str, template: str) -> dict:
    """A fresh value where the form kept the valid one, so that valid forms do not collide by chance."""
    return {**form, name: template.format(next(_numbers))} if form.get(name) == template else form


def stored(app) -> dict:
    """Every row of every table: what "nothing stored" compares."""
    with app.app_context():
        return {table.name: sorted(map(repr, db.session.execute(sa.select(table)).all()))
                for table in db.metadata.sorted_tables}


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def send(app, client, path: str, form: dict, *, accepted=(302,)):
    """POST the form; not a 500, and if it was refused, nothing stored. Returns the response."""
    before = stored(app)
    response = client.post(path, data=form)
    assert response.status_code < 500, (path, form)
    if response.status_code not in accepted:
        assert not changed_tables(before, stored(app)), (path, form, response.status_code)
    return response


def logged_in(app, email: str) -> Browser:
    browser = Browser(app.test_client())
    assert browser.login(email).status_code == 302
    return browser


def token(browser: Browser) -> str:
    return csrf_token(browser.client)


SIGNUP = {"name": "Marisol Quispe", "email": "fuzz{}@example.org", "password": "migration rights for all",
          "confirm": "migration rights for all", "country": "PE", "organisation": "Ministerio de Trabajo",
          "constituency": "government", "sex": "female", "preferred_language": "es", "accept_privacy": "y"}


@FUZZ
@given(form=forms(SIGNUP))
def test_sign_up(app, form):
    browser = Browser(app.test_client())
    form = unique(form, "email", SIGNUP["email"])
    send(app, browser.client, "/signup", {**form, "csrf_token": token(browser)})


@pytest.fixture
def account(factory, app, monkeypatch):
    # The limits have their own tests: here every guess must reach the form.
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "100000 per minute")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "100000 per minute")
    return factory.participant(email="fuzz.login@example.org")


@FUZZ
@given(form=forms({"email": "fuzz.login@example.org", "password": DEFAULT_PASSWORD, "remember": "y"}))
def test_login(app, account, form):
    browser = Browser(app.test_client())
    send(app, browser.client, "/login", {**form, "csrf_token": token(browser)})


@pytest.fixture
def workshop(factory):
    trainer = factory.trainer()
    start = date.today() + timedelta(days=30)
    return trainer, factory.workshop(trainers=[trainer], capacity=1000, timezone="America/New_York",
                                     starts_on=start, ends_on=start + timedelta(days=2))


@FUZZ
@given(form=forms({**REGISTRATION_FORM, "working_language": "fr"},
                  extra={"working_language": st.sampled_from(["en", "es", "FR", "fr "]),
                         "motivation": st.text(min_size=1990, max_size=2010, alphabet="ab ")}))
def test_registering_for_a_workshop(app, factory, workshop, form):
    _, open_workshop = workshop
    browser = logged_in(app, factory.participant().email)
    send(app, browser.client, f"/workshops/{open_workshop.slug}/register", {**form, "csrf_token": token(browser)})


WORKSHOP = {"title_en": "Labour migration statistics", "slug": "fuzz-{}", "description_en": "About it.",
            "starts_on": "2027-05-03", "ends_on": "2027-05-05", "timezone": "America/New_York", "venue": "campus",
            "address_en": "Turin", "languages": "en", "capacity": "30", "waitlist_enabled": "y", "quota_government": "5",
            "registration_opens_at": "2027-01-04T09:00", "registration_closes_at": "2027-04-30T18:00",
            "attendance_threshold": "80", "status": "open"}


def in_order(days: tuple[str, str]) -> tuple[str, str]:
    return tuple(sorted(days))


# A first and last day, or a registration window, in order: dates anywhere in the calendar get past
# "the last day cannot be before the first" and reach the rules about years and time zones.
DAY_PAIRS = st.one_of(st.just(("2027-05-03", "2027-05-05")), st.tuples(ANY_DAY, ANY_DAY).map(in_order))
MOMENT_PAIRS = st.one_of(st.just(("2027-01-04T09:00", "2027-04-30T18:00")), st.tuples(ANY_MOMENT, ANY_MOMENT).map(in_order))


@FUZZ
@given(data=st.data())
def test_the_workshop_form(app, factory, data):
    (starts_on, ends_on), (opens, closes) = data.draw(DAY_PAIRS), data.draw(MOMENT_PAIRS)
    valid = {**WORKSHOP, "starts_on": starts_on, "ends_on": ends_on, "registration_opens_at": opens,
             "registration_closes_at": closes}
    form = data.draw(forms(valid, extra={
        "starts_on": ANY_DAY, "ends_on": ANY_DAY, "registration_opens_at": ANY_MOMENT, "registration_closes_at": ANY_MOMENT,
        "timezone": st.sampled_from(["Pacific/Kiritimati", "Etc/GMT+12", "Europe/Rome", "UTC", "Mars/Olympus"]),
        "slug": st.sampled_from(["fuzz", "fuzz-1", "FUZZ", "fuzz--1", "-fuzz"]),
    }))
    browser = logged_in(app, factory.admin().email)
    form = unique(form, "slug", WORKSHOP["slug"])
    response = send(app, browser.client, "/admin/workshops/new", {**form, "csrf_token": token(browser)})
    if response.status_code == 302:
        with app.app_context():
            saved = db.session.scalar(sa.select(Workshop).order_by(Workshop.id.desc()).limit(1))
            assert MIN_YEAR <= saved.starts_on.year <= saved.ends_on.year <= MAX_YEAR, form


@pytest.fixture
def trainer_at_work(app, workshop):
    trainer, open_workshop = workshop
    with app.app_context():
        cohort = Cohort(workshop_id=open_workshop.id, name={"en": "A"})
        db.session.add(cohort)
        db.session.commit()
        cohort_id = cohort.id
    return logged_in(app, trainer.email), open_workshop, cohort_id


@FUZZ
@given(data=st.data())
def test_the_session_form(app, trainer_at_work, data):
    browser, open_workshop, cohort_id = trainer_at_work
    day = open_workshop.starts_on + timedelta(days=data.draw(st.integers(0, 2)))
    hour = data.draw(st.integers(8, 16))
    starts_at, ends_at = data.draw(st.one_of(st.just((f"{day}T{hour:02d}:00", f"{day}T{hour:02d}:45")), MOMENT_PAIRS))
    valid = {"title_en": "Opening plenary", "starts_at": starts_at, "ends_at": ends_at, "cohort": str(cohort_id),
             "room": "Room 1"}
    form = data.draw(forms(valid, extra={"starts_at": ANY_MOMENT, "ends_at": ANY_MOMENT,
                                         "cohort": st.sampled_from(["", "none", str(cohort_id + 1000)])}))
    send(app, browser.client, f"/trainer/workshops/{open_workshop.slug}/sessions", {**form, "csrf_token": token(browser)})
    with app.app_context():
        for starts_at, ends_at in db.session.execute(sa.select(WorkshopSession.starts_at, WorkshopSession.ends_at)):
            assert starts_at < ends_at


@FUZZ
@given(form=forms({"name_en": "Group {}"}, extra={"name_en": st.sampled_from(["A", "a", " A ", "A" * 81])}))
def test_the_cohort_form(app, trainer_at_work, form):
    browser, open_workshop, _ = trainer_at_work
    form = unique(form, "name_en", "Group {}")
    send(app, browser.client, f"/trainer/workshops/{open_workshop.slug}/cohorts", {**form, "csrf_token": token(browser)})


@pytest.fixture
def quiz_taker(app, factory):
    factory.course(max_attempts=1000)
    browser = logged_in(app, factory.participant().email)
    with app.app_context():
        rows = db.session.execute(sa.text(
            "SELECT questions.id, choices.id FROM questions JOIN choices ON choices.question_id = questions.id "
            "JOIN quizzes ON quizzes.id = questions.quiz_id JOIN modules ON modules.id = quizzes.module_id "
            "WHERE modules.key = 'module-1' ORDER BY questions.position, choices.position")).all()
    questions: dict[int, list[int]] = {}
    for question_id, choice_id in rows:
        questions.setdefault(question_id, []).append(choice_id)
    return browser, questions


QUIZ = "/courses/demo-course/module-1/quiz"


@FUZZ
@given(data=st.data())
def test_quiz_submission(app, quiz_taker, data):
    browser, questions = quiz_taker
    with app.app_context():
        attempt_id = db.session.scalar(sa.select(QuizAttempt.id).where(QuizAttempt.submitted_at.is_(None)))
    if attempt_id is None:
        assert browser.post(QUIZ + "/start").status_code == 302
        with app.app_context():
            attempt_id = db.session.scalar(sa.select(QuizAttempt.id).where(QuizAttempt.submitted_at.is_(None)))
    every_choice = [choice for choices in questions.values() for choice in choices]
    valid = {f"q{question}": str(choices[0]) for question, choices in questions.items()}
    valid["action"] = "submit"
    form = data.draw(forms(valid, extra={
        **{f"q{question}": st.sampled_from([str(choice) for choice in every_choice] + ["١", f"{choices[0]}²"])
           for question, choices in questions.items()},
        "action": st.sampled_from(["save", "submit", "submit_anyway"]),
    }))
    form.update(data.draw(st.dictionaries(st.sampled_from(["q", "q²", "q١", f"q{max(questions) + 1}", "qx"]),
                                          st.sampled_from(EDGES), max_size=2)))
    # A submission with questions left unanswered warns (200) and keeps the answers given: stored on purpose.
    send(app, browser.client, f"{QUIZ}/attempts/{attempt_id}", {**form, "csrf_token": token(browser)}, accepted=(200, 302))
