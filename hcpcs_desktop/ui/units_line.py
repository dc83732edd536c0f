"""The units line of a drug code: type the dose given, read the units to bill and the rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from ..wording import allowed_text, mue_text

if TYPE_CHECKING:  # the dose rules are read with the first drug code, not at start-up
    from ..data.billing_units import Units, UnitsProblem
    from ..data.doses import Dose


class UnitsLine(QWidget):
    """"Dose given: [40 mg]  40 mg ÷ 10 mg = 4 units", worked out as the coder types.

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
        self.unitsLabel = QLabel(objectName="unitsLabel", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.unitsLabel.setTextInteractionFlags(self.unitsLabel.textInteractionFlags().TextSelectableByMouse)
        label = QLabel("D&ose given:")
        label.setBuddy(self.doseEdit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.doseEdit)
        layout.addWidget(self.unitsLabel, 1)
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
        if self.dose is None:
            self.result = None
            self.unitsLabel.setText(f"No dose to bill by: {self.no_dose}." if self.no_dose else "")
            return
        from ..data.billing_units import Units, billing_units, describe, dose_text

        if not text.strip():
            self.result = None
            self.unitsLabel.setText(self._with_limits(
                f"1 unit = {dose_text(self.dose)}: type the dose given to read the units.", None))
            return
        self.result = billing_units(self.dose, text)
        rule = describe(self.result)
        units = self.result.units if isinstance(self.result, Units) else None
        if units is not None and self.limit is not None:
            rule = allowed_text(rule, units, self.limit, self.period)
        self.unitsLabel.setText(self._with_limits(rule, units) if units is not None else rule)
        self._show_answer(units is not None)

    def _with_limits(self, line: str, units: int | None) -> str:
        """The line with the code's termination before it and its MUEs after it."""
        if self.mue:
            line = f"{line} · {mue_text(units, self.mue)}"
        return f"✖ {self.terminated} · {line}" if self.terminated else line

    def _show_answer(self, answer: bool) -> None:
        """Units to bill in bold; a hint or a problem in the label's plain font."""
        font = self.unitsLabel.font()
        font.setBold(answer)
        self.unitsLabel.setFont(font)
