"""The CSV and XLSX files, opened with real readers: what was typed comes back exactly, formulas never run."""
import csv
import io
from datetime import date, time

import openpyxl
import pytest

from app.core.permissions import Role
from tests.exports.helpers import PEOPLE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def fetch(browser, world, path, user=None, status=200):
    browser.login((user or world.trainer).email)
    response = browser.client.get(f"/trainer/workshops/{world.workshop.slug}/{path}")
    assert response.status_code == status, response.status_code
    return response


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so that Excel shows accents"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return book.worksheets[0]


def as_typed(text: str) -> str:
    """What a CSV cell holds for a typed text: the text, with an apostrophe before a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def by_name(rows) -> dict[str, list[str]]:
    return {row[0]: row for row in rows[1:]}


def test_attendance_csv_one_row_per_confirmed_participant(browser, world):
    response = fetch(browser, world, "attendance.csv")
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{world.workshop.slug}-attendance.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    rows = read_csv(response)
    header = rows[0]
    assert header[:7] == ["Name", "E-mail", "Country", "Organisation", "Constituency", "Sex", "Cohort"]
    assert [h.split(" (")[0] for h in header[7:11]] == ["Opening plenary", "Group work A", "Group work B", "Closing plenary"]
    assert header[11:] == ["Sessions attended", "Sessions expected", "Attendance rate"]
    people = by_name(rows)
    assert len(people) == 11 and "Pending Pat" not in people
    # Sorted by name, case-insensitively.
    assert list(people) == sorted(people, key=str.lower)
    formula = people[as_typed(PEOPLE["formula"][0])]
    assert formula[1] == world.people["formula"].email
    assert formula[2:7] == ["United Kingdom", as_typed(PEOPLE["formula"][1]), "Workers' organisation", "Male", "A"]
    assert formula[7:] == ["Present", "Late", "", "", "2", "2", "100.0%"]
    assert people["محمد عبد الله"][7:] == ["Present", "Excused", "", "", "1", "2", "50.0%"]
    assert people["Bea Cohort-B"][7:] == ["Absent", "", "Present", "", "1", "2", "50.0%"]


def test_every_typed_text_survives_the_csv_exactly(browser, world):
    rows = read_csv(fetch(browser, world, "attendance.csv"))
    people = by_name(rows)
    for name, organisation, _country in PEOPLE.values():
        row = people[as_typed(name)]
        assert row[3] == as_typed(organisation), (name, row[3])
    # Quotes, commas, line breaks and right-to-left text, byte for byte.
    assert people["Müller"][3] == 'He said "hi", then left'
    assert people[as_typed(PEOPLE["formula"][0])][3] == "'+44 Workers, \"United\"\nsecond line"
    assert people["محمد عبد الله"][3] == "الاتحاد العام لنقابات العمال"
    # Nothing anywhere in the file starts like a formula, headers included (module titles may).
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell


def test_attendance_xlsx_is_typed_with_a_frozen_bold_header(browser, world):
    response = fetch(browser, world, "attendance.xlsx")
    assert response.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{world.workshop.slug}-attendance.xlsx"'
    sheet = read_xlsx(response)
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    formula = rows[PEOPLE["formula"][0]]  # text cells keep exactly what was typed, stored as text
    assert formula[0].data_type == "s" and formula[0].value == PEOPLE["formula"][0]
    assert formula[3].value == PEOPLE["formula"][1]
    rate = rows["محمد عبد الله"][13]
    assert rate.value == 0.5 and rate.number_format == "0.0%"
    assert rows["محمد عبد الله"][11].value == 1 and rows["محمد عبد الله"][12].value == 2
    for name, organisation, _country in PEOPLE.values():
        # Exactly as typed; a carriage return becomes the line break a spreadsheet uses in a cell.
        assert rows[name][3].value == organisation.replace("\r", "\n"), name


def test_long_layout_has_a_row_per_participant_and_expected_session(browser, world):
    rows = read_csv(fetch(browser, world, "attendance.csv?layout=long"))
    assert rows[0][7:] == ["Session", "Date", "Starts", "Ends", "Room", "Status"]
    bea = [row for row in rows[1:] if row[0] == "Bea Cohort-B"]
    assert [(row[7], row[12]) for row in bea] == [("Opening plenary", "Absent"), ("Group work B", "Present"),
                                                 ("Closing plenary", "")]
    assert len(rows) - 1 == 10 * 3 + 3
    sheet = read_xlsx(fetch(browser, world, "attendance.xlsx?layout=long"))
    first = next(sheet.iter_rows(min_row=2))
    assert isinstance(first[8].value.date(), date) and first[8].number_format == "yyyy-mm-dd"
    assert isinstance(first[9].value, time)


def test_anonymized_files_have_no_name_or_email(browser, world):
    for path in ("attendance.csv?anonymized=1", "attendance.csv?anonymized=1&layout=long",
                 "registrations.csv?anonymized=1", "results.csv?anonymized=1"):
        response = fetch(browser, world, path)
        assert "-anonymized.csv" in response.headers["Content-Disposition"]
        text = response.get_data(as_text=True)
        for user in world.people.values():
            assert user.email not in text and user.name not in text, path
        rows = read_csv(response)
        assert rows[0][0] == "Participant no." and "Name" not in rows[0] and "E-mail" not in rows[0]
    rows = read_csv(fetch(browser, world, "attendance.csv?anonymized=1"))
    # The registration's order of arrival, not the user id; rows in that order, not by name.
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 12)]
    again = read_csv(fetch(browser, world, "attendance.csv?anonymized=1"))
    assert again == rows  # stable


def test_registrations_list_every_status(browser, world):
    rows = read_csv(fetch(browser, world, "registrations.csv"))
    assert rows[0][7:] == ["Status", "Working language", "Registered on", "Motivation"]
    statuses = {row[0]: row[7] for row in rows[1:]}
    assert statuses["Pending Pat"] == "Awaiting approval" and statuses["Müller"] == "Confirmed"
    assert len(statuses) == 12
    sheet = read_xlsx(fetch(browser, world, "registrations.xlsx"))
    assert sheet.cell(row=2, column=10).number_format == "yyyy-mm-dd hh:mm"


def test_results_give_the_best_score_per_module(browser, world):
    rows = read_csv(fetch(browser, world, "results.csv"))
    assert rows[0][7:] == ["Rights: best score", "'=Recruitment: best score", "Modules completed"]
    people = by_name(rows)
    assert people[as_typed(PEOPLE["formula"][0])][7:] == ["85", "40", "1"]
    assert people["محمد عبد الله"][7:] == ["", "100", "0"]
    assert people["Müller"][7:] == ["", "", "0"]
    sheet = read_xlsx(fetch(browser, world, "results.xlsx"))
    assert sheet.cell(row=1, column=9).value == "=Recruitment: best score"
    assert sheet.cell(row=1, column=9).data_type == "s"


def test_admins_get_the_same_files_under_admin(browser, world, factory):
    admin = factory.admin()
    browser.login(admin.email)
    response = browser.client.get(f"/admin/workshops/{world.workshop.slug}/attendance.csv")
    assert response.status_code == 200
    assert read_csv(response) == read_csv(fetch(browser, world, "attendance.csv", user=admin))


@pytest.mark.parametrize("path", ["attendance.csv", "registrations.xlsx", "results.csv", "signin-sheet.pdf"])
def test_a_trainer_of_another_workshop_gets_404(browser, world, factory, path):
    fetch(browser, world, path, user=factory.trainer(), status=404)


def test_trainers_cannot_use_the_admin_urls(browser, world):
    browser.login(world.trainer.email)
    assert browser.client.get(f"/admin/workshops/{world.workshop.slug}/attendance.csv").status_code == 403


@pytest.mark.parametrize("role", [Role.PARTICIPANT])
def test_participants_get_403(browser, world, factory, role):
    fetch(browser, world, "attendance.csv", user=factory.user(role), status=403)


@pytest.mark.parametrize(("path", "message"), [
    ("attendance.csv?layout=tall", "long layout"),
    ("registrations.csv?layout=long", "long layout"),
    ("results.xlsx?anonymized=yes", "anonymized=1"),
])
def test_bad_parameters_get_a_clear_message(browser, world, path, message):
    response = fetch(browser, world, path, status=400)
    assert message in response.get_data(as_text=True)


def test_unknown_workshop_or_format_is_404(browser, world):
    browser.login(world.trainer.email)
    assert browser.client.get("/trainer/workshops/no-such-workshop/attendance.csv").status_code == 404
    assert browser.client.get(f"/trainer/workshops/{world.workshop.slug}/attendance.pdf").status_code == 404
