"""What changed between two releases, and the history of one code across several.

`compare(old, new)` lists every change code by code: added, terminated and reinstated
codes, reworded descriptions (with a word diff), and the changed values of every other
field of the record layout (coverage, pricing, BETOS, type of service, processing note,
ASC and OPPS groups, cross references …), with their meanings in each release. Only the
action code and its date are left out: they say what the newer release's update did.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from .database import SQLITE_HEADER, DatabaseError, code_meanings, open_database, text_only
from .fields import FIELDS, FIELDS_BY_KEY
from .history import earlier_codes

if TYPE_CHECKING:
    from .release_index import IndexedRelease, ReleaseIndex
    from .release_store import StoredRelease


class ChangeKind(StrEnum):
    """What kind of change a `Change` is; the value is what JSON, CSV and `--kind` say."""

    ADDED = "added"
    TERMINATED = "terminated"
    REINSTATED = "reinstated"
    LONG_DESCRIPTION = "long_description"
    SHORT_DESCRIPTION = "short_description"
    COVERAGE = "coverage"
    PRICING = "pricing"
    BETOS = "betos"
    TYPE_OF_SERVICE = "type_of_service"
    PROCESSING_NOTE = "processing_note"
    ASC_GROUP = "asc_group"
    OPPS = "opps"
    CROSS_REFERENCE = "cross_reference"
    LAB_CERTIFICATION = "lab_certification"
    MANUAL_REFERENCE = "manual_reference"
    STATUTE = "statute"
    ANESTHESIA_BASE_UNITS = "anesthesia_base_units"
    ADDED_DATE = "added_date"


KINDS = tuple(ChangeKind)

KIND_LABELS = {
    ChangeKind.ADDED: "Added",
    ChangeKind.TERMINATED: "Terminated",
    ChangeKind.REINSTATED: "Reinstated",
    ChangeKind.LONG_DESCRIPTION: "Long description changed",
    ChangeKind.SHORT_DESCRIPTION: "Short description changed",
    ChangeKind.COVERAGE: "Coverage changed",
    ChangeKind.PRICING: "Pricing indicators changed",
    ChangeKind.BETOS: "BETOS changed",
    ChangeKind.TYPE_OF_SERVICE: "Type of service changed",
    ChangeKind.PROCESSING_NOTE: "Processing note changed",
    ChangeKind.ASC_GROUP: "ASC payment group changed",
    ChangeKind.OPPS: "OPPS payment group changed",
    ChangeKind.CROSS_REFERENCE: "Cross reference changed",
    ChangeKind.LAB_CERTIFICATION: "Lab certification changed",
    ChangeKind.MANUAL_REFERENCE: "Manual references changed",
    ChangeKind.STATUTE: "Statute changed",
    ChangeKind.ANESTHESIA_BASE_UNITS: "Anesthesia base units changed",
    ChangeKind.ADDED_DATE: "Added date changed",
}

# Fields of the layout that are not compared value by value, and why.
NOT_COMPARED = {
    "code": "the key the two releases are matched on",
    "record_id": "procedure or modifier, which the code itself tells",
    "long_description": "compared with a word diff",
    "short_description": "compared with a word diff",
    "termination_date": "reported as terminated or reinstated",
    "action_code": "says what the newer release's update did (an R is reported as reinstated)",
    "action_effective_date": "the date of that update",
    "sequence_number": "00100 on every record's first line (the build refuses any other)",
}

# The kind of change of each other field; a field repeated in numbered columns by its name
# without the number. A field added to the layout without a kind here stops the import.
FIELD_KINDS = {
    "coverage": ChangeKind.COVERAGE,
    "pricing_indicator": ChangeKind.PRICING,
    "multiple_pricing_indicator": ChangeKind.PRICING,
    "betos": ChangeKind.BETOS,
    "type_of_service": ChangeKind.TYPE_OF_SERVICE,
    "processing_note": ChangeKind.PROCESSING_NOTE,
    "asc_group": ChangeKind.ASC_GROUP,
    "asc_date": ChangeKind.ASC_GROUP,
    "opps_group": ChangeKind.OPPS,
    "opps_policy_indicator": ChangeKind.OPPS,
    "opps_date": ChangeKind.OPPS,
    "cross_reference": ChangeKind.CROSS_REFERENCE,
    "lab_certification": ChangeKind.LAB_CERTIFICATION,
    "cim_reference": ChangeKind.MANUAL_REFERENCE,
    "mcm_reference": ChangeKind.MANUAL_REFERENCE,
    "statute": ChangeKind.STATUTE,
    "anesthesia_base_units": ChangeKind.ANESTHESIA_BASE_UNITS,
    "added_date": ChangeKind.ADDED_DATE,
}


def _field_name(key: str) -> str:
    """"pricing_indicator" for "pricing_indicator_3"; other keys as they are."""
    return re.sub(r"_\d+$", "", key)


def _value_fields() -> list[tuple[ChangeKind, str, tuple[str, ...]]]:
    """(kind, field, columns) of every compared field, in the order of KINDS then of the layout."""
    columns: dict[str, list[str]] = {}
    for f in FIELDS:
        if f.key not in NOT_COMPARED:
            columns.setdefault(_field_name(f.key), []).append(f.key)
    order = {kind: i for i, kind in enumerate(KINDS)}
    fields = [(FIELD_KINDS[name], name, tuple(keys)) for name, keys in columns.items()]
    return sorted(fields, key=lambda item: order[item[0]])


# (kind, field, columns): a field repeated in numbered columns is compared as one list.
VALUE_FIELDS = _value_fields()

# "Pricing indicator", "Cross reference" …: the layout's label without a column number.
# The columns of a code's row that its history reads.
HISTORY_COLUMNS = ["added_date", "termination_date", "action_code", "long_description", "short_description",
                   *(column for _, _, columns in VALUE_FIELDS for column in columns)]
FIELD_LABELS = {_field_name(f.key): re.sub(r" \d+$", "", f.label) for f in FIELDS}

REACTIVATED = "R"  # the action code of a discontinued code brought back
DROPPED = "not in the newer release"

Diff = list[tuple[str, str]]  # ("equal" | "delete" | "insert", words)


@dataclass(frozen=True)
class Change:
    """One change of one code; `old`/`new` are "" where a value is absent.

    A repeated field (pricing indicators 1-4, types of service 1-5) is one value, its
    parts joined by ", ". `diff` is filled for descriptions only.
    """

    code: str
    kind: ChangeKind
    section: str  # first letter of a procedure code, or "modifier"
    description: str  # short description, in the newer release if the code is there
    field: str
    old: str
    new: str
    old_meaning: str = ""
    new_meaning: str = ""
    diff: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """"Added", "Reinstated" …, or "Multiple pricing indicator changed"."""
        if self.kind in (ChangeKind.ADDED, ChangeKind.TERMINATED, ChangeKind.REINSTATED):
            return KIND_LABELS[self.kind]
        return f"{FIELD_LABELS[self.field]} changed"


@dataclass(frozen=True)
class HistoryEvent:
    """One line of a code's history: "Added 2002-01-01", "Terminated 2025-12-31" …"""

    date: str  # ISO date the event is ordered by
    kind: ChangeKind
    text: str
    change: Change | None = None


def word_diff(old: str, new: str) -> Diff:
    """The two texts as whole-word pieces: [("equal", "Hit cont"), ("delete", "x"), ("insert", "y")].

    Join the pieces with one space to show either text.
    """
    a, b = old.split(), new.split()
    pieces: Diff = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace"):
            pieces.append(("equal" if op == "equal" else "delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", " ".join(b[j1:j2])))
    return pieces


def diff_text(diff) -> str:
    """A diff as plain text, wdiff style: "Hit [-cont-] {+continuous+} insulin"."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return " ".join(marks[op].format(text) for op, text in diff)


class _Release:
    """One release: its codes and the meanings of their coded values. The release a database
    holds, or one it carries (`carried`, its release date; the meanings are the database's)."""

    def __init__(self, conn: sqlite3.Connection, carried: str = ""):
        self.conn = conn
        self.carried = carried
        if carried:
            name, date = conn.execute("SELECT name, release_date FROM history_releases WHERE release_date = ?",
                                      (carried,)).fetchone()
        else:
            name, date = conn.execute("SELECT name, release_date FROM release").fetchone()
        self.info = {"name": name, "release_date": date}

    def rows(self, code: str | None = None) -> dict[str, dict]:
        """{code: row as a dict} of every code, or of `code` only."""
        if self.carried:
            return earlier_codes(self.conn, self.carried, code)
        sql, args = ("SELECT * FROM codes WHERE code = ?", (code,)) if code else ("SELECT * FROM codes", ())
        cursor = self.conn.execute(sql, args)
        columns = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(columns, row)) for row in cursor}

    def meaning(self, table: str, value: str) -> str:
        return code_meanings(self.conn).get((table, value), "")

    def describe(self, key: str, values: list[str]) -> str:
        """The meaning of a field's value(s): bare for one value, "A = …; P = …" for several."""
        table = FIELDS_BY_KEY[key].table
        if table is None:
            return ""
        meanings = [self.meaning(table, v) for v in values]
        if len(values) == 1:
            return meanings[0]
        return "; ".join(f"{v} = {m}" if m else v for v, m in zip(values, meanings))


class _Indexed(_Release):
    """A release as the release index holds it (`release_index.IndexedRelease`): one code's row."""

    def __init__(self, held: IndexedRelease):
        self.info, self._held = held.info, held

    def rows(self, code: str | None = None) -> dict[str, dict]:
        row = self._held.row
        return {row["code"]: row} if row is not None and code in (None, row["code"]) else {}

    def meaning(self, table: str, value: str) -> str:
        return self._held.meanings.get((table, value), "")


@contextmanager
def _opened(source, listed: bool = False):
    """A _Release for a path or a StoredRelease (opened read-only, closed after; see
    `open_database` for `listed`) or an open connection."""
    if isinstance(source, sqlite3.Connection):
        yield _Release(source)
        return
    path, carried = (source.path, source.release_date if source.carried else "") if hasattr(source, "carried") \
        else (Path(source), "")
    conn = open_database(path, listed=listed)
    try:
        yield _Release(conn, carried)
    finally:
        conn.close()


def is_database(path: Path) -> bool:
    """A regular file named as a database, or that starts as every SQLite database does (a
    damaged database is still a database, to be reported as one)."""
    if not path.is_file():
        return False
    if path.suffix.lower() in (".sqlite", ".db"):
        return True
    with open(path, "rb") as file:
        return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER


@contextmanager
def release_databases(sources: list[str], releases: list[StoredRelease], layout: Path | None = None,
                      notes: Path | None = None) -> Iterator[list]:
    """A database for each source, to compare: a database file as it is; a release file or folder
    (zip, ANWEB text or workbook) built into a temporary folder removed afterwards, with `layout`
    and `notes` when it carries none; or the date ("2019-01-01") or name ("January 2019") of one
    of the stored `releases` (its StoredRelease: it may be carried inside another database).

    A source that is none of these raises DatabaseError naming the known releases; a release
    file that cannot be built raises what `build_database` raises.
    """
    from .build import build_database  # the build machinery: only when a release file is given

    with tempfile.TemporaryDirectory(prefix="hcpcs-changes-") as scratch:
        paths = []
        for number, source in enumerate(sources):
            path = Path(source)
            if is_database(path):
                paths.append(path)
            elif path.exists():
                paths.append(build_database(path, Path(scratch) / f"{number}.sqlite", layout, notes).db_path)
            else:
                paths.append(_stored(source, releases))
        yield paths


def _stored(key: str, releases: list[StoredRelease]) -> StoredRelease:
    wanted = key.strip().lower()
    found = next((r for r in releases if wanted in (r.release_date, r.name.lower())), None)
    if found is None:
        known = ", ".join(f"{r.release_date} ({r.name})" for r in releases) or "none"
        raise DatabaseError(f"{key} is neither a database or release file nor a stored release (known: {known}).")
    return found


def compare(old, new) -> list[Change]:
    """Every change from release `old` to release `new` (database paths, StoredReleases or open
    connections).

    Ordered by code, then in the order of KINDS.
    """
    with _opened(old) as before, _opened(new) as after:
        old_rows, new_rows = before.rows(), after.rows()
        changes = []
        for code in sorted(old_rows.keys() | new_rows.keys()):
            changes += _code_changes(code, old_rows.get(code), new_rows.get(code), before, after)
    return changes


def _code_changes(code: str, old: dict | None, new: dict | None, before: _Release, after: _Release) -> list[Change]:
    """The changes of one code; a code added or dropped has no field changes besides."""
    current = new or old
    section, description = current["section"], current["short_description"]

    def change(kind, field, old_value, new_value, old_meaning="", new_meaning="", diff=()):
        return Change(code, kind, section, description, field, old_value, new_value, old_meaning, new_meaning,
                      tuple(diff))

    if old is None:
        added = [change(ChangeKind.ADDED, "added_date", "", new["added_date"])]
        if new["termination_date"]:  # added and terminated between the two releases
            added.append(change(ChangeKind.TERMINATED, "termination_date", "", new["termination_date"]))
        return added
    if new is None:
        return [change(ChangeKind.TERMINATED, "termination_date", old["termination_date"], "", new_meaning=DROPPED)]

    changes = []
    old_end, new_end = old["termination_date"], new["termination_date"]
    if new_end and new_end != old_end:
        changes.append(change(ChangeKind.TERMINATED, "termination_date", old_end, new_end))
    elif old_end and not new_end:
        changes.append(change(ChangeKind.REINSTATED, "termination_date", old_end, ""))
    elif _newly_reactivated(old, new):
        changes.append(change(ChangeKind.REINSTATED, "action_code", old["action_code"], REACTIVATED,
                              before.describe("action_code", [old["action_code"]]),
                              after.describe("action_code", [REACTIVATED])))
    for kind in (ChangeKind.LONG_DESCRIPTION, ChangeKind.SHORT_DESCRIPTION):
        field = kind.value
        if old[field] != new[field]:
            changes.append(change(kind, field, old[field], new[field], diff=word_diff(old[field], new[field])))
    for kind, field, columns in VALUE_FIELDS:
        old_values = [old[c] for c in columns if old[c]]
        new_values = [new[c] for c in columns if new[c]]
        if old_values != new_values:
            changes.append(change(kind, field, ", ".join(old_values), ", ".join(new_values),
                                  before.describe(columns[0], old_values) if old_values else "",
                                  after.describe(columns[0], new_values) if new_values else ""))
    return changes


def _newly_reactivated(old: dict, new: dict) -> bool:
    """Action code R that the older release did not already show (terminated and back in between)."""
    return new["action_code"] == REACTIVATED and (old["action_code"], old["action_effective_date"]) != (
        REACTIVATED,
        new["action_effective_date"],
    )


def counts(changes: list[Change]) -> dict[str, int]:
    """How many changes of each kind, every kind listed."""
    counted = Counter(c.kind for c in changes)
    return {kind: counted[kind] for kind in KINDS}


def filter_changes(changes: list[Change], kinds=None, sections=None) -> list[Change]:
    """The changes of the given kinds and sections ("J", "modifier"; any case); None keeps all."""
    wanted_sections = {s.lower() for s in sections} if sections else None
    return [
        c for c in changes
        if (not kinds or c.kind in kinds) and (wanted_sections is None or c.section.lower() in wanted_sections)
    ]


CSV_COLUMNS = ["code", "kind", "section", "description", "field", "old", "old_meaning", "new", "new_meaning", "diff"]


def to_csv(changes: list[Change]) -> str:
    """One row per change; the diff column is `diff_text`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in changes:
        row = asdict(c) | {"diff": diff_text(c.diff)}
        writer.writerow(row[column] for column in CSV_COLUMNS)
    return out.getvalue()


def to_json(changes: list[Change]) -> str:
    """A JSON array of changes; each diff is a list of [op, words] pairs."""
    return json.dumps([asdict(c) for c in changes], indent=2)


def code_history(release_paths, code: str, listed: bool = False, index: ReleaseIndex | None = None
                 ) -> list[HistoryEvent]:
    """What happened to `code` across the given releases (database paths or StoredReleases),
    oldest first (`listed`: the databases were checked when listed, see `open_database`).

    A release whose database `index` holds as the file is now is read from it (one read for them
    all); the others are opened. The added date comes from the code's record in the first release
    that has it; each later change is dated by the release that first shows it, a termination by
    its termination date.
    """
    code = code.strip().upper()
    held = index.code_rows(code, list(release_paths)) if index is not None else {}
    with ExitStack() as stack:
        releases = sorted(
            (_Indexed(held[number]) if number in held else stack.enter_context(_opened(path, listed))
             for number, path in enumerate(release_paths)),
            key=lambda r: r.info["release_date"]
        )
        rows = [release.rows(code).get(code) for release in releases]
        present = [row for row in rows if row]
        for row in present:  # bytes where a release has text: damage, said as such
            text_only([row[column] for column in HISTORY_COLUMNS], "a release's row of the code")
        if not present:
            return []
        first = present[0]
        events = [HistoryEvent(first["added_date"], ChangeKind.ADDED, f"Added {first['added_date']}")]
        if first["termination_date"]:
            events.append(_terminated(first["termination_date"]))
        for before, after, old, new in zip(releases, releases[1:], rows, rows[1:]):
            if old is not None and old != new:  # a row alike in both has no change
                events += [_event(change, before.info, after.info)
                           for change in _code_changes(code, old, new, before, after)]
    return sorted(events, key=lambda e: e.date)


def _terminated(date: str, change: Change | None = None) -> HistoryEvent:
    return HistoryEvent(date, ChangeKind.TERMINATED, f"Terminated {date}", change)


def _event(change: Change, previous: dict, release: dict) -> HistoryEvent:
    """An event dated by the release that first shows it; releases may be quarters or years apart."""
    date, name = release["release_date"], release["name"]
    between = f"between {previous['name']} and {name}"
    if change.kind == ChangeKind.TERMINATED:
        if change.new_meaning == DROPPED:
            return HistoryEvent(date, ChangeKind.TERMINATED, f"Dropped from the {name} release", change)
        return _terminated(change.new, change)
    if change.kind == ChangeKind.REINSTATED:
        return HistoryEvent(date, ChangeKind.REINSTATED, f"Reinstated {between}", change)
    old, new = _shown(change.old, change.old_meaning), _shown(change.new, change.new_meaning)
    return HistoryEvent(date, change.kind, f"{change.label} {between} from {old} to {new}", change)


def _shown(value: str, meaning: str) -> str:
    if not value:
        return "(none)"
    return f"“{value}” ({meaning})" if meaning else f"“{value}”"
