"""What CMS corrected in a release after publishing it, from the corrections workbook it ships
beside the release (`HCPC2026_APR_Corrections.xlsx`; 2019 had two, the second `_v2`).

A workbook is a header row (`HCPCS/MOD Code, Action, Short Description, Long Description,
Effective Date, TOS, BETOS, Coverage, Pricing` in 2026; `CODE, ACTION, EFF DATE, SHORT DESC, …,
COMMENTS` in 2019, below a title), then one row per correction: the code, the action in CMS's
words ("Revise Cov/Price", "Add date s/b 1/1/2020"), its effective date (a date, or text as CMS
typed it), and the values the correction gives. The `corrections` table keeps each row with the
release it corrects and the workbook's name; a code's page lists them.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import ReleaseError

if TYPE_CHECKING:
    from .release_files import SourceFile

CODE_HEADERS = ("HCPCS/MOD CODE", "HCPCS", "CODE")
ACTION_HEADER = "ACTION"
EFFECTIVE_HEADERS = ("EFFECTIVE DATE", "EFF DATE")


@dataclass(frozen=True)
class Correction:
    """One correction of a code: the release corrected, the action, when, the values given."""

    release_date: str
    action: str
    effective: str
    details: dict[str, str]
    source: str


def read_workbook(source: SourceFile, release_date: str) -> list[dict]:
    """The `corrections` rows of CMS's corrections workbook for the release of `release_date`."""
    from .records import sheet_rows  # the workbook reader: at build time only

    rows = sheet_rows(source)
    for index, row in enumerate(rows):
        cells = [_cell(cell).upper() for cell in row]
        code_header = next((h for h in CODE_HEADERS if h in cells), None)
        if code_header and ACTION_HEADER in cells:
            headers = [_cell(cell) for cell in row]
            code_column, action_column = cells.index(code_header), cells.index(ACTION_HEADER)
            effective_column = next((cells.index(h) for h in EFFECTIVE_HEADERS if h in cells), None)
            break
    else:
        raise ReleaseError(source.name, "no header row with a code and an ACTION column: "
                                        "is it CMS's corrections workbook?")
    found = []
    for row in rows[index + 1:]:
        values = [_cell(cell) for cell in row]
        code = values[code_column].upper() if code_column < len(values) else ""
        if not code.strip("\x1a"):
            continue
        details = {headers[i]: value for i, value in enumerate(values)
                   if value and headers[i] and i not in (code_column, action_column, effective_column)}
        found.append({"release_date": release_date, "code": code,
                      "action": " ".join(values[action_column].split()) if action_column < len(values) else "",
                      "effective": values[effective_column] if effective_column is not None
                      and effective_column < len(values) else "",
                      "details": json.dumps(details), "source": source.name})
    return found


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.strftime("%Y-%m-%d")
    return " ".join(str(value).split())


def corrections_of(conn: sqlite3.Connection, code: str) -> tuple[Correction, ...]:
    """The corrections CMS made to `code`, oldest release first (read for `database.load_code`)."""
    rows = conn.execute("SELECT release_date, action, effective, details, source FROM corrections "
                        "WHERE code = ? ORDER BY release_date, rowid", (code,))
    return tuple(Correction(date, action, effective, json.loads(details), source)
                 for date, action, effective, details, source in rows)
