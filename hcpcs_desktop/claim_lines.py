"""Claim lines as a coder pastes them from a billing system or a spreadsheet, read into their fields.

One claim line a line. Fields are separated by tabs, commas, semicolons, bars or spaces, in the
usual order: the code (with its modifiers, `E0601-RR` or apart), the modifiers, the units, the date
of service (and a last date, for a from-through line), the NDC with its unit and quantity as a claim
writes it (`N4 00409000925 ML2`, `N400409000925ML2`, or the NDC alone). Free text reads too:
`E0601 RR KX x1 02/01/2026`.

- With a header row (`HCPCS, Mod 1, Mod 2, Units, DOS, NDC, NDC Qty, NDC Unit`, a column of charges
  or names besides), each column of the lines below it is the field its name says, and columns of
  no such name are passed over.
- Without one, a field is known by its shape: the first code-shaped token is the code; the
  two-character tokens right after it its modifiers (a two-digit number, or X1-X5, is a modifier
  only when units come later); `x4`, `4 units` or a bare number the units; a date the date of
  service; 10 or 11 digits, or the dashed forms, the NDC; after the NDC a unit qualifier (F2, GR,
  ME, ML, UN) with its quantity.
- Words (a NOC code's description, "Lovenox 40 mg", a charge "$150.00") are kept as the line's
  description; a token shaped like a field where none is read (a second code, a number after the
  units) is kept as unread.

Every field is kept as written: `claim_checks` says whether it is right.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from .search.query import (CODE_WITH_MODIFIERS, CPT, MODIFIER, MODIFIERS, NDC, NDC_DIGITS, NDC_QUANTITY, NDC_UNITS,
                           PROCEDURE, UNITS, clean)

MAX_LINES = 100_000  # lines read from one text; the rest are counted, not read
MAX_LINE_CHARS = 1_000  # a line is cut there

NDC_PREFIXES = ("N4", "NDC", "NDC:", "NDC#")  # what a claim or a coder writes before an NDC
DATE_SHAPE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{6}|\d{8}")
NUMBER = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-−]?\.\d+")
DOSE_WORDS = frozenset({"MG", "MCG", "G", "GM", "GRAM", "GRAMS", "ML", "CC", "IU", "MEQ", "MCI", "L", "OZ"})
DOSE = re.compile(rf"(?:{NUMBER.pattern})(?:{'|'.join(DOSE_WORDS)})")  # 40MG, 0.4ML
LETTERS = re.compile(r"[A-Z]{3}|\$")  # a word, or a charge: kept as description
# A line of a HCPCS code, modifiers that have a letter, units, a date and an NDC with its unit and quantity
# in this order and these forms, blanks between: what `_by_shape` reads from it, read by one pattern (a
# test holds the two equal). Matched on the line in upper case.
PLAIN = re.compile(
    r"(?P<code>[A-Z]\d{4})(?P<glued>(?:[-:]?[A-Z0-9]{2})*)"
    r"(?P<modifiers>(?: (?!X\d|N4)(?=[0-9]?[A-Z])[A-Z0-9]{2})*)"
    rf"(?: (?P<units>{UNITS.pattern}|\d{{1,5}}))?"
    rf"(?: (?P<date>{DATE_SHAPE.pattern}))?"
    rf"(?: (?:N4 ?|NDC[:#]? ?)?(?P<ndc>{NDC_DIGITS})"
    rf"(?:(?=[A-Z0-9]{{2}}\d)(?P<glued_quantity>{NDC_QUANTITY})| (?P<quantity>{NDC_QUANTITY}))?)?", re.IGNORECASE)


class Column(StrEnum):
    """What a column named in a header row holds."""

    CODE = "code"
    MODIFIER = "modifier"
    UNITS = "units"
    DATE = "date"
    THROUGH = "through"
    NDC = "ndc"
    NDC_QUANTITY = "ndc quantity"
    NDC_UNIT = "ndc unit"
    DESCRIPTION = "description"
    OTHER = "other"  # charges, places of service, names …: passed over


# Header names as billing systems and spreadsheets write them (lower case, words only; a number
# after the name is dropped: "Mod 1", "Modifier2").
HEADER_NAMES = {
    **dict.fromkeys(["code", "hcpcs", "hcpcs code", "cpt", "cpt hcpcs", "hcpcs cpt", "cpt code", "procedure",
                     "procedure code", "proc", "proc code", "service code", "billing code"], Column.CODE),
    **dict.fromkeys(["mod", "mods", "modifier", "modifiers"], Column.MODIFIER),
    **dict.fromkeys(["units", "unit", "qty", "quantity", "days units", "days or units", "service units",
                     "svc units", "billed units", "units billed"], Column.UNITS),
    **dict.fromkeys(["dos", "date", "date of service", "service date", "from", "from date", "dos from",
                     "start date", "date from"], Column.DATE),
    **dict.fromkeys(["to", "to date", "thru", "through", "thru date", "dos to", "end date", "date to"],
                    Column.THROUGH),
    **dict.fromkeys(["ndc", "ndc code", "ndc number", "national drug code"], Column.NDC),
    **dict.fromkeys(["ndc qty", "ndc quantity", "ndc units", "drug quantity", "drug qty"], Column.NDC_QUANTITY),
    **dict.fromkeys(["ndc unit", "ndc uom", "uom", "unit of measure", "ndc unit of measure", "ndc qualifier",
                     "ndc measure"], Column.NDC_UNIT),
    **dict.fromkeys(["description", "desc", "narrative", "drug name", "item", "notes", "note", "remarks"],
                    Column.DESCRIPTION),
}
DELIMITERS = ("\t", ",", ";", "|")
# A code anywhere in a line: then it is no header row.
CODE_ANYWHERE = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z]\d{4}|\d{5}|\d{4}[A-Za-z])(?![0-9])")


class ClaimLine(NamedTuple):
    """One claim line, each field as written ("" when the line has none)."""

    number: int  # the line's number in the text (1: the first)
    text: str  # the line as read, cut at MAX_LINE_CHARS: control characters and runs of blanks as one blank
    code: str = ""  # upper case: "E0601", "99213"
    modifiers: tuple[str, ...] = ()
    units: str = ""  # "4" for x4, 4 units or 4
    date: str = ""  # the date of service
    through: str = ""  # the last date of service of a from-through line
    ndc: str = ""  # without its N4 qualifier
    ndc_unit: str = ""  # F2, GR, ME, ML or UN (or what the NDC unit column holds)
    ndc_quantity: str = ""
    description: str = ""  # the words of the line no field reads
    unread: tuple[str, ...] = ()  # tokens shaped like a field where none is read
    cut: bool = False  # longer than MAX_LINE_CHARS


@dataclass(frozen=True)
class Pasted:
    """The claim lines of a text, header rows and blank lines left out."""

    lines: list[ClaimLine]
    header: tuple[Column, ...] = ()  # the columns the last header row named
    beyond: int = 0  # lines past MAX_LINES, not read


def read_lines(text: str) -> Pasted:
    """The claim lines of `text` (see the module's notes); never raises."""
    lines: list[ClaimLine] = []
    header: tuple[Column, ...] = ()
    delimiter = ""
    count = 0
    for number, raw in enumerate(str(text).splitlines(), start=1):
        if not raw.strip():
            continue
        count += 1
        if count > MAX_LINES:
            continue
        cut = len(raw) > MAX_LINE_CHARS
        blank = " ".join(raw[:MAX_LINE_CHARS].split())
        if not (header and delimiter in (" ", "\t")) and blank.isascii():
            plain = PLAIN.fullmatch(blank.upper())  # the commonest shape, read at once (as `_by_shape` reads it)
            if plain:
                lines.append(_plain(number, blank, plain, cut))
                continue
        separator, cells = _cells(raw[:MAX_LINE_CHARS])
        named = () if CODE_ANYWHERE.search(raw) else _header(cells)
        if named:
            header, delimiter = named, separator
            continue
        line_text = _clean(blank)
        if header and separator == delimiter:
            lines.append(_by_column(number, line_text, cells, header, cut))
        else:
            lines.append(_by_shape(number, line_text, [t for cell in cells for t in cell.split()], cut))
    return Pasted(lines, header, max(count - MAX_LINES, 0))


def _plain(number: int, text: str, match: re.Match, cut: bool) -> ClaimLine:
    """The line PLAIN matched."""
    code, glued, modifiers, units, date, ndc, glued_quantity, quantity = (
        group or "" for group in match.group("code", "glued", "modifiers", "units", "date", "ndc", "glued_quantity",
                                             "quantity"))
    glued = MODIFIERS.findall(glued.replace("-", "").replace(":", "")) if glued else ()
    written = None if units.isdigit() else UNITS.fullmatch(units.lower())  # x4, 4 units
    quantity = glued_quantity or quantity
    return ClaimLine(number, text, code, (*glued, *modifiers.split()),
                     (written.group(1) or written.group(2)) if written else units, date, "",
                     ndc, quantity[:2], quantity[2:].strip(), cut=cut)


def _cells(raw: str) -> tuple[str, list[str]]:
    """(the separator, the fields) of a line: tabs, else commas (quotes as CSV has them), else
    semicolons or bars, else blanks."""
    for separator in DELIMITERS:
        if separator in raw:
            cells = next(csv.reader([raw])) if separator == "," else raw.split(separator)
            return separator, [_clean(cell) for cell in cells]
    return " ", _clean(raw).split()


def _clean(text: str) -> str:
    """`text` without control characters, accents folded (as the search reads a query)."""
    return text.strip() if text.isascii() and text.isprintable() else clean(text, MAX_LINE_CHARS)


def _header(cells: list[str]) -> tuple[Column, ...]:
    """The columns of a header row: a code column and another named, and no code in it; else ()."""
    columns = tuple(HEADER_NAMES.get(_name(cell), Column.OTHER) for cell in cells)
    named = [c for c in columns if c is not Column.OTHER]
    if Column.CODE not in named or len(named) < 2:
        return ()
    if any(PROCEDURE.match(t) or CPT.match(t) for cell in cells for t in cell.upper().split()):
        return ()
    return columns


def _name(cell: str) -> str:
    words = re.sub(r"[^a-z]+", " ", cell.lower()).split()
    return " ".join(words)


def _by_column(number: int, text: str, cells: list[str], header: tuple[Column, ...], cut: bool) -> ClaimLine:
    """A line under a header row: each cell the field its column names."""
    found: dict[str, object] = {"modifiers": [], "description": [], "unread": []}
    for column, cell in zip(header, cells):
        cell = cell.strip()
        if not cell or column is Column.OTHER:
            continue
        if column is Column.CODE:
            shaped = _by_shape(number, text, cell.split(), cut)
            found["code"] = shaped.code or cell.upper()
            found["modifiers"] += shaped.modifiers
            found["unread"] += shaped.unread
        elif column is Column.MODIFIER:
            found["modifiers"] += [m for m in re.split(r"[\s,:;-]+", cell.upper()) if m]
        elif column is Column.UNITS:
            found["units"] = _units_of(cell.upper(), "")[0] or cell
        elif column in (Column.DATE, Column.THROUGH):
            found[column.name.lower()] = cell
        elif column is Column.NDC:
            shaped = _by_shape(number, text, ["NDC", *cell.upper().split()], cut)
            found["ndc"] = shaped.ndc or cell
            for key in ("ndc_unit", "ndc_quantity"):
                if getattr(shaped, key):
                    found[key] = getattr(shaped, key)
        elif column is Column.NDC_QUANTITY:
            written = cell.upper().replace(" ", "")
            quantity = re.fullmatch(NDC_QUANTITY, written) or re.fullmatch(
                rf"(\d+(?:\.\d+)?)({'|'.join(NDC_UNITS)})", written)  # ML2, or 2ML
            if quantity is None:
                found["ndc_quantity"] = cell
            elif written[:2] in NDC_UNITS:
                found.update(ndc_unit=written[:2], ndc_quantity=written[2:])
            else:
                found.update(ndc_unit=quantity.group(2), ndc_quantity=quantity.group(1))
        elif column is Column.NDC_UNIT:
            found["ndc_unit"] = cell.upper()
        else:
            found["description"].append(cell)
    return ClaimLine(number, text, code=str(found.get("code", "")), modifiers=tuple(found["modifiers"]),
                     units=str(found.get("units", "")), date=str(found.get("date", "")),
                     through=str(found.get("through", "")), ndc=str(found.get("ndc", "")),
                     ndc_unit=str(found.get("ndc_unit", "")), ndc_quantity=str(found.get("ndc_quantity", "")),
                     description=" ".join(found["description"]), unread=tuple(found["unread"]), cut=cut)


@dataclass
class _Shapes:
    """What `_by_shape` has read so far."""

    code: str = ""
    modifiers: list[str] = field(default_factory=list)
    units: str = ""
    dates: list[str] = field(default_factory=list)
    ndc: str = ""
    ndc_unit: str = ""
    ndc_quantity: str = ""
    words: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def _by_shape(number: int, text: str, tokens: list[str], cut: bool) -> ClaimLine:
    """A line without a header: each token the field its shape says (see the module's notes)."""
    read = _Shapes()
    upper = [t.upper() for t in tokens]
    rest: list[tuple[str, str]] = []  # (as written, upper case) of the tokens no part of the NDC takes
    i = 0
    while i < len(upper):
        taken = _ndc_part(read, upper[i], upper[i + 1] if i + 1 < len(upper) else "")
        if not taken:
            rest.append((tokens[i], upper[i]))
        i += taken or 1
    at = _code_at([token for _, token in rest])
    for original, token in rest[:at]:
        if DATE_SHAPE.fullmatch(token):
            read.dates.append(original)
        else:
            _other(read, original, token)
    if at < len(rest):
        token = rest[at][1]
        with_modifiers = CODE_WITH_MODIFIERS.match(token)
        read.code = with_modifiers.group(1) if with_modifiers else token
        if with_modifiers:
            read.modifiers += MODIFIERS.findall(with_modifiers.group(2).replace("-", "").replace(":", ""))
    after = [token for _, token in rest[at + 1:]]
    in_modifiers = True  # right after the code: two-character tokens are its modifiers
    i = 0
    while i < len(after):
        modifier = after[i].lstrip("-")  # E0601 -RR
        if in_modifiers and MODIFIER.match(modifier) and not _units_instead(modifier, after[i + 1:]):
            read.modifiers.append(modifier)
            i += 1
            continue
        in_modifiers = False
        i += _after_modifiers(read, rest[at + 1 + i][0], after[i], after[i + 1] if i + 1 < len(after) else "")
    dates = read.dates
    return ClaimLine(number, text, code=read.code, modifiers=tuple(read.modifiers), units=read.units,
                     date=dates[0] if dates else "", through=dates[1] if len(dates) > 1 else "",
                     ndc=read.ndc, ndc_unit=read.ndc_unit, ndc_quantity=read.ndc_quantity,
                     description=" ".join(read.words), unread=tuple(read.unread + dates[2:]), cut=cut)


def _code_at(tokens: list[str]) -> int:
    """Where the code is: the first HCPCS Level II code, else the first CPT code; len(tokens) for none."""
    for shaped in (PROCEDURE, CPT):
        for i, token in enumerate(tokens):
            with_modifiers = CODE_WITH_MODIFIERS.match(token)
            if shaped.match(with_modifiers.group(1) if with_modifiers else token):
                return i
    return len(tokens)


def _ndc_pieces(token: str) -> list[re.Match]:
    """The parts of an NDC (see `search.query.NDC`) `token` is made of, or [] when it is none."""
    pieces = list(NDC.finditer(token))
    return pieces if pieces and "".join(m.group(0) for m in pieces) == token else []


def _ndc_part(read: _Shapes, token: str, following: str) -> int:
    """How many tokens (0, 1 or 2) an NDC, or the unit and quantity after it, takes here."""
    pieces = _ndc_pieces(token)
    digits = [m.group(1) for m in pieces if m.group(1)]
    quantities = [m.group(0) for m in pieces if m.group(0)[:2] in NDC_UNITS]
    if not pieces or len(digits) > 1 or len(quantities) > 1:
        if read.ndc and not read.ndc_unit and token in NDC_UNITS and _ndc_pieces(f"{token} {following}"):
            read.ndc_unit, read.ndc_quantity = token, following  # UN 1
            return 2
        return 0
    if not digits:
        if quantities and read.ndc and not read.ndc_unit:  # ML2 after the NDC
            read.ndc_unit, read.ndc_quantity = quantities[0][:2], quantities[0][2:].strip()
            return 1
        if token in NDC_PREFIXES and not read.ndc and _ndc_pieces(following):  # N4 00409000925
            return 1 + _ndc_part(read, following, "") if any(m.group(1) for m in _ndc_pieces(following)) else 0
        return 0
    if read.ndc:
        return 0
    read.ndc = digits[0]
    if quantities:
        read.ndc_unit, read.ndc_quantity = quantities[0][:2], quantities[0][2:].strip()
    return 1


def _units_instead(token: str, rest: list[str]) -> bool:
    """Whether a modifier-shaped token is the units: a two-digit number, or X1-X5, with no units after it."""
    if not (token.isdigit() or re.fullmatch(r"X\d", token)):
        return False
    return not any(_units_of(t, following)[0] for t, following in zip(rest, [*rest[1:], ""]))


def _units_of(token: str, following: str) -> tuple[str, int]:
    """(the units `token`, or it and the word after it, write: x4, x 4, 4 units (`search.query.UNITS`) or a
    bare number; how many tokens they take), or ("", 0)."""
    both = UNITS.fullmatch(f"{token} {following}".lower()) if following else None
    if both:
        return both.group(1) or both.group(2), 2
    one = UNITS.fullmatch(token.lower())
    if one:
        return one.group(1) or one.group(2), 1
    if NUMBER.fullmatch(token) and not DATE_SHAPE.fullmatch(token) and following not in DOSE_WORDS:
        return token, 1
    return "", 0


def _after_modifiers(read: _Shapes, original: str, token: str, following: str) -> int:
    """Read a token past the code and its modifiers; how many tokens it took."""
    if DATE_SHAPE.fullmatch(token):
        read.dates.append(original)
        return 1
    units, taken = _units_of(token, following)
    if units and not read.units:
        read.units = units
        return taken
    if NUMBER.fullmatch(token) and following in DOSE_WORDS:
        read.words += [original, following.lower()]
        return 2
    _other(read, original, token)
    return 1


def _other(read: _Shapes, original: str, token: str) -> None:
    """A token no field reads: a word or a dose goes to the description, the rest is unread."""
    if LETTERS.search(token) or DOSE.fullmatch(token):
        read.words.append(original)
    else:
        read.unread.append(original)
