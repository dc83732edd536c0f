"""Choosing the state whose DMEPOS fees the code page shows: its name or postal code typed, the
list narrowed as it is typed, Enter chooses."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from .user_state import STATES, state_label


def matches(typed: str, states: list[str]) -> list[str]:
    """The postal codes of `states` whose code is `typed` or one of whose name's words starts with it
    (case ignored); the code typed exactly comes first, then by name."""
    typed = " ".join(typed.split()).casefold()
    found = [s for s in states if not typed or s.casefold() == typed
             or any(word.startswith(typed) for word in _starts(STATES[s].casefold()))]
    return sorted(found, key=lambda s: (s.casefold() != typed, STATES[s]))


def _starts(name: str) -> list[str]:
    """The name from each of its words on: "new york", "york"."""
    words = name.split()
    return [" ".join(words[i:]) for i in range(len(words))]


class StateDialog(QDialog):
    """Choose one of `states` (postal codes); `state()` is the one chosen once accepted."""

    def __init__(self, states: list[str], chosen: str = "", parent=None):
        super().__init__(parent)
        self.setObjectName("stateDialog")
        self.setWindowTitle("State for DMEPOS fees")
        self.states = [s for s in states if s in STATES]
        self.filterEdit = QLineEdit(objectName="stateFilter", clearButtonEnabled=True)
        self.filterEdit.setPlaceholderText("Type a state's name or postal code, e.g. penn or PA")
        self.list = QListWidget(objectName="stateList")
        label = QLabel("&State:", buddy=self.filterEdit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.filterEdit)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(360, 440)
        self.filterEdit.textChanged.connect(self._narrow)
        self.list.itemActivated.connect(lambda item: self.accept())
        self.filterEdit.installEventFilter(self)
        self._narrow("")
        if chosen in self.states:
            self.list.setCurrentRow(self.states_shown().index(chosen))
        self.filterEdit.setFocus()

    def _narrow(self, typed: str) -> None:
        self.list.clear()
        for state in matches(typed, self.states):
            item = QListWidgetItem(state_label(state))
            item.setData(Qt.ItemDataRole.UserRole, state)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def states_shown(self) -> list[str]:
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.list.count())]

    def state(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def accept(self) -> None:
        if self.state():
            super().accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up, Down, PageUp and PageDown in the box move through the list; Enter chooses.
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down,
                                                                     Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.list.keyPressEvent(event)
            return True
        return super().eventFilter(watched, event)
