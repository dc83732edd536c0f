"""Build the HCPCS SQLite database from a CMS release, atomically.

The database is written to a temporary file beside the target and renamed into
place only when complete, so a failed build leaves any previous database untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import bridges as vocabulary_bridges
from . import payment_tables
from . import schema
from .bridges import BridgeSources, Bridges
from .drug_codes import drug_code_rows
from .errors import ReleaseError
from .fields import FIELDS, FIRST_LINE_IDS
from .layout import Layout, parse_layout
from .notes import parse_notes
from .records import parse_release
from .release_files import ReleaseFiles, SourceFile, find_release_files, read_text_file, release_identity



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
    unread_doses: list = field(default_factory=list)  # doses.Unread: drug codes with no dose read, and why
    payment: dict = field(default_factory=dict)  # Medicare payment files written (payment_tables.write_into)

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
) -> BuildReport:
    """Import the release at `release` into a new database at `db_path`.

    `layout` and `notes` name the record layout and processing notes texts when the
    release itself does not carry them. `bridges` says where the vocabulary bridges
    come from (see `bridges.py`). `payment` names a folder of CMS payment files (or one file)
    whose facts go into the database (see `payment_files.py`). `progress(fraction, message)` is called along the way.
    """
    started = time.perf_counter()
    report_progress = progress or (lambda fraction, message: None)
    report_progress(0.0, "Reading release files")
    files = find_release_files(release)
    pdfs = vocabulary_bridges.start_reading_pdfs(bridges)
    try:
        layout_file = read_text_file(layout) if layout else files.layout
        notes_file = read_text_file(notes) if notes else files.notes
        parsed_layout = parse_layout(_text(layout_file), layout_file.name) if layout_file else None
        parsed_notes = parse_notes(_text(notes_file), notes_file.name) if notes_file else {}
        report_progress(0.2, "Parsing records")
        records = parse_release(files)
        name, date = release_identity(files.data.name)  # never the zip's name: it may be renamed
        for record in records:
            record["kind"] = FIRST_LINE_IDS[record["record_id"]]
            record["status"] = "terminated" if record["termination_date"] else "active"
            record["section"] = "modifier" if record["kind"] == "modifier" else record["code"][0]
        # Stored active first, each part in code order, so that rowid order is display order.
        records.sort(key=lambda r: (r["status"] == "terminated", r["code"]))
        report_progress(0.25, "Reading payment files")  # while the PDFs are read in their own process
        payment_files = payment_tables.read_folder(payment) if payment else []
        report_progress(0.3, "Linking coder vocabulary")
        gathered = vocabulary_bridges.gather(records, bridges, pdfs)
        terms = vocabulary_bridges.code_terms(gathered, records)
        drugs, unread_doses = drug_code_rows(records, gathered)

        db_path = Path(db_path)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".partial", dir=db_path.parent)
        os.close(fd)
        temp = Path(temp_name)
        temp.chmod(0o644)  # mkstemp makes it private; the database is meant to be shared
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
            unread_doses=unread_doses,
        )
        try:
            report_progress(0.4, "Writing database")
            _write(temp, records, parsed_layout, parsed_notes, gathered, terms, drugs)
            if payment_files:
                report_progress(0.9, "Writing payment facts")
                report.payment = payment_tables.write_into(temp, payment_files)
            report.seconds = time.perf_counter() - started
            _write_release(temp, report, files, layout_file, notes_file, parsed_layout)
            os.replace(temp, db_path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        report_progress(1.0, "Done")
        return report
    finally:
        if pdfs:
            pdfs.stop()  # a release that failed: its PDFs are no longer wanted


def _text(source: SourceFile) -> str:
    try:
        return source.data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReleaseError(source.name, f"byte 0x{source.data[exc.start]:02X} is not valid text") from None


def _write(path: Path, records: list[dict], layout: Layout | None, notes: dict[str, str],
           bridges: Bridges, terms: list[dict], drugs: list[dict]) -> None:
    """Write the codes, their lookup tables, the vocabulary bridges and the search index."""
    db = sqlite_utils.Database(sqlite3.connect(path))
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
        db["drug_codes"].insert_all(drugs)
        db.conn.execute(schema.FILL_SEARCH_INDEX)
        db.conn.executescript(schema.FILL_VOCABULARY)
    db.conn.execute("VACUUM")
    db.conn.close()


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


def _write_release(path, report: BuildReport, files: ReleaseFiles, layout_file, notes_file, layout):
    db = sqlite_utils.Database(sqlite3.connect(path))
    roles = [("release", files.container), ("data", files.data), ("layout", layout_file), ("notes", notes_file)]
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
        db["source_files"].insert_all(
            {"role": role, "name": f.name, "sha256": f.sha256, "bytes": len(f.data)}
            for role, f in roles
            if f is not None
        )
        db.conn.execute(f"PRAGMA user_version = {schema.VERSION}")
    db.conn.close()
