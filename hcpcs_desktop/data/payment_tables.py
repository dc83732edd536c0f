"""Write read payment files into a database: at build time, or one file into a built database.

Each kind keeps its quarters: a file replaces only an earlier copy of the same kind, section
and period. Importing one file writes a new database file beside the old one and renames it
into place, so a failure leaves the old database as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .database import DatabaseError, open_database
from .payment_files import PaymentFile, PaymentFileError, read_payment_file

TABLES = {"dmepos": "dmepos_fees", "drug_limits": "drug_limits", "ndc": "ndc_codes", "mue": "mue"}
PRICED = ("dmepos", "drug_limits")  # the kinds that price a code
MIN_ROW_SHARE = 0.75  # of the rows of the nearest quarter of the same kind a file must have,
MIN_ROWS_COMPARED = 20  # when that quarter has this many (CMS's smallest file, the PEN schedule, has 50)


@dataclass
class PaymentImport:
    """What importing one payment file did."""

    label: str
    rows: int
    cpt_rows_dropped: int
    replaced: list[str]  # names of the files of the same kind and period it replaced
    codes_not_in_release: int


def write_payment_files(conn: sqlite3.Connection, files: list[PaymentFile]) -> list[str]:
    """Add `files` to the database of `conn` (in its transaction); the names of files replaced.

    Each is then checked against the nearest other quarter of its kind: PaymentFileError when it
    has far fewer rows (see `check_row_count`)."""
    conn.executescript(schema.PAYMENT_DDL)
    replaced = []
    for file in files:
        for file_id, name in conn.execute(
            "SELECT id, name FROM payment_files WHERE kind = ? AND section = ? AND period_start = ?",
            (file.kind, file.section, file.period_start),
        ).fetchall():
            conn.execute(f"DELETE FROM {TABLES[file.kind]} WHERE file_id = ?", (file_id,))
            conn.execute("DELETE FROM payment_files WHERE id = ?", (file_id,))
            replaced.append(name)
        file_id = conn.execute(
            "INSERT INTO payment_files (kind, section, name, sha256, bytes, period_start, period_end, period, label,"
            " rows, cpt_rows_dropped, columns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (file.kind, file.section, file.name, file.sha256, file.bytes, file.period_start, file.period_end,
             file.period, file.label, len(file.rows), file.dropped, json.dumps(file.columns)),
        ).lastrowid
        _insert_rows(conn, TABLES[file.kind], file_id, file.rows)
    for file in files:
        check_row_count(conn, file)
    _count_not_in_release(conn)
    return replaced


def check_row_count(conn: sqlite3.Connection, file: PaymentFile) -> None:
    """Refuse `file` when it has fewer than MIN_ROW_SHARE of the rows of the nearest other quarter
    of its kind (and schedule or setting) in the database: a file cut at a row boundary ends as a
    whole file does, and only its count tells. CMS's files change by a few per cent a quarter, by
    14% at most (152 skin substitutes left the drug files in January 2026); a quarter of a few
    rows says too little to compare with."""
    nearest = conn.execute(
        "SELECT label, name, rows FROM payment_files WHERE kind = ? AND section = ? AND period_start != ? "
        "ORDER BY abs(julianday(period_start) - julianday(?)), period_start LIMIT 1",
        (file.kind, file.section, file.period_start, file.period_start),
    ).fetchone()
    if nearest and nearest[2] >= MIN_ROWS_COMPARED and len(file.rows) < MIN_ROW_SHARE * nearest[2]:
        label, name, rows = nearest
        raise PaymentFileError(file.name, f"has {len(file.rows):,} HCPCS rows where the {label} ({name}) has "
                                          f"{rows:,}: it looks truncated, as by an interrupted download")


def _insert_rows(conn, table: str, file_id: int, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    conn.executemany(
        f"INSERT INTO {table} (file_id, {', '.join(columns)}) VALUES (?, {', '.join('?' * len(columns))})",
        ([file_id, *(pack_fees(r[c]) if c == "fees" else r[c] for c in columns)] for r in rows),
    )


def pack_fees(fees: list[float]) -> bytes:
    """A DMEPOS row's fees as little-endian doubles (exact, and far quicker to write than JSON)."""
    return struct.pack(f"<{len(fees)}d", *fees)


def unpack_fees(blob: bytes) -> list[float]:
    return list(struct.unpack(f"<{len(blob) // 8}d", blob))


def _count_not_in_release(conn) -> None:
    for kind in PRICED:
        conn.execute(
            f"UPDATE payment_files SET codes_not_in_release = (SELECT count(DISTINCT code) FROM {TABLES[kind]} t "
            "WHERE t.file_id = payment_files.id AND t.code NOT IN (SELECT code FROM codes)) WHERE kind = ?",
            (kind,),
        )


def priced_not_in_release(conn: sqlite3.Connection) -> dict[str, int]:
    """Month ("January 2026") -> how many codes the payment files of that month price that the
    release lacks (in a month after the release's, the codes a newer HCPCS release adds)."""
    found: dict[str, set[str]] = {}
    for kind in PRICED:
        for start, code in conn.execute(
            f"SELECT f.period_start, t.code FROM {TABLES[kind]} t JOIN payment_files f ON f.id = t.file_id "
            "WHERE t.code NOT IN (SELECT code FROM codes)"
        ):
            found.setdefault(start[:7], set()).add(code)
    return {dt.date.fromisoformat(f"{month}-01").strftime("%B %Y"): len(codes)
            for month, codes in sorted(found.items())}


def import_payment_file(db_path: Path, file_path: Path) -> PaymentImport:
    """Add one payment file to the built database at `db_path`, atomically.

    The file is read first (a bad file raises PaymentFileError and nothing is written); then the
    copy `payment_copy` writes is renamed over the old database.
    """
    file = read_payment_file(file_path)
    db_path = Path(db_path)
    try:
        temp, done = payment_copy(db_path, file)
    except (sqlite3.Error, OSError) as exc:  # e.g. a full disk, or a folder that cannot be written
        raise DatabaseError(f"{db_path}: cannot add {file.name} ({exc}); the database is unchanged.") from None
    try:
        os.replace(temp, db_path)
    except OSError as exc:  # e.g. the database held open on Windows
        temp.unlink(missing_ok=True)
        raise DatabaseError(f"{db_path}: cannot add {file.name} ({exc}); the database is unchanged.") from None
    return done


def payment_copy(db_path: Path, file: PaymentFile) -> tuple[Path, PaymentImport]:
    """A copy of the database `db_path`, beside it, with `file` written in, and what the file did
    to it; the caller renames the copy into place. The copy is removed when anything fails."""
    source = open_database(db_path)  # checks it is a database of this schema
    temp = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{db_path.name}.payment-", suffix=".partial", dir=db_path.parent)
        os.close(fd)
        temp = Path(name)
        target = sqlite3.connect(temp)
        try:
            source.backup(target)
            with target:
                replaced = write_payment_files(target, [file])
                not_in_release = target.execute(
                    "SELECT codes_not_in_release FROM payment_files WHERE sha256 = ? ORDER BY id DESC", (file.sha256,)
                ).fetchone()[0]
            target.execute("VACUUM")
        finally:
            target.close()
        temp.chmod(db_path.stat().st_mode & 0o777)
    except BaseException:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return temp, PaymentImport(file.label, len(file.rows), file.dropped, replaced, not_in_release)


def write_into(path: Path, files: list[PaymentFile]) -> dict:
    """Write `files` into the database being built at `path`; what the build report says of them."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = OFF")  # as the rest of the build: the file is not in place yet
    conn.execute("PRAGMA synchronous = OFF")
    try:
        with conn:
            write_payment_files(conn, files)
            not_in_release = priced_not_in_release(conn)
    finally:
        conn.close()
    return {
        "files": {f"{file.label} ({file.name})": len(file.rows) for file in files},
        "cpt_rows_dropped": sum(file.dropped for file in files),
        "priced_not_in_release": not_in_release,
    }


def read_folder(folder: Path) -> list[PaymentFile]:
    """Every payment file under `folder` (or the one file `folder` names), read; PaymentFileError
    for the first that cannot be, or for two files of the same kind and period."""
    from .payment_files import PaymentFileError, find_payment_files

    folder = Path(folder)
    if folder.is_file():
        return [read_payment_file(folder)]
    if not folder.is_dir():
        raise PaymentFileError(str(folder), "no such folder of payment files")
    files = [read_payment_file(p) for p in find_payment_files(folder)]
    seen: dict[tuple, str] = {}
    for file in files:
        key = (file.kind, file.section, file.period_start)
        if key in seen:
            raise PaymentFileError(file.name, f"is a second {file.label} beside {seen[key]}; keep one of them")
        seen[key] = file.name
    return files
