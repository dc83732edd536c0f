"""The not-otherwise-classified (NOC) codes of a release: the codes billed for a drug or item
that no other code names (J3490 "Unclassified drugs", E1399 "Durable medical equipment,
miscellaneous").

CMS lists them in a workbook beside the release (`NOC codes_APR2026.xlsx`, 2019's
`NOC_Codes_2019.xlsx`): a title row, then `HCPCS, LONG DESCRIPTION, ADD DATE, TERM DATE`, one
row per code. A release without that workbook (October 2025 is a workbook of codes only) has its
NOC codes read from its own long descriptions, as CMS words them ("not otherwise classified",
"not otherwise specified", "unclassified", "NOC"). Each row of the `noc_codes` table says which
of the two it came from.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from functools import lru_cache

from .database import reads_database
from .errors import ReleaseError
from .records import PROCEDURE_CODE, sheet_rows
from .release_files import SourceFile

DESCRIPTIONS = "long descriptions"  # the source of NOC codes read from the release's own descriptions
HEADERS = {"code": "HCPCS", "description": "LONG DESCRIPTION", "added_date": "ADD DATE",
           "termination_date": "TERM DATE"}
# How CMS words a code for what no other code names (J3490; A4649's "miscellaneous" aside: the
# workbook lists those, a description does not tell them from any other supply). "Reason not
# otherwise specified" closes quality-measure G codes (G9699), which name no item.
UNCLASSIFIED = re.compile(r"(?<!reason )\bnot otherwise (?:classified|specified)\b|\bunclassified\b|\bnoc\b",
                          re.IGNORECASE)


def read_workbook(source: SourceFile) -> list[dict]:
    """The rows of CMS's NOC codes workbook, one per code: code, description, added and
    termination dates (ISO, or ""), and the workbook's name as their source."""
    rows = sheet_rows(source)
    for index, row in enumerate(rows):
        cells = [str(cell).strip().upper() for cell in row]
        if HEADERS["code"] in cells and HEADERS["description"] in cells:
            columns = {key: cells.index(header) if header in cells else None for key, header in HEADERS.items()}
            break
    else:
        raise ReleaseError(source.name, "no header row with HCPCS and LONG DESCRIPTION columns: "
                                        "is it CMS's NOC codes workbook?")
    found: dict[str, dict] = {}
    for number, row in enumerate(rows[index + 1:], start=index + 2):
        values = {key: _cell(row[column]) if column is not None and column < len(row) else ""
                  for key, column in columns.items()}
        code = values["code"].upper()
        if not code.strip("\x1a"):  # blank rows, and the end-of-file mark 2019's workbook keeps
            continue
        if not PROCEDURE_CODE.match(code):
            raise ReleaseError(source.name, f"{code!r} is not a HCPCS code", f"row {number}")
        found[code] = {"code": code, "description": values["description"],
                       "added_date": _date(values["added_date"], source.name, number),
                       "termination_date": _date(values["termination_date"], source.name, number),
                       "source": source.name}
    if not found:
        raise ReleaseError(source.name, "lists no NOC code")
    return list(found.values())


def from_descriptions(records: list[dict]) -> list[dict]:
    """The procedure codes whose long description says they are not otherwise classified."""
    return [{"code": r["code"], "description": r["long_description"], "added_date": r["added_date"],
             "termination_date": r["termination_date"], "source": DESCRIPTIONS}
            for r in records if r["kind"] == "procedure" and UNCLASSIFIED.search(r["long_description"])]


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.strftime("%Y%m%d")
    return str(value).strip()


def _date(value: str, file: str, row: int) -> str:
    if not value:
        return ""
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date().isoformat()
    except ValueError:
        raise ReleaseError(file, f"{value!r} is not a YYYYMMDD date", f"row {row}") from None


@reads_database
@lru_cache(maxsize=8)
def noc_codes(conn: sqlite3.Connection) -> frozenset[str]:
    """The not-otherwise-classified codes of the release a database holds (read once per connection)."""
    return frozenset(code for (code,) in conn.execute("SELECT code FROM noc_codes"))


@reads_database
def noc_source(conn: sqlite3.Connection) -> str:
    """Where a database's NOC codes come from: the workbook's name, or DESCRIPTIONS."""
    row = conn.execute("SELECT source FROM noc_codes LIMIT 1").fetchone()
    return row[0] if row else DESCRIPTIONS
