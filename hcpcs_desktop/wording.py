"""The words the coder reads, written once: values with their meaning, status, hints.

The data and search layers return facts; the window (and the command line) say them with these.
"""

from __future__ import annotations

from datetime import date

from .search import SearchResult
from .search.engine import Status
from .search.messages import folded, hidden_text, skipped_texts, word_remarks

SEARCH_HINT = "Type a code, a range such as E0100-E0105, a list of codes, or words."
SEARCH_PLACEHOLDER = "Code, range, list or words, e.g. S9353, insulin pump"


def value_meaning(value: str, meaning: str) -> str:
    """"00 — Service not separately priced by part B", or whichever of the two there is."""
    return f"{value} — {meaning}" if value and meaning else value or meaning


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
    remarks = word_remarks(result)
    remarks += [f"{code}: {note}" for code, note in result.release_notes]
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


IMPORT_TITLE = "Importing"
IMPORTING = "Importing… (searching goes on meanwhile)"


def set_aside_text(name: str, problem: str, aside: str) -> str:
    """A file of the coder's that could not be read, kept under another name."""
    return f"Your {name} could not be read ({problem}): it is kept as {aside} beside it, and a new {name} is begun."


def unwritable_text(name: str, problem: str) -> str:
    """A file of the coder's that is neither read nor written."""
    return f"Your {name} is left as it is ({problem}): nothing is read from it or saved to it."


def imported_text(name: str) -> str:
    return f"Imported {name}; earlier releases stay available"


def payment_date_text(facts) -> str:
    """Which payment file each of a code's payment facts is given from first, for the date of service."""
    said = [f"{source.label} ({'in effect then' if covers else 'the newest: no file here covers that date'})"
            for source, covers in facts.first_sources()]
    return f"Payment facts for the date of service {facts.service_date}: " + "; ".join(said) + "."


def older_kept_text(stored, shown: str) -> str:
    """What the bar says when the release imported is older than the one shown, which stays."""
    return (f"{stored.name} is older than the {shown} release shown, which stays; it is stored as {stored.path} "
            "(File → Releases opens it).")


def import_unopenable_text(name: str, problem: str) -> str:
    return f"{name} was imported but cannot be opened: {problem}"


def dose_given_text(typed: str) -> str:
    """The dose the coder typed in the units line, as the printed page gives it."""
    return f"Dose given: {typed.strip()}"


def no_dose_text(why: str) -> str:
    """The units line of a drug code whose description gives no dose to bill by."""
    return f"No dose to bill by: {why}." if why else ""


def dose_hint_text(unit: str) -> str:
    """The units line before a dose is typed: what one unit of the code is ("10 mg")."""
    return f"1 unit = {unit}: type the dose given to read the units."


def allowed_text(rule: str, units: int, limit: float, period: str) -> str:
    """"40 mg ÷ 10 mg = 4 units × $0.533 = $2.13 allowed (Part B payment limit, January 2026)"."""
    from decimal import ROUND_HALF_UP, Decimal

    total = (Decimal(str(limit)) * units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{rule} × ${Decimal(str(limit))} = ${total:,} allowed (Part B payment limit, {period})"


def mue_text(units: int | None, mues: list[tuple[str, float]]) -> str:
    """The Medically Unlikely Edits beside the units worked out (`units` None: none yet), settings of one
    value together: "MUE 30 a day (Outpatient Hospital, Practitioner); none billable (DME Supplier)", or,
    over one, "⚠ 40 units is over the MUE: 30 a day (Outpatient Hospital, Practitioner)". An MUE of 0 says
    the setting bills none."""
    by_value: dict[float, list[str]] = {}
    for setting, most in mues:
        by_value.setdefault(most, []).append(setting_name(setting))
    billable = [(most, ", ".join(settings)) for most, settings in by_value.items() if most > 0]
    over = [(most, settings) for most, settings in billable if units is not None and units > most]
    if over:
        return "⚠ " + over_mue_text(units, [(where, most) for most, where in over])
    return "MUE " + "; ".join([f"{most:g} a day ({where})" for most, where in billable]
                              + [f"none billable ({', '.join(by_value[most])})" for most in by_value if most <= 0])


def over_mue_text(units, over: list[tuple[str, float]]) -> str:
    """"40 units is over the MUE: 30 a day (Practitioner)", for each (setting, most) the units are over."""
    return f"{units:,} units is over the MUE: " + "; ".join(f"{most:g} a day ({where})" for where, most in over)


def setting_name(setting: str) -> str:
    """An MUE file's setting as the coder names it: "Practitioner" for "Practitioner Services"."""
    return setting.removesuffix(" Services")


def found_in_page_text(at: int, count: int) -> str:
    """"3 of 12" (the match selected, of all found in the page), or "not in this page"."""
    return f"{at + 1} of {count}" if count else "not in this page"


PAYMENT_TITLE = "Medicare payment"


def money_text(value: float | None, places: int = 2) -> str:
    """"$1,234.50", or "—" for none."""
    return "—" if value is None else f"${value:,.{places}f}"


def limit_money_text(value: float | None) -> str:
    """A payment limit as CMS gives it (three decimals, more when CMS gives more)."""
    if value is None:
        return "no limit"
    text = f"{value:,.6f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"${whole}.{decimals.ljust(3, '0')}"


def modifiers_text(fee) -> str:
    """A DMEPOS fee row's modifiers: "UE KF", or "(none)"."""
    return " ".join(m for m in (fee.modifier, fee.modifier2) if m) or "(none)"


def off_schedule_text(facts) -> str:
    """"DMEPOS: not on the DMEPOS fee schedule", for a code of a kind the schedule prices."""
    return f"DMEPOS: {facts.dmepos_note}"


def payment_summary_text(facts, state: str, modifiers: tuple[str, ...] = ()) -> str:
    """"DMEPOS PA non-rural: RR $20.04, NU $41.00 · Part B limit $0.536 per 10 MG (July 1, 2026 - September 30,
    2026) · MUE 30 a day (Outpatient Hospital, Practitioner) · 143 NDCs": the first of each kind given (the
    newest, or the one in effect on the date of service), the rows with the `modifiers` typed first; without
    the state's column, the fee ceilings."""
    said = []
    if facts.dmepos:
        first = facts.dmepos[0].source
        fees = sorted((fee for fee in facts.dmepos if fee.source == first),
                      key=lambda fee: -len({fee.modifier, fee.modifier2} & set(modifiers)))
        if state and any(state in fee.fees for fee in fees):
            said.append(f"DMEPOS {state} non-rural: " + ", ".join(
                f"{modifiers_text(fee)} {money_text(fee.fees.get(state, [None])[0] or None)}" for fee in fees))
        else:
            said.append("DMEPOS ceiling: " + ", ".join(f"{modifiers_text(fee)} {money_text(fee.ceiling or None)}"
                                                      for fee in fees))
    elif facts.off_fee_schedule:
        said.append(off_schedule_text(facts))
    if facts.drug_limits:
        limit = facts.drug_limits[0]
        said.append(f"Part B limit {limit_money_text(limit.payment_limit)} per {limit.dosage} ({limit.source.period})")
    newest: dict[str, float] = {}
    for edit in facts.mue:  # the first file of each setting
        if edit.units is not None:
            newest.setdefault(edit.setting, edit.units)
    if newest:
        said.append(mue_text(None, list(newest.items())))
    if facts.ndcs:
        count = sum(1 for package in facts.ndcs if package.source == facts.ndcs[0].source)
        said.append(f"{count} NDC{'s' if count != 1 else ''}")
    return " · ".join(said)


NO_SECTION = "This code's page has no such section"

NO_FEE_SCHEDULE = "No DMEPOS fee schedule is loaded in this database"
SHOW_TABLES = "show the tables"  # the code page's payment section, summed up in a line


def state_chosen_text(state: str) -> str:
    return f"DMEPOS fees shown for {state}"


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


# ----- a code's page: what other codes it names, the coder's note
REPLACED_BY = "Replaced by"
LETTER_O = "(letter O)"  # beside a coded value with an O, which a fixed-width font draws much as a 0
CORRECTIONS_TITLE = "Corrected by CMS after publishing"
NOC_MARK = "Not otherwise classified (NOC)"
NOC_HINT = "for a drug or item that no other code names; CMS asks for its name on the claim"
SUGGESTED = "Suggested, not a CMS cross reference:"  # active codes for the same item or drug
NOTE_TITLE = "Your note"
ADD_NOTE = "Add a note…"
EDIT_NOTE = "Edit note…"
FOLD = "Show fewer"


HISTORY_TITLE = "History across releases"


def short_text(short_description: str) -> str:
    return f"Short: {short_description}"


def matched_text(why: str) -> str:
    """Why a code matched the search, when not by CMS's own words."""
    return f"Matched by: {why}"


def page_status_text(page) -> str:
    """A code page's status line: "● Active since 2002-01-01 · Coverage I — Non-covered by Medicare"."""
    coverage = page["coverage"]
    said = status_line(page.status, page["termination_date"].value, page["added_date"].value)
    return said + (f" · Coverage {value_meaning(coverage.value, field_meaning(coverage))}" if coverage.value else "")


def noc_text() -> str:
    return f"{NOC_MARK}: {NOC_HINT}"


def code_named_text(code: str, named: dict[str, str]) -> str:
    """"A4467 Elastic garment/covering": a code with its short description when the release has it."""
    return f"{code} {named[code]}" if code in named else code


def value_text(field) -> str:
    """A field's value with its meaning as the page says it ("39 — no meaning in this release's record
    layout" for a coded value the release cannot decode), for copying and exporting."""
    return value_meaning(field.value, field_meaning(field))


def field_text(field, named: dict[str, str]) -> str:
    """A field's value as the page says it: a cross reference with the code's short description, a coded value
    with its meaning (and a word on a letter O, which a fixed-width font draws much as a 0)."""
    if field.key.startswith("cross_reference") and field.value:
        return code_named_text(field.value, named)
    value = f"{field.value} {LETTER_O}" if field.kind == "code" and "O" in field.value else field.value
    return value_meaning(value, field_meaning(field))


def referral_text(referral) -> str:
    """"A4467 Elastic garment (terminated) — by cross reference": a code that refers to the one shown."""
    status = f" ({referral.status})" if referral.status != Status.ACTIVE else ""
    return f"{code_named_text(referral.code, {referral.code: referral.short_description})}{status} — {referral.how}"


def terminated_banner_text(page, named: dict[str, str], suggested: list[tuple[str, str]]) -> str:
    """"✖ Terminated 2016-12-31 · Replaced by A4467 Elastic garment/covering" at the top of a terminated code's
    page; without a cross reference, the active codes suggested for the same item or drug, marked as such."""
    replacements = [f.value for f in page.fields if f.key.startswith("cross_reference") and f.value]
    said = f"✖ {status_text(Status.TERMINATED, page['termination_date'].value)}"
    if replacements:
        said += f" · {REPLACED_BY} " + ", ".join(code_named_text(code, named) for code in replacements)
    elif suggested:
        said += f" · {SUGGESTED} " + ", ".join(code_named_text(code, dict(suggested)) for code, _ in suggested)
    return said


def source_text(release_name: str) -> str:
    return f"Source: CMS HCPCS {release_name}."


def correction_text(correction) -> str:
    """"Revise Cov/Price, effective 2026-01-01: Coverage C, Pricing 11 (April 2026 corrections,
    HCPC2026_APR_Corrections.xlsx)"."""
    given = ", ".join(f"{column} {value}" for column, value in correction.details.items())
    when = f", effective {correction.effective}" if correction.effective else ""
    release = date.fromisoformat(correction.release_date).strftime("%B %Y")
    return (f"{correction.action}{when}" + (f": {given}" if given else "")
            + f" ({release} corrections, {correction.source})")


def referrals_title(code: str) -> str:
    return f"Codes that refer to {code}"


def show_all_text(count: int) -> str:
    return f"Show all {count} codes that refer to it"


def noted_reason(note: str) -> str:
    """Why a code matched a search by the coder's note: "your note: payer X wants KX here"."""
    first = note.splitlines()[0] if note else ""
    more = len(first) > 80 or len(note.splitlines()) > 1
    return f"your note: {first[:80]}{'…' if more else ''}"


def source_line(code: str, short_description: str, release_name: str) -> str:
    """"S9353 — Hit cont insulin diem (CMS HCPCS October 2025)": a code as cited with its source."""
    return f"{code} — {short_description} (CMS HCPCS {release_name})"


CLIPBOARD_EMPTY = "The clipboard holds no text to look up"


def note_prompt(code: str) -> str:
    return f"Your note on {code} (kept on this computer only; empty removes it). Ctrl+Enter saves:"


NOTE_SAVE = "&Save"
NOTE_DISCARD = "&Discard"
NOTE_KEEP_EDITING = "&Keep editing"


def discard_note_question(code: str) -> str:
    return f"Drop what you typed in the note on {code}?"


NO_CODE_TO_PRINT = "Open a code first: its page is what is printed"


def printed_title(code: str, short_description: str, release_name: str) -> str:
    """The title of a printed page or PDF: "S9353 Hit cont insulin diem — CMS HCPCS October 2025"."""
    return f"{code} {short_description} — CMS HCPCS {release_name}"


def printed_codes_title(count: int, release_name: str) -> str:
    """The title of several codes' pages printed together: "3 codes — CMS HCPCS October 2025"."""
    return f"{count} codes — CMS HCPCS {release_name}"


SAVE_LIST_PDF = "Save the list as PDF…"
EXPORT_LIST_CSV = "Export the list as CSV…"


def note_title(written: str) -> str:
    """"Your note (written 2026-03-02)", or "Your note" when its day is not known."""
    return f"{NOTE_TITLE} (written {written})" if written else NOTE_TITLE


def shared_text(notes: int, lists: int, path) -> str:
    return f"Saved {notes:,} note{'s' if notes != 1 else ''} and {lists:,} list{'s' if lists != 1 else ''} to {path}"


def imported_notes_text(done) -> str:
    """What reading a shared file of notes and lists did (an `Imported`)."""
    parts = [f"{done.added:,} note{'s' if done.added != 1 else ''} added"]
    if done.replaced:
        parts.append(f"{done.replaced:,} replaced by later ones")
    if done.kept:
        parts.append(f"{done.kept:,} of yours kept (written the same day or later)")
    parts.append(f"{done.listed:,} code{'s' if done.listed != 1 else ''} put in favorites lists")
    return "; ".join(parts)


def list_prompt(code: str) -> str:
    return f"List for favorite {code} (type a new name, or leave empty for none):"


def in_list_text(name: str) -> str:
    return f"in “{name}”"


def listed_text(code: str, name: str) -> str:
    return f"{code} is in the favorites list “{name}”" if name else f"{code} is in no favorites list"


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
    """"October 2025 release (7,912 codes) · 13 months old" (the window's title names CMS HCPCS)."""
    return f"{release['name']} release ({release['procedures'] + release['modifiers']:,} codes) · {age_text(months)}"


STALE_TEXT = "CMS publishes quarterly:"  # short: it shares the status bar with the release line
STALE_LINK = "newer releases"


def no_browser_text(url: str) -> str:
    return f"No web browser could be opened; the address is copied: {url}"


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


def on_date_heading(date) -> str:
    """The results' Status column with a date of service entered: "On 2026-02-01"."""
    return f"On {date.isoformat()}"


def row_validity_text(facts) -> str:
    """A result row's word on the date of service entered: "✔ Valid", "✖ Terminated 2025-12-31" …"""
    from .data.validity import Reason

    return {
        Reason.IN_EFFECT: "✔ Valid",
        Reason.NOT_YET_ADDED: f"✖ Added {facts.added_date}",
        Reason.TERMINATED: f"✖ Terminated {facts.termination_date}",
        Reason.DROPPED: "✖ Dropped",
        Reason.UNKNOWN_CODE: "? Not listed",
    }[facts.reason]


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
    if facts.reason == Reason.IN_EFFECT:
        return f"✔ Valid on {day} (added {facts.added_date}{ended}). {applied}."
    return f"✖ Not valid on {day}: {not_valid_reason(facts)}. {applied}."


def not_valid_reason(facts) -> str:
    """Why a code was not valid on a date of service (a DateOfService): "terminated 2025-12-31, before
    that date", "added 2026-04-01, after that date", "dropped from the code set (not in April 2026)"."""
    from .data.validity import Reason

    return {
        Reason.NOT_YET_ADDED: f"added {facts.added_date}, after that date",
        Reason.TERMINATED: f"terminated {facts.termination_date}, before that date",
        Reason.DROPPED: f"dropped from the code set (not in {facts.release.name if facts.release else 'the release then'})",
    }[facts.reason]
