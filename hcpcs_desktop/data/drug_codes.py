"""The drug codes of a release: drug name, billing dose and routes, one `drug_codes` row each.

Written at build time from the records (the dose, see `doses`) and CMS's Table of Drugs
(the routes: the bridge rows of source "cms drug table" whose code still means what it
meant then); read back by the Table of Drugs view and the units line and command.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from decimal import Decimal

from .bridges import DRUG_TABLE, Bridges, same_meaning
from .database import reads_database
from .doses import AMOUNT, Dose, Unread, is_drug_code, may_be_drug_code, read_dose
from .drug_table import ROUTES

# What a description says before the drug's name: "Injection, enoxaparin sodium, 10 mg".
_FORM_WORDS = re.compile(r"^(?:injection|inj|infusion|instillation|iv|injectable)$", re.IGNORECASE)
_OUTSIDE_PARENS = re.compile(r",\s*(?![^()]*\))")
_ROUTES_AT_END = re.compile(rf"(?:\s|^)((?:{'|'.join(ROUTES)})(?:\s*,\s*(?:{'|'.join(ROUTES)}))*)$")
_PARENS_WITH_AMOUNT = re.compile(r"\s*\([^()]*\d[^()]*\)")
_TRAILING_DOSE = re.compile(r"[\s,]+(?:per\s+|up to\s+)?\d[\d.,]*\s*\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class DrugCode:
    """One row of the Table of Drugs view."""

    code: str
    status: str  # active | terminated
    drug: str  # "enoxaparin sodium"
    brands: str  # "clexane, lovenox" (the brand names tied to the code), or ""
    dose: Dose | None  # None when the description gives none
    no_dose: str  # why there is no dose (see `doses`), or ""
    routes: str  # "IM, IV" from CMS's Table of Drugs, or ""
    description: str


def drug_name(description: str, dose: str = "") -> str:
    """The drug a description names: its first part that is no form word ("Injection"), without
    its `dose` as written ("Factor viii (...) per i.u.") or another amount ("Ondansetron 1 mg")."""
    parts = [p.strip() for p in _OUTSIDE_PARENS.split(description) if p.strip()]
    for part in parts:
        if not _FORM_WORDS.match(part):
            if dose and part.lower().endswith(dose.lower()) and len(part) > len(dose):
                part = part[: -len(dose)].rstrip(" ,")
            part = _PARENS_WITH_AMOUNT.sub(" ", part)  # "(500 ml = 1 unit)"; "(b braun)" stays
            name = " ".join(AMOUNT.sub(" ", _TRAILING_DOSE.sub("", part)).split()).strip(" ,") or part
            name = re.sub(r"^(?:injection|inj)\s+", "", name, flags=re.IGNORECASE)
            return name[:1].upper() + name[1:]
    return description


def routes_by_code(bridges: Bridges, records: list[dict]) -> dict[str, str]:
    """Code -> "IM, IV": the routes CMS's Table of Drugs gives a code that still means the same."""
    described = {r["code"]: r["long_description"] for r in records}
    found: dict[str, list[str]] = {}
    for row in bridges.index_terms:
        now = described.get(row["code"])
        if row["source"] != DRUG_TABLE or now is None or not same_meaning(row["described_as"], now):
            continue
        match = _ROUTES_AT_END.search(row["via"].rpartition(" › ")[2])
        if match:
            routes = found.setdefault(row["code"], [])
            routes += [r for r in re.split(r"\s*,\s*", match.group(1)) if r not in routes]
    return {code: ", ".join(routes) for code, routes in found.items()}


def drug_code_rows(records: list[dict], bridges: Bridges) -> tuple[list[dict], list[Unread]]:
    """The `drug_codes` rows of a release, and the drug codes whose dose could not be read."""
    routes = routes_by_code(bridges, records)
    rows, unread = [], []
    for record in records:
        if record["kind"] != "procedure" or not may_be_drug_code(record["code"]):
            continue
        description = record["long_description"]
        dose = read_dose(description)
        if not is_drug_code(record["code"], description, dose):
            continue
        row = {"code": record["code"], "drug": drug_name(description, dose.text if isinstance(dose, Dose) else ""), "amount": None, "unit": None,
               "up_to": 0, "dose": None, "no_dose": None, "routes": routes.get(record["code"], "")}
        if isinstance(dose, Dose):
            row.update(amount=str(dose.amount), unit=dose.unit, up_to=int(dose.up_to), dose=dose.text)
        else:
            row["no_dose"] = dose
            unread.append(Unread(record["code"], dose))
        rows.append(row)
    return rows, unread


_SELECT = """
SELECT d.*, c.status, c.long_description,
       coalesce((SELECT group_concat(term, ', ') FROM (
           SELECT DISTINCT term FROM code_terms t
           WHERE t.code = d.code AND t.source = 'brand' ORDER BY term)), '') AS brands
FROM drug_codes d JOIN codes c USING (code)
"""


@reads_database
def load_drug_codes(conn: sqlite3.Connection) -> list[DrugCode]:
    """Every drug code of a database, active first, each part in code order."""
    return [_drug_code(row) for row in conn.execute(_SELECT + " ORDER BY c.rowid")]


@reads_database
def load_drug_code(conn: sqlite3.Connection, code: str) -> DrugCode | None:
    """The drug code `code` (case and blanks ignored), or None when it is no drug code."""
    code = code.strip().upper()
    return load_drug_codes_of(conn, [code]).get(code)


@reads_database
def load_drug_codes_of(conn: sqlite3.Connection, codes: list[str]) -> dict[str, DrugCode]:
    """{code: its drug code} of those of `codes` (upper case) that are drug codes, read at once."""
    return {row["code"]: _drug_code(row) for row in conn.execute(
        _SELECT + " WHERE d.code IN (SELECT value FROM json_each(?))", (json.dumps(list(codes)),))}


def _drug_code(row) -> DrugCode:
    """A drug code from its row; a dose amount that is no number (or an infinite one) is damage,
    raised as SQLite's own error so that the reader ends in one line naming the file."""
    try:
        amount = Decimal(row["amount"]) if row["amount"] is not None else None
        if amount is not None and not amount.is_finite():
            raise ValueError(amount)
        dose = Dose(amount, row["unit"], bool(row["up_to"]), row["dose"]) if amount is not None else None
    except (ArithmeticError, TypeError, ValueError):
        raise sqlite3.DatabaseError(f"a drug code's dose holds {row['amount']!r:.40} where a number belongs") from None
    return DrugCode(row["code"], row["status"], row["drug"], row["brands"], dose, row["no_dose"] or "",
                    row["routes"], row["long_description"])
