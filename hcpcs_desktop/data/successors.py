"""The active codes suggested for a terminated code CMS names no cross reference for: those whose
long description is the terminated code's word for word (a code moved to another section: C9035
became J1943), then the active drug codes for the same drug at another dose (J1030,
methylprednisolone acetate 40 mg, ended; J1010 bills it per 1 mg). A suggestion, not CMS's word:
the window marks it so."""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache

from .database import reads_database
from .references import CROSS_REFERENCES

SUGGESTED_AT_MOST = 5


def _words(description: str) -> str:
    """A description as compared: its words and numbers, lower case, without punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", description.lower()))


@reads_database
@lru_cache(maxsize=8)
def _active_by_description(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Compared long description -> the active codes with it, in code order; read once per connection."""
    found: dict[str, list[str]] = {}
    for code, description in conn.execute(
            "SELECT code, long_description FROM codes WHERE status = 'active' ORDER BY code"):
        found.setdefault(_words(description), []).append(code)
    return {words: tuple(codes) for words, codes in found.items()}


@reads_database
def suggested_successors(conn: sqlite3.Connection, code: str) -> list[tuple[str, str]]:
    """(code, short description) of the active codes suggested for the terminated `code` (none for an
    active code or one with a cross reference)."""
    row = conn.execute(f"SELECT status, long_description, {', '.join(CROSS_REFERENCES)} FROM codes WHERE code = ?",
                       (code,)).fetchone()
    if row is None or row[0] != "terminated" or any(row[2:]):
        return []
    found = list(_active_by_description(conn).get(_words(row[1]), ()))
    drug = conn.execute("SELECT drug FROM drug_codes WHERE code = ?", (code,)).fetchone()
    if drug:
        found += [other for (other,) in conn.execute(
            "SELECT d.code FROM drug_codes d JOIN codes c USING (code) WHERE lower(d.drug) = lower(?) "
            "AND c.status = 'active' ORDER BY d.code", (drug[0],)) if other not in found]
    found = found[:SUGGESTED_AT_MOST]
    if not found:
        return []
    marks = ", ".join("?" * len(found))
    shorts = dict(conn.execute(f"SELECT code, short_description FROM codes WHERE code IN ({marks})", found))
    return [(other, shorts[other]) for other in found]
