"""Spreadsheet uploads: the one guard every .xlsx upload passes before a reader opens it
(`treem.lib.xlsx_guard`: the archive's sizes, ratio and parts, nested archives, DTDs), and the
Vietnamese messages that say why a file was refused and what to do. The register's import
reads its own way after this; the other uploads (the DHIS2 table, the targets) read with
openpyxl."""

from collections.abc import Iterator
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from treem.lib import xlsx_guard

ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_UNCOMPRESSED = 256 * 1024 * 1024


class FileRejected(Exception):
    """The whole file cannot be read; `message` says why, in Vietnamese, and what to do.
    `unsafe`: refused as hostile (a bomb, a DTD), not merely unreadable."""

    def __init__(self, message: str, *, unsafe: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.unsafe = unsafe


# Messages about the whole file (gettext at the time they are raised: the user's language).
def not_excel() -> str:
    return _("Đây không phải tệp Excel (.xlsx). Hãy tải tệp mẫu ở trang này, điền danh sách "
             "vào đó rồi tải lên.")


def encrypted() -> str:
    return _("Tệp Excel đang được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Excel, bỏ "
             "mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật "
             "khẩu), lưu lại rồi tải lên.")


def old_xls() -> str:
    return _("Đây là tệp Excel cũ (.xls). Hãy mở bằng Excel, chọn Lưu thành › Sổ làm việc "
             "Excel (.xlsx) rồi tải tệp .xlsx lên.")


def macros() -> str:
    return _("Tệp có chứa macro (.xlsm). Vì an toàn, hệ thống không nhận tệp có macro; hãy "
             "lưu lại thành Sổ làm việc Excel (.xlsx) rồi tải lên.")


def corrupt() -> str:
    return _("Tệp bị hỏng, không đọc được. Hãy mở lại bằng Excel, lưu lại rồi tải lên.")


def too_large(limit: int) -> str:
    return _("Tệp lớn hơn %(size)s. Hãy chia danh sách thành nhiều tệp nhỏ hơn.") % {
        "size": filesizeformat(limit)}


def too_large_unpacked(limit: int) -> str:
    return _("Tệp quá lớn sau khi giải nén: nội dung của tệp vượt %(size)s. Hãy chia danh sách "
             "thành nhiều tệp nhỏ hơn.") % {"size": filesizeformat(limit)}


def odd_compression(ratio: int) -> str:
    return _("Tệp bị nén bất thường (nội dung giải nén lớn gấp hơn %(n)s lần phần nén), điều mà "
             "Excel không bao giờ làm: hệ thống không đọc tệp này. Hãy mở bằng Excel, lưu lại "
             "rồi tải lên.") % {"n": ratio}


def too_many_parts(limit: int) -> str:
    return _("Tệp có hơn %(n)s thành phần bên trong, không phải một sổ làm việc Excel thông "
             "thường. Hãy lưu danh sách vào tệp mẫu rồi tải lên.") % {"n": limit}


def nested_archive() -> str:
    return _("Tệp chứa một tệp nén khác bên trong; vì an toàn, hệ thống không đọc tệp này. Hãy "
             "lưu danh sách vào tệp mẫu rồi tải lên.")


def dtd() -> str:
    return _("Tệp có khai báo DTD hoặc ENTITY trong nội dung XML, điều mà Excel không bao giờ "
             "ghi; vì an toàn, hệ thống không đọc tệp này. Hãy mở bằng Excel, lưu lại rồi tải "
             "lên.")


def empty_file() -> str:
    return _("Tệp rỗng.")


def unsafe_message(error: xlsx_guard.UnsafeWorkbook, *, limit: int | None = None) -> str:
    """The Vietnamese message for a workbook the guard refused."""
    if error.reason == "too_large":
        return too_large_unpacked(error.limit or limit or DEFAULT_MAX_UNCOMPRESSED)
    if error.reason == "ratio":
        return odd_compression(error.limit or 0)
    if error.reason == "too_many_members":
        return too_many_parts(error.limit or 0)
    if error.reason == "nested_archive":
        return nested_archive()
    if error.reason == "dtd":
        return dtd()
    return corrupt()


def check_xlsx(data: bytes, *, limit: int = DEFAULT_MAX_UNCOMPRESSED) -> None:
    """The guard of every other .xlsx upload (the DHIS2 table, the targets), read afterwards by
    openpyxl: the archive's directory (sizes, ratio, parts), nested archives and DTDs, before
    the reader opens the file. openpyxl reads no part past its declared size (zipfile stops
    there and fails the checksum), so the declared sizes bound what it decompresses. Raises
    FileRejected with a Vietnamese message."""
    if not data:
        raise FileRejected(empty_file())
    if not data.startswith(ZIP_MAGIC):
        raise FileRejected(not_excel())
    limits = xlsx_guard.Limits(max_total=limit)
    try:
        xlsx_guard.check_workbook(data, limits).close()
    except xlsx_guard.UnsafeWorkbook as error:
        raise FileRejected(unsafe_message(error, limit=limit),
                           unsafe=error.reason != "corrupt") from error


EXCEL_LAST_ROW = 1_048_576


def whole_rows(sheet: Any, *, max_col: int, min_row: int = 1,
               max_row: int = EXCEL_LAST_ROW) -> Iterator[tuple[Any, ...]]:
    """The rows of a read-only sheet, whatever size it declares: read-only openpyxl stops at
    the sheet's declared dimension, which some exports get wrong ("A1"), and the rows after it
    would be dropped without a word. Bounded by Excel's last row (openpyxl pads every empty
    row up to the last one it finds)."""
    sheet.reset_dimensions()
    return sheet.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col,
                           values_only=True)
