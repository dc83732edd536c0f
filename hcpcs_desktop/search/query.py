"""Read what a coder typed: a code, a code prefix, a range, a pasted list, or words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 2000  # nobody types more; a pasted list of 300 codes still fits
MAX_WORDS = 12

PROCEDURE = re.compile(r"^[A-Z]\d{4}$")
CODE_PREFIX = re.compile(r"^[A-Z]\d{0,3}$")
MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
RANGE = re.compile(r"^([A-Z]\d{4})\s*(?:-|–|—|\.\.|TO)\s*([A-Z]\d{4})$")
LIST_SEPARATORS = re.compile(r"[\s,;]+")
# Words as coders write them: w/ and w/o are words too.
WORD = re.compile(r"w/o(?![a-z0-9])|w/(?![a-z0-9])|[^\W_]+")
STOP_WORDS = {"a", "an", "and", "the", "of", "or", "for", "to"}


@dataclass(frozen=True)
class Query:
    """A classified query."""

    kind: str  # empty | range | list | code | words
    codes: list[str] = field(default_factory=list)  # list: codes in pasted order; range: [low, high]
    code: str = ""  # code: the code or code prefix typed
    words: list[str] = field(default_factory=list)  # lower-case search words


def clean(text: str) -> str:
    """The query without control characters, accents folded, at most MAX_QUERY_CHARS long."""
    text = unicodedata.normalize("NFKD", str(text)[:MAX_QUERY_CHARS])
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c if c.isprintable() else " " for c in text).strip()


def words_of(text: str) -> list[str]:
    """Search words of `text`, lower case, stop words left out unless still being typed."""
    words = WORD.findall(text.lower())
    kept = [w for i, w in enumerate(words) if w not in STOP_WORDS or i == len(words) - 1]
    return kept[:MAX_WORDS]


def parse(text: str) -> Query:
    """Classify `text`; never raises."""
    text = clean(text)
    upper = text.upper()
    if not text:
        return Query("empty")
    matched = RANGE.match(upper)
    if matched:
        low, high = sorted(matched.groups())
        return Query("range", codes=[low, high])
    tokens = [t.lstrip("-") for t in LIST_SEPARATORS.split(upper) if t.strip("-")]
    if len(tokens) >= 2 and _is_code_list(tokens, upper):
        return Query("list", codes=list(dict.fromkeys(tokens)))
    if len(tokens) == 1:
        token = tokens[0]
        if PROCEDURE.match(token) or CODE_PREFIX.match(token) or MODIFIER.match(token):
            return Query("code", code=token, words=words_of(text))
    return Query("words", words=words_of(text))


def _is_code_list(tokens: list[str], text: str) -> bool:
    """Every token a code, and at least one that cannot be a word (or a list written with commas)."""
    if not all(PROCEDURE.match(t) or MODIFIER.match(t) for t in tokens):
        return False
    return any(PROCEDURE.match(t) for t in tokens) or bool(re.search(r"[,;\n]|(^|\s)-", text))
