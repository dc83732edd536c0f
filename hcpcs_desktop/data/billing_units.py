"""Units to bill for a dose given, in the unit of a drug code's dose.

`billing_units(dose, typed)` returns the facts (`Units`, or `UnitsProblem` when no honest
answer exists); `describe` words them, for the window and the command line alike:

    40 mg ÷ 10 mg = 4 units
    0.04 g = 40 mg; 40 mg ÷ 10 mg = 4 units
    45 mg ÷ 10 mg = 4.5, rounded up to 5 units
    up to 50 mg: 25 mg = 1 unit

mg, mcg and g convert into one another, as do mCi and uCi; ml, units, IU and the rest only
into themselves. A dose in a unit that does not convert (mg given, the code counts ml) is a
problem, never a guess. A bare number is taken in the code's own unit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from .doses import COUNTED, MEASURED, UNIT_WORDS, Dose

# What a coder may type after the number, beyond CMS's own unit words.
TYPED_UNITS = {
    **UNIT_WORDS, "ug": "mcg", "µg": "mcg", "mcgs": "mcg", "mgs": "mg", "gms": "g", "mls": "ml",
    "iu": "IU", "ius": "IU", "international units": "IU", "millicuries": "mCi", "microcuries": "uCi",
    **{word: word for word in COUNTED}, **{f"{word}s": word for word in COUNTED if word != "each"},
    "single unit doses": "single unit dose", "single unit dose": "single unit dose",
}
_TYPED = re.compile(r"^\s*(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.?\d+)\s*(?P<unit>[^\d\s].*?)?\s*$")

# Why no units can be given.
UNREADABLE = "unreadable"  # the typed text is no amount
NOT_POSITIVE = "not positive"  # zero
NOT_CONVERTIBLE = "not convertible"  # a unit that does not convert into the code's


@dataclass(frozen=True)
class Quantity:
    amount: Decimal
    unit: str


@dataclass(frozen=True)
class Units:
    """The units to bill: `given` (as typed), `converted` into the code's unit, over `dose`."""

    dose: Dose
    given: Quantity
    converted: Quantity
    ratio: Fraction  # converted amount / dose amount
    units: int  # the ratio rounded up, at least 1

    @property
    def rounded(self) -> bool:
        """Whether the dose is no whole multiple of the code's (below an "up to" cap is whole)."""
        return self.ratio != self.units and not (self.dose.up_to and self.ratio <= 1)


@dataclass(frozen=True)
class UnitsProblem:
    """Why a typed dose gives no units: `kind` is one of the constants above."""

    kind: str
    typed: str
    dose: Dose
    given: Quantity | None = None


def read_quantity(typed: str, default_unit: str) -> Quantity | None:
    """"40mg", "40 mg", "1,000 units", "2 vials", or a bare number in `default_unit`; None otherwise."""
    match = _TYPED.match(typed)
    if not match:
        return None
    word = (match.group("unit") or "").strip().lower()
    unit = TYPED_UNITS.get(word) if word else default_unit
    if unit is None:
        return None
    try:
        return Quantity(Decimal(match.group("number").replace(",", "")), unit)
    except InvalidOperation:
        return None


def billing_units(dose: Dose, typed: str) -> Units | UnitsProblem:
    """The units to bill for the dose `typed` of a code billed per `dose`."""
    given = read_quantity(typed, dose.unit)
    if given is None:
        return UnitsProblem(UNREADABLE, typed, dose)
    if given.amount <= 0:
        return UnitsProblem(NOT_POSITIVE, typed, dose, given)
    converted = convert(given, dose.unit)
    if converted is None:
        return UnitsProblem(NOT_CONVERTIBLE, typed, dose, given)
    ratio = Fraction(converted.amount) / Fraction(dose.amount)
    return Units(dose, given, converted, ratio, max(1, math.ceil(ratio)))


def convert(quantity: Quantity, unit: str) -> Quantity | None:
    """`quantity` in `unit`, or None when the two do not convert into one another."""
    if quantity.unit == unit:
        return quantity
    have, want = MEASURED.get(quantity.unit), MEASURED.get(unit)
    if have is None or want is None or have[0] != want[0]:
        return None
    return Quantity(quantity.amount * have[1] / want[1], unit)


def convertible_units(unit: str) -> list[str]:
    """The units a dose for a code counted in `unit` may be typed in."""
    family = MEASURED.get(unit, (unit, None))[0]
    return [u for u, (f, _) in MEASURED.items() if f == family] or [unit]


def describe(result: Units | UnitsProblem) -> str:
    """The rule and the answer in one line (see the module's examples)."""
    if isinstance(result, UnitsProblem):
        return _problem(result)
    dose, given, converted = result.dose, result.given, result.converted
    answer = _count(result.units, "unit")
    if result.rounded:
        answer = f"{_number(result.ratio)}, rounded up to {answer}"
    conversion = f"{_quantity(given)} = {_quantity(converted)}; " if given.unit != converted.unit else ""
    per = _quantity(Quantity(dose.amount, dose.unit))
    if dose.up_to:
        if result.ratio <= 1:  # anything up to the cap is one unit: nothing rounded
            return f"up to {per}: {conversion}{_quantity(converted)} = {_count(1, 'unit')}"
        return f"up to {per} each: {conversion}{_quantity(converted)} ÷ {per} = {answer}"
    return f"{conversion}{_quantity(converted)} ÷ {per} = {answer}"


def dose_text(dose: Dose) -> str:
    """One unit of a code, as the rule writes it: "10 mg", "up to 50 mg", "1 vial", "1,000 units"."""
    return f"{'up to ' if dose.up_to else ''}{_quantity(Quantity(dose.amount, dose.unit))}"


def _problem(problem: UnitsProblem) -> str:
    dose = problem.dose
    per = dose_text(dose)
    if problem.kind == UNREADABLE:
        return f"“{problem.typed.strip()}” is not a dose: type an amount and its unit, e.g. {_example(dose)}"
    if problem.kind == NOT_POSITIVE:
        return "a dose must be more than 0"
    allowed = ", ".join(convertible_units(dose.unit))
    return (f"{problem.given.unit} cannot be converted to {dose.unit}: the code is billed per {per}; "
            f"give the dose in {allowed}")


def _example(dose: Dose) -> str:
    return _quantity(Quantity(dose.amount * 4, dose.unit))


def _number(value: Decimal | Fraction) -> str:
    """1,000 / 0.5 / 4.33: two decimals, or two significant digits below 1; never an exponent."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if value.as_tuple().exponent < -2:
        places = -2 if abs(value) >= 1 else value.adjusted() - 1
        value = value.quantize(Decimal(1).scaleb(places))
    return f"{value.normalize():,f}"


def _quantity(quantity: Quantity) -> str:
    if quantity.unit in MEASURED:
        if quantity.unit == "units":
            return _count(quantity.amount, "unit")
        return f"{_number(quantity.amount)} {quantity.unit}"
    return _count(quantity.amount, quantity.unit)


def _count(amount, thing: str) -> str:
    plural = thing if amount == 1 or thing == "each" else f"{thing}s"
    return f"{_number(Decimal(amount))} {plural}"
