"""Reading the police's answer file: the workbook passes the upload guard
(`treem.ui.xlsx.check_xlsx`: sizes, ratio, nested archives, DTDs), then its first sheet is read
with openpyxl. The header row is found by its headers (the reference column first), within the
first rows, so a title line the police add above does no harm. Each row becomes an `AnswerRow`
of raw text; `services` checks it."""

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from treem.lib.text import fold
from treem.privacy.population import exceptions as exc
from treem.privacy.population.exporting import COLUMNS
from treem.ui.xlsx import FileRejected, check_xlsx, corrupt, too_large, whole_rows

MAX_BYTES = 5 * 1024 * 1024   # ten thousand rows are well under 2 MB
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
_DIGITS = re.compile(r"^\d+$")


@dataclass
class AnswerRow:
    number: int             # as the spreadsheet shows it
    values: dict[str, str]  # column key → text ("" when empty)


@dataclass
class AnswerFile:
    headers: dict[str, str]  # column key → the header as the file writes it
    rows: list[AnswerRow]

    def header(self, key: str) -> str:
        if not key:
            return ""
        return self.headers.get(key) or str(dict(COLUMNS)[key])


def _folded_headers() -> dict[str, str]:
    return {fold(str(label)): key for key, label in COLUMNS}


def text_of(value: Any, *, key: str = "") -> str:
    """A cell as text: a date as dd/mm/yyyy, a whole number without ".0"; a personal id Excel
    turned into a number gets its leading zeros back."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if key in ("personal_id", "new_personal_id") and isinstance(value, int) and \
            _DIGITS.match(text) and len(text) < 12:
        text = text.zfill(12)
    return text


def read_answer(data: bytes) -> AnswerFile:
    """The rows of the answer file. Raises FileRejected (its Vietnamese message) for a file
    that is not a readable workbook of the batch's layout."""
    if len(data) > MAX_BYTES:
        raise FileRejected(too_large(MAX_BYTES))
    check_xlsx(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise FileRejected(corrupt()) from error
    try:
        sheet = book.worksheets[0]
        known = _folded_headers()
        columns: dict[int, str] = {}
        headers: dict[str, str] = {}
        rows: list[AnswerRow] = []
        header_row = 0
        for number, cells in enumerate(whole_rows(sheet, max_col=len(COLUMNS) + 10), start=1):
            if not header_row:
                found = {index: known[fold(text_of(cell))] for index, cell in enumerate(cells)
                         if fold(text_of(cell)) in known}
                if "reference" in found.values():
                    header_row, columns = number, found
                    headers = {key: text_of(cells[index]) for index, key in found.items()}
                elif number >= HEADER_SEARCH_ROWS:
                    break
                continue
            values = {key: text_of(cells[index], key=key) if index < len(cells) else ""
                      for index, key in columns.items()}
            if not any(values.values()):
                continue
            rows.append(AnswerRow(number, values))
            if len(rows) > MAX_ROWS:
                raise FileRejected(str(exc.TOO_MANY_ROWS) % {"n": MAX_ROWS})
    finally:
        book.close()
    if not header_row:
        raise FileRejected(str(exc.NO_HEADER) % {"column": dict(COLUMNS)["reference"]})
    if not rows:
        raise FileRejected(str(exc.NO_ROWS))
    return AnswerFile(headers=headers, rows=rows)


def parse_day(text: str) -> datetime.date | None:
    """A date written dd/mm/yyyy (or d/m/yyyy, with - or .), or yyyy-mm-dd; None otherwise."""
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


_SEXES = {"nam": "m", "m": "m", "male": "m", "nu": "f", "f": "f", "female": "f"}


def parse_sex(text: str) -> str | None:
    return _SEXES.get(fold(text).strip())


_RESULTS = {
    "dung": "verified", "khop": "verified", "xac nhan": "verified", "verified": "verified",
    "da dieu chinh": "corrected", "dieu chinh": "corrected", "sua": "corrected",
    "da sua": "corrected", "corrected": "corrected",
    "khong tim thay": "not_found", "khong co": "not_found", "not found": "not_found",
    "not_found": "not_found",
}


def parse_result(text: str) -> str | None:
    return _RESULTS.get(" ".join(fold(text).split()))


def message(template: Any, **values: Any) -> str:
    return str(template) % values if values else str(template)
