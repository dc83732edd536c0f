"""The coder's own notes on codes ("payer X wants KX here"), kept in `notes.json` beside the
settings, and found again by the words in them.

Each change re-reads the file, applies itself and writes it atomically (see `user_files`), so
two windows open at once keep each other's notes. The notes are not in the release's search
index (the release database is never written); `matching` finds them by their words.
"""

from __future__ import annotations

from pathlib import Path

from .search.query import words_of
from .user_files import read_json, write_json

MAX_NOTE_CHARS = 4000


def _notes(value) -> dict[str, str]:
    """Code -> note from whatever the file held (anything else counts as none)."""
    if not isinstance(value, dict):
        return {}
    return {code.strip().upper(): note.strip() for code, note in value.items()
            if isinstance(code, str) and isinstance(note, str) and code.strip() and note.strip()}


class UserNotes:
    """Code -> the coder's note on it, in `path`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.notes: dict[str, str] = {}
        self.reload()

    def reload(self) -> None:
        self.notes = _notes(read_json(self.path).get("notes"))

    def get(self, code: str) -> str:
        return self.notes.get(code, "")

    def set(self, code: str, note: str) -> None:
        """Keep `note` on `code` (an empty note removes it). Raises OSError if not saved."""
        self.reload()
        note = note.strip()[:MAX_NOTE_CHARS]
        if note:
            self.notes[code] = note
        else:
            self.notes.pop(code, None)
        write_json(self.path, {"notes": self.notes})

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
