"""Open a built HCPCS database read-only, checked, and read a code's full page from it.

What is checked when (the figures are for the October 2025 database, about 10 MB; see
`benchmarks/open_check.py`):

- every open, in about a millisecond: the file is a whole SQLite file (not empty, not
  truncated, no pending write-ahead log beside it), of this schema version, with every table
  and column of the schema, exactly one `release` row, and a search index that answers;
- on request (`thorough=True`: `--smoke`, `hcpcs-desktop check`, `changes`): also
  `PRAGMA quick_check` (every page, 13 ms) and the FTS5 `integrity-check` of the search
  index (33 ms), 46 ms together: more than half of what a whole `show` command takes (84 ms),
  too much for every start and for the store's listing, which opens every stored release;
- while reading: `reads_database` turns a damaged page met by a query into a
  `DatabaseError` naming the file.

The file is opened read-only and immutable: nothing is ever written beside it (no `-wal`
or `-shm` files, even for a database in write-ahead-log mode).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import schema
from .corrections import corrections_of
from .fields import FIELDS

SQLITE_HEADER = b"SQLite format 3\x00"
REBUILD = "build it again from a CMS release"
# Columns of the tables the build writes outside `schema.DDL`, as far as they are read.
RELEASE_COLUMNS = {
    "release": ("name", "release_date", "procedures", "modifiers", "terminated", "undecoded"),
    "source_files": ("role", "name", "sha256", "bytes"),
}


class DatabaseError(Exception):
    """A database that is missing, unreadable, damaged or of another schema; the message says which."""


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
    unclassified: bool = False  # a not-otherwise-classified (NOC) code (see noc_codes.py)
    corrections: tuple = ()  # corrections.Correction: what CMS corrected after publishing

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


def open_database(path: Path, thorough: bool = False, listed: bool = False) -> sqlite3.Connection:
    """A read-only connection to a checked HCPCS database (see the module's notes).

    `listed`: the file passed this check when it was listed (a release of the store, read again
    for a code's history); only the file itself is checked, so a database changed since may fail
    in any way when read, and the caller checks it in full then. Raises DatabaseError, one line
    naming the file and what is wrong with it.
    """
    path = Path(path)
    problem = missing_fts5()
    if problem:
        raise DatabaseError(problem)
    if not path.is_file():
        raise DatabaseError(f"No database at {path}.")
    _check_file(path)
    try:
        conn = connect_read_only(path)
    except ForeignSchema as exc:
        raise DatabaseError(f"{path} is not a database HCPCS Desktop built: {exc}; {REBUILD}.") from None
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path} is not a readable HCPCS database ({exc}).") from None
    try:
        if not listed:
            _check_schema(conn, path)
        if thorough:
            _check_pages(path)
    except BaseException:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    return conn


class ForeignSchema(sqlite3.DatabaseError):
    """A database whose schema holds what runs on a read and that this app never makes."""


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only, immutable connection to the SQLite file at `path`, once its schema is known to
    hold nothing that runs when a table is read: no view (a recursive one never ends, and no
    Ctrl+C stops SQLite), no trigger (a copy written for an import would fire it) and no virtual
    table but the search index. Raises ForeignSchema saying what it found, or sqlite3.Error.

    Every database the app did not just build is opened through here (databases to show, to list,
    to compare, and those a build takes its vocabulary or record layout from)."""
    conn = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
    try:
        for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
            virtual = kind == "table" and str(sql or "").upper().startswith("CREATE VIRTUAL")
            if kind in ("view", "trigger") or (virtual and name != "codes_fts"):
                raise ForeignSchema(f"it holds a {'virtual table' if virtual else kind} {name!r}, "
                                    "which this app never makes")
    except BaseException:
        conn.close()
        raise
    return conn


def read_only_uri(path: Path) -> str:
    """The URI that opens `path` read-only and immutable: SQLite writes nothing beside the file
    (no `-wal`, `-shm` or journal, whatever its journal mode) and takes no locks."""
    return f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"


def _check_file(path: Path) -> None:
    """The file holds a whole SQLite database with nothing pending beside it."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise DatabaseError(f"{path} cannot be read ({exc.strerror}).") from None
    if size == 0:
        raise DatabaseError(f"{path} is empty (0 bytes), not a HCPCS database; {REBUILD}.")
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise DatabaseError(f"{path} is not a readable HCPCS database (not a SQLite file); {REBUILD}.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[92:96] == header[24:28] and pages and size < pages * page_size:
        raise DatabaseError(f"{path} is truncated ({size:,} of its {pages * page_size:,} bytes); {REBUILD}.")
    wal = path.with_name(path.name + "-wal")
    if header[18] == 2 and wal.is_file() and wal.stat().st_size > 0:
        raise DatabaseError(f"{path} has changes not yet written into it (in {wal.name} beside it); "
                            f"open it once with the sqlite3 program to fold them in, or {REBUILD}.")


@lru_cache(maxsize=2)
def _schema_columns(ddl: str) -> dict[str, tuple[str, ...]]:
    """Every table `ddl` makes (search index tables included) -> its columns."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(ddl)
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    columns = {t: tuple(c for (c,) in conn.execute("SELECT name FROM pragma_table_info(?)", (t,))) for t in tables}
    conn.close()
    return columns


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Schema version, tables and columns, the release row and the search index, or DatabaseError."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        found: dict[str, set[str]] = {}
        for table, column in conn.execute(
                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                "WHERE m.type IN ('table', 'view')"):
            found.setdefault(table, set()).add(column)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(damaged(path, exc)) from None
    if version != schema.VERSION:
        newer = ", made by a newer HCPCS Desktop: update it, or" if version > schema.VERSION else ";"
        raise DatabaseError(
            f"{path} is not a HCPCS Desktop database of schema version {schema.VERSION} "
            f"(found version {version}){newer} {REBUILD}."
        )
    expected = {**_schema_columns(schema.DDL), **RELEASE_COLUMNS}
    if "payment_files" in found:  # a database with Medicare payment files has every payment table
        expected.update(_schema_columns(schema.PAYMENT_DDL))
    for table, columns in expected.items():
        if table not in found:
            what = "the search index" if table.startswith("codes_fts") else "the table"
            raise DatabaseError(f"{path} is damaged: {what} {table} is missing; {REBUILD}.")
        missing = [c for c in columns if c not in found[table]]
        if missing:
            raise DatabaseError(f"{path} is damaged: table {table} has no column {', '.join(missing)}; {REBUILD}.")
    try:
        rows = conn.execute("SELECT name, release_date, procedures, modifiers, terminated FROM release LIMIT 2"
                            ).fetchall()
        conn.execute("SELECT rowid FROM codes_fts WHERE codes_fts MATCH 'a*' LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(damaged(path, exc)) from None
    if len(rows) != 1:
        count = "no" if not rows else "more than one"
        raise DatabaseError(f"{path} is damaged: it has {count} release row, so which release it holds is "
                            f"unknown; {REBUILD}.")
    name, date, *counts = rows[0]
    if not isinstance(name, str) or not name or not _is_date(date):
        raise DatabaseError(f"{path} is damaged: its release row names no release or date "
                            f"({name!r}, {date!r}); {REBUILD}.")
    if not all(isinstance(count, int) and count >= 0 for count in counts):
        raise DatabaseError(f"{path} is damaged: its release row counts codes with what is no count "
                            f"({', '.join(map(repr, counts))}); {REBUILD}.")


def _is_date(value) -> bool:
    """Whether `value` is a date as the build writes one (2025-10-01), and a real one."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_pages(path: Path) -> None:
    """`PRAGMA quick_check` and the search index's FTS5 integrity-check, or DatabaseError.

    FTS5 runs its check as an INSERT, which a read-only connection refuses: both run on a
    copy of the file in memory (the file itself is never opened for writing).
    """
    conn = sqlite3.connect(":memory:")
    try:
        with path.open("rb") as file:  # read once into the buffer handed to SQLite (a 20 MB file: no second copy)
            data = bytearray(path.stat().st_size)
            file.readinto(data)
        data[18:20] = b"\x01\x01"  # a copy in memory keeps no write-ahead log: read it as a rollback-journal file
        conn.deserialize(data)
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise DatabaseError(f"{path} is damaged (SQLite finds: {'; '.join(problems)}); {REBUILD}.")
        conn.execute("INSERT INTO codes_fts(codes_fts, rank) VALUES ('integrity-check', 0)")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(damaged(path, exc)) from None
    except OSError as exc:
        raise DatabaseError(f"{path} cannot be read ({exc.strerror}).") from None
    finally:
        conn.close()


def text_only(values, what: str = "a code's row"):
    """`values` when every one is text (as every column of a code is); else damage, raised as
    SQLite's own error, so that it ends as one line naming the file (`reads_database`) and never
    reaches the window (Qt crashes on bytes where it paints text, and HTML escaping on bytes raises)."""
    for value in values:
        if type(value) is not str:
            raise sqlite3.DatabaseError(f"{what} holds {value!r:.40} where text belongs")
    return values


class Holds(sqlite3.DatabaseError):
    """Damage met in what a table holds (a value no build writes), raised where it is read and said
    as what the file holds: "its Medicare payment tables hold 'lots' as a payment limit, …"."""


def damaged(path, exc: sqlite3.Error) -> str:
    """The one line saying that reading `path` failed on SQLite error `exc`."""
    if isinstance(exc, Holds):
        return f"{path} is damaged: {exc}; {REBUILD}."
    what = "its search index is damaged" if "codes_fts" in str(exc) else "the file is damaged"
    return f"{path} could not be read ({exc}): {what}; {REBUILD}."


def database_file(conn: sqlite3.Connection) -> str:
    """The file a connection reads (or "the database" when it cannot even say)."""
    try:
        return next(file for _, name, file in conn.execute("PRAGMA database_list") if name == "main") or "the database"
    except (sqlite3.Error, StopIteration):
        return "the database"


def reads_database(function):
    """Decorate a function whose first argument is a connection, or an object whose `conn` is:
    a SQLite error met while it reads (a damaged page) raises DatabaseError naming the file."""

    @functools.wraps(function)
    def reading(first, *args, **kwargs):
        try:
            return function(first, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            conn = first if isinstance(first, sqlite3.Connection) else first.conn
            raise DatabaseError(damaged(database_file(conn), exc)) from exc

    return reading


@reads_database
def release_info(conn: sqlite3.Connection) -> dict:
    """The release row plus its source files (role, name, sha256, bytes)."""
    info = dict(conn.execute("SELECT * FROM release").fetchone())
    info["source_files"] = [dict(r) for r in conn.execute("SELECT * FROM source_files ORDER BY rowid")]
    return info


@reads_database
@lru_cache(maxsize=8)
def code_meanings(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Every (code table, value) -> meaning of a database, read once per connection.

    Processing notes count as the code table "processing_note".
    """
    values = conn.execute("SELECT code_table, value, description FROM code_values")
    notes = conn.execute("SELECT 'processing_note', number, text FROM processing_notes")
    meanings = {(table, value): text for table, value, text in [*values, *notes]}
    text_only(meanings.values(), "the meanings of its coded values")
    return meanings


# The columns of `fields` a code's page draws (a field's help may be none).
FIELD_TEXT = ("key", "label", "group_name", "kind", "help")


@lru_cache(maxsize=8)
def _field_rows(conn: sqlite3.Connection) -> list:
    """The fields of a code page in layout order, each with the text a page draws (help may be none)."""
    rows = conn.execute("SELECT * FROM fields ORDER BY position").fetchall()
    for f in rows:
        text_only((f[column] or "" if column == "help" else f[column] for column in FIELD_TEXT),
                  "its record layout's fields")
    listed = {f["key"] for f in rows}
    missing = [f.key for f in FIELDS if f.key not in listed]
    if missing:  # every page names its code and descriptions, and draws each field of the layout
        raise sqlite3.DatabaseError(f"its record layout lacks {len(missing)} of a code's fields "
                                    f"({', '.join(missing[:3])}{' …' if len(missing) > 3 else ''})")
    return rows


@reads_database
def load_code(conn: sqlite3.Connection, code: str) -> CodePage | None:
    """The full page of `code` (case and blanks ignored), or None if unknown."""
    row = conn.execute("SELECT * FROM codes WHERE code = ?", (code.strip().upper(),)).fetchone()
    if row is None:
        return None
    text_only(row)  # every column of a code is text
    meanings = code_meanings(conn)
    fields = [
        FieldValue(f["key"], f["label"], f["group_name"], f["kind"], row[f["key"]],
                   meanings.get((f["code_table"], row[f["key"]]), "") if row[f["key"]] else "", f["help"] or "")
        for f in _field_rows(conn)
    ]
    unclassified = conn.execute("SELECT 1 FROM noc_codes WHERE code = ?", (row["code"],)).fetchone() is not None
    return CodePage(row["code"], row["kind"], row["status"], fields, unclassified, corrections_of(conn, row["code"]))
