"""Words of a description as the search index splits them."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

TOKEN = re.compile(r"[^\W_]+")
# Words that say nothing of what a text is about.
STOP_WORDS = frozenset({"a", "an", "and", "the", "of", "or", "for", "to", "in", "on", "by", "at", "my", "is"})


def words(text: str) -> list[str]:
    """The words of `text`, lower case, letters and digits (FTS5's unicode61 tokenizer splits so)."""
    return TOKEN.findall(text.lower())


def said_key(text: str) -> int:
    """A number for the words of `text`, stop words aside: two texts that say the same words in the
    same order have the same number ("Cpap device" and "the CPAP device"), whatever their punctuation."""
    said = " ".join(w for w in words(text) if w not in STOP_WORDS)
    return int.from_bytes(hashlib.blake2b(said.encode(), digest_size=8).digest(), "big", signed=True)


@lru_cache(maxsize=4096)
def word_forms(word: str) -> tuple[str, ...]:
    """The word plus its singular or plural stem, each to be matched as a prefix."""
    forms = [word]
    if len(word) > 3:
        if word.endswith("ies"):
            forms.append(word[:-3] + "y")
        elif word.endswith(("ses", "xes", "zes", "ches", "shes")):
            forms.append(word[:-2])
        elif word.endswith("s") and not word.endswith(("ss", "us")):
            forms.append(word[:-1])
        if word.endswith("y"):
            forms.append(word[:-1] + "ies")
    return tuple(forms)
