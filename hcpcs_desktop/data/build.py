"""Build the HCPCS SQLite database from a CMS release, atomically.

The database is written to a temporary file beside the target and renamed into
place only when complete, so a failed build leaves any previous database untouched.
A build holds a lock beside the target (`.NAME.lock`): the temporary files of a build
that was killed are removed by the next build of the same target, never those of a
build still running.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
from filelock import Timeout

from . import bridges as vocabulary_bridges
from . import corrections, history, noc_codes, payment_tables, schema
from .bridges import BridgeSources, Bridges
from .database import connect_read_only
from .drug_codes import drug_code_rows
from .errors import ReleaseError
from .fields import FIELDS
from .layout import Layout, parse_layout
from .notes import parse_notes
from .records import kept_release_data, parse_release
from .release_files import ReleaseFiles, SourceFile, find_release_files, read_text_file, release_identity
from .safe_files import lock_beside, partial_beside, real_path
from .text import STOP_WORDS, said_key
from .text import words as text_words

LOCK_TIMEOUT_SECONDS = 60.0  # how long a build waits for another build of the same target
SAID_WORDS = 12  # the most words of a query that are searched


@dataclass
class BuildReport:
    """What a build produced, for the command line and the import dialog."""

    db_path: Path
    release_name: str
    release_date: str
    procedures: int
    modifiers: int
    terminated: int
    seconds: float
    undecoded: dict[str, list[str]] = field(default_factory=dict)  # field key -> values
    bridges: dict[str, int] = field(default_factory=dict)  # bridge table -> rows, and code_terms
    warnings: list[str] = field(default_factory=list)  # sources left out, and why
    drug_codes: int = 0  # codes billed by dose (J, and A, C, Q, S codes stating an amount of drug)
    noc_codes: int = 0  # not-otherwise-classified codes
    noc_source: str = ""  # CMS's NOC codes workbook, or noc_codes.DESCRIPTIONS
    corrections: int = 0  # codes' corrections CMS published with the release (and the earlier ones carried)
    earlier: dict = field(default_factory=dict)  # earlier release carried -> rows of differences kept
    unread_doses: list = field(default_factory=list)  # doses.Unread: drug codes with no dose read, and why
    payment: dict = field(default_factory=dict)  # Medicare payment files written (payment_tables.write_into)
    data_sha256: str = ""  # of the release data file: the same file imported twice has the same
    layout_from: str | None = None  # release of the database the layout was taken from, if not a file
    notes_from: str | None = None  # release of the database the processing notes were taken from

    @property
    def undecoded_count(self) -> int:
        return sum(len(values) for values in self.undecoded.values())


def build_database(
    release: Path,
    db_path: Path,
    layout: Path | None = None,
    notes: Path | None = None,
    progress=None,
    bridges: BridgeSources = BridgeSources(),
    payment: Path | None = None,
    documents_from: Sequence[Path] = (),
    earlier: Sequence[Path] = (),
) -> BuildReport:
    """Import the release at `release` into a new database at `db_path`.

    `layout` and `notes` name the record layout and processing notes texts when the
    release itself does not carry them; failing both, they are taken from the first of
    the databases `documents_from` that has them (the report says from which release).
    `bridges` says where the vocabulary bridges come from (see `bridges.py`). `payment` names a
    folder of CMS payment files (or one file) whose facts go into the database (see
    `payment_files.py`). `earlier` names releases older than this one to carry inside the
    database as differences from it (see `history.py`).
    `progress(fraction, message)` is called along the way.

    The target folder is checked to be writable before anything is read. Any problem
    (a bad release, an unreadable file, a full disk, another build of the same target
    running) raises `ReleaseError` and leaves the target as it was.
    """
    db_path = Path(db_path)
    with _scratch_beside(db_path) as temp:
        return _build_into(temp, release, db_path, layout, notes, progress, bridges, documents_from, payment,
                           earlier)


def _build_into(temp: Path, release, db_path: Path, layout, notes, progress, bridges, documents_from,
                payment, earlier) -> BuildReport:
    """`build_database`, writing `temp` and renaming it to `db_path` when complete."""
    started = time.perf_counter()
    report_progress = progress or (lambda fraction, message: None)
    report_progress(0.0, "Reading release files")
    with _reading(release):
        files = find_release_files(release)
        layout_file = read_text_file(layout) if layout else files.layout
        notes_file = read_text_file(notes) if notes else files.notes
    pdfs = vocabulary_bridges.start_reading_pdfs(bridges)
    try:
        parsed_layout = parse_layout(_text(layout_file), layout_file.name) if layout_file else None
        parsed_notes = parse_notes(_text(notes_file), notes_file.name) if notes_file else {}
        reused = _reused_documents(documents_from, parsed_layout is None, notes_file is None)
        parsed_layout = parsed_layout or (reused["layout"].value if "layout" in reused else None)
        parsed_notes = parsed_notes or (reused["notes"].value if "notes" in reused else {})
        report_progress(0.2, "Parsing records")
        records = parse_release(files)
        name, date = release_identity(files.data.name)  # never the zip's name: it may be renamed
        for record in records:
            history.derive(record)
        # Stored active first, each part in code order, so that rowid order is display order.
        records.sort(key=lambda r: (r["status"] == "terminated", r["code"]))
        report_progress(0.25, "Reading payment files")  # while the PDFs are read in their own process
        payment_files = payment_tables.read_folder(payment) if payment else []
        report_progress(0.3, "Linking coder vocabulary")
        gathered = vocabulary_bridges.gather(records, bridges, pdfs)
        terms = vocabulary_bridges.code_terms(gathered, records)
        drugs, unread_doses = drug_code_rows(records, gathered)
        unclassified = noc_codes.read_workbook(files.noc) if files.noc else noc_codes.from_descriptions(records)
        corrected = [row for book in files.corrections for row in corrections.read_workbook(book, date)]
        report_progress(0.35, "Reading earlier releases")
        earlier_rows, differences = _earlier(earlier, records, date, corrected)

        report = BuildReport(
            db_path=db_path,
            release_name=name,
            release_date=date,
            procedures=sum(r["kind"] == "procedure" for r in records),
            modifiers=sum(r["kind"] == "modifier" for r in records),
            terminated=sum(r["status"] == "terminated" for r in records),
            seconds=0.0,
            undecoded=_undecoded(records, parsed_layout.tables if parsed_layout else {}, parsed_notes),
            bridges={**gathered.counts(), "code_terms": len(terms)},
            warnings=gathered.problems,
            drug_codes=len(drugs),
            noc_codes=len(unclassified),
            noc_source=files.noc.name if files.noc else noc_codes.DESCRIPTIONS,
            corrections=len(corrected),
            earlier={row["name"]: sum(d["release_date"] == row["release_date"] for d in differences)
                     for row in earlier_rows},
            unread_doses=unread_doses,
            data_sha256=files.data.sha256,
            layout_from=reused["layout"].release_name if "layout" in reused else None,
            notes_from=reused["notes"].release_name if "notes" in reused else None,
        )
        with _writing(db_path):
            report_progress(0.4, "Writing database")
            _write(temp, records, parsed_layout, parsed_notes, gathered, terms, drugs, unclassified, corrected)
            _write_earlier(temp, earlier_rows, differences)
            if payment_files:
                report_progress(0.9, "Writing payment facts")
                report.payment = payment_tables.write_into(temp, payment_files)
            report.seconds = time.perf_counter() - started
            sources = [*_source_rows(files, layout_file, notes_file), *(r.source for r in reused.values() if r.source)]
            _write_release(temp, report, sources, parsed_layout)
            os.replace(temp, real_path(db_path))  # a link to the database stays a link
        report_progress(1.0, "Done")
        return report
    finally:
        if pdfs:
            pdfs.stop()  # a release that failed: its PDFs are no longer wanted


def _earlier(paths: Sequence[Path], records: list[dict], date: str, corrected: list[dict]):
    """The `history_releases` and `history_values` rows of the earlier releases at `paths`; their
    corrections are added to `corrected`. Each is read from its data file (a zip's workbook is not
    read again to check it: the release was checked when it was the newest)."""
    releases, differences = [], []
    for path in paths:
        with _reading(path):
            files = find_release_files(path)
        name, earlier_date = release_identity(files.data.name)
        if earlier_date >= date:
            raise ReleaseError(files.data.name, f"{name} is not earlier than the release built; "
                                                "only earlier releases are carried as history")
        if any(r["release_date"] == earlier_date for r in releases):
            continue  # two copies of one release: the first named wins
        old = kept_release_data(files.data)
        releases.append(history.release_row(name, earlier_date, old, (files.container or files.data).name,
                                            files.data.sha256))
        differences += history.differences(records, old, earlier_date)
        corrected += [row for book in files.corrections for row in corrections.read_workbook(book, earlier_date)]
    return releases, differences


def _write_earlier(path: Path, releases: list[dict], differences: list[dict]) -> None:
    if not releases:
        return
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.executemany("INSERT INTO history_releases VALUES (:release_date, :name, :procedures, :modifiers, "
                             ":terminated, :file_name, :data_sha256)", releases)
            conn.executemany("INSERT INTO history_values VALUES (:code, :release_date, :field, :value)", differences)
    finally:
        conn.close()


@contextlib.contextmanager
def _scratch_beside(db_path: Path):
    """A new, empty `.partial` file beside `db_path`, under the target's lock; removed on failure.

    Creating it is the check that the folder is writable. Partial files of earlier builds
    of this target are left by builds that were killed (no build holds the lock), so
    they are removed.
    """
    folder = db_path.parent
    if db_path.is_dir():
        raise ReleaseError(str(db_path), "is a folder, not a database file; nothing was changed")
    try:
        held = lock_beside(db_path, LOCK_TIMEOUT_SECONDS)
    except Timeout:
        raise ReleaseError(str(db_path), "another build of this database is still running; try again when it "
                           "has finished; nothing was changed") from None
    except OSError as exc:
        raise ReleaseError(str(folder), f"cannot write in this folder ({_reason(exc)}); nothing was changed") from None
    with held:
        try:
            temp = partial_beside(real_path(db_path))
            temp.chmod(0o644)  # mkstemp makes it private; the database is meant to be shared
        except OSError as exc:
            raise ReleaseError(str(folder), f"cannot write in this folder ({_reason(exc)}); "
                               "nothing was changed") from None
        try:
            yield temp
        except BaseException:
            temp.unlink(missing_ok=True)
            raise


@contextlib.contextmanager
def _reading(release: Path):
    """An input that cannot be read (permissions, a device error) as one `ReleaseError` naming it."""
    try:
        yield
    except OSError as exc:
        raise ReleaseError(str(exc.filename or release), f"cannot be read ({_reason(exc)})") from None


@contextlib.contextmanager
def _writing(db_path: Path):
    """A failed write (full disk, device error) as one `ReleaseError` naming the target."""
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        raise ReleaseError(str(db_path), f"cannot write the database ({_reason(exc)}); "
                           "the previous database is unchanged") from None


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


@dataclass(frozen=True)
class _Reused:
    """A record layout (a `Layout`) or processing notes (a dict) read from an earlier database."""

    release_name: str
    value: object
    source: dict | None  # its `source_files` row in that database


def _reused_documents(databases: Sequence[Path], want_layout: bool, want_notes: bool) -> dict[str, _Reused]:
    """"layout" and "notes", each from the first of `databases` that has it, as wanted.

    A database that cannot be read (missing, damaged, of another schema) is passed over.
    """
    found: dict[str, _Reused] = {}
    wanted = {kind for kind, want in (("layout", want_layout), ("notes", want_notes)) if want}
    for path in databases:
        missing = wanted - set(found)
        if not missing:
            break
        try:
            found.update(_documents_in(Path(path), missing))
        except sqlite3.Error:
            continue
    return found


def _documents_in(path: Path, kinds: set[str]) -> dict[str, _Reused]:
    if not path.is_file():
        return {}
    conn = connect_read_only(path)
    try:
        release = conn.execute("SELECT name, layout_title, layout_as_of FROM release").fetchone()
        if release is None:
            return {}
        sources = {role: {"role": role, "name": n, "sha256": sha, "bytes": size} for role, n, sha, size in
                   conn.execute("SELECT role, name, sha256, bytes FROM source_files WHERE role IN ('layout', 'notes')")}
        found = {}
        if "layout" in kinds:
            tables: dict[str, dict[str, str]] = {}
            for table, value, text in conn.execute("SELECT code_table, value, description FROM code_values"):
                tables.setdefault(table, {})[value] = text
            help_texts = dict(conn.execute("SELECT layout_number, help FROM fields "
                                           "WHERE layout_number IS NOT NULL AND help != ''"))
            if tables:
                layout = Layout(release[1] or "", release[2], help_texts, tables)
                found["layout"] = _Reused(release[0], layout, sources.get("layout"))
        if "notes" in kinds:
            notes = dict(conn.execute("SELECT number, text FROM processing_notes"))
            if notes:
                found["notes"] = _Reused(release[0], notes, sources.get("notes"))
        return found
    finally:
        conn.close()


def _source_rows(files: ReleaseFiles, layout_file, notes_file) -> list[dict]:
    roles = [("release", files.container), ("data", files.data), ("layout", layout_file), ("notes", notes_file),
             ("noc", files.noc), *(("corrections", book) for book in files.corrections)]
    return [{"role": role, "name": f.name, "sha256": f.sha256, "bytes": len(f.data)} for role, f in roles if f]


def _text(source: SourceFile) -> str:
    try:
        return source.data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReleaseError(source.name, f"byte 0x{source.data[exc.start]:02X} is not valid text") from None


def _write(path: Path, records: list[dict], layout: Layout | None, notes: dict[str, str],
           bridges: Bridges, terms: list[dict], drugs: list[dict], unclassified: list[dict],
           corrected: list[dict]) -> None:
    """Write the codes, their lookup tables, the vocabulary bridges, the NOC codes, CMS's corrections
    and the search index."""
    db = sqlite_utils.Database(sqlite3.connect(path))
    try:
        db.conn.execute("PRAGMA journal_mode = OFF")
        db.conn.execute("PRAGMA synchronous = OFF")
        tables = layout.tables if layout else {}
        help_texts = layout.help if layout else {}
        with db.conn:
            db.conn.executescript(schema.DDL)
            db["fields"].insert_all(
                {
                    "key": f.key,
                    "position": i,
                    "label": f.label,
                    "group_name": f.group,
                    "kind": f.kind,
                    "code_table": f.table,
                    "start_column": f.start,
                    "end_column": f.end,
                    "workbook_column": f.xlsx,
                    "layout_number": f.layout_number,
                    "help": help_texts.get(f.layout_number, ""),
                }
                for i, f in enumerate(FIELDS)
            )
            db["code_values"].insert_all(
                {"code_table": table, "value": value, "description": text}
                for table, values in tables.items()
                for value, text in values.items()
            )
            db["processing_notes"].insert_all({"number": n, "text": t} for n, t in notes.items())
            columns = list(records[0])
            db.conn.executemany(
                f"INSERT INTO codes ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                ([r[c] for c in columns] for r in records),
            )
            for table in vocabulary_bridges.TABLES:
                db[table].insert_all(getattr(bridges, table))
            db["code_terms"].insert_all(terms)
            db.conn.executemany("INSERT INTO said_descriptions VALUES (?, ?)", _said_descriptions(records))
            db["drug_codes"].insert_all(drugs)
            db["noc_codes"].insert_all(unclassified)
            db["corrections"].insert_all(corrected)
            db.conn.execute(schema.FILL_SEARCH_INDEX)
            db.conn.executescript(schema.FILL_VOCABULARY)
        db.conn.execute("VACUUM")
    finally:
        db.conn.close()  # also after a failure: the partial file is removed next


def _said_descriptions(records: list[dict]) -> set[tuple[int, str]]:
    """(said_key, code) of each short description, and of each long one a query of twelve words may
    say in full (a few words, as "Unclassified drugs" or "Blood glucose monitor with integrated voice
    synthesizer"), when it has two words or more."""
    found = set()
    for record in records:
        for text in (record["short_description"], record["long_description"]):
            if len([w for w in text_words(text) if w not in STOP_WORDS]) in range(2, SAID_WORDS + 1):
                found.add((said_key(text), record["code"]))
    return found


def _undecoded(records, tables, notes) -> dict[str, list[str]]:
    missing: dict[str, set[str]] = {}
    for f in FIELDS:
        if not f.table or f.table == "record_id":
            continue
        known = notes if f.table == "processing_note" else tables.get(f.table, {})
        for record in records:
            value = record[f.key]
            if value and value not in known:
                missing.setdefault(f.key, set()).add(value)
    return {key: sorted(values) for key, values in missing.items()}


def _write_release(path, report: BuildReport, sources: list[dict], layout):
    db = sqlite_utils.Database(sqlite3.connect(path))
    try:
        with db.conn:
            db["release"].insert(
                {
                    "name": report.release_name,
                    "release_date": report.release_date,
                    "procedures": report.procedures,
                    "modifiers": report.modifiers,
                    "terminated": report.terminated,
                    "undecoded": report.undecoded_count,
                    "layout_title": layout.title if layout else None,
                    "layout_as_of": layout.as_of if layout else None,
                    "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "build_seconds": round(report.seconds, 3),
                    "schema_version": schema.VERSION,
                }
            )
            db["source_files"].insert_all(sources)
            db.conn.execute(f"PRAGMA user_version = {schema.VERSION}")
    finally:
        db.conn.close()  # also after a failure: the partial file is removed next
