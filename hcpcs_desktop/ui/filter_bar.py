"""The filters beside the search box: section, coverage, BETOS, terminated codes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QSizePolicy, QWidget

from ..search import Filters, SearchEngine
from ..search.engine import Status

SECTIONS = [
    ("A", "Transport & supplies"), ("B", "Enteral & parenteral"), ("C", "Outpatient PPS"),
    ("E", "Durable medical equipment"), ("G", "Procedures & professional services"),
    ("H", "Behavioral health"), ("J", "Drugs"), ("K", "DME, temporary"),
    ("L", "Orthotics & prosthetics"), ("M", "Other medical services"), ("P", "Pathology & lab"),
    ("Q", "Temporary codes"), ("R", "Radiology"), ("S", "Private payer"),
    ("T", "State Medicaid"), ("U", "Laboratory"), ("V", "Vision & hearing"), ("modifier", "Modifiers"),
]


# Keys that would change a closed list box's choice unseen: they open its list instead.
OPENING_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_Home,
                Qt.Key.Key_End)


class FilterBar(QWidget):
    """Emits `changed` whenever a filter changes; `filters()` says what is chosen, `active()` names
    the filters changed from their defaults (shown in bold)."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sectionBox = QComboBox(objectName="sectionFilter", toolTip="Section (first letter of the code)")
        self.sectionBox.addItem("All sections", None)
        for value, label in SECTIONS:
            self.sectionBox.addItem(f"{value} — {label}" if value != "modifier" else label, value)
        self.coverageBox = QComboBox(objectName="coverageFilter", toolTip="Medicare coverage code")
        self.betosBox = QComboBox(objectName="betosFilter", toolTip="BETOS classification")
        self.terminatedBox = QCheckBox("Terminated", objectName="terminatedFilter", checked=True)
        self.terminatedBox.setToolTip("Include terminated codes: listed after active ones and marked")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in (self.sectionBox, self.coverageBox, self.betosBox):
            # Narrow windows shrink the boxes (their lists open at full width).
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(3)
            box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            box.currentIndexChanged.connect(self._changed)
            box.installEventFilter(self)
            layout.addWidget(box, 1)
        self.terminatedBox.toggled.connect(self._changed)
        layout.addWidget(self.terminatedBox)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and event.key() in OPENING_KEYS
                and not event.modifiers() & Qt.KeyboardModifier.AltModifier):
            watched.showPopup()
            return True
        if event.type() == QEvent.Type.Wheel and not watched.hasFocus():
            return True  # scrolling past a box never changes its filter
        return super().eventFilter(watched, event)

    def _changed(self) -> None:
        for box in (self.sectionBox, self.coverageBox, self.betosBox, self.terminatedBox):
            bold = (box is not self.terminatedBox and box.currentIndex() > 0
                    or box is self.terminatedBox and not box.isChecked())
            if box.font().bold() != bold:  # a new font lays the bar out and repaints it
                font = box.font()
                font.setBold(bold)
                box.setFont(font)
        self.changed.emit()

    def active(self) -> list[str]:
        """The filters that narrow the results: "status active", "section E", "coverage D", "BETOS D1E"."""
        filters = self.filters()
        return [f"{name} {value}" for name, value in (("status", filters.status and filters.status.value),
                                                      ("section", filters.section),
                                                      ("coverage", filters.coverage), ("BETOS", filters.betos))
                if value]

    def reset(self) -> None:
        """Every filter back to showing everything; `changed` once."""
        if not self.active():
            return
        self.blockSignals(True)
        for box in (self.sectionBox, self.coverageBox, self.betosBox):
            box.setCurrentIndex(0)
        self.terminatedBox.setChecked(True)
        self.blockSignals(False)
        self.changed.emit()

    def set_choices(self, engine: SearchEngine) -> None:
        """Offer the coverage and BETOS values the open release uses, with their meanings and counts."""
        for box, everything, column in ((self.coverageBox, "All coverage", "coverage"),
                                        (self.betosBox, "All BETOS", "betos")):
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for value, meaning, count in engine.filter_values(column):
                box.addItem(f"{value} — {meaning or 'no description'} ({count:,})", value)
            box.blockSignals(False)

    def filters(self) -> Filters:
        return Filters(
            status=None if self.terminatedBox.isChecked() else Status.ACTIVE,
            section=self.sectionBox.currentData(),
            coverage=self.coverageBox.currentData(),
            betos=self.betosBox.currentData(),
        )
