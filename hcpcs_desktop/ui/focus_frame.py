"""A ring around a pane, in the palette's highlight colour while the pane has the keyboard: F6 and
Tab between the results and the code page are seen."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

FRAME_PX = 2


class FocusFrame(QWidget):
    """Holds `pane` with a ring of FRAME_PX around it, drawn while `pane` has the focus."""

    def __init__(self, pane: QWidget, parent=None):
        super().__init__(parent)
        self.pane = pane
        self.setObjectName(f"{pane.objectName()}Frame")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(FRAME_PX, FRAME_PX, FRAME_PX, FRAME_PX)
        layout.addWidget(pane)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def shown(self) -> bool:
        """Whether the ring is drawn: the pane has the keyboard."""
        return self.pane.hasFocus()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if self.pane in (old, new):
            self.update()

    def paintEvent(self, event) -> None:
        if not self.shown():
            return
        painter = QPainter(self)
        painter.setPen(QPen(self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight), FRAME_PX))
        half = FRAME_PX / 2
        painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        painter.end()
