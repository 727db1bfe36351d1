"""CSV and XLSX writers: a Table in, bytes out in chunks, whatever the number of rows.

CSV is UTF-8 with a byte order mark (so that Excel shows accents) and neutralizes every text
cell that a spreadsheet could read as a formula (OWASP's "CSV injection"): it gets a leading
apostrophe. Quotes, commas, line breaks and right-to-left text are left exactly as typed; the
csv module quotes them.

XLSX uses openpyxl's write-only mode (rows go to a temporary file as they come, not into
memory): a frozen bold header, dates as dates, times as times, rates as percentages, and every
text stored as a string, never as a formula, so it needs no apostrophe. Line breaks become "\n",
a spreadsheet's own line break in a cell (XML turns a bare "\r" into "\n" on reading anyway),
and the control characters XML cannot hold are dropped.
"""
import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, time

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.exports.tables import Percent, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024
CSV_BATCH = 200  # rows per yielded chunk
MAX_XLSX_TEXT = 32_767  # the most characters a spreadsheet cell holds


def neutralize(text: str) -> str:
    """A leading apostrophe on text a spreadsheet would take for a formula; anything else unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralize(value)
    if isinstance(value, Percent):
        return f"{value * 100:.1f}%"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The file in chunks of a few hundred rows: BOM, header, rows, CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([csv_cell(name) for name in table.header])
    for number, row in enumerate(table.rows, start=1):
        writer.writerow([csv_cell(value) for value in row])
        if number % CSV_BATCH == 0:
            yield buffer.getvalue().encode("utf-8", "replace")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8", "replace")


def _text_cell(sheet, text: str, font=None):
    text = ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    cell = WriteOnlyCell(sheet, text[:MAX_XLSX_TEXT])
    cell.data_type = "s"  # "=1+1" or "#N/A" typed by a person stays text, never a formula or an error
    if font is not None:
        cell.font = font
    return cell


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if isinstance(value, Percent):
        cell = WriteOnlyCell(sheet, float(value))
        cell.number_format = "0.0%"
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, time):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "hh:mm"
        return cell
    return value  # numbers and empty cells need no style


def write_xlsx(table: Table, output) -> None:
    """Write the workbook to a binary file object; rows are never all in memory."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name[:31])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(table.header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(name) + 2, 12), 40)
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, name, bold) for name in table.header])
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    book.save(output)


def xlsx_chunks(table: Table) -> Iterator[bytes]:
    """The workbook, built in a temporary file (a zip is only readable once complete), then read back in chunks."""
    with tempfile.TemporaryFile() as spool:
        write_xlsx(table, spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


FORMATS = {
    "csv": ("text/csv; charset=utf-8", csv_chunks),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_chunks),
}
