"""The View and Go commands on the window as a whole: zoom, moving between panes and to a section of
the code page, and showing empty fields."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from ..wording import NO_SECTION


class ViewCommands(QObject):
    """Zoom, pane cycling and empty fields; `window` gives the panes, the menus and the user's state."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.state = window.state

    # ----- panes
    def _panes(self) -> list[QWidget]:
        pane = self.window.pane
        return [pane.searchBox, pane.resultsView, self.window.detailView]

    def _cycle_panes(self, step: int) -> None:
        panes = self._panes()
        focused = QApplication.focusWidget()
        at = next((i for i, pane in enumerate(panes) if pane is focused or pane.isAncestorOf(focused)), -1)
        target = panes[(at + step) % len(panes)] if at >= 0 else panes[0]
        if target is self.window.pane.searchBox:
            self.window.pane.focus_search()
        else:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def next_pane(self) -> None:
        self._cycle_panes(1)

    def previous_pane(self) -> None:
        self._cycle_panes(-1)

    # ----- the code page
    def _go_to_section(self, name: str) -> None:
        view = self.window.detailView
        if view.page is None or not view.go_to_section(name):
            self.window.statusBar().showMessage(NO_SECTION, 4000)
            return
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def go_to_fields(self) -> None:
        self._go_to_section("fields")

    def go_to_payment(self) -> None:
        self._go_to_section("payment")

    def go_to_history(self) -> None:
        self._go_to_section("history")

    def set_show_empty(self, checked: bool) -> None:
        self.window.detailView.show_empty = checked
        self.window.detailView.refresh()
        self.state.set_show_empty(checked)

    # ----- zoom
    def zoom_in(self) -> None:
        self.apply_zoom(self.state.set_zoom(self.state.zoom() + 1))

    def zoom_out(self) -> None:
        self.apply_zoom(self.state.set_zoom(self.state.zoom() - 1))

    def reset_zoom(self) -> None:
        self.apply_zoom(self.state.set_zoom(0))

    def apply_zoom(self, level: int) -> None:
        """Every window of the app at the zoom: the main one (panes, filters, menus, the status bar)
        and the ones it opens (the Table of Drugs, What changed, the note, the state, questions)."""
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)  # the desktop's, unzoomed
        font.setPointSizeF(max(font.pointSizeF() + level, 6))
        QApplication.setFont(font)
        QApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)  # every widget now, not later
