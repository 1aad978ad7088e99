"""Opening an uploaded .xlsx (a zip of XML parts) without letting it take the machine.

An .xlsx is a zip archive: 1 MB on disk can hold gigabytes of XML (a zip bomb), thousands of
parts, another archive inside, or an XML part declaring entities that expand a thousandfold
("billion laughs"). Nothing of that comes out of Excel, LibreOffice or Google Sheets, and all of
it is refused here before any part is read:

- the archive's directory: at most `max_members` parts, no nested archive, no absolute or
  ".." name, no encrypted part, only stored or deflated parts, no part declaring more than
  `max_total` bytes, the declared sizes together under `max_total`, and no part of more than
  `ratio_grace` bytes declaring more than `max_ratio` times its compressed size;
- while reading: every byte decompressed counts against `max_total`, whatever the directory
  said (a declared size that lies is stopped there, and Python's zipfile also stops at the
  declared size and then fails the part's checksum);
- every XML part is refused when its prolog holds a DTD (`<!DOCTYPE`, hence `<!ENTITY`): an
  Office part never has one, and without it no entity but the five predefined ones exists.

Framework-free: `UnsafeWorkbook` carries a reason code and the limit, and the caller words the
message for its user.
"""

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

MIB = 1024 * 1024
# A part holding another archive (by its name or by its first bytes).
_ARCHIVE_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".xlsb", ".docx", ".pptx", ".jar", ".gz", ".7z",
                     ".rar", ".tar", ".bz2", ".xz", ".cab")
_ARCHIVE_MAGICS = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ",
                   b"MSCF")
_ALLOWED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# In an XML prolog: the declaration, comments, processing instructions and white space, then
# the root element. A DTD can only stand before the root.
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    max_members: int = 1000
    max_total: int = 256 * MIB      # uncompressed bytes of the whole workbook
    max_ratio: int = 100            # uncompressed / compressed, for parts over ratio_grace
    ratio_grace: int = 1 * MIB
    prolog_bytes: int = 64 * 1024   # how far an XML part's root element may start


class UnsafeWorkbook(Exception):
    """The archive is refused. `reason` is one of: corrupt, too_many_members, nested_archive,
    odd_member, too_large, ratio, dtd; `limit` the number it broke, where there is one."""

    def __init__(self, reason: str, limit: int | None = None, member: str = "") -> None:
        super().__init__(f"{reason} {limit or ''} {member}".strip())
        self.reason = reason
        self.limit = limit
        self.member = member


# What reading a damaged or hostile archive raises; zipfile raises NotImplementedError for a
# compression method it does not know (an archive no spreadsheet program writes).
_READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError,
                NotImplementedError, RuntimeError, OSError)


class GuardedArchive:
    """A zip archive whose directory passed `check_directory`, read within a byte budget."""

    def __init__(self, data: bytes, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        # The count in the end record first: zipfile builds an object for every entry of the
        # directory, 100,000 of them before any check could run.
        if declared_members(data) > self.limits.max_members:
            raise UnsafeWorkbook("too_many_members", self.limits.max_members)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except _READ_ERRORS as error:
            raise UnsafeWorkbook("corrupt") from error
        check_directory(infos, self.limits)
        self.names = {info.filename for info in infos}
        self.budget = self.limits.max_total  # bytes still allowed to be decompressed

    def namelist(self) -> list[str]:
        return self.zip.namelist()

    def file_size(self, name: str) -> int:
        return self.zip.getinfo(name).file_size

    def open(self, name: str, *, xml: bool = True) -> "_BudgetedStream":
        """A stream of the part `name` (KeyError when there is none), refused on its first
        read when it is XML with a DTD."""
        try:
            raw = self.zip.open(name)
        except KeyError:
            raise
        except _READ_ERRORS as error:
            raise UnsafeWorkbook("corrupt", member=name) from error
        return _BudgetedStream(self, raw, name, xml=xml)

    def read(self, name: str, *, xml: bool = True) -> bytes:
        with self.open(name, xml=xml) as stream:
            return stream.read()

    def close(self) -> None:
        self.zip.close()


class _BudgetedStream(io.RawIOBase):
    """Reads a part, charging every decompressed byte to the archive's budget."""

    def __init__(self, archive: GuardedArchive, raw: IO[bytes], name: str, *, xml: bool) -> None:
        super().__init__()
        self.archive = archive
        self.raw = raw
        self.name = name
        self.pending_prolog = xml
        self.prolog = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        # Never more at once than the budget allows, plus one byte to know it was exceeded:
        # an unbounded read() of a bomb would decompress it whole before any check.
        budget = self.archive.budget
        want = budget + 1 if size is None or size < 0 else min(size, budget + 1)
        try:
            data = _read_at_most(self.raw, want)
        except _READ_ERRORS as error:
            raise UnsafeWorkbook("corrupt", member=self.name) from error
        if len(data) > budget:
            self.archive.budget = -1
            raise UnsafeWorkbook("too_large", self.archive.limits.max_total, self.name)
        self.archive.budget -= len(data)
        if self.pending_prolog and data:
            self._check_prolog(data)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def _check_prolog(self, data: bytes) -> None:
        self.prolog += data[:self.archive.limits.prolog_bytes]
        root = _ROOT_START.search(self.prolog)
        head = self.prolog if root is None else self.prolog[:root.start()]
        if _DTD.search(head):
            raise UnsafeWorkbook("dtd", member=self.name)
        if root is not None:
            self.pending_prolog = False
            self.prolog = b""
        elif len(self.prolog) >= self.archive.limits.prolog_bytes:
            raise UnsafeWorkbook("corrupt", member=self.name)

    def close(self) -> None:
        self.raw.close()
        super().close()


def declared_members(data: bytes) -> int:
    """The number of entries the archive's end record declares (0 when there is none: zipfile
    then says what is wrong)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end < 0 or len(data) < end + 22:
        return 0
    entries = struct.unpack("<H", data[end + 10:end + 12])[0]
    # 0xFFFF: a Zip64 archive keeps the real count elsewhere; zipfile reads it.
    return entries if entries != 0xFFFF else 0


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < limit:
        chunk = stream.read(min(MIB, limit - got))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuses an archive by what its directory declares, before anything is decompressed."""
    if len(infos) > limits.max_members:
        raise UnsafeWorkbook("too_many_members", limits.max_members)
    total = 0
    for info in infos:
        name = info.filename
        if (name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/")
                or posixpath.isabs(name) or "\x00" in name):
            raise UnsafeWorkbook("odd_member", member=name)
        if info.flag_bits & 0x1:
            raise UnsafeWorkbook("corrupt", member=name)  # an encrypted part
        if info.compress_type not in _ALLOWED_COMPRESSION:
            raise UnsafeWorkbook("corrupt", member=name)
        if name.lower().endswith(_ARCHIVE_SUFFIXES):
            raise UnsafeWorkbook("nested_archive", member=name)
        if info.file_size > limits.max_total:
            raise UnsafeWorkbook("too_large", limits.max_total, name)
        total += info.file_size
        if total > limits.max_total:
            raise UnsafeWorkbook("too_large", limits.max_total, name)
        if (info.file_size > limits.ratio_grace
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            raise UnsafeWorkbook("ratio", limits.max_ratio, name)


def check_no_nested_archive(archive: GuardedArchive) -> None:
    """Refuses a part whose first bytes are those of an archive, whatever its name (a few
    bytes of each part are decompressed)."""
    for name in archive.namelist():
        if name.endswith("/"):
            continue
        with archive.open(name, xml=False) as stream:
            head = stream.read(8)
        if head.startswith(_ARCHIVE_MAGICS):
            raise UnsafeWorkbook("nested_archive", member=name)


def iter_xml_parts(archive: GuardedArchive) -> Iterator[str]:
    return (name for name in archive.namelist()
            if name.lower().endswith((".xml", ".rels", ".vml")))


def check_workbook(data: bytes, limits: Limits | None = None) -> GuardedArchive:
    """Every check that needs no full read: the directory, nested archives, and the prolog of
    every XML part (a DTD anywhere is refused). Returns the archive, ready to read."""
    archive = GuardedArchive(data, limits)
    check_no_nested_archive(archive)
    for name in iter_xml_parts(archive):
        stream = archive.open(name)
        try:
            while stream.pending_prolog:
                chunk = stream.read(4096)
                if not chunk:
                    break
        finally:
            stream.close()
    # The prolog checks decompressed a few kB of each part: they do not count against the
    # budget of the real read.
    archive.budget = archive.limits.max_total
    return archive
