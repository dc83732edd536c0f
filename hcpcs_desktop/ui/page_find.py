"""Find in the code page: Ctrl+F in the page opens a line under it; what is typed is marked wherever the
page has it, the first one from the top selected and scrolled to; Enter or F3 goes to the next, Shift+Enter
or Shift+F3 to the one before; Esc closes the line and goes back to the page."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextBrowser, QTextEdit, QToolButton, QWidget

from ..wording import found_in_page_text

NEXT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F3)
MARK = QColor(255, 214, 0, 150)  # every match, under the text; the one selected has the selection's colour


class PageFind(QWidget):
    """The find line of `page` (hidden until `open()`)."""

    def __init__(self, page: QTextBrowser, parent=None):
        super().__init__(parent)
        self.setObjectName("pageFind")
        self.page = page
        self.edit = QLineEdit(objectName="pageFindEdit", clearButtonEnabled=True,
                              placeholderText="Find in the page (Enter: next, Shift+Enter: previous)")
        self.edit.setAccessibleName("Find in the page")
        self.countLabel = QLabel(objectName="pageFindCount")
        close = QToolButton(text="✕", autoRaise=True, toolTip="Close (Esc)")
        close.clicked.connect(self.close_line)
        label = QLabel("F&ind:", buddy=self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.countLabel)
        layout.addWidget(close)
        self.edit.textChanged.connect(lambda text: self.look_for(from_top=True))
        self.edit.installEventFilter(self)
        self.matches: list[QTextCursor] = []
        self.at = -1
        page.textChanged.connect(self._page_changed)
        self.hide()

    def open(self) -> None:
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        self.look_for(from_top=True)

    def close_line(self) -> None:
        self.hide()
        self.page.setExtraSelections([])
        self.page.setFocus(Qt.FocusReason.OtherFocusReason)

    def _page_changed(self) -> None:
        """Another code's page (or the same one drawn again): its matches are found again."""
        if self.isVisible():
            self.look_for(from_top=True)

    def look_for(self, from_top: bool = False, step: int = 1) -> None:
        """Mark every match of the text typed; select the first (`from_top`), or the next or previous one."""
        text = self.edit.text()
        self.matches = []
        cursor = QTextCursor(self.page.document())
        while text:
            cursor = self.page.document().find(text, cursor)
            if cursor.isNull():
                break
            self.matches.append(QTextCursor(cursor))
        marked = QTextCharFormat()
        marked.setBackground(MARK)
        selections = []
        for match in self.matches:
            selection = QTextEdit.ExtraSelection()
            selection.cursor, selection.format = match, marked
            selections.append(selection)
        self.page.setExtraSelections(selections)
        if not self.matches:
            self.at = -1
        elif from_top:
            self.at = 0
        else:
            self.at = (self.at + step) % len(self.matches)
        if self.at >= 0:
            self.page.setTextCursor(self.matches[self.at])
            self.page.ensureCursorVisible()
        self.countLabel.setText(found_in_page_text(self.at, len(self.matches)) if text else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_F3:
            event.accept()  # F3 is the next match here, not the search box
            return True
        if event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.close_line()
                return True
            if event.key() in NEXT_KEYS:
                back = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.look_for(step=-1 if back else 1)
                return True
        return super().eventFilter(watched, event)
