"""Key pages pass axe-core with no serious or critical violations, at phone width, in Chromium."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers import log_in

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-pass-2026"  # the demo accounts are only read here, never changed

PAGES = {
    None: ["/", "/login", "/signup", "/privacy", "/workshops/", "/workshops/inter-regional-labour-migration/"],
    "participant": ["/dashboard", "/courses/labour-migration/", "/courses/labour-migration/governance/why-governance/",
                    "/courses/labour-migration/governance/quiz", "/account",
                    "/workshops/governing-labour-migration-course/register"],
    "trainer": ["/trainer/", "/trainer/workshops/inter-regional-labour-migration/",
                "/trainer/workshops/inter-regional-labour-migration/cohorts",
                "/trainer/workshops/inter-regional-labour-migration/sessions"],
    "admin": ["/admin/", "/admin/workshops/", "/admin/workshops/new", "/admin/outbox/"],
}


@pytest.mark.parametrize("who", list(PAGES), ids=lambda who: who or "visitor")
def test_no_serious_accessibility_violations(live_server, new_page, who):
    page = new_page(bypass_csp=True)
    if who:
        log_in(page, live_server, f"{who}@example.org", DEMO_PASSWORD)
    axe = Axe()
    problems = []
    for path in PAGES[who]:
        page.goto(live_server + path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    assert not problems, "\n".join(problems)
