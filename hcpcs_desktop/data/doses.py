"""The dose a drug code is billed in, read from its long description.

A drug code is billed in units of the dose its description ends with: J1650 "Injection,
enoxaparin sodium, 10 mg" is one unit per 10 mg; J1200 "..., up to 50 mg" one unit for any
dose up to 50 mg; J9015 "..., per single use vial" one unit a vial. Which phrase is the
billing dose, when a description gives several:

- parentheses are remarks ("1.25 mcg (code may be used for medicare ...)") and left out;
- a "per" phrase wins ("per study dose, up to 30 millicuries": the study dose is the unit,
  the millicuries its cap; "0.36 mg per 0.25 cc": a unit of 0.25 cc);
- else the last comma-separated part that starts with an amount ("10 mg, not otherwise
  specified"), else the last amount anywhere ("Ondansetron 1 mg, oral, ...").

Besides: a final "each", a "(500 ml = 1 unit)" and a "single unit dose" are the unit; an
amount that is a rate ("per 24 hours") or a bound ("1 cc or less") is not.

Drug codes are the J codes, and the A, C, Q and S codes whose description states an amount
of drug (mass, volume, units, IU, mEq, radioactivity: see `is_drug_code`). A drug code whose
dose cannot be read gets a reason (`Unread`), for the build report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Unit words as CMS writes them -> the unit's name. Longest first in the pattern below.
UNIT_WORDS = {
    "mcg": "mcg", "microgram": "mcg", "micrograms": "mcg",
    "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "g": "g", "gm": "g", "gram": "g", "grams": "g",
    "ml": "ml", "milliliter": "ml", "milliliters": "ml", "cc": "ml",
    "unit": "units", "units": "units", "usp unit": "units", "usp units": "units",
    "iu": "IU", "i.u.": "IU", "i.u": "IU", "international unit": "IU", "international units": "IU",
    "kiu": "KIU",
    "meq": "mEq", "milliequivalent": "mEq", "milliequivalents": "mEq",
    "mci": "mCi", "millicurie": "mCi", "millicuries": "mCi",
    "uci": "uCi", "microcurie": "uCi", "microcuries": "uCi",
    "square centimeter": "sq cm", "square centimeters": "sq cm", "sq cm": "sq cm",
    "vector genomes": "vector genomes", "plaque forming units": "plaque forming units",
}
# Things counted whole: "per vial", "per therapeutic dose", "each".
COUNTED = (
    "single use vial", "single dose vial", "vial", "therapeutic dose", "study dose", "treatment dose", "dose",
    "treatment", "implant", "instillation", "patch", "bottle", "tablet", "capsule", "each",
)
# Units that measure an amount of drug, and what one of each is worth in its family's base.
MEASURED = {
    "mcg": ("mass", Decimal("0.001")), "mg": ("mass", Decimal(1)), "g": ("mass", Decimal(1000)),
    "ml": ("volume", Decimal(1)),
    "units": ("units", Decimal(1)), "IU": ("IU", Decimal(1)), "KIU": ("KIU", Decimal(1)),
    "mEq": ("mEq", Decimal(1)),
    "uCi": ("radioactivity", Decimal("0.001")), "mCi": ("radioactivity", Decimal(1)),
    "vector genomes": ("vector genomes", Decimal(1)), "plaque forming units": ("plaque forming units", Decimal(1)),
}
DRUG_SECTIONS = frozenset("ACQS")  # besides J: codes of these sections with a measured dose

_NUMBER = r"\d{1,3}(?:,\d{3})+|\d*\.\d+|\d+"
_POWER = r"\s*x\s*10\^\s*(?P<power>\d+)"
_SCALE = r"\s+(?P<scale>million|billion)"
_UNIT = "|".join(re.escape(w) for w in sorted(UNIT_WORDS, key=len, reverse=True))
_AMOUNT_RE = re.compile(rf"(?P<number>{_NUMBER})(?:{_POWER}|{_SCALE})?\s*(?P<unit>{_UNIT})(?=$|[^\w.]|\.(?!\w))",
                        re.IGNORECASE)
_LIMIT = r"(?P<limit>up to|less than or equal to|greater than|more than|over)\s+"
# An amount with its unit anywhere in a text: "up to 50 mg", "1,000 usp units", "3 million units".
AMOUNT = re.compile(rf"(?:{_LIMIT})?{_AMOUNT_RE.pattern}", re.IGNORECASE)
_COUNTED = "|".join(re.escape(w) for w in COUNTED)
# "per 10 mg", "per gm", "per i.u. of factor ix activity", "per factor viii i.u.", "per vial"
_PER_RE = re.compile(
    rf"\bper\s+(?:(?:factor [ivx]+|usp)\s+)?(?:{_AMOUNT_RE.pattern}|(?P<bare>{_UNIT})(?=$|[^\w.]|\.(?!\w))"
    rf"|(?P<counted>{_COUNTED})\b)",
    re.IGNORECASE,
)
_EACH_RE = re.compile(r"(?:^|[,;]\s*)each$", re.IGNORECASE)
_SINGLE_UNIT = re.compile(r"\bsingle unit dos(?:e|age)\b", re.IGNORECASE)
_RATE = re.compile(r"\s*(?:or (?:less|greater)\b|per \d+ (?:hours?|days?)\b|per (?:hour|minute|day)\b)", re.IGNORECASE)
# Supplies and devices measured in ml, grams or mCi that are no drug (outside the J section).
_SUPPLY = re.compile(r"\b(?:syringe|dressing|wound filler|dialysate|delivery system|supply allowance|brachytherapy)",
                     re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")
_PARTS = re.compile(r"[,;](?!\d{3}(?!\d))")
_ONE_UNIT = re.compile(rf"{_AMOUNT_RE.pattern}\s*=\s*1 unit\b", re.IGNORECASE)
_DURATION = re.compile(rf"(?:{_NUMBER})\s+days?\b", re.IGNORECASE)
_UNSPECIFIED = re.compile(r"not otherwise classified|unclassified|\bnoc\b|\bnos\b|not otherwise specified",
                          re.IGNORECASE)


@dataclass(frozen=True)
class Dose:
    """One billing unit of a drug code: amount and unit, and whether it is a cap ("up to")."""

    amount: Decimal  # 10 for "10 mg", 1 for "per vial" or "per gm"
    unit: str  # "mg", "mcg", "g", "ml", "units", "IU", "mCi", ... or a thing counted: "vial", "each"
    up_to: bool = False  # "up to 50 mg": one unit for any dose up to 50 mg
    text: str = ""  # the phrase as CMS wrote it: "up to 50 mg", "per single use vial"

    @property
    def measured(self) -> bool:
        """Whether the unit is an amount of drug (mg, ml, IU ...) rather than a thing counted."""
        return self.unit in MEASURED


@dataclass(frozen=True)
class Unread:
    """A drug code whose description gives no billing dose, and why."""

    code: str
    reason: str


# Why a drug code's dose could not be read (the build report lists each code with one).
NO_DOSE = "no dose stated"
UNSPECIFIED = "not otherwise classified: the dose is the drug's own"
DURATION = "billed by days of therapy, not by dose"
THRESHOLD = "a dose range picks the code; it is billed once"
COMBINATION = "doses of two drugs in one unit"


def read_dose(description: str) -> Dose | str:
    """The billing dose of a drug description, or the reason (one of the constants above) there is none."""
    equals = _ONE_UNIT.search(description) if "=" in description else None  # "(500 ml = 1 unit)"
    if equals:
        return Dose(_amount(equals), UNIT_WORDS[equals.group("unit").lower()], text=equals.group(0))
    text = " ".join(_PARENS.sub(" ", description).split())
    if _EACH_RE.search(text):
        return Dose(Decimal(1), "each", text="each")
    if _SINGLE_UNIT.search(text):
        return Dose(Decimal(1), "single unit dose", text=_SINGLE_UNIT.search(text).group(0))
    for match in _PER_RE.finditer(text):
        if match.group("counted"):
            return Dose(Decimal(1), _counted(match.group("counted")), text=match.group(0))
        if match.group("bare"):
            return Dose(Decimal(1), UNIT_WORDS[match.group("bare").lower()], text=match.group(0))
        return Dose(_amount(match), UNIT_WORDS[match.group("unit").lower()], text=match.group(0))
    parts = [p.strip() for p in _PARTS.split(text)]
    doses = [(part, m) for part in parts for m in AMOUNT.finditer(part) if not _RATE.match(part, m.end())]
    if not doses:
        if _DURATION.search(text):
            return DURATION
        return UNSPECIFIED if _UNSPECIFIED.search(text) else NO_DOSE
    if any(_joined(part) for part in parts):
        return COMBINATION
    leading = [(part, m) for part, m in doses if m.start() == 0]
    part, match = (leading or doses)[-1]
    limit = (match.group("limit") or "").lower()
    if limit and limit != "up to":  # "less than or equal to 3 mg", "greater than 100 mg": one code a range
        return THRESHOLD
    return Dose(_amount(match), UNIT_WORDS[match.group("unit").lower()], up_to=bool(limit), text=match.group(0))


def _states_drug_amount(text: str) -> bool:
    return any(UNIT_WORDS[m.group("unit").lower()] in MEASURED for m in AMOUNT.finditer(text))


def _joined(part: str) -> bool:
    """Whether a part names two amounts joined by "and" or "/" ("10 mg and ibuprofen 3 mg", "2mg/3mg")."""
    found = list(AMOUNT.finditer(part))
    return any(re.search(r"\band\b|/", part[a.end():b.start()]) for a, b in zip(found, found[1:]))


def _amount(match: re.Match) -> Decimal:
    amount = Decimal(match.group("number").replace(",", ""))
    if match.group("power"):
        amount *= Decimal(10) ** int(match.group("power"))
    scale = (match.group("scale") or "").lower()
    return amount * {"million": Decimal(10**6), "billion": Decimal(10**9)}.get(scale, Decimal(1))


def _counted(words: str) -> str:
    words = words.lower()
    return "vial" if words.endswith("vial") else "dose" if words.endswith("dose") else words


def may_be_drug_code(code: str) -> bool:
    """Whether a code's section holds drug codes at all (the rest need no reading)."""
    return code[:1] == "J" or code[:1] in DRUG_SECTIONS


def is_drug_code(code: str, description: str, dose: Dose | str) -> bool:
    """J codes, and codes of `DRUG_SECTIONS` billed by a dose that is, is capped by or falls in a
    range of an amount of drug ("0.5 mg"; "per study dose, up to 25 millicuries"; "greater than
    100 mg"), and that are no supply (a syringe's size, a dressing by the gram)."""
    if code.startswith("J"):
        return True
    if code[:1] not in DRUG_SECTIONS or _SUPPLY.search(description):
        return False
    if isinstance(dose, Dose) and dose.measured:
        return True
    return (isinstance(dose, Dose) or dose == THRESHOLD) and _states_drug_amount(_PARENS.sub(" ", description))
