"""The coder's notes and favorites lists as a file to share with a coding team, and such a file read
back into one's own.

The file is JSON: {"format": FORMAT, "notes": {code: {"note": text, "written": "YYYY-MM-DD"}},
"lists": {list name: [codes]}}. Reading it adds every note on a code that has none, and replaces a
note only by one written later (one's own note of the same day or later is kept, and counted); each
list's codes are starred and put in that list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .search.query import MODIFIER, PROCEDURE
from .user_codes import UserCodes
from .user_files import write_text
from .user_notes import UserNotes

FORMAT = "HCPCS Desktop notes and lists"
MAX_FILE_BYTES = 16 * 1024 * 1024  # thousands of notes fit in a few MB


@dataclass(frozen=True)
class Imported:
    """What reading a shared file did."""

    added: int  # notes on codes that had none
    replaced: int  # notes replaced by ones written later
    kept: int  # one's own notes kept, written the same day or later than the file's
    listed: int  # codes put in a favorites list


def export(path: Path, notes: UserNotes, codes: UserCodes) -> tuple[int, int]:
    """Write every note and every favorites list to `path`; (notes, lists) written. Raises OSError."""
    notes.reload()
    codes.reload()
    lists: dict[str, list[str]] = {}
    for code in codes.favorites:
        if code in codes.lists:
            lists.setdefault(codes.lists[code], []).append(code)
    shared = {code: {"note": note, "written": notes.written.get(code, "")} for code, note in notes.notes.items()}
    data = {"format": FORMAT, "notes": shared, "lists": lists}
    write_text(path, json.dumps(data, indent=1, ensure_ascii=False))
    return len(data["notes"]), len(lists)


def import_file(path: Path, notes: UserNotes, codes: UserCodes) -> Imported:
    """Read a shared file into the coder's notes and lists. ValueError (saying why) when it is no such
    file, OSError when it cannot be read or the result cannot be saved."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path} is not a file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"{path} is too large for a file of notes and lists")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"{path} is not a file of notes and lists (not JSON text)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path} is not a file of notes and lists exported by HCPCS Desktop")
    notes.reload()
    taken: dict[str, tuple[str, str]] = {}
    kept = replaced = 0
    for code, entry in _entries(data.get("notes")):
        own = notes.get(code)
        if own == entry["note"]:
            continue
        if own and entry["written"] <= notes.written.get(code, ""):
            kept += 1
            continue
        replaced += bool(own)
        taken[code] = (entry["note"], entry["written"])
    listed = {code: name for name, members in _lists(data.get("lists")) for code in members}
    if taken:
        notes.set_many(taken)
    if listed:
        codes.put_in_lists(listed)
    return Imported(len(taken) - replaced, replaced, kept, len(listed))


def _is_code(text) -> bool:
    return isinstance(text, str) and bool(PROCEDURE.match(text.strip().upper()) or MODIFIER.match(text.strip().upper()))


def _entries(value):
    """(code, {"note", "written"}) of the file's notes that are sound; others are left out."""
    if not isinstance(value, dict):
        return
    for code, entry in value.items():
        if _is_code(code) and isinstance(entry, dict) and isinstance(entry.get("note"), str) and entry["note"].strip():
            written = entry.get("written") if isinstance(entry.get("written"), str) else ""
            yield code.strip().upper(), {"note": entry["note"], "written": written}


def _lists(value):
    """(name, codes) of the file's lists that are sound."""
    if not isinstance(value, dict):
        return
    for name, members in value.items():
        if isinstance(name, str) and name.strip() and isinstance(members, list):
            yield name, [m.strip().upper() for m in members if _is_code(m)]
