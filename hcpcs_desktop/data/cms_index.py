"""Read CMS's "HCPCS Alpha-Numeric Index" PDF: the coders' terms and the codes they lead to.

The index is one column of lines in alphabetical order, under letter headings ("A", "B" ...),
with a running header ("2019 HCPCS Alpha-Numeric Index 2") on every page. Its shape
(the terms here are made up):

    Gizmo, padded, E9001                a head term at the left margin, its codes after it
    Widget, E9010-E9019                 a range
      holder, E9002, E9003              sub-terms indented under their head term
    Sprocket                            a head term that only gathers sub-terms
      chain, long, with clasp, E9004-   a line that wraps goes on below, further indented:
          E9006, E9008                  the range is E9004-E9006
      wheel                             a sub-term that only gathers deeper ones
         toothed, E9020                 ("Sprocket", "wheel, toothed")
    Cog, see Sprocket                   a cross-reference: no codes, no entry

The codes follow the last comma; CMS also writes them with no comma before ("use E9030"),
no space after it (",E9031"), and ranges with spaces or an en dash ("E9040 - E9049"). A note
may trail them ("(hospital reporting only)", "K Codes") and is dropped. A page may open with
sub-terms of the previous page's head term. Terms are kept as printed, CMS's typos
("supposity") included; only runs of spaces are collapsed.

`parse_index_lines` holds the text logic; `read_index` turns the PDF into such lines, with
the indentation measured from where each line starts on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ReleaseError
from .pdf_text import CODE, CODE_ITEM, CODE_OR_RANGE, pdf_pages, share_after_comma

# The codes at the end of a line, and what may trail them.
_CODES_AT_END = re.compile(
    rf"(?:^|(?<=[\s,]))(?P<codes>{CODE_OR_RANGE}(?:\s*,\s*{CODE_OR_RANGE})*)"
    r"\s*,?\s*(?P<note>\([^()]*\)|[A-Z] [Cc]odes)?\s*,?\s*$"
)
_STARTS_WITH_CODE = re.compile(rf"^{CODE}\b")
_SEE = re.compile(r"(?:^|[\s,(])see\s", re.IGNORECASE)
_LETTER_HEADING = re.compile(r"^[A-Z]$")
_PAGE_FURNITURE = re.compile(
    r"^(?:\d{4}\s+HCPCS\s+Alpha-Numeric\s+Index(?:\s*\d+)?"  # running header with page number
    r"|HCPCS\s+\d{4}\s+Index"  # title on the first page
    r"|Last\s+updated\b.*"  # closing line
    r"|\d+)$",  # bare page number
    re.IGNORECASE,
)
POINTS_PER_SPACE = 4.5  # CMS indents sub-terms by 9 points: two spaces


@dataclass(frozen=True)
class IndexEntry:
    """One index line that leads to codes."""

    term: str  # head term as printed, e.g. "Ambulance"
    subterm: str  # "" for a head-term line, else the sub-term as printed, e.g. "air"
    codes: tuple[str, ...]  # single codes as printed, e.g. ("A0430", "A0431")
    ranges: tuple[tuple[str, str], ...]  # ranges as printed, e.g. (("A0021", "A0999"),)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _split_codes(text: str) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]] | None:
    """(label, codes, ranges) of a line ending in codes, or None when it ends in none."""
    match = _CODES_AT_END.search(text)
    if not match:
        return None
    codes, ranges = [], []
    for first, last in CODE_ITEM.findall(match.group("codes")):
        if last:
            ranges.append((first, last))
        else:
            codes.append(first)
    label = text[: match.start()].rstrip(" ,")
    return label, tuple(codes), tuple(ranges)


def _continues(previous: str, text: str) -> bool:
    """Whether an indented line is the rest of the line before it, wrapped."""
    if previous.endswith("-"):
        return True
    return previous.endswith(",") and (
        _STARTS_WITH_CODE.match(text) is not None or _split_codes(previous) is not None
    )


def _logical_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(indentation, text) of each index line, wrapped lines joined, page furniture dropped.

    A letter heading becomes (0, "").
    """
    cleaned = [(len(line) - len(line.lstrip()), _clean(line)) for line in lines]
    cleaned = [(indent, text) for indent, text in cleaned if text and not _PAGE_FURNITURE.match(text)]
    headings = [i for i, (_, text) in enumerate(cleaned) if _LETTER_HEADING.match(text)]
    if headings:  # the notice above the first letter heading is no entry
        cleaned = cleaned[headings[0]:]
    logical: list[list] = []
    for indent, text in cleaned:
        if _LETTER_HEADING.match(text):
            logical.append([0, ""])
            continue
        previous = logical[-1][1] if logical else ""
        if previous and (_STARTS_WITH_CODE.match(text) or (indent and _continues(previous, text))):
            joiner = "" if previous.endswith("-") else " "
            logical[-1][1] = previous + joiner + text
        else:
            logical.append([indent, text])
    return [(indent, text) for indent, text in logical]


@dataclass
class _Group:
    """A sub-term without codes, which deeper-indented sub-terms may come under."""

    indent: int
    label: str
    line: str
    used: bool = False


def parse_index_lines(lines: list[str], skipped: list[str] | None = None) -> list[IndexEntry]:
    """Index entries from the index's text lines, in order.

    A line's indentation is its leading spaces: none for a head term, some for a sub-term
    (`read_index` turns the position on the page into spaces). A sub-term without codes
    with deeper-indented sub-terms under it prefixes theirs ("wheel, toothed"). Lines that
    could not be understood (a sub-term with no head term, a term with neither codes nor
    terms under it) are appended to `skipped` when it is given.
    """
    entries: list[IndexEntry] = []
    lost = skipped if skipped is not None else []
    head: str | None = None  # the current head term
    unused: str | None = None  # a head term without codes, until a sub-term comes under it
    group: _Group | None = None
    for indent, text in _logical_lines(lines):
        parsed = _split_codes(text)
        label = parsed[0] if parsed else text.rstrip(" ,")
        if group and indent <= group.indent:
            if not group.used:
                lost.append(group.line)
            group = None
        if not indent:  # a head term, or a letter heading ("")
            if unused:
                lost.append(unused)
            # Sub-terms after "Strip, blood glucose test, A4253" come under "Strip", not under the test.
            head, unused = (label.split(",")[0].strip() if parsed else label) or None, None
            if parsed and label:
                entries.append(IndexEntry(label, "", parsed[1], parsed[2]))
            elif text and not _SEE.search(text):
                unused = text
            continue
        if head is None or not label:
            lost.append(text)
            continue
        unused = None
        if group:
            group.used = True
        if parsed:
            subterm = f"{group.label}, {label}" if group else label
            entries.append(IndexEntry(head, subterm, parsed[1], parsed[2]))
        elif not group and not _SEE.search(text):
            group = _Group(indent, label, text)
    if unused:
        lost.append(unused)
    if group and not group.used:
        lost.append(group.line)
    return entries


def _page_lines(page) -> list[tuple[float | None, str]]:
    """(x where the text starts, text) of each line of a page, in reading order."""
    lines: list[list] = [[None, ""]]

    def visit(text, cm, tm, font_dict, font_size):
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        for i, piece in enumerate(text.split("\n")):
            if i:
                lines.append([None, ""])
            line = lines[-1]
            if line[0] is None and piece.strip() and not line[1].strip():
                line[0] = x if i == 0 else None  # a line begun inside a chunk has no known x
            line[1] += piece

    page.extract_text(visitor_text=visit)
    return [(x, text) for x, text in lines if text.strip()]


def index_text_lines(pages: list[list[tuple[float | None, str]]]) -> list[str]:
    """The lines of every page, with indentation (page position over the left margin) as spaces."""
    starts = [x for page in pages for x, _ in page if x is not None]
    margin = min(starts, default=0.0)
    lines = []
    for page in pages:
        for x, text in page:
            spaces = max(0, round(((x if x is not None else margin) - margin) / POINTS_PER_SPACE))
            lines.append(" " * spaces + text.rstrip())
    return lines


def read_index(path: Path, skipped: list[str] | None = None) -> list[IndexEntry]:
    """Entries of CMS's HCPCS Alpha-Numeric Index PDF (build time only: it needs pypdf)."""
    path = Path(path)
    pages = [_page_lines(page) for page in pdf_pages(path)]
    lines = index_text_lines(pages)
    entries = parse_index_lines(lines, skipped)
    if not entries or share_after_comma(lines, _CODES_AT_END) < 0.5:  # a table has no commas there
        raise ReleaseError(path.name, 'no index entries ("term, HCPCS codes" lines) found in this PDF')
    return entries
