"""The search engine the window and the command line share: a query in, ranked codes out.

Words are matched through SQLite FTS5 (`codes_fts`: code, short and long description, and
the vocabulary bridged to each code at build time: brand names, CMS Index terms). Each
word, or phrase the vocabulary knows, is a *group*: its own forms as prefixes, or any of
its alternatives (CMS abbreviations, coder synonyms). Ranking, all in row ids:

1. active codes before terminated ones;
2. codes that match every group, then codes that match some, by the summed rarity
   (inverse document frequency) of the groups they match;
3. parts of other items ("Addition to ...", "... accessory", "... replacement") after
   the items, unless asked for; then the typed words in a row first, then the words naming
   a kind of code ("modifier", "injection") as written, then codes of that kind (asked
   for modifiers, the modifiers come first whatever words they match);
4. bm25 (code, short description, long description, bridged terms); when a word matches
   more codes than can be ranked within a keystroke's time, those whose short description
   matches first, in code order.

Every match is ranked and reachable: a result holds the ranked row ids and fetches the
columns of a page at a time. Sorted by a column (`sorted_by`), the row ids are put in that
order by SQLite and a page is fetched: thousands of matches are never read to sort them.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import math
import re
import sqlite3
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from itertools import filterfalse
from typing import NamedTuple

from ..data.database import reads_database, text_only
from ..data.noc_codes import noc_codes
from ..data.text import STOP_WORDS, said_key, word_forms
from ..data.text import words as text_words
from .lexicon import Lexicon
from .query import (CONTEXT_WORDS, KIND_WORDS, MAX_WORDS, PROCEDURE, QUALIFIER_WORDS, WORD, Query, QueryKind,
                    is_detail, parse)
from .spelling import Speller
from .vocabulary import Alternative, Group, Vocabulary, phrase, reason_text, stem, tokens, us_spellings

RESULT_COLUMNS = ", ".join(
    f"c.{column}"
    for column in (
        "code", "kind", "status", "section", "short_description", "long_description",
        "termination_date", "coverage", "betos", "added_date",
    )
)
# bm25 weights of the index columns: code, short description, long description, bridged terms.
RANK = "bm25(codes_fts, 10.0, 5.0, 1.0, 1.5)"
# bm25 costs about a microsecond a match; beyond this many matches (a prefix of a letter
# or two on the way to a word, or a word as common as "injection") codes whose short
# description matches come first, each part in code order.
MAX_RANKED = 800
# Row sets of the last FTS5 expressions kept (a query being typed asks for each again and again),
# and of the last few large ones besides: the first letter or two of a word match thousands of codes,
# the costliest sets to read again, and every word typed starts with them.
KEPT_EXPRESSIONS, KEPT_LARGE, LARGE = 64, 8, 1000
# Under a filter that keeps less than this share of the matches, bm25 scores only the rows it keeps.
FEW_KEPT = 0.5
# Result rows kept: typing lists the same codes keystroke after keystroke (a few pages).
KEPT_ROWS = 1000
# Codes whose bridged terms are kept, to explain why they matched (a few pages of results).
KEPT_BRIDGED = 1000
KEPT_FILTERS = 8  # sets of filters whose rows are kept
PAGE = 50  # a screenful and more; the window fetches the next page as the list scrolls
# What each sortable column of a result orders by, ascending (ties keep the rank order).
# Status: active first, then terminated codes by termination date.
SORT_ORDERS = {
    "code": ("c.code",),
    "short_description": ("c.short_description COLLATE NOCASE",),
    "long_description": ("c.long_description COLLATE NOCASE",),
    "status": ("c.status = 'terminated'", "c.termination_date"),
}
# Codes for a part of something else ("Addition to tlso, ...", "Wheelchair accessory, ...",
# "Tubing for breast pump, replacement", "Seat attachment, walker"): after the things themselves,
# unless asked for.
PARTS = "{long_description}: (^addition OR replacement OR accessory OR attachment)"
PART_WORDS = frozenset({"addition", "additions", "accessory", "accessories", "replacement", "repl", "part", "parts",
                        "attachment", "attachments"})
# A description of drugs as such ("Unclassified drugs", "Noc drugs, ...", "Unclassified biologics").
DRUGS_AS_SUCH = re.compile(r"\b(drugs?|biologics?|biologicals?)\b", re.IGNORECASE)
# Words by which a description sets something aside ("for use other than knee").
EXCLUDING = re.compile(r"\b(other\s+than|except)\b", re.IGNORECASE)
# A name and a model number typed as one word ("libre2", "airsense10").
NAME_AND_NUMBER = re.compile(r"([a-z]{3,})(\d{1,3})")
# Endings of a word's inflected forms: its stem meets the other forms ("treated", "treatment").
INFLECTIONS = ("ed", "ing", "ly")
# A word among the commonest English words (by rank) that CMS writes in no more codes than this tells
# the situation, not the thing ("put", "same", "office").
COMMON_RANK, FEW_CODES = 600, 60
# What a context word's rarity counts beside a word naming the thing: it only breaks ties.
CONTEXT_WEIGHT = 0.001
# Which codes each kind word steers towards.
# Codes that report a quality measure or a status rather than bill a service or an item: CMS gives
# them G8000-G9999 and M1000-M1999, unpriced ("Documentation of medical reason(s) for not
# administering influenza vaccine", "Oncology; disease status; ..."). Words that ask for them.
REPORTING_SQL = ("SELECT rowid FROM codes WHERE (code BETWEEN 'G8000' AND 'G9999' OR code BETWEEN 'M1000' AND "
                 "'M1999') AND pricing_indicator_1 = '00'")
REPORTING_WORDS = frozenset({"quality", "measure", "measures", "mips", "reporting", "report", "documentation",
                             "documented", "reason", "reasons", "not", "declined", "performance", "status"})
KIND_SQL = {
    "modifier": "SELECT rowid FROM codes WHERE kind = 'modifier'",
    "drug": "SELECT rowid FROM codes WHERE code BETWEEN 'J' AND 'J\uffff' UNION "
            "SELECT rowid FROM codes_fts WHERE codes_fts MATCH '{long_description}: ^injection'",
    "supply": "SELECT rowid FROM codes_fts WHERE codes_fts MATCH '{long_description}: (supply OR supplies)'",
}


class Status(str, Enum):
    """A code's status as the database stores it (a plain string compares equal to its member)."""

    ACTIVE = "active"
    TERMINATED = "terminated"


@dataclass(frozen=True)
class Filters:
    """Narrow results: status, section letter or 'modifier', coverage, BETOS."""

    status: Status | None = None
    section: str | None = None
    coverage: str | None = None
    betos: str | None = None

    def chosen(self) -> list[tuple[str, str]]:
        """(column, value) of each filter set."""
        return [(column, getattr(self, column)) for column in ("status", "section", "coverage", "betos")
                if getattr(self, column)]

    def hides(self, hit: Hit) -> str | None:
        """The name of the filter that hides `hit`, or None."""
        for column in ("status", "section", "coverage", "betos"):
            value = getattr(self, column)
            if value and getattr(hit, column) != value:
                return column
        return None


class Hit(NamedTuple):
    """One result row (a tuple: hundreds are made per keystroke)."""

    code: str
    kind: str
    status: str
    section: str
    short_description: str
    long_description: str
    termination_date: str
    coverage: str
    betos: str
    added_date: str
    reason: str = ""  # why it matched, when not by CMS's own words


@dataclass
class SearchResult:
    """Ranked matches: every row id in rank order, the rows fetched so far, what to tell the coder."""

    query: Query
    ranked: list[int] = field(default_factory=list)  # row ids of every match, best first
    hits: list[Hit] = field(default_factory=list)  # the first rows of `ranked`, fetched
    unknown: list[str] = field(default_factory=list)  # codes asked for that are not in the release
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (token, "cpt", "cpt modifier" or "not a code")
    hidden: list[tuple[Hit, str]] = field(default_factory=list)  # codes asked for, hidden by (filter name)
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (typed, corrected) words
    ignored: list[str] = field(default_factory=list)  # words that match nothing at all
    unnamed: list[str] = field(default_factory=list)  # of those, the words naming the thing asked for
    matching_only: list[str] = field(default_factory=list)  # with unnamed words: the words the codes match
    withheld: int = 0  # codes not listed: they match only words of the sentence around the thing asked for
    uncoded_drugs: list[tuple[str, str]] = field(default_factory=list)  # (typed, generic) drugs no code names
    noc_listed: bool = False  # the not-otherwise-classified drug codes are listed, as the answer for those
    terms: list[tuple[str, bool]] = field(default_factory=list)  # (word, whole) to highlight: its start, or whole
    groups: list[Group] = field(default_factory=list)  # the words as matched, to say why a row matched
    group_rows: list[frozenset[int]] = field(default_factory=list)  # the row ids each of `groups` matches
    packages: list = field(default_factory=list)  # NDCs typed: (NDC, the `NdcPackage`s that list it, newest first)
    release_notes: list[tuple[str, str]] = field(default_factory=list)  # (unknown code, what the payment files say)
    reasons: dict[str, str] = field(default_factory=dict)  # code -> why it matched, as the caller says: every
    # row read for the code, in any order, says it (the codes the coder's notes found)

    @property
    def total(self) -> int:
        return len(self.ranked)

    @property
    def corrected_text(self) -> str | None:
        """What was typed, with its misspelled words corrected; None when nothing was corrected."""
        if not self.corrections:
            return None
        text = self.query.text
        for typed, fixed in self.corrections:
            text = re.sub(rf"(?<![^\W_]){re.escape(typed)}(?![^\W_])", fixed, text, flags=re.IGNORECASE)
        return text


def _make_hit(cursor, row) -> Hit:
    """A result row; every column of a code is text (NOT NULL): anything else is damage."""
    if set(map(type, row)) != {str}:  # the quick test: this runs for every row listed
        text_only(row)
    return Hit._make(row + ("",))


class SearchEngine:
    """Searches one open database; cheap to call on every keystroke.

    A damaged page met while reading raises DatabaseError, one line naming the file.
    """

    @reads_database
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.vocabulary = Vocabulary.load(conn)
        self.speller = Speller(conn)
        self.speller.learn({word for key, alternatives in self.vocabulary.alternatives.items()
                            if any(a.source == "synonym" for a in alternatives) for word in key})
        # Rows are stored active first, each part in code order.
        self._last_active = conn.execute(
            "SELECT coalesce(max(rowid), 0) FROM codes WHERE status = 'active'").fetchone()[0]
        self._terminated = frozenset(r for (r,) in conn.execute(
            "SELECT rowid FROM codes WHERE rowid > ?", (self._last_active,)))
        self._documents = conn.execute("SELECT count(*) FROM codes").fetchone()[0] or 1
        self._found: dict[str, frozenset[int]] = {}  # FTS5 expression -> row ids, most recently used last
        self._orders: dict[str, list[int]] = {}  # FTS5 expression -> its row ids in bm25 order, the same way
        self._rows: dict[int, Hit] = {}  # row id -> its result row, most recently listed last
        self._said: dict[Group, dict[int, bool | str]] = {}  # group -> what it says of each row explained
        self._large: dict[str, frozenset[int]] = {}  # large sets put out of `_found`, most recently used last
        self._bridged: dict[str, list[tuple[str, str, str, str]]] = {}  # code -> its bridged terms, first read first
        self._parts = self._ids(PARTS)
        self._reporting = frozenset(r for (r,) in conn.execute(REPORTING_SQL))
        self._setting_aside: frozenset[int] | None = None  # codes whose description sets something aside
        self._allowed: dict[Filters, frozenset[int]] = {}  # filters -> the rows they keep, most recently used last
        self._columns: dict[str, dict[str, frozenset[int]]] = {}  # filtered column -> value -> row ids
        self._kinds: dict[str, frozenset[int]] = {}
        self.lexicon = Lexicon(conn)
        self._noc_drugs: list[int] | None = None

    # ----- the one entry point
    @reads_database
    def search(self, text: str, filters: Filters = Filters(), limit: int = PAGE, correct: bool = True) -> SearchResult:
        """Ranked results for `text`; any string at all gives results or none, never an error.

        With `correct`, words that match nothing are replaced by the closest word of the index.
        """
        query = parse(text)
        result = SearchResult(query, skipped=list(query.skipped))
        allowed = self._allowed_rows(filters)
        if query.kind == QueryKind.RANGE:
            self._codes_between(result, *query.codes, allowed)
        elif query.kind == QueryKind.LIST:
            self._code_list(result, query.codes, filters, allowed)
        elif query.kind == QueryKind.CODE:
            low, high = query.code, query.code + "\uffff"
            self._codes_between(result, low, high, allowed)
            self._report_hidden(result, [query.code], filters)
            if not (re.match(r"^[A-Z]\d{1,4}$", query.code) and result.ranked):  # "o2", "ga" are words too
                self._words(result, query, allowed, correct)
            if not result.total and not result.hidden and PROCEDURE.match(query.code):  # a whole code, unknown
                result.unknown.append(query.code)
                result.ignored = [w for w in result.ignored if w != query.code.lower()]
                result.unnamed = [w for w in result.unnamed if w != query.code.lower()]
        elif query.kind == QueryKind.WORDS:
            self._words(result, query, allowed, correct)
        elif query.kind == QueryKind.NDC:
            from ..data.payment import lookup_ndc  # read when an NDC is typed: the start-up does not pay for it

            result.packages = [(ndc, lookup_ndc(self.conn, ndc)) for ndc in query.ndcs]
            codes = [p.code for _, packages in result.packages for p in packages]
            self._code_list(result, list(dict.fromkeys(codes)), filters, allowed)
        self.fetch_more(result, limit)
        return result

    @reads_database
    def lookup(self, codes: list[str], filters: Filters = Filters()) -> SearchResult:
        """The given codes, in that order, as a result (unknown ones reported)."""
        result = SearchResult(Query(QueryKind.LIST, codes=list(dict.fromkeys(codes))))
        self._code_list(result, result.query.codes, filters, self._allowed_rows(filters))
        self.fetch_more(result, len(result.ranked))
        return result

    @reads_database
    def fetch_more(self, result: SearchResult, count: int = PAGE) -> list[Hit]:
        """Fetch the next `count` ranked rows into `result.hits`; returns them."""
        ids = result.ranked[len(result.hits) : len(result.hits) + max(count, 0)]
        if not ids:
            return []
        hits = self._rows_of(ids)
        if result.groups or result.corrections:
            hits = self._explain(result, ids, hits)
        if result.reasons:
            hits = [hit._replace(reason=result.reasons[hit.code]) if hit.code in result.reasons else hit
                    for hit in hits]
        result.hits += hits
        return hits

    def _rows_of(self, ids: list[int]) -> list[Hit]:
        """The result rows of `ids`, in that order; the last few pages listed are kept."""
        kept = self._rows
        unread = [i for i in ids if i not in kept]
        if unread:
            cursor = self.conn.cursor()
            cursor.row_factory = lambda c, row: (row[0], _make_hit(c, row[1:]))
            sql = f"SELECT c.rowid, {RESULT_COLUMNS} FROM codes c WHERE c.rowid IN (SELECT value FROM json_each(?))"
            read = dict(cursor.execute(sql, (json.dumps(unread),)).fetchall())
            if len(read) < len(set(unread)):  # the index lists a row the table lacks
                raise sqlite3.DatabaseError("codes_fts lists codes the codes table lacks")
            kept.update(read)
        hits = [kept[i] for i in ids]
        for i, hit in zip(ids, hits):  # now the most recently listed
            del kept[i]
            kept[i] = hit
        while len(kept) > KEPT_ROWS:
            del kept[next(iter(kept))]
        return hits

    @reads_database
    def sorted_by(self, result: SearchResult, column: str, descending: bool = False,
                  limit: int = PAGE) -> SearchResult:
        """`result` with every match ordered by `column` (a key of SORT_ORDERS, or "reason": why it
        matched), ties in rank order, and its first `limit` rows fetched. `result` keeps its order."""
        if column == "reason":  # known only once a row is explained: every row is read
            self.fetch_more(result, result.total - len(result.hits))
            order = sorted(range(result.total), key=lambda i: result.hits[i].reason.casefold(), reverse=descending)
            return dataclasses.replace(result, ranked=[result.ranked[i] for i in order],
                                       hits=[result.hits[i] for i in order])
        direction = " DESC" if descending else ""
        order = ", ".join(term + direction for term in SORT_ORDERS[column])
        ranked = self._id_list(f"SELECT c.rowid FROM json_each(?) j JOIN codes c ON c.rowid = j.value "
                               f"ORDER BY {order}, j.key", (json.dumps(result.ranked),))
        ordered = dataclasses.replace(result, ranked=ranked, hits=[])
        self.fetch_more(ordered, limit)
        return ordered

    # ----- codes
    def _codes_between(self, result, low, high, allowed):
        """Codes from `low` to `high`; rows are stored active first, each part in code order."""
        ids = [r for (r,) in self.conn.execute(
            "SELECT rowid FROM codes WHERE code BETWEEN ? AND ? ORDER BY rowid", (low, high))]
        result.ranked += ids if allowed is None else list(filter(allowed.__contains__, ids))

    def _code_list(self, result, codes, filters, allowed):
        """The codes in the given order; unknown ones and ones the filters hide are reported."""
        found = dict(self.conn.execute(
            "SELECT c.code, c.rowid FROM json_each(?) j JOIN codes c ON c.code = j.value", (json.dumps(codes),)))
        missing = [code for code in codes if code not in found]
        result.skipped += [(code, "cpt modifier") for code in missing if code.isdigit()]  # 25, 59: CPT's
        result.unknown += [code for code in missing if not code.isdigit()]
        result.ranked += [found[c] for c in codes if c in found and (allowed is None or found[c] in allowed)]
        self._report_hidden(result, [c for c in codes if c in found], filters)

    def _report_hidden(self, result, codes, filters):
        if filters == Filters() or not codes:
            return
        cursor = self.conn.cursor()
        cursor.row_factory = _make_hit
        for code in codes[:1000]:  # a pasted list longer than this names the first thousand
            for hit in cursor.execute(f"SELECT {RESULT_COLUMNS} FROM codes c WHERE c.code = ?", (code,)):
                hidden_by = filters.hides(hit)
                if hidden_by:
                    result.hidden.append((hit, hidden_by))

    # ----- words
    def _words(self, result, query, allowed, correct):
        typing = WORD.findall(query.text.lower())[-1:]  # the last word typed, maybe not whole yet
        groups = self._joined(self.vocabulary.groups(self._model_numbers_apart(query.words)))
        groups = [self._as_typed(g, i == len(groups) - 1 and list(g.words[-1:]) == typing) for i, g in enumerate(groups)]
        sets = [self._ids(g.expression()) for g in groups]
        fixes = []  # (edits of the closest, index, typed word, candidates) of words that match nothing
        for i, group in enumerate(groups):
            if sets[i] or len(group.words) != 1 or not self._may_correct(group.words[0]):
                continue
            word = group.words[0]
            parts = self.speller.split(word)
            if parts and (min(map(len, parts)) >= 4 or self._ids(phrase(" ".join(parts)))):
                # "pulseoximeter": pulse oximeter; "bedpan": bed pan as CMS writes it, but no "col prep"
                groups[i : i + 1] = [Group((part,)) for part in parts]
                sets[i : i + 1] = [self._ids(g.expression()) for g in groups[i : i + 2]]
            elif correct:
                last = i == len(groups) - 1 and word == query.words[-1]
                candidates = self.speller.corrections(word, prefix=last)
                if candidates:
                    fixes.append((candidates[0][1], i, word, candidates))
        matching = [s for s in sets if s]
        together = frozenset.intersection(*matching) if matching else None
        for _, i, word, candidates in sorted(fixes):  # surest first
            chosen = self._correction(candidates, together)
            if chosen:
                fixed, group, found = chosen
                result.corrections.append((word, fixed))
                groups[i], sets[i] = group, found
                together = found if together is None else (found & together) or together
        result.ignored = [" ".join(g.words) for g, s in zip(groups, sets) if not s]
        result.unnamed = [" ".join(g.words) for g, s in zip(groups, sets) if not s and not self._incidental(g)]
        result.uncoded_drugs = [(word, generic) for word in result.unnamed
                                for generic in [self.lexicon.uncoded_drug(word)] if generic]
        kept = [(g, s) for g, s in zip(groups, sets) if s]
        core = [(g, s) for g, s in kept if not self._context(g)] or ([] if result.unnamed else kept)
        context = [s for g, s in kept if self._context(g)] if core is not kept else []
        result.groups = [g for g, _ in core]  # what the codes are listed for, and explained by
        result.group_rows = [s for _, s in core]
        result.terms = self._highlight_terms(result.groups)
        if result.unnamed:
            result.matching_only = [" ".join(g.words) for g, _ in (core or kept)]
        if not core:  # nothing names what was asked for: no answers, only what the incidental words match
            result.withheld = len(frozenset().union(*(s for _, s in kept))) if kept else 0
            if result.uncoded_drugs:  # a drug no code names is billed with a not-otherwise-classified code
                result.ranked += [i for i in self._noc_drug_rows() if allowed is None or i in allowed]
                result.noc_listed = True
            return
        parts = frozenset() if PART_WORDS.intersection(query.words) else self._parts
        parts |= self._excluding(core, query.text)
        if not REPORTING_WORDS.intersection(text_words(query.text)):
            parts |= self._reporting
        # Common words and details that qualify the thing ("left thumb", "physical therapy", "250 cc")
        # also order the codes that match every naming word; words of the situation ("patient",
        # "home") never do.
        # Those that match them all first, then those that match the rarest of them…: a detail typed
        # that CMS writes otherwise ("400 lb" where CMS says "greater than 300 pounds") leaves the others.
        qualifiers = sorted((s for g, s in kept if core is not kept and self._context(g)
                             and not all(w in CONTEXT_WORDS for w in g.words)), key=len)
        qualified = [frozenset.intersection(*qualifiers)] if len(qualifiers) > 1 else []
        ranked = self._rank([s for _, s in core], [g for g, _ in core], context, self._steer(query, result), parts,
                            qualified + qualifiers, allowed)
        if any(KIND_WORDS[w] == "modifier" for w in query.kind_words):  # "… modifier": modifiers, however worded
            ranked = _partition(ranked, [self._kind_rows("modifier")])
        if result.ranked:  # codes a code-prefix search listed already
            ranked = list(filterfalse(frozenset(result.ranked).__contains__, ranked))
        result.ranked += ranked

    def _as_typed(self, group: Group, last: bool) -> Group:
        """`group` matching its words as typed: a real word the index does not have matches whole
        ("sent" is no start of "sentinel") unless still being typed, and with its English stem when the
        word is inflected ("treated": treatment, "monthly": month) or the index lacks it as typed ("nebulizing": nebul…; a stem of four letters only of a real word:
        "oxymizer" is no "oxym…")."""
        if group.alternatives and group.alternatives[0].source == "joined":
            return group
        typed = [w for w in group.words if not (last and w == group.words[-1])]  # not still being typed
        # A word the vocabulary knows is a whole word ("flu shot": flu is no start of "fluorouracil").
        known = [w for w in typed if w.isalpha() and group.alternatives]
        missing = [w for w in group.words if w.isalpha() and not self._in_index(w)]
        inflected = [w for w in group.words if len(w) >= 6 and w.isalpha() and w.endswith(INFLECTIONS)]
        if not missing and not inflected and not known:
            return group
        whole = frozenset([w for w in missing if w in typed and self.lexicon.is_english(w)] + known)
        stems = tuple((w, found) for w in dict.fromkeys(missing + inflected) for found in [stem(w)]
                      if found and w not in whole and (len(found) >= 5 or self.lexicon.is_english(w)))
        spellings = tuple(Alternative(us, "spelling", w) for w in missing if len(group.words) == 1
                          for us in us_spellings(w) if self._in_index(us))
        return dataclasses.replace(group, whole=whole, stems=stems, alternatives=group.alternatives + spellings)

    def _model_numbers_apart(self, words: list[str]) -> list[str]:
        """The words with a name and the number run together split where nothing knows the whole
        ("libre2": libre 2, "airsense10": airsense 10; not "b12" or "o2")."""
        split = []
        for word in words:
            joined = NAME_AND_NUMBER.fullmatch(word)
            if joined and not self._in_index(word) and not self.vocabulary.knows((word,)):
                split += joined.groups()
            else:
                split.append(word)
        return split

    def _in_index(self, word: str) -> bool:
        return any(form in self.speller.frequency for form in word_forms(word))

    def _may_correct(self, word: str) -> bool:
        """Whether a word that matches nothing may be a misspelling: not a real English word, nor a drug
        that no code names ("trampoline", "ozempic" are what they are)."""
        return not self.lexicon.is_english(word) and self.lexicon.uncoded_drug(word) is None

    def _incidental(self, group: Group) -> bool:
        """Whether a group that matches nothing is a word of the sentence around the thing asked for or
        a detail of it, not the name of that thing: a context word, a number or a model number
        ("5410ivc"), an everyday word CMS never writes."""
        return self._context(group) or all(self.lexicon.is_everyday(w) or any(c.isdigit() for c in w)
                                           for w in group.words)

    def _context(self, group: Group) -> bool:
        """Whether `group` tells the situation around the thing asked for rather than name it: a context
        word, a number, or a word of the commonest English that CMS writes in few codes ("put", "same",
        "office"; not "blood", which CMS writes in a hundred)."""
        if _situation(group) or all(w in QUALIFIER_WORDS for w in group.words):
            return True
        if group.alternatives and group.alternatives[0].source != "joined":
            return False  # the vocabulary knows it as a name
        return all(w in CONTEXT_WORDS or w in QUALIFIER_WORDS or is_detail(w) or self._common_elsewhere(w)
                   for w in group.words)

    def _common_elsewhere(self, word: str) -> bool:
        rank = self.lexicon.rank(word)
        return rank is not None and rank <= COMMON_RANK and self.speller.frequency.get(word, 0) <= FEW_CODES

    def _excluding(self, core: list[tuple[Group, frozenset[int]]], text: str) -> frozenset[int]:
        """The codes whose description sets aside a word asked for ("Continuous passive motion exercise
        device for use other than knee" when "knee" was asked), unless the query sets it aside too.
        Asked of the index only when a code that sets something aside matches (a hundred codes do)."""
        if self._setting_aside is None:
            self._setting_aside = self._ids('{long_description}: ("other than" OR except)')
        words = [w for g, _ in core for w in g.words if w.isalpha() and len(w) > 2]
        if not words or EXCLUDING.search(text) or not any(s & self._setting_aside for _, s in core):
            return frozenset()
        return self._ids("{long_description}: (" + " OR ".join(
            f'"{lead} {w}"' for w in words for lead in ("other than", "except")) + ")")

    def _noc_drug_rows(self) -> list[int]:
        """Row ids of the release's not-otherwise-classified codes for a drug that no code names, the
        most general first (J3490 "Unclassified drugs" before J7699 "Noc drugs, inhalation solution
        administered through dme"); not those for another form of a drug a code names ("Injection,
        thiotepa, not otherwise specified")."""
        if self._noc_drugs is None:
            codes = json.dumps(sorted(noc_codes(self.conn)))
            rows = self.conn.execute(
                "SELECT rowid, long_description FROM codes WHERE code IN (SELECT value FROM json_each(?)) "
                "AND status = 'active' AND section IN ('J', 'C')", (codes,)).fetchall()
            self._noc_drugs = [i for i, text in sorted(rows, key=lambda r: (len(r[1]), r[0]))
                               if DRUGS_AS_SUCH.search(text)]
        return self._noc_drugs

    def _described_in(self, text: str) -> frozenset[int]:
        """The codes whose short or long description the text says in full, as a phrase of two words
        or more ("what is the code for a blood glucose monitor with integrated voice synthesizer")."""
        said = [w for w in text_words(text) if w not in STOP_WORDS][:MAX_WORDS * 2]
        if len(said) < 2:
            return frozenset()
        keys = {said_key(" ".join(said[start:end])) for start in range(len(said) - 1)
                for end in range(start + 2, len(said) + 1)}
        return self._id_set("SELECT c.rowid FROM said_descriptions s JOIN codes c USING (code) "
                            "WHERE s.said IN (SELECT value FROM json_each(?))", (json.dumps(sorted(keys)),))

    def _steer(self, query: Query, result: SearchResult) -> list[frozenset[int]]:
        """Row sets to rank first, strongest first: the codes whose description the query says in full,
        two typed words CMS writes as one ("wheel chair":
        wheelchair), the typed words in a row (as typed, or as an index-style "orthosis, knee"
        reads), the kind words as written ("naloxone injection"), then codes of the kinds they
        name ("modifier": the modifiers), then the sections named by their letter ("j code")."""
        steer = [self._described_in(query.text)]
        steer += [self._ids("{code short_description long_description}: " + phrase(a.text))
                  for g in result.groups for a in g.alternatives if a.source == "joined"]
        if len(query.words) > 1:
            fixed = dict(result.corrections)
            ids = [self._ids("{short_description long_description terms}: "
                             + phrase(" ".join(fixed.get(w, w) for w in words), prefix=True))
                   for words in query.in_order]
            steer.append(frozenset().union(*ids))
        if query.kind_words:
            said = " OR ".join(Group((w,)).expression() for w in query.kind_words)
            steer.append(self._ids("{code short_description long_description}: (" + said + ")"))
            steer.append(frozenset().union(*(self._kind_rows(KIND_WORDS[w]) for w in query.kind_words)))
        if query.sections:
            steer.append(frozenset().union(*(self._section_rows(letter) for letter in query.sections)))
        return [s for s in steer if s]

    def _section_rows(self, letter: str) -> frozenset[int]:
        return self._column_rows("section").get(letter, frozenset())

    def _correction(self, candidates, together):
        """(word, its group, its codes) of the first candidate that finds codes with the other words;
        else of the closest when it is one edit away ("bedside comode") and finds codes at all; a
        guess two edits away must find codes with the other words ("rolling" is no "routing" beside
        "walker")."""
        found = []
        for fixed, edits in candidates:
            group = self.vocabulary.groups([fixed])[0]
            ids = self._ids(group.expression())
            if ids and (together is None or ids & together):
                return fixed, group, ids
            found.append((fixed, edits, group, ids))
        fixed, edits, group, ids = found[0]
        return (fixed, group, ids) if ids and edits < 2 else None

    def _joined(self, groups: list[Group]) -> list[Group]:
        """Two typed words that CMS writes as one ("wheel chair") also match the one word."""
        joined, i = [], 0
        while i < len(groups):
            pair = groups[i : i + 2]
            if len(pair) == 2 and all(len(g.words) == 1 for g in pair):
                word = pair[0].words[0] + pair[1].words[0]
                if word in self.speller.frequency:
                    words = pair[0].words + pair[1].words
                    joined.append(Group(words, (Alternative(word, "joined", " ".join(words)),)))
                    i += 2
                    continue
            joined.append(groups[i])
            i += 1
        return joined

    def _rank(self, sets, groups, context: list[frozenset[int]], steer: list[frozenset[int]],
              parts: frozenset[int], qualified: list[frozenset[int]] = (),
              allowed: frozenset[int] | None = None) -> list[int]:
        """Row ids of every match of the groups naming the thing in rank order (see the module's
        docstring), of the `allowed` rows only (None: every row); among the codes that match every one
        of them, those of each `qualified` set in turn come after the other steered ones; among the codes that match
        some of them, the `context` words break ties."""
        everywhere = frozenset.intersection(*sets)
        members = everywhere if allowed is None else everywhere & allowed
        if len(everywhere) <= MAX_RANKED:
            full = self._ranked(" AND ".join(g.expression() for g in groups), members, len(everywhere))
        elif all(len(w) < 3 for g in groups for w in g.words) and not any(g.alternatives for g in groups):
            full, steer, parts = sorted(members), [], frozenset()  # a letter or two: code order, active first
        else:  # too many to rank quickly: those whose short description matches first, in code order
            short = self._ids("{code short_description}: " + " AND ".join(g.expression() for g in groups))
            ordered = sorted(members)  # active codes first
            cut = len(ordered) - len(members & self._terminated)
            full = _partition(ordered[:cut], [short]) + _partition(ordered[cut:], [short])
        tiers = [(full, members, steer + list(qualified))]
        if len(sets) > 1:
            tiers.append((*self._some_groups(sets, everywhere, context, allowed), steer))
        active, terminated = [], []
        for rows, members, steering in tiers:  # each tier lists its active codes first
            cut = len(rows) - len(members & self._terminated)
            first = [s for s in steering if members & s]
            demoted = [parts] if members & parts else []
            for share, into in ((rows[:cut], active), (rows[cut:], terminated)):
                into += _partition(_partition(share, first), demoted, last=True)
        return active + terminated

    def _ranked(self, expression: str, members: frozenset[int], matches: int) -> list[int]:
        """The `members` of the `matches` rows `expression` matches, in bm25 order, active first. The
        order of the last few expressions is kept: a query typed again, or shown under another filter,
        asks for it again. Under a filter that keeps few of the matches, only those are scored."""
        order = self._orders.pop(expression, None)
        if order is None and len(members) < matches * FEW_KEPT:
            return self._id_list(f"SELECT rowid FROM codes_fts WHERE codes_fts MATCH ? AND +rowid IN "
                                 f"(SELECT value FROM json_each(?)) ORDER BY rowid > ?, {RANK}",
                                 (expression, json.dumps(sorted(members)), self._last_active))
        if order is None:
            order = self._id_list(f"SELECT rowid FROM codes_fts WHERE codes_fts MATCH ? ORDER BY rowid > ?, {RANK}",
                                  (expression, self._last_active))
        self._orders[expression] = order
        if len(self._orders) > KEPT_EXPRESSIONS:
            del self._orders[next(iter(self._orders))]  # the least recently used
        return order if len(members) == matches else list(filter(members.__contains__, order))

    def _some_groups(self, sets, everywhere, context=(), allowed=None) -> tuple[list[int], frozenset[int]]:
        """The codes (of the `allowed` rows; None: every row) that match some groups but not all: active
        first, then by the summed rarity of the groups they match (the context words' only breaking
        ties), then in code order. Worked out in sets: codes matching the same groups share a score, so
        only the few distinct scores are sorted, not thousands of codes."""
        some = frozenset().union(*sets) - everywhere
        if allowed is not None:
            some &= allowed
        shares = [(some, 0.0)] if some else []
        for s, share_of_weight in [(s, 1.0) for s in sets] + [(s, CONTEXT_WEIGHT) for s in context]:
            weight = math.log(1 + self._documents / len(s)) * share_of_weight
            shares = [(part, score) for share, score in shares
                      for part, score in ((share & s, score + weight), (share - s, score)) if part]
        by_score: dict[float, list[frozenset[int]]] = {}
        for share, score in shares:
            by_score.setdefault(score, []).append(share)
        active, terminated = [], []
        for score in sorted(by_score, reverse=True):
            rows = sorted(frozenset().union(*by_score[score]))
            cut = bisect.bisect_right(rows, self._last_active)
            active += rows[:cut]
            terminated += rows[cut:]
        return active + terminated, some

    def _id_set(self, sql: str, params) -> frozenset[int]:
        return frozenset(self._id_list(sql, params))

    def _id_list(self, sql: str, params) -> list[int]:
        """Row ids a query selects, in its order (one string from SQLite, split in C)."""
        (ids,) = self.conn.execute(f"SELECT group_concat(rowid) FROM ({sql})", params).fetchone()
        return json.loads(f"[{ids}]") if ids else []

    def _ids(self, expression: str) -> frozenset[int]:
        """Row ids an FTS5 expression matches; the last few are kept, as typing a query asks for the
        same words again on every keystroke (the database does not change under an engine), and the
        last few large sets longer (see KEPT_LARGE)."""
        found = self._found.pop(expression, None)
        if found is None:
            found = self._large.pop(expression, None)
        if found is None:
            sql = "SELECT group_concat(rowid) FROM codes_fts WHERE codes_fts MATCH ?"
            (ids,) = self.conn.execute(sql, (expression,)).fetchone()
            found = frozenset(json.loads(f"[{ids}]")) if ids else frozenset()
        if len(self._found) >= KEPT_EXPRESSIONS:
            oldest = next(iter(self._found))  # the least recently used
            if len(self._found[oldest]) > LARGE:
                self._large[oldest] = self._found[oldest]
                if len(self._large) > KEPT_LARGE:
                    del self._large[next(iter(self._large))]
            del self._found[oldest]
        self._found[expression] = found
        return found

    def _kind_rows(self, kind: str) -> frozenset[int]:
        if kind not in self._kinds:
            self._kinds[kind] = frozenset(r for (r,) in self.conn.execute(KIND_SQL[kind]))
        return self._kinds[kind]

    def _allowed_rows(self, filters: Filters) -> frozenset[int] | None:
        """Row ids the filters keep (None: every row): the rows of each filter's value, together; the
        last few sets of filters are kept."""
        if filters == Filters():
            return None
        allowed = self._allowed.pop(filters, None)
        if allowed is None:
            allowed = frozenset.intersection(*(self._column_rows(column).get(value, frozenset())
                                               for column, value in filters.chosen()))
            if len(self._allowed) >= KEPT_FILTERS:
                del self._allowed[next(iter(self._allowed))]  # the least recently used
        self._allowed[filters] = allowed
        return allowed

    def _column_rows(self, column: str) -> dict[str, frozenset[int]]:
        """Value -> row ids of a filtered column, read once."""
        if column not in self._columns:
            self._columns[column] = {value: frozenset(json.loads(f"[{ids}]")) for value, ids in self.conn.execute(
                f"SELECT {column}, group_concat(rowid) FROM codes GROUP BY {column}")}
        return self._columns[column]

    @staticmethod
    def _highlight_terms(groups: list[Group]) -> list[tuple[str, bool]]:
        """(term, whole) to highlight, as each group matches: the start of a word, or with `whole` the
        word itself (a word typed in full that the vocabulary knows, an alternative's words)."""
        terms = []
        for group in groups:
            terms += [(form, word in group.whole) for word in group.words for form in word_forms(word)
                      if "/" not in form]
            terms += [(found, False) for _, found in group.stems]
            terms += [(t, True) for a in group.alternatives if not a.codes
                      for t in tokens(a.text) if len(t) > 2]  # not the c of w/c
        return list(dict.fromkeys(t for t in terms if t[0]))

    # ----- why each row matched
    def _explain(self, result: SearchResult, ids: list[int], hits: list[Hit]) -> list[Hit]:
        """Each hit (of row id `ids`) with the reasons it matched where CMS's own words do not say it."""
        said = [self._said_of(group, rows, ids, hits) for group, rows in zip(result.groups, result.group_rows)]
        corrected = {right: reason_text("corrected", typed, right) for typed, right in result.corrections}
        explained = []
        for row, hit in zip(ids, hits):
            texts, fixes = [], []
            for group, of_rows in zip(result.groups, said):
                match = of_rows[row]
                if isinstance(match, str):
                    texts.append(match)
                if match and group.words[0] in corrected:  # only rows the corrected word found
                    fixes.append(corrected[group.words[0]])
            texts += fixes
            explained.append(hit._replace(reason="; ".join(dict.fromkeys(texts))) if texts else hit)
        return explained

    def _said_of(self, group: Group, rows: frozenset[int], ids: list[int], hits: list[Hit]) -> dict[int, bool | str]:
        """Row id -> what `group` (matching the `rows`) says of it: True (CMS's own words), a reason
        (an alternative, a bridged term), or False (the group does not match the row, or says nothing
        of it). Kept for the last few groups: typing asks it again for the words already typed."""
        said = self._said.pop(group, None)
        if said is None:
            said = {}
            if len(self._said) >= KEPT_EXPRESSIONS:
                del self._said[next(iter(self._said))]  # the least recently used
        self._said[group] = said
        unsaid = [(row, hit) for row, hit in zip(ids, hits) if row not in said]
        if not unsaid:
            return said
        # Words as " word word " strings: a phrase is a substring, the start of a word follows a space.
        alternatives = [(a.text.lower(), _spaced(a.text), a) for a in group.alternatives]
        starts = _starts(group)
        unexplained = []
        for row, hit in unsaid:
            if row not in rows:  # a code listed for the other words
                said[row] = False
                continue
            text = f"{hit.code} {hit.short_description} {hit.long_description}".lower()
            if all(word in text for word in group.words):  # most rows: CMS's own words matched
                said[row] = True
                continue
            words = _spaced(text)
            found = all(any(s in words for s in forms) for forms in starts) or next(
                (a.reason_for(hit.code) for raw, spaced, a in alternatives
                 if (hit.code in a.codes if a.codes else raw in text and spaced in words)), None)
            if found is None:
                unexplained.append((row, hit.code))
            else:
                said[row] = found
        if unexplained:  # a bridged term that holds the group's words, or an alternative
            bridged = self._bridged_terms([code for _, code in unexplained])
            phrases = [spaced for _, spaced, a in alternatives if not a.codes]
            for row, code in unexplained:
                said[row] = next((reason_text(source, term, via) for term, source, via, spaced in bridged[code]
                                  if all(any(s in spaced for s in forms) for forms in starts)
                                  or any(s in spaced for s in phrases)), False)
        return said

    def _bridged_terms(self, codes: list[str]) -> dict[str, list[tuple[str, str, str, str]]]:
        """Code -> (term, source, via, the term spaced) of the words bridged to it (brand names, CMS
        Index terms); the codes of the last few pages are kept, as typing asks to explain the same
        codes again."""
        unread = [code for code in codes if code not in self._bridged]
        if unread:
            read: dict[str, list[tuple[str, str, str, str]]] = {code: [] for code in unread}
            sql = "SELECT code, term, source, via FROM code_terms WHERE code IN (SELECT value FROM json_each(?))"
            for code, term, source, via in self.conn.execute(sql, (json.dumps(unread),)):
                read[code].append((term, source, via, _spaced(term)))
            while len(self._bridged) + len(read) > KEPT_BRIDGED:
                del self._bridged[next(iter(self._bridged))]  # the first read
            self._bridged.update(read)
        return {code: self._bridged[code] for code in codes}

    # ----- filter choices
    @reads_database
    def filter_values(self, column: str) -> list[tuple[str, str, int]]:
        """(value, meaning, number of codes) for each value of `column` ("coverage" or "betos")."""
        if column not in ("coverage", "betos"):
            raise ValueError(f"no filter on {column!r}")
        return self.conn.execute(
            f"SELECT c.{column}, coalesce(v.description, ''), count(*) FROM codes c "
            f"LEFT JOIN code_values v ON v.code_table = ? AND v.value = c.{column} "
            f"WHERE c.{column} != '' GROUP BY c.{column} ORDER BY c.{column}",
            (column,),
        ).fetchall()


def _partition(rows: list[int], sets: list[frozenset[int]], last: bool = False) -> list[int]:
    """`rows` with those in the first set first (or, with `last`, last), then by the next set…, else
    in the same order (a stable partition per set, the least significant first)."""
    for chosen in reversed(sets):
        inside = list(filter(chosen.__contains__, rows))
        if not inside or len(inside) == len(rows):
            continue
        outside = list(filterfalse(chosen.__contains__, rows))
        rows = outside + inside if last else inside + outside
    return rows


def _situation(group: Group) -> bool:
    """Whether every word of `group` is a word of the situation around a thing asked for, or a detail."""
    return all(w in CONTEXT_WORDS or is_detail(w) for w in group.words)


@lru_cache(maxsize=4096)
def _spaced(text: str) -> str:
    """The words of `text` as " word word ": a phrase is a substring, the start of a word follows a space
    (kept: the same descriptions, alternatives and bridged terms are explained keystroke after keystroke)."""
    return " " + " ".join(tokens(text)) + " "


def _starts(group: Group) -> list[tuple[str, ...]]:
    """Per word of `group`, its forms (and stem) as the start of a word in a " word word " string:
    the group holds a text when each word has a form in it."""
    stems = dict(group.stems)
    return [tuple(" " + form for form in (*word_forms(w), *filter(None, [stems.get(w)]))) for w in group.words]
