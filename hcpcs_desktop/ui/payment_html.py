"""The detail pane's "Medicare payment" section as HTML: DMEPOS fees for the coder's state,
Part B drug payment limits, Medically Unlikely Edits and the NDCs billed under the code, each
figure with its period and the file it comes from.

The section shows its tables, or one line that sums them up (the fees of the coder's state, the payment
limit, the MUEs and how many NDCs, each the newest or in effect on the date of service): laying out tables
of figures takes the detail pane three times as long as the rest of the page, and the line says what a
coder reads first.

Links: `payment:tables` (the tables, or the line), `payment:state` (choose the state), `payment:states`
(every state's fees, or the state's only), `payment:ndcs` (show every NDC, or fold them again).
"""

from __future__ import annotations

import html

from ..data.payment import PaymentFacts, Source
from ..wording import (
    PAYMENT_TITLE,
    SHOW_TABLES,
    limit_money_text,
    modifiers_text,
    money_text,
    off_schedule_text,
    payment_date_text,
    payment_summary_text,
)
from .user_state import state_label

NDCS_FOLDED = 5  # NDCs listed before "show all"
# Cells padded 2 px: a narrow pane breaks fewer words of the tables of figures.
TABLE = '<table cellspacing="0" cellpadding="2" width="100%">'
GAP_PX = 10


def payment_section(facts: PaymentFacts | None, state: str, all_ndcs: bool = False, modifiers: tuple[str, ...] = (),
                    all_states: bool = False, tables: bool = True, printed: bool = False) -> str:
    """The section for `facts` ("" when there is nothing to say), with `state`'s DMEPOS fees (the rows with
    the `modifiers` typed first; with `all_states`, every state's fees too); without `tables`, the line
    that sums them up instead. `printed`: for paper, without the links and the words that go with them."""
    if facts is None:
        return ""
    if not facts.worth_saying:
        return ""
    foldable = facts.has_tables
    arrow = (f'<a href="payment:tables" style="text-decoration:none">{"▾" if tables else "▸"}</a> '
             if foldable and not printed else "")
    parts = [f'<h3 style="margin-top:14px; margin-bottom:4px"><a name="payment"></a>{arrow}{PAYMENT_TITLE}</h3>']
    if facts.release_note:
        parts.append(f"<p><b>{html.escape(facts.release_note)}</b></p>")
    if facts.service_date:
        parts.append(f'<p id="paymentDate">{html.escape(payment_date_text(facts))}</p>')
    if foldable and not tables:
        parts.append(f'<p>{html.escape(payment_summary_text(facts, state, modifiers))} · '
                     f'<a href="payment:tables">{SHOW_TABLES}</a></p>')
        return "\n".join(parts)
    sources: dict[str, Source] = {}
    if facts.dmepos:
        parts.append(_dmepos(facts, state, sources, modifiers, all_states, printed))
    elif facts.off_fee_schedule:
        parts.append(f"<p>{html.escape(off_schedule_text(facts))}.</p>")
    if facts.drug_limits:
        parts.append(_drug_limits(facts, sources))
    if facts.mue:
        parts.append(_mue(facts, sources))
    if facts.ndcs:
        parts.append(_ndcs(facts, all_ndcs, sources, printed))
    if sources:
        parts.append("<p><small>Sources:<br>" + "<br>".join(
            f"{html.escape(s.label)} (<i>{html.escape(s.name)}</i>)" for s in sources.values()) + "</small></p>")
    return "\n".join(parts)


def _heading(text: str) -> str:
    return f'<p style="margin-top:8px; margin-bottom:2px"><b>{text}</b></p>'


def _row(cells: list[str], header: bool = False, numbers: int = 0, whole_first: bool = False) -> str:
    """A table row; the `numbers` cells after the first are figures, aligned right; with `whole_first`
    the first cell is never broken across lines (an NDC read or copied off the page)."""
    tag = "th" if header else "td"
    aligns = ["left"] + ["right"] * numbers + ["left"] * (len(cells) - 1 - numbers)
    # A gap before each column after the first: a right-aligned figure never runs into the next heading.
    gap = f' style="padding-left:{GAP_PX}px"'
    keep = [' style="white-space:nowrap"' if whole_first else ""] + [gap] * (len(cells) - 1)
    return "<tr>" + "".join(f'<{tag} align="{a}" valign="top"{k}>{c}</{tag}>'
                            for a, k, c in zip(aligns, keep, cells)) + "</tr>"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _period(source: Source, sources: dict[str, Source]) -> str:
    sources[source.name] = source
    return html.escape(source.period)


def _dmepos(facts: PaymentFacts, state: str, sources: dict[str, Source], modifiers: tuple[str, ...],
            all_states: bool, printed: bool) -> str:
    change = "change" if state else "choose your state"
    every = "your state only" if all_states else "every state"
    first = f" · rows with {html.escape(', '.join(modifiers))} first" if modifiers else ""
    links = "" if printed else f' <a href="payment:state">{change}</a> · <a href="payment:states">{every}</a>'
    parts = [_heading(f'DMEPOS fee schedule — State: {html.escape(state) or "none chosen"}{links}{first}')]
    shown_state = state and any(state in fee.fees for fee in facts.dmepos)
    header = ["Modifiers", *([f"{state} non-rural", f"{state} rural"] if shown_state else []),
              "Ceiling", "Floor", "Period"]
    figures = len(header) - 2
    rows = [_row(header, True, figures)]
    for fee in sorted(facts.dmepos, key=lambda fee: -_typed(fee, modifiers)):  # the typed modifiers' rows first
        text = html.escape(modifiers_text(fee))
        text = f"<b>{text}</b>" if _typed(fee, modifiers) else text
        fees = fee.fees.get(state, [None, None]) if shown_state else []
        # CMS writes 0 where a row has no ceiling or floor, and where a state has no rural fee.
        rows.append(_row([f"<tt>{text}</tt>", *[money_text(v or None) for v in fees],
                          money_text(fee.ceiling or None), money_text(fee.floor or None),
                          _period(fee.source, sources)], numbers=figures))
    parts.append(TABLE + "".join(rows) + "</table>")
    if not state and not all_states and not printed:
        parts.append("<p><small>Choose your state to read its fees, or read every state's.</small></p>")
    elif state and not shown_state:
        parts.append(f"<p><small>The fee schedule has no column for {html.escape(state)}.</small></p>")
    if all_states:
        parts.append(_every_state(facts, modifiers))
    return "\n".join(parts)


def _typed(fee, modifiers: tuple[str, ...]) -> int:
    """How many of the modifiers typed the fee row has."""
    return len({fee.modifier, fee.modifier2} & set(modifiers))


def _every_state(facts: PaymentFacts, modifiers: tuple[str, ...]) -> str:
    """Every state's fees of the newest fee schedule, a block per modifier row (the typed modifiers' rows
    only, when some has them)."""
    newest = facts.dmepos[0].source
    fees = [fee for fee in facts.dmepos if fee.source == newest]
    fees = [fee for fee in fees if _typed(fee, modifiers)] or fees
    rows = [_row(["State", "Non-rural", "Rural"], True, 2)]
    for fee in fees:
        rows.append(f'<tr><td colspan="3"><b><tt>{html.escape(modifiers_text(fee))}</tt></b></td></tr>')
        for state in sorted(fee.fees, key=state_label):
            non_rural, rural = fee.fees[state]
            rows.append(_row([html.escape(state_label(state)), money_text(non_rural or None), money_text(rural or None)],
                             numbers=2))
    return (_heading(f"Every state's DMEPOS fees ({html.escape(newest.period)})") + TABLE + "".join(rows)
            + "</table>")


def _drug_limits(facts: PaymentFacts, sources: dict[str, Source]) -> str:
    rows = [_row(["Payment limit", "Per", "Coinsurance", "Notes", "Period"], True)]
    for limit in facts.drug_limits:
        coinsurance = f"{limit.coinsurance:g}%" if limit.coinsurance is not None else "—"
        notes = html.escape(limit.notes).replace("\n", "<br>") or "—"
        rows.append(_row([limit_money_text(limit.payment_limit), html.escape(limit.dosage), coinsurance, notes,
                          _period(limit.source, sources)]))
    return _heading("Part B drug payment limit (per billing unit)") + TABLE + "".join(rows) + "</table>"


def _mue(facts: PaymentFacts, sources: dict[str, Source]) -> str:
    rows = [_row(["Setting", "Most units a day", "Adjudication", "Rationale", "Period"], True, 1)]
    for mue in facts.mue:
        rows.append(_row([html.escape(mue.setting), _number(mue.units), html.escape(mue.adjudication),
                          html.escape(mue.rationale), _period(mue.source, sources)], numbers=1))
    return _heading("Medically Unlikely Edits") + TABLE + "".join(rows) + "</table>"


def _ndcs(facts: PaymentFacts, all_ndcs: bool, sources: dict[str, Source], printed: bool) -> str:
    newest = facts.ndcs[0].source  # the newest crosswalk, or the one in effect on the date of service
    packages = [p for p in facts.ndcs if p.source == newest]
    shown = packages if all_ndcs else packages[:NDCS_FOLDED]
    rows = [_row(["NDC", "Units per item", "Units per package", "Drug", "Labeler"], True, 2)]
    for p in shown:
        rows.append(_row([f"<tt>{html.escape(p.ndc)}</tt>", _number(p.billing_units),
                          _number(p.billing_units_per_package), html.escape(p.drug_name), html.escape(p.labeler)],
                         numbers=2, whole_first=True))
    count = len(packages)
    fold = ""
    if count > NDCS_FOLDED and not printed:
        fold = (f'<p><a href="payment:ndcs">show all {count}</a></p>' if not all_ndcs
                else '<p><a href="payment:ndcs">show fewer</a></p>')
    title = f"NDCs billed under it ({count}, {_period(newest, sources)})"
    return _heading(title) + TABLE + "".join(rows) + "</table>" + fold
