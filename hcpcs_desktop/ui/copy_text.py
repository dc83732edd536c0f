"""What each copy action puts on the clipboard."""

from __future__ import annotations

from ..data.database import CodePage
from ..search import Hit
from ..wording import source_line


def code_and_long(page: CodePage) -> str:
    """"S9353 Home infusion therapy, …"."""
    return f"{page.code} {page.long_description}"


def all_fields(page: CodePage) -> str:
    """One "label: value — meaning" line per field that has a value, in layout order."""
    return "\n".join(f"{f.label}: {f.display}" for f in page.fields if f.value)


def field_line(page: CodePage, key: str) -> str:
    """The text a copy button beside field `key` copies."""
    if key in ("code", "long_description", "short_description"):
        return page[key].value
    field = page[key]
    return f"{field.label}: {field.display}"


def hits_as_rows(hits: list[Hit]) -> str:
    """Tab-separated code, short and long description: pastes into a spreadsheet as rows."""
    return "\n".join(f"{h.code}\t{h.short_description}\t{h.long_description}" for h in hits)


def hits_long(hits: list[Hit]) -> str:
    """The long description of one hit, or code-tab-description rows for several."""
    if len(hits) == 1:
        return hits[0].long_description
    return "\n".join(f"{h.code}\t{h.long_description}" for h in hits)


# What each Edit → Copy command copies: (text, what it is), from the selected rows
# (several copy as rows) or else the code shown.
def copy_codes(hits: list[Hit], page: CodePage | None) -> tuple[str, str]:
    if len(hits) > 1:
        return hits_as_rows(hits), f"{len(hits)} rows"
    return (page.code, "code") if page else ("", "")


def copy_long(hits: list[Hit], page: CodePage | None) -> tuple[str, str]:
    if len(hits) > 1:
        return hits_long(hits), f"{len(hits)} long descriptions"
    return (page.long_description, "long description") if page else ("", "")


def copy_short(hits: list[Hit], page: CodePage | None) -> tuple[str, str]:
    return (page.short_description, "short description") if page else ("", "")


def copy_code_and_long(hits: list[Hit], page: CodePage | None) -> tuple[str, str]:
    return (code_and_long(page), "code and long description") if page else ("", "")


def copy_all_fields(hits: list[Hit], page: CodePage | None) -> tuple[str, str]:
    return (all_fields(page), "all fields") if page else ("", "")


def copy_with_source(hits: list[Hit], page: CodePage | None, release_name: str) -> tuple[str, str]:
    """"S9353 — Hit cont insulin diem (CMS HCPCS October 2025)", one line per selected row."""
    if len(hits) > 1:
        lines = "\n".join(source_line(h.code, h.short_description, release_name) for h in hits)
        return lines, f"{len(hits)} codes with source"
    return (source_line(page.code, page.short_description, release_name), "code with source") if page else ("", "")
