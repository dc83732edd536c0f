"""Drug codes in the main window: the units line above the detail pane (with the amount the
Part B payment limit allows) and View → Table of Drugs, driven by keys and typing on a release
and payment files the tests write (every figure invented)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from hcpcs_desktop.ui.drug_table_dialog import DrugTableDialog
from test_payment_window import make_window, open_code, payment_db, window  # noqa: F401 (fixtures)


def test_the_units_line_gives_units_and_the_amount_allowed(qtbot, window):
    assert not window.unitsLine.isVisible()  # the welcome page
    open_code(qtbot, window, "J1650")
    assert window.unitsLine.isVisible()
    line_bottom = window.unitsLine.mapTo(window, window.unitsLine.rect().bottomLeft()).y()
    assert line_bottom < window.detailView.mapTo(window, window.detailView.rect().topLeft()).y()  # just above the pane
    qtbot.mouseClick(window.unitsLine.doseEdit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.unitsLine.doseEdit, "40 mg")
    assert window.unitsLine.doseEdit.text() == "40 mg"  # no key lost to the window
    assert window.unitsLine.unitsLabel.text() == (
        "40 mg ÷ 10 mg = 4 units × $1.25 = $5.00 allowed (Part B payment limit, January 1, 2030 - March 31, 2030)")
    qtbot.keyClick(window.unitsLine.doseEdit, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.state.favorites == ["J1650"] and window.unitsLine.doseEdit.text() == "40 mg"  # the star's key
    qtbot.keyClick(window.unitsLine.doseEdit, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.pane.searchBox
    open_code(qtbot, window, "J1200")  # "N/A" payment limit: units only
    qtbot.keyClicks(window.unitsLine.doseEdit, "25 mg")
    assert window.unitsLine.unitsLabel.text() == "up to 50 mg: 25 mg = 1 unit"
    open_code(qtbot, window, "G0001")
    assert not window.unitsLine.isVisible()


def test_table_of_drugs_opens_a_code_beside_it_in_the_main_window(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.payment.drugTable
    assert isinstance(dialog, DrugTableDialog) and dialog.isVisible()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Table of Drugs — January 2030"
    assert not dialog.frameGeometry().intersects(on_screen(window.detailPane))  # the code page stays in sight
    qtbot.keyClicks(dialog.filterEdit, "enoxaparin")
    qtbot.keyClick(dialog.filterEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_code() == "J1650" and not window.detailView.pending)
    assert window.unitsLine.isVisible()  # the units line comes with the code's page
    assert QApplication.activeWindow() is dialog  # the coder goes on in the table, the page in sight beside it
    qtbot.keyClick(dialog.filterEdit, Qt.Key.Key_Escape)  # Esc closes the table, not a window behind it
    assert not dialog.isVisible() and window.current_code() == "J1650"


def on_screen(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def test_alt_and_a_letter_open_the_menus_even_beside_the_units_line(qtbot, window):
    open_code(qtbot, window, "J1650")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    go = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Go")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is go)
    assert QApplication.focusWidget() is not window.unitsLine.doseEdit
    qtbot.keyClick(go, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)

    QApplication.clipboard().clear()
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is edit)
    qtbot.keyClick(edit, Qt.Key.Key_E)  # Copy all fields
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert QApplication.clipboard().text().startswith("HCPCS code: J1650\n")  # every field


def test_the_units_line_says_the_mue_and_warns_over_it_and_on_a_terminated_code(qtbot, window):
    open_code(qtbot, window, "J1650")
    line = window.unitsLine
    assert line.limitsLabel.text() == "MUE 30 a day (DME Supplier)"  # before a dose is typed
    line.doseEdit.setFocus()
    qtbot.keyClicks(line.doseEdit, "300 mg")
    assert line.unitsLabel.text().startswith("300 mg ÷ 10 mg = 30 units")
    assert line.limitsLabel.text() == "MUE 30 a day (DME Supplier)" and not line.limitsLabel.font().bold()
    qtbot.keyClick(line.doseEdit, Qt.Key.Key_Home)
    qtbot.keyClicks(line.doseEdit, "1")  # 1300 mg
    assert line.limitsLabel.text() == "⚠ 130 units is over the MUE: 30 a day (DME Supplier)"
    assert line.limitsLabel.font().bold()
    # under the dose, as wide as the line: never squeezed beside the field
    assert line.unitsLabel.width() == line.limitsLabel.width() == line.width()

    open_code(qtbot, window, "J9905")
    line.doseEdit.setFocus()
    qtbot.keyClicks(line.doseEdit, "20 mg")
    assert line.unitsLabel.text() == "20 mg ÷ 10 mg = 2 units"
    assert line.limitsLabel.text() == "✖ Terminated 2024-12-31"
    open_code(qtbot, window, "J1200")  # active, no MUE
    assert not line.limitsLabel.isVisible()
