"""The results list: a flat tree view that paints each row in one go, matched words in bold.

Qt's item delegates paint cell by cell and ask the model for about seven roles per
cell, each a call into Python; with four columns that was most of the time spent
repainting on every keystroke. This view reads the row's hit once and draws its
cells itself, so a repaint costs one Python call per visible row.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from .legible_colors import muted_text
from .results_model import CODE, LONG, SHORT, STATUS, WHY, ResultsModel


ALIGN = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
ELLIPSIS = "…"
PADDING = 4  # each side of a cell's text
# What the code and status columns fit: a status column with no terminated code is narrow.
WIDEST_CODE, WIDEST_STATUS, ACTIVE_STATUS = "WWWWW", "Terminated 2099-12-31", "Active"
WIDEST_ON_DATE = "✖ Terminated 2099-12-31"  # with a date of service entered
SHORTEST_STATUS = "✖ Terminated …"  # the status column is never narrower: its word is read whole
SHORT_WIDTH = 190  # the short description's width until the coder sets one
WHY_CHARS = 24  # "Matched by" is this many characters wide at most (its tooltip says it all)
@lru_cache(maxsize=64)
def _pattern(terms: tuple[tuple[str, bool], ...]) -> re.Pattern:
    words = "|".join(re.escape(term) + (r"\b" if whole else "")
                     for term, whole in sorted(terms, key=lambda t: len(t[0]), reverse=True))
    return re.compile(rf"\b(?:{words})", re.IGNORECASE)


def segments(text: str, terms) -> list[tuple[str, bool]]:
    """`text` cut into (piece, matched) runs: a piece is matched where a word starts with a term, or is
    the term for a whole one (see `SearchResult.terms`)."""
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
        header.setMinimumSectionSize(24)
        self._short_width = SHORT_WIDTH  # as the coder last set it; narrower while the list is narrow
        self._fitting = False
        header.sectionResized.connect(self._column_resized)
        # A click on a column sorts by it, a second click reverses, a third goes back to relevance.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)
        self.setSortingEnabled(True)
        self._fonts: dict[str, dict[tuple[bool, bool], tuple[QFont, QFontMetrics]]] = {}
        self._muted: QColor | None = None
        self._painter_font: QFont | None = None  # the painter's font while a row is drawn
        self.setItemDelegate(_RowHeight(self))
        # "Matched by" takes room from the long description only when results may say why they matched.
        model.modelReset.connect(self._fit_to_rows)
        model.rowsInserted.connect(self._fit_to_rows)
        model.layoutChanged.connect(self._reordered)
        model.rows_in_use = lambda: [self.currentIndex().row(),
                                     *(index.row() for index in self.selectionModel().selectedRows())]

    # ----- column widths
    def _column_resized(self, column: int, old: int, new: int) -> None:
        if column == SHORT and not self._fitting:
            self._short_width = new

    def fit_columns(self) -> None:
        """Code as wide as its text at this zoom; status too, but at most a third of the room left (a
        termination date is cut before the descriptions are: its word stays whole), "Matched by" at most
        a quarter; the short description as the coder set it, but never so wide that the long
        description has less room than it. Laid out at once: the rows are painted once, with their
        columns."""
        header = self.header()
        self._fitting = True
        try:
            mono = self._fonts_for(self.font())[True, False][1]
            metrics = self.fontMetrics()
            code = mono.horizontalAdvance(WIDEST_CODE) + 2 * PADDING + 4
            widest = (WIDEST_ON_DATE if self.results.on_date is not None
                      else WIDEST_STATUS if self.results.any_terminated() else ACTIVE_STATUS)
            status = metrics.horizontalAdvance(widest) + 2 * PADDING + 4
            least = metrics.horizontalAdvance(SHORTEST_STATUS) + 2 * PADDING + 4
            status = min(status, max(least, (self.viewport().width() - code) // 3))
            room = self.viewport().width() - code - status
            why = 0 if header.isSectionHidden(WHY) else min(metrics.averageCharWidth() * WHY_CHARS, room // 4)
            room -= why
            for column, width in ((CODE, code), (STATUS, status), (WHY, why),
                                  (SHORT, min(self._short_width, room // 2))):
                if width and header.sectionSize(column) != max(width, header.minimumSectionSize()):
                    header.resizeSection(column, max(width, header.minimumSectionSize()))
            header.resizeSections()  # the long description takes the rest now, not after a first paint
        finally:
            self._fitting = False

    def restore_columns(self, state: QByteArray) -> bool:
        """The column widths and order saved by `header().saveState()`; False if unusable."""
        sort = self.header().sortIndicatorSection(), self.header().sortIndicatorOrder()
        if not self.header().restoreState(state):
            return False
        self._short_width = self.header().sectionSize(SHORT)
        self.header().setSortIndicator(*sort)  # each run starts in relevance order
        self.fit_columns()
        return True

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_columns()
        elif event.type() == QEvent.Type.PaletteChange:
            self._muted = None

    def muted_color(self) -> QColor:
        """The text colour of terminated rows."""
        if self._muted is None:
            self._muted = muted_text(self.palette())
        return self._muted

    def _fit_to_rows(self) -> None:
        """"Matched by" for a search of words (it stays while the words are typed), or a result that matched
        through other words; columns fitted to the rows.

        The rows are about to be painted whole: the header keeps quiet, so that the tree view does
        not repaint the resized columns again after that paint (in the frame of the detail pane)."""
        header = self.header()
        header.blockSignals(True)
        try:
            hidden = not self.results.may_say_why()
            if hidden != header.isSectionHidden(WHY):
                header.setSectionHidden(WHY, hidden)
            self.fit_columns()
        finally:
            header.blockSignals(False)
        # The rows laid out first: scroll bars told the new rows' range once, not none and then the range
        # (each change of range repaints the bar, in the frame of the keystroke).
        with self._no_fetching():
            self.executeDelayedItemsLayout()
            self.updateGeometries()
        header.viewport().update()
        self.viewport().update()

    def _reordered(self) -> None:
        """Sorted, or back in relevance order: the list is shown from its top (its first rows say how it
        is ordered); the current code stays current and selected wherever it now is."""
        with self._no_fetching():
            self.executeDelayedItemsLayout()
            self.scrollToTop()

    @contextmanager
    def _no_fetching(self):
        """Qt's tree view reads a page whenever it lays its rows out; a layout caused by a page read
        would read the next one, and so on to the last match. Pages come when the list scrolls to them."""
        paused, self.results.fetch_paused = self.results.fetch_paused, True
        try:
            yield
        finally:
            self.results.fetch_paused = paused

    def moveCursor(self, action, modifiers):
        if action == QAbstractItemView.CursorAction.MoveEnd:  # End: the last match, not the last row read
            self.read_to_the_end()
        return super().moveCursor(action, modifiers)

    def read_to_the_end(self) -> None:
        """Every page of the result, until one adds no row (a failed read adds none)."""
        while self.results.canFetchMore():
            rows = self.results.rowCount()
            self.results.fetchMore()
            if self.results.rowCount() == rows:
                break

    def read_next_page(self) -> None:
        """The next page of the result, if there is one (the current row reached the last row read)."""
        if self.results.canFetchMore():
            self.results.fetchMore()

    def select_row(self, row: int) -> None:
        # Qt asks for more rows while it moves the current row of a list it has not laid out yet:
        # the next page would be read on every keystroke. Pages come when the list scrolls to them.
        with self._no_fetching():
            self.selectionModel().setCurrentIndex(
                self.results.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

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
        self._cells = [(column, header.sectionViewportPosition(column) + PADDING,
                        header.sectionSize(column) - 2 * PADDING)
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
            color = self.muted_color() if shown.greyed else palette.color(QPalette.ColorRole.Text)
        painter.save()
        painter.setPen(color)
        self._painter_font = None
        for column, left, width in self._cells:
            terms = self._terms if column in (SHORT, LONG) else ()
            self._draw_text(painter, QRect(left, rect.top(), width, rect.height()), shown.cells[column], terms,
                            mono=column == CODE)
        painter.restore()

    def _draw_text(self, painter, rect: QRect, text: str, terms, mono: bool) -> None:
        """Runs of plain and bold text from the left of `rect`, ending in "…" where cut."""
        painter.setClipRect(rect)
        x, right = rect.left(), rect.right()
        pieces = segments(text, terms)
        if len(pieces) == 1 and not pieces[0][1]:  # most cells: one run of plain text, measured once
            font, metrics = self._row_fonts[mono, False]
            self._set_font(painter, font)
            piece = metrics.elidedText(text, Qt.TextElideMode.ElideRight, right - x) or ELLIPSIS
            painter.drawText(QRect(x, rect.top(), right - x + 1, rect.height()), ALIGN, piece)
            return
        for piece, matched in pieces:
            font, metrics = self._row_fonts[mono, matched]
            width = metrics.horizontalAdvance(piece)
            if width > right - x:
                piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, right - x) or ELLIPSIS
                width = right - x
            self._set_font(painter, font)
            painter.drawText(QRect(x, rect.top(), width + 1, rect.height()), ALIGN, piece)
            x += width
            if x >= right:
                break

    def _set_font(self, painter, font: QFont) -> None:
        """The painter's font, changed only when it is another one (each change is a call into Qt)."""
        if font is not self._painter_font:
            painter.setFont(font)
            self._painter_font = font
