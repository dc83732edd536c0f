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
    if result.unknown:
        remarks.append("not in this release: " + folded(result.unknown))
    if result.skipped:
        remarks.append("skipped: " + "; ".join(skipped_texts(result.skipped, shown=4)))
    if result.hidden:
        remarks.append(folded([hidden_text(hit.code, hit.status, hit.termination_date, by)
                               for hit, by in result.hidden], 3))
    return remarks


def favorite_text(code: str, starred: bool) -> str:
    return f"{code} {'added to' if starred else 'removed from'} favorites"


def not_saved_text(what: str, problem: OSError) -> str:
    return f"Could not save {what}: {problem.strerror or problem}"


def imported_text(name: str) -> str:
    return f"Imported {name}; earlier releases stay available"


def import_unopenable_text(name: str, problem: str) -> str:
    return f"{name} was imported but cannot be opened: {problem}"


# ----- releases over time

STALE_MONTHS = 4  # CMS publishes HCPCS quarterly: a release older than this has been followed by another
UNKNOWN_MEANING = "no meaning in this release's record layout"
UNKNOWN_NOTE = "no such note in this release's processing notes"


def field_meaning(field) -> str:
    """A field value's meaning; a coded value the release cannot decode says so, never blank."""
    if field.meaning or field.kind != "code" or not field.value:
        return field.meaning
    return UNKNOWN_NOTE if field.key == "processing_note" else UNKNOWN_MEANING


def age_text(months: int) -> str:
    """"this month's", "1 month old", "13 months old"."""
    if months <= 0:
        return "of this month"
    return f"{months} month{'s' if months != 1 else ''} old"


def release_age_label(release: dict, months: int) -> str:
    """"CMS HCPCS October 2025 release (7,912 codes) · 13 months old"."""
    return (f"CMS HCPCS {release['name']} release ({release['procedures'] + release['modifiers']:,} codes) · "
            f"{age_text(months)}")


STALE_TEXT = "CMS publishes HCPCS quarterly; a newer release may be out:"
STALE_LINK = "CMS quarterly updates"


def newer_release_text(newer: str, shown: str) -> str:
    return f"A newer release is stored: {newer}. This window shows {shown}."


def import_report_lines(result) -> list[str]:
    """What an import did, from its ImportResult: stored, replaced, borrowed documents, undecoded values."""
    from .data.fields import FIELDS_BY_KEY

    report = result.report
    lines = [f"Imported {result.name}; earlier releases stay available."]
    if result.replaced is not None:
        given = result.replaced.file_name or result.replaced.path.name
        lines.append(f"It replaces the {result.replaced.name} release stored from {given} (a re-publication "
                     "of the same quarter).")
    taken = {"record layout": report.layout_from, "processing notes": report.notes_from}
    for what, release in taken.items():
        if release:
            lines.append(f"The release carries no {what}: those of {release} are used.")
    count = report.undecoded_count
    if count:
        values = "; ".join(f"{FIELDS_BY_KEY[key].label if key in FIELDS_BY_KEY else key}: {', '.join(found)}"
                           for key, found in report.undecoded.items())
        where = " or processing notes" if "processing_note" in report.undecoded else ""
        lines.append(f"{count:,} coded value{'s have' if count != 1 else ' has'} {UNKNOWN_MEANING}{where} "
                     f"(shown as such): {values}.")
    else:
        lines.append("Every coded value has its meaning.")
    return lines


def payment_import_lines(added: list) -> list[str]:
    """What adding a payment file did: one line per release ((StoredRelease, PaymentImport) pairs)."""
    lines = []
    for release, done in added:
        replaced = f"; replaces {', '.join(done.replaced)}" if done.replaced else ""
        missing = f"; {done.codes_not_in_release:,} codes it prices are not in this release" \
            if done.codes_not_in_release else ""
        lines.append(f"{done.label} added to {release.name}: {done.rows:,} rows{replaced}{missing}.")
    return lines


def date_of_service_text(facts) -> str:
    """Whether a code was valid on the date of service entered, and which stored release applied then."""
    from .data.validity import Reason

    day = facts.date.isoformat()
    applied = (f"Release in effect then: {facts.release.name}" if facts.release is not None
               else f"No stored release is as old as {day}")
    if facts.dates_from is not None and facts.dates_from != facts.release:
        applied += f" (dates as of {facts.dates_from.name})"
    if facts.reason == Reason.UNKNOWN_CODE:
        return f"? Date of service {day}: no stored release lists {facts.code}. {applied}."
    ended = f", terminated {facts.termination_date}" if facts.termination_date else ""
    why = {
        Reason.IN_EFFECT: f"✔ Valid on {day} (added {facts.added_date}{ended})",
        Reason.NOT_YET_ADDED: f"✖ Not valid on {day}: added {facts.added_date}, after that date",
        Reason.TERMINATED: f"✖ Not valid on {day}: terminated {facts.termination_date}, before that date",
        Reason.DROPPED: f"✖ Not valid on {day}: dropped from the code set "
                        f"(not in {facts.release.name if facts.release else 'the release then'})",
    }[facts.reason]
    return f"{why}. {applied}."
