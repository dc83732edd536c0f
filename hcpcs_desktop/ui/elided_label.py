"""A one-line label that gives up its width: cut with "…" where the window is narrow (a large zoom, a
small screen), whole in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy

from .rows_model import tooltip


class ElidedLabel(QLabel):
    """Plain text set with `say`; `whole` is what it says, `text()` what fits."""

    def __init__(self, objectName: str = ""):
        super().__init__(objectName=objectName, textFormat=Qt.TextFormat.PlainText)  # it says names from data
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)  # down to a few letters
        self.whole = ""

    def say(self, text: str) -> None:
        self.whole = text
        self.setToolTip(tooltip(text))
        self._fit()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self.whole) + 2, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…") * 3, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit()
            self.updateGeometry()

    def _fit(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.whole, Qt.TextElideMode.ElideRight, self.width()))
