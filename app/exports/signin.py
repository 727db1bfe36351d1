"""The printable sign-in sheet of a session: A4, names sorted, an empty column to sign in.

Names are set in DejaVu Sans (static/fonts/, with its licence), which covers Latin with every
diacritic we expect (Nguyễn, Ṣàngó, Đorđević), Greek, Cyrillic and Arabic; text shaping
(uharfbuzz) joins Arabic letters and lays right-to-left names out in the right order.
"""
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from app.attendance.roster import expected_query
from app.auth.models import User
from app.core.i18n import country_choices
from app.extensions import db
from app.workshops.display import session_day, session_hours, zone_name
from app.workshops.models import Workshop, WorkshopSession

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT = "DejaVuSans"
COLUMNS = (12, 58, 50, 30, 40)  # no., name, organisation, country, signature: 190 mm inside 10 mm margins


class SignInSheet(FPDF):
    """Each page repeats the session's header, so a loose page still says what was signed."""

    def __init__(self):
        super().__init__(format="A4", unit="mm")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_text_shaping(True)
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(True, margin=15)
        self.heading: list[tuple[str, int, str]] = []  # (text, size, style) lines of the current session

    def header(self):
        for text, size, style in self.heading:
            self.set_font(FONT, style, size)
            self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, _("Page %(number)d", number=self.page_no()), align="R")


def _heading(workshop: Workshop, session: WorkshopSession) -> list[tuple[str, int, str]]:
    """In the reader's language (the workshop's first one where a text is missing)."""
    place = ", ".join(part for part in (workshop.t_venue(), " ".join(workshop.t_address().split()), session.room) if part)
    return [
        (_("Sign-in sheet"), 9, ""),
        (workshop.t_title(), 14, "B"),
        (workshop.text(session.title), 12, "B"),
        (f"{session_day(session, workshop)}, {session_hours(session, workshop)} ({zone_name(workshop)})", 10, ""),
        (_("Venue: %(place)s", place=place), 10, ""),
    ]


def participants(session: WorkshopSession) -> list[tuple[str, str | None, str | None]]:
    """(name, organisation, country code) of everyone expected, sorted by name as on the roster."""
    return list(db.session.execute(
        expected_query(session).with_only_columns(User.name, User.organisation, User.country)
        .order_by(sa.func.lower(User.name), User.id)
    ))


def signin_pdf(workshop: Workshop, sessions: list[WorkshopSession]) -> bytes:
    """One sheet per session, each starting on a new page; one query per session."""
    countries = dict(country_choices())
    pdf = SignInSheet()
    pdf.set_title(_("Sign-in sheet") + f": {workshop.t_title()}")
    pdf.set_creator("Passage")
    if not sessions:
        pdf.heading = [(workshop.t_title(), 14, "B")]
        pdf.add_page()
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 6, _("This workshop has no session yet."))
    for session in sessions:
        pdf.heading = _heading(workshop, session)
        pdf.add_page()
        people = participants(session)
        pdf.set_font(FONT, "", 10)
        if not people:
            pdf.multi_cell(0, 6, _("Nobody is expected at this session yet."))
            continue
        with pdf.table(col_widths=COLUMNS, line_height=6, padding=(3, 2), repeat_headings=1, text_align="LEFT",
                       headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230))) as table:
            table.row([_("No."), _("Name"), _("Organisation"), _("Country"), _("Signature")])
            for number, (name, organisation, country) in enumerate(people, start=1):
                table.row([str(number), name, organisation or "", countries.get(country, country or ""), ""])
    return bytes(pdf.output())
