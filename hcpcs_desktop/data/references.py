"""Codes that point at other codes: cross references, and code numbers named in descriptions.

CMS writes code numbers inside long descriptions ("use with e0733", "includes h1001-h1004");
`mentions` finds them, and `referring_codes` turns every cross reference and every mention of
a release into the list of codes that refer to a given code. That index is read once per
connection (about 30 ms for a whole release, on the first page shown) and answers every
page after in microseconds.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from .database import reads_database, text_only

CROSS_REFERENCES = tuple(f"cross_reference_{n}" for n in range(1, 6))
# A HCPCS Level II code number, or a range of them ("E0100-E0105", "h1001 - h1004", "E0100 to E0105").
MENTION = re.compile(r"\b([A-V]\d{4})(?:\s*(?:-|–|—|\bto\b|\bthrough\b)\s*([A-V]\d{4}))?\b", re.IGNORECASE)
FOUR_DIGITS = re.compile(r"\d\d\d\d")  # what every code number has: found four times faster than MENTION
BY_CROSS_REFERENCE = "cross reference"
BY_DESCRIPTION = "named in its description"


@dataclass(frozen=True)
class Mention:
    """A code number (`low` only) or a range (`low` to `high`) at text[start:end]."""

    start: int
    end: int
    low: str
    high: str = ""

    @property
    def text(self) -> str:
        """"E0733" or "E0100-E0105", upper case, as the search box reads it."""
        return f"{self.low}-{self.high}" if self.high else self.low


@dataclass(frozen=True)
class Referral:
    """`code` refers to the code asked about, `how` (BY_CROSS_REFERENCE or BY_DESCRIPTION)."""

    code: str
    short_description: str
    status: str
    how: str


def mentions(text: str) -> list[Mention]:
    """Every code number and range named in `text`, in order."""
    found = []
    for match in MENTION.finditer(text):
        low, high = match.group(1).upper(), (match.group(2) or "").upper()
        if high and high[0] != low[0]:  # "A4206-B4150" is no range of codes
            found.append(Mention(match.start(1), match.end(1), low))
            found.append(Mention(match.start(2), match.end(2), high))
        else:
            found.append(Mention(match.start(), match.end(), low, high))
    return found


@reads_database
@lru_cache(maxsize=8)
def known_codes(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """Every code of the release, in code order -> (short description, status); read once per connection."""
    codes = {code: (short, status) for code, short, status in
             conn.execute("SELECT code, short_description, status FROM codes ORDER BY code")}
    text_only(short for short, _ in codes.values())
    return codes


@reads_database
@lru_cache(maxsize=8)
def _referrals(conn: sqlite3.Connection) -> dict[str, tuple[tuple[str, str], ...]]:
    """Referred code -> ((referring code, how), …) for a whole release, read once per connection."""
    codes = known_codes(conn)
    ordered = list(codes)
    found: dict[str, dict[str, str]] = {}
    columns = ", ".join(CROSS_REFERENCES)
    for row in conn.execute(f"SELECT code, long_description, {columns} FROM codes ORDER BY code"):
        code, description = row[0], row[1]
        text_only((description,))
        for target in row[2:]:
            if target and target != code:
                found.setdefault(target, {}).setdefault(code, BY_CROSS_REFERENCE)
        for mention in mentions(description) if FOUR_DIGITS.search(description) else ():
            for target in _expand(mention, codes, ordered):
                if target != code:
                    found.setdefault(target, {}).setdefault(code, BY_DESCRIPTION)
    return {target: tuple(by.items()) for target, by in found.items()}


def read_ahead(conn: sqlite3.Connection) -> None:
    """Read the release's codes and which codes refer to which now, not with the first code's page."""
    _referrals(conn)


def _expand(mention: Mention, codes: dict, ordered: list[str]) -> list[str]:
    """The codes of the release a mention names: the code itself, or those in the range."""
    if not mention.high:
        return [mention.low] if mention.low in codes else []
    return ordered[bisect_left(ordered, mention.low):bisect_right(ordered, mention.high)]


@reads_database
def referring_codes(conn: sqlite3.Connection, code: str) -> list[Referral]:
    """The codes that refer to `code`: active ones first, each in code order."""
    codes = known_codes(conn)
    referrals = [Referral(other, *codes[other], how) for other, how in _referrals(conn).get(code, ())]
    return sorted(referrals, key=lambda r: (r.status != "active", r.code))


@dataclass(frozen=True)
class Related:
    """What a code's page says about other codes: who refers to it, and the codes it names."""

    referrals: list[Referral]
    named: dict[str, str]  # every code of the release its record names -> short description


@reads_database
def related(conn: sqlite3.Connection, code: str) -> Related:
    """The codes that refer to `code`, and the short description of each code its record names."""
    codes = known_codes(conn)
    row = conn.execute(f"SELECT long_description, {', '.join(CROSS_REFERENCES)} FROM codes WHERE code = ?",
                       (code,)).fetchone()
    named = [] if row is None else [*row[1:], *(m.low for m in mentions(row[0]) if not m.high)]
    return Related(referring_codes(conn, code), {c: codes[c][0] for c in named if c in codes})
