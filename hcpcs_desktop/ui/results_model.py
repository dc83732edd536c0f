"""The results of a search as a Qt table model: code, short and long description, status, why it matched."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ..search import Hit, SearchResult
from .rows_model import RowsModel

TERMS_ROLE = Qt.ItemDataRole.UserRole + 1

CODE, SHORT, LONG, STATUS, WHY = range(5)
_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole, TERMS_ROLE,
})
HEADERS = ("Code", "Short description", "Long description", "Status", "Matched by")


def status_text(hit: Hit) -> str:
    """"Active", or "Terminated 2025-12-31" (never colour alone)."""
    if hit.status == "terminated":
        return f"Terminated {hit.termination_date}".strip()
    return "Active"


def cell_text(hit: Hit, column: int) -> str:
    """What column `column` shows of `hit`."""
    if column == STATUS:
        return status_text(hit)
    if column == WHY:
        return hit.reason
    return hit.code if column == CODE else hit.short_description if column == SHORT else hit.long_description


class ResultsModel(RowsModel):
    """Read-only rows of `Hit`s from the latest search."""

    HEADERS = HEADERS

    def __init__(self, parent=None):
        super().__init__(parent)
        self.result: SearchResult | None = None
        self._fetch = None
        self.fetch_paused = False  # while the view moves its current row: fetch only when scrolled to

    def set_result(self, result: SearchResult, fetch: Callable[[SearchResult], list[Hit]] | None = None) -> None:
        """Show `result`; `fetch(result)` brings its next page of rows when the view scrolls to the end."""
        self.result = result
        self._fetch = fetch
        self.set_rows(result.hits)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return (not parent.isValid() and not self.fetch_paused and self.result is not None
                and len(self.rows) < self.result.total)

    def fetchMore(self, parent=QModelIndex()) -> None:
        if self._fetch is None or not self.canFetchMore(parent):
            return
        more = self._fetch(self.result)
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def hit(self, row: int) -> Hit:
        return self.rows[row]

    def row_of(self, code: str) -> int:
        return next((i for i, h in enumerate(self.rows) if h.code == code), -1)

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # Called for every role of every visible cell on each repaint: cheapest checks first.
        if role not in _ROLES:
            return None
        hit = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.AccessibleTextRole:
            return cell_text(hit, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            if hit.status == "terminated":
                return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self.mono if index.column() == CODE else None
        if role == Qt.ItemDataRole.ToolTipRole:
            why = f"\nMatched: {hit.reason}" if hit.reason else ""
            return f"{hit.code} — {hit.long_description}\n{status_text(hit)}{why}"
        return self.result.terms if self.result else []  # TERMS_ROLE
