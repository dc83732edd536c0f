"""What a search result tells the coder besides its rows, as plain sentences.

The command line prints these lines; the window shows the same facts with links.
"""

from __future__ import annotations

from .engine import SearchResult


def hidden_text(code: str, status: str, termination_date: str, hidden_by: str) -> str:
    """"S9353 — hidden by the section filter", "A4466 — terminated 2016-12-31, hidden"."""
    if hidden_by == "status" and status == "terminated":
        return f"{code} — terminated {termination_date}, hidden"
    return f"{code} — hidden by the {hidden_by} filter"


def result_notes(result: SearchResult) -> list[str]:
    """One sentence per thing to know: the count, corrections, words and codes left out."""
    lines = [f"{result.total:,} match{'es' if result.total != 1 else ''}"]
    if result.corrections:
        lines.append(f"Showing results for: {result.corrected_text}")
    if result.ignored:
        lines.append(f"No code has: {', '.join(result.ignored)}")
    if result.unknown:
        lines.append(f"Not in this release: {', '.join(result.unknown)}")
    lines += [f"{token} is {why}" for token, why in result.skipped]
    lines += [hidden_text(hit.code, hit.status, hit.termination_date, by) for hit, by in result.hidden]
    return lines
