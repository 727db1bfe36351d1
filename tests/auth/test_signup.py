"""Sign-up: a new participant gets an account; every bad input gets a message and changes nothing."""
import re
import statistics
import time
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
import time_machine

from app.auth.models import Constituency, Sex, User
from app.core.permissions import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import reload
from tests.helpers import Browser, mailed_link

GOOD = {
    "name": "Marisol Quispe",
    "email": "Marisol.Quispe@Example.org",
    "password": "migration rights for all",
    "confirm": "migration rights for all",
    "country": "PE",
    "organisation": "Ministerio de Trabajo",
    "constituency": "government",
    "sex": "female",
    "preferred_language": "es",
    "accept_privacy": "y",
}


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def confirm(app, browser, email: str = "marisol.quispe@example.org", password: str = GOOD["password"]):
    """Open the latest confirmation link mailed to `email` and send the password: the response."""
    link = mailed_link(app, email, "/signup/confirm/")
    assert browser.client.get(link).status_code == 200
    return browser.post(link, {"password": password})


def test_signup_opens_an_account_once_its_address_is_confirmed(app, browser, monkeypatch):
    response = browser.post("/signup", GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/signup/sent"
    page = browser.client.get("/signup/sent").get_data(as_text=True)
    assert "marisol.quispe@example.org" in page and "Revise su correo" in page  # the language chosen on the form
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "marisol.quispe@example.org"))
        assert user.role == Role.PARTICIPANT
        assert (user.country, user.constituency, user.sex) == ("PE", Constituency.GOVERNMENT, Sex.FEMALE)
        assert user.preferred_language == "es"
        assert user.password_hash.startswith("scrypt:")
        assert "migration rights" not in user.password_hash
        assert user.email_confirmed_at is None
    # Not logged in, and the password alone does not open the account.
    assert browser.client.get("/dashboard").status_code == 302
    assert browser.login("marisol.quispe@example.org", GOOD["password"]).headers["Location"] == "/signup/sent"
    assert browser.client.get("/dashboard").status_code == 302
    # The link, in the language chosen on the form: showing its page changes nothing.
    [mail, _again] = mails_to(app, "marisol.quispe@example.org")
    assert "Confirme" in mail.subject and "http://localhost/signup/confirm/" in mail.body
    link = mailed_link(app, "marisol.quispe@example.org", "/signup/confirm/")
    assert link.endswith("?lang=es")
    assert "Confirme su dirección de correo electrónico" in browser.client.get(link).get_data(as_text=True)
    assert reload(app, User, user.id).email_confirmed_at is None
    # A wrong password does not use the link up; the right one confirms and logs in.
    wrong = browser.post(link, {"password": "not the one I chose"})
    assert wrong.status_code == 422
    assert reload(app, User, user.id).email_confirmed_at is None
    confirmed = browser.post(link, {"password": GOOD["password"]})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/dashboard"
    assert reload(app, User, user.id).email_confirmed_at is not None
    page = browser.client.get("/dashboard")
    assert page.status_code == 200 and "Marisol Quispe" in page.get_data(as_text=True)
    # Once only.
    browser.logout()
    again = browser.post(link, {"password": GOOD["password"]}, follow_redirects=True)
    assert "ya se ha usado" in again.get_data(as_text=True)
    assert browser.login("marisol.quispe@example.org", GOOD["password"]).headers["Location"] == "/dashboard"


def test_logging_in_before_confirming_sends_a_new_link_a_few_times_a_day(app, browser):
    browser.post("/signup", {**GOOD, "preferred_language": "en"})
    for _ in range(4):
        response = browser.login("marisol.quispe@example.org", GOOD["password"], follow_redirects=True)
        assert "Confirm your e-mail address first" in response.get_data(as_text=True)
    # The sign-up's own link, then three reminders.
    assert len(mails_to(app, "marisol.quispe@example.org")) == 4
    # A wrong password learns nothing about the account's state.
    wrong = browser.login("marisol.quispe@example.org", "not the one I chose")
    assert wrong.status_code == 401
    assert "Confirm your e-mail" not in wrong.get_data(as_text=True)


def test_signing_up_again_before_confirming_replaces_the_first_sign_up(app, factory):
    sign_up(app, GOOD)
    first = mailed_link(app, "marisol.quispe@example.org", "/signup/confirm/")
    sign_up(app, {**GOOD, "name": "Marisol Quispe Huamán", "password": "a second passphrase", "confirm":
                  "a second passphrase"})
    assert count_users(app) == 1
    # Both links work, with the latest password only: the link proves the mailbox, the password the person.
    browser = Browser(app.test_client())
    assert browser.post(first, {"password": GOOD["password"]}).status_code == 422
    assert browser.post(first, {"password": "a second passphrase"}).headers["Location"] == "/dashboard"
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "marisol.quispe@example.org"))
        assert user.name == "Marisol Quispe Huamán" and user.email_confirmed_at is not None


def test_an_address_signed_up_by_someone_else_first_is_not_theirs_to_keep(app):
    # Someone signs up with Marisol's address first, with a password of theirs. They cannot confirm it
    # without her inbox; when she signs up, the account becomes hers and their password stops working.
    sign_up(app, {**GOOD, "password": "squatter passphrase 1", "confirm": "squatter passphrase 1"})
    sign_up(app, GOOD)
    browser = Browser(app.test_client())
    assert confirm(app, browser, password="squatter passphrase 1").status_code == 422
    assert confirm(app, browser).headers["Location"] == "/dashboard"
    assert Browser(app.test_client()).login("marisol.quispe@example.org", "squatter passphrase 1").status_code == 401


def test_signing_up_with_an_invited_address_changes_nothing_of_the_invitation(app, factory):
    admin = Browser(app.test_client())
    admin.login(factory.admin().email)
    admin.post("/admin/users/new", {"name": "Nadia Benali", "email": "marisol.quispe@example.org", "role": "trainer",
                                    "preferred_language": "en"})
    sign_up(app, GOOD)
    with app.app_context():
        invited = db.session.scalar(sa.select(User).where(User.email == "marisol.quispe@example.org"))
        assert (invited.name, invited.role, invited.password_hash) == ("Nadia Benali", Role.TRAINER, "")
    # She is told, as any owner is, and her invitation link still sets her own password.
    [invitation, notice] = mails_to(app, "marisol.quispe@example.org")
    assert "/login" in notice.body and "/signup/confirm/" not in notice.body
    assert "/password/reset/" in invitation.body


@pytest.mark.parametrize("token", ["nonsense", "x" * 10_000, "%00", ""])
def test_a_bad_confirmation_link_gets_a_message(app, browser, token):
    response = browser.client.get(f"/signup/confirm/{token}", follow_redirects=True)
    assert response.status_code in (200, 400, 404)
    if response.status_code == 200:
        assert "This confirmation link is invalid" in response.get_data(as_text=True)


def test_an_expired_confirmation_link_is_refused_and_a_new_sign_up_sends_another(app, browser):
    with time_machine.travel("2026-11-20 10:00:00+00:00", tick=False):
        sign_up(app, {**GOOD, "preferred_language": "en"})
    old = mailed_link(app, "marisol.quispe@example.org", "/signup/confirm/")
    with time_machine.travel("2026-11-22 10:00:01+00:00", tick=False):
        refused = browser.post(old, {"password": GOOD["password"]}, follow_redirects=True)
        assert "has expired" in refused.get_data(as_text=True)
        sign_up(app, {**GOOD, "preferred_language": "en"})
        assert confirm(app, browser).headers["Location"] == "/dashboard"


def test_confirmation_and_password_links_open_only_their_own_page(app, browser):
    sign_up(app, GOOD)
    token = mailed_link(app, "marisol.quispe@example.org", "/signup/confirm/").split("/")[-1].split("?")[0]
    response = browser.client.get(f"/password/reset/{token}", follow_redirects=True)
    assert "has expired or has already been used" in response.get_data(as_text=True)
    browser.post("/password/forgot", {"email": "marisol.quispe@example.org"})
    reset = mailed_link(app, "marisol.quispe@example.org", "/password/reset/").split("/")[-1]
    assert "This confirmation link is invalid" in browser.client.get(
        f"/signup/confirm/{reset}", follow_redirects=True).get_data(as_text=True)


def test_a_lost_confirmation_can_be_replaced_by_choosing_a_new_password(app, browser):
    # The reset link also reaches the mailbox: choosing a password from it confirms the address.
    sign_up(app, GOOD)
    browser.post("/password/forgot", {"email": "marisol.quispe@example.org"})
    link = mailed_link(app, "marisol.quispe@example.org", "/password/reset/")
    assert browser.post(link, {"password": "a fresh passphrase 42", "confirm": "a fresh passphrase 42"}).status_code == 302
    assert browser.login("marisol.quispe@example.org", "a fresh passphrase 42").headers["Location"] == "/dashboard"


def test_the_check_your_e_mail_page_needs_a_sign_up_first(client):
    assert client.get("/signup/sent").headers["Location"] == "/signup"


def test_signup_form_offers_localized_countries_and_every_choice(client):
    page = client.get("/signup?lang=fr").get_data(as_text=True)
    assert '<option value="DE">Allemagne</option>' in page
    assert "Préfère ne pas le dire" in page or "Prefer not to say" in page
    for value in ("government", "workers", "employers", "other", "undisclosed", "en", "fr", "es"):
        assert f'value="{value}"' in page
    # The form says, before it is sent, that the address will be confirmed by e-mail.
    assert "Nous vous enverrons un lien par courriel" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid e-mail address."),
        ({"password": "short1", "confirm": "short1"}, "password", "at least 10 characters"),
        ({"password": "password123", "confirm": "password123"}, "password", "too common"),
        ({"password": "1234567890", "confirm": "1234567890"}, "password", "too common"),
        ({"confirm": "something else entirely"}, "confirm", "do not match"),
        ({"name": "x" * 10_000}, "name", "longer than 120"),
        ({"name": "   "}, "name", "This field is required."),
        ({"country": "XX"}, "country", "Not a valid choice"),
        ({"preferred_language": "de"}, "preferred_language", "Not a valid choice"),
        ({"constituency": "press"}, "constituency", "Not a valid choice"),
        ({"sex": ""}, "sex", "This field is required."),
        ({"accept_privacy": ""}, "accept_privacy", "accept the data notice"),
        ({"organisation": "o" * 201}, "organisation", "longer than 200"),
    ],
)
def test_bad_signup_input_gets_a_message_and_creates_nothing(app, browser, changes, field, message):
    before = count_users(app)
    data = {**GOOD, **changes}
    response = browser.post("/signup", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    assert 'aria-invalid="true"' in page
    assert count_users(app) == before


def sign_up(app, data: dict, **kwargs):
    """Sign up from a new browser; its response and the messages waiting to be shown on the next page."""
    browser = Browser(app.test_client())
    response = browser.post("/signup", data, **kwargs)
    with browser.client.session_transaction() as session:
        flashes = list(session.get("_flashes", []))
    return response, flashes


def mails_to(app, address: str) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)))


def test_a_known_address_gets_the_same_answer_as_a_new_one(app, factory):
    owner = factory.participant(email="marisol.quispe@example.org", name="Marisol Q.")
    before = count_users(app)
    known, known_flashes = sign_up(app, {**GOOD, "email": "MARISOL.QUISPE@EXAMPLE.ORG"})
    new, new_flashes = sign_up(app, {**GOOD, "email": "someone.new@example.org"})
    assert known.status_code == new.status_code == 302
    assert known.headers["Location"] == new.headers["Location"] == "/signup/sent"
    assert known_flashes == new_flashes
    assert "already" not in str(known_flashes)
    # Nothing about the existing account changed, and no second account exists.
    assert count_users(app) == before + 1
    kept = reload(app, User, owner.id)
    assert (kept.name, kept.password_hash) == (owner.name, owner.password_hash)


def test_the_owner_of_a_known_address_is_told_by_e_mail(app, factory, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://passage.example.org")
    factory.participant(email="marisol.quispe@example.org", preferred_language="fr")
    sign_up(app, {**GOOD, "email": "marisol.quispe@example.org"})
    [mail] = mails_to(app, "marisol.quispe@example.org")
    # In the owner's language, with links from the configured address, never from the request.
    assert "Passage" in mail.subject and "compte" in mail.body
    assert "https://passage.example.org/login" in mail.body
    assert "https://passage.example.org/password/forgot" in mail.body
    assert "http://localhost" not in mail.body
    # A new account gets its confirmation link instead.
    sign_up(app, {**GOOD, "email": "someone.new@example.org"})
    [confirmation] = mails_to(app, "someone.new@example.org")
    assert "https://passage.example.org/signup/confirm/" in confirmation.body


def test_the_owner_is_not_flooded_with_notices(app, factory):
    factory.participant(email="marisol.quispe@example.org")
    for _ in range(6):
        assert sign_up(app, {**GOOD, "email": "marisol.quispe@example.org"})[0].status_code == 302
    assert len(mails_to(app, "marisol.quispe@example.org")) == 3


def test_a_deactivated_account_gets_no_notice(app, factory):
    user = factory.participant(email="gone@example.org")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert sign_up(app, {**GOOD, "email": "gone@example.org"})[0].status_code == 302
    assert mails_to(app, "gone@example.org") == []


def test_a_weak_password_is_refused_the_same_way_for_a_known_address(app, factory):
    factory.participant(email="marisol.quispe@example.org")
    weak = {"password": "password123", "confirm": "password123"}
    known, _flashes = sign_up(app, {**GOOD, **weak})
    new, _flashes = sign_up(app, {**GOOD, **weak, "email": "someone.new@example.org"})
    assert known.status_code == new.status_code == 422
    assert "already" not in known.get_data(as_text=True)


def median_seconds(app, data: dict, runs: int = 5) -> float:
    times = []
    for run in range(runs):
        started = time.perf_counter()
        response, _flashes = sign_up(app, {**data, "email": data["email"].format(run=run)})
        times.append(time.perf_counter() - started)
        assert response.status_code == 302
    return statistics.median(times)


def test_a_known_address_takes_as_long_as_a_new_one(app, factory, monkeypatch):
    # The production cost of hashing: the part a probe would time.
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    factory.participant(email="marisol.quispe@example.org")
    sign_up(app, {**GOOD, "email": "warm.up@example.org"})
    known = median_seconds(app, {**GOOD, "email": "marisol.quispe@example.org"})
    new = median_seconds(app, {**GOOD, "email": "new.{run}@example.org"})
    assert 0.5 < known / new < 2, (known, new)


def test_sign_ups_are_limited_per_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNUP_LIMIT_PER_ADDRESS", "3 per hour")
    # Forms with a mistake create nothing and cost nothing: they do not count.
    for _ in range(5):
        assert sign_up(app, {**GOOD, "confirm": "something else"})[0].status_code == 422
        assert Browser(app.test_client()).client.post("/signup", data=GOOD).status_code == 400
    statuses = [sign_up(app, {**GOOD, "email": f"person.{n}@example.org"})[0].status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    response, _flashes = sign_up(app, {**GOOD, "email": "one.more@example.org"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert count_users(app) == 3


def test_empty_signup_form_lists_every_missing_field(app, browser):
    response = browser.post("/signup", {})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count("This field is required.") >= 4
    assert count_users(app) == 0


def test_signup_without_csrf_token_is_refused(app, client):
    response = client.post("/signup", data=GOOD)
    assert response.status_code == 400
    assert count_users(app) == 0


def test_password_containing_the_email_is_refused(app, browser):
    response = browser.post("/signup", {**GOOD, "password": "marisol.quispe2026", "confirm": "marisol.quispe2026"})
    assert response.status_code == 422
    assert "must not contain your name or e-mail" in response.get_data(as_text=True)


def test_signing_up_from_the_login_page_returns_to_the_chosen_page(app, browser, factory):
    workshop = factory.workshop()
    target = f"/workshops/{workshop.slug}/register"
    login = browser.client.get(f"/login?next={target}").get_data(as_text=True)
    assert f'href="/signup?next=/workshops/{workshop.slug}/register"' in login
    signup = browser.client.get(f"/signup?next={target}").get_data(as_text=True)
    assert f'href="/login?next=/workshops/{workshop.slug}/register"' in signup  # and back, keeping it
    response = browser.post(f"/signup?next={target}", {**GOOD, "preferred_language": "en"})
    assert response.headers["Location"] == "/signup/sent"
    # The link may be opened on another device: where to go on is kept with it, not in this browser.
    elsewhere = Browser(app.test_client())
    response = confirm(app, elsewhere)
    assert response.status_code == 302
    assert response.headers["Location"] == target
    assert elsewhere.client.get(target).status_code == 200


def test_a_failed_signup_keeps_the_page_to_return_to(app, browser, factory):
    response = browser.post("/signup?next=/workshops/", {**GOOD, "confirm": "something else"})
    assert response.status_code == 422
    # The form posts to its own address, so the next try still carries `next`.
    assert re.search(r'<form method="post" novalidate>', response.get_data(as_text=True))
    browser.post("/signup?next=/workshops/", GOOD)
    assert confirm(app, browser).headers["Location"] == "/workshops/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                                    "/" + "x" * 10_000, ""])
def test_signup_never_sends_anyone_to_another_site(app, browser, target):
    page = browser.client.get("/signup", query_string={"next": target}).get_data(as_text=True)
    assert 'href="/login">' in page  # the link to log in instead carries no unsafe `next`
    response = browser.post("/signup?" + urlencode({"next": target}), GOOD)
    assert response.status_code == 302
    assert confirm(app, browser).headers["Location"] == "/dashboard"


def test_signing_up_when_logged_in_goes_to_the_chosen_page(app, browser, factory):
    browser.login(factory.participant().email)
    assert browser.client.get("/signup?next=/workshops/").headers["Location"] == "/workshops/"
    assert browser.client.get("/signup?next=//evil.example").headers["Location"] == "/dashboard"


def test_the_welcome_is_in_the_language_chosen_on_the_form(app, browser):
    # The page was read in English, but Spanish was chosen as the preferred language: the page saying
    # where the link went, the link's page and the welcome after it are all in Spanish, even on
    # another device whose browser asks for English.
    response = browser.post("/signup", GOOD, headers={"Accept-Language": "en"})
    assert "Revise su correo" in browser.client.get(response.headers["Location"]).get_data(as_text=True)
    phone = Browser(app.test_client())
    link = mailed_link(app, "marisol.quispe@example.org", "/signup/confirm/")
    assert "Confirmar e iniciar sesión" in phone.client.get(link, headers={"Accept-Language": "en"}).get_data(as_text=True)
    response = phone.post(link, {"password": GOOD["password"]}, headers={"Accept-Language": "en"})
    page = phone.client.get(response.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Le damos la bienvenida a Passage, Marisol Quispe. Su cuenta está lista." in page
