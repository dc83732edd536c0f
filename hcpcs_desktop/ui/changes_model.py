"""The changes between two releases as a Qt table model."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ..data.changes import KINDS, Change
from ..wording import value_meaning
from .rows_model import RowsModel, tooltip

HEADERS = ("Code", "Change", "Old", "New", "Short description")
SORT_ROLE = Qt.ItemDataRole.UserRole  # what a column sorts by: its text, a code's changes in the order of KINDS
KIND_ORDER = {kind: number for number, kind in enumerate(KINDS)}


class ChangesModel(RowsModel):
    """Read-only rows of `Change`s."""

    HEADERS = HEADERS

    def change(self, row: int) -> Change:
        return self.rows[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        change = self.rows[index.row()]
        if role == SORT_ROLE:
            if index.column() == 0:
                return f"{change.code}\t{KIND_ORDER[change.kind]:02d}"
            return self.data(index).casefold()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (
                change.code,
                change.label,
                value_meaning(change.old, change.old_meaning),
                value_meaning(change.new, change.new_meaning),
                change.description,
            )[index.column()]
            return text if role == Qt.ItemDataRole.DisplayRole else tooltip(text)
        if role == Qt.ItemDataRole.FontRole and index.column() == 0:
            return self.mono_font()
        return None
