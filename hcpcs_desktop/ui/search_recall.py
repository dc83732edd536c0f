"""Earlier searches, recalled from the search box: Up on an empty box (or Alt+Down) drops down
the list of searches typed before, newest first; Enter or a click searches the one chosen.

The box's text is kept as a search the coder typed when they press Enter, open a code from the
list, or stop typing for a moment (SETTLED_MS); codes opened through links are not searches typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer
from PySide6.QtWidgets import QCompleter, QLineEdit

SETTLED_MS = 1500


class SearchRecall(QObject):
    """Watches `box`: keeps what is typed there with `keep(text)`, recalls `searches()`."""

    def __init__(self, box: QLineEdit, searches: Callable[[], list[str]], keep: Callable[[str], None]):
        super().__init__(box)
        self.box, self.searches, self.keep = box, searches, keep
        self.model = QStringListModel(self)
        self.popup = QCompleter(self.model, self)
        self.popup.setWidget(box)  # not the box's completer: typing never pops it up
        self.popup.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.popup.setMaxVisibleItems(12)
        self.popup.activated.connect(self._chosen)
        self._settled = QTimer(self, singleShot=True, interval=SETTLED_MS)
        self._settled.timeout.connect(self.settle)
        box.textEdited.connect(lambda text: self._settled.start())
        box.returnPressed.connect(self.settle)
        box.installEventFilter(self)  # after the search pane's filter, so asked first

    def settle(self) -> None:
        """Keep the box's text as a typed search."""
        self._settled.stop()
        if self.box.text().strip():
            self.keep(self.box.text())

    def show_searches(self) -> bool:
        """Drop down the earlier searches; False when there are none."""
        searches = self.searches()
        if not searches:
            return False
        self.model.setStringList(searches)
        self.popup.complete()
        self.popup.popup().setCurrentIndex(self.model.index(0))
        return True

    def _chosen(self, text: str) -> None:
        self.box.setText(text)
        self.box.selectAll()
        self.settle()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched is self.box:
            up_on_empty = event.key() == Qt.Key.Key_Up and not self.box.text()
            alt_down = (event.key() == Qt.Key.Key_Down
                        and event.modifiers() == Qt.KeyboardModifier.AltModifier)
            if (up_on_empty or alt_down) and self.show_searches():
                return True
        return False
