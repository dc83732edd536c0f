"""Open a built HCPCS database read-only and read a code's full page from it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import schema


class DatabaseError(Exception):
    """A database that is missing, unreadable or of another schema; the message says which."""


@dataclass(frozen=True)
class FieldValue:
    """One field of one code: its value, what the value means and the layout's help."""

    key: str
    label: str
    group: str
    kind: str
    value: str
    meaning: str
    help: str

    @property
    def display(self) -> str:
        """"00 — Service not separately priced …", or the bare value."""
        return f"{self.value} — {self.meaning}" if self.meaning else self.value


@dataclass(frozen=True)
class CodePage:
    """Everything the database knows about one code, fields in layout order."""

    code: str
    kind: str
    status: str
    fields: list[FieldValue]

    def __getitem__(self, key: str) -> FieldValue:
        return next(f for f in self.fields if f.key == key)

    @property
    def long_description(self) -> str:
        return self["long_description"].value

    @property
    def short_description(self) -> str:
        return self["short_description"].value


@lru_cache(maxsize=1)
def missing_fts5() -> str | None:
    """None when this SQLite library has FTS5, which the search needs; else what is wrong."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError as exc:
        return f"This SQLite library ({sqlite3.sqlite_version}) has no FTS5 ({exc}); the search needs it."
    return None


def open_database(path: Path) -> sqlite3.Connection:
    """A read-only connection to a checked HCPCS database."""
    path = Path(path)
    problem = missing_fts5()
    if problem:
        raise DatabaseError(problem)
    if not path.is_file():
        raise DatabaseError(f"No database at {path}.")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} is not a readable HCPCS database ({exc}).") from None
    if version != schema.VERSION or not {"codes", "codes_fts", "release", "fields"} <= tables:
        conn.close()
        raise DatabaseError(
            f"{path} is not a HCPCS Desktop database of schema version {schema.VERSION} "
            f"(found version {version}); build it again from a CMS release."
        )
    conn.row_factory = sqlite3.Row
    return conn


def release_info(conn: sqlite3.Connection) -> dict:
    """The release row plus its source files (role, name, sha256, bytes)."""
    info = dict(conn.execute("SELECT * FROM release").fetchone())
    info["source_files"] = [dict(r) for r in conn.execute("SELECT * FROM source_files ORDER BY rowid")]
    return info


@lru_cache(maxsize=8)
def code_meanings(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Every (code table, value) -> meaning of a database, read once per connection.

    Processing notes count as the code table "processing_note".
    """
    values = conn.execute("SELECT code_table, value, description FROM code_values")
    notes = conn.execute("SELECT 'processing_note', number, text FROM processing_notes")
    return {(table, value): text for table, value, text in [*values, *notes]}


@lru_cache(maxsize=8)
def _field_rows(conn: sqlite3.Connection) -> list:
    return conn.execute("SELECT * FROM fields ORDER BY position").fetchall()


def load_code(conn: sqlite3.Connection, code: str) -> CodePage | None:
    """The full page of `code` (case and blanks ignored), or None if unknown."""
    row = conn.execute("SELECT * FROM codes WHERE code = ?", (code.strip().upper(),)).fetchone()
    if row is None:
        return None
    meanings = code_meanings(conn)
    fields = [
        FieldValue(f["key"], f["label"], f["group_name"], f["kind"], row[f["key"]],
                   meanings.get((f["code_table"], row[f["key"]]), "") if row[f["key"]] else "", f["help"] or "")
        for f in _field_rows(conn)
    ]
    return CodePage(row["code"], row["kind"], row["status"], fields)
