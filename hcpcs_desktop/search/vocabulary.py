"""What else a coder's word may stand for: CMS abbreviations and coder synonyms, read from the database.

The database keeps each bridge as a table (`abbreviations`, `synonyms`), written at build
time; here they become, for each word or phrase a coder may type, the phrases to match
in its place, each with the reason shown when a code matched through it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from ..data.text import words as tokens
from .query import STOP_WORDS, WORD

LONGEST_PHRASE = 5

SOURCES = {
    "abbreviation": "CMS abbreviation",
    "synonym": "synonym",
    "brand": "brand name",
    "drug name": "drug name",
    "cms index": "CMS Index",
    "cms drug table": "CMS Table of Drugs",
}


def key_words(text: str) -> tuple[str, ...]:
    """A phrase as the query parser reads it, so that it can be looked up by the typed words."""
    words = WORD.findall(text.lower())
    return tuple(w for w in words if w not in STOP_WORDS) or tuple(words)


def reason_text(source: str, term: str, via: str) -> str:
    """Why a code matched: "lovenox → enoxaparin (brand name)", "CMS Index: Ambulance › mileage"."""
    if source == "corrected":
        return f"corrected: {term} → {via}"
    if source == "joined":
        return f"{term} → {via} (one word)"
    if source in ("cms index", "cms drug table"):
        return f"{SOURCES[source]}: {via}"
    return f"{term} → {via} ({SOURCES.get(source, source)})"


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


def phrase(text: str, prefix: bool = False) -> str:
    return '"' + " ".join(tokens(text)) + '"' + ("*" if prefix and tokens(text) else "")


def _word_expression(word: str) -> str:
    return "(" + " OR ".join(dict.fromkeys(phrase(w, prefix="/" not in w) for w in word_forms(word))) + ")"


@dataclass(frozen=True)
class Alternative:
    """A phrase to match in place of a typed word or phrase, and why (its source and the typed side)."""

    text: str
    source: str = ""
    typed: str = ""

    @property
    def reason(self) -> str:
        return reason_text(self.source, self.typed, self.text)


@dataclass(frozen=True)
class Group:
    """A word (or a phrase the vocabulary knows) of the query, and what else may stand for it."""

    words: tuple[str, ...]
    alternatives: tuple[Alternative, ...] = ()

    def expression(self) -> str:
        """FTS5: every word of the group as a prefix in any of its forms, or any alternative as a phrase."""
        literal = " AND ".join(_word_expression(w) for w in self.words)
        options = [f"({literal})"] + [phrase(a.text) for a in self.alternatives]
        return "(" + " OR ".join(dict.fromkeys(o for o in options if o not in ("()", '""'))) + ")"



class Vocabulary:
    """Typed word or phrase (as a tuple of words) -> alternatives."""

    def __init__(self, alternatives: dict[tuple[str, ...], list[Alternative]]):
        self.alternatives = alternatives

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Vocabulary:
        found: dict[tuple[str, ...], dict[str, Alternative]] = {}

        def add(typed: str, typed_key: tuple[str, ...], other: str, other_words: list[str], source: str) -> None:
            if typed_key and other_words and other_words != list(typed_key):
                found.setdefault(typed_key, {}).setdefault(other, Alternative(other, source, typed))

        cursor = conn.cursor()
        cursor.row_factory = None
        # An abbreviation learned from the release reads one way only ("whlchr" finds wheelchair): back
        # the other way, "hosp" (hospital) would make "hospital" find hospice codes.
        rows = [(a, b, "abbreviation", source == "reviewed")
                for a, b, source in cursor.execute("SELECT short, long, source FROM abbreviations")]
        rows += [(a, b, "synonym", False) for a, b in cursor.execute("SELECT word, alternative FROM synonyms")]
        for typed, other, source, both_ways in rows:
            typed_key, other_words = key_words(typed), tokens(other)
            add(typed, typed_key, other, other_words, source)
            if both_ways or (source == "synonym" and len(other_words) == 1 and len(typed_key) == 1):
                add(other, key_words(other), typed, tokens(typed), source)
        return cls({key: list(alternatives.values()) for key, alternatives in found.items()})

    def groups(self, words: list[str]) -> list[Group]:
        """The words grouped into the longest phrases the vocabulary knows, each with its alternatives."""
        groups, i = [], 0
        while i < len(words):
            for n in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
                key = tuple(words[i : i + n])
                if key in self.alternatives or n == 1:
                    groups.append(Group(key, tuple(self.alternatives.get(key, ()))))
                    i += n
                    break
        return groups
