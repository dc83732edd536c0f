"""Common English words, most common first: which words a coder types are real words.

The search needs to know that "sent" or "trampoline" is a real word (not a misspelling to
correct, and "sent" no start of "sentinel"), while "jobst" or "oxymizer" is no English word.
The list comes from the `wordfreq` package (English, the most common words) at build time only:
the standalone executable leaves the package out and takes the list from the database it
replaces, as it does the drug dictionary's names.
"""

from __future__ import annotations

import importlib.util

from . import build_cache

SOURCE = "wordfreq"
KEPT = 30_000  # down to words such as "trampoline" or "crutches" (about 1 in a million words)


def available() -> bool:
    return importlib.util.find_spec("wordfreq") is not None


def common_words() -> list[dict]:
    """{"word", "rank"} of the most common English words of letters only, rank 1 the most common
    (kept in the build cache: the list changes with the package's version alone)."""
    return build_cache.cached("english words", [str(KEPT)], _common_words, decode=_kept_words)


def _common_words() -> list[dict]:
    from wordfreq import top_n_list

    words = dict.fromkeys(w for w in top_n_list("en", KEPT) if w.isascii() and w.isalpha())
    return [{"word": word, "rank": rank} for rank, word in enumerate(words, 1)]


def _kept_words(value) -> list[dict]:
    """The words of a build cache entry; ValueError when it holds anything else."""
    if not value or any(not isinstance(row, dict) or row.keys() != {"word", "rank"} for row in value):
        raise ValueError("not a word list")
    return value
