"""The detail pane: a code's page, with copy links, help on hover and cross-reference links.

The page is drawn after the results list: `show_page` records the code at once (copying and
starring act on it) and renders its HTML once the frame with the new results is on the
screen (`after_frame`, called when the list has painted) or, if no frame comes, a moment
later. Typing never waits for the detail pane; a code replaced before then is never rendered.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QTextBrowser, QToolTip

from ..data.database import CodePage
from .code_page_html import render, welcome


FALLBACK_MS = 40  # when the list draws no frame (hidden, unchanged), render after this long


class DetailView(QTextBrowser):
    """Shows one `CodePage` (or the welcome page); emits what the coder clicked."""

    copyRequested = Signal(str)  # field key
    codeRequested = Signal(str)  # a cross-referenced code
    starRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("detailView")
        self.setAccessibleName("detailView")
        self.setOpenLinks(False)
        self.page: CodePage | None = None
        self.release_name = ""
        self.show_empty = False
        self.starred = False
        self.matched = ""  # why the code matched the search, when not by CMS's own words
        self.history_of: Callable[[str], list[str]] = lambda code: []
        self.service_date_of: Callable[[str], str] = lambda code: ""  # valid on the date of service?
        self._expanded: set[str] = set()
        self._shown: tuple | None = None  # what the HTML on screen was rendered from
        self._shown_code: str | None = None  # redrawn for the same code, the page keeps its scroll position
        self._render_timer = QTimer(self, singleShot=True, interval=FALLBACK_MS)
        self._render_timer.timeout.connect(self.refresh)
        self.anchorClicked.connect(self._clicked)
        self.highlighted.connect(self._hovered)

    @property
    def pending(self) -> bool:
        """True until the page last asked for is on screen."""
        return self._render_timer.isActive()

    def show_page(self, page: CodePage | None, starred: bool = False, matched: str = "") -> None:
        """Show `page` (None: the welcome page) once the results are painted."""
        if page is not self.page:
            self._expanded.clear()
        self.page, self.starred, self.matched = page, starred, matched
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
        if self.page is None:
            self._shown_code = None
            self.setHtml(welcome(self.release_name))
            return
        position = self.verticalScrollBar().value() if self._shown_code == self.page.code else 0
        self.setHtml(
            render(
                self.page,
                self.release_name,
                show_empty=self.show_empty,
                expanded=frozenset(self._expanded),
                starred=self.starred,
                history=self.history_of(self.page.code),
                matched=self.matched,
                service_date=self.service_date_of(self.page.code),
            )
        )
        self.verticalScrollBar().setValue(position)
        self._shown_code = self.page.code

    def _state(self) -> tuple:
        return (self.page, self.starred, self.matched, self.show_empty, frozenset(self._expanded),
                self.release_name)

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
        elif kind == "help":
            self._expanded ^= {value}
            self.refresh()

    def _hovered(self, url: QUrl) -> None:
        kind, _, value = url.toString().partition(":")
        if kind == "help" and self.page is not None:
            text = self.help_for(value) or "No help text in the record layout."
            # Rich text, so that Qt wraps a long help text instead of showing one wide line.
            QToolTip.showText(QCursor.pos(), "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n")), self)
        else:
            QToolTip.hideText()
