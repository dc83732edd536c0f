"""The coder's own notes on codes ("payer X wants KX here"), each with the day it was written, kept
in `notes.json` beside the settings, and found again by the words in them.

Each change re-reads the file, applies itself and writes it whole under the file's lock (see
`user_files`), so two windows open at once keep each other's notes. The notes are not in the release's search
index (the release database is never written); `matching` finds them by their words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .search.query import words_of
from .user_files import JsonFile

MAX_NOTE_CHARS = 4000


def _notes(value) -> dict[str, str]:
    """Code -> note from whatever the file held (anything else counts as none)."""
    if not isinstance(value, dict):
        return {}
    return {code.strip().upper(): note.strip() for code, note in value.items()
            if isinstance(code, str) and isinstance(note, str) and code.strip() and note.strip()}


def _days(value, notes: dict[str, str]) -> dict[str, str]:
    """Code -> the day (YYYY-MM-DD) its note was written, for the notes that have one."""
    if not isinstance(value, dict):
        return {}
    return {code: day for code, day in value.items()
            if code in notes and isinstance(day, str) and _is_day(day)}


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


class UserNotes:
    """Code -> the coder's note on it, and the day it was written, in `path`."""

    def __init__(self, path: Path):
        self.file = JsonFile(path)
        self.notes: dict[str, str] = {}
        self.written: dict[str, str] = {}  # code -> the day its note was written (notes of older versions: none)
        self.today = dt.date.today
        self.reload()

    @property
    def path(self) -> Path:
        return self.file.path

    def reload(self) -> None:
        data = self.file.read()
        self.notes = _notes(data.get("notes"))
        self.written = _days(data.get("written"), self.notes)

    def get(self, code: str) -> str:
        return self.notes.get(code, "")

    def set(self, code: str, note: str) -> None:
        """Keep `note` on `code`, written today (an empty note removes it). Raises OSError if not saved."""
        self.set_many({code: (note, self.today().isoformat())})

    def set_many(self, notes: dict[str, tuple[str, str]]) -> None:
        """Keep each (note, day written) on its code in one change, made under the file's lock (an
        empty note removes it). Raises OSError if not saved."""

        def change(data: dict) -> dict:
            kept = _notes(data.get("notes"))
            written = _days(data.get("written"), kept)
            for code, (note, day) in notes.items():
                note = note.strip()[:MAX_NOTE_CHARS]
                if note:
                    kept[code], written[code] = note, day
                else:
                    kept.pop(code, None)
                    written.pop(code, None)
            return {**data, "notes": kept, "written": written}

        data = self.file.update(change)
        self.notes = _notes(data["notes"])
        self.written = _days(data["written"], self.notes)

    def matching(self, words: list[str]) -> list[str]:
        """Codes whose note has a word starting with each of `words` (lower case), in code order."""
        if not words:
            return []
        found = []
        for code, note in sorted(self.notes.items()):
            note_words = words_of(note)
            if all(any(w.startswith(word) for w in note_words) for word in words):
                found.append(code)
        return found
