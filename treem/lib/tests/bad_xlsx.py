"""A corpus of hostile .xlsx files, generated in code and small on disk (tests only).

Each builder takes a good workbook (the bytes of a real .xlsx) and returns a copy with one part
replaced or added. Archives are written by hand (`raw_zip`) so that a part's declared sizes can
differ from its stream, and big parts are deflate streams of one block repeated (after a full
flush, deflate starts afresh: the same block compresses to the same bytes), so that a sheet of
300 MB costs a few hundred kB and no 300 MB buffer.
"""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass
class Member:
    name: str
    data: bytes            # as stored (deflated unless method is ZIP_STORED)
    size: int              # declared uncompressed size
    crc: int
    method: int = zipfile.ZIP_DEFLATED


def members_of(workbook: bytes) -> list[Member]:
    with zipfile.ZipFile(io.BytesIO(workbook)) as book:
        return [deflated(info.filename, book.read(info.filename)) for info in book.infolist()]


def deflated(name: str, content: bytes) -> Member:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = packer.compress(content) + packer.flush()
    return Member(name, data, len(content), zlib.crc32(content))


def repeated(name: str, *, head: bytes, block: bytes, times: int, tail: bytes) -> Member:
    """head + block × times + tail, deflated without building it (CRC computed block by
    block)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    one = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return Member(name, start + one * times + end, len(head) + len(block) * times + len(tail),
                  crc)


def raw_zip(members: list[Member]) -> bytes:
    """A zip archive of `members` exactly as given (sizes declared as they say)."""
    out = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, member.method, 0, 0, member.crc,
                           len(member.data), member.size, len(name), 0)
        out += name + member.data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, member.method, 0,
                               0, member.crc, len(member.data), member.size, len(name), 0, 0,
                               0, 0, 0, offset)
        central += name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                       len(central), start, 0)
    return bytes(out)


def replaced(workbook: bytes, *new: Member) -> bytes:
    names = {member.name for member in new}
    return raw_zip([m for m in members_of(workbook) if m.name not in names] + list(new))


def sheet_name(workbook: bytes) -> str:
    return next(m.name for m in members_of(workbook) if m.name.startswith("xl/worksheets/"))


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b"<sheetData>")
SHEET_TAIL = b"</sheetData></worksheet>"
ROW = (b'<row r="2"><c r="A2" t="inlineStr"><is><t>Nguyen Van A</t></is></c>'
       b'<c r="B2" t="inlineStr"><is><t>Nam</t></is></c></row>')


def sheet_bomb(workbook: bytes, *, megabytes: int) -> bytes:
    """The first sheet holds `megabytes` MB of rows (a deflate bomb, ~1,000 times smaller)."""
    block = ROW * (MIB // len(ROW))
    return replaced(workbook, repeated(sheet_name(workbook), head=SHEET_HEAD, block=block,
                                       times=megabytes, tail=SHEET_TAIL))


def lying_size(workbook: bytes, *, megabytes: int, declared: int) -> bytes:
    """A sheet bomb whose directory declares `declared` bytes only."""
    block = ROW * (MIB // len(ROW))
    member = repeated(sheet_name(workbook), head=SHEET_HEAD, block=block, times=megabytes,
                      tail=SHEET_TAIL)
    member.size = declared
    return replaced(workbook, member)


def shared_strings_bomb(workbook: bytes, *, megabytes: int) -> bytes:
    """A sharedStrings part of `megabytes` MB (its relationship and content type added)."""
    block = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    block = block * (MIB // len(block))
    strings = repeated(
        "xl/sharedStrings.xml",
        head=b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main">',
        block=block, times=megabytes, tail=b"</sst>")
    return replaced(workbook, strings, *_with_shared_strings(workbook))


def _with_shared_strings(workbook: bytes) -> list[Member]:
    parts = {m.name: m for m in members_of(workbook)}
    rels = zlib.decompress(parts["xl/_rels/workbook.xml.rels"].data, -15)
    if b"sharedStrings" not in rels:
        rels = rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    types = zlib.decompress(parts["[Content_Types].xml"].data, -15)
    if b"sharedStrings" not in types:
        types = types.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return [deflated("xl/_rels/workbook.xml.rels", rels), deflated("[Content_Types].xml", types)]


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;")
                                                  * 10) for n in range(1, 10))
          + b"]>\n")


def billion_laughs_sheet(workbook: bytes) -> bytes:
    sheet = (LAUGHS + SHEET_HEAD.split(b"\n", 1)[1]
             + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
             + SHEET_TAIL)
    return replaced(workbook, deflated(sheet_name(workbook), sheet))


def billion_laughs_shared_strings(workbook: bytes) -> bytes:
    strings = (LAUGHS + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
               b'main"><si><t>&lol9;</t></si></sst>')
    return replaced(workbook, deflated("xl/sharedStrings.xml", strings),
                    *_with_shared_strings(workbook))


def many_members(workbook: bytes, *, count: int) -> bytes:
    return raw_zip(members_of(workbook) + [deflated(f"xl/media/pad{n}.xml", b"<a/>")
                                           for n in range(count)])


def nested_zip(workbook: bytes, *, name: str = "xl/embeddings/inner.bin") -> bytes:
    """Another archive (the workbook itself) stored inside, under a name that hides it."""
    return raw_zip(members_of(workbook) + [deflated(name, workbook)])


def wide_sheet(workbook: bytes, *, column: str = "BDWGN") -> bytes:
    """A sheet whose dimension and one cell reach column `column` (BDWGN is the millionth)."""
    sheet = (SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:%s2"/><sheetData>'
                                % column.encode())
             + b'<row r="1"><c r="A1" t="inlineStr"><is><t>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan'
               b'</t></is></c><c r="%s1" t="inlineStr"><is><t>x</t></is></c></row>'
             % column.encode()
             + SHEET_TAIL)
    return replaced(workbook, deflated(sheet_name(workbook), sheet))


def truncated(workbook: bytes) -> bytes:
    return workbook[: len(workbook) * 2 // 3]
