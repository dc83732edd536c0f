"""The dialog that writes the coder's note on a code: Ctrl+Enter (or Alt+S) saves, Tab moves
on to the buttons, and Esc with the note changed asks before the typed text is dropped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout

from ..wording import NOTE_DISCARD, NOTE_KEEP_EDITING, NOTE_SAVE, discard_note_question, note_prompt

SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")


class NoteDialog(QDialog):
    """Edit `note` on `code`; `text()` is the note once accepted."""

    def __init__(self, code: str, note: str, parent=None):
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(f"Note on {code}")
        self.code, self.original = code, note
        self.edit = QPlainTextEdit(note, objectName="noteEdit", tabChangesFocus=True)
        self.edit.setAccessibleName("Your note")
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        label = QLabel(note_prompt(code), wordWrap=True, textFormat=Qt.TextFormat.PlainText)  # a code from data
        label.setBuddy(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.saveButton = buttons.addButton(NOTE_SAVE, QDialogButtonBox.ButtonRole.AcceptRole)
        self.saveButton.setObjectName("saveNote")
        self.saveButton.setToolTip("Save the note (Ctrl+Enter)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for keys in SAVE_KEYS:
            QShortcut(QKeySequence(keys), self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        self.resize(520, 300)
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.toPlainText()

    def changed(self) -> bool:
        return self.text().strip() != self.original.strip()

    def reject(self) -> None:
        """Esc, Cancel or the window's close button: a changed note is dropped only when the coder says so."""
        if self.changed():
            question = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(), discard_note_question(self.code),
                                   parent=self)
            question.setObjectName("discardNote")
            question.setTextFormat(Qt.TextFormat.PlainText)
            discard = question.addButton(NOTE_DISCARD, QMessageBox.ButtonRole.DestructiveRole)
            keep = question.addButton(NOTE_KEEP_EDITING, QMessageBox.ButtonRole.RejectRole)
            question.setDefaultButton(keep)
            question.setEscapeButton(keep)
            question.exec()
            if question.clickedButton() is not discard:
                self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        super().reject()
