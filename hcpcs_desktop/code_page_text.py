"""A code's page as the terminal prints it (`show CODE`): what the window's detail pane says of the same
`CodeView`, line by line and worded by `wording` as the pane words it, the units line of a drug code
included. The Medicare payment section is the line that sums it up (as the pane shows it until the coder
asks for its tables); `show --json` carries every figure. Nothing here imports Qt.
"""

from __future__ import annotations

from .code_view import GROUP_ORDER, HEADER_KEYS, CodeView
from .data.payment import PaymentFacts
from .search.engine import Status
from .wording import (
    CORRECTIONS_TITLE,
    HISTORY_TITLE,
    PAYMENT_TITLE,
    correction_text,
    field_text,
    noc_text,
    note_title,
    off_schedule_text,
    page_status_text,
    payment_date_text,
    payment_summary_text,
    referral_text,
    referrals_title,
    short_text,
    source_text,
    terminated_banner_text,
)


def page_lines(view: CodeView, state: str = "") -> list[str]:
    """The lines of the page `view`, with `state`'s DMEPOS fees (""; the fee ceilings)."""
    page, named = view.page, view.related.named
    lines = [terminated_banner_text(page, named, view.suggested)] if page.status == Status.TERMINATED else []
    lines += [f"{page.code}  {page.kind.capitalize()}", page.long_description, short_text(page.short_description),
              page_status_text(page)]
    if page.unclassified:
        lines.append(noc_text())
    if view.service_date:
        lines.append(view.service_date)
    billing = view.billing()
    if billing is not None:  # the units line, before a dose is given
        said = billing.units("")
        lines += [line for line in (said.said, said.limits) if line]
    if page.corrections:
        lines += [f"{CORRECTIONS_TITLE}:", *(f"  {correction_text(c)}" for c in page.corrections)]
    if view.note:
        lines.append(f"{note_title(view.note_written)}: " + "\n".join(view.note.splitlines()))
    lines += _fields(view)
    if view.related.referrals:
        lines += ["", referrals_title(page.code), *(f"  {referral_text(r)}" for r in view.related.referrals)]
    lines += payment_lines(view.payment, state)
    if view.history:
        lines += ["", HISTORY_TITLE, *(f"  {event}" for event in view.history)]
    return [*lines, "", source_text(view.release_name)]


def _fields(view: CodeView) -> list[str]:
    """Each group of filled fields under its title, a field a line: label, value and meaning."""
    lines = []
    for group in GROUP_ORDER:
        fields = [f for f in view.page.fields if f.group == group and f.key not in HEADER_KEYS and f.value]
        if fields:
            width = max(len(f.label) for f in fields)
            lines += ["", group, *(f"  {f.label:<{width}}  {field_text(f, view.related.named)}" for f in fields)]
    return lines


def payment_lines(facts: PaymentFacts | None, state: str) -> list[str]:
    """The Medicare payment section summed up, as the detail pane shows it ([] with nothing to say)."""
    if facts is None or not facts.worth_saying:
        return []
    lines = ["", PAYMENT_TITLE]
    if facts.release_note:
        lines.append(facts.release_note)
    if facts.service_date:
        lines.append(payment_date_text(facts))
    lines.append(payment_summary_text(facts, state) if facts.has_tables else f"{off_schedule_text(facts)}.")
    return lines
