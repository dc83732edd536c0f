"""The words the coder reads, written once: values with their meaning, status, hints.

The data and search layers return facts; the window (and the command line) say them with these.
"""

from __future__ import annotations

from .search import SearchResult
from .search.engine import Status
from .search.messages import folded, hidden_text, skipped_texts

SEARCH_HINT = "Type a code, a range such as E0100-E0105, a list of codes, or words."
SEARCH_PLACEHOLDER = "Code, range, list or words, e.g. S9353, insulin pump"


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


def filtered_text(active: list[str]) -> str:
    """"filtered: status active, section E"."""
    return "filtered: " + ", ".join(active)


def unknown_text(codes: list[str]) -> str:
    """"not in this release: E0999, A9999"."""
    return "not in this release: " + ", ".join(codes)


def unknown_folded_text(count: int) -> str:
    """"280 not in this release", for a long list shown on demand."""
    return f"{count:,} not in this release"


def unknown_more_text(count: int) -> str:
    """"… and 232 more", after the unknown codes listed."""
    return f"… and {count:,} more"


def result_remarks(result: SearchResult) -> list[str]:
    """What the search did besides listing codes, one phrase each (corrections and the codes not
    in the release aside: the count line folds a long list of those)."""
    remarks = []
    if result.ignored:
        remarks.append("no code has " + ", ".join(result.ignored))
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
