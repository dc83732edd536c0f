"""The Table of Drugs window: every drug code of the open release, filtered as you type."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
)

from ..code_view import Billing
from ..data.drug_codes import DrugCode
from ..search.engine import Status
from ..wording import status_text
from .drug_table_model import BRANDS, CODE, DOSE, DRUG, ROUTE, DrugTableModel, DrugTableProxy, rows_text
from .units_line import UnitsLine

OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class DrugTableDialog(QDialog):
    """List, sort and filter drug codes; Enter (or a double click) on one emits `codeChosen`.

    The units line below the table works out the units of the selected code's dose.
    """

    codeChosen = Signal(str)

    def __init__(self, drugs: list[DrugCode], release_name: str = "", parent=None):
        super().__init__(parent)
        self.setObjectName("drugTableDialog")
        self.setWindowTitle(f"Table of Drugs — {release_name}" if release_name else "Table of Drugs")
        self.model = DrugTableModel(self)
        self.model.set_rows(drugs)
        self.proxy = DrugTableProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filterEdit = QLineEdit(objectName="drugFilter", clearButtonEnabled=True)
        self.filterEdit.setPlaceholderText("Filter by code, drug, brand, dose or route (e.g. lovenox, mg IV)")
        self.filterEdit.setAccessibleName("Filter drugs")
        self.countLabel = QLabel(objectName="drugCount")
        self.view = QTableView(objectName="drugTableView")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(DRUG, Qt.SortOrder.AscendingOrder)  # as the book's table: by drug, active first
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(BRANDS, QHeaderView.ResizeMode.Stretch)
        for column, width in ((CODE, 70), (DRUG, 330), (DOSE, 170), (ROUTE, 110)):
            header.resizeSection(column, width)
        self.unitsLine = UnitsLine()
        hint = QLabel("Enter or double-click opens the code. Click a column title to sort; active codes stay first.")
        hint.setObjectName("drugTableHint")
        hint.setWordWrap(True)  # the table can stand narrow beside the main window
        layout = QVBoxLayout(self)
        layout.addWidget(self.filterEdit)
        layout.addWidget(self.countLabel)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.unitsLine)
        layout.addWidget(hint)
        self.resize(1150, 700)

        self.filterEdit.textChanged.connect(self.set_filter)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.doubleClicked.connect(lambda index: self.choose(index.row()))
        self.filterEdit.installEventFilter(self)
        self.view.installEventFilter(self)
        self.set_filter("")
        self.filterEdit.setFocus()

    def set_filter(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.countLabel.setText(f"{total:,} drug codes" if shown == total else f"{shown:,} of {total:,} drug codes")
        if shown and not self.view.currentIndex().isValid():
            self.view.selectRow(0)
        elif not shown:
            self.unitsLine.set_billing(Billing())

    def current_drug(self) -> DrugCode | None:
        index = self.view.currentIndex()
        return self.model.drug(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def choose(self, row: int | None = None) -> None:
        """Emit `codeChosen` for the row `row` of the view (default: the current one)."""
        index = self.view.currentIndex() if row is None else self.proxy.index(row, 0)
        if index.isValid():
            self.codeChosen.emit(self.model.drug(self.proxy.mapToSource(index).row()).code)

    def selected_drugs(self) -> list[DrugCode]:
        """The selected rows, in the table's order."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.drug(self.proxy.mapToSource(self.proxy.index(row, 0)).row()) for row in rows]

    def copy_rows(self) -> None:
        """Every selected row, tab-separated (Ctrl+A, Ctrl+C copies the whole table as filtered)."""
        QGuiApplication.clipboard().setText(rows_text(self.selected_drugs()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            if watched is self.view and event.matches(QKeySequence.StandardKey.Copy):
                self.copy_rows()
                return True
            if event.key() in OPEN_KEYS:
                self.choose()
                return True
            if watched is self.filterEdit and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown):
                self.view.setFocus()
                self.view.keyPressEvent(event)
                return True
        return super().eventFilter(watched, event)

    def _current_changed(self, current, previous) -> None:
        drug = self.current_drug()
        ended = status_text(Status.TERMINATED, "") if drug and drug.status != "active" else ""
        self.unitsLine.set_billing(Billing(drug.dose, drug.no_dose, terminated=ended) if drug else Billing())
