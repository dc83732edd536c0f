"""The Medicare payment facts of a code, read from a built database: DMEPOS fees per state,
Part B drug payment limits, the NDCs that bill under it and its Medically Unlikely Edits, each
with the file and period it comes from; and NDC -> code.

A database built without payment files (or before they existed) simply has none. What is read
is checked as it is read: a SQLite error, a fee row of the wrong size or type, text where a
number belongs, a row of a file the database does not list or a list of states that is no JSON
raises one DatabaseError naming the file, never a traceback further on.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import sqlite3
from dataclasses import asdict, dataclass, field, replace

from .database import Holds, reads_database
from .ndc import dashed, ndc_candidates
from .payment_tables import unpack_fees

# Codes of the kinds the DMEPOS fee schedule prices (medical supplies, enteral and parenteral
# nutrition, equipment, orthotics and prosthetics; not the A0 transport codes): others are
# simply not priced there.
FEE_SCHEDULE_KINDS = ("A4", "A5", "A6", "A7", "A8", "A9", "B", "E", "K", "L")

class _Damaged(Holds):
    """What a payment table holds that this app never writes."""

    def __init__(self, what: str):
        super().__init__(f"its Medicare payment tables hold {what}")


def _number(value, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    raise _Damaged(f"{value!r} as {what}, where a number belongs")


def _text(value, what: str) -> str:
    if isinstance(value, str):
        return value
    raise _Damaged(f"{value!r} as {what}, where a text belongs")


def _numbers(row, first: int, names: tuple[str, ...]) -> list:
    return [_number(row[first + i], name) for i, name in enumerate(names)]


@dataclass(frozen=True)
class Source:
    """The payment file a fact comes from."""

    name: str
    label: str
    period: str
    period_start: str
    period_end: str | None
    sha256: str

    def covers(self, day: str) -> bool:
        """Whether the date `day` (ISO) falls in the file's period (see `_covers`)."""
        return _covers(self, day)

    def dates_compared(self) -> tuple[str, str]:
        """The dates `covers` compares a day with (ISO): days on the same side of each are covered alike."""
        return self.period_start, self.period_end or _three_months_on(self.period_start)


@dataclass(frozen=True)
class DmeposFee:
    """One row of a DMEPOS fee schedule: a code with a modifier pair, and each state's fees."""

    modifier: str
    modifier2: str
    jurisdiction: str
    category: str
    ceiling: float | None
    floor: float | None
    fees: dict[str, list]  # state -> [non-rural, rural]
    source: Source


@dataclass(frozen=True)
class DrugLimit:
    """A Part B drug payment limit: per billing unit of `dosage`."""

    dosage: str
    payment_limit: float | None
    coinsurance: float | None
    vaccine_awp: float | None
    vaccine_limit: float | None
    blood_awp: float | None
    blood_limit: float | None
    clotting_factor: float | None
    notes: str
    source: Source


@dataclass(frozen=True)
class NdcPackage:
    """An NDC billed under a code: its package and billing units per package."""

    ndc: str  # 5-4-2 with dashes (or CMS's product number where it is no NDC)
    code: str
    labeler: str
    drug_name: str
    dosage: str
    package_size: float | None
    package_quantity: float | None
    billing_units: float | None
    billing_units_per_package: float | None
    source: Source


@dataclass(frozen=True)
class Mue:
    """A Medically Unlikely Edit: most units per day in one setting."""

    setting: str
    units: float | None
    adjudication: str
    rationale: str
    source: Source


@dataclass
class PaymentFacts:
    """Everything the payment files say of one code, newest period first."""

    code: str
    in_release: bool
    dmepos: list[DmeposFee] = field(default_factory=list)
    on_dmepos_schedule: bool | None = None  # None: no DMEPOS fee schedule in the database
    drug_limits: list[DrugLimit] = field(default_factory=list)
    ndcs: list[NdcPackage] = field(default_factory=list)
    mue: list[Mue] = field(default_factory=list)
    release_date: str = ""
    service_date: str = ""  # set by `on`: the quarter covering it comes first in each list

    def on(self, day: str) -> PaymentFacts:
        """These facts for a date of service (ISO): in each list, the rows of the period that
        covers `day` (of each DMEPOS schedule, MUE setting, ...) come first, the others after, newest
        first; where no period covers it, the newest stays first."""
        return replace(self, dmepos=_covering_first(self.dmepos, day),
                       drug_limits=_covering_first(self.drug_limits, day), ndcs=_covering_first(self.ndcs, day),
                       mue=_covering_first(self.mue, day, lambda m: m.setting), service_date=day)

    def first_sources(self) -> list[tuple[Source, bool]]:
        """The file given first for each kind (and MUE setting), and whether its period covers the
        date of service (`on`): else no file here covers it, and it is the newest."""
        firsts = [rows[0].source for rows in (self.dmepos, self.drug_limits, self.ndcs) if rows]
        settings: dict[str, Source] = {}
        for mue in self.mue:
            settings.setdefault(mue.setting, mue.source)
        firsts += settings.values()
        return [(source, bool(self.service_date) and _covers(source, self.service_date)) for source in firsts]

    @property
    def priced(self) -> bool:
        return bool(self.dmepos or self.drug_limits)

    @property
    def release_note(self) -> str:
        """"priced from July 2026; not in the April 2026 release" for a code priced only after the
        release (a newer HCPCS release adds it), "priced; not in the April 2026 release" for one
        priced before, else ""."""
        if self.in_release or not self.priced:
            return ""
        release = f"the {_month(self.release_date)} release" if self.release_date else "this release"
        first = min(f.source.period_start for f in [*self.dmepos, *self.drug_limits])
        if self.release_date and first > self.release_date:  # priced only after the release
            return f"priced from {_month(first)}; not in {release}"
        return f"priced; not in {release}"

    @property
    def dmepos_note(self) -> str:
        if self.on_dmepos_schedule is False:
            return "not on the DMEPOS fee schedule"
        return ""

    @property
    def off_fee_schedule(self) -> bool:
        """A code of a kind the DMEPOS fee schedule prices that it does not price (of other kinds,
        a drug or a transport code, that is no news)."""
        return bool(self.dmepos_note) and self.code.startswith(FEE_SCHEDULE_KINDS)

    @property
    def has_tables(self) -> bool:
        """Whether there are figures to lay out: fees, payment limits, MUEs or NDCs."""
        return bool(self.dmepos or self.drug_limits or self.mue or self.ndcs)

    @property
    def worth_saying(self) -> bool:
        """Whether a code's page has anything to say of its payment."""
        return bool(self.priced or self.mue or self.ndcs or self.off_fee_schedule)

    def to_json(self) -> dict:
        """A JSON-ready dict (every state's fees, each fact with its source)."""
        data = asdict(self)
        data.update(release_note=self.release_note, dmepos_note=self.dmepos_note)
        return data


def _covers(source: Source, day: str) -> bool:
    """Whether `day` falls in the file's period: from its start to its end, or, for a file that
    gives no end (DMEPOS, MUE), to three months after its start (CMS publishes them quarterly)."""
    if day < source.period_start:
        return False
    if source.period_end:
        return day <= source.period_end
    return day < _three_months_on(source.period_start)


@functools.cache
def _three_months_on(start: str) -> str:
    """The first day of the month three months after the month of `start` (ISO)."""
    day = dt.date.fromisoformat(start)
    month = day.month + 3
    return dt.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1).isoformat()


def _covering_first(rows: list, day: str, group=lambda row: "") -> list:
    """`rows` (newest period first) with, in each group, the rows of the period covering `day` first."""
    if len(rows) < 2:
        return list(rows)
    covers = {id(source): _covers(source, day) for source in {id(row.source): row.source for row in rows}.values()}
    covered = {group(row) for row in rows if covers[id(row.source)]}
    if not covered:
        return list(rows)
    first = [bool(covers[id(row.source)] and group(row) in covered) for row in rows]
    return [row for row, up in zip(rows, first) if up] + [row for row, up in zip(rows, first) if not up]


def _month(iso_date: str) -> str:
    return dt.date.fromisoformat(iso_date).strftime("%B %Y")


@reads_database
def has_payment_facts(conn: sqlite3.Connection) -> bool:
    """Whether the database holds any payment file."""
    return bool(conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'payment_files'").fetchone()) and bool(
        conn.execute("SELECT 1 FROM payment_files LIMIT 1").fetchone())


def _states(conn) -> dict[int, list[str]]:
    found = {}
    for file_id, columns in conn.execute("SELECT id, columns FROM payment_files"):
        try:
            states = json.loads(columns)
        except (TypeError, ValueError, RecursionError):
            raise _Damaged(f"{columns!r} as the states of a fee schedule, which is no JSON list") from None
        if not isinstance(states, list) or not all(isinstance(state, str) for state in states):
            raise _Damaged(f"{columns!r} as the states of a fee schedule, which is no list of states")
        found[file_id] = states
    return found


def _sources(conn) -> dict[int, Source]:
    found = {}
    for file_id, *row in conn.execute(
            "SELECT id, name, label, period, period_start, period_end, sha256 FROM payment_files"):
        name, label, period, start, end, sha256 = row
        found[file_id] = Source(*(_text(value, "a payment file's name, label or period") for value in (name, label, period)),
                                _date(start), None if end is None else _date(end), _text(sha256, "a sha256"))
    return found


def _date(value) -> str:
    try:
        dt.date.fromisoformat(_text(value, "a date"))
    except ValueError:
        raise _Damaged(f"{value!r} as a payment file's date, which is no date") from None
    return value


def _source(sources: dict[int, Source], file_id) -> Source:
    if file_id not in sources:
        raise _Damaged(f"rows of a payment file it does not list (file {file_id!r})")
    return sources[file_id]


def _fees(blob, states: list[str]) -> list[float]:
    if not isinstance(blob, bytes) or len(blob) != 16 * len(states):
        size = f"{len(blob)} bytes" if isinstance(blob, bytes) else f"a {type(blob).__name__}"
        raise _Damaged(f"a DMEPOS fee row of {size} for {len(states)} states")
    return unpack_fees(blob)


def payment_facts(conn: sqlite3.Connection, code: str) -> PaymentFacts:
    """The payment facts of `code` (case and blanks ignored); empty where the database has none."""
    code = code.strip().upper()
    return payment_facts_of(conn, [code])[code]


@reads_database
def payment_facts_of(conn: sqlite3.Connection, codes: list[str]) -> dict[str, PaymentFacts]:
    """{code: its payment facts} of each of `codes` (upper case), each table read once for them all."""
    codes = list(dict.fromkeys(codes))
    wanted = (json.dumps(codes),)
    among = "IN (SELECT value FROM json_each(?))"
    listed = {code for (code,) in conn.execute(f"SELECT code FROM codes WHERE code {among}", wanted)}
    release = conn.execute("SELECT release_date FROM release").fetchone()
    found = {code: PaymentFacts(code, code in listed, release_date=release[0] if release else "") for code in codes}
    if not has_payment_facts(conn):
        return found
    sources = _sources(conn)
    states = _states(conn)
    newest = lambda rows: sorted(rows, key=lambda r: _source(sources, r[0]).period_start, reverse=True)  # noqa: E731
    for file_id, code, *row in newest(conn.execute(
        "SELECT file_id, code, modifier, modifier2, jurisdiction, category, ceiling, floor, fees FROM dmepos_fees "
        f"WHERE code {among} ORDER BY rowid", wanted)):
        fees = iter(_fees(row[6], states[file_id]))
        by_state = dict(zip(states[file_id], map(list, zip(fees, fees))))  # state: [non-rural, rural]
        found[code].dmepos.append(DmeposFee(*(_text(v, "a DMEPOS modifier, jurisdiction or category") for v in row[:4]),
                                            *_numbers(row, 4, ("a ceiling", "a floor")), by_state, sources[file_id]))
    if conn.execute("SELECT 1 FROM payment_files WHERE kind = 'dmepos' LIMIT 1").fetchone():
        for facts in found.values():
            facts.on_dmepos_schedule = bool(facts.dmepos)
    for file_id, code, *row in newest(conn.execute(
        "SELECT file_id, code, dosage, payment_limit, coinsurance, vaccine_awp, vaccine_limit, blood_awp, "
        f"blood_limit, clotting_factor, notes FROM drug_limits WHERE code {among}", wanted)):
        found[code].drug_limits.append(DrugLimit(
            _text(row[0], "a dosage"), *_numbers(row, 1, ("a payment limit", "a coinsurance", "a vaccine AWP%",
                                                          "a vaccine limit", "a blood AWP%", "a blood limit",
                                                          "a clotting factor")),
            _text(row[8], "a note"), sources[file_id]))
    for package in _packages(conn, f"n.code {among}", wanted, sources):
        found[package.code].ndcs.append(package)
    for file_id, code, *row in newest(conn.execute(
        "SELECT m.file_id, m.code, f.section, m.units, m.adjudication, m.rationale FROM mue m "
        f"JOIN payment_files f ON f.id = m.file_id WHERE m.code {among} ORDER BY f.section", wanted)):
        found[code].mue.append(Mue(_text(row[0], "an MUE setting"), _number(row[1], "MUE units"),
                                   _text(row[2], "an MUE adjudication"), _text(row[3], "an MUE rationale"),
                                   sources[file_id]))
    return found


def _packages(conn, where: str, args: tuple, sources: dict[int, Source]) -> list[NdcPackage]:
    rows = conn.execute(
        "SELECT n.file_id, n.ndc, n.code, n.labeler, n.drug_name, n.dosage, n.package_size, n.package_quantity, "
        f"n.billing_units, n.billing_units_per_package FROM ndc_codes n JOIN payment_files f ON f.id = n.file_id "
        f"WHERE {where} ORDER BY f.period_start DESC, n.ndc", args)
    packages = []
    for row in rows:
        ndc = _text(row[1], "an NDC")
        packages.append(NdcPackage(
            dashed(ndc) if len(ndc) == 11 and ndc.isdigit() else ndc,
            *(_text(v, "a code, labeler, drug name or dosage of an NDC") for v in row[2:6]),
            *_numbers(row, 6, ("a package size", "a package quantity", "billing units", "billing units per package")),
            _source(sources, row[0])))
    return packages


@reads_database
def crosswalk_drug_names(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(drug name, code, period start) of every drug the NDC-HCPCS crosswalks name: each name with
    the codes of the newest crosswalk that lists it. Empty without a crosswalk."""
    if not has_payment_facts(conn):
        return []
    starts = dict(conn.execute("SELECT id, period_start FROM payment_files WHERE kind = 'ndc'"))
    rows = [(_text(name, "a drug name"), _text(code, "a code"), _date(starts.get(file_id)))
            for name, code, file_id in conn.execute("SELECT DISTINCT drug_name, code, file_id FROM ndc_codes")]
    newest: dict[str, str] = {}
    for name, _, start in rows:
        key = name.strip().lower()
        newest[key] = max(start, newest.get(key, start))
    return sorted((name, code, start) for name, code, start in rows if newest[name.strip().lower()] == start)


@reads_database
def pricing_modifiers(conn: sqlite3.Connection) -> frozenset[str]:
    """The modifiers the DMEPOS fee schedules price by (RR, NU, UE, KF …): those of any of their rows
    (none without a fee schedule)."""
    if not has_payment_facts(conn):
        return frozenset()
    return frozenset(_text(m, "a DMEPOS modifier") for (m,) in conn.execute(
        "SELECT modifier FROM dmepos_fees UNION SELECT modifier2 FROM dmepos_fees") if m)


@reads_database
def lookup_ndc(conn: sqlite3.Connection, text: str) -> list[NdcPackage]:
    """The codes the NDC in `text` (any of its forms) bills under, newest period first.

    NdcError when `text` is not an NDC. Empty when no crosswalk in the database lists it.
    """
    candidates = ndc_candidates(text)
    if not has_payment_facts(conn):
        return []
    marks = ", ".join("?" * len(candidates))
    return _packages(conn, f"n.ndc IN ({marks})", tuple(candidates), _sources(conn))
