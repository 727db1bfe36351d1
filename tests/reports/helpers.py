"""Building the reports' scenes straight in the database, and reading the pages back (tables, SVG charts)."""
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser

import sqlalchemy as sa

from app.attendance.models import Attendance, AttendanceStatus, MarkSource
from app.core.timeutil import utcnow
from app.courses.models import Section
from app.extensions import db
from app.progress.models import ModuleProgress
from app.workshops.models import Registration, WorkshopSession

SVG_NS = "{http://www.w3.org/2000/svg}"


def register(app, workshop_id, entries):
    """entries: (user, status, cohort id, constituency)."""
    with app.app_context():
        number = db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                                   .where(Registration.workshop_id == workshop_id))
        for i, (user, status, cohort_id, constituency) in enumerate(entries, start=number + 1):
            db.session.add(Registration(workshop_id=workshop_id, user_id=user.id, status=status, sequence=i,
                                        constituency=constituency, working_language="en", consent_at=utcnow(),
                                        cohort_id=cohort_id))
        db.session.commit()


def add_session(app, workshop_id, title, starts_in_minutes, cohort_id=None) -> int:
    with app.app_context():
        start = utcnow() + timedelta(minutes=starts_in_minutes)
        session = WorkshopSession(workshop_id=workshop_id, title={"en": title}, cohort_id=cohort_id, starts_at=start,
                                  ends_at=start + timedelta(minutes=60))
        db.session.add(session)
        db.session.commit()
        return session.id


def mark(app, session_id, marks: dict):
    with app.app_context():
        for user, status in marks.items():
            db.session.add(Attendance(session_id=session_id, user_id=user.id, status=AttendanceStatus(status),
                                      source=MarkSource.TRAINER))
        db.session.commit()


def progress(app, user, module_id, read: int, score=None, completed=False):
    with app.app_context():
        sections = db.session.scalars(sa.select(Section.id).where(Section.module_id == module_id)
                                      .order_by(Section.position)).all()
        db.session.add(ModuleProgress(user_id=user.id, module_id=module_id, sections_read=list(sections[:read]),
                                      best_score=score, quiz_passed=completed, completed_at=utcnow() if completed else None))
        db.session.commit()


class Tables(HTMLParser):
    """Every <table> of a page as a list of rows, each a list of its cells' whitespace-collapsed text."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> list[list[list[str]]]:
    return Tables(response.get_data(as_text=True)).tables


def as_dict(table) -> dict[str, list[str]]:
    """Rows keyed by their first cell (header row included)."""
    return {row[0]: row[1:] for row in table if row}


def svgs(response) -> list[ET.Element]:
    """Every inline <svg> of the page, parsed as XML: a malformed one fails here."""
    return [ET.fromstring(match) for match in re.findall(r"<svg\b.*?</svg>", response.get_data(as_text=True), re.DOTALL)]


def texts(svg: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in svg.iter(f"{SVG_NS}text")]


def title(svg: ET.Element) -> str:
    return svg.find(f"{SVG_NS}title").text
