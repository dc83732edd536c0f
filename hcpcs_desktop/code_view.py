"""A code's page assembled once: everything the window says of a code (its record, the codes it
names and those that name it, the coder's note and list, its history, whether it was valid on the
date of service, its Medicare payment facts for that date and its billing dose), which the detail
pane shows and the printed page and the PDF print, so that paper never says less than the screen;
and what the units line says of a dose given, on the screen and on paper alike.

`Session.code_view` assembles a `CodeView` through the session's guarded reads. Nothing here imports Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .data.database import CodePage
from .data.fields import CLASSIFICATION, DATES, NOTES, OUTPATIENT, PAYMENT, REFERENCES
from .data.references import Related
from .search.engine import Status
from .wording import allowed_text, dose_hint_text, mue_text, no_dose_text, status_text

if TYPE_CHECKING:  # the dose rules are read with the first drug code, not at start-up
    from .data.billing_units import Units, UnitsProblem
    from .data.doses import Dose
    from .data.drug_codes import DrugCode
    from .data.payment import PaymentFacts

# The order a coder checks a code's fields: can I bill it, how is it classified, notes, dates.
GROUP_ORDER = (PAYMENT, CLASSIFICATION, NOTES, DATES, REFERENCES, OUTPATIENT)
HEADER_KEYS = ("code", "long_description", "short_description")  # the page's heading, not its fields


@dataclass(frozen=True)
class CodeView:
    """One code's page: `page` (the record and its decoded fields) and what goes with it."""

    page: CodePage
    release_name: str
    related: Related = field(default_factory=lambda: Related([], {}))  # codes it names, codes that name it
    suggested: list[tuple[str, str]] = ()  # active codes suggested for a terminated code without a cross reference
    note: str = ""  # the coder's own
    note_written: str = ""
    favorite_list: str = ""  # the favorites list the code is in
    history: list[str] = ()  # across the known releases
    service_date: str = ""  # whether it was valid on the date of service entered ("" without one)
    payment: PaymentFacts | None = None  # on the date of service, when one is entered
    drug: DrugCode | None = None  # its billing dose, for a drug code

    @property
    def code(self) -> str:
        return self.page.code

    def billing(self) -> Billing | None:
        """What the units line works the units out by; None for a code that is no drug code."""
        if self.drug is None:
            return None
        facts = self.payment
        limit = facts.drug_limits[0] if facts and facts.drug_limits else None
        mue: dict[str, float] = {}
        for edit in facts.mue if facts else []:  # newest first: the newest file of each setting
            if edit.units is not None:
                mue.setdefault(edit.setting, edit.units)
        ended = self.page.status == Status.TERMINATED
        return Billing(self.drug.dose, self.drug.no_dose, limit.payment_limit if limit else None,
                       limit.source.period if limit else "", tuple(mue.items()),
                       status_text(self.page.status, self.page["termination_date"].value) if ended else "")


@dataclass(frozen=True)
class Billing:
    """What a drug code's units are worked out by: its billing `dose` (None, with the reason `no_dose`, when
    its description gives none), the Part B payment `limit` per unit of `period`, the Medically Unlikely
    Edits per setting (the newest file of each) and its termination ("Terminated 2024-03-31", or "")."""

    dose: Dose | None = None
    no_dose: str = ""
    limit: float | None = None
    period: str = ""
    mue: tuple[tuple[str, float], ...] = ()
    terminated: str = ""

    def units(self, typed: str) -> UnitsSaid:
        """What the units line says of the dose `typed`."""
        dose, units, result = self.dose, None, None
        if dose is None:
            said = no_dose_text(self.no_dose)
        elif not typed.strip():
            from .data.billing_units import dose_text

            said = dose_hint_text(dose_text(dose))
        else:
            from .data.billing_units import Units, billing_units, describe

            result = billing_units(dose, typed)
            said = describe(result)
            units = result.units if isinstance(result, Units) else None
            if units is not None and self.limit is not None:
                said = allowed_text(said, units, self.limit, self.period)
        limits = [f"✖ {self.terminated}"] if self.terminated else []
        over = mue_text(units, list(self.mue)) if self.mue and dose is not None else ""
        limits += [over] if over else []
        return UnitsSaid(typed, result, said, units is not None, " · ".join(limits),
                         bool(self.terminated) or over.startswith("⚠"))


@dataclass(frozen=True)
class UnitsSaid:
    """The units line: the dose given, the units it bills (or a hint, or what is wrong with it) and, under
    it, the code's termination and its Medically Unlikely Edits."""

    typed: str
    result: Units | UnitsProblem | None  # the units of the dose typed, None while nothing is typed
    said: str  # "40 mg ÷ 10 mg = 4 units × $1.25 = $5.00 allowed (…)"
    answer: bool  # `said` gives the units to bill (shown in bold)
    limits: str  # "✖ Terminated 2024-03-31 · MUE 30 a day (…)", or ""
    warning: bool  # `limits` says the code is terminated or the units are over an MUE (shown in bold)

