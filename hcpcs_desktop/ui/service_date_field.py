"""The date-of-service field: the date the coder bills for, typed as claims and billers write it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from .elided_label import ElidedLabel

PLACEHOLDER = "MM/DD/YY or YYYY-MM-DD"


class ServiceDateField(QWidget):
    """A labelled line edit; `dateChanged(date or None)` when Enter or leaving the field sets a
    new date (empty: none). Text that is no date is said so beside the field, and sets none."""

    dateChanged = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.edit = QLineEdit(objectName="serviceDateEdit", clearButtonEnabled=True, placeholderText=PLACEHOLDER)
        self.edit.setAccessibleName("serviceDateEdit")
        self.edit.setToolTip("Date of service (MM/DD/YY, MM/DD/YYYY, MMDDYY, MMDDYYYY or YYYY-MM-DD): the detail "
                             "pane says whether the code shown was valid on that date and which stored release "
                             "applied. Leave empty for none.")
        self.edit.setFixedWidth(self.edit.fontMetrics().horizontalAdvance(PLACEHOLDER) + 40)
        self.label = QLabel("Date of service:", buddy=self.edit)
        self.problem = ElidedLabel("serviceDateProblem")  # why the text typed is no date
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.edit)
        layout.addWidget(self.problem, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.date: dt.date | None = None
        self.edit.editingFinished.connect(self._finished)
        self.edit.textChanged.connect(lambda text: text or self._finished())  # the clear button

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:  # zoomed: the field fits its hint again
            self.edit.setFixedWidth(self.edit.fontMetrics().horizontalAdvance(PLACEHOLDER) + 40)

    def _finished(self) -> None:
        from ..data.validity import parse_date  # read when a date is typed, not to start the window

        text = self.edit.text().strip()
        try:
            date = parse_date(text) if text else None
        except ValueError as exc:
            self.edit.setStyleSheet("QLineEdit { border: 2px solid #c0392b; }")
            self.problem.say(str(exc))
            date = None
        else:
            self.edit.setStyleSheet("")
            self.problem.say("")
        if date != self.date:
            self.date = date
            self.dateChanged.emit(date)
