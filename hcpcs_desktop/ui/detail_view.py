"""The detail pane: a code's page, with copy links, help on hover and cross-reference links."""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QTextBrowser, QToolTip

from ..data.database import CodePage
from .code_page_html import render, welcome


class DetailView(QTextBrowser):
    """Shows one `CodePage`; emits what the coder clicked."""

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
        self.history: list[str] = []
        self.matched = ""  # why the code matched the search, when not by CMS's own words
        self._expanded: set[str] = set()
        self.anchorClicked.connect(self._clicked)
        self.highlighted.connect(self._hovered)

    def show_page(self, page: CodePage | None, starred: bool = False, history: list[str] = (),
                  matched: str = "") -> None:
        if page is self.page and starred == self.starred and matched == self.matched and page is not None:
            return  # typing on while the same code stays on top: nothing to redraw
        self._expanded.clear()
        self.page, self.starred, self.history, self.matched = page, starred, list(history), matched
        self.refresh()

    def refresh(self) -> None:
        if self.page is None:
            self.setHtml(welcome(self.release_name))
            return
        position = self.verticalScrollBar().value()
        self.setHtml(
            render(
                self.page,
                self.release_name,
                show_empty=self.show_empty,
                expanded=frozenset(self._expanded),
                starred=self.starred,
                history=self.history,
                matched=self.matched,
            )
        )
        self.verticalScrollBar().setValue(position)

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
