"""Read CMS's "Table of Drugs" PDF: drugs with their unit, routes and codes, and brand names.

The table has four columns, drug name, unit, route and code, with no ruling. As pypdf's
layout mode prints it (columns apart by runs of spaces; the names here are made up):

    Zorbafenib                      10 mg            IV        J9990
    Quexlin, see Zorbafenib                          a brand name and the generic to look up
    Plumbanol                       per vial         IM, IV    J9991, J9992
                                    over 5 vials     IM        J9993    no name: the drug above
    Widget globulin                                  a head line without codes...
       Brandex                      500 mg           IV        J9994    ...and rows under it:
       Brandor                      100 mg           SC        J9995    "Widget globulin, Brandor"
    Gizmotide (anti-frob factor,    per IU           IV        J9996
       recombinant)                                  a wrapped name goes on below

Routes are IV, IM, SC, IT, IA, INH, INJ, OTH, ORAL, VAR ... one or several with commas;
codes are single or ranges ("J9980-J9982", given as the codes they span), and a list that
ends in a comma goes on below.
CMS's text has stray spaces ("Zorba  fenib", "anti- frob") and typos ("IVection"): runs of
spaces are collapsed and a space beside a joining hyphen dropped, the rest kept as printed.
A word or number that strays past the codes ("J9997 25" over "mcg") belongs to the start
of the next line. Some pages print one space between columns; some "see" lines run several
references together ("A, see B C, see D"). Letter headings, page numbers, the title, the
legend above the first letter heading and column titles are dropped.

`parse_drug_table_lines` holds the text logic; `read_drug_table` turns the PDF into lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import ReleaseError
from .pdf_text import CODE_ITEM, CODE_OR_RANGE, pdf_pages, share_after_comma

_CODES_AT_END = re.compile(
    rf"(?:^|(?<=\s))(?P<codes>{CODE_OR_RANGE}(?:\s*,\s*{CODE_OR_RANGE})*)\s*,?(?:\s+(?P<stray>\S+))?\s*$"
)
ROUTES = ("IV", "IM", "SC", "SQ", "IT", "IA", "INH", "INJ", "OTH", "ORAL", "VAR")
_ROUTE_WORDS = ROUTES + ("EPIDURAL", "INTRAOCULAR", "OPHTHALMIC", "OPTHALMIC", "INTRAVESICAL", "TOPICAL")
_ROUTE = "(?:" + "|".join(_ROUTE_WORDS) + r")\b"
_ROUTES_AT_END = re.compile(rf"(?P<gap>^|\s+)(?P<routes>{_ROUTE}(?:\s*,\s*{_ROUTE})*)\s*$", re.IGNORECASE)
_SEE = re.compile(r",?\s+(?:also\s+)?see\s+", re.IGNORECASE)
_SEE_LINE = re.compile(r"^\S.*?,?\s+(?:also\s+)?see(?:\s|$)", re.IGNORECASE)
_UNIT_START = re.compile(r"^(?:\.?\d[\d.,]*(?:\s|$|%|[a-z]{1,5}\b)|[<>]|up to\b|per\b|each\b|units?\b)",
                         re.IGNORECASE)
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
    """Everything the table gives, in the table's order."""

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
        return DrugEntry(self.name.strip(" ,"), _clean(self.unit).strip(" ,"),
                         tuple(self.routes), tuple(self.codes))


@dataclass
class _Parent:
    """The name later lines may come under: a head line, or the last row at the margin."""

    name: str
    is_row: bool  # a row of its own: an entry under it replaces its trailing parenthesis
    used: bool = True
    line: str = ""


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"(?<=\w)- (?=\w)", "-", text)
    return re.sub(r"(?<=\w) -(?=\w)", "-", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _codes(text: str) -> list[str]:
    """The codes of "J9980,  J9981-J9983"; a range gives every code it spans."""
    codes = []
    for first, last in CODE_ITEM.findall(text):
        low, high = int(first[1:]), int(last[1:] or 0)
        if last and first[0] == last[0] and 0 < high - low <= MAX_RANGE:
            codes += [f"{first[0]}{n:04d}" for n in range(low, high + 1)]
        else:
            codes += [first, last] if last else [first]
    return codes


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
    if not match or line[: match.start()].rstrip().endswith(","):
        return None  # codes straight after a comma are an index line ("term, J0000"), not a row
    codes = _codes(match.group("codes"))
    open_list = line[match.end("codes"): match.end()].lstrip().startswith(",")
    rest = line[: match.start()].rstrip()
    single_spaced = not re.search(r"\S {2,}\S", rest.strip())
    routes: list[str] = []
    found = _ROUTES_AT_END.search(rest)
    if found and (len(found.group("gap")) >= 2 or found.group("gap") == ""
                  or single_spaced and found.group("routes").isupper()):
        routes = [r.upper() if r.upper() in ROUTES else r for r in re.split(r"\s*,\s*", found.group("routes"))]
        rest = rest[: found.start()].rstrip()
    name, unit = _split_name_unit(rest.strip(), _indent(rest), single_spaced)
    return name, unit, routes, codes, open_list, match.group("stray") or ""


def _brands(text: str, lost: list[str]) -> list[BrandReference]:
    """The references in "A, see B" text, several when CMS ran lines together ("…, see B C, see D")."""
    parts = [_clean(p).strip(" ,") for p in _SEE.split(text)]
    found, brand = [], parts[0]
    for middle in parts[1:-1]:
        words = middle.split()
        starts = [i for i, w in enumerate(words) if i and re.match(r"[A-Z][a-z]", w)]
        if not starts:
            lost.append(f"{brand}, see {middle}")
            brand = ""
            continue
        if brand:
            found.append(BrandReference(brand, " ".join(words[: starts[-1]]).rstrip(",")))
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


def _starts_lower(text: str) -> bool:
    """Whether text goes on with what is above it rather than starting a name."""
    return text[:1].islower() or text[:1] in "()&"


def _join(parent: _Parent, name: str) -> str:
    """The name of an entry under `parent`: "Widget globulin, Brandor", "Gizmo (slow form)"."""
    base = parent.name
    if parent.is_row and name.startswith("("):  # a sibling of a row with its own parenthesis
        base = re.sub(r"\s*\([^()]*\)\s*$", "", base)
    if _starts_lower(name) or base.endswith(","):
        return f"{base} {name}"
    return f"{base}, {name}"


class _TableReader:
    """Walks the table's lines, keeping what a later line may add to or come under."""

    def __init__(self, lost: list[str]):
        self.rows: list[_Row] = []
        self.brands: list[BrandReference] = []
        self.lost = lost
        self.last: _Row | BrandReference | None = None  # what a wrapped line adds to
        self.parent: _Parent | None = None  # what an indented or nameless row comes under

    def read(self, lines: list[str]) -> DrugTable:
        table = _table_lines(lines)
        stray, i = "", 0
        while i < len(table):
            line, i = table[i], i + 1
            if stray:  # a word past the codes above starts this line
                line = " " * _indent(line) + stray + " " + line.lstrip()
            stray = ""
            text, indent = line.strip(), _indent(line)
            if _SEE_LINE.match(text):
                while i < len(table) and _continues_reference(text, table[i]):
                    text += ("" if text.endswith("-") else " ") + table[i].strip()
                    i += 1
                self.reference(text)
            elif (row := _parse_row(line)) is not None:
                stray = row[-1]
                self.row(text, indent, *row[:-1])
            else:
                self.loose(text, indent)
        self.set_parent(None)
        return DrugTable([row.entry() for row in self.rows], self.brands)

    def set_parent(self, parent: _Parent | None) -> None:
        """A new parent; a head line that no row came under was not understood."""
        if self.parent is not None and not self.parent.used:
            self.lost.append(self.parent.line)
        self.parent = parent

    def reference(self, text: str) -> None:
        """A "Brand, see Generic" line, joined with its wrapped rest; the generic ends at a column gap."""
        see = _SEE.search(text)
        generic, *beyond = re.split(r" {3,}", text[see.end():])
        if beyond and _CODES_AT_END.search(text):
            self.lost.append(text)  # a row run into the reference: its codes are not taken
        found = _brands(text[: see.end()] + generic, self.lost)
        self.brands += found
        self.last = found[-1] if found else None
        self.set_parent(None)

    def row(self, text, indent, name, unit, routes, codes, open_list) -> None:
        """A line that ends in codes: a row, a row under the parent, or the rest of the row above."""
        name = _clean(name)
        last = self.last
        if isinstance(last, _Row) and last.open_list and not (unit or routes) and not name[:1].isupper():
            last.codes += codes  # the rest of a wrapped list of codes (and of the name)
            last.name = _clean(f"{last.name} {name}")
            last.open_list = open_list
            return
        if not name or _starts_lower(name) or SUB_ENTRY_INDENT <= indent < NAMELESS_INDENT:
            if self.parent is not None:
                name = _join(self.parent, name) if name else self.parent.name
                self.parent.used = True
            elif not name:
                self.lost.append(text)
                return
        else:
            self.set_parent(_Parent(name, is_row=True))
        self.last = _Row(name, unit, routes, codes, open_list)
        self.rows.append(self.last)

    def loose(self, text: str, indent: int) -> None:
        """A line with no codes: the rest of a wrapped cell, or a head line."""
        last, parent = self.last, self.parent
        if indent >= NAMELESS_INDENT:  # the unit column, wrapped
            if isinstance(last, _Row):
                last.unit = _clean(f"{last.unit} {text}")
            else:
                self.lost.append(text)
        elif isinstance(last, _Row) and (_starts_lower(text) or last.name.endswith(",")):
            name = _clean(f"{last.name} {text}")  # a wrapped name
            if parent is not None and parent.is_row and parent.name == last.name:
                parent.name = name
            last.name = name
        elif parent is not None and not parent.used and (_starts_lower(text) or parent.name.endswith(",")):
            parent.name = _clean(f"{parent.name} {text}")  # a wrapped head line
            parent.line = f"{parent.line} {text}"
        else:
            self.set_parent(_Parent(_clean(text), is_row=False, used=False, line=text))
            self.last = None


def parse_drug_table_lines(lines: list[str], skipped: list[str] | None = None) -> DrugTable:
    """Drugs and brand references from the table's text lines (columns apart by 2+ spaces).

    Indentation counts from the left margin: a name indented by `SUB_ENTRY_INDENT` or more
    comes under the line above; a line starting `NAMELESS_INDENT` or more in has no name
    (unless a wide gap still parts a name from a unit). Lines that could not be placed are
    appended to `skipped` when it is given.
    """
    return _TableReader(skipped if skipped is not None else []).read(lines)


def _continues_reference(reference: str, line: str) -> bool:
    """Whether `line` goes on with a "Brand, see Generic" text wrapped onto it."""
    text = line.strip()
    if not text or _CODES_AT_END.search(text):
        return False
    return (text[:1].islower() or re.match(r"(?:also\s+)?see\s", text, re.IGNORECASE) is not None
            or reference.endswith("-") or re.search(r"\bsee$", reference, re.IGNORECASE) is not None)


def _without_margin(lines: list[str]) -> list[str]:
    """A page's lines with the page's usual left margin taken off."""
    indents = Counter(_indent(line) for line in lines if line.strip())
    margin = indents.most_common(1)[0][0] if indents else 0
    return [line[min(margin, _indent(line)):] for line in lines]


def read_drug_table(path: Path, skipped: list[str] | None = None) -> DrugTable:
    """Drugs and brand references of CMS's Table of Drugs PDF (build time only: it needs pypdf)."""
    path = Path(path)
    lines: list[str] = []
    for page in pdf_pages(path):
        lines += _without_margin(page.extract_text(extraction_mode="layout").splitlines())
    table = parse_drug_table_lines(lines, skipped)
    if not table.drugs or share_after_comma(lines, _CODES_AT_END) >= 0.5:  # the index has commas there
        raise ReleaseError(path.name, "no drug rows (name, unit, route and HCPCS codes) found in this PDF")
    return table
