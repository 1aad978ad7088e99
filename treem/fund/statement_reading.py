"""Reading a bank statement exported as Excel: the file judged by its content, the header found
by its words, each row's cells read into a receipt's values or the reasons they cannot be.

The file is judged by what it holds, never its name (`treem.ui.xlsx`: an old .xls, a password,
macros, a zip bomb are refused with a message saying what to do), at most MAX_BYTES and
MAX_ROWS rows, then read by openpyxl. Banks name their columns each their own way ("Số tiền ghi
có", "Ghi có", "Có"; "Số tham chiếu", "Mã giao dịch", "Số bút toán"): headers are compared
folded, without accents, case, punctuation or parentheses, in the first HEADER_SEARCH_ROWS rows
(a statement opens with its account and period). Headers and messages are Vietnamese: the file
is the bank's, whatever the page's language.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from treem.fund import exceptions as exc
from treem.fund.services import MAX_AMOUNT, TAX_CODE
from treem.lib.limits import day_in_range, forbidden_character
from treem.lib.text import fold, normalize
from treem.ui import xlsx
from treem.ui.dates import DAY_INVALID, DAY_OUT_OF_RANGE, BadDay, parse_day, parse_moment
from treem.ui.xlsx import FileRejected

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_UNCOMPRESSED = 32 * 1024 * 1024  # 5,000 rows of a statement are a few MB of XML
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 30
MAX_CELL = 1_000  # characters read of a cell: a bank's longest description is ~250
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Column key → (its name in messages, the headers banks give it, folded, the most telling
# first: a statement with both "Ngày giao dịch" and "Ngày hiệu lực", or both "Số tiền" and
# "Ghi có", is read from the first).
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "day": ("Ngày giao dịch", ("ngay giao dich", "ngay gd", "ngay hach toan", "ngay hieu luc",
                               "ngay ghi so", "ngay thuc hien", "ngay", "transaction date",
                               "date")),
    "credit": ("Số tiền ghi có", ("so tien ghi co", "ghi co", "so tien co", "phat sinh co",
                                  "co", "credit", "credit amount", "so tien", "so tien chuyen")),
    "debit": ("Số tiền ghi nợ", ("so tien ghi no", "ghi no", "so tien no", "phat sinh no", "no",
                                 "debit", "debit amount")),
    "reference": ("Mã giao dịch", ("ma giao dich", "so tham chieu", "ma gd", "so giao dich",
                                   "ma tham chieu", "so but toan", "so ct", "so chung tu",
                                   "reference", "ref no", "transaction id")),
    "name": ("Tên người chuyển", ("ten nguoi chuyen", "nguoi chuyen", "ten nguoi gui",
                                  "ten don vi chuyen", "ten doi ung", "ten tai khoan doi ung",
                                  "doi tac", "ten nha tai tro", "nha tai tro")),
    "description": ("Nội dung", ("noi dung", "noi dung giao dich", "noi dung chi tiet",
                                 "noi dung chuyen khoan", "dien giai", "mo ta",
                                 "mo ta giao dich", "chi tiet giao dich", "description")),
    "tax_code": ("Mã số thuế", ("ma so thue", "mst", "tax code")),
}
# Folded header → (column key, its rank among the key's headers).
HEADERS = {header: (key, rank) for key, (_label, headers) in COLUMNS.items()
           for rank, header in enumerate(headers)}
REQUIRED = ("day", "credit", "reference")
# A statement's own lines that are no transaction: its totals and balances.
_SUMMARY_STARTS = ("tong cong", "tong so", "tong phat sinh", "cong phat sinh", "so du",
                   "total", "opening balance", "closing balance", "balance")

NOT_XLSX = _("Đây không phải tệp Excel (.xlsx). Hãy xuất sao kê tài khoản từ trang ngân hàng "
             "dưới dạng Excel (.xlsx), hoặc mở tệp bằng Excel và lưu thành Sổ làm việc Excel "
             "(.xlsx), rồi tải lên.")
MARKUP = _("Tệp này là một trang web (HTML) hoặc tệp XML mang tên tệp Excel, như một số ngân "
           "hàng xuất sao kê. Hãy mở bằng Excel, chọn Lưu thành › Sổ làm việc Excel (.xlsx) rồi "
           "tải lên.")
TOO_LARGE = _("Tệp lớn hơn %(size)s. Hãy xuất sao kê theo từng khoảng thời gian ngắn hơn.")
TOO_MANY_ROWS = _("Tệp có hơn %(n)s dòng giao dịch. Hãy xuất sao kê theo từng khoảng thời gian "
                  "ngắn hơn.")
UNREADABLE = _("Không đọc được tệp: hãy mở bằng Excel, lưu lại thành .xlsx rồi tải lên.")
NO_HEADER = _("Không tìm thấy dòng tiêu đề của sao kê (có các cột “Ngày giao dịch”, “Số tiền "
              "ghi có”, “Mã giao dịch”) trong %(n)s dòng đầu của trang tính.")
MISSING_COLUMNS = _("Sao kê thiếu cột: %(names)s.")
COLUMN_TWICE = _("Cột “%(name)s” có hai lần trong dòng tiêu đề: không biết đọc cột nào.")
NO_ROWS = _("Tệp không có dòng giao dịch nào dưới dòng tiêu đề.")
CELL_REQUIRED = _("Ô này bắt buộc.")
NAME_REQUIRED = _("Hãy ghi tên người chuyển (hoặc mã số thuế) để biết nhà tài trợ.")
NOT_A_DAY = _("“%(value)s” không phải một ngày (ngày/tháng/năm, ví dụ 01/06/2026).")
NOT_WHOLE_DONG = _("“%(value)s” không phải số tiền nguyên đồng (ví dụ 1.500.000).")
CELL_TOO_LONG = _("Ô dài quá %(n)s ký tự.")
BAD_CHARACTER = _("Ô có ký tự điều khiển (mã U+%(code)s), không ghi được.")
DEBIT_ROW = _("Dòng ghi nợ (tiền ra khỏi tài khoản), không phải khoản tiếp nhận: bỏ qua.")
SUMMARY_ROW = _("Dòng tổng cộng hoặc số dư của sao kê, không phải một giao dịch: bỏ qua.")
NOT_A_TRANSACTION = _("Dòng không có ngày, số tiền hay mã giao dịch: bỏ qua.")

_PLAIN = re.compile(r"\d{1,15}")
_GROUPED = re.compile(r"\d{1,3}(?P<sep>[., ])\d{3}(?:(?P=sep)\d{3}){0,4}")  # 1.500.000
_ZERO_DECIMALS = re.compile(r"(?P<whole>[\d., ]+?)(?P<mark>[.,])0{1,2}")
_ZERO = re.compile(r"[+-]?0[0., ]*(?:vnd|dong|d)?")
_CURRENCY = re.compile(r"\s*(?:vnd|dong|d)\.?\Z")
_PARENTHESES = re.compile(r"\(.*?\)")
_PUNCTUATION = re.compile(r"[^a-z0-9]+")


class CellProblem(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class StatementRow:
    """A row of the statement: its values as `receipt_record` takes them, or why not."""

    number: int  # as the spreadsheet shows it
    day: datetime.date | None = None
    amount: int | None = None
    reference: str = ""
    name: str = ""
    tax_code: str = ""
    name_column: str = "name"  # the column the sender's name was read from
    errors: dict[str, str] = field(default_factory=dict)  # column key → message
    note: str = ""  # a row that is no receipt (a debit, a total): why it is passed over


@dataclass(frozen=True)
class Statement:
    headers: dict[str, str]  # column key → its header as the file writes it
    rows: list[StatementRow]


def header_key(text: str) -> str:
    """A header as compared: folded, without parentheses ("Số tiền (VND)") or punctuation."""
    return _PUNCTUATION.sub(" ", fold(_PARENTHESES.sub(" ", text))).strip()


def file_content(file: bytes | IO[bytes] | File) -> bytes:
    """The upload's bytes, refused past MAX_BYTES before more than that is read."""
    if isinstance(file, bytes):
        data = file
    else:
        size = getattr(file, "size", None)
        if isinstance(size, int) and size > MAX_BYTES:
            raise FileRejected(str(TOO_LARGE % {"size": filesizeformat(MAX_BYTES)}))
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileRejected(str(TOO_LARGE % {"size": filesizeformat(MAX_BYTES)}))
    return data


def _check_file(data: bytes) -> None:
    if not data:
        raise FileRejected(xlsx.empty_file())
    if data.startswith(OLE_MAGIC):
        # Excel saves a password-protected .xlsx as an OLE compound file, as it does an .xls.
        encrypted = "EncryptedPackage".encode("utf-16-le") in data
        raise FileRejected(xlsx.encrypted() if encrypted else xlsx.old_xls())
    if not data.startswith(xlsx.ZIP_MAGIC):
        # Some banks' "Excel" export is an HTML table or an XML Spreadsheet 2003, which Excel
        # opens and saves as .xlsx.
        if data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
            raise FileRejected(str(MARKUP))
        raise FileRejected(str(NOT_XLSX))  # a CSV, a PDF
    xlsx.check_xlsx(data, limit=MAX_UNCOMPRESSED)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRejected(xlsx.macros())
    if "xl/workbook.xml" not in names:
        raise FileRejected(str(NOT_XLSX))  # a Word document, an .xlsb


def _sheet_rows(data: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # The sheet Excel opens on, unless it is a chart.
        sheet = book.active if isinstance(book.active, ReadOnlyWorksheet) \
            else book.worksheets[0]
    except Exception as error:  # noqa: BLE001 - any file openpyxl cannot open is one answer
        raise FileRejected(str(UNREADABLE)) from error
    try:
        # One row past Excel's last is read, to refuse a file naming one.
        cells = enumerate(xlsx.whole_rows(sheet, max_col=MAX_COLUMNS,
                                          max_row=xlsx.EXCEL_LAST_ROW + 1), start=1)
        while True:
            try:
                number, values = next(cells)
            except StopIteration:
                return
            except Exception as error:  # noqa: BLE001 - a part openpyxl cannot read
                raise FileRejected(str(UNREADABLE)) from error
            if number > xlsx.EXCEL_LAST_ROW:
                # openpyxl gives every empty row up to the last one: a few kilobytes naming a
                # row past Excel's last would cost minutes.
                raise FileRejected(xlsx.corrupt())
            yield number, tuple(values)
    finally:
        book.close()


def _layout(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> tuple[dict[str, int], dict[str, str]]:
    """(column key → index, column key → header as written) of the header row."""
    for number, values in rows:
        indexes: dict[str, int] = {}
        headers: dict[str, str] = {}
        ranks: dict[str, int] = {}
        for index, value in enumerate(values):
            # A header is a few words: a long cell is no header, and is not folded whole.
            key, rank = HEADERS.get(header_key(value), ("", 0)) \
                if isinstance(value, str) and len(value) <= 100 else ("", 0)
            if not key or ranks.get(key, rank + 1) < rank:
                continue
            if ranks.get(key) == rank:
                raise FileRejected(str(COLUMN_TWICE % {"name": normalize(str(value))}))
            indexes[key], headers[key], ranks[key] = index, normalize(str(value)), rank
        if len(indexes) >= 3:  # a preamble line has a word or two of these, never three
            missing = [COLUMNS[key][0] for key in REQUIRED if key not in indexes]
            if "name" not in indexes and "description" not in indexes:
                missing.append(COLUMNS["name"][0])
            if missing:
                raise FileRejected(str(MISSING_COLUMNS % {
                    "names": ", ".join(f"“{name}”" for name in missing)}))
            return indexes, headers
        if number >= HEADER_SEARCH_ROWS:
            break
    raise FileRejected(str(NO_HEADER % {"n": HEADER_SEARCH_ROWS}))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "-"))


def _text(value: Any, limit: int = MAX_CELL) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a reference typed as a number is read by Excel as 123.0
    raw = str(value)
    if len(raw) > MAX_CELL:  # refused before it costs a normalisation
        raise CellProblem(str(CELL_TOO_LONG % {"n": limit}))
    text = normalize(raw)
    if len(text) > limit:
        raise CellProblem(str(CELL_TOO_LONG % {"n": limit}))
    bad = forbidden_character(text)
    if bad is not None:
        raise CellProblem(str(BAD_CHARACTER % {"code": f"{ord(bad):04X}"}))
    return text


def _day(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if not day_in_range(value):
            raise CellProblem(str(DAY_OUT_OF_RANGE))
        return value
    text = _text(value, 40)
    try:
        return parse_day(text)
    except BadDay as error:
        if error.message is not DAY_INVALID:  # a 31 February: said as such
            raise CellProblem(str(error.message % error.params)) from None
    try:
        return parse_moment(text).date()  # statements often write the time after the day
    except BadDay:
        raise CellProblem(str(NOT_A_DAY % {"value": text})) from None


def _whole_part(digits: str) -> str | None:
    """The digits of a whole number written with groups ("1.500.000") and, the other mark
    apart, zero decimals ("1.500.000,00", "1,500,000.00"); None for anything else ("1.5")."""
    if _PLAIN.fullmatch(digits) or _GROUPED.fullmatch(digits):
        return digits
    decimals = _ZERO_DECIMALS.fullmatch(digits)
    if decimals is None:
        return None
    whole = decimals.group("whole")
    grouped = _GROUPED.fullmatch(whole)
    if _PLAIN.fullmatch(whole) or (grouped and grouped.group("sep") != decimals.group("mark")):
        return whole
    return None


def amount_of(value: Any) -> int:
    """Whole đồng of a cell: a number, or text written "1.500.000", "1,500,000", "+1 500 000 đ"."""
    if isinstance(value, bool):
        raise CellProblem(str(NOT_WHOLE_DONG % {"value": value}))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellProblem(str(NOT_WHOLE_DONG % {"value": value}))
        value = int(value)
    if not isinstance(value, int):
        text = _text(value, 40)
        written = _CURRENCY.sub("", fold(text))
        whole = _whole_part(written.lstrip("+-").strip())
        if whole is None:
            raise CellProblem(str(NOT_WHOLE_DONG % {"value": text}))
        value = (-1 if written.startswith("-") else 1) * int(re.sub(r"\D", "", whole))
    if not 0 < value <= MAX_AMOUNT:
        raise CellProblem(str(exc.AMOUNT_INVALID))
    return value


def _tax_code(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        # A code typed as a number lost its leading zero ("0101234567" → 101234567).
        value = str(int(value)).zfill(10)
    text = _text(value, 20)
    if text and not TAX_CODE.fullmatch(text):
        raise CellProblem(str(exc.TAX_CODE_INVALID))
    return text


def _is_summary(values: tuple[Any, ...]) -> bool:
    return any(isinstance(value, str) and len(value) <= 100
               and (header_key(value) in ("tong", "cong")
                    or header_key(value).startswith(_SUMMARY_STARTS))
               for value in values)


def _nil(value: Any) -> bool:
    """An amount cell left empty, or written 0 (some banks fill both columns)."""
    if isinstance(value, str):
        return _blank(value) or (len(value) <= 40 and bool(_ZERO.fullmatch(fold(value))))
    return value is None or (not isinstance(value, bool) and value == 0)


def _read_row(number: int, values: tuple[Any, ...], indexes: dict[str, int]) -> StatementRow:
    def cell(key: str) -> Any:
        index = indexes.get(key)
        return values[index] if index is not None and index < len(values) else None

    row = StatementRow(number)
    if _blank(cell("day")) and _blank(cell("reference")):
        if _blank(cell("credit")) and _blank(cell("debit")):
            row.note = str(NOT_A_TRANSACTION)  # a signature, a description's second line
            return row
        if _is_summary(values):
            row.note = str(SUMMARY_ROW)
            return row
    if _nil(cell("credit")) and not _nil(cell("debit")):
        row.note = str(DEBIT_ROW)
        return row

    def read(key: str, reader: Any, *, required: bool = False) -> Any:
        if required and _blank(cell(key)):
            row.errors[key] = str(CELL_REQUIRED)
            return None
        try:
            return reader(cell(key))
        except CellProblem as problem:
            row.errors[key] = problem.message
            return None

    row.day = read("day", _day, required=True)
    row.amount = read("credit", amount_of, required=True)
    row.reference = read("reference", lambda value: _text(value, 60), required=True) or ""
    row.tax_code = read("tax_code", _tax_code) or ""
    # The sender's name; a statement without one (or a row where it is empty) names the
    # sender in its description.
    if _blank(cell("name")) and "description" in indexes:
        row.name_column = "description"
    row.name = read(row.name_column, lambda value: _text(value, 200)) or ""
    if not row.name and not row.tax_code \
            and not row.errors.keys() & {row.name_column, "tax_code"}:
        row.errors[row.name_column] = str(NAME_REQUIRED)
    return row


def read_statement(file: bytes | IO[bytes] | File) -> Statement:
    """Every row of the statement under its header; FileRejected (its `message` in Vietnamese)
    when the file cannot be read as one."""
    data = file_content(file)
    _check_file(data)
    rows = _sheet_rows(data)
    indexes, headers = _layout(rows)
    read: list[StatementRow] = []
    for number, values in rows:
        if all(_blank(value) for value in values):
            continue
        if len(read) == MAX_ROWS:
            raise FileRejected(str(TOO_MANY_ROWS % {"n": f"{MAX_ROWS:,}".replace(",", ".")}))
        read.append(_read_row(number, values, indexes))
    if not read:
        raise FileRejected(str(NO_ROWS))
    return Statement(headers=headers, rows=read)
