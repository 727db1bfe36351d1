"""The sign-in sheet, read back with a PDF text extractor: every script prints, Arabic in reading order."""
import io

from pypdf import PdfReader

from tests.attendance.helpers import add_session
from tests.exports.helpers import PEOPLE


def sheet(browser, world, query="", status=200, user=None):
    browser.login((user or world.trainer).email)
    response = browser.client.get(f"/trainer/workshops/{world.workshop.slug}/signin-sheet.pdf{query}")
    assert response.status_code == status
    return response


def text_of(response) -> str:
    assert response.get_data().startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)


def test_a_session_sheet_lists_its_people_sorted_with_organisation_and_country(browser, world):
    response = sheet(browser, world, f"?session={world.sessions['a']}")
    assert response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{world.workshop.slug}-signin-sheet-{world.sessions["a"]}.pdf"')
    reader = PdfReader(io.BytesIO(response.get_data()))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = text_of(response)
    for expected in (world.workshop.title["en"], "Group work A", "On campus", "Viale Maestri del Lavoro 10, Turin",
                     "Name", "Organisation", "Country", "Signature"):
        assert expected in text, expected
    # Cohort A's ten people, in every script, each with their country; not cohort B, not the pending one.
    squashed = "".join(text.split())  # a long name wraps inside its cell
    for name, _organisation, _country in PEOPLE.values():
        assert "".join(name.split()) in squashed, name
    for organisation in ("Türk-İş", "Савез самосталних синдиката", "ФНПР", 'He said "hi", then left'):
        assert "".join(organisation.split()) in squashed
    assert "Russia" in text and "Egypt" in text and "Nigeria" in text
    assert "Bea Cohort-B" not in text and "Pending Pat" not in text
    # Right to left: extracted in reading order, which needs shaping (unshaped, it comes out reversed).
    assert "محمد عبد الله" in text and "الاتحاد العام لنقابات العمال" in text
    # Sorted by name, case-insensitively (numbers 1..10 in the first column).
    positions = [squashed.index("".join(name.split())) for name in sorted((n for n, _o, _c in PEOPLE.values()), key=str.lower)]
    assert positions == sorted(positions)


def test_the_plenary_sheet_has_everyone_confirmed(browser, world):
    text = text_of(sheet(browser, world, f"?session={world.sessions['plenary']}"))
    assert "Bea Cohort-B" in text and "Müller" in text and "Pending Pat" not in text


def test_without_a_session_every_session_gets_its_pages(browser, world):
    text = text_of(sheet(browser, world))
    for title in ("Opening plenary", "Group work A", "Group work B", "Closing plenary"):
        assert title in text


def test_a_session_of_another_workshop_is_404(app, browser, world, factory):
    other = factory.workshop(trainers=[world.trainer])
    foreign = add_session(app, other.id, "Elsewhere", 60)
    sheet(browser, world, f"?session={foreign}", status=404)
    for bad in ("abc", "", "-1", "99999999999999999999", "0"):
        sheet(browser, world, f"?session={bad}", status=404)


def test_a_session_with_nobody_expected_says_so(app, browser, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    session_id = add_session(app, workshop.id, "Empty room", 60 * 24 * 30)
    browser.login(trainer.email)
    response = browser.client.get(f"/trainer/workshops/{workshop.slug}/signin-sheet.pdf?session={session_id}")
    assert "Nobody is expected at this session yet." in text_of(response)
    response = browser.client.get(f"/trainer/workshops/{workshop.slug}/signin-sheet.pdf")
    assert "Empty room" in text_of(response)
