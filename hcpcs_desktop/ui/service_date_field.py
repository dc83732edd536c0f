"""The date-of-service field: the date the coder bills for, typed as CMS and billers write it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget


class ServiceDateField(QWidget):
    """A labelled line edit; `dateChanged(date or None)` when Enter or leaving the field sets a
    new date (empty: none), `refused(message)` when the text is not a date."""

    dateChanged = Signal(object)
    refused = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.edit = QLineEdit(objectName="serviceDateEdit", clearButtonEnabled=True,
                              placeholderText="MM/DD/YYYY or YYYY-MM-DD")
        self.edit.setAccessibleName("serviceDateEdit")
        self.edit.setToolTip("Date of service: the detail pane says whether the code shown was valid on "
                             "that date and which stored release applied. Leave empty for none.")
        self.edit.setFixedWidth(self.edit.fontMetrics().horizontalAdvance("MM/DD/YYYY or YYYY-MM-DD") + 40)
        self.label = QLabel("Date of service:", buddy=self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.edit)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.date: dt.date | None = None
        self.edit.editingFinished.connect(self._finished)
        self.edit.textChanged.connect(lambda text: text or self._finished())  # the clear button

    def _finished(self) -> None:
        from ..data.validity import parse_date  # read when a date is typed, not to start the window

        text = self.edit.text().strip()
        try:
            date = parse_date(text) if text else None
        except ValueError as exc:
            self.edit.setStyleSheet("QLineEdit { border: 2px solid #c0392b; }")
            self.refused.emit(f"Date of service: {exc}")
            date = None
        else:
            self.edit.setStyleSheet("")
        if date != self.date:
            self.date = date
            self.dateChanged.emit(date)
