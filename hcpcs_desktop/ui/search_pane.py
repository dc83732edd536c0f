"""The search pane: search box, filters, the line that says what the search did, and the results.

It searches the session as the coder types and tells the window which code is current
(`currentCodeChanged`, None when the list is empty) and which one the coder opened
(`codeActivated`: Enter, or a double click).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ..search import Hit, SearchResult
from ..search.query import QueryKind
from ..session import Session
from ..wording import SEARCH_PLACEHOLDER, count_text, empty_query_text, ndc_text, result_remarks
from .filter_bar import FilterBar
from .results_model import ResultsModel
from .results_view import ResultsView
from .search_recall import SearchRecall

MOVES = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}


def count_html(result: SearchResult, typed: str) -> str:
    """The count line: how many codes, the corrected words (with a link to the typed ones), remarks."""
    if result.query.kind == QueryKind.EMPTY:
        return html.escape(empty_query_text(bool(result.hits)))
    parts = [count_text(result)]
    if result.query.kind == QueryKind.NDC:
        parts = [ndc_text(result.query.code, result.packages)]
    if result.corrections:
        fixed, typed = html.escape(result.corrected_text), html.escape(typed)
        parts.append(f'Showing results for <b>{fixed}</b> — search for <a href="exact:{typed}">{typed}</a> instead')
    parts += [html.escape(remark) for remark in result_remarks(result)]
    return " · ".join(parts)


class SearchPane(QWidget):
    currentCodeChanged = Signal(object)  # str | None
    codeActivated = Signal(str)
    copyRequested = Signal()  # Ctrl+C on the list, or in the search box with nothing selected

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.passed_keys: list[QKeyCombination] = []  # window shortcuts the search box must not take
        self._uncorrected: str | None = None  # text the coder asked to search as typed
        self._current: str | None = None
        self._searching = False  # while a search fills the list: the current code is told once, after

        self.searchBox = QLineEdit(objectName="searchBox", clearButtonEnabled=True)
        self.searchBox.setAccessibleName("searchBox")
        self.searchBox.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.searchBox.textChanged.connect(self.run_search)
        self.searchBox.returnPressed.connect(self._activate_current)
        self.searchBox.installEventFilter(self)
        self.filterBar = FilterBar()
        self.filterBar.changed.connect(self.run_search)
        self.countLabel = QLabel(objectName="countLabel", textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.countLabel.linkActivated.connect(self._search_as_typed)
        self.model = ResultsModel(self)
        self.resultsView = ResultsView(self.model)
        self.resultsView.selectionModel().currentRowChanged.connect(self._row_changed)
        self.resultsView.activated.connect(self._activate_current)
        self.resultsView.installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.searchBox)
        layout.addWidget(self.filterBar)
        layout.addWidget(self.countLabel)
        layout.addWidget(self.resultsView, 1)

    # ----- what the pane shows
    def session_changed(self) -> None:
        """The session opened another release: offer its filter values and search again."""
        if self.session.engine is not None:
            self.filterBar.set_choices(self.session.engine)
        self.run_search()

    def run_search(self) -> None:
        text = self.searchBox.text()
        result = self.session.search(text, self.filterBar.filters(), correct=text != self._uncorrected)
        # Qt asks for the next page while it lays out a list it has just been given, before it
        # knows the list is taller than the view: pages come when the list is scrolled to them.
        self._searching = self.model.fetch_paused = True
        try:
            self.model.set_result(result, self.session.fetch_more)
            self.countLabel.setText(count_html(result, text))
            if self.model.rowCount():
                self.resultsView.select_row(0)
                self.resultsView.scrollToTop()
        finally:
            self._searching = self.model.fetch_paused = False
        # Told even when the top code stays: why it matched may have changed with the words.
        self._current = self.model.code_at(self.resultsView.currentIndex().row())
        self.currentCodeChanged.emit(self._current)

    def show_code(self, code: str) -> None:
        """List `code` (searching for it unless the list has it) and make it current."""
        if self.model.row_of(code) < 0:
            self.searchBox.setText(code)  # searches once, through textChanged
        row = self.model.row_of(code)
        if row >= 0:
            self.resultsView.select_row(row)

    def current_code(self) -> str | None:
        return self._current

    def current_hit(self) -> Hit | None:
        row = self.model.row_of(self._current) if self._current else -1
        return self.model.hit(row) if row >= 0 else None

    def selected_hits(self) -> list[Hit]:
        """The selected rows, in list order."""
        rows = sorted({i.row() for i in self.resultsView.selectionModel().selectedRows()})
        return [self.model.hit(r) for r in rows]

    def remember_searches(self, searches, keep) -> None:
        """Recall earlier `searches()` from the box (Up on an empty box); `keep(text)` each one typed."""
        self.recall = SearchRecall(self.searchBox, searches, keep)
        self.codeActivated.connect(lambda code: self.recall.settle())

    def focus_search(self) -> None:
        self.searchBox.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.searchBox.selectAll()

    def _set_current(self, code: str | None) -> None:
        if code != self._current:
            self._current = code
            self.currentCodeChanged.emit(code)

    def _row_changed(self, current, previous) -> None:
        if not self._searching:
            self._set_current(self.model.code_at(current.row()) if current.isValid() else None)

    def _activate_current(self) -> None:
        if self._current:
            self.codeActivated.emit(self._current)

    def _search_as_typed(self, href: str) -> None:
        """The count line's "exact:TEXT" link: search TEXT as typed, uncorrected."""
        _, _, text = href.partition(":")
        self._uncorrected = text
        if text == self.searchBox.text():
            self.run_search()
        else:
            self.searchBox.setText(text)

    # ----- keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and watched is self.searchBox:
            # The line edit would take keys such as Ctrl+D (delete a character) from the window.
            if event.keyCombination() in self.passed_keys:
                return True
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if watched is self.searchBox:
                if key in MOVES:
                    self._move(MOVES[key])
                    return True
                if key == Qt.Key.Key_Escape:
                    self.searchBox.clear()
                    return True
                if event.matches(QKeySequence.StandardKey.Copy) and not self.searchBox.hasSelectedText():
                    self.copyRequested.emit()
                    return True
            elif watched is self.resultsView:
                if key == Qt.Key.Key_Escape:
                    self.focus_search()
                    return True
                if event.matches(QKeySequence.StandardKey.Copy):
                    self.copyRequested.emit()
                    return True
        return super().eventFilter(watched, event)

    def _move(self, step: int) -> None:
        rows = self.model.rowCount()
        if rows:
            current = self.resultsView.currentIndex().row()
            self.resultsView.select_row(min(max(current + step, 0), rows - 1))
