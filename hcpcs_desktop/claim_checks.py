"""Each claim line checked against CMS's files: a verdict (ok, warning, error) and its findings.

The facts are those a code's page shows, read by the data layer: whether a code or modifier was
valid on the date of service (`validity`, from the stored releases), the not-otherwise-classified
codes (`noc_codes`), and the payment facts of the quarter in effect on that date (`payment`): the
DMEPOS fee of each modifier pair and state, the Part B drug payment limit, the NDC-HCPCS crosswalk
and the MUEs of each setting; the units of a dose (`billing_units`, `drug_codes`). A line is
checked for:

- its code: valid on the date of service (else when it ended and what replaced it), a CPT code
  not checked, a NOC code named by a description;
- its modifiers: each a HCPCS modifier valid on the date; on a DMEPOS code, the pricing modifiers
  (RR, NU, UE, KF …) one of the pairs the fee schedule prices it with, given first;
- its units: a number over 0, within the MUE of the setting chosen;
- its NDC: one the crosswalk ties to the code; its unit and quantity turned into billing units,
  agreeing with the line's;
- the Medicare amount: the state's DMEPOS fee for the modifiers, or the payment limit × units.

A line of no code, a date that is no date, a negative quantity or binary junk is a finding of its
own line; no line stops the others. The sentences are `claim_wording`'s.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import math
import sqlite3
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import NamedTuple

from . import claim_wording as say
from .claim_lines import ClaimLine
from .data.billing_units import Units, billing_units, describe
from .data.drug_codes import load_drug_codes_of
from .data.ndc import NdcError, dashed, ndc_candidates
from .data.noc_codes import noc_codes
from .data.payment import DmeposFee, Mue, NdcPackage, PaymentFacts, has_payment_facts, lookup_ndc, \
    payment_facts_of, pricing_modifiers
from .data.validity import Reason, code_dates, parse_date, validity_on
from .search.query import CPT, MODIFIER, NDC_UNITS, PROCEDURE
from .wording import allowed_text

MOST_UNITS = 99_999  # more units than this on one line are no plausible claim
MOST_MODIFIERS = 4  # a claim line (CMS-1500 item 24D, 837 SV101) holds four
# The settings CMS publishes MUEs for, as the command line names them.
SETTINGS = {"dme": "DME Supplier Services", "practitioner": "Practitioner Services",
            "outpatient": "Outpatient Hospital Services"}
DEFAULT_SETTING = "practitioner"
# An NDC quantity's unit as the dose of a drug code names it (UN, a count of items, aside).
NDC_DOSE_UNITS = {"F2": "IU", "GR": "g", "ME": "mg", "ML": "ml"}
CROSS_REFERENCES = ", ".join(f"cross_reference_{n}" for n in range(1, 6))
CENTS = Decimal("0.01")
# The findings whose words name the date of service: a line with one is not taken as made for another day.
DATED = frozenset({"not_covering", "modifier_not_valid", "bad_date", "no_date", *(reason.value for reason in Reason)})


class Verdict(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


class Severity(StrEnum):
    NOTE = "note"  # said, and the line is still ok
    WARNING = "warning"
    ERROR = "error"


class Finding(NamedTuple):
    severity: Severity
    kind: str  # what was found, for scripts: "terminated", "over_mue", "ndc_other_code" …
    text: str


class Amount(NamedTuple):
    """What Medicare allows for the line: a state's DMEPOS fee (non-rural and rural), or a Part B payment
    limit, each × the units, from one payment file."""

    kind: str  # "dmepos" | "drug"
    per_unit: float
    units: int
    total: float
    source: str  # the payment file's label
    rural_per_unit: float | None = None
    rural_total: float | None = None

    @property
    def text(self) -> str:
        rural = f" (${self.rural_total:,.2f} rural)" if self.rural_total else ""
        return f"${self.total:,.2f}{rural}"


class LineResult(NamedTuple):
    line: ClaimLine
    verdict: Verdict
    findings: tuple[Finding, ...]
    date: str = ""  # the date of service checked, ISO ("" when the line's is no date)
    units: int | None = None  # the units billed: as given, else from the NDC quantity
    ndc: str = ""  # 5-4-2 with dashes, when the NDC was read
    ndc_units: int | None = None  # billing units the NDC quantity makes
    amount: Amount | None = None

    def to_json(self) -> dict:
        line = self.line
        return {"line": line.number, "text": line.text, "verdict": self.verdict.value, "code": line.code,
                "modifiers": list(line.modifiers), "units": self.units, "date": self.date or None,
                "ndc": self.ndc or None, "ndc_unit": line.ndc_unit or None,
                "ndc_quantity": line.ndc_quantity or None, "ndc_units": self.ndc_units,
                "amount": None if self.amount is None else {
                    "kind": self.amount.kind, "per_unit": self.amount.per_unit, "units": self.amount.units,
                    "total": self.amount.total, "rural_per_unit": self.amount.rural_per_unit,
                    "rural_total": self.amount.rural_total, "source": self.amount.source},
                "findings": [{"severity": f.severity.value, "kind": f.kind, "text": f.text} for f in self.findings]}


@dataclass
class ReleaseDates:
    """What was read of the stored releases for checking lines: {release date: {code: (added date,
    termination date)}} of the `codes` read (kept between checks of one set of releases)."""

    by_release: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)


class _Priced(NamedTuple):
    """A code's payment facts for the files covering a date of service (see `PaymentFacts.on`)."""

    facts: PaymentFacts
    ndcs: dict[str, NdcPackage]  # 11 digits -> the package listed first
    mue: Mue | None  # the setting's
    stale: tuple[str, ...]  # the labels of the DMEPOS and drug limit files given, none covering the date


class _Head(NamedTuple):
    """What a line's code, date of service and modifiers make: their findings, the date, the code's
    payment facts then and the DMEPOS fee row of the pricing modifiers (priced None: checked no further)."""

    findings: tuple[Finding, ...]
    day: dt.date | None = None
    iso: str = ""  # the day, ISO
    priced: _Priced | None = None
    fee: DmeposFee | None = None


def verdict_counts(results: list[LineResult]) -> dict[str, int]:
    counts = dict.fromkeys([v.value for v in Verdict], 0)
    for result in results:
        counts[result.verdict.value] += 1
    return counts


def _verdict(findings) -> Verdict:
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return Verdict.ERROR
    return Verdict.WARNING if Severity.WARNING in severities else Verdict.OK


class _Found(list):
    """The findings of a part of a line, in the order found."""

    def note(self, kind: str, text: str) -> None:
        self.append(Finding(Severity.NOTE, kind, text))

    def warn(self, kind: str, text: str) -> None:
        self.append(Finding(Severity.WARNING, kind, text))

    def fail(self, kind: str, text: str) -> None:
        self.append(Finding(Severity.ERROR, kind, text))


class LineChecker:
    """Checks claim lines against the database `conn` (its payment files, NOC codes and cross
    references) and the stored `releases` (a code's dates), for one state and MUE setting.

    `dates` keeps what was read of the releases between checkers. What one line's code, date,
    units or NDC made is kept for the checker's life, and lines sharing it take it as made: so do
    lines of the same fields whose dates of service fall alike (see `_placed`)."""

    def __init__(self, conn: sqlite3.Connection, releases: list, state: str = "",
                 setting: str = SETTINGS[DEFAULT_SETTING], dates: ReleaseDates | None = None):
        self.conn = conn
        self.releases = sorted(releases, key=lambda r: r.release_date)
        self.state = state.upper()
        self.setting = setting
        self.release_name, self.release_date = conn.execute("SELECT name, release_date FROM release").fetchone()
        self.release_day = dt.date.fromisoformat(self.release_date)
        self.has_payment = has_payment_facts(conn)
        self.noc = noc_codes(conn)
        self.pricing = pricing_modifiers(conn)
        self.dates = dates if dates is not None else ReleaseDates()
        self._facts: dict[str, PaymentFacts] = {}
        self._sources: set = set()  # the payment files the facts read come from
        self._covering: dict[str, frozenset] = {}  # a date of service: the files of `_sources` covering it
        self._priced: dict[tuple[str, frozenset], _Priced] = {}
        self._days: dict[str, dt.date | str] = {}  # a date as written: the date, or why it is none
        self._isos: dict[dt.date, str] = {}
        self._validity: dict[tuple, object] = {}
        self._release_dates = [r.release_date for r in self.releases]
        self._bounds: dict[str, list[str]] = {}  # a code's dates across the releases, and the releases' dates
        self._heads: dict[tuple, _Head] = {}
        self._code_alike: dict[tuple, tuple] = {}  # see `_code_on`
        self._modifiers_on: dict[tuple, tuple] = {}  # (modifiers, date of service): their findings
        self._fees: dict[tuple, tuple] = {}  # (payment facts, modifiers): see `_fee_row`
        self._units_of: dict[str, tuple[int | None, tuple]] = {}
        self._ndc_of: dict[tuple, tuple[tuple, str, int | None]] = {}
        self._amounts: dict[tuple, tuple[tuple, Amount | None]] = {}
        self._checked: dict[tuple, LineResult] = {}  # the result of a line's fields
        # Every date a date of service is compared with: the releases', those of the codes and modifiers of the
        # lines read ahead (added, terminated), the periods' of the payment files read; see `_placed`.
        self._compared = set(self._release_dates)
        self._compared_codes: set[str] = set()  # the codes and modifiers whose dates are in `_compared`
        self._compared_sorted: list[str] | None = None
        self._places: dict[str, tuple] = {}  # a date as written: see `_placed`
        self._alike: dict[tuple, LineResult] = {}  # the result of a line's fields but its date, and its date's place
        self._ndc_codes: dict[tuple[str, ...], list] = {}
        self._drugs: dict[str, object] = {}  # a code read: its drug code, None for none
        self._replacements: dict[str, list[str]] = {}  # a code read: the codes its record names

    # ----- reading ahead
    def check_all(self, lines: list[ClaimLine]) -> list[LineResult]:
        """Each line's result, the facts of all their codes read first, a table at a time.

        The cyclic garbage collector is paused meanwhile: the checks make many small objects and no
        cycles, and its full passes over what the release and the facts hold took a fifth of the time."""
        paused = gc.isenabled()
        gc.disable()
        try:
            self.read_ahead(lines)
            return [self.check(line) for line in lines]
        finally:
            if paused:
                gc.enable()

    def read_ahead(self, lines: list[ClaimLine]) -> None:
        """Read the dates, payment facts, doses and cross references of the codes and modifiers of `lines`
        not read yet, each table once for them all."""
        codes = {code for code in {line.code for line in lines} if PROCEDURE.match(code)}
        modifiers = {m for m in {m for line in lines for m in line.modifiers} if MODIFIER.match(m)}
        new = sorted((codes | modifiers) - self.dates.codes)
        if new:
            for release_date, found in code_dates(self.releases, new).items():
                self.dates.by_release.setdefault(release_date, {}).update(found)
            self.dates.codes.update(new)
        uncompared = (codes | modifiers) - self._compared_codes
        if uncompared:
            self._compare_with(d for found in self.dates.by_release.values() for code in uncompared
                               for d in found.get(code, ()))
            self._compared_codes |= uncompared
        unread = sorted(codes - self._facts.keys())
        if unread:
            read = payment_facts_of(self.conn, unread)
            self._facts.update(read)
            drugs = load_drug_codes_of(self.conn, unread)
            self._drugs.update((code, drugs.get(code)) for code in unread)
            self._replacements.update((code, [c for c in references if c]) for code, *references in self.conn.execute(
                f"SELECT code, {CROSS_REFERENCES} FROM codes WHERE code IN (SELECT value FROM json_each(?))",
                (json.dumps(unread),)))
            sources = set({id(row.source): row.source for facts in read.values()  # the few files, each once
                           for row in (*facts.dmepos, *facts.drug_limits, *facts.ndcs, *facts.mue)}.values())
            if not sources <= self._sources:
                self._compare_with(d for source in sources - self._sources for d in source.dates_compared())
                self._sources |= sources
                self._covering.clear()

    def _compare_with(self, dates) -> None:
        """Add `dates` to those a date of service is compared with: the dates placed are placed again."""
        new = set(dates) - self._compared - {""}
        if new:
            self._compared |= new
            self._compared_sorted = None
            self._places.clear()
            self._alike.clear()

    # ----- one line
    def check(self, line: ClaimLine) -> LineResult:
        """The verdict and findings of `line` (a line whose fields another line had gives that line's result)."""
        key = line[2:]  # every field but the line's number and text
        known = self._checked.get(key)
        if known is None:
            known = self._checked[key] = self._check_alike(line)
        return known if known.line is line else LineResult(line, *known[1:])

    def _check_alike(self, line: ClaimLine) -> LineResult:
        """The result of `line`, or that of a line of the same fields whose date of service falls alike (see
        `_placed`) with this line's date, when none of its findings names its date."""
        if line.through or not line.date:
            return self._check(line)
        if line.code not in self._facts and PROCEDURE.match(line.code) or \
                not self._compared_codes.issuperset(line.modifiers):
            self.read_ahead([line])  # their dates are compared with
        placed = self._placed(line.date)
        if not placed:
            return self._check(line)
        place, iso = placed
        alike = (line[2:5], line[6:], place)  # every field but the line's number, its text and its date
        known = self._alike.get(alike)
        if known is not None:
            return LineResult(line, known.verdict, known.findings, known.date and iso, *known[4:])
        result = self._check(line)
        if not any(finding.kind in DATED for finding in result.findings):
            self._alike[alike] = result
        return result

    def _placed(self, written: str) -> tuple:
        """(where the date of service `written` falls among every date the checks compare one with, its ISO
        form); () when it is no date. Two days placed alike are on the same side of each of those dates (or
        are the same day), so every check of a line answers alike for them: the code's and modifiers'
        validity (`validity_on`), the payment files covering them (`Source.covers`)."""
        placed = self._places.get(written)
        if placed is None:
            day = self._day(written)
            if isinstance(day, str):
                placed = ()
            else:
                if self._compared_sorted is None:
                    self._compared_sorted = sorted(self._compared)
                iso = self._iso(day)
                placed = ((bisect_left(self._compared_sorted, iso), bisect_right(self._compared_sorted, iso)), iso)
            self._places[written] = placed
        return placed

    def _check(self, line: ClaimLine) -> LineResult:
        head_key = (line.code, line.modifiers, line.date, line.through, line.description, line.unread, line.cut)
        head = self._heads.get(head_key)
        if head is None:
            head = self._heads[head_key] = self._check_code(line)
        day = head.iso
        if head.priced is None:
            return LineResult(line, _verdict(head.findings), head.findings, day)
        units, found = self._units(line.units)
        findings = [*head.findings, *found]
        ndc_key = (id(head.priced), line.code, line.ndc, line.ndc_unit, line.ndc_quantity)
        if ndc_key not in self._ndc_of:
            self._ndc_of[ndc_key] = self._check_ndc(line, head.priced)
        found, ndc, ndc_units = self._ndc_of[ndc_key]
        findings += found
        if not line.units:
            units = ndc_units or 1
            findings.append(Finding(Severity.NOTE, "units_from_ndc", say.units_from_ndc(units)) if ndc_units
                            else Finding(Severity.NOTE, "units_assumed", say.UNITS_ASSUMED))
        elif units is not None and ndc_units is not None and units != ndc_units:
            findings.append(Finding(Severity.WARNING, "units_differ", say.units_differ(units, ndc_units)))
        amount = None
        if units is not None:
            limits = head.priced.facts.drug_limits  # what `_amount` reads
            amount_key = (id(head.priced.mue), id(head.fee), id(limits[0]) if limits else None, units)
            if amount_key not in self._amounts:
                self._amounts[amount_key] = self._amount(head.priced, head.fee, units)
            found, amount = self._amounts[amount_key]
            findings += found
        return LineResult(line, _verdict(findings), tuple(findings), day, units, ndc, ndc_units, amount)

    def _check_code(self, line: ClaimLine) -> _Head:
        """The findings of the line's code, date of service and modifiers, and what they make (see _Head)."""
        found = _Found()
        if line.cut:
            found.warn("line_cut", say.line_cut())
        code = line.code
        if not code:
            found.fail("no_code", say.NO_CODE)
            return _Head(tuple(found))
        if CPT.match(code):
            found.warn("cpt_code", say.cpt_code(code))
            return _Head(tuple(found))
        if not PROCEDURE.match(code):
            found.fail("not_a_code", say.not_a_code(code))
            return _Head(tuple(found))
        if code not in self._facts or not self.dates.codes.issuperset(line.modifiers):
            self.read_ahead([line])
        day = self._date(line, found)
        checked = day or self.release_day
        iso = self._iso(checked)
        facts, priced = self._code_on(code, iso, checked)
        if facts.reason is Reason.UNKNOWN_CODE:
            found.fail("unknown_code", say.unknown_code(code, self.releases))
            return _Head(tuple(found), day, iso if day else "")
        if not facts.valid:
            found.fail(facts.reason.value, say.not_valid(facts, iso, self._replaced_by(code)))
        if code in self.noc:
            if line.description:
                found.note("noc", say.noc_described(code, line.description))
            else:
                found.fail("noc_undescribed", say.noc_undescribed(code))
        elif line.description:
            found.note("not_checked", say.description(line.description))
        if line.unread:
            found.warn("unread", say.unread(line.unread))
        if line.modifiers:
            key = (line.modifiers, checked)
            if key not in self._modifiers_on:
                self._modifiers_on[key] = self._check_modifiers(line.modifiers, checked)
            found += self._modifiers_on[key]
        key = (id(priced), line.modifiers)
        if key not in self._fees:
            self._fees[key] = self._fee_row(code, line.modifiers, priced.facts)
        fee, priced_with = self._fees[key]
        found += priced_with
        if day:  # the files given are the newest when none covers the date of service
            for label in priced.stale:
                found.note("not_covering", say.not_covering(iso, label))
        return _Head(tuple(found), day, iso if day else "", priced, fee)

    def _code_on(self, code: str, iso: str, day: dt.date) -> tuple:
        """(whether `code` was valid on `day`, a DateOfService; its payment facts then, None for a code no
        release lists), read once for the days that fall alike (see `_valid`) in the same payment files' periods."""
        covering = self._covering.get(iso)
        if covering is None:
            covering = self._covering[iso] = frozenset(source for source in self._sources if source.covers(iso))
        key = (self._alike_key(code, iso), covering)
        found = self._code_alike.get(key)
        if found is None:
            facts = self._valid(code, day, iso)
            priced = None if facts.reason is Reason.UNKNOWN_CODE else self._payment(code, iso)
            found = self._code_alike[key] = (facts, priced)
        return found

    def _date(self, line: ClaimLine, found: _Found) -> dt.date | None:
        """The date of service (None: none given, or none read)."""
        if not line.date:
            found.warn("no_date", say.no_date(self.release_name, self.release_date))
            return None
        day = self._day(line.date)
        if isinstance(day, str):
            found.fail("bad_date", say.bad_date(day))
            return None
        if line.through:
            through = self._day(line.through)
            if isinstance(through, str):
                found.fail("bad_date", say.bad_through(through))
            elif through < day:
                found.fail("bad_date", say.through_before(day.isoformat(), through.isoformat()))
        return day

    def _day(self, written: str) -> dt.date | str:
        """The date `written`, or why it is none (each date read once)."""
        if written not in self._days:
            try:
                self._days[written] = parse_date(written)
            except ValueError as exc:
                self._days[written] = str(exc)
        return self._days[written]

    def _iso(self, day: dt.date) -> str:
        """`day` in ISO form (each day written once)."""
        iso = self._isos.get(day)
        if iso is None:
            iso = self._isos[day] = day.isoformat()
        return iso

    def _valid(self, code: str, day: dt.date, iso: str):
        """Whether `code` was valid on `day` (a DateOfService; `iso` the same), read once for the days that fall
        alike: the answer of such a day, whose `date` may be another."""
        key = self._alike_key(code, iso)
        if key not in self._validity:
            self._validity[key] = validity_on(self.releases, code, day, self.dates.by_release)
        return self._validity[key]

    def _alike_key(self, code: str, iso: str) -> tuple:
        """What `validity_on` compares a date of service with, for `code`: the releases' dates and the code's
        added and termination dates; days before and on the same of them get the same answer."""
        bounds = self._bounds.get(code)
        if bounds is None:
            listed = {d for dates in self.dates.by_release.values() for d in dates.get(code, ())} - {""}
            bounds = self._bounds[code] = sorted({*self._release_dates, *listed})
        return code, bisect_left(bounds, iso), bisect_right(bounds, iso)

    def _replaced_by(self, code: str) -> list[str]:
        return self._replacements.get(code, [])

    def _payment(self, code: str, day: str) -> _Priced:
        """The payment facts of `code` for the date of service `day`: the same for every day the same files cover."""
        if day not in self._covering:
            self._covering[day] = frozenset(source for source in self._sources if source.covers(day))
        key = (code, self._covering[day])
        if key not in self._priced:
            facts = self._facts[code].on(day)
            ndcs = {package.ndc.replace("-", ""): package for package in reversed(facts.ndcs)}  # the first listed
            mue = next((m for m in facts.mue if m.setting == self.setting), None)
            covered = dict(facts.first_sources())
            stale = tuple(rows[0].source.label for rows in (facts.dmepos, facts.drug_limits)
                          if rows and not covered[rows[0].source])
            self._priced[key] = _Priced(facts, ndcs, mue, stale)
        return self._priced[key]

    # ----- modifiers
    def _check_modifiers(self, modifiers: tuple[str, ...], day: dt.date) -> tuple[Finding, ...]:
        """The findings on the modifiers: each a HCPCS modifier valid on the date of service, four at most."""
        found = _Found()
        iso = self._iso(day)
        if len(modifiers) > MOST_MODIFIERS:
            found.fail("too_many_modifiers", say.too_many_modifiers(len(modifiers)))
        seen = set()
        for modifier in modifiers:
            if modifier in seen:
                found.warn("repeated_modifier", say.repeated_modifier(modifier))
                continue
            seen.add(modifier)
            if not MODIFIER.match(modifier):
                found.fail("not_a_modifier", say.not_a_modifier(modifier))
                continue
            facts = self._valid(modifier, day, iso)
            if facts.reason is Reason.UNKNOWN_CODE:
                if modifier.isdigit():
                    found.warn("cpt_modifier", say.cpt_modifier(modifier))
                else:
                    found.fail("unknown_modifier", say.unknown_modifier(modifier))
            elif not facts.valid:
                found.fail("modifier_not_valid", say.modifier_not_valid(facts, iso))
        return tuple(found)

    def _fee_row(self, code: str, modifiers: tuple[str, ...], payment: PaymentFacts) -> tuple:
        """(the DMEPOS fee row of the pricing `modifiers`, from the schedule given first, the findings on them):
        None, said, when the schedule prices the code with none such (or the code is on none)."""
        if not payment.dmepos:
            return None, ()
        found = _Found()
        source = payment.dmepos[0].source
        rows = [fee for fee in payment.dmepos if fee.source is source]
        pricing = [m for m in dict.fromkeys(modifiers) if m in self.pricing]
        row = next((fee for fee in rows if {fee.modifier, fee.modifier2} - {""} == set(pricing)), None)
        if row is None:
            found.fail("not_priced_with", say.not_priced_with(code, pricing, [(f.modifier, f.modifier2) for f in rows],
                                                              source.label))
        elif pricing and list(modifiers[:len(pricing)]) != pricing:
            found.warn("pricing_first", say.pricing_first(pricing))
        return row, tuple(found)

    # ----- units
    def _units(self, written: str) -> tuple[int | None, tuple]:
        """(the units written, a fraction rounded up; None when none are given or they are wrong), and the
        findings on them."""
        if written not in self._units_of:
            found = _Found()
            self._units_of[written] = self._read_units(written, found), tuple(found)
        return self._units_of[written]

    @staticmethod
    def _read_units(written: str, found: _Found) -> int | None:
        if not written:
            return None
        try:
            number = Decimal(written.replace(",", "").replace("−", "-"))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            found.fail("units_bad", say.units_not_a_number(written))
        elif number <= 0:
            found.fail("units_bad", say.units_not_positive(written))
        elif number > MOST_UNITS:
            found.fail("units_bad", say.units_implausible(written, MOST_UNITS))
        else:
            whole = math.ceil(number)
            if whole != number:
                found.warn("units_fraction", say.units_fraction(written, whole))
            return whole
        return None

    # ----- the NDC
    def _check_ndc(self, line: ClaimLine, priced: _Priced) -> tuple[tuple, str, int | None]:
        """(the findings on the line's NDC, the NDC in its 5-4-2 form, the billing units its quantity makes)."""
        found = _Found()
        if not line.ndc:
            if line.ndc_quantity or line.ndc_unit:
                found.warn("unread", say.unread(tuple(t for t in (line.ndc_unit, line.ndc_quantity) if t)))
            return tuple(found), "", None
        ndc, units = self._read_ndc(line, priced, found)
        return tuple(found), ndc, units

    def _read_ndc(self, line: ClaimLine, priced: _Priced, found: _Found) -> tuple[str, int | None]:
        try:
            candidates = ndc_candidates(line.ndc)
        except NdcError as exc:
            found.fail("ndc_bad", say.bad_ndc(str(exc)))
            return "", None
        package = next((priced.ndcs[c] for c in candidates if c in priced.ndcs), None)
        ndc = package.ndc if package else dashed(candidates[0]) if len(candidates) == 1 else line.ndc
        if package is None and self.has_payment:
            elsewhere = self._ndc_elsewhere(tuple(candidates))
            if elsewhere:
                codes = sorted({p.code for p in elsewhere if p.source == elsewhere[0].source})
                found.fail("ndc_other_code", say.ndc_other_code(elsewhere[0].ndc, codes, line.code,
                                                                elsewhere[0].source.label))
                return elsewhere[0].ndc, None
            found.warn("ndc_unlisted", say.ndc_unlisted(ndc))
        if not (line.ndc_unit and line.ndc_quantity):
            found.warn("ndc_no_quantity", say.NDC_NO_QUANTITY)
            return ndc, None
        unit = line.ndc_unit.upper()
        if unit not in NDC_UNITS:
            found.fail("ndc_unit_bad", say.ndc_unit_unknown(line.ndc_unit))
            return ndc, None
        try:
            quantity = Decimal(line.ndc_quantity)
        except InvalidOperation:
            quantity = Decimal(0)
        if not quantity.is_finite() or quantity <= 0 or quantity > MOST_UNITS:
            found.fail("ndc_quantity_bad", say.ndc_quantity_bad(line.ndc_quantity))
            return ndc, None
        made = self._ndc_billing_units(line.code, unit, quantity, package)
        if made is None:
            found.note("ndc_units_unknown", say.ndc_units_unknown(unit, line.ndc_quantity, line.code))
            return ndc, None
        units, rule = made
        found.note("ndc_units", say.ndc_units(unit, line.ndc_quantity, rule))
        return ndc, units

    def _ndc_elsewhere(self, candidates: tuple[str, ...]) -> list:
        """The crosswalk's packages of the NDC (any of its candidates), whatever code they bill under."""
        if candidates not in self._ndc_codes:
            self._ndc_codes[candidates] = [p for c in candidates for p in lookup_ndc(self.conn, c)]
        return self._ndc_codes[candidates]

    def _ndc_billing_units(self, code: str, unit: str, quantity: Decimal, package) -> tuple[int, str] | None:
        """(billing units, the rule) an NDC quantity makes: by the code's dose when the unit is one the dose
        converts to, else by the crosswalk's billing units an item (UN: items; ML: of the item's size)."""
        drug = self._drugs[code]
        dose_unit = NDC_DOSE_UNITS.get(unit)
        if drug is not None and drug.dose is not None and dose_unit:
            typed = "units" if dose_unit == "IU" and drug.dose.unit == "units" else dose_unit
            made = billing_units(drug.dose, f"{quantity} {typed}")
            if isinstance(made, Units):
                return made.units, describe(made)
        if package is None or not package.billing_units:
            return None
        per_item = Decimal(str(package.billing_units))
        if unit == "UN":
            ratio = quantity * per_item
            units = max(1, math.ceil(ratio))
            return units, say.per_item_rule(quantity, package.billing_units, ratio, units)
        if unit == "ML" and package.package_size:
            ratio = quantity / Decimal(str(package.package_size)) * per_item
            units = max(1, math.ceil(ratio))
            return units, say.per_volume_rule(quantity, package.package_size, package.billing_units, ratio, units)
        return None

    # ----- the MUE and the amount
    def _amount(self, priced: _Priced, fee: DmeposFee | None, units: int) -> tuple[tuple, Amount | None]:
        """(the findings on the units and the amount: the MUE, the state's fee of the DMEPOS row `fee`, the
        payment limit × units; the amount)."""
        found = _Found()
        edit = priced.mue
        if edit is not None and edit.units is not None:
            if edit.units <= 0:
                found.fail("none_billable", say.none_billable(self.setting))
            elif units > edit.units:
                found.fail("over_mue", say.over_mue(units, edit.units, self.setting, edit.adjudication))
        amount = self._dmepos(fee, units, found) if fee else None
        limits = priced.facts.drug_limits
        if limits:
            limit = limits[0]
            if limit.payment_limit is None:
                found.note("no_payment_limit", say.no_payment_limit(limit.source.label))
            else:
                found.note("amount", allowed_text(f"{units:,} unit{'s' if units != 1 else ''}", units,
                                                  limit.payment_limit, limit.source.period))
                total = float((Decimal(str(limit.payment_limit)) * units).quantize(CENTS))
                amount = amount or Amount("drug", limit.payment_limit, units, total, limit.source.label)
        return tuple(found), amount

    def _dmepos(self, fee: DmeposFee, units: int, found: _Found) -> Amount | None:
        """The state's fee of the DMEPOS row `fee` × units (None, said, without a state or its fees)."""
        label = fee.source.label
        if not self.state:
            found.note("no_state", say.NO_STATE)
            return None
        if self.state not in fee.fees:
            found.note("no_state", say.state_not_in(self.state, label))
            return None
        non_rural, rural = fee.fees[self.state]
        found.note("amount", say.dmepos_fee(self.state, non_rural, rural, units, label))
        return Amount("dmepos", non_rural, units, float((Decimal(str(non_rural)) * units).quantize(CENTS)),
                      label, rural, float((Decimal(str(rural)) * units).quantize(CENTS)))
