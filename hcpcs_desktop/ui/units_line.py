"""The units line of a drug code: type the dose given, read the units to bill and the rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from ..wording import allowed_text, mue_text

if TYPE_CHECKING:  # the dose rules are read with the first drug code, not at start-up
    from ..data.billing_units import Units, UnitsProblem
    from ..data.doses import Dose


class UnitsLine(QWidget):
    """"Dose given: [40 mg]", and under it "40 mg ÷ 10 mg = 4 units", worked out as the coder types.

    `set_dose(dose, no_dose)` sets the code's billing dose (None, with the reason, for a drug
    code whose description gives none: the line then says so and takes no input);
    `set_payment_limit(limit, period)` the Part B payment limit per unit, which adds the amount
    allowed to the units; `set_limits(mue, terminated)` the Medically Unlikely Edits per setting
    and the code's termination, said on the line (with a warning when the units are over an MUE).
    With `escape_leaves`, Esc in the dose box emits `left` (else it goes on to the dialog, which
    closes).
    """

    left = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("unitsLine")
        self.dose: Dose | None = None
        self.no_dose = ""
        self.limit: float | None = None  # Part B payment limit per billing unit
        self.period = ""  # of that limit
        self.mue: list[tuple[str, float]] = []  # (setting, most units a day) of the newest MUE file of each
        self.terminated = ""  # "Terminated 2024-03-31" for a terminated code
        self.escape_leaves = False
        self.passed_keys: list = []  # window shortcuts (QKeyCombination) the dose box must not take
        self.result: Units | UnitsProblem | None = None  # of the text typed, None while empty
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
        self.set_dose(None)

    def set_dose(self, dose: Dose | None, no_dose: str = "") -> None:
        self.dose, self.no_dose = dose, no_dose
        self.doseEdit.setEnabled(dose is not None)
        if dose is not None:
            from ..data.billing_units import dose_text

            self.doseEdit.setPlaceholderText(f"e.g. {dose_text(dose).removeprefix('up to ')}")
        else:
            self.doseEdit.setPlaceholderText("")
        self._work_out(self.doseEdit.text())

    def set_payment_limit(self, limit: float | None, period: str = "") -> None:
        self.limit, self.period = limit, period
        self._work_out(self.doseEdit.text())

    def set_limits(self, mue: list[tuple[str, float]], terminated: str = "") -> None:
        self.mue, self.terminated = mue, terminated
        self._work_out(self.doseEdit.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.keyCombination() in self.passed_keys:
            return True  # the line edit would take Ctrl+D (delete a character) from the window
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape and self.escape_leaves:
            self.left.emit()
            return True
        return super().eventFilter(watched, event)

    def _work_out(self, text: str) -> None:
        self._show_answer(False)
        self.result = None
        units = None
        if self.dose is None:
            self.unitsLabel.setText(f"No dose to bill by: {self.no_dose}." if self.no_dose else "")
        elif not text.strip():
            from ..data.billing_units import dose_text

            self.unitsLabel.setText(f"1 unit = {dose_text(self.dose)}: type the dose given to read the units.")
        else:
            from ..data.billing_units import Units, billing_units, describe

            self.result = billing_units(self.dose, text)
            rule = describe(self.result)
            units = self.result.units if isinstance(self.result, Units) else None
            if units is not None and self.limit is not None:
                rule = allowed_text(rule, units, self.limit, self.period)
            self.unitsLabel.setText(rule)
            self._show_answer(units is not None)
        self._show_limits(units)

    def _show_limits(self, units: int | None) -> None:
        """The code's termination and its MUEs (a warning, in bold, when the units are over one)."""
        said = [f"✖ {self.terminated}"] if self.terminated else []
        mue = mue_text(units, self.mue) if self.mue and self.dose is not None else ""
        said += [mue] if mue else []
        self.limitsLabel.setText(" · ".join(said))
        self.limitsLabel.setVisible(bool(said))
        font = self.limitsLabel.font()
        font.setBold(bool(self.terminated) or mue.startswith("⚠"))
        self.limitsLabel.setFont(font)

    def _show_answer(self, answer: bool) -> None:
        """Units to bill in bold; a hint or a problem in the label's plain font."""
        font = self.unitsLabel.font()
        font.setBold(answer)
        self.unitsLabel.setFont(font)
