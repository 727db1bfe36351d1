"""Every real section page, with its stylesheet, fits the budget of a slow phone link."""
import gzip
import re

import sqlalchemy as sa

from app.courses.models import Course, Module, Section
from app.extensions import db

RAW_BUDGET, COMPRESSED_BUDGET = 30_000, 14_000


def test_section_pages_fit_the_budget(app, runner, browser, factory):
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    browser.login(factory.participant().email)
    with app.app_context():
        paths = [f"/courses/{course}/{module}/{section}/" for course, module, section in db.session.execute(
            sa.select(Course.key, Module.key, Section.key).join(Module, Module.course_id == Course.id)
            .join(Section, Section.module_id == Module.id)
            .where(Section.retired_at.is_(None), Module.retired_at.is_(None), Course.retired_at.is_(None)))]
    css = browser.client.get("/static/css/passage.css").data
    sizes = []
    for path in paths:
        response = browser.client.get(path)
        assert response.status_code == 200
        html = response.data
        # Only our stylesheet and icon are fetched: at most three requests, none to another site.
        assets = re.findall(rb'(?:href|src)="([^"#]+\.(?:css|svg|js|png|woff2?))"', html)
        assert set(assets) <= {b"/static/css/passage.css", b"/static/img/favicon.svg"}
        assert b"http://" not in html.replace(b'http://localhost', b'') and b"https://" not in html.split(b"<main")[0]
        raw = len(html) + len(css)
        compressed = len(gzip.compress(html, 6)) + len(gzip.compress(css, 6))
        sizes.append((raw, compressed, path))
    worst_raw, worst_compressed = max(s[0] for s in sizes), max(s[1] for s in sizes)
    print(f"{len(paths)} section pages: largest {worst_raw} B raw, {worst_compressed} B gzip (with CSS {len(css)} B)")
    assert worst_raw < RAW_BUDGET and worst_compressed < COMPRESSED_BUDGET, max(sizes)


def test_pages_are_served_compressed(browser, factory):
    browser.login(factory.participant().email)
    response = browser.client.get("/courses/", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") in ("gzip", "br")
