"""What is known of a word a coder typed besides the search index: whether it is a common
English word, and whether it names a drug that no code of the release names.

Read from the database's `english_words` and `uncoded_drugs` tables one word at a time, as
the search asks (a few words per keystroke), and remembered.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache

# A word at least this common (rank in the English word list) that CMS never writes is a word of the
# sentence around the thing searched for ("sent", "went", "which"), not the name of a thing.
EVERYDAY_RANK = 8_000


class Lexicon:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.rank = lru_cache(maxsize=4096)(self._rank)
        self.uncoded_drug = lru_cache(maxsize=1024)(self._uncoded_drug)

    def is_english(self, word: str) -> bool:
        """Whether `word` is a real English word (one of the most common thirty thousand or so)."""
        return self.rank(word) is not None

    def is_everyday(self, word: str) -> bool:
        """Whether `word` is an everyday English word ("sent", "home", "which")."""
        rank = self.rank(word)
        return rank is not None and rank <= EVERYDAY_RANK

    def _rank(self, word: str) -> int | None:
        row = self.conn.execute("SELECT rank FROM english_words WHERE word = ?", (word,)).fetchone()
        return row[0] if row else None

    def _uncoded_drug(self, name: str) -> str | None:
        """The generic name of `name` when it names a drug that no code of the release names."""
        row = self.conn.execute("SELECT generic FROM uncoded_drugs WHERE name = ? LIMIT 1", (name,)).fetchone()
        return row[0] if row else None
