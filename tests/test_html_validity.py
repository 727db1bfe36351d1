"""The main pages of each role, and a form sent back with errors, pass the Nu HTML Checker with no error.

vnu.jar comes from the npm registry (the `vnu-jar` package, pinned) into .cache/vnu, once; it runs on
the machine's Java. Without Java or npm the test is skipped, except on CI (CI=true), where it fails.
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.models import OutboxMessage
from app.workshops.models import RegistrationStatus
from tests.attendance.helpers import add_registrations, add_session
from tests.helpers import REGISTRATION_FORM, mailed_link

VNU_VERSION = "26.9.27"
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "vnu"
JAR = CACHE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"the Nu HTML Checker cannot run on CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    if shutil.which("java") is None:
        _unavailable("Java is not installed: the Nu HTML Checker (vnu.jar) needs it")
    installed = CACHE / "node_modules" / "vnu-jar" / "package.json"
    if not JAR.exists() or json.loads(installed.read_text()).get("version") != VNU_VERSION:
        if shutil.which("npm") is None:
            _unavailable("npm is not installed: it fetches vnu-jar from the npm registry")
        done = subprocess.run(["npm", "install", "--prefix", str(CACHE), "--no-save", "--no-audit", "--no-fund",
                               f"vnu-jar@{VNU_VERSION}"], capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0 or not JAR.exists():
            _unavailable(f"npm could not install vnu-jar@{VNU_VERSION}: {done.stderr[-500:]}")
    return JAR


def _pages(app, factory, browser):
    """(name, path, who, method) for each page checked: the main pages of each role."""
    course = factory.course()
    trainer = factory.trainer()
    admin = factory.admin()
    participant = factory.participant()
    workshop = factory.workshop(trainers=[trainer], course_id=None)
    full = factory.workshop(trainers=[trainer], capacity=1)
    others = [factory.participant() for _ in range(3)]
    add_registrations(app, workshop.id, [(person, None) for person in others])
    add_registrations(app, full.id, [(others[0], None)])
    add_registrations(app, full.id, [(others[1], None)], status=RegistrationStatus.WAITLISTED, start=1)
    session_id = add_session(app, workshop.id, "Opening plenary", starts_in_minutes=-30)
    with app.app_context():  # the outbox page with one abandoned message and one waiting after a failure
        db.session.add_all([OutboxMessage(recipient="gone@example.net", subject="Hello", body="B", attempts=16,
                                          abandoned_at=utcnow(), last_error="550 No such user"),
                            OutboxMessage(recipient="later@example.net", subject="Hello", body="B", attempts=2,
                                          last_error="451 Try again later")])
        db.session.commit()
    slug, module = workshop.slug, f"/courses/{course}/module-1"
    return {
        None: ["/", "/login", "/signup", "/workshops/", f"/workshops/{slug}/", f"/workshops/{full.slug}/", "/privacy",
               "/password/forgot", "/no-such-page"],
        participant: ["/dashboard", f"{module}/section-1/", f"{module}/quiz", f"/workshops/{slug}/register",
                      f"/workshops/{full.slug}/register", "/account", "/courses/", f"/courses/{course}/",
                      f"/courses/{course}/glossary", "/checkin/", "/account/delete"],
        trainer: ["/trainer/", f"/trainer/workshops/{slug}/", f"/trainer/workshops/{slug}/cohorts",
                  f"/trainer/workshops/{slug}/sessions", f"/trainer/workshops/{slug}/sessions/{session_id}/attendance",
                  f"/trainer/workshops/{slug}/sessions/{session_id}/attendance/close",
                  f"/trainer/workshops/{slug}/sessions/{session_id}/edit",
                  f"/trainer/workshops/{slug}/progress", f"/trainer/workshops/{slug}/report"],
        admin: ["/admin/", "/admin/workshops/", "/admin/workshops/new", f"/admin/workshops/{slug}/edit",
                f"/admin/workshops/{slug}/", f"/admin/workshops/{slug}/report", f"/admin/workshops/{slug}/certificates",
                "/admin/users/new", f"/admin/users/{others[0].id}/",
                "/admin/outbox/"],
    }, slug


def test_main_pages_have_no_html_errors(app, factory, browser, vnu_jar, tmp_path):
    pages, slug = _pages(app, factory, browser)
    files = {}
    for who, paths in pages.items():
        browser.logout()
        if who is not None:
            browser.login(who.email)
        for path in paths:
            response = browser.client.get(path)
            assert response.status_code == (404 if path == "/no-such-page" else 200), path
            files[path] = response.get_data(as_text=True)
        if who is not None and who.role.value == "participant":
            # A form sent back with its errors: the summary, the fields marked invalid.
            response = browser.post(f"/workshops/{slug}/register", {**REGISTRATION_FORM, "motivation": "",
                                                                   "working_language": ""})
            assert response.status_code == 422
            files["register (errors)"] = response.get_data(as_text=True)
    browser.logout()
    response = browser.post("/signup", {"name": "", "email": "x"})
    files["signup (errors)"] = response.get_data(as_text=True)
    # A complete sign-up: the page saying where the link went, and the link's page.
    password = "valid markup matters"
    assert browser.post("/signup", {"name": "Nu Checker", "email": "nu.checker@example.org", "password": password,
                                    "confirm": password, "country": "FR", "constituency": "other", "sex": "other",
                                    "preferred_language": "fr", "accept_privacy": "y"}).status_code == 302
    files["/signup/sent"] = browser.client.get("/signup/sent").get_data(as_text=True)
    files["/signup/confirm/…"] = browser.client.get(
        mailed_link(app, "nu.checker@example.org", "/signup/confirm/")).get_data(as_text=True)
    written = {}
    for number, (path, html) in enumerate(files.items()):
        target = tmp_path / f"page{number:02d}.html"
        target.write_text(html, encoding="utf-8")
        written[target.name] = path
    done = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json",
                           *[str(tmp_path / f"page{n:02d}.html") for n in range(len(files))]],
                          capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    errors = [f"{written.get(m.get('url', '').rpartition('/')[2], m.get('url'))}:{m.get('lastLine')}: {m['message']} — {m.get('extract', '')!r}"
              for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors)
    assert len(files) >= 20
