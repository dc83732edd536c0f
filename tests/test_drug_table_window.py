"""The Table of Drugs dialog and the units line, driven by keys as a coder would, on made-up drug codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from drug_records import DRUG_RECORDS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from release_files import write_txt

from hcpcs_desktop.code_view import Billing
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.doses import UNSPECIFIED, Dose
from hcpcs_desktop.data.drug_codes import load_drug_codes
from hcpcs_desktop.ui.drug_table_dialog import DrugTableDialog
from hcpcs_desktop.ui.drug_table_model import DOSE, DRUG
from hcpcs_desktop.ui.units_line import UnitsLine

ENOXAPARIN = Dose(Decimal(10), "mg", False, "10 mg")
DIPHENHYDRAMINE = Dose(Decimal(50), "mg", True, "up to 50 mg")


@pytest.fixture(scope="module")
def drugs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drug_window")
    db = folder / "hcpcs.sqlite"
    build_database(write_txt(folder / "HCPC2030_JAN_ANWEB.txt", DRUG_RECORDS), db)
    return load_drug_codes(open_database(db))


@pytest.fixture
def units_line(qtbot):
    line = UnitsLine()
    qtbot.addWidget(line)
    line.show()
    return line


@pytest.fixture
def dialog(qtbot, drugs):
    dialog = DrugTableDialog(drugs, "January 2030")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def shown_codes(dialog) -> list[str]:
    return [dialog.proxy.index(row, 0).data() for row in range(dialog.proxy.rowCount())]


def test_the_units_line_works_out_the_units_as_the_dose_is_typed(qtbot, units_line):
    units_line.set_billing(Billing(ENOXAPARIN))
    assert units_line.unitsLabel.text() == "1 unit = 10 mg: type the dose given to read the units."
    qtbot.keyClicks(units_line.doseEdit, "4")
    assert units_line.unitsLabel.text() == "4 mg ÷ 10 mg = 0.4, rounded up to 1 unit"
    assert units_line.unitsLabel.font().bold()
    qtbot.keyClicks(units_line.doseEdit, "0mg")
    qtbot.keyClick(units_line.doseEdit, Qt.Key.Key_Return)
    assert units_line.said.result.units == 4
    assert units_line.unitsLabel.text() == "40 mg ÷ 10 mg = 4 units"
    qtbot.keyClicks(units_line.doseEdit, "2 ml")  # Enter selected the dose: the next one replaces it
    assert units_line.doseEdit.text() == "2 ml"
    assert units_line.unitsLabel.text() == (
        "ml cannot be converted to mg: the code is billed per 10 mg; give the dose in mcg, mg, g")
    assert not units_line.unitsLabel.font().bold()


def test_the_units_line_of_an_up_to_dose_and_of_a_code_without_one(qtbot, units_line):
    units_line.set_billing(Billing(DIPHENHYDRAMINE))
    qtbot.keyClicks(units_line.doseEdit, "25 mg")
    assert units_line.unitsLabel.text() == "up to 50 mg: 25 mg = 1 unit"
    units_line.set_billing(Billing(None, UNSPECIFIED))
    assert not units_line.doseEdit.isEnabled()
    assert units_line.unitsLabel.text() == f"No dose to bill by: {UNSPECIFIED}."
    assert units_line.said.result is None


def test_the_table_lists_every_drug_code_by_drug_active_first(dialog):
    assert dialog.countLabel.text() == "11 drug codes"
    codes = shown_codes(dialog)
    assert codes[-1] == "J9905"  # terminated: after every active code, "Zorbium" included
    assert codes[:3] == ["Q9901", "J1200", "J1650"]  # Brandexin, Diphenhydramine hcl, Enoxaparin sodium
    assert dialog.proxy.index(2, DRUG).data() == "Enoxaparin sodium"
    assert dialog.proxy.index(1, DOSE).data() == "up to 50 mg"


def test_sorting_keeps_active_codes_first_either_way(qtbot, dialog):
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        dialog.view.sortByColumn(0, order)
        codes = shown_codes(dialog)
        assert codes[-1] == "J9905"
        assert codes[:-1] == sorted(codes[:-1], reverse=order == Qt.SortOrder.DescendingOrder)


def test_typing_filters_and_enter_opens_the_code(qtbot, dialog):
    chosen = []
    dialog.codeChosen.connect(chosen.append)
    qtbot.keyClicks(dialog.filterEdit, "enoxa")
    assert shown_codes(dialog) == ["J1650"] and dialog.countLabel.text() == "1 of 11 drug codes"
    qtbot.keyClick(dialog.filterEdit, Qt.Key.Key_Return)
    assert chosen == ["J1650"]
    assert dialog.unitsLine.billing.dose == ENOXAPARIN
    qtbot.keyClicks(dialog.unitsLine.doseEdit, "40 mg")
    assert dialog.unitsLine.unitsLabel.text() == "40 mg ÷ 10 mg = 4 units"


def test_every_word_typed_must_match_some_column(qtbot, dialog):
    qtbot.keyClicks(dialog.filterEdit, "mg injection")
    assert set(shown_codes(dialog)) == {"C9901", "J1200", "J1650", "J9903", "J9905"}
    dialog.filterEdit.clear()
    qtbot.keyClicks(dialog.filterEdit, "no such drug")
    assert shown_codes(dialog) == [] and dialog.countLabel.text() == "0 of 11 drug codes"
    assert not dialog.unitsLine.doseEdit.isEnabled()


def test_down_from_the_filter_moves_through_the_table_and_enter_opens_that_row(qtbot, dialog):
    chosen = []
    dialog.codeChosen.connect(chosen.append)
    qtbot.keyClick(dialog.filterEdit, Qt.Key.Key_Down)
    assert dialog.view.hasFocus()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert chosen == [shown_codes(dialog)[2]]


def test_ctrl_a_ctrl_c_copies_every_row_shown_as_tab_separated_lines(qtbot, dialog):
    qtbot.keyClicks(dialog.filterEdit, "mg injection")
    dialog.view.setFocus()
    qtbot.keyClick(dialog.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QApplication.clipboard().text().splitlines()
    assert [line.split("\t")[0] for line in lines] == shown_codes(dialog)  # in the table's order
    assert "J1650\tEnoxaparin sodium\t" in QApplication.clipboard().text()
    assert all(line.count("\t") == 4 for line in lines)
