"""Checked claim lines as a Qt model: one row per line with its verdict and reasons, filled a slice
of lines at a time so that the window answers keys while 10,000 lines are checked."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from .. import claim_wording as say
from ..claim_checks import LineChecker, LineResult, Verdict, verdict_counts
from ..claim_lines import ClaimLine
from .rows_model import RowsModel, tooltip

HEADERS = say.HEADERS
LINE, VERDICT, CODE, MODIFIERS, UNITS, DATE, NDC, AMOUNT, REASONS, PASTED = range(len(HEADERS))
SLICE = 250  # lines checked between two turns of the event loop (benchmarks/claim_lines.py times the longest)


def results_text(results: list[LineResult]) -> str:
    """The results with their column titles, tab-separated, as a spreadsheet pastes them."""
    return "\n".join("\t".join(row) for row in [list(HEADERS), *map(say.result_row, results)])


class ClaimLinesModel(RowsModel):
    """The `LineResult`s of the lines checked so far, in the order pasted, and the lines still to check."""

    HEADERS = HEADERS

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pending: list[ClaimLine] = []
        self.checker: LineChecker | None = None
        self.beyond = 0  # lines past the most read, not checked

    def start(self, lines: list[ClaimLine], checker: LineChecker | None, beyond: int = 0) -> None:
        """Forget the results and check `lines` with `checker` (None: nothing is open; none is checked)."""
        self.set_rows([])
        self.pending = list(lines) if checker is not None else []
        self.checker = checker
        self.beyond = beyond

    def check_more(self) -> bool:
        """Check the next SLICE lines and add their rows; whether lines remain."""
        if not self.pending:
            return False
        lines, self.pending = self.pending[:SLICE], self.pending[SLICE:]
        results = self.checker.check_all(lines)
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(results) - 1)
        self.rows += results
        self.endInsertRows()
        return bool(self.pending)

    def stop(self) -> None:
        """Check no more lines (the results so far stay)."""
        self.pending = []

    def result(self, row: int) -> LineResult:
        return self.rows[row]

    def counts(self) -> dict[str, int]:
        return verdict_counts(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        result = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == VERDICT:
                return say.VERDICT_MARKS[result.verdict]
            return say.result_row(result)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (VERDICT, REASONS, PASTED):
            return tooltip("\n".join(say.text_lines(result)))  # the pasted text is shown as text, never markup
        if role == Qt.ItemDataRole.FontRole and column in (CODE, MODIFIERS, NDC, PASTED):
            return self.mono_font()
        if role == Qt.ItemDataRole.ForegroundRole and result.verdict == Verdict.OK and column == REASONS:
            return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None
