"""Correct a misspelled search word against the words of the index.

A word is corrected only when it matches nothing, is at least five letters long, and an
index word that CMS spells out in a long description (or a name bridged to a code, or a word
coders type for what CMS words otherwise, such as "glucometer"; never an abbreviation of the
short descriptions) is close: one edit away (an edit: a letter added, dropped, changed, or two
neighbours swapped), two for words of eight letters or more. Among equally close words
the most common wins. A word still being typed (the last one) may also be the start of
a word: `oxigen` becomes `oxygen`, and `oxige` becomes `oxyge`, the start of "oxygen".

Two edits must keep the first letter ("eliquis" is no "liquid"), and a correction that
finds nothing together with the other words typed is dropped (by the engine). The
distance is RapidFuzz's optimal string alignment, in C, over the index words of a length
within reach (a few thousand of the 14,000) in a fraction of a millisecond.
"""

from __future__ import annotations

import sqlite3

from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..data.database import text_only

MIN_LENGTH = 5
KEPT_WORDS = 256  # corrections remembered (words typed, and their starts while typing)


def max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


class Speller:
    """The index's words (letters only, three or more) with how many codes use each."""

    def __init__(self, conn: sqlite3.Connection):
        cursor = conn.cursor()
        cursor.row_factory = None
        self.frequency: dict[str, int] = {}
        # Corrections are words CMS spells out, or names bridged to a code: never an abbreviation of a
        # short description ("jobst" is no "joyst").
        self.spelled: dict[str, int] = {}
        self._by_length: dict[int, list[str]] = {}
        for term, count, spelled_out in cursor.execute(
                "SELECT term, documents, spelled_out FROM vocabulary WHERE length(term) >= 3"):
            text_only((term,), "its search vocabulary")
            if type(count) is not int or type(spelled_out) is not int:  # damage
                raise sqlite3.DatabaseError(f"its search vocabulary holds {count!r:.40} and {spelled_out!r:.40} "
                                            "where counts belong")
            if term.isalpha():
                self.frequency[term] = count
                if spelled_out:
                    self.spelled[term] = count
                    self._by_length.setdefault(len(term), []).append(term)
        self._starts: dict[int, dict[str, int]] = {}
        self._corrected: dict[tuple[str, bool, int], list[tuple[str, int]]] = {}

    def learn(self, words) -> None:
        """Take the words coders type for what CMS words otherwise ("glucometer", the typed side of a
        synonym) as corrections too."""
        for word in words:
            if word.isalpha() and len(word) >= 3 and word not in self.spelled:
                self.spelled[word] = self.frequency.get(word, 1)
                self._by_length.setdefault(len(word), []).append(word)

    def corrections(self, word: str, prefix: bool = False, most: int = 5) -> list[tuple[str, int]]:
        """(index word, or start of one with `prefix`; its edits) close to `word`, closest first.

        Among equally close ones: the same first letter first, then the more common; a whole
        word before a word's start.
        """
        if len(word) < MIN_LENGTH or not word.isalpha():
            return []
        key = (word, prefix, most)
        if key not in self._corrected:  # a word being typed is looked up again on every later keystroke
            found = self._close(word, self.spelled)
            if prefix:
                found += self._close(word, self._word_starts(len(word)))
            found.sort(key=lambda f: f[1])  # stable: whole words, found first, win ties
            if len(self._corrected) >= KEPT_WORDS:
                self._corrected.clear()
            self._corrected[key] = list(dict.fromkeys((candidate, key[0]) for candidate, key in found))[:most]
        return list(self._corrected[key])

    def split(self, word: str) -> tuple[str, str] | None:
        """Two index words that `word` runs together ("pulseoximeter": pulse, oximeter), or None."""
        pairs = [(word[:i], word[i:]) for i in range(3, len(word) - 2)
                 if word[:i] in self.frequency and word[i:] in self.frequency]
        return max(pairs, key=lambda p: min(self.frequency[p[0]], self.frequency[p[1]])) if pairs else None

    def _close(self, word: str, counts: dict[str, int]) -> list[tuple[str, tuple]]:
        """(close word, its sort key: edits, other first letter, rarity) of the words in `counts`."""
        edits = max_edits(word)
        if counts is self.spelled:  # only words of a length within reach
            choices = [t for n in range(len(word) - edits, len(word) + edits + 1) for t in self._by_length.get(n, ())]
        else:
            choices = list(counts)
        matches = process.extract(word, choices, scorer=OSA.distance, score_cutoff=edits, limit=20)
        # Two edits and another first letter is another word ("eliquis" is no "liquid").
        return [(m[0], (m[1], m[0][0] != word[0], -counts[m[0]])) for m in matches if m[1] < 2 or m[0][0] == word[0]]

    def _word_starts(self, length: int) -> dict[str, int]:
        """The first `length` letters of every word as long or longer, with how many codes use them."""
        if length not in self._starts:
            starts: dict[str, int] = {}
            for term, count in self.spelled.items():
                if len(term) >= length:
                    starts[term[:length]] = starts.get(term[:length], 0) + count
            self._starts[length] = starts
        return self._starts[length]
