"""Whatever a user types into any URL or form, as any role, the answer is never a 500."""
import re

import pytest

from app.core.permissions import Role
from tests.helpers import CSRF_REFUSED, csrf_token

NASTY = ["99999999999999999999", "2147483648", "", "x" * 10_000, "-1", "0", "999999999999999999999", "abc", "<script>alert(1)</script>", "'; DROP TABLE users; --",
         "%00", "\u202e\u0000", "🙂" * 50]


def paths(rule: str, workshop_slug: str) -> list[str]:
    """The rule with real keys filled in; with an id beyond any database integer too."""
    values = {"slug": workshop_slug, "course_key": "demo-course", "module_key": "module-1", "section_key": "section-1",
              "token": "not-a-token", "filename": "css/passage.css"}

    def filled(huge: bool) -> str:
        def replace(match):
            converter, _, name = match.group(1).rpartition(":")
            if converter == "int":
                return "99999999999" if huge else "1"
            return values.get(name, "x")

        return re.sub(r"<([^>]+)>", replace, rule)

    return [filled(False), filled(True)] if "<int:" in rule else [filled(False)]


@pytest.mark.parametrize("role", [None, Role.PARTICIPANT, Role.TRAINER, Role.ADMIN], ids=lambda r: r or "visitor")
def test_garbage_never_causes_a_server_error(app, browser, factory, role):
    factory.course()
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    user = trainer if role == Role.TRAINER else factory.user(role) if role else None
    if user:
        browser.login(user.email)
    token = csrf_token(browser.client)  # one per session: every POST below reuses it
    seen = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("auth.logout", "static") or "delete" in rule.rule:
            continue
        for path, value in [(p, v) for p in paths(rule.rule, workshop.slug) for v in NASTY]:
            if "GET" in rule.methods:
                response = browser.client.get(path, query_string={"page": value, "q": value, "status": value,
                                                                  "cohort": value, "lang": value, "next": value})
                assert response.status_code < 500, f"GET {path} with {value[:20]!r}: {response.status_code}"
                # A streamed download holds its request's context until the server closes it, as every
                # WSGI server does (PEP 3333); the test client leaves closing to us.
                response.close()
            if "POST" in rule.methods:
                data = {name: value for name in ("email", "password", "name", "country", "lang", "next", "action",
                                                 "ids", "cohort", "reason", "title", "starts_at", "ends_at", "role",
                                                 "active", "motivation", "working_language", "capacity", "slug",
                                                 "starts_on", "ends_on", "timezone", "q1", "confirm")}
                response = browser.client.post(path, data={**data, "csrf_token": token})
                assert response.status_code < 500, f"POST {path} with {value[:20]!r}: {response.status_code}"
                # The garbage must reach the view, not stop at a stale token.
                assert CSRF_REFUSED not in response.get_data(as_text=True), f"POST {path}: the CSRF token was refused"
            seen += 1
    assert seen > 200
