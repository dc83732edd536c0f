"""What each release database holds, kept in one file of the user's cache folder, so that listing the
known releases and a code's history across them need not open every database.

A listing opens and checks every database it names (`database.open_database`), and a code's history
reads the code's row from each: with 40 stored releases, 40 opens a listing and 40 a code. The index
(`releases.sqlite` in the user's cache folder, `hcpcs-desktop/`) keeps, for each database file that
was read and found good:

- the file's identity when it was read: its device, inode, size, modification and change times;
- what a listing reads from it (`listings`): its release and the earlier releases it carries;
- every code's row in each of those releases and the meanings of its coded values (`index_codes`,
  run on a worker thread after the window lists the releases), each row kept once for every
  release that holds it alike, so that a code's history reads them all at once (`code_rows`).

An entry is used only while the file has the identity it was read with, and only when it was read
more than `SETTLED_SECONDS` after the file last changed (a change within the same tick of the file
system's clock may leave the times as they were); any other file is opened and checked in full, as
without the index, and written into it anew when it passes. So a database replaced, removed, damaged
or changed since it was read is never taken from the index, and one that fails its checks is never
written into it. A database in write-ahead-log mode is not kept (what its log holds does not change
the file's times). Entries are kept per version of the code that reads them (`code_version`).

The index is a cache: one that cannot be read or written (a read-only home, another program writing
it, a damaged file) costs time, never a listing or a history, and it may be removed at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import platformdirs

from .. import __version__
from . import schema
from .database import DatabaseError, code_meanings, missing_fts5, open_database, read_only_uri
from .history import earlier_codes
from .locations import APP_NAME

FORMAT = "1"  # of the index's tables
SETTLED_SECONDS = 3.0  # a file read sooner after its last change is read again the next time
WAIT_SECONDS = 0.2  # for another program writing the index, before going without it
# The modules whose code decides what a listing checks and reads, and what the index keeps.
READERS = ("database.py", "schema.py", "history.py", "fields.py", "release_store.py", "release_index.py")
MEANINGS_KEPT = 16  # sets of meanings kept decoded (one per record layout and notes, shared by releases)

DDL = """
CREATE TABLE IF NOT EXISTS databases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: rows of an entry replaced are pruned later
    path TEXT NOT NULL UNIQUE,  -- absolute
    version TEXT NOT NULL,      -- `code_version` of the code that read it
    identity TEXT NOT NULL,     -- device:inode:size:mtime_ns:ctime_ns when read
    settled INTEGER NOT NULL,   -- read more than SETTLED_SECONDS after the file last changed
    listing TEXT NOT NULL,      -- JSON: what `listings` read from it
    columns TEXT,               -- JSON: the columns of its code rows; NULL until its codes are read
    meanings BLOB               -- the digest of the meanings of its coded values (table `meanings`)
);
CREATE TABLE IF NOT EXISTS code_rows (  -- a code's row: a JSON array of its values, in `columns` order
    id INTEGER PRIMARY KEY, data TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS meanings (digest BLOB PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS members (  -- code `code` of release number `release` of a database's listing
    code TEXT NOT NULL, database INTEGER NOT NULL, release INTEGER NOT NULL, row INTEGER NOT NULL,
    PRIMARY KEY (code, database, release)
) WITHOUT ROWID;
"""


def location() -> Path:
    """The index: `releases.sqlite` in the user's cache folder (`hcpcs-desktop/`)."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "releases.sqlite"


@lru_cache(maxsize=1)
def code_version() -> str:
    """The version of the code whose checks and reads the entries record: the source of the modules
    that decide them, or (the standalone executable carries no source) the app's version."""
    digest = hashlib.sha256(f"{FORMAT} {__version__} {schema.VERSION}".encode())
    for name in READERS:
        try:
            digest.update((Path(__file__).parent / name).read_bytes())
        except OSError:
            continue
    return digest.hexdigest()[:32]


def identity(path: Path) -> str | None:
    """The file's device, inode, size, modification and change times; None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _settled(ident: str, read_at: float) -> bool:
    """Whether a file of identity `ident`, read at `read_at`, had not changed for SETTLED_SECONDS."""
    *_, mtime_ns, ctime_ns = ident.split(":")
    return read_at - max(int(mtime_ns), int(ctime_ns)) / 1e9 > SETTLED_SECONDS


@dataclass(frozen=True)
class _Entry:
    id: int
    identity: str
    settled: bool
    listing: str
    columns: str | None
    meanings: bytes | None


@dataclass(frozen=True)
class IndexedRelease:
    """A release as the index holds it: its name and date, the code's row in it (None: it lacks
    the code), and {(code table, value): meaning} of its database."""

    info: dict
    row: dict | None
    meanings: dict


class ReleaseIndex:
    """The index at `path` (default: `location()`); each thread that uses it keeps a connection of
    its own."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else None
        self._local = threading.local()

    @contextmanager
    def _connected(self):
        """This thread's connection to the index (the index made when missing), or None when it
        cannot be had; a connection that meets an error is closed (the next use connects anew)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            if conn is None:
                yield None
                return
            self._local.conn = conn
        try:
            yield conn
        except sqlite3.Error:
            self._local.conn = None
            conn.close()
            raise

    def _connect(self, again: bool = True) -> sqlite3.Connection | None:
        """A connection to the index, made when missing; a file that is no index (damaged) is removed
        and made anew."""
        path = self.path or location()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path.resolve().as_uri(), uri=True, timeout=WAIT_SECONDS, isolation_level=None,
                                   check_same_thread=False)
        except (OSError, sqlite3.Error):
            return None
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] != 1:
                conn.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
                conn.executescript(DDL)
                conn.execute("PRAGMA user_version = 1")
        except sqlite3.OperationalError:  # busy, locked, read-only: used another time
            conn.close()
            return None
        except sqlite3.DatabaseError:
            conn.close()
            if not again:
                return None
            try:
                for damaged in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    damaged.unlink(missing_ok=True)
            except OSError:
                return None
            return self._connect(again=False)
        return conn

    def _entries(self, conn: sqlite3.Connection) -> dict[str, _Entry]:
        """{absolute path: entry} of this version of the code."""
        rows = conn.execute("SELECT path, id, identity, settled, listing, columns, meanings FROM databases "
                            "WHERE version = ?", (code_version(),))
        return {path: _Entry(*rest) for path, *rest in rows}

    # ----- listing

    def listings(self, paths: Iterable[Path], read: Callable[[Path], list]) -> list[tuple[Path, list | None]]:
        """(path, what `read(path)` gives) for each database of `paths`; None for one that `read` finds
        no good database (it raises DatabaseError). Taken from the index for a file as it was when
        read; else read now, and kept when the file did not change while it was read."""
        paths = list(paths)
        try:
            with self._connected() as conn:
                known = self._entries(conn) if conn is not None else {}
        except sqlite3.Error:
            known = {}
        listed, fresh = [], {}
        for path in paths:
            key, now = os.path.abspath(path), identity(path)
            entry = known.get(key)
            if entry and now == entry.identity and entry.settled and not missing_fts5():
                kept = _decoded_or_none(entry.listing)
                if _is_listing(kept):
                    listed.append((path, kept))
                    continue
            try:
                facts = read(path)
            except DatabaseError:
                listed.append((path, None))
                continue
            listed.append((path, facts))
            if now is not None and identity(path) == now and not _write_ahead_logged(path):
                fresh[key] = (key, now, facts, entry)
        if fresh:
            self._record(list(fresh.values()))
        return listed

    def _record(self, fresh: list) -> None:
        """Keep what was read from these databases (a new identity forgets the codes kept of the old)."""
        read_at = time.time()
        try:
            with self._connected() as conn:
                if conn is None:
                    return
                with _writing(conn):
                    for key, ident, facts, entry in fresh:
                        settled = _settled(ident, read_at)
                        if entry is not None and entry.identity == ident:
                            conn.execute("UPDATE databases SET settled = ?, listing = ? WHERE id = ?",
                                         (settled, json.dumps(facts), entry.id))
                            continue
                        conn.execute("DELETE FROM databases WHERE path = ?", (key,))  # its codes: pruned later
                        conn.execute("INSERT INTO databases (path, version, identity, settled, listing) "
                                     "VALUES (?, ?, ?, ?, ?)", (key, code_version(), ident, settled, json.dumps(facts)))
        except sqlite3.Error:
            return

    # ----- codes

    def index_codes(self, paths: Iterable[Path]) -> int:
        """Read into the index every code's row of each database of `paths` that it lists, as the file
        is now and settled, without its codes; how many were read. Never raises: a database that
        cannot be read whole is left to be read when asked for, as without the index."""
        done = 0
        for path in paths:
            try:
                done += self._index_codes_of(Path(path))
            except (DatabaseError, sqlite3.Error, OSError, ValueError, TypeError, KeyError):
                continue
        self._prune()
        return done

    def _prune(self) -> None:
        """Forget the databases removed since they were read, entries of other versions of the code,
        and the codes and meanings no entry holds any more."""
        try:
            with self._connected() as conn:
                if conn is None:
                    return
                gone = [(id_,) for id_, path, version in conn.execute("SELECT id, path, version FROM databases")
                        if version != code_version() or not os.path.exists(path)]
                with _writing(conn):
                    conn.executemany("DELETE FROM databases WHERE id = ?", gone)
                    held = conn.execute("SELECT count(*) FROM members WHERE database NOT IN "
                                        "(SELECT id FROM databases)").fetchone()[0]
                    if not held:
                        return
                    conn.execute("DELETE FROM members WHERE database NOT IN (SELECT id FROM databases)")
                    conn.execute("DELETE FROM code_rows WHERE id NOT IN (SELECT row FROM members)")
                    conn.execute("DELETE FROM meanings WHERE digest NOT IN (SELECT meanings FROM databases "
                                 "WHERE meanings IS NOT NULL)")
        except sqlite3.Error:
            return

    def _index_codes_of(self, path: Path) -> int:
        with self._connected() as conn:
            entry = self._entries(conn).get(os.path.abspath(path)) if conn is not None else None
            before = identity(path)
            if entry is None or entry.columns is not None or not entry.settled or before != entry.identity:
                return 0
            db = open_database(path)  # checked in full, as a listing checks it
            try:
                columns = [name for (name,) in db.execute("SELECT name FROM pragma_table_info('codes')")]
                # Of each release carried, only the codes it differs in are read here: the others are
                # the open release's rows, copied by SQLite (thousands of rows read into Python, for
                # nothing, would be tens of MiB the window's process keeps).
                carried = []
                for _, release_date, *_ in json.loads(entry.listing)[1:]:
                    changed = [code for (code,) in db.execute(
                        "SELECT DISTINCT code FROM history_values WHERE release_date = ?", (release_date,))]
                    carried.append((changed, [tuple(row[c] for c in columns)
                                              for row in earlier_codes(db, release_date, changed).values()]))
                meanings = json.dumps([[table, value, text] for (table, value), text in code_meanings(db).items()],
                                      ensure_ascii=False)
            finally:
                db.close()
            conn.execute("ATTACH DATABASE ? AS release", (read_only_uri(path),))
            try:
                try:
                    self._read_codes(conn, columns, carried)  # into a table of this connection: nobody waits
                finally:
                    conn.execute("DETACH DATABASE release")
                with _writing(conn):
                    self._write_codes(conn, entry, before, columns, meanings, [changed for changed, _ in carried])
            finally:
                conn.execute("DROP TABLE IF EXISTS temp.incoming")
        return 1

    @staticmethod
    def _read_codes(conn: sqlite3.Connection, columns: list[str], carried: list) -> None:
        """Every code's row of the database attached as `release` (read by SQLite, the GIL let go) and
        of the releases it carries, into `temp.incoming` (code, release number, row); raises ValueError
        when they cannot be kept."""
        if conn.execute("SELECT 1 FROM release.sqlite_master WHERE type IN ('view', 'trigger')").fetchone():
            raise ValueError("not the database checked")  # replaced since: it is read again when listed
        quoted = ['"' + name.replace('"', '""') + '"' for name in columns]
        conn.execute("CREATE TEMP TABLE incoming (code TEXT, release INTEGER, data TEXT, inexact INTEGER)")
        conn.execute(f"INSERT INTO temp.incoming SELECT code, 0, json_array({', '.join(quoted)}), "
                     f"{' OR '.join(f'typeof({q}) = {chr(39)}real{chr(39)}' for q in quoted)} FROM release.codes")
        if conn.execute("SELECT 1 FROM temp.incoming WHERE inexact LIMIT 1").fetchone():
            raise ValueError("a code's row holds a number JSON would round")  # read from the file, as without the index
        code = columns.index("code")
        conn.executemany("INSERT INTO temp.incoming VALUES (?, ?, ?, 0)",
                         ((row[code], number, _joined(row)) for number, (_, rows) in enumerate(carried, 1)
                          for row in rows))

    @staticmethod
    def _write_codes(conn: sqlite3.Connection, entry: _Entry, before: str, columns: list[str], meanings: str,
                     changed: list[list[str]]) -> None:
        """The rows read into `temp.incoming` kept under `entry`, unless it was read again since; of each
        release it carries, the codes not `changed` in it are kept as the open release's rows."""
        if conn.execute("SELECT identity, columns FROM databases WHERE id = ? AND version = ?",
                        (entry.id, code_version())).fetchone() != (before, None):
            raise ValueError("read again since")
        conn.execute("INSERT OR IGNORE INTO code_rows (data) SELECT data FROM temp.incoming")
        conn.execute("INSERT OR IGNORE INTO members SELECT i.code, ?, i.release, r.id FROM temp.incoming i "
                     "JOIN code_rows r ON r.data = i.data", (entry.id,))
        for number, codes in enumerate(changed, 1):
            conn.execute("INSERT OR IGNORE INTO members SELECT code, database, ?, row FROM members "
                         "WHERE database = ? AND release = 0 AND code NOT IN (SELECT value FROM json_each(?))",
                         (number, entry.id, json.dumps(codes)))
        digest = hashlib.blake2b(meanings.encode(), digest_size=16).digest()
        conn.execute("INSERT OR IGNORE INTO meanings VALUES (?, ?)", (digest, meanings))
        conn.execute("UPDATE databases SET columns = ?, meanings = ? WHERE id = ?", (json.dumps(columns), digest, entry.id))

    def code_rows(self, code: str, sources: list) -> dict[int, IndexedRelease]:
        """{position in `sources`: the release as the index holds it} for each source (a database's
        path, or a StoredRelease: a database's own release or one it carries) whose database the
        index holds, with its codes, as the file is now; the others are to be read from their file."""
        try:
            with self._connected() as conn:
                return self._code_rows(conn, code, sources) if conn is not None else {}
        except (sqlite3.Error, ValueError, TypeError, KeyError, IndexError):
            return {}

    def _code_rows(self, conn: sqlite3.Connection, code: str, sources: list) -> dict[int, IndexedRelease]:
        entries = self._entries(conn)
        wanted: dict[tuple[int, int], int] = {}
        found: dict[int, tuple[dict, _Entry]] = {}
        for position, source in enumerate(sources):
            path, carried = (source.path, source.release_date if source.carried else "") \
                if hasattr(source, "carried") else (Path(source), "")
            entry = entries.get(os.path.abspath(path))
            if entry is None or entry.columns is None or not entry.settled or identity(path) != entry.identity:
                continue
            listing = _decoded(entry.listing)
            number = next((n for n, (_, date, *_, is_carried) in enumerate(listing)
                           if (is_carried and date == carried) or (not is_carried and not carried)), None)
            if number is None:
                continue
            name, release_date = listing[number][:2]
            wanted[(entry.id, number)] = position
            found[position] = ({"name": name, "release_date": release_date}, entry)
        rows: dict[int, dict] = {}
        for database, number, data in conn.execute(
                "SELECT m.database, m.release, r.data FROM members m JOIN code_rows r ON r.id = m.row "
                "WHERE m.code = ?", (code,)):
            if (database, number) in wanted:
                rows[wanted[(database, number)]] = data
        held = {}
        for position, (info, entry) in found.items():
            row = dict(zip(_decoded(entry.columns), json.loads(rows[position]))) if position in rows else None
            held[position] = IndexedRelease(info, row, _meanings(conn, entry.meanings))
        return held


def _is_listing(value) -> bool:
    """Whether `value` is what a listing reads: [name, release date, file name, data sha256, carried]
    of each release (what an index damaged into other JSON is not)."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, list) and len(item) == 5 and all(isinstance(text, str) for text in item[:4])
        and isinstance(item[4], bool) for item in value)


def _joined(row: tuple) -> str:
    """A code's row as the index keeps it: a JSON array of its values, as SQLite's json_array writes it."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1024)
def _decoded(text: str):
    """The JSON `text` decoded (a listing or the columns of an entry: read again at every history)."""
    return json.loads(text)


def _decoded_or_none(text):
    try:
        return _decoded(text)
    except (ValueError, TypeError):
        return None


@contextmanager
def _writing(conn: sqlite3.Connection):
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


_decoded_meanings: dict[bytes, dict] = {}


def _meanings(conn: sqlite3.Connection, digest: bytes) -> dict:
    """{(code table, value): meaning} kept under `digest` (decoded once per process)."""
    if digest not in _decoded_meanings:
        (data,) = conn.execute("SELECT data FROM meanings WHERE digest = ?", (digest,)).fetchone()
        if len(_decoded_meanings) >= MEANINGS_KEPT:
            _decoded_meanings.pop(next(iter(_decoded_meanings)))
        _decoded_meanings[digest] = {(table, value): text for table, value, text in json.loads(data)}
    return _decoded_meanings[digest]


def _write_ahead_logged(path: Path) -> bool:
    """Whether the database is in write-ahead-log mode (or cannot be read to tell)."""
    try:
        with open(path, "rb") as file:
            header = file.read(20)
    except OSError:
        return True
    return len(header) < 20 or header[18] == 2
