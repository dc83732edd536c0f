"""Read CMS's "Table of Drugs" PDF: drugs with their unit, routes and codes, and brand names.

The table has four columns, drug name, unit, route and code, with no ruling; its lines, as
pypdf's layout mode prints them (columns apart by runs of spaces), look like:

    Adalimumab                         20 mg           SC       J0135
    Aldesleukin                     per single use vial       IM, IV      J9015
    Adriamycin PFS, see Doxorubicin HCl              a brand name and the generic to look up
    Buprenorphine/Naloxone                 1  mg          ORAL      J0571
                                     <=3 mg          ORAL      J0572     no name: the drug above
    Immune globulin                                   a head line without codes ...
       Bivigam                         500 mg           IV       J1556  ... and its entries
    Factor IX (anti-hemophilic factor, purified,      per IU    IV   J7193
       non-recombinant)                               a wrapped name goes on below

Routes are IV, IM, SC, IT, IA, INH, INJ, OTH, ORAL, VAR ... one or several with commas; codes
are single ("J7604, J7608") or ranges ("J0287-J0289"), and a list may wrap onto the next line.
CMS's text has stray spaces ("Amikacin  sulfate", "non- esrd") and typos ("IVection"): runs
of spaces are collapsed and a space beside a joining hyphen dropped, the rest kept as
printed. A word or number that strays past the codes ("J2353 25" over "mcg") belongs to the
start of the next line. Letter headings, page numbers, the title, the legend above the first
letter heading and column titles are dropped.

`parse_drug_table_lines` holds the text logic; `read_drug_table` turns the PDF into lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReleaseError

CODE = r"[A-Z]\d{4}"
_ITEM = rf"{CODE}(?:\s*[-\u2013]\s*{CODE})?"
_CODES_AT_END = re.compile(
    rf"(?:^|(?<=\s))(?P<codes>{_ITEM}(?:\s*,\s*{_ITEM})*)\s*,?(?:\s+(?P<stray>\S+))?\s*$"
)
_CODE_ITEM = re.compile(rf"({CODE})(?:\s*[-\u2013]\s*({CODE}))?")
ROUTES = ("IV", "IM", "SC", "SQ", "IT", "IA", "INH", "INJ", "OTH", "ORAL", "VAR")
_ROUTE_WORDS = ROUTES + ("EPIDURAL", "INTRAOCULAR", "OPHTHALMIC", "OPTHALMIC", "INTRAVESICAL", "TOPICAL")
_ROUTE = "(?:" + "|".join(_ROUTE_WORDS) + r")\b"
_ROUTES_AT_END = re.compile(rf"(?P<gap>^|\s+)(?P<routes>{_ROUTE}(?:\s*,\s*{_ROUTE})*)\s*$", re.IGNORECASE)
_SEE = re.compile(r",?\s+(?:also\s+)?see\s+", re.IGNORECASE)
_SEE_LINE = re.compile(r"^\S.*?,?\s+(?:also\s+)?see(?:\s|$)", re.IGNORECASE)
_UNIT_START = re.compile(r"^(?:\d|\.\d|[<>]|up to\b|per\b|each\b|units?\b)", re.IGNORECASE)
_SKIP = re.compile(
    r"^(?:\d+"  # page number
    r"|[A-Z]"  # letter heading
    r"|(?:\d{4}\s+)?Table\s+of\s+Drugs"  # title
    r"|Last\s+updated\b.*)$",
    re.IGNORECASE,
)
_COLUMN_TITLES = {"drug", "name", "unit", "per", "route", "routes", "code", "codes", "hcpcs"}
NAMELESS_INDENT = 12  # a line starting this far in has no name: it is the unit column
SUB_ENTRY_INDENT = 2  # a name this far in is an entry under the line above
MAX_RANGE = 50  # longer (or cross-letter) ranges are given by their two ends


@dataclass(frozen=True)
class DrugEntry:
    """One row of the table."""

    name: str  # e.g. "Adalimumab", "Albuterol, concentrated form"
    unit: str  # e.g. "20 mg", "per single use vial", "" when none given
    routes: tuple[str, ...]  # e.g. ("SC",), ("IM", "IV"), () when none
    codes: tuple[str, ...]  # e.g. ("J0135",); a range "J0287-J0289" as J0287, J0288, J0289


@dataclass(frozen=True)
class BrandReference:
    """A "Brand, see Generic" line."""

    brand: str  # e.g. "Lovenox", "Adriamycin PFS"
    generic: str  # the name after "see", e.g. "Enoxaparin sodium"


@dataclass(frozen=True)
class DrugTable:
    drugs: list[DrugEntry]
    brands: list[BrandReference]


@dataclass
class _Row:
    """A drug row being read (a wrapped line may still add to it)."""

    name: str
    unit: str
    routes: list[str]
    codes: list[str]
    open_list: bool = False  # its codes ended with a comma: more on the next line

    def entry(self) -> DrugEntry:
        return DrugEntry(self.name, _clean(self.unit), tuple(self.routes), tuple(self.codes))


@dataclass
class _Parent:
    """The name later lines may hang under: a head line, or the last row at the margin."""

    name: str
    is_row: bool  # a row of its own (a sibling then replaces its parenthesis)
    used: bool = True
    line: str = ""


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"(?<=\w)- (?=\w)", "-", text)
    return re.sub(r"(?<=\w) -(?=\w)", "-", text).strip(" ,")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _codes(text: str) -> list[str]:
    """The codes of "J7195,  J7200-J7202"; a range gives every code it spans."""
    codes = []
    for first, last in _CODE_ITEM.findall(text):
        low, high = int(first[1:]), int(last[1:] or 0)
        if last and first[0] == last[0] and 0 < high - low <= MAX_RANGE:
            codes += [f"{first[0]}{n:04d}" for n in range(low, high + 1)]
        else:
            codes += [first, last] if last else [first]
    return codes


def _join(parent: _Parent, name: str) -> str:
    """The name of an entry under `parent` ("Immune globulin, Bivigam", "Argatroban (for esrd use)")."""
    base = parent.name
    if parent.is_row and name.startswith("("):
        base = re.sub(r"\s*\([^()]*\)\s*$", "", base)
    lowercase = name[:1].islower() or name[:1] in "(&"
    return f"{base} {name}" if lowercase or base.rstrip().endswith(",") else f"{base}, {name}"


def _split_name_unit(body: str, indent: int, single_spaced: bool) -> tuple[str, str]:
    """The name and unit columns of what is left of a row once routes and codes are off."""
    gaps = list(re.finditer(r" {2,}", body))
    if indent >= NAMELESS_INDENT and not any(len(g.group()) >= 3 for g in gaps):
        return "", body
    if gaps:
        widest = max(len(g.group()) for g in gaps)
        candidates = [g for g in gaps if len(g.group()) == widest]
        unit_like = [g for g in candidates if _UNIT_START.match(body[g.end():])]
        gap = (unit_like or candidates)[0] if unit_like or widest >= 3 else None
        if gap is not None:
            return body[: gap.start()], body[gap.end():]
    if single_spaced:  # some pages print one space between columns
        match = re.search(r"^(.*?\S)\s+((?:up to |per )?\d\S*(?:\s+\D\S*)*)$", body)
        if match:
            return match.group(1), match.group(2)
    return body, ""


def _parse_row(line: str) -> tuple[str, str, list[str], list[str], bool, str] | None:
    """(name, unit, routes, codes, open list, stray word) of a line ending in codes, or None."""
    match = _CODES_AT_END.search(line)
    if not match:
        return None
    codes = _codes(match.group("codes"))
    open_list = line[match.end("codes"): match.end()].lstrip().startswith(",")
    rest = line[: match.start()].rstrip()
    single_spaced = not re.search(r"\S {2,}\S", rest.strip())
    routes: list[str] = []
    found = _ROUTES_AT_END.search(rest)
    if found and (single_spaced or found.group("gap") == "" or len(found.group("gap")) >= 2):
        routes = [r.upper() if r.upper() in ROUTES else r for r in re.split(r"\s*,\s*", found.group("routes"))]
        rest = rest[: found.start()].rstrip()
    name, unit = _split_name_unit(rest.strip(), _indent(rest), single_spaced)
    return name, unit, routes, codes, open_list, match.group("stray") or ""


def _brands(text: str, lost: list[str]) -> list[BrandReference]:
    """The references in "A, see B" text, several when CMS ran lines together ("…, see B C, see D")."""
    parts = [_clean(p) for p in _SEE.split(text)]
    found, brand = [], parts[0]
    for middle in parts[1:-1]:
        words = middle.split()
        starts = [i for i, w in enumerate(words) if i and re.match(r"[A-Z][a-z]", w)]
        if not starts:
            lost.append(f"{brand}, see {middle}")
            brand = ""
            continue
        if brand:
            found.append(BrandReference(brand, _clean(" ".join(words[: starts[-1]]))))
        brand = " ".join(words[starts[-1]:])
    if brand and parts[-1]:
        found.append(BrandReference(brand, parts[-1]))
    return found


def _is_column_titles(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text.lower())
    return bool(words) and set(words) <= _COLUMN_TITLES


def _table_lines(lines: list[str]) -> list[str]:
    """The lines of the table proper: no legend above the first letter heading, no page furniture."""
    start = next((i for i, line in enumerate(lines) if re.fullmatch(r"\s*[A-Z]\s*", line)), 0)
    return [line.rstrip() for line in lines[start:]
            if line.strip() and not _SKIP.match(line.strip()) and not _is_column_titles(line)]


def parse_drug_table_lines(lines: list[str], skipped: list[str] | None = None) -> DrugTable:
    """Drugs and brand references from the table's text lines (columns apart by 2+ spaces).

    Indentation counts from the left margin: a name indented by `SUB_ENTRY_INDENT` or more
    is an entry under the line above; a line starting `NAMELESS_INDENT` or more in has no name.
    Lines that could not be placed are appended to `skipped` when it is given.
    """
    lost = skipped if skipped is not None else []
    rows: list[_Row] = []
    brands: list[BrandReference] = []
    last: _Row | BrandReference | None = None
    parent: _Parent | None = None
    stray = ""
    table = _table_lines(lines)
    i = 0
    while i < len(table):
        line = table[i]
        i += 1
        if stray:
            line = " " * _indent(line) + stray + " " + line.lstrip()
            stray = ""
        text = line.strip()
        indent = _indent(line)
        first_column = re.split(r" {3,}", text)[0]
        if _SEE_LINE.match(first_column):
            while i < len(table) and _continues_reference(first_column, table[i]):
                first_column += ("" if first_column.endswith("-") else " ") + table[i].strip()
                i += 1
            found = _brands(first_column, lost)
            brands.extend(found)
            last = found[-1] if found else None
            parent = _forget(parent, lost)
            continue
        row = _parse_row(line)
        if row is None:
            parent, last = _loose_line(text, indent, parent, last, lost)
            continue
        name, unit, routes, codes, open_list, stray = row
        if not name and not unit and not routes and isinstance(last, _Row) and last.open_list:
            last.codes.extend(codes)  # the rest of a wrapped list of codes
            last.open_list = open_list
            continue
        name = _clean(name)
        if not name or indent >= SUB_ENTRY_INDENT or name[:1].islower() or name[:1] in "(&":
            if parent is None:
                if not name:
                    lost.append(text)
                    continue
            else:
                name = _join(parent, name) if name else parent.name
                parent.used = True
        else:
            parent = _forget(parent, lost)
            parent = _Parent(name, is_row=True)
        last = _Row(name, unit, routes, codes, open_list)
        rows.append(last)
    _forget(parent, lost)
    return DrugTable([row.entry() for row in rows], brands)


def _continues_reference(reference: str, line: str) -> bool:
    """Whether `line` goes on with a "Brand, see Generic" text wrapped onto it."""
    text = line.strip()
    if not text or _CODES_AT_END.search(text):
        return False
    return (text[:1].islower() or re.match(r"(?:also\s+)?see\s", text, re.IGNORECASE) is not None
            or reference.endswith("-") or re.search(r"\bsee$", reference, re.IGNORECASE) is not None)


def _forget(parent: _Parent | None, lost: list[str]) -> None:
    """Drop the current parent; a head line that no entry went under was not understood."""
    if parent is not None and not parent.used:
        lost.append(parent.line)
    return None


def _loose_line(text, indent, parent, last, lost):
    """Place a line with no codes: the rest of a wrapped cell, or a head line.

    Returns the new (parent, last).
    """
    starts_lower = text[:1].islower() or text[:1] in "()&"
    if indent >= NAMELESS_INDENT:  # the unit column, wrapped
        if isinstance(last, _Row):
            last.unit = _clean(f"{last.unit} {text}")
        else:
            lost.append(text)
        return parent, last
    if isinstance(last, _Row) and (starts_lower or last.name.endswith(",")):
        name = _clean(f"{last.name} {text}")  # a wrapped name
        if parent is not None and parent.is_row and parent.name == last.name:
            parent.name = name
        last.name = name
        return parent, last
    if parent is not None and not parent.used and (parent.name.endswith(",") or starts_lower):
        parent.name = _clean(f"{parent.name} {text}")  # a wrapped head line
        parent.line = f"{parent.line} {text}"
        return parent, last
    _forget(parent, lost)
    return _Parent(_clean(text), is_row=False, used=False, line=text), None


def _without_margin(lines: list[str]) -> list[str]:
    """A page's lines with the page's usual left margin taken off."""
    indents = Counter(_indent(line) for line in lines if line.strip())
    margin = indents.most_common(1)[0][0] if indents else 0
    return [line[min(margin, _indent(line)):] for line in lines]


def read_drug_table(path: Path, skipped: list[str] | None = None) -> DrugTable:
    """Drugs and brand references of CMS's Table of Drugs PDF (build time only: it needs pypdf)."""
    from .cms_index import pdf_pages

    path = Path(path)
    lines: list[str] = []
    for page in pdf_pages(path):
        lines += _without_margin(page.extract_text(extraction_mode="layout").splitlines())
    table = parse_drug_table_lines(lines, skipped)
    if not table.drugs:
        raise ReleaseError(path.name, "no drugs (a name followed by HCPCS codes) found in this PDF")
    return table
