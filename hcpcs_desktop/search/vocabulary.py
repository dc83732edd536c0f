"""What else a coder's word may stand for, read from the database: CMS abbreviations, coder
synonyms, device and supply product names, and the drug names of CMS's NDC-HCPCS crosswalks.

The database keeps each bridge as a table (`abbreviations`, `synonyms`, `product_names` with
`product_kinds`), written at build time, and the crosswalks as imported (`ndc_codes`, refreshed
with every payment file); here they become, for each word or phrase a coder may type, the phrases
(or codes) to match in its place, each with the reason shown when a code matched through it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass, replace
from functools import lru_cache

from ..data.database import text_only
from ..data.payment import crosswalk_drug_names
from ..data.text import word_forms
from ..data.text import words as tokens
from .query import STOP_WORDS, WORD, clean, split_words, words_of

LONGEST_PHRASE = 5

SOURCES = {
    "abbreviation": "CMS abbreviation",
    "synonym": "synonym",
    "brand": "brand name",
    "biologic brand": "brand name",
    "drug name": "drug name",
    "product": "product name",
    "maker": "maker",
    "spelling": "US spelling",
    "crosswalk": "CMS NDC–HCPCS crosswalk",
    "cms index": "CMS Index",
    "cms drug table": "CMS Table of Drugs",
}
# The columns of the search index that hold CMS's own words (the rest: words bridged to a code).
OWN_COLUMNS = "{code short_description long_description}"


@lru_cache(maxsize=4096)
def read_words(name: str) -> tuple[str, ...]:
    """A name as the query reader keeps its words when it is typed (the "med" of "med-aire" reads as
    a kind of code, the "i" of "i-limb" as noise), so that it is looked up by those words."""
    return tuple(split_words(words_of(name))[0])


@lru_cache(maxsize=16384)
def key_words(text: str) -> tuple[str, ...]:
    """A phrase as the query parser reads it, so that it can be looked up by the typed words."""
    words = WORD.findall(text.lower())
    return tuple(w for w in words if w not in STOP_WORDS) or tuple(words)


def reason_text(source: str, term: str, via: str, note: str = "") -> str:
    """Why a code matched: "lovenox → enoxaparin (brand name)", "CMS Index: Ambulance › mileage",
    "vueway → A9573 (CMS NDC–HCPCS crosswalk, January 2026)"."""
    if source == "corrected":
        return f"corrected: {term} → {via}"
    if source == "joined":
        return f"{term} → {via} (one word)"
    if source in ("cms index", "cms drug table"):
        return f"{SOURCES[source]}: {via}"
    said = SOURCES.get(source, source)
    return f"{term} → {via} ({said}{', ' + note if note else ''})"


@lru_cache(maxsize=4096)
def stem(word: str) -> str | None:
    """The English stem of a word of five letters or more, when shorter than the word and four letters
    or more ("nebulizing": nebul, "discharged": discharg); else None. CMS's abbreviations carry no
    English ending, so they keep their letters."""
    if len(word) < 5 or not word.isalpha():
        return None
    found = _stemmer().stemWord(word)
    return found if 4 <= len(found) < len(word) and not word.startswith(found + "s") else None


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


# British spellings and the American ones CMS writes: (ending or part, its American form).
BRITISH = (
    (re.compile(r"our(?=s?$|ed$|ing$)"), "or"),  # colour, behaviour
    (re.compile(r"ae"), "e"),  # haemodialysis, paediatric, anaesthesia
    (re.compile(r"oe(?=[dns])"), "e"),  # oedema, oesophagus, diarrhoea
    (re.compile(r"is(?=(e|ed|er|ers|es|ing|ation)$)"), "iz"),  # nebuliser, immobiliser, sterilise
    (re.compile(r"ys(?=(e|ed|er|ers|es|ing)$)"), "yz"),  # analyse, dialyser
    (re.compile(r"tre(?=s?$)"), "ter"),  # centre, litre, metre
    (re.compile(r"ph(?=at|ur|i?de)"), "f"),  # sulphate, sulphur
    (re.compile(r"ogue(?=s?$)"), "og"),  # catalogue
)


def us_spellings(word: str) -> list[str]:
    """The American spellings a British one may stand for ("colour": color; "nebuliser": nebulizer)."""
    if len(word) < 5 or not word.isalpha():
        return []
    return list(dict.fromkeys(found for pattern, american in BRITISH
                              for found in [pattern.sub(american, word)] if found != word))


def phrase(text: str, prefix: bool = False) -> str:
    return '"' + " ".join(tokens(text)) + '"' + ("*" if prefix and tokens(text) else "")


@dataclass(frozen=True)
class Alternative:
    """A phrase (or codes) to match in place of a typed word or phrase, and why: its source, the typed
    side, what the reason names (`label`: a product's kind; else the phrase) and a note (a period)."""

    text: str
    source: str = ""
    typed: str = ""
    codes: tuple[str, ...] = ()  # codes the typed words stand for (a crosswalk's drug name)
    label: str = ""
    note: str = ""

    def expression(self) -> str:
        if self.codes:
            return "{code}: (" + " OR ".join(phrase(code) for code in self.codes) + ")"
        return phrase(self.text)

    def reason_for(self, code: str) -> str:
        """Why `code` matched through this alternative."""
        return reason_text(self.source, self.typed, code if self.codes else self.label or self.text, self.note)


@dataclass(frozen=True)
class Group:
    """A word (or a phrase the vocabulary knows) of the query, what else may stand for it, and how
    its own words match: each as the start of a word in any of its forms, except the `whole` words
    (a real word the index does not have: "sent" is no start of "sentinel"), and with the stems
    of `stems` as starts too. `own_words`: only CMS's own text, not the words bridged to a code
    (a drug name CMS's crosswalk ties to codes of its own)."""

    words: tuple[str, ...]
    alternatives: tuple[Alternative, ...] = ()
    whole: frozenset[str] = frozenset()
    stems: tuple[tuple[str, str], ...] = ()  # (word, stem)
    own_words: bool = False

    def forms(self) -> list[str]:
        """Every form matched as the start of a word (for highlighting and explaining)."""
        return [f for w in self.words for f in word_forms(w)] + [s for _, s in self.stems]

    def expression(self) -> str:
        """FTS5: the group's own words (see the class), or any alternative."""
        literal = " AND ".join(self._word_expression(w) for w in self.words)
        if literal and self.own_words:
            literal = f"{OWN_COLUMNS}: ({literal})"
        options = [f"({literal})"] + [a.expression() for a in self.alternatives]
        return "(" + " OR ".join(dict.fromkeys(o for o in options if o not in ("()", '""'))) + ")"

    def _word_expression(self, word: str) -> str:
        whole = word in self.whole
        forms = [phrase(w, prefix="/" not in w and not whole) for w in word_forms(word)]
        forms += [phrase(s, prefix=True) for w, s in self.stems if w == word]
        return "(" + " OR ".join(dict.fromkeys(forms)) + ")"


class Vocabulary:
    """Typed word or phrase (as a tuple of words) -> alternatives.

    The abbreviations and synonyms are read when the vocabulary is loaded; the names (products, the
    crosswalks' drugs: thousands, each a few alternatives) when words are first grouped, so that
    opening a database does not wait for them."""

    def __init__(self, alternatives: dict[tuple[str, ...], list[Alternative]], conn: sqlite3.Connection | None = None):
        self.alternatives = alternatives
        self._names_from = conn  # the database whose names are still to be read, if any

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Vocabulary:
        found: dict[tuple[str, ...], dict[str, Alternative]] = {}
        cursor = conn.cursor()
        cursor.row_factory = None
        # An abbreviation learned from the release reads one way only ("whlchr" finds wheelchair): back
        # the other way, "hosp" (hospital) would make "hospital" find hospice codes.
        abbreviations = cursor.execute("SELECT short, long, source FROM abbreviations")
        rows = [(a, b, "abbreviation", source == "reviewed")
                for a, b, source in (text_only(row, "its abbreviations") for row in abbreviations)]
        rows += [(a, b, "synonym", False) for a, b in
                 (text_only(row, "its synonyms") for row in cursor.execute("SELECT word, alternative FROM synonyms"))]
        for typed, other, source, both_ways in rows:
            typed_key, other_words = key_words(typed), tokens(other)
            _add(found, typed_key, Alternative(other, source, typed))
            if both_ways or (source == "synonym" and len(other_words) == 1 and len(typed_key) == 1):
                _add(found, key_words(other), Alternative(typed, source, other))
        return cls({key: list(alternatives.values()) for key, alternatives in found.items()}, conn)

    def read_ahead(self) -> None:
        """Read the names now (an idle moment), not with the first search of words; load the stemmer
        too (its package loads every language it has: a tenth of a second)."""
        if self._names_from is not None:
            self._read_names(self._names_from)
            _stemmer()

    def knows(self, key: tuple[str, ...]) -> bool:
        """Whether the vocabulary has alternatives for the typed words `key`."""
        self.read_ahead()
        return key in self.alternatives

    def groups(self, words: list[str]) -> list[Group]:
        """The words grouped into the longest phrases the vocabulary knows, each with its alternatives.
        A drug name that CMS's crosswalk ties to codes matches those, or CMS's own words: never a
        name bridged to another code (a biosimilar's brand is not the reference product's)."""
        self.read_ahead()  # the names read first
        groups, i = [], 0
        while i < len(words):
            for n in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
                key = tuple(words[i : i + n])
                known = self._spelled_out(key) if n > 1 else key
                if known in self.alternatives or n == 1:
                    alternatives = tuple(self.alternatives.get(known, ()))
                    if known != key:  # said as typed: "o2 tank → gaseous oxygen"
                        alternatives = tuple(replace(a, typed=" ".join(key)) for a in alternatives)
                    crosswalk = any(a.source == "crosswalk" for a in alternatives)
                    groups.append(Group(key, alternatives, own_words=crosswalk))
                    i += n
                    break
        return groups

    def _spelled_out(self, key: tuple[str, ...]) -> tuple[str, ...]:
        """The phrase `key`, or as it reads with one of its words' abbreviations spelled out when only
        that is known ("o2 tank": oxygen tank; "w/c cushion": wheelchair cushion)."""
        if key in self.alternatives:
            return key
        for i, word in enumerate(key):
            for alternative in self.alternatives.get((word,), ()):
                spelled = tokens(alternative.text)
                if alternative.source == "abbreviation" and len(spelled) == 1:
                    other = key[:i] + tuple(spelled) + key[i + 1:]
                    if other in self.alternatives:
                        return other
        return key

    def _read_names(self, conn: sqlite3.Connection) -> None:
        """Add the product names (each finds the kind of item CMS words, or a code of its own) and the
        drug names of the crosswalks."""
        found: dict[tuple[str, ...], dict[str, Alternative]] = {}
        rows = [text_only(row, "its product names") for row in conn.execute(
            "SELECT p.name, p.kind, p.code, coalesce(k.phrase, ''), 'product' FROM product_names p "
            "LEFT JOIN product_kinds k ON k.kind = p.kind AND p.code = ''")]
        # A maker's name finds every kind of item it makes ("invacare": its beds, chairs, concentrators),
        # unless it is the name of a product too.
        products = {name for name, *_ in rows}
        rows += [(maker.lower(), kind, code, cms_phrase, "maker") for maker, kind, code, cms_phrase in
                 (text_only(row, "its product names") for row in conn.execute(
                     "SELECT DISTINCT p.maker, p.kind, p.code, coalesce(k.phrase, '') FROM product_names p "
                     "LEFT JOIN product_kinds k ON k.kind = p.kind AND p.code = ''")) if maker.lower() not in products]
        # A name read as one word CMS writes ("i-limb" read as "limb") would stand for that word: not so.
        shortened = {read_words(name)[0] for name, *_ in rows if len(read_words(name)) == 1 < len(key_words(name))}
        cms_words = {term for (term,) in conn.execute(
            "SELECT term FROM vocabulary WHERE term IN (SELECT value FROM json_each(?))", (json.dumps(sorted(shortened)),))}
        for name, kind, code, cms_phrase, source in rows:
            typed = read_words(name) if not set(read_words(name)) <= cms_words else key_words(name)
            _add(found, typed, Alternative(code or cms_phrase, source, name, (code,) if code else (), kind))
        for key, alternative in _crosswalk_names(conn):
            found.setdefault(key, {})[alternative.text] = alternative
        for key, alternatives in found.items():
            self.alternatives[key] = self.alternatives.get(key, []) + list(alternatives.values())
        self._names_from = None


def _add(found: dict[tuple[str, ...], dict[str, Alternative]], typed_key: tuple[str, ...],
         alternative: Alternative) -> None:
    if typed_key and alternative.text and tokens(alternative.text) != list(typed_key):
        found.setdefault(typed_key, {}).setdefault(alternative.text, alternative)


def _crosswalk_names(conn: sqlite3.Connection) -> list[tuple[tuple[str, ...], Alternative]]:
    """(typed words, the codes they stand for) of every drug name of the crosswalks, and of the start
    of a name whose first word CMS does not write ("humulin" of "Humulin R U-100"; not "sodium")."""
    named: dict[tuple[str, ...], dict[str, str]] = {}  # words -> code -> period start
    full = set()  # the words of whole names
    for name, code, start in crosswalk_drug_names(conn):
        words = key_words(name if name.isascii() else clean(name))[:LONGEST_PHRASE]  # as a query reads it ("™": tm)
        full.add(words)
        for n in range(1, len(words) + 1):
            named.setdefault(words[:n], {})[code] = start
    if not named:
        return []
    firsts = json.dumps(sorted({words[0] for words in named}))
    cms_words = {term for (term,) in conn.execute(
        "SELECT term FROM vocabulary WHERE term IN (SELECT value FROM json_each(?)) AND spelled_out > 0", (firsts,))}
    periods = {start: dt.date.fromisoformat(start).strftime("%B %Y") for codes in named.values() for start in codes.values()}
    found = []
    for words, codes in named.items():
        if words in full or words[0] not in cms_words:
            typed = " ".join(words)
            found.append((words, Alternative(typed, "crosswalk", typed, tuple(sorted(codes)),
                                             note=periods[max(codes.values())])))
    return found
