"""Password guesses sent all at once are counted before any is checked; a sign-up sent twice makes one account.

On PostgreSQL, through the real views, from 30 clients posting at the same instant. Each
guess is answered either after its password was checked (401 / 422) or refused before (429):
with a limit of 5, at most 5 passwords may be checked, however the requests interleave.
"""
import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from app import create_app
from app.auth import services
from app.auth.models import User
from app.extensions import db, limiter
from app.mail.models import OutboxMessage
from tests import databases
from tests.factories import DEFAULT_PASSWORD, Factory
from tests.helpers import Browser, all_at_once, mailed_link, make_config

pytestmark = pytest.mark.postgresql

CLIENTS = 30
LIMIT = 5
SIGNUP = {"name": "Burst Person", "password": "a burst of sign-ups", "confirm": "a burst of sign-ups",
          "country": "KE", "constituency": "workers", "sex": "male", "preferred_language": "en", "accept_privacy": "y"}


@pytest.fixture(scope="module")
def race(tmp_path_factory):
    if not databases.on_postgresql():
        pytest.skip("parallel guesses race on PostgreSQL (TEST_DATABASE_URL)")
    url = databases.create_database("guesses", tmp_path_factory.mktemp("guesses"))
    app = create_app(make_config(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CLIENTS + 2, "max_overflow": 0},
                                 LOGIN_LIMIT_PER_ADDRESS="100000 per minute", LOGIN_LIMIT_PER_ACCOUNT=f"{LIMIT} per minute",
                                 SIGNUP_LIMIT_PER_ADDRESS="100000 per hour"))
    with app.app_context():
        upgrade()
    yield app, Factory(app)
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


@pytest.fixture
def checks(race, monkeypatch):
    """How many times a password was compared with a stored hash, counted across threads."""
    app, _factory = race
    with app.app_context():
        limiter.reset()
    counted = {"n": 0}
    lock = threading.Lock()
    verify = services.verify_password

    def counting(password_hash, password):
        with lock:
            counted["n"] += 1
        return verify(password_hash, password)

    monkeypatch.setattr(services, "verify_password", counting)
    return counted


def slow_hash_user(app, factory):
    """A participant whose hash costs what production's does, so that the checks overlap."""
    user = factory.participant()
    with app.app_context():
        db.session.get(User, user.id).password_hash = generate_password_hash(DEFAULT_PASSWORD, method="scrypt:16384:8:1")
        db.session.commit()
    return user


def test_thirty_wrong_passwords_at_once_check_at_most_five(race, checks):
    app, factory = race
    user = slow_hash_user(app, factory)
    browsers = [Browser(app.test_client()) for _ in range(CLIENTS)]
    responses = all_at_once(browsers, "/login", {"email": user.email, "password": "a wrong guess at once"})
    codes = [response.status_code for response in responses]
    assert set(codes) <= {401, 429}, codes
    assert codes.count(401) == LIMIT, codes
    assert checks["n"] == LIMIT


def test_thirty_wrong_current_passwords_at_once_check_at_most_five(race, checks):
    app, factory = race
    user = slow_hash_user(app, factory)
    browsers = [Browser(app.test_client()) for _ in range(CLIENTS)]
    for browser in browsers:
        assert browser.login(user.email).status_code == 302
    checks["n"] = 0
    responses = all_at_once(browsers, "/account", {
        "password-current_password": "a wrong guess at once", "password-password": "a new passphrase here",
        "password-confirm": "a new passphrase here", "password-submit": "1"})
    codes = [response.status_code for response in responses]
    assert set(codes) <= {422, 429}, codes
    assert codes.count(422) == LIMIT, codes
    assert checks["n"] == LIMIT


def test_one_address_signed_up_eight_times_at_once_makes_one_account(race, checks):
    app, _factory = race
    email = "double.click@example.org"
    responses = all_at_once([Browser(app.test_client()) for _ in range(8)], "/signup", {**SIGNUP, "email": email})
    # Every click gets the same answer, whichever won the race: no error, no "already exists".
    assert [response.status_code for response in responses] == [302] * 8
    assert {response.headers["Location"] for response in responses} == {"/signup/sent"}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == email)) == 1
        links = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.recipient == email))
    # The first sign-up's link, and at most three more for the clicks that came after it.
    assert 1 <= links <= 4


def test_one_confirmation_link_sent_five_times_at_once_confirms_once(race, checks):
    app, _factory = race
    email = "five.tabs@example.org"
    Browser(app.test_client()).post("/signup", {**SIGNUP, "email": email})
    link = mailed_link(app, email, "/signup/confirm/")
    responses = all_at_once([Browser(app.test_client()) for _ in range(LIMIT)], link, {"password": SIGNUP["password"]})
    locations = sorted(response.headers.get("Location", str(response.status_code)) for response in responses)
    # One tab opens the account; the others are told the link was used, and nothing fails.
    assert locations == ["/dashboard"] + ["/login"] * (LIMIT - 1)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert user.email_confirmed_at is not None
