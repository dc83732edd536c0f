"""The bar above the panes that speaks of releases and the coder's files: a newer release
stored (with a switch to it), what the last import did, a file of the coder's set aside. Empty,
it is hidden; the coder can dismiss what it says."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton

SWITCH = "release:switch"


class ReleaseBanner(QFrame):
    """Paragraphs of plain text, each with an optional link; `switchRequested` when the coder
    clicks the switch to the newer release."""

    switchRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, objectName="releaseBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # The palette's own colours, so that it stays legible in a dark theme.
        self.setBackgroundRole(self.palette().ColorRole.AlternateBase)
        self.setAutoFillBackground(True)
        self.label = QLabel(objectName="releaseBannerText", wordWrap=True,
                            textInteractionFlags=Qt.TextInteractionFlag.TextBrowserInteraction)
        self.label.setOpenExternalLinks(False)
        self.label.linkActivated.connect(self._clicked)
        self.closeButton = QToolButton(text="✕", objectName="releaseBannerClose", autoRaise=True,
                                       toolTip="Dismiss")
        self.closeButton.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.closeButton, 0, Qt.AlignmentFlag.AlignTop)
        self.newer: str = ""  # the sentence about a newer release, with its switch link
        self.report: list[str] = []  # what the last import did
        self.hide()

    def set_newer(self, text: str, switch_to: str) -> None:
        """Say that a newer release is stored (`text`), with a link to switch to `switch_to`;
        an empty `text` says nothing."""
        self.newer = (f"{html.escape(text)} <a href=\"{SWITCH}\">Switch to {html.escape(switch_to)}</a>"
                      if text else "")
        self._update()

    def set_report(self, lines: list[str]) -> None:
        """Say what the last import did (replacing what the one before said)."""
        self.report = [html.escape(line) for line in lines]
        self._update()

    def add_report(self, lines: list[str]) -> None:
        """Say `lines` after what the banner says already."""
        self.report += [html.escape(line) for line in lines]
        self._update()

    def clear(self) -> None:
        self.newer, self.report = "", []
        self._update()

    def _update(self) -> None:
        paragraphs = [*([f"<b>{self.newer}</b>"] if self.newer else []), *self.report]
        self.label.setText("".join(f'<p style="margin:2px 0">{p}</p>' for p in paragraphs))
        self.setVisible(bool(paragraphs))

    def _clicked(self, href: str) -> None:
        if href == SWITCH:
            self.switchRequested.emit()
