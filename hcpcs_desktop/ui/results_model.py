"""The results of a search as a Qt table model: code, short and long description, status, why it matched.

The model owns its rows: views and the window read them through `row()`, `hit()`,
`code_at()` and `row_of()`, never through the list itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

import html

from ..search import Hit, SearchResult
from ..search.engine import Status
from ..search.query import QueryKind
from ..wording import on_date_heading, row_validity_text, status_text
from .rows_model import RowsModel

CODE, SHORT, LONG, STATUS, WHY = range(5)
HEADERS = ("Code", "Short description", "Long description", "Status", "Matched by")
TOOLTIP_WIDTH = 420  # pixels
DATED_ROWS = 100  # rows around one drawn whose validity on the date of service is read with it (a screen or two)
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


class ResultRow(NamedTuple):
    """What a view shows of one result: its hit, the text of each column, and whether it is greyed."""

    hit: Hit
    cells: tuple[str, str, str, str, str]
    greyed: bool


def result_row(hit: Hit, on_date=None) -> ResultRow:
    """The one place that says what a row shows; a terminated code is greyed (and says so in words). With
    `on_date` (the code's DateOfService, a date of service entered) the status says whether the code was
    valid on that date, and a code that was not is greyed."""
    if on_date is None:
        status, greyed = status_text(hit.status, hit.termination_date), hit.status == Status.TERMINATED
    else:
        status, greyed = row_validity_text(on_date), not on_date.valid
    return ResultRow(hit, (hit.code, hit.short_description, hit.long_description, status, hit.reason), greyed)


class ResultsModel(RowsModel):
    """Read-only rows of `Hit`s from the latest search, in relevance order or sorted by a column."""

    HEADERS = HEADERS
    SORT_KEYS = {CODE: "code", SHORT: "short_description", LONG: "long_description", STATUS: "status", WHY: "reason"}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.result: SearchResult | None = None  # in relevance order
        self._shown: SearchResult | None = None  # the result whose rows are shown: `result`, or it sorted
        self._fetch = None
        self._sort = None
        self.fetch_paused = False  # while the view moves its current row: fetch only when scrolled to
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder  # -1: by relevance
        self.rows_in_use: Callable[[], list[int]] = lambda: []  # the rows a view shows current or selected
        # {code: DateOfService} of codes on the date of service entered, read for the rows drawn and those
        # around them together ({} when no date is entered or it cannot be read).
        self.validities_of: Callable[[list[str]], dict] = lambda codes: {}
        self.on_date = None  # the date of service entered
        self._dated: dict = {}  # {code: DateOfService} of the rows shown, read on `on_date`

    def set_date(self, date) -> None:
        """A date of service was entered (None: none): the Status column says what each code was then."""
        self.on_date, self._dated = date, {}
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, STATUS, STATUS)
        if self.rows:
            self.dataChanged.emit(self.index(0, STATUS), self.index(len(self.rows) - 1, STATUS))

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (section == STATUS and self.on_date is not None and orientation == Qt.Orientation.Horizontal
                and role == Qt.ItemDataRole.DisplayRole):
            return on_date_heading(self.on_date)
        return super().headerData(section, orientation, role)

    def set_result(self, result: SearchResult, fetch: Callable[[SearchResult], list[Hit]] | None = None,
                   sort: Callable[[SearchResult, str, bool], SearchResult] | None = None) -> None:
        """Show `result`; `fetch(result)` brings its next page of rows when the view scrolls to the end,
        and `sort(result, key, descending)` gives it ordered by a column (keys: SORT_KEYS)."""
        self.result, self._dated = result, {}
        self._fetch, self._sort = fetch, sort
        self._shown = self._ordered()
        self.set_rows(self._shown.hits)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort by `column` (every match, not just the rows fetched); -1 goes back to relevance."""
        self.sort_column, self.sort_order = column, order
        if self.result is None:
            return
        self.layoutAboutToBeChanged.emit()
        # The current and selected rows stay on their codes: read as far as the sorted list has them.
        # (Other rows Qt keeps an eye on, such as the one under the mouse, are not worth a read.)
        kept = self.persistentIndexList()
        ids = [self._shown.ranked[i.row()] if 0 <= i.row() < len(self.rows) else None for i in kept]
        in_use = {self._shown.ranked[row] for row in self.rows_in_use() if 0 <= row < len(self.rows)}
        self._shown = self._ordered()
        where = {row_id: row for row, row_id in enumerate(self._shown.ranked)}
        last = max((where[i] for i in in_use if i in where), default=-1)
        while len(self._shown.hits) <= last and self._fetch is not None and self._fetch(self._shown):
            pass
        self.rows = list(self._shown.hits)
        self.changePersistentIndexList(kept, [self.index(where[i], index.column())
                                              if where.get(i, len(self.rows)) < len(self.rows) else QModelIndex()
                                              for i, index in zip(ids, kept)])
        self.layoutChanged.emit()

    def _ordered(self) -> SearchResult:
        """The result in the chosen order."""
        if self.sort_column < 0 or self._sort is None:
            return self.result
        return self._sort(self.result, self.SORT_KEYS[self.sort_column],
                          self.sort_order == Qt.SortOrder.DescendingOrder)

    def terms(self) -> list[tuple[str, bool]]:
        """The words to show in bold: (word, whole), see `SearchResult.terms`."""
        return self.result.terms if self.result else []

    def may_say_why(self) -> bool:
        """Whether the rows may say why they matched: a search of words (any of its rows may match through
        other words than CMS's own, from one letter typed to the next), or a row that does."""
        words = self.result is not None and self.result.query.kind == QueryKind.WORDS
        return words or any(hit.reason for hit in self.rows)

    def any_terminated(self) -> bool:
        return any(hit.status == Status.TERMINATED for hit in self.rows)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return (not parent.isValid() and not self.fetch_paused and self._shown is not None
                and len(self.rows) < self._shown.total)

    def fetchMore(self, parent=QModelIndex()) -> None:
        if self._fetch is None or not self.canFetchMore(parent):
            return
        more = self._fetch(self._shown)
        if not more:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def row(self, row: int) -> ResultRow:
        hit = self.rows[row]
        return result_row(hit, self._on_date(row) if self.on_date is not None else None)

    def _on_date(self, row: int):
        """The DateOfService of the row's code, read with the rows around it when it is not yet read."""
        code = self.rows[row].code
        if code not in self._dated:
            start = max(row - DATED_ROWS // 2, 0)
            self._dated.update(self.validities_of([hit.code for hit in self.rows[start:start + DATED_ROWS]]))
        return self._dated.get(code)

    def hit(self, row: int) -> Hit:
        return self.rows[row]

    def code_at(self, row: int) -> str | None:
        return self.rows[row].code if 0 <= row < len(self.rows) else None

    def row_of(self, code: str) -> int:
        return next((i for i, h in enumerate(self.rows) if h.code == code), -1)

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if role in _TEXT_ROLES:
            return self.row(index.row()).cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            hit = self.rows[index.row()]
            lines = [f"<b>{html.escape(hit.code)}</b> — {html.escape(hit.long_description)}",
                     html.escape(status_text(hit.status, hit.termination_date))]
            if self.on_date is not None:
                lines.append(html.escape(f"{on_date_heading(self.on_date)}: {self.row(index.row()).cells[STATUS]}"))
            if hit.reason:
                lines.append(f"Matched: {html.escape(hit.reason)}")
            # Rich text in a table of a set width: Qt wraps it instead of showing one long line.
            return f'<table width="{TOOLTIP_WIDTH}"><tr><td>{"<br>".join(lines)}</td></tr></table>'
        return None
