"""Parse the CMS HCPCS record layout: the record title, each field's help text and the code tables.

The layout is a fixed-width report: numbered field headings ("  9.   HCPCS ..."),
each followed by its size line, descriptive paragraphs, technical lines (aliases,
LENGTH, OCCURS, ...) and optionally a "CODES :" list. A "TABLE OF CODES APPENDIX"
at the end holds the tables that fields name with "CODE TABLE : X_TB".
Indentation is not trusted to the column: CMS mixes tabs and spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .errors import ReleaseError
from .fields import FIELDS

_FIELD = re.compile(r"^ {0,6}(\d{1,3})\.\s+(\S.*?)\s*$")
_TITLE = re.compile(r"^\s*\*{3}\s+(\S.*?)\s*$")
_AS_OF = re.compile(r"\bAS OF:\s*(\d{1,2})/(\d{1,2})/(\d{4})\b")
_APPENDIX = re.compile(r"^\s*TABLE OF CODES APPENDIX\b")
_APPENDIX_TABLE = re.compile(r"^ {0,4}([A-Z][A-Z0-9_]*_TB)\b")
_CODE = re.compile(r"^\s*([A-Za-z0-9]{1,4})\s*=\s*(\S.*?)\s*$")
_SIZES = re.compile(r"^\s*\d+\s+\d+\s+\d+(\s+[A-Z]+)?\s*$")
_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")
_STARS = re.compile(r"^\s*\*+\s*$")
_NOTE_HEADING = re.compile(r"^\*+.*\*+$")
_SECTION = re.compile(r"^(CODES|EDIT RULES|COMMENTS)\s*:\s*$")
_TECHNICAL = re.compile(
    r"^((DB2|SAS|STANDARD|TITLE|SYSTEM)\s+ALIAS|LENGTH|SIGNED|OCCURS|REDEFINE|CODE TABLE|SOURCE)\b"
)
_CODE_TABLE = re.compile(r"^CODE TABLE\s*:\s*(\S+)")
_EDIT_CODE = re.compile(r"^CODE\s*:\s*(\S+)")
_FIRST_SENTENCE = re.compile(r"^(.+?\.)(\s|$)")

# Layout field number -> name of the code table (fields.py) that decodes it.
_TABLE_OF_FIELD = {f.layout_number: f.table for f in FIELDS if f.table}


@dataclass(frozen=True)
class Layout:
    """What a record layout tells a coder: help per field and the code tables."""

    title: str  # e.g. "HCPCS Contractor Record - 2026"
    as_of: str | None  # ISO date of the report's "AS OF:" line
    help: dict[int, str]  # layout field number -> help paragraphs, joined by "\n"
    tables: dict[str, dict[str, str]]  # code table name (fields.py) -> {value: description}


@dataclass
class _Field:
    """The parts of one numbered field's block."""

    name: str
    text: list[tuple[str, bool]] = field(default_factory=list)  # (line, is_comment); "" = blank
    code_lines: list[str] = field(default_factory=list)
    edit_codes: list[str] = field(default_factory=list)  # "CODE: YY" values of EDIT RULES
    code_table: str | None = None  # appendix table named by "CODE TABLE :"

    @property
    def help(self) -> str:
        return "\n".join(_paragraphs(self.text))


def parse_layout(text: str, source: str = "record layout") -> Layout:
    """Read a CMS record layout; raise ReleaseError when the text is not one."""
    lines = [line.expandtabs(8).rstrip() for line in text.splitlines()]
    appendix_at = next((i for i, line in enumerate(lines) if _APPENDIX.match(line)), len(lines))
    starts = _field_starts(lines[:appendix_at], source)
    if not starts:
        raise ReleaseError(source, "no numbered fields found: this is not a CMS record layout")
    if 9 not in starts:
        raise ReleaseError(source, "field 9 (pricing indicator) is missing from the record layout")
    fields = _fields(lines[:appendix_at], starts)
    preamble = lines[: min(starts.values())]
    help_texts = {number: parsed.help for number, parsed in fields.items()}
    return Layout(
        title=_title(preamble, source),
        as_of=_as_of(preamble, source),
        help={number: text for number, text in help_texts.items() if text},
        tables=_tables(fields, _appendix_tables(lines[appendix_at:]), source),
    )


def _field_starts(lines: list[str], source: str) -> dict[int, int]:
    """Field number -> index of its heading line."""
    starts: dict[int, int] = {}
    for i, line in enumerate(lines):
        match = _FIELD.match(line)
        if not match:
            continue
        number = int(match.group(1))
        if number in starts:
            raise ReleaseError(source, f"field {number} appears twice", f"line {i + 1}")
        starts[number] = i
    return starts


def _fields(lines: list[str], starts: dict[int, int]) -> dict[int, _Field]:
    """Each numbered field's block, from its heading to the next heading."""
    ends = sorted(starts.values())[1:] + [len(lines)]
    return {
        number: _parse_field(lines[start], lines[start + 1 : end])
        for (number, start), end in zip(sorted(starts.items(), key=lambda item: item[1]), ends)
    }


def _parse_field(heading: str, body: list[str]) -> _Field:
    """Sort a field's lines into help text, code list, edit-rule codes and technical lines."""
    parsed = _Field(_FIELD.match(heading).group(2))
    mode = "help"  # or the CODES / EDIT RULES / COMMENTS section being read
    for line in body:
        stripped = line.strip()
        if _SIZES.match(line) or _STARS.match(line):
            continue
        if section := _SECTION.match(stripped):
            mode = section.group(1)
        elif _TECHNICAL.match(stripped):
            mode = "help"
            if table := _CODE_TABLE.match(stripped):
                parsed.code_table = table.group(1)
        elif mode == "CODES":
            parsed.code_lines.append(line)
        elif mode == "EDIT RULES" and stripped:
            if edit_code := _EDIT_CODE.match(stripped):
                parsed.edit_codes.append(edit_code.group(1))
        else:
            if not stripped:  # a blank line ends COMMENTS and EDIT RULES
                mode = "help"
            parsed.text.append((stripped, mode == "COMMENTS"))
    return parsed


def _paragraphs(lines: list[tuple[str, bool]]) -> list[str]:
    """Join wrapped lines into paragraphs.

    A blank line ends a paragraph; "**** NOTE: ****" lines stand alone; a "> " bullet
    starts a new one; in COMMENTS every line does, unless it starts in lower case.
    """
    paragraphs: list[list[str]] = []
    open_paragraph = False
    for text, is_comment in lines:
        if not text:
            open_paragraph = False
            continue
        heading = bool(_NOTE_HEADING.match(text))
        starts_new = heading or text.startswith(">") or (is_comment and not text[0].islower())
        if starts_new or not open_paragraph:
            paragraphs.append([])
        paragraphs[-1].append(text)
        open_paragraph = not heading
    return [_squash(" ".join(p)) for p in paragraphs]


def _codes(lines: list[str]) -> dict[str, str]:
    """Parse "value = description" lines; deeper-indented lines continue a description.

    Lines without "=" that are not continuations are section headings (often
    underlined with dashes) and are skipped.
    """
    entries: list[list[str]] = []
    indent: int | None = None  # indentation of the code line being continued
    for i, line in enumerate(lines):
        match = _CODE.match(line)
        depth = len(line) - len(line.lstrip())
        underlined = i + 1 < len(lines) and bool(_UNDERLINE.match(lines[i + 1]))
        if match:
            entries.append(list(match.groups()))
            indent = depth
        elif indent is not None and line.strip() and depth > indent and not underlined:
            entries[-1][1] += " " + line.strip()
        else:
            indent = None
    return {value: _squash(description) for value, description in entries}


def _appendix_tables(lines: list[str]) -> dict[str, dict[str, str]]:
    """The "X_TB" tables of the appendix, by their CMS name."""
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _APPENDIX_TABLE.match(line))]
    ends = [i for i, _ in starts[1:]] + [len(lines)]
    return {name: _codes(lines[start + 1 : end]) for (start, name), end in zip(starts, ends)}


def _tables(
    fields: dict[int, _Field], appendix: dict[str, dict[str, str]], source: str
) -> dict[str, dict[str, str]]:
    """The code tables of fields.py, each from its field's codes, edit rules or appendix table."""
    tables: dict[str, dict[str, str]] = {}
    for number, name in _TABLE_OF_FIELD.items():
        parsed = fields.get(number)
        if parsed is None:
            continue
        if parsed.code_table and parsed.code_table not in appendix:
            raise ReleaseError(
                source, f"code table {parsed.code_table} is not in the appendix", f"field {number}"
            )
        codes = (
            _codes(parsed.code_lines)
            or appendix.get(parsed.code_table or "")
            or {code: _first_sentence(parsed.help) or parsed.name for code in parsed.edit_codes}
        )
        if codes:
            tables[name] = codes
    return tables


def _title(preamble: list[str], source: str) -> str:
    titles = [m.group(1) for line in preamble if (m := _TITLE.match(line))]
    if not titles:
        raise ReleaseError(source, "no record title ('*** ...') before the numbered fields")
    return titles[0]


def _as_of(preamble: list[str], source: str) -> str | None:
    """The ISO date of the "AS OF: MM/DD/YYYY" line, if there is one."""
    match = next((m for line in preamble if (m := _AS_OF.search(line))), None)
    if match is None:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ReleaseError(source, f"invalid date {match.group(0)!r}", "report heading") from None


# CMS's layout title-cases "e.g." and "i.e." into "e.G." and "i.E.".
_CAPITALISED_ABBREVIATION = re.compile(r"\b(?:e\.G|i\.E)\.")


def _first_sentence(text: str) -> str:
    paragraph = text.split("\n", 1)[0]
    match = _FIRST_SENTENCE.match(paragraph)
    return match.group(1) if match else paragraph


def _squash(text: str) -> str:
    """Collapse runs of whitespace to single spaces; undo the layout's "e.G." capitalisation slip."""
    return _CAPITALISED_ABBREVIATION.sub(lambda m: m.group(0).lower(), " ".join(text.split()))
