"""One-page PDFs of a few lines, for the demo's stand-ins of signed paper (a receipt, a consent
form): written directly, ASCII text in a standard font, so nothing is embedded and WeasyPrint
is not needed. Never used for a document a user prints."""

from treem.lib.text import fold


def ascii_upper(text: str) -> str:
    """`text` without its accents, in capitals (what the standard font can show)."""
    return "".join(ch for ch in fold(text).upper() if ch.isascii())


def _escaped(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing `lines` (ASCII) one under the other."""
    text = " ".join(f"({_escaped(line)}) '" for line in lines)
    stream = f"BT /F1 12 Tf 56 780 Td 20 TL {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, table)
    return bytes(out)
