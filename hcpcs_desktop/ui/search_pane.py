"""The search pane: search box, filters, the line that says what the search did, and the results.

It searches the session as the coder types and tells the window which code is current
(`currentCodeChanged`, None when the list is empty) and which one the coder opened
(`codeActivated`: Enter, or a double click).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from ..search import Hit, SearchResult
from ..search.messages import said_first, unnamed_text
from ..search.query import MODIFIER, PROCEDURE, QueryKind
from ..session import Session
from ..wording import (SEARCH_PLACEHOLDER, count_text, empty_query_text, filtered_text, ndc_text, result_remarks,
                       unknown_folded_text, unknown_more_text, unknown_text)
from .filter_bar import FilterBar
from .focus_frame import FocusFrame
from .results_model import ResultsModel
from .results_view import ResultsView
from .search_recall import SearchRecall

MOVES = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}
FOLD_UNKNOWN = 6  # more unknown codes than this are counted, with a link that lists them
SHOW_UNKNOWN = 48  # listed at most (a few lines); a link copies them all
RESET_LINK = "action:reset"
TYPING_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                    | Qt.KeyboardModifier.MetaModifier)  # a key with these is a command, not typing


def count_html(result: SearchResult, typed: str, filtered: list[str] = (), reset_keys: str = "",
               all_unknown: bool = False) -> str:
    """The count line: how many codes, the filters on (with a reset link), the corrected words (with a
    link to the typed ones), remarks; a long list of unknown codes is counted, with a link to show it."""
    filters = ""
    if filtered:
        keys = f" ({html.escape(reset_keys)})" if reset_keys else ""
        filters = f'{html.escape(filtered_text(filtered))} — <a href="{RESET_LINK}">reset</a>{keys}'
    if result.query.kind == QueryKind.EMPTY:
        return " · ".join([html.escape(empty_query_text(bool(result.hits)))] + ([filters] if filters else []))
    first = said_first(result)
    named = unnamed_text(result)
    counted = [count_text(result)] if result.total or not named else []  # "No match" says no more than it
    parts = [html.escape(text) for text in first] + counted + ([filters] if filters else [])
    if result.query.kind == QueryKind.NDC:
        parts = [html.escape(ndc_text(ndc, packages)) for ndc, packages in result.packages] + ([filters] if filters else [])
    if result.corrections:
        fixed, typed = html.escape(result.corrected_text), html.escape(typed)
        parts.append(f'Showing results for <b>{fixed}</b> — search for <a href="exact:{typed}">{typed}</a> instead')
    priced = dict(result.release_notes)  # named with their note among the remarks
    unknown = [code for code in result.unknown if code not in priced]
    if len(unknown) > FOLD_UNKNOWN:
        counted = html.escape(unknown_folded_text(len(unknown)))
        if not all_unknown:
            parts.append(f'{counted} — <a href="show:unknown">show</a>')
        else:  # a few lines of them; all of them go to the clipboard
            listed = html.escape(", ".join(unknown[:SHOW_UNKNOWN]))
            more = (f' {html.escape(unknown_more_text(len(unknown) - SHOW_UNKNOWN))} — '
                    f'<a href="copy:unknown">copy all {len(unknown):,}</a>') if len(unknown) > SHOW_UNKNOWN else ""
            parts.append(f'{counted} (<a href="hide:unknown">hide</a>): {listed}{more}')
    elif unknown:
        parts.append(html.escape(unknown_text(unknown)))
    parts += [html.escape(remark) for remark in result_remarks(result) if remark not in first]
    if result.withheld and not result.noc_listed:
        parts.append(f'<a href="search:{html.escape(" ".join(result.matching_only))}">list them</a>')
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
        self._all_unknown = False  # the coder asked to see every unknown code of a long pasted list
        self.reset_keys = ""  # the keys that reset the filters, as the count line names them

        self.searchBox = QLineEdit(objectName="searchBox", clearButtonEnabled=True)
        self.searchBox.setAccessibleName("searchBox")
        self.searchBox.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.searchBox.textChanged.connect(self.run_search)
        self.searchBox.returnPressed.connect(self._activate_current)
        self.searchBox.installEventFilter(self)
        self.filterBar = FilterBar()
        self.filterBar.changed.connect(self.run_search)
        self.countLabel = QLabel(objectName="countLabel", textFormat=Qt.TextFormat.RichText, wordWrap=True)
        # However long the line, it wraps within the pane and never widens the window.
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.countLabel.setSizePolicy(policy)
        self.countLabel.setMinimumWidth(1)
        self.countLabel.linkActivated.connect(self._count_link)
        self.model = ResultsModel(self)
        self.resultsView = ResultsView(self.model)
        self.resultsView.selectionModel().currentRowChanged.connect(self._row_changed)
        self.resultsView.activated.connect(self._activate_current)
        self.resultsView.installEventFilter(self)
        for widget in (self.filterBar.sectionBox, self.filterBar.coverageBox, self.filterBar.betosBox,
                       self.filterBar.terminatedBox):
            self.send_keys_from(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.searchBox)
        layout.addWidget(self.filterBar)
        layout.addWidget(self.countLabel)
        layout.addWidget(FocusFrame(self.resultsView), 1)
        QWidget.setTabOrder(self.searchBox, self.resultsView)

    # ----- what the pane shows
    def session_changed(self) -> None:
        """The session opened another release: offer its filter values and search again."""
        if self.session.engine is not None:
            self.filterBar.set_choices(self.session.engine)
        self.run_search()

    def run_search(self) -> None:
        text = self.searchBox.text()
        result = self.session.search(text, self.filterBar.filters(), correct=text != self._uncorrected)
        if self.model.result is None or result.query != self.model.result.query:
            self._all_unknown = False
        # Qt asks for the next page while it lays out a list it has just been given, before it
        # knows the list is taller than the view: pages come when the list is scrolled to them.
        self._searching = self.model.fetch_paused = True
        try:
            self.model.set_result(result, self.session.fetch_more, self.session.sorted_by)
            self._show_count()
            if self.model.rowCount():
                self.resultsView.select_row(0)
                self.resultsView.scrollToTop()
        finally:
            self._searching = self.model.fetch_paused = False
        # Told even when the top code stays: why it matched may have changed with the words.
        self._current = self.model.code_at(self.resultsView.currentIndex().row())
        self.currentCodeChanged.emit(self._current)

    def _show_count(self) -> None:
        self.countLabel.setText(count_html(self.model.result, self.searchBox.text(), self.filterBar.active(),
                                           self.reset_keys, self._all_unknown))

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

    def modifiers_typed(self, code: str) -> tuple[str, ...]:
        """The modifiers typed with `code` in the box ("E0601-RR": RR), for the code's DMEPOS fees."""
        query = self.model.result.query if self.model.result is not None else None
        if query is None or query.kind != QueryKind.LIST or code not in query.codes:
            return ()
        return tuple(token for token in query.codes if MODIFIER.fullmatch(token) and not PROCEDURE.fullmatch(token))

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

    def _count_link(self, href: str) -> None:
        """The count line's links: reset the filters, show, hide or copy unknown codes, search as typed."""
        if href == RESET_LINK:
            self.filterBar.reset()
        elif href in ("show:unknown", "hide:unknown"):
            self._all_unknown = href == "show:unknown"
            self._show_count()
        elif href == "copy:unknown":
            QGuiApplication.clipboard().setText("\n".join(self.model.result.unknown))
        elif href.startswith("exact:"):
            self._search_as_typed(href.partition(":")[2])
        elif href.startswith("search:"):  # the words the codes not listed match, on their own
            self.searchBox.setText(href.partition(":")[2])

    def _search_as_typed(self, text: str) -> None:
        """Search `text` as typed, uncorrected."""
        self._uncorrected = text
        if text == self.searchBox.text():
            self.run_search()
        else:
            self.searchBox.setText(text)

    # ----- keys
    def send_keys_from(self, widget: QWidget) -> None:
        """Esc in `widget` returns to the search box, and a letter typed there goes to it."""
        widget.installEventFilter(self)

    def _type_into_search(self, event: QKeyEvent) -> None:
        """A key typed outside the search box starts a new search with it (it replaces what the box held)."""
        self.searchBox.setFocus(Qt.FocusReason.OtherFocusReason)
        self.searchBox.selectAll()
        QApplication.sendEvent(self.searchBox, QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()))

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
            else:
                if key == Qt.Key.Key_Escape:
                    self.focus_search()
                    return True
                if watched is self.resultsView and event.matches(QKeySequence.StandardKey.Copy):
                    self.copyRequested.emit()
                    return True
                typed = event.text()
                if (typed.strip() and typed.isprintable() and not event.modifiers() & TYPING_MODIFIERS
                        and not watched.inherits("QComboBox")):  # a closed list box selects by letter
                    self._type_into_search(event)
                    return True
        return super().eventFilter(watched, event)

    def _move(self, step: int) -> None:
        current = self.resultsView.currentIndex().row()
        if current + step >= self.model.rowCount() - 1:  # Down from the box past the rows read so far
            self.resultsView.read_next_page()
        rows = self.model.rowCount()
        if rows:
            self.resultsView.select_row(min(max(current + step, 0), rows - 1))
