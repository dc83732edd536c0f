"""The search engine the window and the command line share: a query in, ranked codes out."""

from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import dataclass, field
from typing import NamedTuple

from .abbreviations import abbreviated_phrase, alternatives
from .query import Query, parse

RESULT_COLUMNS = ", ".join(
    f"c.{column}"
    for column in (
        "code", "kind", "status", "section", "short_description", "long_description",
        "termination_date", "coverage", "betos", "added_date",
    )
)
# bm25 weights of the index columns: code, short description, long description.
RANK = "bm25(codes_fts, 10.0, 5.0, 1.0)"
# Ranking costs about a microsecond a match; beyond this many (a word of one or two
# letters, typed on the way to a longer one) results come in code order instead.
MAX_RANKED = 600
# A code or code prefix with digits ("E0", "S93", "S9353"): no word to search for.
CODE_LIKE = re.compile(r"^[A-Z]\d{1,4}$")


@dataclass(frozen=True)
class Filters:
    """Narrow results: status (active|terminated), section letter or 'modifier', coverage, BETOS."""

    status: str | None = None
    section: str | None = None
    coverage: str | None = None
    betos: str | None = None

    def sql(self, table: str = "c") -> tuple[str, list[str]]:
        clauses, params = [], []
        for column in ("status", "section", "coverage", "betos"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{table}.{column} = ?")
                params.append(value)
        return "".join(f" AND {c}" for c in clauses), params


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


@dataclass
class SearchResult:
    """Ranked hits, how many matched in all, and what to tell the coder."""

    query: Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    unknown: list[str] = field(default_factory=list)  # pasted codes not in the release
    suggestion: str | None = None  # "did you mean" when nothing matched
    terms: list[str] = field(default_factory=list)  # words to highlight (prefixes)


def _make_hit(cursor, row) -> Hit:
    return Hit._make(row)


def word_forms(word: str) -> list[str]:
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
    return forms


def _phrase(text: str, prefix: bool) -> str:
    tokens = [t for t in text.replace("/", " ").split() if t.isalnum()]
    return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")


def _word_group(word: str) -> str:
    options = [_phrase(w, prefix="/" not in w) for w in word_forms(word)]
    options += [_phrase(a, prefix=False) for a in alternatives(word)]
    return "(" + " OR ".join(dict.fromkeys(options)) + ")"


def match_expression(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word, as a prefix, in any of its forms.

    Words that spell out an abbreviation ("home infusion therapy") also match it ("hit").
    """
    groups, i = [], 0
    while i < len(words):
        length, shorts = abbreviated_phrase(words, i)
        if length:
            spelled = " AND ".join(_word_group(w) for w in words[i : i + length])
            groups.append(f"(({spelled}) OR " + " OR ".join(_phrase(a, prefix=False) for a in shorts) + ")")
            i += length
        else:
            groups.append(_word_group(words[i]))
            i += 1
    return " AND ".join(groups)


def highlight_terms(words: list[str]) -> list[str]:
    """Lower-case prefixes the results view should emphasise."""
    terms = []
    for word in words:
        terms += [w for w in word_forms(word) if "/" not in w]
        terms += [t for a in alternatives(word) for t in a.replace("/", " ").split()]
    return list(dict.fromkeys(t for t in terms if t))


class SearchEngine:
    """Searches one open database; cheap to call on every keystroke."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._vocabulary: list[str] | None = None
        self._active_rows: int | None = None

    def search(self, text: str, filters: Filters = Filters(), limit: int = 200) -> SearchResult:
        """Ranked results for `text`; any string at all gives results or none, never an error."""
        query = parse(text)
        result = SearchResult(query)
        if query.kind == "range":
            self._codes_between(result, *query.codes, filters, limit)
        elif query.kind == "list":
            self._code_list(result, filters)
        elif query.kind == "code":
            low, high = query.code, query.code + "\uffff"
            self._codes_between(result, low, high, filters, limit)
            if not (CODE_LIKE.match(query.code) and result.hits):  # "o2", "in", "ga" are words too
                self._words(result, query.words, filters, limit, exclude=(low, high))
        elif query.kind == "words":
            self._words(result, query.words, filters, limit)
        if not result.hits and query.words:
            result.suggestion = self.suggest(query.words)
        return result

    def lookup(self, codes: list[str], filters: Filters = Filters()) -> SearchResult:
        """The given codes, in that order, as a result (unknown ones reported)."""
        result = SearchResult(Query("list", codes=list(dict.fromkeys(codes))))
        self._code_list(result, filters)
        return result

    def _rows(self, sql: str, params) -> list[Hit]:
        cursor = self.conn.cursor()
        cursor.row_factory = _make_hit
        return cursor.execute(sql, params).fetchall()

    def _codes_between(self, result, low, high, filters, limit):
        """Codes from `low` to `high` in code order, active ones first."""
        where, params = filters.sql()
        base = f"FROM codes c WHERE c.code BETWEEN ? AND ?{where}"
        # Rows are stored active first, each part in code order: rowid order is the order shown.
        result.hits = self._rows(f"SELECT {RESULT_COLUMNS} {base} ORDER BY c.rowid LIMIT ?", [low, high, *params, limit])
        result.total = self.conn.execute(f"SELECT count(*) {base}", [low, high, *params]).fetchone()[0]

    def _code_list(self, result, filters):
        where, params = filters.sql()
        found = {}
        for code in result.query.codes:
            rows = self._rows(f"SELECT {RESULT_COLUMNS} FROM codes c WHERE c.code = ?{where}", [code, *params])
            if rows:
                found[code] = rows[0]
            elif not self.conn.execute("SELECT 1 FROM codes WHERE code = ?", (code,)).fetchone():
                result.unknown.append(code)
        result.hits = list(found.values())
        result.total = len(result.hits)

    def _words(self, result, words, filters, limit, exclude=None):
        """Full-text matches: ranked by bm25, or in code order when too many to rank quickly."""
        if not words:
            return
        where, params = filters.sql()
        if exclude:  # codes already listed by a code-prefix search
            where += " AND NOT c.code BETWEEN ? AND ?"
            params += list(exclude)
        params = [match_expression(words), *params]
        base = f"FROM codes_fts JOIN codes c ON c.rowid = codes_fts.rowid WHERE codes_fts MATCH ?{where}"
        count_from = base if where else "FROM codes_fts WHERE codes_fts MATCH ?"
        total = self.conn.execute(f"SELECT count(*) {count_from}", params).fetchone()[0]
        room = max(limit - len(result.hits), 0)
        if total <= MAX_RANKED:
            # Rank row ids only (terminated codes are stored after every active one), then
            # fetch the columns of the few rows shown: long descriptions never go through the sort.
            ranked = (f"SELECT codes_fts.rowid AS id, codes_fts.rowid > ? AS late, {RANK} AS score {base} "
                      "ORDER BY late, score LIMIT ?")
            sql = f"SELECT {RESULT_COLUMNS} FROM ({ranked}) r JOIN codes c ON c.rowid = r.id ORDER BY r.late, r.score"
            result.hits += self._rows(sql, [self._last_active_rowid(), *params, room])
        else:
            result.hits += self._rows(f"SELECT {RESULT_COLUMNS} {base} ORDER BY codes_fts.rowid LIMIT ?", [*params, room])
        result.total += total
        result.terms = highlight_terms(words)

    def _last_active_rowid(self) -> int:
        if self._active_rows is None:
            query = "SELECT coalesce(max(rowid), 0) FROM codes WHERE status = 'active'"
            self._active_rows = self.conn.execute(query).fetchone()[0]
        return self._active_rows

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

    def vocabulary(self) -> list[str]:
        """Index words worth suggesting (letters only, 3+ characters), loaded once."""
        if self._vocabulary is None:
            self._vocabulary = [
                term
                for (term,) in self.conn.execute("SELECT term FROM vocabulary WHERE length(term) >= 3")
                if term.isalpha()
            ]
        return self._vocabulary

    def _known_prefix(self, word: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM vocabulary WHERE term >= ? AND term < ? LIMIT 1", (word, word + "\uffff")
        ).fetchone()
        return row is not None

    def suggest(self, words: list[str]) -> str | None:
        """A spelling of the words that matches something, or None."""
        corrected = []
        for word in words:
            if self._known_prefix(word) or alternatives(word):
                corrected.append(word)
                continue
            close = difflib.get_close_matches(word, self.vocabulary(), n=1, cutoff=0.7)
            if not close:
                return None
            corrected.append(close[0])
        if corrected == words:
            return None
        suggestion = " ".join(corrected)
        return suggestion if self.search(suggestion, limit=1).hits else None
