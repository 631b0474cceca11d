"""Reading an uploaded spreadsheet into rows of text: XLSX (the first sheet) or CSV as Excel saves it (UTF-8 with or
without a byte order mark, or Windows-1252; separated by semicolons, commas or tabs, whichever the header row is
written with). Refuses, with a message for the person who sent it, what is no table: an empty file, a damaged
workbook, another kind of file, and more rows than the caller takes (found out while reading, so 50,000 rows are
refused as quickly as 2,001). Also the parsers of numbers and dates as Swedish and English spreadsheets write them."""
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from openpyxl import load_workbook

from tracker.spreadsheets import uncell

DELIMITERS = (";", ",", "\t")
MAX_COLUMNS = 60  # cells read per row: more than any sheet of ours has, few enough that a hostile width costs nothing
MAX_UNPACKED = 64 * 1024 * 1024  # a workbook that unpacks to more than this is not a list of actions
BLANK_LINES_PER_ROW = 50  # blank rows scanned per row allowed, before a sheet counts as too long anyway


class Unreadable(Exception):
    """The file is no table that can be read; str(error) says why, to the person who sent it."""


@dataclass
class Table:
    kind: str  # "xlsx" or "csv"
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, the cells as text)
    delimiter: str | None = None


def read_table(data: bytes, *, max_rows: int, known: Callable[[Sequence[str]], int]) -> Table:
    """The header row (the first row that is not blank) and up to max_rows rows after it, blank rows skipped.
    known(header cells) counts the columns the caller recognises: it picks a CSV file's separator."""
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise Unreadable(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _xlsx(data, max_rows)
    _refuse_other_kinds(data)
    return _csv(_decode(data), max_rows, known)


def _refuse_other_kinds(data: bytes) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable(_("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV and "
                           "upload that."))
    if b"\x00" in data[:4096] or data.startswith(b"%PDF"):
        raise Unreadable(_("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel's "CSV (semicolon separated)" is saved in Windows-1252
        return data.decode("cp1252", errors="replace")


def _csv(text: str, max_rows: int, known: Callable[[Sequence[str]], int]) -> Table:
    delimiter = _delimiter(text, known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = enumerate(([uncell(c) for c in cells] for cells in reader), start=1)
    try:
        header, rows = _split(records, max_rows)
    except csv.Error:
        raise Unreadable(_("The CSV file cannot be read near line %(line)d: a quotation mark may be missing, or a "
                           "cell is far too long.", line=reader.line_num)) from None
    return Table("csv", header, rows, delimiter)


def _delimiter(text: str, known: Callable[[Sequence[str]], int]) -> str:
    """The separator under which the first line names the most known columns (then: splits into most cells)."""
    first = next((line for line in text.splitlines() if line.strip()), "")

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return known([c.strip() for c in cells]), len(cells)
    return max(DELIMITERS, key=score)


def _xlsx(data: bytes, max_rows: int) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unreadable(_("The Excel file is damaged and cannot be opened. Open it in Excel, save it again and "
                           "upload it once more.")) from None
    if "xl/workbook.xml" not in names:
        raise Unreadable(_("This is not an Excel workbook. Upload an Excel workbook (.xlsx) or a CSV file."))
    if unpacked > MAX_UNPACKED:
        raise Unreadable(_("The workbook is too large when unpacked. Upload only the actions, at most %(rows)s "
                           "rows.", rows=f"{max_rows:,}".replace(",", " ")))
    try:
        # A formula cell gives the value Excel showed and saved with it, as a person reads the sheet; a formula saved
        # without its value (written by a program, not by Excel) gives its text, which is kept as plain text.
        shown = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        written = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        rows = zip(shown.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True),
                   written.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True), strict=False)
        header, found = _split(enumerate(([_text(v if v is not None else f) for v, f in zip(row, formulas,
                                                                                          strict=False)]
                                          for row, formulas in rows), start=1), max_rows)
        shown.close()
        written.close()
    except Unreadable:
        raise
    except Exception:  # openpyxl raises many kinds of error (zip, XML, KeyError...) on a damaged workbook
        raise Unreadable(_("The Excel file is damaged and cannot be opened. Open it in Excel, save it again and "
                           "upload it once more.")) from None
    return Table("xlsx", header, found)


def _split(records: Iterable[tuple[int, list[str]]], max_rows: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The first non-blank record, and the non-blank records after it: Unreadable past max_rows of them."""
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in _bounded(records, max_rows * BLANK_LINES_PER_ROW, max_rows):
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = cells
        elif len(rows) == max_rows:
            raise _too_many(max_rows)
        else:
            rows.append((number, cells))
    if header is None:
        raise Unreadable(_("The file is empty."))
    return header, rows


def _bounded(records: Iterable[tuple[int, list[str]]], limit: int, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    for number, cells in records:
        if number > limit:
            raise _too_many(max_rows)
        yield number, cells


def _too_many(max_rows: int) -> Unreadable:
    return Unreadable(ngettext("The file has more than %(rows)s row. Split it into files of at most %(rows)s rows.",
                               "The file has more than %(rows)s rows. Split it into files of at most %(rows)s rows.",
                               max_rows, rows=f"{max_rows:,}".replace(",", " ")))


def _text(value: object) -> str:
    """An XLSX cell's value as text: dates as 2026-11-24, whole numbers without decimals, formulas as written."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_SPACES = re.compile(r"[\s\u00a0\u202f']")  # thousands are grouped with (non-breaking) spaces or apostrophes
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def parse_number(text: str) -> float | None:
    """A number as Swedish or English spreadsheets write it ("1 234,5", "1234.5", "1,234.5", "40 %"), else None."""
    value = _SPACES.sub("", text).removesuffix("%")
    if "," in value and "." in value:  # the last of the two separates the decimals, the other groups thousands
        value = value.replace(",", "") if value.rfind(".") > value.rfind(",") else \
            value.replace(".", "").replace(",", ".")
    else:
        value = value.replace(",", ".")
    return float(value) if _NUMBER.fullmatch(value) else None


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def parse_date(text: str) -> dt.date | None:
    """A date written 2026-11-24 or 24/11/2026 (also 24.11.2026), else None."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
