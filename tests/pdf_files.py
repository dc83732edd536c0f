"""Small valid text PDFs for tests, written object by object (no PDF library).

A document is a list of pages; a page is a list of lines from the top down. A line is

- a string, printed at the left margin;
- an (indent, text) pair, printed `indent` points right of the margin (an index sub-term);
- a list of (x, text) cells on one baseline, x in points from the margin (a table row).

Text is Helvetica 10 pt in WinAnsi (cp1252) encoding, one BT ... ET block per cell placed
with Td, on a US Letter page; the file has a classic xref table and trailer, so pypdf reads
it without repairs.
"""

from __future__ import annotations

from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 612, 792
LEFT, TOP = 72, 740  # where the first line starts
LEADING = 14  # points from one baseline to the next
FONT_SIZE = 10

Line = str | tuple[float, str] | list[tuple[float, str]]


def _cells(line: Line) -> list[tuple[float, str]]:
    if isinstance(line, str):
        return [(0, line)]
    if isinstance(line, tuple):
        return [line]
    return list(line)


def _escape(text: str) -> bytes:
    data = text.encode("cp1252")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: list[Line]) -> bytes:
    """The page's content stream: each cell in its own text object."""
    parts = []
    for row, line in enumerate(lines):
        y = TOP - row * LEADING
        for x, text in _cells(line):
            if text:
                parts.append(b"BT /F1 %d Tf %.2f %.2f Td (%s) Tj ET" % (FONT_SIZE, LEFT + x, y, _escape(text)))
    return b"\n".join(parts)


def pdf_bytes(pages: list[list[Line]]) -> bytes:
    """A PDF with one page per list of lines."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        content = _content(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_pdf(path: Path, pages: list[list[Line]]) -> Path:
    """Write `pages` as a PDF file at `path` and return the path."""
    path = Path(path)
    path.write_bytes(pdf_bytes(pages))
    return path
