"""The filters beside the search box: section, coverage, BETOS, terminated codes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QWidget

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


class FilterBar(QWidget):
    """Emits `changed` whenever a filter changes; `filters()` says what is chosen."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sectionBox = QComboBox(objectName="sectionFilter", toolTip="Section (first letter of the code)")
        self.sectionBox.addItem("All sections", None)
        for value, label in SECTIONS:
            self.sectionBox.addItem(f"{value} — {label}" if value != "modifier" else label, value)
        self.coverageBox = QComboBox(objectName="coverageFilter", toolTip="Medicare coverage code")
        self.betosBox = QComboBox(objectName="betosFilter", toolTip="BETOS classification")
        self.terminatedBox = QCheckBox("Include terminated", objectName="terminatedFilter", checked=True)
        self.terminatedBox.setToolTip("Terminated codes are listed after active ones, greyed and marked")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in (self.sectionBox, self.coverageBox, self.betosBox):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(8)
            box.currentIndexChanged.connect(self.changed)
            layout.addWidget(box, 1)
        self.terminatedBox.toggled.connect(self.changed)
        layout.addWidget(self.terminatedBox)

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
