"""The results of a search as a Qt table model: code, short and long description, status."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from ..search import Hit, SearchResult

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
TERMS_ROLE = Qt.ItemDataRole.UserRole + 2

CODE, SHORT, LONG, STATUS = range(4)
HEADERS = ("Code", "Short description", "Long description", "Status")


def status_text(hit: Hit) -> str:
    """"Active", or "Terminated 2025-12-31" (never colour alone)."""
    if hit.status == "terminated":
        return f"Terminated {hit.termination_date}".strip()
    return "Active"


class ResultsModel(QAbstractTableModel):
    """Read-only rows of `Hit`s from the latest search."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._result: SearchResult | None = None
        self._hits: list[Hit] = []
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    @property
    def result(self) -> SearchResult | None:
        return self._result

    def set_result(self, result: SearchResult) -> None:
        self.beginResetModel()
        self._result = result
        self._hits = list(result.hits)
        self.endResetModel()

    def hit(self, row: int) -> Hit:
        return self._hits[row]

    def row_of(self, code: str) -> int:
        return next((i for i, h in enumerate(self._hits) if h.code == code), -1)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        hit = self._hits[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (hit.code, hit.short_description, hit.long_description, status_text(hit))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.code} — {hit.long_description}\n{status_text(hit)}"
        if role == Qt.ItemDataRole.ForegroundRole and hit.status == "terminated":
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.FontRole and column == CODE:
            return self._mono
        if role == HIT_ROLE:
            return hit
        if role == TERMS_ROLE:
            return self._result.terms if self._result else []
        return None
