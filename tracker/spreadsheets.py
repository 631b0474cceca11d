"""Spreadsheets written for the reader: CSV that opens right in Excel in the reader's language (UTF-8 with a byte
order mark, ';' between cells in Swedish, where ',' is the decimal comma, ',' in English) and XLSX with typed date
and number cells, a bold header row that stays in view and filters, and column widths. Text that a spreadsheet would
run as a formula (a leading = + - @, tab or CR) never runs: CSV prefixes it with an apostrophe, XLSX writes it as a
string cell marked as text. Rows come in batches, so a long list is written without holding it all at once."""
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from flask_babel import get_locale
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Select

from tracker.extensions import db

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"  # ISO dates: Excel in Swedish and in English reads and shows them as dates
Value = str | int | float | dt.date | None


@dataclass(frozen=True)
class Column:
    """A column: its heading (in the reader's language) and its width in characters."""
    header: Any
    width: int = 16


def separator() -> str:
    """The cell separator a spreadsheet expects in the reader's language."""
    locale = get_locale()
    return ";" if locale is not None and locale.language == "sv" else ","


def looks_like_formula(text: str) -> bool:
    return text[:1] in FORMULA_STARTS


def cell(value: object) -> str:
    """Text for a CSV cell; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def in_batches(statement: Select, size: int) -> Iterator[list[Any]]:
    """The statement's objects, read from the database and handed on `size` at a time."""
    rows = iter(db.session.scalars(statement.execution_options(yield_per=size)))
    while chunk := list(islice(rows, size)):
        yield chunk


def uncell(text: str) -> str:
    """A CSV cell's text as it was before cell() neutralised it (the apostrophe taken off a formula's start)."""
    return text[1:] if text.startswith("'") and looks_like_formula(text[1:]) else text


def csv_chunks(columns: Sequence[Column], batches: Iterable[Iterable[Sequence[Value]]]) -> Iterator[str]:
    """The CSV text: the BOM and the header row first, then one chunk per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator())
    buffer.write(BOM)
    writer.writerow([str(c.header) for c in columns])
    yield _take(buffer)
    for rows in batches:
        writer.writerows([cell(v) for v in row] for row in rows)
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def xlsx_bytes(title: str, columns: Sequence[Column], batches: Iterable[Iterable[Sequence[Value]]]) -> bytes:
    """An XLSX workbook of one sheet: the header row frozen and filtered, typed cells, the columns' widths."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.append([_header_cell(sheet, c.header) for c in columns])
    rows = 1
    for batch in batches:
        for row in batch:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
            rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows}"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    return "".join("_" if c in ':\\/?*[]' else c for c in title)[:31] or "Samverka"


def _header_cell(sheet: WriteOnlyWorksheet, header: Any) -> Cell:
    result = WriteOnlyCell(sheet, value=str(header))
    result.font = Font(bold=True)
    result.alignment = Alignment(wrap_text=True, vertical="top")
    return result


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Value) -> Cell | Value:
    if isinstance(value, dt.date):
        result = WriteOnlyCell(sheet, value=value)
        result.number_format = DATE_FORMAT
        return result
    if not isinstance(value, str):
        return value  # a number, or None for an empty cell
    text = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
    result = WriteOnlyCell(sheet, value=text)
    if looks_like_formula(text):  # openpyxl took it for a formula: a string cell, marked as text ('), instead
        result.data_type = "s"
        result.quotePrefix = True
    return result
