"""Turn an ANWEB data file (fixed-width text or workbook) into one record per code.

Records are dicts keyed by the field keys of `fields.py`, values trimmed exactly as
CMS wrote them, dates as ISO `YYYY-MM-DD`. Anything malformed or incomplete (a text
file cut off, a line shifted, a control character, a workbook disagreeing with the text
file of its release) raises `ReleaseError` naming the file, the line or row, and what is
wrong.
"""

from __future__ import annotations

import datetime as dt
import re

from . import build_cache
from .errors import ReleaseError
from .fields import (
    CONTINUATION_OF,
    DETAIL_FIELDS,
    FIELDS,
    FIRST_LINE_IDS,
    RECORD_WIDTH,
)
from .release_files import ReleaseFiles, SourceFile
from .workbooks import first_sheet

# Code (5) + sequence number (5 digits) + record id: how a record line starts.
RECORD_START = re.compile(r"^[A-Z0-9 ]{5}\d{5}[3478]")
# The first characters of a record line: where a file cut inside its first record ends.
RECORD_BEGINNING = re.compile(r"^(?:[A-Z0-9 ]{1,5}|[A-Z0-9 ]{5}\d{1,5}|[A-Z0-9 ]{5}\d{5}[3478].*)$")
PROCEDURE_CODE = re.compile(r"^[A-Z][0-9A-Z]{4}$")
MODIFIER_CODE = re.compile(r"^[0-9A-Z]{2}$")
# What a complete text file looks like (the 2019 and 2020 files, 24,000 record lines):
# every line ends with a line break, the last one too; a first line (record id 3 or 7)
# is exactly 320 characters with columns 294-320 blank; a continuation line (4 or 8) holds
# at least the description's columns 12-91 and nothing after them (2019 pads it to 320,
# 2020 cuts it at 91, one 2019 line has 316); sequence numbers go 00100, 00200, 00300 ...
# within a code. No record line holds a control character (disclaimer lines hold tabs).
# The 2026 files add two harmless oddities: one record line padded with blanks beyond column
# 320 (G9871, 546 characters in January 2026) and a last line of blanks only.
DESCRIPTION_END = max(f.end for f in FIELDS if f.key == "long_description")  # column 91
FILLER_START = max(f.end for f in FIELDS) + 1  # column 294
FIRST_SEQUENCE = "00100"
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SLICES = [(f.key, f.start - 1, f.end) for f in FIELDS]  # each field's columns in a record line
# What a continuation line adds to its record: the rest of the long description (only these are read).
CONTINUATION_KEYS = ("code", "sequence_number", "record_id")
YYYYMMDD = re.compile(r"\d{8}")
CONTROL_NAMES = {0: "NUL", 9: "tab", 10: "line feed", 13: "carriage return", 26: "end-of-file mark (Ctrl-Z)"}


def parse_release(files: ReleaseFiles) -> list[dict]:
    """The records of a release's data file, checked against the same release in its other
    formats (the workbook CMS ships beside the text file) when the release holds them."""
    records = parse_release_data(files.data)
    for other in files.alternates:
        check_agreement(records, files.data.name, parse_release_data(other), other.name)
    return records


def parse_release_data(source: SourceFile) -> list[dict]:
    """Every record of an ANWEB .txt, .xlsx or .xls file."""
    if source.suffix == ".txt":
        rows = _fixed_width_rows(source)
    else:
        rows = _workbook_rows(source)
    return _join(rows, source.name)


def kept_release_data(source: SourceFile) -> list[dict]:
    """`parse_release_data` of an earlier release a build carries, read again by build after build:
    kept in the build cache under the file's content."""
    return build_cache.cached("release", [source.suffix, source.sha256], lambda: parse_release_data(source),
                              encode=_values, decode=_kept_records)


def _values(records: list[dict]) -> list[list]:
    """Each record as its values in the order of FIELDS (a third of the size of the records as dicts)."""
    return [[record[f.key] for f in FIELDS] for record in records]


def _kept_records(value) -> list[dict]:
    """The records of a cache entry (see `_values`); ValueError when it holds anything else."""
    keys = [f.key for f in FIELDS]
    if not value or any(len(values) != len(keys) for values in value):
        raise ValueError("not a release's records")
    return [dict(zip(keys, values)) for values in value]


def _control_problem(text: str, allowed: str = "", place: str = "column") -> str | None:
    """What is wrong when `text` holds a control character (other than those `allowed`), else None."""
    for found in CONTROL.finditer(text):
        if found.group() not in allowed:
            byte = ord(found.group())
            name = CONTROL_NAMES.get(byte, "control character")
            return f"{name} (byte 0x{byte:02X}) in {place} {found.start() + 1}: the file is damaged"
    return None


def _fixed_width_rows(source: SourceFile):
    try:
        text = source.data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = source.data.count(b"\n", 0, exc.start) + 1
        raise ReleaseError(
            source.name, f"byte 0x{source.data[exc.start]:02X} is not valid cp1252 text", f"line {line}"
        ) from None
    lines = text.split("\n")
    unended = lines.pop()  # what follows the last line break: nothing in a complete file
    started = False
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        where = f"line {number}"
        if not started:
            started = bool(RECORD_START.match(line))
            if not started:
                if problem := _control_problem(line, allowed="\t"):
                    raise ReleaseError(source.name, problem, where)
                continue  # free-text disclaimer above the records
        if problem := _control_problem(line):
            raise ReleaseError(source.name, problem, where)
        if not line.strip():
            continue
        yield where, _record_line(line, source.name, where)
    if not started and not RECORD_BEGINNING.match(unended.removesuffix("\r")):
        raise ReleaseError(source.name, "no HCPCS records found: is this an ANWEB file?")
    if unended:
        raise ReleaseError(
            source.name,
            f"the file ends inside a line ({len(unended.removesuffix(chr(13)))} characters, no line break): "
            "it was cut off, e.g. by an interrupted download",
            f"line {len(lines) + 1}",
        )


def _record_line(line: str, file: str, where: str) -> dict:
    """The fields of one complete record line, or a ReleaseError saying how it is incomplete."""
    if not RECORD_START.match(line):
        raise ReleaseError(file, "not a HCPCS record (expected code, sequence number, record id)", where)
    if len(line) > RECORD_WIDTH:
        if line[RECORD_WIDTH:].strip():
            raise ReleaseError(file, f"line is {len(line)} characters with text after column {RECORD_WIDTH}, "
                                     f"records are {RECORD_WIDTH}", where)
        line = line[:RECORD_WIDTH]  # blanks beyond the record (G9871 in January 2026): CMS's padding
    if line[10] in FIRST_LINE_IDS:
        if len(line) < RECORD_WIDTH:
            raise ReleaseError(file, f"record is cut short: {len(line)} characters, expected {RECORD_WIDTH}", where)
        if line[FILLER_START - 1 :].strip():
            raise ReleaseError(file, f"text in columns {FILLER_START}-{RECORD_WIDTH}, which CMS leaves blank: "
                                     "the record is shifted or damaged", where)
    else:
        if len(line) < DESCRIPTION_END:
            raise ReleaseError(file, f"continuation line is cut short: {len(line)} characters, expected "
                                     f"{DESCRIPTION_END} to {RECORD_WIDTH}", where)
        if line[DESCRIPTION_END:].strip():
            raise ReleaseError(file, f"continuation line has text after column {DESCRIPTION_END}, "
                                     "where CMS leaves it blank: the line is shifted or damaged", where)
    if line[10] in FIRST_LINE_IDS:
        row = {key: line[start:end].strip() for key, start, end in SLICES}
    else:
        row = {key: line[start:end].strip() for key, start, end in SLICES if key in CONTINUATION_KEYS}
    # A continuation piece keeps its leading blank: CMS's workbooks join the
    # pieces that way ("including  all"), and both forms must give one record.
    row["long_description"] = line[11:DESCRIPTION_END].rstrip()
    return row


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.strftime("%Y%m%d")
    return str(value).strip()


def sheet_rows(source: SourceFile) -> list[list]:
    """The cells of a CMS workbook's first sheet (the data file, or a NOC or corrections list),
    read under the caps and the memory limit of `workbooks.first_sheet`."""
    return first_sheet(source, skip_empty_area=False)


def _workbook_rows(source: SourceFile):
    rows = sheet_rows(source)
    headers = [f.xlsx for f in FIELDS]
    for index, row in enumerate(rows):
        cells = [_cell(c).upper() for c in row]
        if "HCPC" in cells and "RECID" in cells:
            missing = [h for h in headers if h not in cells]
            if missing:
                raise ReleaseError(
                    source.name, f"header lacks column(s) {', '.join(missing)}", f"row {index + 1}"
                )
            columns = [cells.index(h) for h in headers]
            break
    else:
        raise ReleaseError(source.name, "no header row with HCPC and RECID columns found")
    for number, row in enumerate(rows[index + 1 :], start=index + 2):
        values = [_cell(row[c]) if c < len(row) else "" for c in columns]
        for header, value in zip(headers, values):
            if problem := _control_problem(value, place=f"{header}, character"):
                raise ReleaseError(source.name, problem, f"row {number}")
        if any(values):
            row = dict(zip((f.key for f in FIELDS), values))
            # Workbooks drop the last digit of the layout's 5-digit sequence number
            # (0010 for 00100); restore the layout form so .txt and .xlsx agree.
            if len(row["sequence_number"]) == 4:
                row["sequence_number"] += "0"
            yield f"row {number}", row


def _join(rows, file: str) -> list[dict]:
    """One record per code: continuation lines appended to the long description."""
    records: dict[str, dict] = {}
    current, sequence = None, 0
    for where, row in rows:
        record_id, code = row["record_id"], row["code"]
        if not re.fullmatch(r"\d{5}", row["sequence_number"]):
            raise ReleaseError(file, f"sequence number {row['sequence_number']!r} is not 5 digits", where)
        if record_id in CONTINUATION_OF:
            if current is None or current["code"] != code or current["record_id"] != CONTINUATION_OF[record_id]:
                raise ReleaseError(file, f"continuation of {code or 'a blank code'} follows no record of that code", where)
            if int(row["sequence_number"]) != sequence + 100:
                raise ReleaseError(file, f"continuation of {code} is numbered {row['sequence_number']}, expected "
                                         f"{sequence + 100:05d}: a line of its description is missing or repeated",
                                   where)
            sequence += 100
            if row["long_description"].strip():
                current["long_description"] = f"{current['long_description']} {row['long_description']}"
            continue
        if record_id not in FIRST_LINE_IDS:
            raise ReleaseError(file, f"unknown record id {record_id!r}", where)
        if code in records:
            raise ReleaseError(file, f"duplicate code {code}", where)
        if row["sequence_number"] != FIRST_SEQUENCE:
            raise ReleaseError(file, f"first line of {code} is numbered {row['sequence_number']}, expected "
                                     f"{FIRST_SEQUENCE}", where)
        current, sequence = _checked(row, file, where), int(FIRST_SEQUENCE)
        records[code] = current
    if not records:
        raise ReleaseError(file, "no HCPCS records found")
    return list(records.values())


def _checked(row: dict, file: str, where: str) -> dict:
    record = dict(row)
    kind = FIRST_LINE_IDS[record["record_id"]]
    pattern = PROCEDURE_CODE if kind == "procedure" else MODIFIER_CODE
    if not pattern.match(record["code"]):
        raise ReleaseError(file, f"{record['code']!r} is not a valid {kind} code", where)
    for field in DETAIL_FIELDS:
        if field.kind == "date" and record[field.key]:
            record[field.key] = _iso_date(record[field.key], field.label, file, where)
    return record


def _iso_date(value: str, label: str, file: str, where: str) -> str:
    try:
        if not YYYYMMDD.fullmatch(value):
            raise ValueError(value)
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
    except ValueError:
        raise ReleaseError(file, f"{label} {value!r} is not a YYYYMMDD date", where) from None


def check_agreement(records: list[dict], name: str, others: list[dict], other_name: str) -> None:
    """Refuse `others` (the same release in another format) unless it holds the same codes in the
    same order with the same values as `records`.

    Two differences are CMS's own and pass: whitespace inside a long description (a workbook
    joins two text lines with two blanks where the text file gives one), and a value one file
    leaves blank (2019's workbook leaves 115 action effective dates blank that its text file
    has, and sets type of service 4 for 2 codes whose text record leaves it blank).
    """
    codes, other_codes = [r["code"] for r in records], [r["code"] for r in others]
    if codes != other_codes:
        first = next((i for i, (a, b) in enumerate(zip(codes, other_codes)) if a != b), min(len(codes), len(other_codes)))
        here = other_codes[first] if first < len(other_codes) else "its end"
        there = codes[first] if first < len(codes) else "its end"
        raise ReleaseError(other_name, f"holds {len(other_codes):,} codes and {name} {len(codes):,}; record "
                                       f"{first + 1} is {here} here and {there} there: the two files of the "
                                       "release disagree, one of them is incomplete or of another release")
    for record, other in zip(records, others):
        for field in FIELDS:
            a, b = record[field.key], other[field.key]
            if a == b or not a or not b or " ".join(a.split()) == " ".join(b.split()):
                continue
            raise ReleaseError(other_name, f"{field.label} of {record['code']} is {b!r} here and {a!r} in {name}: "
                                           "the two files of the release disagree", f"code {record['code']}")
