"""The results of a search as a Qt table model: code, short and long description, status."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from ..search import Hit, SearchResult

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
TERMS_ROLE = Qt.ItemDataRole.UserRole + 2

CODE, SHORT, LONG, STATUS = range(4)
_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole, HIT_ROLE, TERMS_ROLE,
})
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
        # Called for every role of every visible cell on each repaint: cheapest checks first.
        if role not in _ROLES:
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.AccessibleTextRole:
            column = index.column()
            if column == STATUS:
                return status_text(hit)
            return hit.code if column == CODE else hit.short_description if column == SHORT else hit.long_description
        if role == Qt.ItemDataRole.ForegroundRole:
            if hit.status == "terminated":
                return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._mono if index.column() == CODE else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.code} — {hit.long_description}\n{status_text(hit)}"
        if role == HIT_ROLE:
            return hit
        return self._result.terms if self._result else []  # TERMS_ROLE
