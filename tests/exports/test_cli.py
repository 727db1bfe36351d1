"""`flask export`: the same files as the web, and clear errors."""
import csv

import openpyxl

from tests.exports.helpers import PEOPLE


def test_export_writes_csv_and_xlsx(runner, world, tmp_path):
    output = tmp_path / "attendance.csv"
    result = runner.invoke(args=["export", "attendance", "--workshop", world.workshop.slug, "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    rows = list(csv.reader(output.open(encoding="utf-8-sig", newline="")))
    assert rows[0][0] == "Name" and len(rows) == 12
    output = tmp_path / "long.xlsx"
    result = runner.invoke(args=["export", "attendance", "--workshop", world.workshop.slug, "--format", "xlsx",
                                 "--layout", "long", "--anonymized", "--output", str(output)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(output).worksheets[0]
    assert sheet.cell(row=1, column=1).value == "Participant no."
    assert sheet.max_row == 1 + 10 * 3 + 3
    values = {cell.value for row in sheet.iter_rows() for cell in row}
    assert not values & {name for name, _o, _c in PEOPLE.values()}


def test_registrations_and_results(runner, world, tmp_path):
    for kind in ("registrations", "results"):
        output = tmp_path / f"{kind}.xlsx"
        result = runner.invoke(args=["export", kind, "--workshop", world.workshop.slug, "--format", "xlsx",
                                     "--output", str(output)])
        assert result.exit_code == 0, result.output
        assert openpyxl.load_workbook(output).worksheets[0].title == kind


def test_clear_errors(runner, world, tmp_path):
    output = tmp_path / "x.csv"
    result = runner.invoke(args=["export", "attendance", "--workshop", "no-such-workshop", "--output", str(output)])
    assert result.exit_code == 2 and "no workshop has the slug 'no-such-workshop'" in result.output
    result = runner.invoke(args=["export", "attendance", "--workshop", world.workshop.slug, "--format", "pdf",
                                 "--output", str(output)])
    assert result.exit_code == 2 and "'pdf' is not one of 'csv', 'xlsx'" in result.output
    result = runner.invoke(args=["export", "grades", "--workshop", world.workshop.slug, "--output", str(output)])
    assert result.exit_code == 2 and "'grades' is not one of" in result.output
    result = runner.invoke(args=["export", "results", "--workshop", world.workshop.slug, "--layout", "long",
                                 "--output", str(output)])
    assert result.exit_code == 2 and "only the attendance export has a long layout" in result.output
    result = runner.invoke(args=["export", "results", "--workshop", world.workshop.slug])
    assert result.exit_code == 2 and "--output" in result.output
    assert not output.exists()
