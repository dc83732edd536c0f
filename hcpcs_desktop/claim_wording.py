"""The words the coder reads about checked claim lines, written once for the window and the
command line: each finding, the verdicts, the summary, and the columns of the results copied or
written as CSV.

`claim_checks` finds the facts and calls these; nothing here reads a database.
"""

from __future__ import annotations

from decimal import Decimal

from .claim_lines import MAX_LINE_CHARS, MAX_LINES
from .search.query import NDC_UNITS
from .wording import not_valid_reason, over_mue_text, setting_name

VERDICT_MARKS = {"ok": "✔ ok", "warning": "⚠ warning", "error": "✖ error"}
FINDING_MARKS = {"note": "·", "warning": "⚠", "error": "✖"}
HEADERS = ("Line", "Verdict", "Code", "Modifiers", "Units", "Date of service", "NDC", "Amount", "Reasons", "As pasted")
PASTE_HINT = ("Paste claim lines, one a line: code, modifiers, units, date of service, NDC with its unit and "
              "quantity (e.g. E0601 RR KX x1 02/01/2026, or J1650 JZ 4 02/01/2026 N4 00075062040 ML0.4), "
              "with or without a header row.")
WINDOW_TITLE = "Check claim lines"
NONE_CHOSEN = "none chosen"
TABLE_HINT = ("Click a line, or press Enter on it, to open its code. Ctrl+C copies the lines selected, "
              "Copy results every line; both paste into a spreadsheet.")
NOTHING_OPEN = "No release is open: no line is checked."
NO_LINES = "No claim lines to check."
NO_PAYMENT_FILES = "This database holds no Medicare payment files: fees, MUEs and NDCs are not checked."
# An MUE's adjudication indicator (the digit its file starts the column with), in words.
ADJUDICATION = {
    "1": "a line edit: the units over it on this line are denied",
    "2": "a date-of-service edit (policy): the units over it that day are denied",
    "3": "a date-of-service edit (clinical): the units over it that day are denied unless records show the need",
}


def line_cut() -> str:
    return f"The line is longer than {MAX_LINE_CHARS:,} characters: the rest is not read"


NO_CODE = "No HCPCS code on the line"


def not_a_code(code: str) -> str:
    return f"“{code}” is not a HCPCS code"


def cpt_code(code: str) -> str:
    return f"{code} is a CPT code, not HCPCS Level II: not checked"


def unknown_code(code: str, releases: list) -> str:
    known = f" ({releases[0].name} to {releases[-1].name})" if len(releases) > 1 else (
        f" ({releases[0].name})" if releases else "")
    return f"{code} is not a HCPCS code of any stored release{known}"


def not_valid(facts, day: str, replacements: list[str]) -> str:
    """"G0001 was not valid on 2026-02-01: terminated 2012-12-31, before that date; replaced by G0306, G0476"
    (`facts`: a DateOfService)."""
    replaced = f"; replaced by {', '.join(replacements)}" if replacements else ""
    return f"{facts.code} was not valid on {day}: {not_valid_reason(facts)}{replaced}"


def no_date(release_name: str, day: str) -> str:
    return f"No date of service: checked as of the {release_name} release ({day})"


def bad_date(problem: str) -> str:
    return f"Date of service: {problem}"


def bad_through(problem: str) -> str:
    return f"Last date of service: {problem}"


def through_before(day: str, through: str) -> str:
    return f"The last date of service, {through}, is before the first, {day}"


def noc_undescribed(code: str) -> str:
    return (f"{code} is not otherwise classified (NOC): the claim must name the drug or item, "
            "and this line names none")


def noc_described(code: str, description: str) -> str:
    return f"{code} is not otherwise classified (NOC), described as “{description}”"


def too_many_modifiers(count: int) -> str:
    return f"{count} modifiers: a claim line holds 4"


def not_a_modifier(modifier: str) -> str:
    return f"“{modifier}” is not a modifier: a modifier is two letters or digits"


def cpt_modifier(modifier: str) -> str:
    return f"Modifier {modifier} is a CPT modifier, not HCPCS Level II: not checked"


def unknown_modifier(modifier: str) -> str:
    return f"{modifier} is not a HCPCS modifier"


def repeated_modifier(modifier: str) -> str:
    return f"Modifier {modifier} is given twice"


def modifier_not_valid(facts, day: str) -> str:
    return f"Modifier {facts.code} was not valid on {day}: {not_valid_reason(facts)}"


def _pairs(pairs: list[tuple[str, str]]) -> str:
    written = sorted({" ".join(m for m in pair if m) or "no modifier" for pair in pairs})
    return "; ".join(written)


def not_priced_with(code: str, modifiers: list[str], pairs: list[tuple[str, str]], schedule: str) -> str:
    """The line's pricing modifiers are none the fee schedule lists for the code."""
    if not modifiers:
        return f"{code} needs a pricing modifier: it is priced with {_pairs(pairs)} ({schedule})"
    return f"{code} is not priced with {' '.join(modifiers)}: it is priced with {_pairs(pairs)} ({schedule})"


def pricing_first(modifiers: list[str]) -> str:
    return f"{' '.join(modifiers)} should come first: pricing modifiers go before the others"


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def dmepos_fee(state: str, non_rural: float, rural: float, units: int, schedule: str) -> str:
    """"PA fee $50.04 non-rural, $91.18 rural × 2 = $100.08 non-rural, $182.36 rural (DMEPOS fee schedule, …)";
    a rural fee of 0 (none given) is left out."""
    fees = [(Decimal(str(fee)), where) for fee, where in ((non_rural, "non-rural"), (rural, "rural")) if fee]
    each = ", ".join(f"{_money(fee)} {where}" for fee, where in fees) or _money(Decimal(0))
    if units == 1:
        return f"{state} fee {each} ({schedule})"
    total = ", ".join(f"{_money(fee * units)} {where}" for fee, where in fees) or _money(Decimal(0))
    return f"{state} fee {each} × {units:,} = {total} ({schedule})"


NO_STATE = "No state chosen: the DMEPOS fee is given for the state chosen"


def state_not_in(state: str, schedule: str) -> str:
    return f"The {schedule} gives no fees for {state}"


def not_covering(day: str, label: str) -> str:
    return f"No file here covers {day}: the newest, {label}, is used"


def units_not_a_number(units: str) -> str:
    return f"Units “{units}” is not a number"


def units_not_positive(units: str) -> str:
    return f"Units {units}: must be more than 0"


def units_implausible(units: str, most: int) -> str:
    return f"Units {units}: more than {most:,} on one line is not a plausible claim"


def units_fraction(units: str, whole: int) -> str:
    return f"Units {units}: Medicare bills whole units ({whole:,} rounded up)"


UNITS_ASSUMED = "No units given: 1 is assumed"


def units_from_ndc(units: int) -> str:
    return f"No units given: {units:,} from the NDC quantity"


def over_mue(units: int, most: float, setting: str, adjudication: str) -> str:
    """"4 units is over the MUE: 1 a day (DME Supplier); a date-of-service edit (clinical): …"."""
    words = ADJUDICATION.get(adjudication.strip()[:1], adjudication)
    return f"{over_mue_text(units, [(setting_name(setting), most)])}; {words}"


def none_billable(setting: str) -> str:
    return f"None billable ({setting_name(setting)}): its MUE in this setting is 0"


def bad_ndc(problem: str) -> str:
    return problem[:1].upper() + problem[1:]


def ndc_other_code(ndc: str, codes: list[str], code: str, label: str) -> str:
    return f"NDC {ndc} is billed under {', '.join(codes)}, not {code} ({label})"


def ndc_unlisted(ndc: str) -> str:
    return f"No NDC–HCPCS crosswalk here lists NDC {ndc}"


NDC_NO_QUANTITY = "NDC without its unit and quantity (a claim writes them after it: ML2, UN1)"


def ndc_unit_unknown(unit: str) -> str:
    return f"“{unit}” is not an NDC unit: {', '.join(NDC_UNITS)}"


def ndc_quantity_bad(quantity: str) -> str:
    return f"NDC quantity “{quantity}” is not a number more than 0"


def ndc_units(unit: str, quantity: str, rule: str) -> str:
    """"NDC quantity ML 0.4: 0.4 ml ÷ 0.4 ml an item × 4 units an item = 4 units"."""
    return f"NDC quantity {unit} {quantity}: {rule}"


def per_item_rule(items: Decimal, per_item: float, ratio: Decimal, units: int) -> str:
    """UN: "2 items × 4 units an item = 8 units"."""
    return f"{_number(items)} item{'s' if items != 1 else ''} × {per_item:g} units an item = {_rounded(ratio, units)}"


def per_volume_rule(volume: Decimal, size: float, per_item: float, ratio: Decimal, units: int) -> str:
    """ML with the crosswalk's item size: "0.4 ml ÷ 0.4 ml an item × 4 units an item = 4 units"."""
    return f"{_number(volume)} ml ÷ {size:g} ml an item × {per_item:g} units an item = {_rounded(ratio, units)}"


def _rounded(ratio: Decimal, units: int) -> str:
    whole = f"{units:,} unit{'s' if units != 1 else ''}"
    return whole if ratio == units else f"{_number(ratio)}, rounded up to {whole}"


def _number(value: Decimal) -> str:
    value = value.quantize(Decimal("0.001")) if value.as_tuple().exponent < -3 else value
    return f"{value.normalize():,f}"


def ndc_units_unknown(unit: str, quantity: str, code: str) -> str:
    return f"NDC quantity {unit} {quantity} cannot be turned into billing units of {code}"


def units_differ(units: int, from_ndc: int) -> str:
    return f"The line bills {units:,} units; its NDC quantity makes {from_ndc:,}"


def no_payment_limit(label: str) -> str:
    return f"No Part B payment limit is given ({label})"


def unread(tokens: tuple[str, ...]) -> str:
    return "Not read: " + ", ".join(tokens)


def description(text: str) -> str:
    return f"Not checked: “{text}”"


def summary(counts: dict[str, int]) -> str:
    """"12 lines: 9 ok, 2 with warnings, 1 with errors"."""
    total = sum(counts.values())
    return (f"{total:,} line{'s' if total != 1 else ''}: {counts.get('ok', 0):,} ok, "
            f"{counts.get('warning', 0):,} with warnings, {counts.get('error', 0):,} with errors")


def beyond(count: int) -> str:
    return f"{count:,} lines past the first {MAX_LINES:,} are not checked"


def checking(done: int, total: int) -> str:
    """"Checking … 3,000 of 10,000 lines"."""
    return f"Checking … {done:,} of {total:,} lines"


def copied(count: int) -> str:
    return f"{count:,} checked line{'s' if count != 1 else ''} copied, with the column titles"


def checked_with(release_name: str, state: str, setting: str) -> str:
    """"Checked against April 2026 · state PA · MUEs of DME Supplier"."""
    return (f"Checked against {release_name} · state {state or NONE_CHOSEN} · "
            f"MUEs of {setting_name(setting)}")


SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


def result_row(result) -> list[str]:
    """One row of the results shown, copied or written as CSV (see HEADERS); the reasons the worst first."""
    line = result.line
    reasons = sorted(result.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    return [str(line.number), result.verdict, line.code, " ".join(line.modifiers),
            "" if result.units is None else f"{result.units:,}", result.date, result.ndc,
            result.amount.text if result.amount else "", "; ".join(f.text for f in reasons), line.text]


def text_lines(result) -> list[str]:
    """A checked line as the command line prints it: its number, verdict and text, then each finding."""
    head = f"line {result.line.number:<5} {VERDICT_MARKS[result.verdict]:<10} {result.line.text}"
    return [head, *(f"      {FINDING_MARKS[f.severity]} {f.text}" for f in result.findings)]
