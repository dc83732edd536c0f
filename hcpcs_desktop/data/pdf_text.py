"""Reading CMS's PDFs (the HCPCS Index, the Table of Drugs): pages, code patterns, layout tests.

Build time only: pypdf is imported inside `pdf_pages`, never by the application.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ReleaseError
from .safe_files import MIB, read_file

MAX_PDF_BYTES = 16 * MIB  # CMS's Index and Table of Drugs: 238 KB at most
CODE = r"[A-Z]\d{4}"
CODE_OR_RANGE = rf"{CODE}(?:\s*[-\u2013]\s*{CODE})?"  # "J0287-J0289" as CMS prints a range
CODE_ITEM = re.compile(rf"({CODE})(?:\s*[-\u2013]\s*({CODE}))?")  # a code, or the two ends of a range


def share_after_comma(lines: list[str], codes_at_end: re.Pattern) -> float:
    """Of the lines that end in codes after some text, the share whose text ends in a comma:
    most in the index ("term, J0000"), few in a table (codes after a column gap)."""
    labels = [line[: match.start()].rstrip() for line in lines
              if (match := codes_at_end.search(line)) and line[: match.start()].strip()]
    return sum(label.endswith(",") for label in labels) / len(labels) if labels else 0.0


def pdf_pages(path: Path) -> list[_CheckedPage]:
    """The pages of a PDF; a missing, foreign, truncated or damaged file is a ReleaseError.

    Build time only: pypdf is imported here, not by the application.
    """
    import io

    from pypdf import PdfReader

    name = path.name
    data = read_file(path, MAX_PDF_BYTES)  # a pipe or a device refused at once, a huge file never read
    if b"%PDF-" not in data[:1024]:
        raise ReleaseError(name, "not a PDF file")
    if b"%%EOF" not in data[-2048:]:
        raise ReleaseError(name, "the PDF is truncated (it has no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReleaseError(name, "the PDF is encrypted")
        pages = list(reader.pages)
        for page in pages:
            page.get_contents()
    except ReleaseError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged input
        raise ReleaseError(name, _damaged(exc)) from None
    if not pages:
        raise ReleaseError(name, "the PDF has no pages")
    return [_CheckedPage(name, page) for page in pages]


class _CheckedPage:
    """A pypdf page whose text extraction turns any failure into a ReleaseError."""

    def __init__(self, name: str, page):
        self._name, self._page = name, page

    def extract_text(self, **options) -> str:
        try:
            return self._page.extract_text(**options)
        except Exception as exc:  # damaged content streams, fonts or encodings
            raise ReleaseError(self._name, _damaged(exc)) from None


def _damaged(exc: Exception) -> str:
    detail = " ".join(str(exc).split())
    detail = detail if len(detail) <= 80 else detail[:77] + "..."
    return f"the PDF is damaged and cannot be read ({type(exc).__name__}: {detail})"
