"""The words the coder reads, written once: values with their meaning, status, hints.

The data and search layers return facts; the window (and the command line) say them with these.
"""

from __future__ import annotations

from .search import SearchResult
from .search.engine import Status
from .search.messages import folded, hidden_text, skipped_texts

SEARCH_HINT = "Type a code, a range such as E0100-E0105, a list of codes, or words."
SEARCH_PLACEHOLDER = "Code, prefix, range, list of codes, or words — e.g. S9353, E0100-E0105, insulin pump"


def value_meaning(value: str, meaning: str) -> str:
    """"00 — Service not separately priced by part B", or the bare value."""
    return f"{value} — {meaning}" if meaning else value


def status_text(status: str, termination_date: str) -> str:
    """"Active", or "Terminated 2025-12-31" (never colour alone)."""
    if status == Status.TERMINATED:
        return f"Terminated {termination_date}".strip()
    return "Active"


def status_line(status: str, termination_date: str, added: str) -> str:
    """"● Active since 2002-01-01" or "✖ Terminated 2025-12-31 · added 2002-01-01"."""
    if status == Status.TERMINATED:
        return f"✖ Terminated {termination_date}" + (f" · added {added}" if added else "")
    return "● Active" + (f" since {added}" if added else "")


def count_text(result: SearchResult) -> str:
    """"12 codes", "1 code" or "No match"."""
    if not result.total:
        return "No match"
    return f"{result.total:,} code{'s' if result.total != 1 else ''}"


def empty_query_text(has_codes: bool) -> str:
    return f"Favorites and recent codes. {SEARCH_HINT}" if has_codes else SEARCH_HINT


def result_remarks(result: SearchResult) -> list[str]:
    """What the search did besides listing codes, one phrase each (corrections aside)."""
    remarks = []
    if result.ignored:
        remarks.append("no code has " + ", ".join(result.ignored))
    priced = dict(result.release_notes)
    unknown = [code for code in result.unknown if code not in priced]
    if unknown:
        remarks.append("not in this release: " + folded(unknown))
    remarks += [f"{code}: {note}" for code, note in priced.items()]
    if result.skipped:
        remarks.append("skipped: " + "; ".join(skipped_texts(result.skipped, shown=4)))
    if result.hidden:
        remarks.append(folded([hidden_text(hit.code, hit.status, hit.termination_date, by)
                               for hit, by in result.hidden], 3))
    return remarks


def release_label(release: dict) -> str:
    """"CMS HCPCS October 2025 (7,912 codes)"."""
    return f"CMS HCPCS {release['name']} ({release['procedures'] + release['modifiers']:,} codes)"


def favorite_text(code: str, starred: bool) -> str:
    return f"{code} {'added to' if starred else 'removed from'} favorites"


def not_saved_text(what: str, problem: OSError) -> str:
    return f"Could not save {what}: {problem.strerror or problem}"


def imported_text(name: str) -> str:
    return f"Imported {name}; earlier releases stay available"


def import_unopenable_text(name: str, problem: str) -> str:
    return f"{name} was imported but cannot be opened: {problem}"


def allowed_text(rule: str, units: int, limit: float, period: str) -> str:
    """"40 mg ÷ 10 mg = 4 units × $0.533 = $2.13 allowed (Part B payment limit, January 2026)"."""
    from decimal import ROUND_HALF_UP, Decimal

    total = (Decimal(str(limit)) * units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{rule} × ${Decimal(str(limit))} = ${total:,} allowed (Part B payment limit, {period})"


def ndc_text(typed: str, packages: list) -> str:
    """The count line of an NDC typed in the search box:
    "NDC 00409-0009-25 → J2405, 4 units per item (size 2), 100 units per package of 25 (<crosswalk, period>)"."""
    if not packages:
        return f"NDC {typed.strip()}: no NDC–HCPCS crosswalk in this database lists it"
    newest = [p for p in packages if p.source == packages[0].source]
    parts = [f"{p.code}, {_units(p.billing_units)} per item (size {_amount(p.package_size)}), "
             f"{_units(p.billing_units_per_package)} per package of {_amount(p.package_quantity)}"
             for p in newest]
    return f"NDC {newest[0].ndc} → " + "; ".join(parts) + f" ({packages[0].source.label})"


def _amount(value) -> str:
    return "?" if value is None else f"{value:g}"


def _units(value) -> str:
    return "1 unit" if value == 1 else f"{_amount(value)} units"
