"""Earlier releases carried inside a release's database as differences from it.

A database built with earlier quarters (the bundled one: October 2025 and January 2026 inside
April 2026) keeps, for each of them, one `history_releases` row and, in `history_values`, only
what differs from the database's own release: a code the earlier release lacks (field ''), a code
only the earlier release has (every field it fills), and each field whose value differs. An
earlier release is then this release's codes with those values in place: "What changed", a code's
history and the date of service reach it as if it were stored beside, for a few hundred kilobytes
instead of a whole database per quarter.
"""

from __future__ import annotations

import json
import sqlite3

from .database import reads_database
from .fields import FIELDS, FIRST_LINE_IDS

ABSENT = ""  # the field of the row marking a code the earlier release lacks
KEYS = [f.key for f in FIELDS]


def differences(records: list[dict], earlier: list[dict], release_date: str) -> list[dict]:
    """The `history_values` rows that turn `records` (this release) into `earlier`."""
    now = {r["code"]: r for r in records}
    then = {r["code"]: r for r in earlier}
    rows = [{"code": code, "release_date": release_date, "field": ABSENT, "value": ""} for code in now.keys() - then.keys()]
    for code, old in then.items():
        new = now.get(code)
        for key in KEYS:
            if (old[key] != new[key]) if new else (old[key] or key == "code"):
                rows.append({"code": code, "release_date": release_date, "field": key, "value": old[key]})
    return rows


def release_row(name: str, release_date: str, records: list[dict], file_name: str, data_sha256: str) -> dict:
    """The `history_releases` row of an earlier release."""
    kinds = [FIRST_LINE_IDS[r["record_id"]] for r in records]
    return {"release_date": release_date, "name": name, "procedures": kinds.count("procedure"),
            "modifiers": kinds.count("modifier"), "terminated": sum(bool(r["termination_date"]) for r in records),
            "file_name": file_name, "data_sha256": data_sha256}


@reads_database
def earlier_releases(conn: sqlite3.Connection) -> list[dict]:
    """The earlier releases a database carries, oldest first (none for most databases)."""
    cursor = conn.execute("SELECT * FROM history_releases ORDER BY release_date")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]


@reads_database
def earlier_codes(conn: sqlite3.Connection, release_date: str, code: str | list[str] | None = None) -> dict[str, dict]:
    """{code: row as `codes` holds it} of the earlier release of `release_date`, or of `code` only
    (a list: of those codes)."""
    if isinstance(code, list):
        where, args = "WHERE code IN (SELECT value FROM json_each(?))", (json.dumps(code),)
    else:
        where, args = ("WHERE code = ?", (code,)) if code else ("", ())
    cursor = conn.execute(f"SELECT * FROM codes {where}", args)
    columns = [d[0] for d in cursor.description]
    rows = {row[0]: dict(zip(columns, row)) for row in cursor}
    changed = conn.execute(f"SELECT code, field, value FROM history_values {where}{' AND' if where else ' WHERE'} "
                           "release_date = ?", (*args, release_date))
    blank = dict.fromkeys(KEYS, "")
    touched = set()
    for changed_code, field, value in changed:
        if field == ABSENT:
            rows.pop(changed_code, None)
            continue
        rows.setdefault(changed_code, dict(blank))[field] = value
        touched.add(changed_code)
    for changed_code in touched & rows.keys():
        derive(rows[changed_code])
    return rows


def derive(row: dict) -> None:
    """Set the columns a database derives from a record: kind, status, section."""
    row["kind"] = FIRST_LINE_IDS[row["record_id"]]
    row["status"] = "terminated" if row["termination_date"] else "active"
    row["section"] = "modifier" if row["kind"] == "modifier" else row["code"][0]
