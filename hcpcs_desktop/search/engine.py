"""The search engine the window and the command line share: a query in, ranked codes out."""

from __future__ import annotations

import difflib
import sqlite3
from dataclasses import dataclass, field

from .abbreviations import alternatives
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


@dataclass(frozen=True)
class Hit:
    """One result row."""

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


def match_expression(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word, as a prefix, in any of its forms."""
    groups = []
    for word in words:
        options = [_phrase(w, prefix="/" not in w) for w in word_forms(word)]
        options += [_phrase(a, prefix=False) for a in alternatives(word)]
        groups.append("(" + " OR ".join(dict.fromkeys(options)) + ")")
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

    def search(self, text: str, filters: Filters = Filters(), limit: int = 200) -> SearchResult:
        """Ranked results for `text`; any string at all gives results or none, never an error."""
        query = parse(text)
        result = SearchResult(query)
        if query.kind == "empty":
            return result
        if query.kind == "range":
            self._codes_between(result, *query.codes, filters, limit)
        elif query.kind == "list":
            self._code_list(result, filters)
        else:
            if query.kind == "code":
                self._code_prefix(result, query.code, filters, limit)
            self._words(result, query.words, filters, limit)
            if not result.hits and query.words:
                result.suggestion = self.suggest(query.words)
        return result

    def _rows(self, sql: str, params) -> list[Hit]:
        return [Hit(*row) for row in self.conn.execute(sql, params)]

    def _codes_between(self, result, low, high, filters, limit):
        where, params = filters.sql()
        base = f"FROM codes c WHERE c.code BETWEEN ? AND ?{where}"
        result.hits = self._rows(f"SELECT {RESULT_COLUMNS} {base} ORDER BY c.code LIMIT ?", [low, high, *params, limit])
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

    def _code_prefix(self, result, prefix, filters, limit):
        where, params = filters.sql()
        base = f"FROM codes c WHERE c.code >= ? AND c.code < ?{where}"
        bounds = [prefix, prefix + "\uffff"]
        result.hits = self._rows(
            f"SELECT {RESULT_COLUMNS} {base} ORDER BY c.code != ?, c.status = 'terminated', c.code LIMIT ?",
            [*bounds, *params, prefix, limit],
        )
        result.total = self.conn.execute(f"SELECT count(*) {base}", [*bounds, *params]).fetchone()[0]

    def _words(self, result, words, filters, limit):
        if not words:
            return
        expression = match_expression(words)
        where, params = filters.sql()
        base = f"FROM codes_fts JOIN codes c ON c.rowid = codes_fts.rowid WHERE codes_fts MATCH ?{where}"
        rows = self._rows(
            f"SELECT {RESULT_COLUMNS} {base} ORDER BY c.status = 'terminated', {RANK} LIMIT ?",
            [expression, *params, limit],
        )
        total = self.conn.execute(f"SELECT count(*) {base}", [expression, *params]).fetchone()[0]
        seen = {hit.code for hit in result.hits}
        result.hits += [row for row in rows if row.code not in seen][: max(limit - len(result.hits), 0)]
        result.total += total - sum(row.code in seen for row in rows)
        result.terms = highlight_terms(words)

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
