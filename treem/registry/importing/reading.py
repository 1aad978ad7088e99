"""Reading an uploaded Excel list of children: file checks, the sheet's cells, the header.

Files are judged by their content, never their name: a .xls renamed .xlsx is still refused as an
old workbook, and a real workbook named "danh sach.txt" is read.

The sheet is read with regular expressions over the decompressed XML, streamed in chunks,
rather than with openpyxl: openpyxl's read-only mode spends ~8 µs a cell in Python and reads
100,000 rows of 18 columns in ~15 s, which alone would miss the import's target of 10,000 rows
a second. The fast pattern matches cells as Excel, LibreOffice, Google Sheets and openpyxl write
them (attributes r, s, t in that order); a chunk holding any cell it does not match (other
attributes, rich text, missing references) is read again by a slower, general pattern, so an
unusual writer costs speed, never correctness. The workbook's small parts (relationships,
workbook, shared strings) are parsed with ElementTree, which checks them as XML.
"""

import datetime
import html
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 - parses only the workbook's own parts

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from treem.lib import xlsx_guard
from treem.registry.importing import columns as cols
from treem.ui import xlsx
from treem.ui.xlsx import FileRejected, unsafe_message

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
# Decompressed size of the whole workbook (a zip bomb stops here, whatever its rows): a list
# of 200,000 children as Excel or openpyxl write it is ~200 MB of XML.
DEFAULT_MAX_UNCOMPRESSED = 256 * 1024 * 1024
# Shared strings are held in memory while the sheet is read: their part is capped apart.
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_SHARED_STRINGS = 2_000_000
# Cells in one row, and the bytes of one row of the sheet's XML: the list has 18 columns.
MAX_COLUMNS = 256
MAX_ROW_BYTES = 32 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
CHUNK = 4 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Stream names in an OLE compound file's directory are UTF-16LE.
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"),
                      "EncryptedPackage".encode("utf-16-le"))
_XLS_MARKERS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))

_MACRO_CONTENT_TYPE = "macroEnabled"
_WORKSHEET_REL = "/worksheet"
_SHARED_STRINGS_REL = "/sharedStrings"
_OFFICE_DOCUMENT_REL = "/officeDocument"


def max_bytes() -> int:
    return int(getattr(settings, "TREEM_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "TREEM_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_uncompressed() -> int:
    return int(getattr(settings, "TREEM_IMPORT_MAX_UNCOMPRESSED", DEFAULT_MAX_UNCOMPRESSED))


def guard_limits() -> xlsx_guard.Limits:
    return xlsx_guard.Limits(max_total=max_uncompressed())


# Messages about the whole file (gettext at the time they are raised: the user's language).


def _too_many_rows(limit: int) -> str:
    return _("Tệp có hơn %(n)s dòng. Hãy chia danh sách thành nhiều tệp.") % {
        "n": f"{limit:,}".replace(",", ".")}


def _too_many_columns(row: int, limit: int) -> str:
    return _("Dòng %(row)s có hơn %(n)s cột. Hãy xóa các cột thừa, hoặc chép danh sách vào tệp "
             "mẫu.") % {"row": row, "n": limit}


def _row_too_large(limit: int) -> str:
    return _("Tệp có một dòng dài hơn %(size)s. Hãy kiểm tra lại tệp.") % {
        "size": filesizeformat(limit)}


def _too_many_strings(limit: int) -> str:
    return _("Tệp có quá nhiều chữ (hơn %(size)s trong bảng chữ dùng chung của Excel). Hãy chia "
             "danh sách thành nhiều tệp nhỏ hơn.") % {"size": filesizeformat(limit)}


def _rejected(error: xlsx_guard.UnsafeWorkbook) -> FileRejected:
    return FileRejected(unsafe_message(error), unsafe=error.reason != "corrupt")


def _no_rows() -> str:
    return _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")


def _no_header() -> str:
    return _("Không tìm thấy dòng tiêu đề (có cột “Họ và tên”) trong %(n)s dòng đầu của trang "
             "tính đầu tiên. Hãy dùng tệp mẫu.") % {"n": HEADER_SEARCH_ROWS}


def _missing_columns(names: list[str]) -> str:
    return _("Thiếu cột bắt buộc: %(names)s. Hãy dùng tệp mẫu.") % {
        "names": ", ".join(f"“{name}”" for name in names)}


def _duplicate_column(name: str) -> str:
    return _("Cột “%(name)s” có hai lần trong dòng tiêu đề.") % {"name": name}


# --- Checks that need no parsing ----------------------------------------------------------------

def sniff(data: bytes) -> None:
    """What can be said of a file at once, before it is stored: size, kind, macros, encryption.

    Raises FileRejected. The deep checks (every part readable, the header, the rows) run in the
    background with `Workbook`."""
    limit = max_bytes()
    if len(data) > limit:
        raise FileRejected(xlsx.too_large(limit))
    if not data:
        raise FileRejected(xlsx.empty_file())
    if data.startswith(OLE_MAGIC):
        # Excel saves a password-protected .xlsx as an OLE compound file holding the encrypted
        # package; an .xls is one too, holding a "Workbook" (or, before 97, "Book") stream.
        if any(marker in data for marker in _ENCRYPTED_MARKERS):
            raise FileRejected(xlsx.encrypted())
        if any(marker in data for marker in _XLS_MARKERS):
            raise FileRejected(xlsx.old_xls())
        raise FileRejected(xlsx.not_excel())
    if not data.startswith(ZIP_MAGIC):
        raise FileRejected(xlsx.not_excel())
    book = _open_zip(data)
    _workbook_part(book)


def _open_zip(data: bytes) -> xlsx_guard.GuardedArchive:
    """The archive, refused before anything is decompressed when its directory says it is a
    bomb (`treem.lib.xlsx_guard`); every part read from it counts against the same limit."""
    try:
        return xlsx_guard.check_workbook(data, guard_limits())
    except xlsx_guard.UnsafeWorkbook as error:
        raise _rejected(error) from error


def _read_part(book: xlsx_guard.GuardedArchive, name: str) -> bytes:
    try:
        return book.read(name)
    except xlsx_guard.UnsafeWorkbook as error:
        raise _rejected(error) from error


def _xml(data: bytes) -> ET.Element:
    try:
        return ET.fromstring(data)  # noqa: S314 - a workbook part; no DTDs are fetched by ET
    except ET.ParseError as error:
        raise FileRejected(xlsx.corrupt()) from error


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attribute(element: ET.Element, name: str) -> str | None:
    """An attribute by local name, whatever namespace prefix the writer chose."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _relationships(book: xlsx_guard.GuardedArchive, part: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of the relationships of `part`."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    try:
        root = _xml(_read_part(book, rels_name))
    except KeyError:
        return []
    found = []
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        found.append((rel.get("Id", ""), rel.get("Type", ""), resolved))
    return found


def _workbook_part(book: xlsx_guard.GuardedArchive) -> str:
    """The workbook's part name, refusing anything that is not a macro-free .xlsx."""
    names = book.names
    if any(posixpath.basename(name).lower() == "vbaproject.bin" for name in names):
        raise FileRejected(xlsx.macros())
    try:
        content_types = _read_part(book, "[Content_Types].xml")
    except KeyError as error:
        raise FileRejected(xlsx.not_excel()) from error
    if _MACRO_CONTENT_TYPE.encode() in content_types:
        raise FileRejected(xlsx.macros())
    _xml(content_types)
    office = [target for _id, kind, target in _relationships(book, "")
              if kind.endswith(_OFFICE_DOCUMENT_REL)]
    if not office or not office[0].endswith(".xml"):
        # No workbook, a Word or PowerPoint document, or a binary workbook (.xlsb).
        raise FileRejected(xlsx.not_excel())
    if not office[0].startswith("xl/") and b"spreadsheetml.sheet" not in content_types:
        raise FileRejected(xlsx.not_excel())
    if office[0] not in names:
        raise FileRejected(xlsx.corrupt())
    return office[0]


# --- The workbook and its first sheet -----------------------------------------------------------

@dataclass(frozen=True)
class CellError:
    """A cell holding a formula error (#N/A, #VALUE!…)."""

    code: str


class Workbook:
    """The first visible worksheet of an .xlsx, read as rows of raw cells."""

    def __init__(self, data: bytes) -> None:
        sniff(data)
        self.zip = _open_zip(data)
        workbook = _workbook_part(self.zip)
        root = _xml(_read_part(self.zip, workbook))
        relationships = {rel_id: (kind, target)
                         for rel_id, kind, target in _relationships(self.zip, workbook)}
        properties = next((el for el in root if _local(el.tag) == "workbookPr"), None)
        self.date1904 = properties is not None and (
            properties.get("date1904") or "").lower() in ("1", "true")
        self.sheet_part = ""
        for sheets in (el for el in root if _local(el.tag) == "sheets"):
            for sheet in sheets:
                kind, target = relationships.get(_attribute(sheet, "id") or "", ("", ""))
                if sheet.get("state") in ("hidden", "veryHidden") \
                        or not kind.endswith(_WORKSHEET_REL):
                    continue
                self.sheet_part = target
                break
        if not self.sheet_part or self.sheet_part not in self.zip.names:
            raise FileRejected(xlsx.corrupt())
        strings = [target for kind, target in relationships.values()
                   if kind.endswith(_SHARED_STRINGS_REL)]
        self.shared = self._shared_strings(strings[0]) if strings else []
        self.sheet_size = self.zip.file_size(self.sheet_part)
        self.bytes_read = 0
        # The bytes of the sheet whose rows are being given out (up to the end of the chunk
        # scanned last), and the last row holding a cell in them: the two measure the same
        # span, so that rows per byte can be told while the rest is still unread. The bytes
        # read ahead (`bytes_read`, a chunk or two more) hold rows not given out yet.
        self.bytes_scanned = 0
        self.last_row = 0  # the largest row number read from the sheet so far
        self.row_limit = max_rows() + HEADER_SEARCH_ROWS

    def _shared_strings(self, part: str) -> list[str]:
        strings: list[str] = []
        try:
            if self.zip.file_size(part) > MAX_SHARED_STRINGS_BYTES:
                raise FileRejected(_too_many_strings(MAX_SHARED_STRINGS_BYTES))
            with self.zip.open(part) as stream:
                for _event, element in ET.iterparse(stream, events=("end",)):  # noqa: S314 - no DTD passes the guard
                    if _local(element.tag) != "si":
                        continue
                    if len(strings) >= MAX_SHARED_STRINGS:
                        raise FileRejected(_too_many_strings(MAX_SHARED_STRINGS_BYTES))
                    parts = []
                    for child in element:
                        name = _local(child.tag)
                        if name == "t":
                            parts.append(child.text or "")
                        elif name == "r":  # a run of rich text; phonetic runs (rPh) are skipped
                            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
                    strings.append("".join(parts))
                    element.clear()
        except KeyError as error:
            raise FileRejected(xlsx.corrupt()) from error
        except xlsx_guard.UnsafeWorkbook as error:
            raise _rejected(error) from error
        except (ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError, ValueError,
                NotImplementedError, RuntimeError) as error:
            raise FileRejected(xlsx.corrupt()) from error
        return strings

    def rows(self) -> Iterator[tuple[int, dict[bytes, tuple]]]:
        """(row number, {column letters: raw cell}) for every row holding a cell."""
        try:
            yield from self._rows()
        except xlsx_guard.UnsafeWorkbook as error:
            raise _rejected(error) from error
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
                RuntimeError) as error:
            raise FileRejected(xlsx.corrupt()) from error

    def _rows(self) -> Iterator[tuple[int, dict[bytes, tuple]]]:
        rows_seen = 0
        with self.zip.open(self.sheet_part) as stream:
            buffer = stream.read(CHUNK)
            self.bytes_read = len(buffer)
            root = _ROOT.search(buffer[:65536])
            if root is None:
                raise FileRejected(xlsx.corrupt())
            patterns = _Patterns(prefix=root.group(1) or b"")
            row_number = 0
            cells: dict[bytes, tuple] = {}
            while True:
                more = stream.read(CHUNK)
                self.bytes_read += len(more)
                buffer += more
                if more:
                    # Cut after the last complete row; the rest waits for the next chunk.
                    end = buffer.rfind(patterns.row_end)
                    if end < 0:
                        if len(buffer) > MAX_ROW_BYTES:
                            raise FileRejected(_row_too_large(MAX_ROW_BYTES))
                        continue
                    end += len(patterns.row_end)
                    chunk, buffer = buffer[:end], buffer[end:]
                else:
                    chunk, buffer = buffer, b""
                    if not chunk.rstrip().endswith(patterns.sheet_end):
                        raise FileRejected(xlsx.corrupt())  # cut short
                # A row's marker (its number, then four empty fields) opens its cells.
                found = patterns.cells(chunk)
                # Known before the chunk's rows are given out (the progress reads them).
                self.last_row = max(self.last_row, _last_row_with_cells(found))
                self.bytes_scanned = self.bytes_read - len(buffer)
                for cell in found:
                    number = cell[0]
                    if number:
                        if cells:
                            rows_seen += 1
                            if rows_seen > self.row_limit:
                                raise FileRejected(_too_many_rows(max_rows()))
                            if len(cells) > MAX_COLUMNS:
                                raise FileRejected(_too_many_columns(row_number, MAX_COLUMNS))
                            yield row_number, cells
                        row_number, cells = int(number), {}
                    else:
                        cells[cell[1]] = cell
                if not more:
                    break
            if cells:
                if len(cells) > MAX_COLUMNS:
                    raise FileRejected(_too_many_columns(row_number, MAX_COLUMNS))
                yield row_number, cells

    def value(self, cell: tuple) -> Any:
        """The Python value of a raw cell: str, float, bool, date, CellError or None."""
        kind, raw, inline = cell[2], cell[3], cell[4]
        if kind == b"s":
            if not raw:
                return None
            try:
                return self.shared[int(raw)]
            except (IndexError, ValueError) as error:
                raise FileRejected(xlsx.corrupt()) from error
        if kind == b"inlineStr":
            return _text(inline)
        if kind == b"str":
            return _text(raw)
        if not raw:
            return None
        if kind == b"b":
            return raw.strip() in (b"1", b"true")
        if kind == b"e":
            return CellError(raw.decode("utf-8", "replace"))
        if kind == b"d":
            return _iso_date(raw.decode("ascii", "replace"))
        try:
            return float(raw)
        except ValueError as error:
            raise FileRejected(xlsx.corrupt()) from error

    def excel_date(self, serial: float) -> datetime.date | None:
        """The day of an Excel serial date (1900 or 1904 system); None out of range."""
        if not 1 <= serial < 2958466:
            return None
        epoch = datetime.date(1904, 1, 1) if self.date1904 else datetime.date(1899, 12, 30)
        return epoch + datetime.timedelta(days=int(serial))


def _last_row_with_cells(found: list[tuple]) -> int:
    """The number of the last row of a scanned chunk that holds a cell, 0 if none: the
    formatted rows without cells that Excel writes below a list are not rows read."""
    has_cell = False
    for item in reversed(found):
        if not item[0]:
            has_cell = True
        elif has_cell:
            return int(item[0])
    return 0


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def _iso_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet\b")


@dataclass
class _Patterns:
    prefix: bytes
    row_end: bytes = b""
    sheet_end: bytes = b""
    fast: re.Pattern = field(init=False)
    cell_starts: tuple[bytes, ...] = ()
    row_starts: tuple[bytes, ...] = ()
    row_any: re.Pattern = field(init=False)
    cell_any: re.Pattern = field(init=False)
    value: re.Pattern = field(init=False)
    text: re.Pattern = field(init=False)
    phonetic: re.Pattern = field(init=False)

    def __post_init__(self) -> None:
        p = re.escape(self.prefix + b":") if self.prefix else b""
        tag = self.prefix + b":" if self.prefix else b""
        self.row_end = b"</" + tag + b"row>"
        self.sheet_end = b"</" + tag + b"worksheet>"
        self.cell_starts = (b"<" + tag + b"c ", b"<" + tag + b"c>", b"<" + tag + b"c/>")
        self.row_starts = (b"<" + tag + b"row ", b"<" + tag + b"row>", b"<" + tag + b"row/>")
        # A row (its number), or a cell (column, type, value, inline text): one match each,
        # in the order of the sheet. Possessive quantifiers: a cell that does not match is
        # given up at once instead of being tried again by backtracking (a quarter faster).
        self.fast = re.compile(
            rb'<' + p + rb'(?:row r="(\d++)"[^>]*+>'
            rb'|c r="([A-Z]{1,3})\d++"(?: s="\d++")?+(?: t="(\w++)")?+'
            rb'(?:\s*+/>|>(?:<' + p + rb'f\b[^>]*?(?:/>|>[^<]*+</' + p + rb'f>))?+'
            rb'(?:<' + p + rb'v>([^<]*+)</' + p + rb'v>'
            rb'|<' + p + rb'is><' + p + rb't(?: xml:space="preserve")?+>([^<]*+)</' + p
            + rb't></' + p + rb'is>)?+</' + p + rb'c>))')
        self.row_any = re.compile(rb'<' + p + rb'row\b([^>]*?)(?:/>|>(.*?)</' + p + rb'row>)',
                                  re.S)
        self.cell_any = re.compile(rb'<' + p + rb'c\b([^>]*?)(?:/>|>(.*?)</' + p + rb'c>)', re.S)
        self.value = re.compile(rb'<' + p + rb'v>([^<]*)</' + p + rb'v>')
        self.text = re.compile(rb'<' + p + rb't\b[^>]*>([^<]*)</' + p + rb't>')
        self.phonetic = re.compile(rb'<' + p + rb'rPh\b.*?</' + p + rb'rPh>', re.S)

    def cells(self, chunk: bytes) -> list[tuple]:
        """The rows and cells of `chunk`, in order: (row number, b"", b"", b"", b"") opens a
        row, (b"", column, type, value, inline text) is a cell of it. A cell carries no row
        number, so that the same value in the same column is the same tuple on every row (the
        parser caches its results by it)."""
        found = self.fast.findall(chunk)
        if len(found) == sum(chunk.count(start) for start in self.cell_starts) + sum(
                chunk.count(start) for start in self.row_starts):
            return found
        return self._general(chunk)

    def _general(self, chunk: bytes) -> list[tuple]:
        """Every row and cell of `chunk`, whatever their attributes (the slow path)."""
        found: list[tuple] = []
        row_number = 0
        for row in self.row_any.finditer(chunk):
            number = _R_ROW.search(row.group(1))
            row_number = int(number.group(1)) if number else row_number + 1
            found.append((str(row_number).encode(), b"", b"", b"", b""))
            column = 0
            for cell in self.cell_any.finditer(row.group(2) or b""):
                attributes, body = cell.group(1), cell.group(2) or b""
                ref = _R_CELL.search(attributes)
                if ref and len(ref.group(1)) > 3:  # past XFD, Excel's last column
                    raise FileRejected(_too_many_columns(row_number, MAX_COLUMNS))
                column = _column_index(ref.group(1)) if ref and ref.group(1) else column + 1
                if column > MAX_COLUMNS:
                    raise FileRejected(_too_many_columns(row_number, MAX_COLUMNS))
                kind = _T_ATTR.search(attributes)
                value = self.value.search(body)
                inline = b""
                if kind and kind.group(1) == b"inlineStr":
                    inline = b"".join(self.text.findall(self.phonetic.sub(b"", body)))
                found.append((b"", _column_letters(column), kind.group(1) if kind else b"",
                              value.group(1) if value else b"", inline))
        return found


_R_ROW = re.compile(rb'\br="(\d+)"')
_R_CELL = re.compile(rb'\br="([A-Z]*)\d*"')
_T_ATTR = re.compile(rb'\bt="(\w+)"')


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (letter - 64)
    return index


def _column_letters(index: int) -> bytes:
    letters = b""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


# --- Header and rows ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """Where each known column is: key → column letters, and the header's row number."""

    header_row: int
    letters: dict[str, bytes]


def find_header(book: Workbook, rows: Iterator[tuple[int, dict[bytes, tuple]]]) -> Layout:
    """Read rows until the header; the iterator is left at the first row under it."""
    for seen, (number, cells) in enumerate(rows):
        found: dict[str, bytes] = {}
        for letters, cell in cells.items():
            value = book.value(cell)
            key = cols.HEADERS.get(cols.header_key(value)) if isinstance(value, str) else None
            if key is None:
                continue
            if key in found:
                raise FileRejected(_duplicate_column(cols.BY_KEY[key].header))
            found[key] = letters
        if "full_name" in found:
            missing = [c.header for c in cols.COLUMNS if c.required and c.key not in found]
            if missing:
                raise FileRejected(_missing_columns(missing))
            return Layout(header_row=number, letters=found)
        if seen + 1 >= HEADER_SEARCH_ROWS:
            break
    raise FileRejected(_no_header())
