"""The Table of Drugs as a Qt model: one row per drug code, and the proxy that sorts and filters it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ..data.billing_units import dose_text
from ..data.drug_codes import DrugCode
from .rows_model import RowsModel, tooltip

HEADERS = ("Code", "Drug", "Brand names", "Dose (1 unit)", "Route")
CODE, DRUG, BRANDS, DOSE, ROUTE = range(len(HEADERS))


def dose_cell(drug: DrugCode) -> str:
    return dose_text(drug.dose) if drug.dose else f"no dose: {drug.no_dose}"


def cells(drug: DrugCode) -> tuple[str, str, str, str, str]:
    """What each column shows of `drug`."""
    return drug.code, drug.drug, drug.brands, dose_cell(drug), drug.routes


def rows_text(drugs: list[DrugCode]) -> str:
    """Tab-separated rows, as a spreadsheet pastes them."""
    return "\n".join("\t".join(cells(drug)) for drug in drugs)


class DrugTableModel(RowsModel):
    """Read-only rows of `DrugCode`s, in the order given (active codes first)."""

    HEADERS = HEADERS

    def set_rows(self, rows) -> None:
        rows = list(rows)
        # Lower-cased text of each row, for the filter: code, drug, brands, dose, route, description.
        self.texts = [" ".join([d.code, d.drug, d.brands, dose_cell(d), d.routes, d.description]).lower()
                      for d in rows]
        super().set_rows(rows)

    def drug(self, row: int) -> DrugCode:
        return self.rows[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        drug = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cells(drug)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            status = "" if drug.status == "active" else f" ({drug.status})"
            return tooltip(f"{drug.code}{status}: {drug.description}")
        if role == Qt.ItemDataRole.FontRole and index.column() == CODE:
            return self.mono_font()
        if role == Qt.ItemDataRole.ForegroundRole and (drug.status != "active" or
                                                       (index.column() == DOSE and drug.dose is None)):
            return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None


class DrugTableProxy(QSortFilterProxyModel):
    """Rows holding every word typed (in any column or the description), active codes first
    whichever column sorts them and in whichever direction."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words: list[str] = []

    def set_filter_text(self, text: str) -> None:
        self.beginFilterChange()
        self.words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        text = self.sourceModel().texts[source_row]
        return all(word in text for word in self.words)

    def lessThan(self, left, right) -> bool:
        model = self.sourceModel()
        a, b = model.drug(left.row()), model.drug(right.row())
        if (a.status == "active") != (b.status == "active"):
            active_first = a.status == "active"
            return active_first != (self.sortOrder() == Qt.SortOrder.DescendingOrder)
        return _sort_key(a, left.column()) < _sort_key(b, left.column())


def _sort_key(drug: DrugCode, column: int) -> tuple:
    if column == DOSE:  # by unit, then amount: 1 mg, 10 mg, 50 mg ... then doses not read
        dose = drug.dose
        return (dose is None, dose.unit if dose else drug.no_dose, dose.amount if dose else 0, drug.code)
    text = (drug.code, drug.drug, drug.brands, "", drug.routes)[column].lower()
    return (not text, text, drug.code)  # empty cells last
