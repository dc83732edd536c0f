"""The detail pane: a code's page, with copy links, help on hover and cross-reference links.

The page is drawn after the results list: `show_page` records the code at once (copying and
starring act on it) and renders its HTML once the frame with the new results is on the
screen (`after_frame`, called when the list has painted) or, if no frame comes, a moment
later. Typing never waits for the detail pane; a code replaced before then is never rendered.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QColor, QCursor, QImage, QKeySequence, QPainter, QPalette, QPen, QTextCursor
from PySide6.QtWidgets import QScrollBar, QTextBrowser, QToolTip, QWidget

from ..code_view import CodeView, UnitsSaid
from ..data.database import CodePage
from .code_page_html import COPY_ICON, GROUP_FOLD, render, welcome


OBJECT, NO_BREAK = "\ufffc", "\u00a0"  # an image (the copy icons) in a document's text; &nbsp;
FALLBACK_MS = 40  # when the list draws no frame (hidden, unchanged), render after this long
# Qt lays a table at 100% of the pane out a pixel or two wider than the pane at most widths (it
# rounds each column up): that much is rounding, not a page to scroll sideways.
ROUNDING_PX = 2


class DetailView(QTextBrowser):
    """Shows one `CodePage` (or the welcome page); emits what the coder clicked."""

    copyRequested = Signal(str)  # field key
    codeRequested = Signal(str)  # a cross-referenced code
    starRequested = Signal(str)
    linkRequested = Signal(str, str)  # any other link of the page: (kind, value), e.g. ("note", "S9353")
    rendering = Signal(object)  # the CodeView about to be drawn (None: the welcome page), after the results' frame
    findRequested = Signal()  # Ctrl+F in the page: find in it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("detailView")
        self.setAccessibleName("detailView")
        self.setOpenLinks(False)
        # The scroll bar is always there: a page longer than the pane was laid out twice, the second time
        # narrower for the scroll bar it turned out to need (the page with the payment tables: 1.6 times as long).
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.page: CodePage | None = None
        self.release_name = ""
        self.show_empty = False
        self.starred = False
        self.matched = ""  # why the code matched the search, when not by CMS's own words
        self.modifiers: tuple[str, ...] = ()  # typed with the code: their DMEPOS fee rows come first
        self.view_of: Callable[[str], CodeView | None] = lambda code: None  # a code's page assembled
        # The Medicare payment section's HTML of a page (printed: all of it), and the units line's words.
        self.payment_of: Callable[[CodeView, bool], str] = lambda view, printed: ""
        self.units_of: Callable[[CodeView], UnitsSaid | None] = lambda view: None
        self._expanded: set[str] = set()
        self._shown: tuple | None = None  # what the HTML on screen was rendered from
        self._shown_code: str | None = None  # redrawn for the same code, the page keeps its scroll position
        self._render_timer = QTimer(self, singleShot=True, interval=FALLBACK_MS)
        self._render_timer.timeout.connect(self.refresh)
        self.horizontalScrollBar().rangeChanged.connect(self._no_scrolling_for_rounding)
        self.anchorClicked.connect(self._clicked)
        self.highlighted.connect(self._hovered)
        # The context menu starts with the text's own Copy and Select all; the window adds its commands.
        self.copySelectionAction = QAction("Copy", self, enabled=False)
        self.copySelectionAction.triggered.connect(self.copy)
        self.copyAvailable.connect(self.copySelectionAction.setEnabled)
        self.selectAllAction = QAction("Select all", self)
        self.selectAllAction.triggered.connect(self.selectAll)
        separator = QAction(self)
        separator.setSeparator(True)
        self.addActions([self.copySelectionAction, self.selectAllAction, separator])

    def copy_icon(self) -> QImage:
        """Two overlapping sheets in the text's colour, as tall as a line of text at this zoom."""
        side = self.fontMetrics().height()
        ratio = self.devicePixelRatioF()
        image = QImage(round(side * ratio), round(side * ratio), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(QColor(0, 0, 0, 0))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = self.palette().color(QPalette.ColorRole.Link)
        painter.setPen(QPen(color, max(side / 10, 1.5)))
        sheet = side * 0.52
        painter.drawRoundedRect(QRectF(side * 0.14, side * 0.14, sheet, sheet * 1.15), side * 0.06, side * 0.06)
        painter.setBrush(self.palette().color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(side * 0.34, side * 0.28, sheet, sheet * 1.15), side * 0.06, side * 0.06)
        painter.end()
        return image

    def loadResource(self, kind: int, name: QUrl):
        """The copy icon; nothing else: the page loads no resource the app did not make."""
        return self.copy_icon() if name.toString() == COPY_ICON else None

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange) and self._shown is not None:
            self.refresh()  # the copy icons follow the zoom and the colours

    def event(self, event) -> bool:
        # Ctrl+C with text selected copies that text, not the code (the window's Copy code).
        if (event.type() == QEvent.Type.ShortcutOverride and event.matches(QKeySequence.StandardKey.Copy)
                and self.textCursor().hasSelection()):
            event.accept()
            return True
        # Ctrl+F in the page finds in the page (elsewhere it goes to the search box).
        if event.type() == QEvent.Type.ShortcutOverride and event.matches(QKeySequence.StandardKey.Find):
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress and event.matches(QKeySequence.StandardKey.Find):
            self.findRequested.emit()
            return True
        return super().event(event)

    def go_to_section(self, name: str) -> bool:
        """Scroll the section `name` ("fields", "payment", "history") to the top; False when the page has none."""
        block = self.document().begin()
        while block.isValid():
            for piece in block:
                if name in piece.fragment().charFormat().anchorNames():
                    self.scrollToAnchor(name)
                    return True
            block = block.next()
        return False

    # ----- copying the selected text
    def createMimeDataFromSelection(self):
        """The selection as the coder reads it: no object character for each icon, and a table's row
        on one line, its cells tab-separated (a field with its value pastes as one line)."""
        data = QMimeData()
        data.setText(self.selected_text())
        data.setHtml(re.sub(r"<img [^>]*>", "", self.textCursor().selection().toHtml()))  # icons of this pane only
        return data

    def selected_text(self) -> str:
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        lines, row, cells = [], None, {}
        block = self.document().findBlock(start)
        while block.isValid() and block.position() < end:
            first = max(start, block.position()) - block.position()
            last = min(end, block.position() + block.length() - 1) - block.position()
            text = " ".join(block.text()[first:last].replace(OBJECT, " ").replace(NO_BREAK, " ").split())
            table = QTextCursor(block).currentTable()
            cell = table.cellAt(block.position()) if table else None
            at = (table.firstPosition(), cell.row()) if table else None
            if at != row and cells:
                lines.append("\t".join(" ".join(t for t in cells[c] if t) for c in sorted(cells) if any(cells[c])))
                cells = {}
            row = at
            if table:
                cells.setdefault(cell.column(), []).append(text)
            else:
                lines.append(text)
            block = block.next()
        if cells:
            lines.append("\t".join(" ".join(t for t in cells[c] if t) for c in sorted(cells) if any(cells[c])))
        return "\n".join(lines).strip("\n")

    # ----- keys: Tab leaves the page; Left and Right go from link to link, Enter follows one
    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)  # not from link to link: the page has dozens

    def keyPressEvent(self, event) -> None:
        key, modifiers = event.key(), event.modifiers()
        bar = self.verticalScrollBar()
        if modifiers == Qt.KeyboardModifier.NoModifier and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.select_link(1 if key == Qt.Key.Key_Right else -1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_link():
            self.anchorClicked.emit(QUrl(self.selected_link()))
        elif key == Qt.Key.Key_Space and modifiers in (Qt.KeyboardModifier.NoModifier,
                                                       Qt.KeyboardModifier.ShiftModifier):
            down = modifiers == Qt.KeyboardModifier.NoModifier
            bar.triggerAction(QScrollBar.SliderAction.SliderPageStepAdd if down
                              else QScrollBar.SliderAction.SliderPageStepSub)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and modifiers in (Qt.KeyboardModifier.NoModifier,
                                                                         Qt.KeyboardModifier.ControlModifier):
            bar.triggerAction(QScrollBar.SliderAction.SliderToMinimum if key == Qt.Key.Key_Home
                              else QScrollBar.SliderAction.SliderToMaximum)
        else:
            super().keyPressEvent(event)

    def links(self) -> list[tuple[int, int, str]]:
        """(start, end, href) of every link of the page, in reading order."""
        found = []
        block = self.document().begin()
        while block.isValid():
            for piece in block:
                fragment = piece.fragment()
                href = fragment.charFormat().anchorHref()
                if href:
                    start, end = fragment.position(), fragment.position() + fragment.length()
                    if found and found[-1][2] == href and found[-1][1] == start:  # one link, formatted in parts
                        start = found.pop()[0]
                    found.append((start, end, href))
            block = block.next()
        return found

    def select_link(self, step: int) -> None:
        """Select the next (`step` 1) or previous (-1) link from the one selected or the cursor, and scroll to it."""
        cursor = self.textCursor()
        links = self.links()
        if step > 0:
            chosen = next((link for link in links if link[0] >= cursor.selectionEnd()), None)
        else:
            chosen = next((link for link in reversed(links) if link[1] <= cursor.selectionStart()), None)
        if chosen is None:
            return
        cursor.setPosition(chosen[0])
        cursor.setPosition(chosen[1], QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def selected_link(self) -> str:
        """The href of the link the selection is exactly (chosen with Left or Right), or ""."""
        cursor = self.textCursor()
        return next((href for start, end, href in self.links()
                     if (start, end) == (cursor.selectionStart(), cursor.selectionEnd())), "")

    @property
    def pending(self) -> bool:
        """True until the page last asked for is on screen."""
        return self._render_timer.isActive()

    def show_page(self, page: CodePage | None, starred: bool = False, matched: str = "",
                  modifiers: tuple[str, ...] = ()) -> None:
        """Show `page` (None: the welcome page) once the results are painted; `modifiers` typed with its
        code come first in its DMEPOS fees."""
        if page is not self.page:  # what was unfolded is folded again; the groups folded stay folded
            self._expanded = {name for name in self._expanded if name.startswith(GROUP_FOLD)}
        self.page, self.starred, self.matched, self.modifiers = page, starred, matched, modifiers
        if self._state() != self._shown:
            self._render_timer.start(FALLBACK_MS)
        else:
            self._render_timer.stop()

    def after_frame(self) -> None:
        """The results are painted: render the page as soon as that frame is done."""
        if self._render_timer.isActive():
            self._render_timer.start(0)

    def refresh(self) -> None:
        """Render the page now."""
        self._render_timer.stop()
        self._shown = self._state()
        view = self.view_of(self.page.code) if self.page is not None else None
        self.rendering.emit(view)
        if view is None:  # the welcome page (or a damaged database: the window shows why)
            self._shown_code = None
            self.setHtml(welcome(self.release_name))
            return
        position = self.verticalScrollBar().value() if self._shown_code == view.code else 0
        self.setHtml(self.page_html(view))
        self.verticalScrollBar().setValue(position)
        self._shown_code = view.code

    def page_html(self, view: CodeView, printed: bool = False) -> str:
        """The HTML of the code page `view` as this pane shows it, or for paper (`printed`): the same page,
        with everything folded on the screen unfolded and the units line's words for the dose given."""
        shown = self.page is not None and view.code == self.page.code
        return render(view, show_empty=self.show_empty, expanded=frozenset(self._expanded),
                      starred=self.starred and shown, matched=self.matched if shown else "",
                      payment=self.payment_of(view, printed), units=self.units_of(view) if printed else None,
                      printed=printed)

    def _state(self) -> tuple:
        return (self.page, self.starred, self.matched, self.modifiers, self.show_empty, frozenset(self._expanded),
                self.release_name)

    def _no_scrolling_for_rounding(self, low: int, high: int) -> None:
        # The scroll area shows or hides the bar later (a queued call), after this has run.
        if 0 < high - low <= ROUNDING_PX:
            self.horizontalScrollBar().setRange(low, low)

    def help_for(self, key: str) -> str:
        field = self.page[key] if self.page else None
        return field.help if field else ""

    def _clicked(self, url: QUrl) -> None:
        kind, _, value = url.toString().partition(":")
        if kind == "copy":
            self.copyRequested.emit(value)
        elif kind == "code":
            self.codeRequested.emit(value)
        elif kind == "star":
            self.starRequested.emit(value)
        elif kind in ("help", "fold"):
            self._expanded ^= {value}
            self.refresh()
        else:
            self.linkRequested.emit(kind, value)

    def _hovered(self, url: QUrl) -> None:
        kind, _, value = url.toString().partition(":")
        if kind == "help" and self.page is not None:
            text = self.help_for(value) or "No help text in the record layout."
            # Rich text, so that Qt wraps a long help text instead of showing one wide line.
            QToolTip.showText(QCursor.pos(), "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n")), self)
        else:
            QToolTip.hideText()
