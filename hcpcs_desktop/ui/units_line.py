"""The units line of a drug code: type the dose given, read the units to bill and the rule."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from ..code_view import Billing, UnitsSaid


class UnitsLine(QWidget):
    """"Dose given: [40 mg]", and under it "40 mg ÷ 10 mg = 4 units", worked out as the coder types.

    `set_billing(billing)` sets what the units are worked out by (`code_view.Billing`): the code's
    billing dose (None, with the reason, for a drug code whose description gives none: the line then
    says so and takes no input), the Part B payment limit per unit, which adds the amount allowed to
    the units, and the Medically Unlikely Edits per setting and the code's termination, said on the
    line (with a warning when the units are over an MUE). What the line says is `said`, worked out
    by `Billing.units` as the printed page's is.
    With `escape_leaves`, Esc in the dose box emits `left` (else it goes on to the dialog, which
    closes).
    """

    left = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("unitsLine")
        self.billing = Billing()
        self.escape_leaves = False
        self.passed_keys: list = []  # window shortcuts (QKeyCombination) the dose box must not take
        self.said: UnitsSaid  # what the line says of the dose typed (`set_billing` works it out)
        self.doseEdit = QLineEdit(objectName="doseEdit", clearButtonEnabled=True)
        self.doseEdit.setAccessibleName("Dose given")
        self.doseEdit.setMaximumWidth(160)
        self.doseEdit.textChanged.connect(self._work_out)
        self.doseEdit.returnPressed.connect(self.doseEdit.selectAll)  # the next dose replaces this one
        self.doseEdit.installEventFilter(self)
        # The units worked out, and under them the code's termination and MUEs: each as wide as the line.
        self.unitsLabel = QLabel(objectName="unitsLabel", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.limitsLabel = QLabel(objectName="limitsLabel", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        for shown in (self.unitsLabel, self.limitsLabel):
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label = QLabel("D&ose given:")
        label.setBuddy(self.doseEdit)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(2)
        layout.addWidget(label, 0, 0)
        layout.addWidget(self.doseEdit, 0, 1)
        layout.setColumnStretch(2, 1)
        layout.addWidget(self.unitsLabel, 1, 0, 1, 3)
        layout.addWidget(self.limitsLabel, 2, 0, 1, 3)
        self.set_billing(self.billing)

    def set_billing(self, billing: Billing) -> None:
        self.billing, dose = billing, billing.dose
        self.doseEdit.setEnabled(dose is not None)
        if dose is not None:
            from ..data.billing_units import dose_text

            self.doseEdit.setPlaceholderText(f"e.g. {dose_text(dose).removeprefix('up to ')}")
        else:
            self.doseEdit.setPlaceholderText("")
        self._work_out(self.doseEdit.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.keyCombination() in self.passed_keys:
            return True  # the line edit would take Ctrl+D (delete a character) from the window
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape and self.escape_leaves:
            self.left.emit()
            return True
        return super().eventFilter(watched, event)

    def _work_out(self, text: str) -> None:
        self.said = self.billing.units(text)
        self.unitsLabel.setText(self.said.said)
        self._show_answer(self.said.answer)
        self.limitsLabel.setText(self.said.limits)
        self.limitsLabel.setVisible(bool(self.said.limits))
        font = self.limitsLabel.font()
        font.setBold(self.said.warning)  # the code's termination, or units over an MUE
        self.limitsLabel.setFont(font)

    def _show_answer(self, answer: bool) -> None:
        """Units to bill in bold; a hint or a problem in the label's plain font."""
        font = self.unitsLabel.font()
        font.setBold(answer)
        self.unitsLabel.setFont(font)
