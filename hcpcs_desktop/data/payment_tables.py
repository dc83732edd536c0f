"""Write read payment files into a database: at build time, or one file into built databases.

Each kind keeps its quarters: a file replaces only an earlier copy of the same kind, section
and period. Importing one file into several databases writes a new file beside each and renames
them into place only when all are written, so the file is in all of them or in none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from filelock import Timeout

from . import schema
from .database import open_database
from .errors import ReleaseError
from .payment_files import KIND_LABELS, PaymentFile, PaymentFileError, read_payment_file
from .safe_files import lock_beside, partial_beside, real_path

TABLES = {"dmepos": "dmepos_fees", "drug_limits": "drug_limits", "ndc": "ndc_codes", "mue": "mue"}
PRICED = ("dmepos", "drug_limits")  # the kinds that price a code
MIN_ROW_SHARE = 0.75  # of the rows of the nearest quarter of the same kind a file must have,
MIN_ROWS_COMPARED = 20  # when that quarter has this many (CMS's smallest file, the PEN schedule, has 50)
MAX_SHARE_PAST_END = 0.02  # of that quarter's rows it may have past this file's last code,
MAX_ROWS_PAST_END = 5  # or this many (CMS's files run in code order and end at the same code each quarter)
# The section CMS's files of a kind end in, quarter after quarter: Q9999 ends the drug files, V2786 the
# DMEPOS fee schedule, V5336 and V5364 the MUEs (the PEN schedule, B codes and an IV pole, is left out).
LAST_SECTION = {"dmepos": "V", "drug_limits": "Q", "ndc": "Q", "mue": "V"}


class PartlyAdded(ReleaseError):
    """A payment file that could not be added to every database and not taken out of all it went
    into: the message names those that have it."""


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
    rows says too little to compare with. Nor may the file stop short of the codes that quarter
    goes on to (`MAX_SHARE_PAST_END`): a cut at the end of a row that keeps three quarters of
    the rows still ends early. A file of MIN_ROWS_COMPARED rows or more must also reach the section
    CMS's files of its kind end in (`LAST_SECTION`): the first quarter of a kind has no other to
    compare with."""
    last = max((row["code"] for row in file.rows), default="")
    nearest = conn.execute(
        "SELECT id, label, name, rows FROM payment_files WHERE kind = ? AND section = ? AND period_start != ? "
        "ORDER BY abs(julianday(period_start) - julianday(?)), period_start LIMIT 1",
        (file.kind, file.section, file.period_start, file.period_start),
    ).fetchone()
    if nearest and nearest[3] >= MIN_ROWS_COMPARED:
        file_id, label, name, rows = nearest
        if len(file.rows) < MIN_ROW_SHARE * rows:
            raise PaymentFileError(file.name, f"has {len(file.rows):,} HCPCS rows where the {label} ({name}) has "
                                              f"{rows:,}: it looks truncated, as by an interrupted download")
        # CMS's files run in code order and end at the same code quarter after quarter (Q9999, V2786,
        # V5364): one cut at the end of a row stops short of the codes the other quarter goes on to.
        past, its_last = conn.execute(f"SELECT count(*), max(code) FROM {TABLES[file.kind]} "
                                      "WHERE file_id = ? AND code > ?", (file_id, last)).fetchone()
        if past > max(MAX_ROWS_PAST_END, MAX_SHARE_PAST_END * rows):
            raise PaymentFileError(file.name, f"ends at {last}, where the {label} ({name}) goes on to {its_last} with "
                                              f"{past:,} more rows: it looks truncated, as by an interrupted download")
    section = LAST_SECTION[file.kind] if file.section != "PEN" else ""
    if len(file.rows) >= MIN_ROWS_COMPARED and last[:1] < section:
        raise PaymentFileError(file.name, f"ends at {last}, where CMS's {KIND_LABELS[file.kind]} files go on to the "
                                          f"{section} codes: it looks truncated, as by an interrupted download")


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


def add_payment_file(targets: list[Path], file: PaymentFile, timeout: float = 60.0) -> list[PaymentImport]:
    """Add `file` to every database of `targets`, or to none of them; what it did to each.

    Each database is locked as a build of it is (`safe_files.lock_beside`: what killed builds and
    imports left beside it is removed), copied beside itself and the file written into the copy
    (`payment_copy`); only when every copy is written are they renamed into place (`_swap_in`).
    Raises ReleaseError saying what changed: nothing, unless a database could not be put back.
    """
    targets = list(dict.fromkeys(real_path(t) for t in targets))
    copies: list[tuple[Path, PaymentImport]] = []
    with contextlib.ExitStack() as held:
        for db in targets:
            held.enter_context(_lock(db, timeout))
        try:
            for db in targets:
                copies.append(payment_copy(db, file))
            _swap_in([(db, temp) for db, (temp, _) in zip(targets, copies)], file.name)
        except (sqlite3.Error, OSError) as exc:  # a full disk, a folder that cannot be written
            raise ReleaseError(str(db), f"cannot add {file.name} ({_reason(exc)}); nothing was changed") from None
        finally:
            for temp, _ in copies:
                temp.unlink(missing_ok=True)
    return [done for _, done in copies]


def _lock(db: Path, timeout: float) -> contextlib.ExitStack:
    try:
        return lock_beside(db, timeout)
    except Timeout:
        raise ReleaseError(str(db), "a build or import of this database is still running; try again when it "
                                    "has finished; nothing was changed") from None
    except OSError as exc:
        raise ReleaseError(str(db.parent), f"cannot write in this folder ({_reason(exc)}); "
                                           "nothing was changed") from None


def _swap_in(pairs: list[tuple[Path, Path]], name: str) -> None:
    """Rename each copy over its database (`pairs`: database, copy), or leave every database as it
    was: the old files are kept under another name (a hard link, else a copy) until all are
    renamed, and a rename that fails (the database immutable, or held open on Windows) puts back
    those renamed before it. ReleaseError when a rename fails; PartlyAdded when putting one back
    failed too."""
    kept: dict[Path, Path] = {}
    try:
        for db, _ in pairs:
            old = kept[db] = partial_beside(db, "kept-")
            old.unlink()
            try:
                os.link(db, old)
            except OSError:  # a file system without hard links, or an immutable file
                shutil.copy2(db, old)
        renamed: list[Path] = []
        try:
            for db, temp in pairs:
                os.replace(temp, db)
                renamed.append(db)
        except OSError as exc:
            not_back = []
            for done in reversed(renamed):
                try:
                    os.replace(kept[done], done)
                except OSError:
                    not_back.append(str(done))
            if not_back:
                raise PartlyAdded(str(db), f"cannot add {name} ({_reason(exc)}); it is in "
                                           f"{', '.join(reversed(not_back))} only, which could not be put back "
                                           "as it was") from None
            raise ReleaseError(str(db), f"cannot add {name} ({_reason(exc)}); nothing was changed") from None
    except OSError as exc:  # keeping an old file failed: nothing was renamed yet
        raise ReleaseError(str(db), f"cannot add {name} ({_reason(exc)}); nothing was changed") from None
    finally:
        for old in kept.values():
            old.unlink(missing_ok=True)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def payment_copy(db_path: Path, file: PaymentFile) -> tuple[Path, PaymentImport]:
    """A copy of the database `db_path`, beside it (`.NAME.payment-*.partial`), with `file` written
    in, and what the file did to it; the caller renames the copy into place. The copy is removed
    when anything fails."""
    source = open_database(db_path)  # checks it is a database of this schema
    temp = None
    try:
        temp = partial_beside(db_path, "payment-")
        target = sqlite3.connect(temp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = OFF")  # a copy: a failure removes it, no journal beside it
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
