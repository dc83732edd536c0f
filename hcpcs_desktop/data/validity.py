"""Whether a code could be billed for a date of service, and which stored release applied then.

Coders bill for the date the service was given. A code is valid from its added date
through its termination date (the last day it may be used, per the record layout). The
dates come from the newest stored release that lists the code, which knows of the
latest termination; the release that applied on the date is the newest stored release
dated on or before it. A code that release leaves out, listed only by older releases
and never given a termination date, was dropped from the code set.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .database import open_database
from .history import earlier_codes

if TYPE_CHECKING:
    from .release_store import StoredRelease


class Reason(StrEnum):
    """Why a code was or was not valid on a date."""

    IN_EFFECT = "in_effect"  # added on or before the date, not terminated before it
    NOT_YET_ADDED = "not_yet_added"  # the date is before the code's added date
    TERMINATED = "terminated"  # the date is after the code's termination date
    DROPPED = "dropped"  # not in the release that applied, and last listed by an older one
    UNKNOWN_CODE = "unknown_code"  # no stored release lists the code


@dataclass(frozen=True)
class DateOfService:
    """The facts about one code on one date of service; dates are ISO strings, "" when absent."""

    code: str
    date: dt.date
    valid: bool
    reason: Reason
    added_date: str
    termination_date: str
    release: StoredRelease | None  # the newest stored release dated on or before `date`
    in_release: bool  # whether `release` lists the code
    dates_from: StoredRelease | None  # the newest stored release that lists the code


# As claims and coders write a date of service: ISO, or month first (CMS-1500 writes MM DD YY).
_FORMATS = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "%Y-%m-%d"),
    (re.compile(r"(?:19|20)\d{6}"), "%Y%m%d"),  # 20240315 (no month-first date starts 19 or 20)
    (re.compile(r"\d{8}"), "%m%d%Y"),  # 03152024
    (re.compile(r"\d{6}"), "%m%d%y"),  # 031524
    (re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{4}"), "%m{}%d{}%Y"),  # 3/15/2024, 03-15-2024
    (re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{2}"), "%m{}%d{}%y"),  # 3/15/24: 00-68 are 2000-2068
)
DATE_FORMS = "MM/DD/YY, MM/DD/YYYY, MMDDYY, MMDDYYYY or YYYY-MM-DD"


def parse_date(text: str) -> dt.date:
    """A date of service as typed: 2024-03-15, 20240315, 03/15/2024, 3/15/24, 03152024 or 031524
    (month first; a two-digit year 00-68 is 2000-2068, 69-99 is 1969-1999).

    Raises ValueError saying what is wrong.
    """
    text = text.strip()
    shaped = False
    for pattern, form in _FORMATS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        shaped = True
        separator = match.group(1) if pattern.groups else ""
        try:
            return dt.datetime.strptime(text, form.format(separator, separator)).date()
        except ValueError:
            continue
    if shaped:
        raise ValueError(f"{text!r} is not a date of the calendar")
    raise ValueError(f"{text!r} is not a date; write it as {DATE_FORMS}")


def code_dates(releases: list[StoredRelease], codes: list[str],
               listed: bool = False) -> dict[str, dict[str, tuple[str, str]]]:
    """{release date: {code: (added date, termination date)}} of those of `codes` each release lists
    (a database's own release, or one it carries): one read of each database file, for checking many
    codes. `listed`: the releases are the store's listing, read without checking their schema again
    (see `open_database`)."""
    codes = sorted({code.strip().upper() for code in codes})
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for path in dict.fromkeys(release.path for release in releases):
        conn = open_database(path, listed=listed)
        try:
            for release in (r for r in releases if r.path == path):
                if release.carried:
                    rows = earlier_codes(conn, release.release_date, codes)
                    found[release.release_date] = {c: (r["added_date"], r["termination_date"])
                                                   for c, r in rows.items()}
                else:
                    found[release.release_date] = {c: (added, ended) for c, added, ended in conn.execute(
                        "SELECT code, added_date, termination_date FROM codes "
                        "WHERE code IN (SELECT value FROM json_each(?))", (json.dumps(codes),))}
        finally:
            conn.close()
    return found


def validity_on(releases: list[StoredRelease], code: str, date: dt.date,
                dates: dict[str, dict[str, tuple[str, str]]] | None = None) -> DateOfService:
    """Whether `code` was valid on `date`, from the stored `releases` (any order); `dates`, when given,
    is what `code_dates` read of these releases for this code among others."""
    code = code.strip().upper()
    releases = sorted(releases, key=lambda r: r.release_date)
    day = date.isoformat()
    applied = next((r for r in reversed(releases) if r.release_date <= day), None)
    dates = dates if dates is not None else code_dates(releases, [code])
    listed = {r.release_date: found for r in releases if (found := dates.get(r.release_date, {}).get(code))}
    in_release = applied is not None and applied.release_date in listed
    if not listed:
        return DateOfService(code, date, False, Reason.UNKNOWN_CODE, "", "", applied, False, None)
    dates_from = next(r for r in reversed(releases) if r.release_date in listed)
    added, terminated = listed[dates_from.release_date]
    if day < added:
        reason = Reason.NOT_YET_ADDED
    elif terminated and day > terminated:
        reason = Reason.TERMINATED
    elif applied is not None and not in_release and dates_from.release_date < applied.release_date:
        reason = Reason.DROPPED
    else:
        reason = Reason.IN_EFFECT
    return DateOfService(code, date, reason is Reason.IN_EFFECT, reason, added, terminated, applied, in_release,
                         dates_from)
