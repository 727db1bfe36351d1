"""The certificate as a one-page A4 landscape PDF in the participant's language, with a QR code to its check page.

DejaVu Sans (static/fonts/, with its licence) prints Latin with any diacritics (Nguyễn, Đorđević),
Greek and Cyrillic names; fpdf2 embeds only the glyphs used.
"""
import io
from pathlib import Path

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.auth.models import User
from app.certificates.models import Certificate, CertificateKind
from app.core.i18n import is_supported
from app.workshops.display import workshop_dates
from app.workshops.models import Venue, Workshop

FONT = "DejaVu"
WIDTH, HEIGHT = 297, 210  # A4 landscape, in mm
TEXT_WIDTH = 237  # leaves room for the frame
INK = (27, 31, 36)
ACCENT = (0, 84, 147)


def font_dir() -> Path:
    return Path(current_app.static_folder) / "fonts"


def hours_text(minutes: int, language: str) -> str:
    """90 minutes as "1.5" (en), "1,5" (fr, es)."""
    return format_decimal(round(minutes / 60, 1), format="#,##0.#", locale=language)


def render(certificate: Certificate, user: User, workshop: Workshop, verify_url: str) -> bytes:
    """The PDF's bytes, written in the participant's preferred language (English if it is not offered)."""
    language = user.preferred_language if is_supported(user.preferred_language) else "en"
    with force_locale(language):
        return _render(certificate, user, workshop, verify_url, language)


def _render(certificate: Certificate, user: User, workshop: Workshop, verify_url: str, language: str) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", str(font_dir() / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(font_dir() / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{certificate.kind.label}: {user.name}")
    pdf.set_author("Passage")
    pdf.set_lang(language)
    pdf.add_page()
    pdf.set_text_color(*INK)

    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, WIDTH - 20, HEIGHT - 20)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, WIDTH - 28, HEIGHT - 28)

    left = (WIDTH - TEXT_WIDTH) / 2
    pdf.set_xy(left, 32)
    _line(pdf, "Passage", size=11, bold=True, color=ACCENT)
    pdf.ln(4)
    _line(pdf, certificate.kind.label, size=26, bold=True)
    pdf.ln(6)
    _line(pdf, _("This certifies that"), size=13)
    pdf.ln(2)
    _line(pdf, user.name, size=_fitting_size(pdf, user.name, largest=30, smallest=14), bold=True)
    pdf.ln(2)
    if certificate.kind == CertificateKind.COMPLETION:
        _line(pdf, _("took part in the workshop and completed every module of its course"), size=13)
    else:
        _line(pdf, _("took part in the workshop"), size=13)
    pdf.ln(2)
    _line(pdf, workshop.t_title(language), size=18, bold=True)
    pdf.ln(3)
    _line(pdf, f"{workshop_dates(workshop)} · {_place(workshop, language)}", size=12)
    pdf.ln(1)
    _line(pdf, _("Hours attended: %(hours)s", hours=hours_text(certificate.minutes_attended, language)), size=12)

    pdf.set_xy(24, 160)
    pdf.set_font(FONT, "", 10)
    pdf.cell(200, 6, _("Issued on %(date)s", date=format_date(certificate.issued_at.date(), format="long", locale=language)),
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(24)
    pdf.cell(200, 6, _("Certificate code: %(code)s", code=certificate.code), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(24)
    pdf.set_text_color(*ACCENT)
    pdf.cell(200, 6, _("Check it at %(url)s", url=verify_url), link=verify_url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    qr = io.BytesIO()
    segno.make_qr(verify_url, error="m").save(qr, kind="png", scale=10, border=1)
    qr.seek(0)
    pdf.image(qr, x=WIDTH - 24 - 36, y=HEIGHT - 24 - 36, w=36, h=36, alt_text=verify_url)
    return bytes(pdf.output())


def _place(workshop: Workshop, language: str) -> str:
    """Where it took place: a venue elsewhere as written ("Hotel Terrou-Bi, Dakar"); on campus, the first line
    of its address when there is one ("ITC-ILO campus, Turin"); else "On campus" or "Online"."""
    address = workshop.t_address(language).strip()
    if workshop.venue == Venue.CAMPUS and address:
        return address.splitlines()[0]
    return workshop.t_venue(language)


def _line(pdf: FPDF, text: str, *, size: float, bold: bool = False, color=INK) -> None:
    """One centred paragraph; a long one wraps onto the next line."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.set_x((WIDTH - TEXT_WIDTH) / 2)
    pdf.multi_cell(TEXT_WIDTH, size * 0.5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _fitting_size(pdf: FPDF, text: str, *, largest: int, smallest: int) -> int:
    """The largest font size at which `text` fits on one line (a very long name still wraps at `smallest`)."""
    for size in range(largest, smallest - 1, -1):
        pdf.set_font(FONT, "B", size)
        if pdf.get_string_width(text) <= TEXT_WIDTH:
            return size
    return smallest
