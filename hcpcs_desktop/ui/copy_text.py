"""What each copy action puts on the clipboard, and what the CSV export of codes writes."""

from __future__ import annotations

import csv
import io

from ..data.database import CodePage
from ..wording import source_line, value_text


def code_and_long(page: CodePage) -> str:
    """"S9353 Home infusion therapy, …"."""
    return f"{page.code} {page.long_description}"


def all_fields(page: CodePage) -> str:
    """One "label: value — meaning" line per field that has a value, in layout order."""
    return "\n".join(f"{f.label}: {value_text(f)}" for f in page.fields if f.value)


def field_line(page: CodePage, key: str) -> str:
    """The text a copy button beside field `key` copies."""
    if key in ("code", "long_description", "short_description"):
        return page[key].value
    field = page[key]
    return f"{field.label}: {value_text(field)}"


def pages_as_rows(pages: list[CodePage]) -> str:
    """Tab-separated code, short and long description: pastes into a spreadsheet as rows."""
    return "\n".join(f"{p.code}\t{p.short_description}\t{p.long_description}" for p in pages)


def _each(pages: list[CodePage], one, what: str, several: str) -> tuple[str, str]:
    """`one(page)` for the single code, or code-tab-`one(page)` lines for several."""
    if not pages:
        return "", ""
    if len(pages) == 1:
        return one(pages[0]), what
    return "\n".join(f"{p.code}\t{one(p)}" for p in pages), f"{len(pages)} {several}"


# What each Edit → Copy command copies: (text, what it is), from the pages of the selected
# rows (several copy as one line each, code first) or else the code shown.
def copy_codes(pages: list[CodePage]) -> tuple[str, str]:
    if len(pages) > 1:
        return pages_as_rows(pages), f"{len(pages)} rows"
    return (pages[0].code, "code") if pages else ("", "")


def copy_long(pages: list[CodePage]) -> tuple[str, str]:
    return _each(pages, lambda p: p.long_description, "long description", "long descriptions")


def copy_short(pages: list[CodePage]) -> tuple[str, str]:
    return _each(pages, lambda p: p.short_description, "short description", "short descriptions")


def copy_code_and_long(pages: list[CodePage]) -> tuple[str, str]:
    if len(pages) > 1:
        return "\n".join(code_and_long(p) for p in pages), f"{len(pages)} codes and long descriptions"
    return (code_and_long(pages[0]), "code and long description") if pages else ("", "")


def copy_all_fields(pages: list[CodePage]) -> tuple[str, str]:
    """All fields of one code; for several, each code's fields under its code, a blank line between."""
    if len(pages) > 1:
        return "\n\n".join(f"{p.code}\n{all_fields(p)}" for p in pages), f"all fields of {len(pages)} codes"
    return (all_fields(pages[0]), "all fields") if pages else ("", "")


def copy_with_source(pages: list[CodePage], release_name: str) -> tuple[str, str]:
    """"S9353 — Hit cont insulin diem (CMS HCPCS October 2025)", one line per code."""
    lines = "\n".join(source_line(p.code, p.short_description, release_name) for p in pages)
    return lines, ("code with source" if len(pages) == 1 else f"{len(pages)} codes with source")


def pages_csv(pages: list[CodePage]) -> str:
    """A header of field labels, then a row per code: each field as the page shows it (value — meaning)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([field.label for field in pages[0].fields])
    writer.writerows([value_text(field) for field in page.fields] for page in pages)
    return out.getvalue()
