"""A plan's tasks imported from an Excel sheet (the template of `task_template`): every row
read and checked, then written through `services.task_create` in one transaction. All or
nothing: a file with any wrong row writes nothing, and the refusal lists every error with its
row and column, in the words of the page's language.

The file is judged by its content (`treem.ui.xlsx`: an old .xls, a password, macros, a zip
bomb are refused with a message saying what to do), at most MAX_BYTES and MAX_ROWS rows. The
headers are found by their words, Vietnamese or English, accents and case aside, in the first
rows of the sheet; columns may be left out or moved, except the required ones.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from openpyxl import load_workbook

from treem.accounts.models import User
from treem.lib.limits import forbidden_character
from treem.lib.text import fold, normalize
from treem.plans import selectors, services
from treem.plans.models import Agency, Plan, Task, TimeFrame
from treem.ui import xlsx
from treem.ui.dates import BadDay, parse_day
from treem.ui.xlsx import FileRejected

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2_000
MAX_UNCOMPRESSED = 64 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 40
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Column:
    key: str
    header: str     # Vietnamese, marked for translation; shown through gettext
    required: bool
    width: int
    note: str = ""  # the cell's prompt in the template


# The template's columns, in its order. The headers are said in the page's language when the
# template is made and read in Vietnamese or English.
COLUMNS = (
    Column("section", gettext_noop("Mục"), True, 9,
           gettext_noop("Số mục trong văn bản, ví dụ III.2; không trùng nhau trong kế hoạch.")),
    Column("heading", gettext_noop("Thuộc phần"), False, 24,
           gettext_noop("Tiêu đề của phần có nhiệm vụ (không bắt buộc).")),
    Column("text", gettext_noop("Nội dung nhiệm vụ"), True, 60),
    Column("lead", gettext_noop("Cơ quan chủ trì"), True, 30,
           gettext_noop("Chọn một cơ quan trong danh sách.")),
    Column("cooperating", gettext_noop("Cơ quan phối hợp"), False, 34,
           gettext_noop("Tên hoặc tên viết tắt của các cơ quan, cách nhau bằng dấu chấm phẩy (;).")),
    Column("time_frame", gettext_noop("Loại thời gian"), False, 20,
           gettext_noop("Chọn trong danh sách; để trống là không ghi thời gian.")),
    Column("year", gettext_noop("Năm"), False, 8,
           gettext_noop("Năm trong thời gian của kế hoạch (với loại: trong năm, quý, tháng).")),
    Column("quarter", gettext_noop("Quý"), False, 6, gettext_noop("Từ 1 đến 4.")),
    Column("month", gettext_noop("Tháng"), False, 7, gettext_noop("Từ 1 đến 12.")),
    Column("start_date", gettext_noop("Từ ngày"), False, 12,
           gettext_noop("Ngày/tháng/năm, ví dụ 01/03/2026.")),
    Column("end_date", gettext_noop("Đến ngày, hạn hoàn thành"), False, 14,
           gettext_noop("Ngày/tháng/năm; bắt buộc với loại theo ngày.")),
    Column("time_text", gettext_noop("Thời gian (như văn bản ghi)"), False, 22),
    Column("expected_output", gettext_noop("Sản phẩm dự kiến"), False, 30),
    Column("report_to", gettext_noop("Báo cáo kết quả về"), False, 26,
           gettext_noop("Chọn một cơ quan trong danh sách (không bắt buộc).")),
    Column("report_due_text", gettext_noop("Hạn báo cáo (như văn bản ghi)"), False, 22),
)
BY_KEY = {column.key: column for column in COLUMNS}
# A service's field → the column that holds it.
FIELD_COLUMNS = {column.key: column.key for column in COLUMNS}

# Messages (gettext when they are said: the user's language).
NOT_A_NUMBER = gettext_lazy("“%(value)s” không phải một số nguyên.")
NOT_A_YEAR = gettext_lazy("“%(value)s” không phải một năm (bốn chữ số).")
NOT_A_QUARTER = gettext_lazy("Quý là một số từ 1 đến 4 (hoặc I, II, III, IV), không phải "
                             "“%(value)s”.")
NOT_A_DATE = gettext_lazy("“%(value)s” không phải một ngày (ngày/tháng/năm).")
UNKNOWN_TIME_FRAME = gettext_lazy("Loại thời gian “%(value)s” không có trong danh sách.")
UNKNOWN_AGENCY = gettext_lazy("Đơn vị ban hành kế hoạch không có cơ quan “%(value)s”.")
AMBIGUOUS_AGENCY = gettext_lazy("“%(value)s” là tên của nhiều cơ quan: hãy ghi tên đầy đủ.")
REQUIRED = gettext_lazy("Ô này bắt buộc.")
BAD_CHARACTER = gettext_lazy("Ô có ký tự điều khiển (mã U+%(code)s), không ghi được.")
SECTION_TWICE = gettext_lazy("Mục “%(section)s” đã có ở dòng %(row)s của tệp.")
TOO_MANY_ROWS = gettext_lazy("Tệp có hơn %(n)s dòng nhiệm vụ. Hãy chia thành nhiều tệp.")
NO_HEADER = gettext_lazy("Không tìm thấy dòng tiêu đề (có cột “%(text)s”) trong %(n)s dòng đầu "
                         "của trang tính. Hãy dùng tệp mẫu.")
MISSING_COLUMNS = gettext_lazy("Thiếu cột bắt buộc: %(names)s. Hãy dùng tệp mẫu.")
NO_ROWS = gettext_lazy("Tệp không có dòng nhiệm vụ nào dưới dòng tiêu đề.")
UNREADABLE = gettext_lazy("Không đọc được tệp: hãy dùng tệp Excel (.xlsx) theo mẫu.")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DIGITS = re.compile(r"^[0-9]{1,9}\Z")  # ASCII digits: int() also reads "٢٠٢٦"
_SPLIT = re.compile(r"[;\n]+")


def header(column: Column) -> str:
    """The column's header in the page's language."""
    return _(column.header)


@dataclass(frozen=True)
class RowError:
    row: int         # the row's number as the spreadsheet shows it; 0 for the whole file
    column: str      # the column's header; "" for the whole row
    message: str


class ImportRefused(Exception):
    """Nothing was written: the file cannot be read (`errors` holds one error of row 0) or
    rows are wrong (every error, by row and column)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(error.message for error in errors[:3]))
        self.errors = errors


def _file_refused(message: str) -> ImportRefused:
    return ImportRefused([RowError(0, "", str(message))])


# --- Reading the file -----------------------------------------------------------------------------

def _check_file(data: bytes) -> None:
    """What the content says before openpyxl opens it: size, kind, password, macros, bombs."""
    if len(data) > MAX_BYTES:
        raise FileRejected(xlsx.too_large(MAX_BYTES))
    if data.startswith(OLE_MAGIC):
        # Excel saves a password-protected .xlsx as an OLE compound file, as it does an .xls.
        encrypted = "EncryptedPackage".encode("utf-16-le") in data
        raise FileRejected(xlsx.encrypted() if encrypted else xlsx.old_xls())
    xlsx.check_xlsx(data, limit=MAX_UNCOMPRESSED)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise FileRejected(xlsx.macros())
        if "xl/workbook.xml" not in names:
            raise FileRejected(xlsx.not_excel())


def _header_names() -> dict[str, str]:
    """Folded header → column key, in Vietnamese and in the page's language."""
    names = {fold(column.header): column.key for column in COLUMNS}
    names.update({fold(header(column)): column.key for column in COLUMNS})
    with translation.override("en"):
        names.update({fold(header(column)): column.key for column in COLUMNS})
    return names


def _rows(data: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable file is the same answer
        raise FileRejected(str(UNREADABLE)) from error
    try:
        sheet = book.active if book.active is not None else book.worksheets[0]
        cells = enumerate(xlsx.whole_rows(sheet, max_col=MAX_COLUMNS), start=1)
        while True:
            try:
                number, values = next(cells)
            except StopIteration:
                return
            except Exception as error:  # noqa: BLE001 - a part openpyxl cannot read
                raise FileRejected(str(UNREADABLE)) from error
            yield number, tuple(values)
    finally:
        book.close()


@dataclass(frozen=True)
class Layout:
    header_row: int
    indexes: dict[str, int]  # column key → index in the row


def _layout(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> Layout:
    names = _header_names()
    for number, values in rows:
        found = {}
        for index, value in enumerate(values):
            # The template marks a required column's header with an asterisk.
            key = names.get(fold(value).rstrip(" *")) if isinstance(value, str) else None
            if key is not None and key not in found:
                found[key] = index
        if "text" in found or "section" in found:
            missing = [header(c) for c in COLUMNS if c.required and c.key not in found]
            if missing:
                raise FileRejected(str(MISSING_COLUMNS % {
                    "names": ", ".join(f"“{name}”" for name in missing)}))
            return Layout(header_row=number, indexes=found)
        if number >= HEADER_SEARCH_ROWS:
            break
    raise FileRejected(str(NO_HEADER % {"text": header(BY_KEY["text"]),
                                        "n": HEADER_SEARCH_ROWS}))


# --- Reading a row ---------------------------------------------------------------------------------

class CellError(ValueError):
    """A cell that cannot be read: `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a section typed 3 is read by Excel as the number 3.0
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    text = str(value).strip()
    bad = forbidden_character(text, multiline=True)
    if bad is not None:
        raise CellError(str(BAD_CHARACTER % {"code": f"{ord(bad):04X}"}))
    return text


def _whole(value: Any, message: Any = NOT_A_NUMBER) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(str(message % {"value": value}))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if _DIGITS.match(text):
        return int(text)
    raise CellError(str(message % {"value": text}))


def _year(value: Any) -> int | None:
    year = _whole(value, NOT_A_YEAR)
    if year is not None and not 1000 <= year <= 9999:
        raise CellError(str(NOT_A_YEAR % {"value": year}))
    return year


def _quarter(value: Any) -> int | None:
    if isinstance(value, str) and fold(value) in ROMAN:
        return ROMAN[fold(value)]
    return _whole(value, NOT_A_QUARTER)


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return parse_day(text)
    except BadDay:
        raise CellError(str(NOT_A_DATE % {"value": text})) from None


def _time_frames() -> dict[str, str]:
    """Folded label or code → time frame, in Vietnamese and in the page's language."""
    found = {fold(value): value for value in TimeFrame.values}
    for language in ("vi", "en", translation.get_language() or "vi"):
        with translation.override(language):
            found.update({fold(str(label)): value for value, label in TimeFrame.choices})
    return found


class Agencies:
    """The agencies of a plan's unit, found by name or short name as a sheet writes them:
    exactly first, then accents and case aside; a short name two agencies share is refused."""

    def __init__(self, agencies: list[Agency]) -> None:
        self.exact: dict[str, Agency | None] = {}
        self.folded: dict[str, Agency | None] = {}
        for agency in agencies:
            for name in (agency.name, agency.short_name):
                if not name:
                    continue
                for table, key in ((self.exact, normalize(name).casefold()),
                                   (self.folded, fold(name))):
                    if key in table and table[key] != agency:
                        table[key] = None  # two agencies answer to it
                    else:
                        table[key] = agency

    def find(self, text: str) -> Agency:
        key, folded = normalize(text).casefold(), fold(text)
        if key not in self.exact and folded not in self.folded:
            raise CellError(str(UNKNOWN_AGENCY % {"value": text}))
        found = self.exact[key] if key in self.exact else self.folded[folded]
        if found is None:
            raise CellError(str(AMBIGUOUS_AGENCY % {"value": text}))
        return found


def _read_row(values: tuple[Any, ...], layout: Layout, agencies: Agencies,
              time_frames: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """(the row's values as `task_create` takes them, errors by column key)."""
    errors: dict[str, str] = {}

    def cell(key: str) -> Any:
        index = layout.indexes.get(key)
        return values[index] if index is not None and index < len(values) else None

    def read(key: str, reader: Any, default: Any = None) -> Any:
        try:
            value = reader(cell(key))
        except CellError as error:
            errors[key] = error.message
            return default
        if BY_KEY[key].required and value in (None, ""):
            errors[key] = str(REQUIRED)
        return value

    def agency(text: str) -> Agency | None:
        return agencies.find(text) if text else None

    def partners(raw: Any) -> list[Agency]:
        found: list[Agency] = []
        problems = []
        for name in _SPLIT.split(_text(raw)):
            if name.strip():
                try:
                    found.append(agencies.find(name.strip()))
                except CellError as error:
                    problems.append(error.message)
        if problems:
            raise CellError(" ".join(problems))
        return found

    def time_frame(raw: Any) -> str:
        text = _text(raw)
        if not text:
            return TimeFrame.UNSPECIFIED
        if fold(text) not in time_frames:
            raise CellError(str(UNKNOWN_TIME_FRAME % {"value": text}))
        return time_frames[fold(text)]

    row = {
        "section": read("section", _text, ""),
        "heading": read("heading", _text, ""),
        "text": read("text", _text, ""),
        "lead": read("lead", lambda raw: agency(_text(raw))),
        "cooperating": read("cooperating", partners, []),
        "time_frame": read("time_frame", time_frame, TimeFrame.UNSPECIFIED),
        "year": read("year", _year),
        "quarter": read("quarter", _quarter),
        "month": read("month", _whole),
        "start_date": read("start_date", _day),
        "end_date": read("end_date", _day),
        "time_text": read("time_text", _text, ""),
        "expected_output": read("expected_output", _text, ""),
        "report_to": read("report_to", lambda raw: agency(_text(raw))),
        "report_due_text": read("report_due_text", _text, ""),
    }
    return row, errors


# --- The service ---------------------------------------------------------------------------------

def _service_errors(error: ValidationError | PermissionDenied) -> dict[str, str]:
    """A refusal of `task_create`, by column key ("" for none)."""
    if isinstance(error, PermissionDenied) or not hasattr(error, "error_dict"):
        messages = [str(error)] if isinstance(error, PermissionDenied) else error.messages
        return {"": " ".join(messages)}
    return {FIELD_COLUMNS.get(field, ""): " ".join(str(m) for m in messages)
            for field, messages in error.message_dict.items()}


def tasks_import(*, actor: User, plan: Plan, data: bytes) -> list[Task]:
    """The tasks of the sheet `data`, given to `plan`: all of them, or none and ImportRefused
    listing every error by row and column. PermissionDenied when `actor` does not keep the
    plan's unit."""
    if not selectors.may_manage(user=actor, plan=plan):
        raise PermissionDenied
    try:
        _check_file(data)
        rows = _rows(data)
        layout = _layout(rows)
        read = [(number, values) for number, values in _limited(rows)]
    except FileRejected as error:
        raise _file_refused(error.message) from error
    if not read:
        raise _file_refused(str(NO_ROWS))
    agencies = Agencies(list(selectors.agencies_of_plan(plan=plan)))
    time_frames = _time_frames()
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    created: list[Task] = []
    with transaction.atomic():
        # One import of a plan at a time: a second one waits here for the first to commit,
        # then finds its sections taken (row by row, in words) instead of a server error from
        # the unique section, and gives its tasks the positions after the first's, not the
        # same ones.
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        for number, values in read:
            row, problems = _read_row(values, layout, agencies, time_frames)
            section = normalize(row["section"])
            if section and "section" not in problems:
                if section in seen:
                    problems["section"] = str(SECTION_TWICE % {"section": section,
                                                               "row": seen[section]})
                else:
                    seen[section] = number
            if not problems:
                try:
                    created.append(services.task_create(actor=actor, plan=plan, **row))
                except (ValidationError, PermissionDenied) as error:
                    problems = _service_errors(error)
            errors.extend(RowError(number, header(BY_KEY[key]) if key else "", message)
                          for key, message in _ordered(problems))
        if errors:
            # Raised inside the transaction: the rows written before a wrong one are undone.
            raise ImportRefused(errors)
    return created


def _limited(rows: Iterator[tuple[int, tuple[Any, ...]]]
             ) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows holding anything, at most MAX_ROWS (FileRejected past them)."""
    count = 0
    for number, values in rows:
        if all(value is None or (isinstance(value, str) and not value.strip())
               for value in values):
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileRejected(str(TOO_MANY_ROWS % {"n": f"{MAX_ROWS:,}".replace(",", ".")}))
        yield number, values


def _ordered(problems: dict[str, str]) -> list[tuple[str, str]]:
    """A row's errors in the order of the columns ("" — the whole row — first)."""
    order = {"": -1, **{column.key: index for index, column in enumerate(COLUMNS)}}
    return sorted(problems.items(), key=lambda item: order.get(item[0], len(order)))
