"""The changes between two releases as a Qt table model."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontDatabase

from ..data.changes import Change

CHANGE_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Code", "Change", "Old", "New", "Short description")


def _shown(value: str, meaning: str) -> str:
    return f"{value} — {meaning}" if value and meaning else value or meaning


class ChangesModel(QAbstractTableModel):
    """Read-only rows of `Change`s."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._changes: list[Change] = []
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    def set_changes(self, changes: list[Change]) -> None:
        self.beginResetModel()
        self._changes = list(changes)
        self.endResetModel()

    def change(self, row: int) -> Change:
        return self._changes[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._changes)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        change = self._changes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                change.code,
                change.label,
                _shown(change.old, change.old_meaning),
                _shown(change.new, change.new_meaning),
                change.description,
            )[index.column()]
        if role == Qt.ItemDataRole.FontRole and index.column() == 0:
            return self._mono
        if role == CHANGE_ROLE:
            return change
        return None
