"""The results list: a flat tree view that paints each row in one go, matched words in bold.

Qt's item delegates paint cell by cell and ask the model for about seven roles per
cell, each a call into Python; with four columns that was most of the time spent
repainting on every keystroke. This view reads the row's hit once and draws its
cells itself, so a repaint costs one Python call per visible row.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QItemSelectionModel, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from .results_model import CODE, LONG, SHORT, STATUS, WHY, ResultsModel


ALIGN = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
ELLIPSIS = "…"


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern:
    words = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{words})", re.IGNORECASE)


def segments(text: str, terms) -> list[tuple[str, bool]]:
    """`text` cut into (piece, matched) runs: a piece is matched where a word starts with a term."""
    if not terms:
        return [(text, False)] if text else []
    pieces, last = [], 0
    for match in _pattern(tuple(terms)).finditer(text):
        if match.start() > last:
            pieces.append((text[last:match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


class _RowHeight(QStyledItemDelegate):
    """Gives every row one and a half lines of the view's font: easy to read and to click."""

    def sizeHint(self, option, index) -> QSize:
        return QSize(0, round(option.fontMetrics.height() * 1.5))


class ResultsView(QTreeView):
    """Rows of a `ResultsModel`: code (monospace), short and long description, status, why it matched."""

    painted = Signal()  # after each repaint of the rows

    def __init__(self, model: ResultsModel, parent=None):
        super().__init__(parent)
        self.setObjectName("resultsView")
        self.setAccessibleName("resultsView")
        self.setModel(model)
        self.results = model
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setItemsExpandable(False)
        self.setAllColumnsShowFocus(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        # A scroll bar that came and went with the number of rows would lay the rows out and
        # paint them twice on the keystroke that makes the list taller than the view.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        header = self.header()
        header.setStretchLastSection(False)
        # The long description and, when shown, why a code matched share what the others leave.
        header.setSectionResizeMode(LONG, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Stretch)
        for column, width in ((CODE, 70), (SHORT, 190), (STATUS, 135)):
            header.resizeSection(column, width)
        self._fonts: dict[str, dict[tuple[bool, bool], tuple[QFont, QFontMetrics]]] = {}
        self.setItemDelegate(_RowHeight(self))
        # "Matched by" takes room from the long description only when a result says why it matched.
        model.modelReset.connect(self._show_reasons_when_any)
        model.rowsInserted.connect(self._show_reasons_when_any)

    def _show_reasons_when_any(self) -> None:
        hidden = not self.results.any_reason()
        if hidden != self.isColumnHidden(WHY):
            self.setColumnHidden(WHY, hidden)

    def select_row(self, row: int) -> None:
        # Qt asks for more rows while it moves the current row of a list it has not laid out yet:
        # the next page would be read on every keystroke. Pages come when the list scrolls to them.
        paused, self.results.fetch_paused = self.results.fetch_paused, True
        try:
            self.selectionModel().setCurrentIndex(
                self.results.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self.results.fetch_paused = paused

    def _fonts_for(self, font: QFont) -> dict[tuple[bool, bool], tuple[QFont, QFontMetrics]]:
        """(mono, bold) -> font and metrics at the view's size, made once per zoom level."""
        key = font.key()
        if key not in self._fonts:
            fonts = {}
            for mono in (False, True):
                for bold in (False, True):
                    made = QFont(self.results.mono) if mono else QFont(font)
                    made.setPointSizeF(font.pointSizeF())
                    made.setBold(bold)
                    fonts[mono, bold] = (made, QFontMetrics(made))
            self._fonts[key] = fonts
        return self._fonts[key]

    def paintEvent(self, event) -> None:
        # What every row needs, worked out once per repaint instead of once per row.
        header = self.header()
        self._cells = [(column, header.sectionViewportPosition(column) + 4, header.sectionSize(column) - 8)
                       for column in (CODE, SHORT, LONG, STATUS, WHY) if not header.isSectionHidden(column)]
        self._row_fonts = self._fonts_for(self.font())
        self._terms = self.results.terms()
        super().paintEvent(event)
        self.painted.emit()

    def drawRow(self, painter, option: QStyleOptionViewItem, index) -> None:
        row = index.row()
        shown = self.results.row(row)
        palette = option.palette
        rect = option.rect
        if self.selectionModel().isRowSelected(row, index.parent()):
            group = QPalette.ColorGroup.Active if self.hasFocus() else QPalette.ColorGroup.Inactive
            painter.fillRect(rect, palette.brush(group, QPalette.ColorRole.Highlight))
            color = palette.color(group, QPalette.ColorRole.HighlightedText)
        else:
            if row % 2:
                painter.fillRect(rect, palette.alternateBase())
            group = QPalette.ColorGroup.Disabled if shown.greyed else QPalette.ColorGroup.Active
            color = palette.color(group, QPalette.ColorRole.Text)
        painter.save()
        painter.setPen(color)
        for column, left, width in self._cells:
            terms = self._terms if column in (SHORT, LONG) else ()
            self._draw_text(painter, QRect(left, rect.top(), width, rect.height()), shown.cells[column], terms,
                            mono=column == CODE)
        painter.restore()

    def _draw_text(self, painter, rect: QRect, text: str, terms, mono: bool) -> None:
        """Runs of plain and bold text from the left of `rect`, ending in "…" where cut."""
        painter.setClipRect(rect)
        x, right = rect.left(), rect.right()
        for piece, matched in segments(text, terms):
            font, metrics = self._row_fonts[mono, matched]
            width = metrics.horizontalAdvance(piece)
            if width > right - x:
                piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, right - x) or ELLIPSIS
                width = right - x
            painter.setFont(font)
            painter.drawText(QRect(x, rect.top(), width + 1, rect.height()), ALIGN, piece)
            x += width
            if x >= right:
                break
