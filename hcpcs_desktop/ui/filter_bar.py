"""The filters beside the search box: section, coverage, BETOS, terminated codes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QSizePolicy, QWidget

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


# On one row each list box shows at least this much of its choice; a narrower bar (a small screen,
# a large zoom) takes two rows.
SHOWN_AT_LEAST = "All sections"
# Room a list box takes beside its text (frame, arrow), in widths of the letter x.
BOX_FRAME_XS = 5

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
        for box in (self.sectionBox, self.coverageBox, self.betosBox):
            # Narrow windows shrink the boxes (their lists open at full width).
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(3)
            box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            box.currentIndexChanged.connect(self._changed)
            box.installEventFilter(self)
        self.terminatedBox.toggled.connect(self._changed)
        self._rows = 0
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._arrange(1)

    # ----- one row, or two when narrow
    def rows(self) -> int:
        """How many rows the filters take."""
        return self._rows

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # zoomed: the boxes need more room
            self._fit()

    def _fit(self) -> None:
        self._arrange(1 if self.width() >= self._one_row_width() else 2)

    def _one_row_width(self) -> int:
        metrics = self.sectionBox.fontMetrics()
        box = metrics.horizontalAdvance(SHOWN_AT_LEAST) + BOX_FRAME_XS * metrics.horizontalAdvance("x")
        spacing = self._grid.horizontalSpacing()
        return 3 * (box + spacing) + self.terminatedBox.sizeHint().width()

    def _arrange(self, rows: int) -> None:
        """The boxes on one row (section, coverage, BETOS, terminated) or two (section and coverage
        above BETOS and terminated)."""
        if rows == self._rows:
            return
        self._rows = rows
        places = ([(0, 0), (0, 1), (0, 2), (0, 3)] if rows == 1 else [(0, 0), (0, 1), (1, 0), (1, 1)])
        for box, (row, column) in zip((self.sectionBox, self.coverageBox, self.betosBox), places):
            self._grid.addWidget(box, row, column)  # moved, when it was placed before
        # As wide as its words: a click beside them is no click on the box.
        self._grid.addWidget(self.terminatedBox, *places[3], alignment=Qt.AlignmentFlag.AlignLeft)
        for column, stretch in enumerate((1, 1, 1, 0) if rows == 1 else (1, 1, 0, 0)):
            self._grid.setColumnStretch(column, stretch)

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
