"""Plain helpers shared by test modules (fixtures live in conftest.py, builders in factories.py).

Test modules import from here, never from conftest.py or from another test module.
"""
import email
import email.policy
import re
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.mail.models import OutboxMessage
from config import TestingConfig
from tests.factories import DEFAULT_PASSWORD

# A registration form that passes validation (add "working_language" the workshop offers).
REGISTRATION_FORM = {
    "name": "Ana Pérez", "country": "GT", "organisation": "Ministerio de Trabajo", "constituency": "government",
    "sex": "female", "working_language": "fr", "motivation": "I coordinate labour migration policy.",
    "accept_privacy": "y",
}

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
CSRF_REFUSED = "The form had expired or was sent from elsewhere"


def make_config(database_url: str, **overrides):
    """A configuration class for create_app(): the test settings on the given database."""
    return type("TestConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, **overrides})


def csrf_token(client, path: str = "/privacy") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


class Browser:
    """The flaskr-style helper: a test client that fills forms with their CSRF token.

    `post` fetches a fresh token each time; `post_with(token, ...)` reuses one already fetched
    (the token stays valid for the session until it is cleared, e.g. by logging out).
    """

    def __init__(self, client):
        self.client = client

    def post(self, path: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", csrf_token(self.client))
        return self.client.post(path, data=data, **kwargs)

    def login(self, email: str, password: str = DEFAULT_PASSWORD, **kwargs):
        return self.post("/login", {"email": email, "password": password}, **kwargs)

    def logout(self):
        return self.post("/logout")


SCREENSHOTS = Path(__file__).parent / "browser" / "screenshots"


def mailed_link(app, address: str, path: str) -> str:
    """The path of the link starting with `path` in the latest e-mail to `address` (its PUBLIC_URL removed)."""
    with app.app_context():
        body = db.session.scalar(sa.select(OutboxMessage.body).where(OutboxMessage.recipient == address)
                                 .order_by(OutboxMessage.id.desc()))
    assert body, f"no e-mail to {address} in the outbox"
    base = re.escape(app.config["PUBLIC_URL"].rstrip("/"))
    found = re.search(base + "(" + re.escape(path) + r"\S+)", body)
    assert found, f"no {path} link in: {body}"
    return found.group(1)


def screenshot(page, name: str) -> Path:
    """Browser tests: a full-page PNG under tests/browser/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base_url: str, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Browser tests: log in through the form and wait until the login page is left."""
    page.goto(base_url + "/login?lang=en")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def all_at_once(browsers, path: str, data: dict) -> list:
    """POST the same form from every client at the same instant; the responses."""
    forms = [{**data, "csrf_token": csrf_token(browser.client)} for browser in browsers]
    return together([
        lambda browser=browser, form=form: browser.client.post(path, data=form)
        for browser, form in zip(browsers, forms)
    ])


def together(calls) -> list:
    """Run the calls in threads released from one barrier; their results, in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free local port, keeping every message it accepts.

    `down()` starts an outage: every recipient gets 451, a temporary failure, as from a server
    that is overloaded or being restarted; `up()` ends it. `refuse(address)` answers 550 (a
    permanent failure) for that address; `hang_up(address)` drops the connection instead.
    `closed_port()` is a port where nothing listens.
    """

    def __init__(self):
        self.messages: list = []
        self.refused: set[str] = set()
        self.hang_up_on: set[str] = set()
        self.is_down = False
        self.controller = Controller(self, hostname="127.0.0.1", port=self.closed_port())

    @staticmethod
    def closed_port() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def down(self) -> None:
        self.is_down = True

    def up(self) -> None:
        self.is_down = False

    def refuse(self, address: str) -> None:
        self.refused.add(address)

    def hang_up(self, address: str) -> None:
        self.hang_up_on.add(address)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.hang_up_on:
            server.transport.close()
            return "421 4.3.2 Closing connection"
        if self.is_down:
            return "451 4.3.0 Service unavailable, try again later"
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


def get_paths(app, values: dict) -> list[str]:
    """Every GET URL of the app, its arguments filled from `values` (1 where missing)."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:[a-z]+:)?{name}>", str(values.get(name, 1)), path)
        paths.append(path)
    return paths
