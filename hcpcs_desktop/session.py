"""What the app is doing now, without a window: the open release, its search and pages,
the other releases for a code's history, the coder's codes, and imports.

The window shows a `Session`; the tests drive one directly. Nothing here imports Qt.
Building a release (sqlite-utils, dateutil, the release store) is imported only when an
import or the list of releases is asked for, so that starting the app does not pay for it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .data.database import CodePage, DatabaseError, damaged, load_code, open_database, release_info
from .search import Filters, SearchEngine, SearchResult
from .search.query import PROCEDURE, Query, QueryKind, parse
from .search_history import SearchHistory
from .user_codes import UserCodes
from .user_notes import UserNotes
from .wording import date_of_service_text, noted_reason

if TYPE_CHECKING:
    from .data import references

PAGES_KEPT = 256  # code pages kept read (a page is a few kB)
VALIDITY_KEPT = 2048  # codes' validity on the date of service kept read (a result row each)
FACTS_KEPT = 256  # payment facts and drug doses kept read
UNKNOWN_PRICED_CHECKED = 50  # codes of a search not in the release looked up in the payment files
HISTORIES_KEPT = 256

Progress = Callable[[float, str], None]


class _Bounded(OrderedDict):
    """A dict that forgets its least recently used entries beyond `size`."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get_or(self, key, make):
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()
        if len(self) > self.size:
            self.popitem(last=False)
        return value


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: the release stored (an ImportResult), the releases a payment file
    was added to ((StoredRelease, PaymentImport) pairs), or why nothing changed."""

    stored: object | None = None  # an ImportResult
    problem: str = ""
    payment: list = ()


class Session:
    """One open release (or none, with the problem that says why) and what goes with it."""

    def __init__(self, codes: UserCodes, store=None, notes: UserNotes | None = None,
                 searches: SearchHistory | None = None):
        self.codes = codes
        # The coder's notes and typed searches live beside their codes unless given.
        self.notes = notes or UserNotes(codes.path.with_name("notes.json"))
        self.searches = searches or SearchHistory(codes.path.with_name("searches.json"))
        self._store = store
        self.conn: sqlite3.Connection | None = None
        self.db_path: Path | None = None
        self.engine: SearchEngine | None = None
        self.release: dict = {}
        self.problem: str | None = "No database is open."
        self._pages = _Bounded(PAGES_KEPT)
        self._histories = _Bounded(HISTORIES_KEPT)
        self._releases: list | None = None
        self._facts = _Bounded(FACTS_KEPT)
        self._drugs = _Bounded(FACTS_KEPT)
        self._has_payment: bool | None = None
        self._validity = _Bounded(VALIDITY_KEPT)
        self.indexing: threading.Thread | None = None  # reading the releases' codes into the release index
        self.service_date: dt.date | None = None  # the date of service the coder entered
        self.today: Callable[[], dt.date] = dt.date.today
        self.on_problem: Callable[[], None] = lambda: None  # a read met a damaged database

    # ----- the open release
    @property
    def store(self):
        """The store of releases (made on first use: it brings the build machinery)."""
        if self._store is None:
            from .data.release_store import ReleaseStore
            self._store = ReleaseStore()
        return self._store

    def open(self, path: Path) -> str | None:
        """Open the database at `path` instead of the one open; None, or the problem (nothing changed)."""
        try:
            conn = open_database(path)
            release = release_info(conn)
            engine = SearchEngine(conn)
        except DatabaseError as exc:
            return str(exc)
        except sqlite3.DatabaseError as exc:
            return f"{path} is not a readable HCPCS database ({exc})."
        self.use(conn, Path(path), release, engine)
        return None

    def switch(self, path: Path) -> str | None:
        """`open(path)` chosen by the coder: remembered, so that the next start opens it again."""
        problem = self.open(path)
        if problem is None:
            self.store.remember(Path(path))
        return problem

    def use(self, conn: sqlite3.Connection, path: Path, release: dict | None = None,
            engine: SearchEngine | None = None, searching: bool = True) -> None:
        """Show `conn` (the database at `path`), closing the one open before; without `searching`, its
        pages only (the command line's `show`): no search engine is made, and a search finds nothing."""
        if self.conn is not None and self.conn is not conn:
            self.conn.close()
        self.conn, self.db_path = conn, Path(path)
        self.release = release or release_info(conn)
        self.engine = engine or (SearchEngine(conn) if searching else None)
        self.problem = None
        self._forget()

    def fail(self, problem: str, path: Path | None = None) -> None:
        """Nothing usable is open: `problem` says why."""
        if self.conn is not None:
            self.conn.close()
        self.conn, self.engine, self.release, self.problem = None, None, {}, problem
        if path is not None:
            self.db_path = Path(path)
        self._forget()

    def _forget(self) -> None:
        """Forget everything read of the release shown before: another one (or none) is shown now."""
        for cache in (self._pages, self._facts, self._drugs):
            cache.clear()
        self._has_payment = None
        self.forget_releases()

    def guarded(self, read, empty=None):
        """`read()`, or `empty` when it meets a damaged database: then nothing is open any
        more, `problem` says why and `on_problem()` is called. Every read of the open database
        goes through here."""
        try:
            return read()
        except (DatabaseError, sqlite3.DatabaseError) as exc:
            path = self.db_path
            self.fail(str(exc) if isinstance(exc, DatabaseError) else damaged(path, exc), path)
            self.on_problem()
            return empty

    # ----- searching
    def search(self, text: str, filters: Filters = Filters(), correct: bool = True) -> SearchResult:
        """The ranked result of `text`; an empty query lists favorites, then recent codes."""
        if self.engine is None:
            return SearchResult(Query(QueryKind.EMPTY))
        return self.guarded(lambda: self._search(text, filters, correct), SearchResult(Query(QueryKind.EMPTY)))

    def _search(self, text: str, filters: Filters, correct: bool) -> SearchResult:
        noted = self._noted(text)
        result = self.engine.search(text, filters, correct=correct and not noted)
        if noted:
            self._add_noted(result, noted, filters)
        if result.query.kind != QueryKind.EMPTY:
            asked = result.unknown or ([result.query.code] if result.query.kind == QueryKind.CODE
                                       and not result.total and PROCEDURE.match(result.query.code) else [])
            if asked and self.has_payment_files():  # codes a newer release has, priced already
                notes = ((code, self.payment(code).release_note) for code in asked[:UNKNOWN_PRICED_CHECKED])
                result.release_notes = [(code, note) for code, note in notes if note]
            return result
        codes = list(dict.fromkeys(self.codes.favorites + self.codes.recent))
        result = self.engine.lookup(codes, filters)
        result.unknown.clear()  # codes of an older release are no news here
        result.hidden.clear()
        result.query = Query(QueryKind.EMPTY)
        return result

    def _noted(self, text: str) -> list[str]:
        """Codes whose note has the words of `text` (a search of words only)."""
        if not self.notes.notes:
            return []
        query = parse(text)
        return self.notes.matching(query.words) if query.kind == QueryKind.WORDS else []

    def _add_noted(self, result: SearchResult, codes: list[str], filters: Filters) -> None:
        """Put the codes found by the coder's notes first in `result`, saying why they matched (in
        every row read for them, sorted too).

        The fetched hits stay the first rows of the ranked ones, so fetching more goes on after them."""
        noted = self.engine.lookup(codes, filters)
        ids = set(noted.ranked)
        words = set(result.query.words)
        result.ranked[:] = noted.ranked + [i for i in result.ranked if i not in ids]
        result.reasons.update({hit.code: noted_reason(self.notes.get(hit.code)) for hit in noted.hits})
        result.hits[:] = ([hit._replace(reason=result.reasons[hit.code]) for hit in noted.hits]
                          + [hit for hit in result.hits if hit.code not in codes])
        result.ignored[:] = [word for word in result.ignored if word not in words]
        result.unnamed[:] = [word for word in result.unnamed if word not in words]  # the coder's note names it
        result.uncoded_drugs[:] = [(word, generic) for word, generic in result.uncoded_drugs if word not in words]
        if not result.unnamed:
            result.matching_only.clear()
            result.withheld, result.noc_listed = 0, False

    def fetch_more(self, result: SearchResult):
        return self.guarded(lambda: self.engine.fetch_more(result), []) if self.engine else []

    def sorted_by(self, result: SearchResult, column: str, descending: bool = False) -> SearchResult:
        """`result` ordered by `column` (see SearchEngine.sorted_by), its first page fetched."""
        if self.engine is None:
            return result
        return self.guarded(lambda: self.engine.sorted_by(result, column, descending), result)

    def _cached(self, cache: _Bounded, key, read, empty=None):
        """`read()` of the open database, kept in `cache` under `key`, guarded; `empty` when
        nothing is open or the database turns out damaged."""
        if self.conn is None:
            return empty
        return self.guarded(lambda: cache.get_or(key, read), empty)

    def page(self, code: str) -> CodePage | None:
        """The full page of `code` in the open release, or None."""
        return self._cached(self._pages, code, lambda: load_code(self.conn, code))

    def code_view(self, code: str):
        """Everything the page of `code` says (a `CodeView`: the screen, the printed page and the PDF
        render it), or None when the release lacks the code or a read met a damaged database."""
        from .code_view import CodeView

        page = self.page(code)
        if page is None:
            return None
        validity = self.validity(code)
        view = CodeView(page, self.release.get("name", ""), related=self.related(code),
                        suggested=self.successors(code), note=self.notes.get(code),
                        note_written=self.notes.written.get(code, ""), favorite_list=self.codes.lists.get(code, ""),
                        history=self.history(code), service_date=date_of_service_text(validity) if validity else "",
                        payment=self.payment(code), drug=self.drug(code))
        return view if self.conn is not None else None  # every read went well

    # ----- Medicare payment facts and drug doses
    def payment(self, code: str):
        """The Medicare payment facts of `code` (a `PaymentFacts`, empty without payment files), or None."""
        from .data.payment import payment_facts

        facts = self._cached(self._facts, code, lambda: payment_facts(self.conn, code))
        return facts.on(self.service_date.isoformat()) if facts and self.service_date else facts

    def has_payment_files(self) -> bool:
        """Whether the open database holds any Medicare payment file."""
        from .data.payment import has_payment_facts

        if self.conn is None:
            return False
        if self._has_payment is None:
            self._has_payment = self.guarded(lambda: has_payment_facts(self.conn), False)
        return bool(self._has_payment)

    def drug(self, code: str):
        """The `DrugCode` of `code` (its billing dose), or None when it is no drug code."""
        from .data.drug_codes import load_drug_code

        return self._cached(self._drugs, code, lambda: load_drug_code(self.conn, code))

    def drug_codes(self) -> list:
        """Every drug code of the open release, for the Table of Drugs (read each time it opens)."""
        from .data.drug_codes import load_drug_codes

        return self.guarded(lambda: load_drug_codes(self.conn), []) if self.conn is not None else []

    def line_checker(self, state: str, setting: str):
        """A `LineChecker` of claim lines against the open release and the known ones, pricing by
        `state`'s DMEPOS fees ("" : none) and the MUEs of `setting` (a key of `claim_checks.SETTINGS`);
        None when nothing is open or the database turns out damaged."""
        if self.conn is None:
            return None
        from .claim_checks import SETTINGS, LineChecker

        # A stored release damaged since it was listed is left out, as the date of service leaves it out.
        readable = [release for release in self.releases() if _readable(release.path)]
        return self.guarded(lambda: LineChecker(self.conn, readable, state, SETTINGS[setting]))

    def related(self, code: str) -> references.Related:
        """The codes that refer to `code` and those its record names (none when nothing is open)."""
        from .data import references  # read with the first code's page: the start-up does not pay for it

        none = references.Related([], {})
        return self.guarded(lambda: references.related(self.conn, code), none) if self.conn is not None else none

    def successors(self, code: str) -> list[tuple[str, str]]:
        """The active codes suggested for `code` when it is terminated with no cross reference."""
        from .data.successors import suggested_successors

        return self.guarded(lambda: suggested_successors(self.conn, code), []) if self.conn is not None else []

    def read_ahead(self) -> None:
        """Read what the first code's page needs and every later page has cached: the codes that
        refer to codes, the other releases and the code history module (about 40 ms, once per
        release), the product and drug names the search bridges to codes (the first search of
        words would read them), and the index of the coder's notes; and start reading the codes of
        the releases listed into the release index (`indexing`, a worker thread), so that a code's
        history reads them at once. Meant for an idle moment after the release is shown."""
        if self.conn is None:
            return
        from .data import references

        importlib.import_module(".data.changes", __package__)  # now, not with the first code's history
        self.guarded(lambda: references.read_ahead(self.conn))
        if self.engine is not None:
            self.guarded(self.engine.vocabulary.read_ahead)
        paths = list(dict.fromkeys(release.path for release in self.releases()))
        self.notes.read_ahead()
        if self.indexing is None or not self.indexing.is_alive():  # else the next read-ahead reads the rest
            self.indexing = threading.Thread(target=self.store.index.index_codes, args=(paths,),
                                             name="index-release-codes", daemon=True)
            self.indexing.start()

    # ----- other releases
    def releases(self) -> list:
        """Every release the store knows and the one open (opened with --db or File → Open
        database… it counts too), oldest first (read once per open release)."""
        if self._releases is None:
            from .data.history import earlier_releases

            # The store passes over a database it cannot read: the open one's own earlier quarters are
            # read here first, so that damage there is met as every read of the open database is.
            if self.conn is not None and self.guarded(lambda: earlier_releases(self.conn)) is None:
                return []
            self._releases = self.store.releases(shown=self.db_path if self.conn is not None else None)
        return self._releases

    def forget_releases(self) -> None:
        """The store changed (a release was imported): list the releases again when next asked."""
        self._releases = None
        self._histories.clear()
        self._validity.clear()

    def newer_release(self):
        """The newest known release when it is newer than the one open, else None."""
        newest = self.releases()[-1] if self.conn is not None and self.releases() else None
        return newest if newest and newest.release_date > self.release["release_date"] else None

    def shows(self, release) -> bool:
        """Whether the open database is `release`: the same file, or a copy of it (the same
        release date and data)."""
        if self.conn is None:
            return False
        if self.db_path and release.path.resolve() == self.db_path.resolve() and not release.carried:
            return True
        data = next((f["sha256"] for f in self.release.get("source_files", []) if f["role"] == "data"), "")
        return (release.release_date, release.data_sha256) == (self.release["release_date"], data) and bool(data)

    def release_age(self) -> int:
        """Whole months from the open release's date to today (0 in its own month)."""
        date = dt.date.fromisoformat(self.release["release_date"])
        today = self.today()
        return max((today.year - date.year) * 12 + today.month - date.month, 0)

    def validity(self, code: str):
        """Whether `code` was valid on the date of service entered (a DateOfService), or None
        when no date is entered."""
        return self.validities([code]).get(code)

    def validities(self, codes: list[str]) -> dict:
        """{code: DateOfService} on the date of service entered ({} when no date is entered), the
        codes not read before read together: each release is opened once for them all."""
        if self.service_date is None or self.conn is None:
            return {}
        return self.guarded(lambda: self._validities(codes), {})

    def _validities(self, codes: list[str]) -> dict:
        from .data.validity import code_dates, validity_on

        day = self.service_date
        known = {code: self._validity[(code, day)] for code in codes if (code, day) in self._validity}
        unread = [code for code in dict.fromkeys(codes) if code not in known]
        if unread:
            def read(releases) -> dict:
                dates = code_dates(releases, unread, listed=True)
                return {code: validity_on(releases, code, day, dates) for code in unread}

            try:
                read_now = read(self.releases())
            except (DatabaseError, sqlite3.DatabaseError, OSError):  # a stored release damaged since listed
                self._releases = [r for r in self.releases() if _readable(r.path)]
                read_now = read(self._releases)
            for code, facts in read_now.items():
                self._validity.get_or((code, day), lambda facts=facts: facts)
            known.update(read_now)
        return known

    def history(self, code: str) -> list[str]:
        """What happened to `code` across the known releases, as sentences (none with one release).

        The releases the release index holds as their files are now are read from it at once; each
        other one is opened for the read and closed after, without checking again what its listing
        checked; a release that cannot be read (damaged since it was listed) is left out."""
        if self.conn is None:
            return []
        return self._histories.get_or(code, lambda: self._read_history(code))

    def _read_history(self, code: str) -> list[str]:
        from .data.changes import code_history

        releases = self.releases()
        if len(releases) < 2:
            return []
        try:
            return [event.text for event in code_history(releases, code, listed=True, index=self.store.index)]
        except Exception:  # a release changed since it was listed fails in any way: checked in full here
            readable = [release for release in releases if _readable(release.path)]
            self._releases = readable
            if len(readable) < 2:
                return []
            try:
                return [event.text for event in code_history(readable, code)]
            except (DatabaseError, sqlite3.DatabaseError, OSError):
                return []

    # ----- the coder's codes
    def reread_user_files(self) -> None:
        """Read the favorites, notes and searches again: another window may have changed them."""
        self.codes.reload()
        self.notes.reload()
        self.searches.reload()

    def export_notes_and_lists(self, path: Path) -> tuple[int, int]:
        """Write the coder's notes and favorites lists to `path` to share; (notes, lists). Raises OSError."""
        from .user_exchange import export

        return export(path, self.notes, self.codes)

    def import_notes_and_lists(self, path: Path):
        """Read a shared file of notes and lists into the coder's own (an `Imported`). Raises ValueError
        when it is no such file, OSError when it cannot be read or saved."""
        from .user_exchange import import_file

        return import_file(path, self.notes, self.codes)

    def toggle_favorite(self, code: str) -> bool:
        """Star or unstar `code`; True when now a favorite. Raises OSError when it could not be saved."""
        return self.codes.toggle_favorite(code)

    def set_note(self, code: str, note: str) -> None:
        """Keep the coder's `note` on `code` (empty: none). Raises OSError when it could not be saved."""
        self.notes.set(code, note)

    def searched(self, text: str) -> None:
        """The coder settled on the search `text`. Raises OSError when it could not be saved."""
        self.searches.add(text)

    def visited(self, code: str) -> None:
        """`code` was opened. Raises OSError when it could not be saved."""
        self.codes.visited(code)

    def notices(self) -> list[str]:
        """What the coder is still to be told about their own files (a file set aside because it
        could not be read, one neither read nor written): each said once."""
        told = []
        for file in (self.codes.file, self.notes.file, self.searches.file):
            told += file.notices
            file.notices.clear()
        return told

    # ----- importing
    def import_release(self, release: Path, progress: Progress | None = None,
                       documents: dict | None = None) -> ImportOutcome:
        """Build `release` into the store (all or nothing); the open release stays open.

        `documents` (layout, notes) default to the newest found. Safe to run on a worker thread:
        it touches only the store, and `progress(fraction, message)` is called on that thread."""
        from .data.errors import ReleaseError
        from .data.locations import bridge_sources, bundled_database
        from .data.locations import documents as found_documents
        from .data.payment_files import imports_as_payment_file
        from .data.payment_tables import PartlyAdded

        try:
            if imports_as_payment_file(release):  # into every known release but the bundled one (read-only)
                known = [self.db_path, *(r.path for r in self.store.releases())] if self.db_path else []
                return ImportOutcome(payment=self.store.import_payment_file(
                    release, also=[path for path in known if path != bundled_database()]))
            stored = self.store.import_release(
                release, progress=progress, **(documents if documents is not None else found_documents()),
                bridges=bridge_sources(previous=self.db_path),
            )
        except PartlyAdded as exc:  # it says what changed
            return ImportOutcome(problem=f"{exc}.")
        except (ReleaseError, OSError, DatabaseError, sqlite3.DatabaseError) as exc:
            said = str(exc)  # one line; most already say that nothing was changed
            return ImportOutcome(problem=said if "nothing was changed" in said else f"{said}; nothing was changed.")
        return ImportOutcome(stored=stored)

    def start_import(self, release: Path, progress: Progress, finished: Callable[[ImportOutcome], None],
                     documents: dict | None = None) -> threading.Thread:
        """`import_release` on a worker thread; `finished(outcome)` is called on that thread."""
        worker = threading.Thread(
            target=lambda: finished(self.import_release(release, progress, documents)),
            name="import-release", daemon=True,
        )
        worker.start()
        return worker


def _readable(path: Path) -> bool:
    try:
        conn = open_database(path)
    except DatabaseError:
        return False
    try:
        conn.execute("SELECT count(*) FROM codes").fetchone()
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
