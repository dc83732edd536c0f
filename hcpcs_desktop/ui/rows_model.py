"""A read-only table model over a list of rows, for the views' own models to build on."""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtGui import Qt as GuiQt  # Qt's namespace as QtGui extends it: mightBeRichText


def tooltip(text: str) -> str:
    """`text` from the data as a tooltip: Qt reads a tooltip that looks like markup as rich text, so
    such a text is escaped and set in a paragraph of its own; any other is left as it is."""
    return f"<p>{html.escape(text)}</p>" if GuiQt.mightBeRichText(text) else text


class RowsModel(QAbstractTableModel):
    """Rows of any objects under fixed column headers; subclasses say what a cell shows."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self.mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    def mono_font(self) -> QFont:
        """The fixed-pitch font a code is set in, at the size of the app's font (its zoom)."""
        size = QGuiApplication.font().pointSizeF()
        if self.mono.pointSizeF() != size:
            self.mono.setPointSizeF(size)
        return self.mono

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None
