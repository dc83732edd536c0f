"""Turn an ANWEB data file (fixed-width text or workbook) into one record per code.

Records are dicts keyed by the field keys of `fields.py`, values trimmed exactly as
CMS wrote them, dates as ISO `YYYY-MM-DD`. Anything malformed raises `ReleaseError`
naming the file, the line or row, and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from python_calamine import CalamineWorkbook

from .errors import ReleaseError
from .fields import (
    CONTINUATION_OF,
    DETAIL_FIELDS,
    FIELDS,
    FIRST_LINE_IDS,
    RECORD_WIDTH,
)
from .release_files import SourceFile

# Code (5) + sequence number (5 digits) + record id: how a record line starts.
RECORD_START = re.compile(r"^[A-Z0-9 ]{5}\d{5}[3478]")
PROCEDURE_CODE = re.compile(r"^[A-Z][0-9A-Z]{4}$")
MODIFIER_CODE = re.compile(r"^[0-9A-Z]{2}$")
# A first line must reach the action code; CMS pads the rest with blanks.
MIN_FIRST_LINE = max(f.end for f in FIELDS)


def parse_release_data(source: SourceFile) -> list[dict]:
    """Every record of an ANWEB .txt, .xlsx or .xls file."""
    if source.suffix == ".txt":
        rows = _fixed_width_rows(source)
    else:
        rows = _workbook_rows(source)
    return _join(rows, source.name)


def _fixed_width_rows(source: SourceFile):
    try:
        text = source.data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = source.data.count(b"\n", 0, exc.start) + 1
        raise ReleaseError(
            source.name, f"byte 0x{source.data[exc.start]:02X} is not valid cp1252 text", f"line {line}"
        ) from None
    started = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not started:
            started = bool(RECORD_START.match(line))
            if not started:
                continue  # free-text disclaimer above the records
        if not line.strip():
            continue
        where = f"line {number}"
        if not RECORD_START.match(line):
            raise ReleaseError(source.name, "not a HCPCS record (expected code, sequence number, record id)", where)
        if len(line) > RECORD_WIDTH:
            raise ReleaseError(source.name, f"line is {len(line)} characters, records are {RECORD_WIDTH}", where)
        if line[10] in FIRST_LINE_IDS and len(line) < MIN_FIRST_LINE:
            raise ReleaseError(
                source.name,
                f"record is cut short: {len(line)} characters, expected {RECORD_WIDTH}",
                where,
            )
        row = {f.key: line[f.start - 1 : f.end].strip() for f in FIELDS}
        # A continuation piece keeps its leading blank: CMS's workbooks join the
        # pieces that way ("including  all"), and both forms must give one record.
        row["long_description"] = line[11:91].rstrip()
        yield where, row
    if not started:
        raise ReleaseError(source.name, "no HCPCS records found: is this an ANWEB file?")


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.strftime("%Y%m%d")
    return str(value).strip()


def _workbook_rows(source: SourceFile):
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(source.data)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ReleaseError(source.name, f"not a readable workbook ({exc})") from None
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
    current = None
    for where, row in rows:
        record_id, code = row["record_id"], row["code"]
        if record_id in CONTINUATION_OF:
            if current is None or current["code"] != code or current["record_id"] != CONTINUATION_OF[record_id]:
                raise ReleaseError(file, f"continuation of {code or 'a blank code'} follows no record of that code", where)
            if row["long_description"].strip():
                current["long_description"] = f"{current['long_description']} {row['long_description']}"
            continue
        if record_id not in FIRST_LINE_IDS:
            raise ReleaseError(file, f"unknown record id {record_id!r}", where)
        if code in records:
            raise ReleaseError(file, f"duplicate code {code}", where)
        current = _checked(row, file, where)
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
        return dt.datetime.strptime(value, "%Y%m%d").date().isoformat()
    except ValueError:
        raise ReleaseError(file, f"{label} {value!r} is not a YYYYMMDD date", where) from None
