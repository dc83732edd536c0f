"""The coder's own notes on codes ("payer X wants KX here"), each with the day it was written, kept
in `notes.json` beside the settings, and found again by the words in them.

Each change re-reads the file, applies itself and writes it whole under the file's lock (see
`user_files`), so two windows open at once keep each other's notes. The notes are not in the
release's search index (the release database is never written); `matching` finds them by their
words through an index of its own (`_WordIndex`), made when the notes change, not per keystroke.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, insort
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
        self._notes: dict[str, str] = {}
        self._index: _WordIndex | None = None
        self.written: dict[str, str] = {}  # code -> the day its note was written (notes of older versions: none)
        self.today = dt.date.today
        self.reload()

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def notes(self) -> dict[str, str]:
        return self._notes

    @notes.setter
    def notes(self, notes: dict[str, str]) -> None:
        if self._index is not None:
            self._index.update(self._notes, notes)
        self._notes = notes

    def read_ahead(self) -> None:
        """Index the notes' words now (20,000 notes take about half a second), not at the first
        search of words."""
        if self._index is None:
            self._index = _WordIndex(self._notes)

    def reload(self) -> None:
        data = self.file.read()
        self.notes = _notes(data.get("notes"))
        self.written = _days(data.get("written"), self.notes)

    def get(self, code: str) -> str:
        return self._notes.get(code, "")

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
        if not words or not self._notes:
            return []
        self.read_ahead()
        found: set[str] | None = None
        for word in words:
            codes = self._index.codes_of(word)
            found = set(codes) if found is None else found & codes
            if not found:
                return []
        return sorted(found)


class _WordIndex:
    """The words of the notes, sorted, each with the codes whose note has it; a word typed is
    looked up among the words it starts (bisection), and its codes kept for the next keystroke.
    A change of notes changes the words of the notes changed only."""

    KEPT = 256  # words typed whose codes are kept

    def __init__(self, notes: dict[str, str]):
        self.postings: dict[str, set[str]] = {}
        for code, note in notes.items():
            for word in words_of(note):
                self.postings.setdefault(word, set()).add(code)
        self.words = sorted(self.postings)
        self.kept: dict[str, frozenset[str]] = {}

    def update(self, old: dict[str, str], new: dict[str, str]) -> None:
        """The notes were `old` and are `new`."""
        for code in old.keys() | new.keys():
            if old.get(code) == new.get(code):
                continue
            for word in words_of(old.get(code, "")):
                codes = self.postings.get(word)
                if codes is not None:
                    codes.discard(code)
                    if not codes:
                        del self.postings[word]
                        del self.words[bisect_left(self.words, word)]
            for word in words_of(new.get(code, "")):
                if word not in self.postings:
                    self.postings[word] = set()
                    insort(self.words, word)
                self.postings[word].add(code)
            self.kept.clear()

    def codes_of(self, start: str) -> frozenset[str]:
        """The codes whose note has a word starting with `start`."""
        if start not in self.kept:
            if len(self.kept) >= self.KEPT:
                self.kept.clear()
            codes: set[str] = set()
            at = bisect_left(self.words, start)
            while at < len(self.words) and self.words[at].startswith(start):
                codes |= self.postings[self.words[at]]
                at += 1
            self.kept[start] = frozenset(codes)
        return self.kept[start]
