"""Units to bill for a dose, and the rule that says so."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hcpcs_desktop.data.billing_units import (
    NOT_CONVERTIBLE, NOT_POSITIVE, UNREADABLE, Quantity, Units, UnitsProblem, billing_units, convert, describe,
    read_quantity,
)
from hcpcs_desktop.data.doses import read_dose

ENOXAPARIN = read_dose("Injection, enoxaparin sodium, 10 mg")
DIPHENHYDRAMINE = read_dose("Injection, diphenhydramine hcl, up to 50 mg")


@pytest.mark.parametrize(
    ("dose", "typed", "units", "line"),
    [
        (ENOXAPARIN, "40mg", 4, "40 mg ÷ 10 mg = 4 units"),
        (ENOXAPARIN, "40 mg", 4, "40 mg ÷ 10 mg = 4 units"),
        (ENOXAPARIN, " 40  MG ", 4, "40 mg ÷ 10 mg = 4 units"),
        (ENOXAPARIN, "40", 4, "40 mg ÷ 10 mg = 4 units"),
        (ENOXAPARIN, "0.04 g", 4, "0.04 g = 40 mg; 40 mg ÷ 10 mg = 4 units"),
        (ENOXAPARIN, "40000 mcg", 4, "40,000 mcg = 40 mg; 40 mg ÷ 10 mg = 4 units"),
        (ENOXAPARIN, "45 mg", 5, "45 mg ÷ 10 mg = 4.5, rounded up to 5 units"),
        (ENOXAPARIN, "5 mg", 1, "5 mg ÷ 10 mg = 0.5, rounded up to 1 unit"),
        (ENOXAPARIN, "10 mg", 1, "10 mg ÷ 10 mg = 1 unit"),
        (DIPHENHYDRAMINE, "25 mg", 1, "up to 50 mg: 25 mg = 1 unit"),
        (DIPHENHYDRAMINE, "50 mg", 1, "up to 50 mg: 50 mg = 1 unit"),
        (DIPHENHYDRAMINE, "75 mg", 2, "up to 50 mg each: 75 mg ÷ 50 mg = 1.5, rounded up to 2 units"),
        (read_dose("Injection, gizmo, 30 mg"), "100 mg", 4, "100 mg ÷ 30 mg = 3.33, rounded up to 4 units"),
        (read_dose("Injection, plumbanol, per vial"), "3", 3, "3 vials ÷ 1 vial = 3 units"),
        (read_dose("Injection, plumbanol, per vial"), "2 vials", 2, "2 vials ÷ 1 vial = 2 units"),
        (read_dose("Injection, gizmo, 0.1 ml"), "1 ml", 10, "1 ml ÷ 0.1 ml = 10 units"),
        (read_dose("Widget factor, per i.u."), "1,500 IU", 1500, "1,500 IU ÷ 1 IU = 1,500 units"),
        (read_dose("Injection, gizmotoxin, 1 unit"), "100 units", 100, "100 units ÷ 1 unit = 100 units"),
        (read_dose("Gizmium, per 0.5 millicurie"), "2 mCi", 4, "2 mCi ÷ 0.5 mCi = 4 units"),
        (read_dose("Gizmium, per 0.5 millicurie"), "500 uCi", 1, "500 uCi = 0.5 mCi; 0.5 mCi ÷ 0.5 mCi = 1 unit"),
    ],
)
def test_units_and_the_rule_shown(dose, typed, units, line):
    result = billing_units(dose, typed)
    assert isinstance(result, Units)
    assert result.units == units
    assert describe(result) == line


def test_a_whole_multiple_is_not_rounded_and_a_part_is():
    assert not billing_units(ENOXAPARIN, "40 mg").rounded
    assert billing_units(ENOXAPARIN, "41 mg").rounded
    assert not billing_units(DIPHENHYDRAMINE, "1 mg").rounded


@pytest.mark.parametrize(
    ("dose", "typed", "kind", "line"),
    [
        (ENOXAPARIN, "2 ml", NOT_CONVERTIBLE,
         "ml cannot be converted to mg: the code is billed per 10 mg; give the dose in mcg, mg, g"),
        (read_dose("Injection, gizmo, 0.1 ml"), "5 mg", NOT_CONVERTIBLE,
         "mg cannot be converted to ml: the code is billed per 0.1 ml; give the dose in ml"),
        (read_dose("Widget factor, per i.u."), "100 units", NOT_CONVERTIBLE,
         "units cannot be converted to IU: the code is billed per 1 IU; give the dose in IU"),
        (DIPHENHYDRAMINE, "2 vials", NOT_CONVERTIBLE,
         "vial cannot be converted to mg: the code is billed per up to 50 mg; give the dose in mcg, mg, g"),
        (ENOXAPARIN, "lots", UNREADABLE, "“lots” is not a dose: type an amount and its unit, e.g. 40 mg"),
        (ENOXAPARIN, "40 furlongs", UNREADABLE,
         "“40 furlongs” is not a dose: type an amount and its unit, e.g. 40 mg"),
        (ENOXAPARIN, "", UNREADABLE, "“” is not a dose: type an amount and its unit, e.g. 40 mg"),
        (ENOXAPARIN, "0 mg", NOT_POSITIVE, "a dose must be more than 0"),
    ],
)
def test_a_dose_that_gives_no_units_says_why(dose, typed, kind, line):
    result = billing_units(dose, typed)
    assert isinstance(result, UnitsProblem) and result.kind == kind
    assert describe(result) == line


def test_conversions_between_mass_units_and_none_across_kinds():
    assert convert(Quantity(Decimal("1.5"), "g"), "mg") == Quantity(Decimal("1500.0"), "mg")
    assert convert(Quantity(Decimal(250), "mcg"), "mg").amount == Decimal("0.25")
    assert convert(Quantity(Decimal(2), "mg"), "mcg").amount == 2000
    assert convert(Quantity(Decimal(2), "ml"), "mg") is None
    assert convert(Quantity(Decimal(2), "units"), "IU") is None
    assert convert(Quantity(Decimal(2), "vial"), "vial") == Quantity(Decimal(2), "vial")


@pytest.mark.parametrize(
    ("typed", "quantity"),
    [("40mg", ("40", "mg")), ("1,000 units", ("1000", "units")), (".5 ml", (".5", "ml")),
     ("250 µg", ("250", "mcg")), ("2 grams", ("2", "g")), ("3", ("3", "mg")), ("1 i.u.", ("1", "IU"))],
)
def test_a_typed_dose_is_read_with_its_unit(typed, quantity):
    assert read_quantity(typed, "mg") == Quantity(Decimal(quantity[0]), quantity[1])


@pytest.mark.parametrize("typed", ["mg", "40 mg 3", "forty mg", "-5 mg", "4e5 mg", "1.2.3 mg"])
def test_what_is_no_dose_is_not_read(typed):
    assert read_quantity(typed, "mg") is None
