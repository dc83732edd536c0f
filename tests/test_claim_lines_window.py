"""The Check claim lines window, driven by keys, paste and clicks as a coder drives it, on the release,
stored release and payment files of test_claim_checks (every figure invented)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication

from conftest import open_window
from hcpcs_desktop.claim_wording import HEADERS
from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.ui.claim_lines_dialog import ClaimLinesDialog
from hcpcs_desktop.ui.claim_lines_model import SLICE
from test_claim_checks import built  # noqa: F401 — the module's database and store, built once
from test_window import clipboard

LINES = ("E0601 RR KX x1 02/01/2030\n"
         "J1650 JZ 4 02/01/2030 N4 12345000110 ML0.4\n"
         "E0601 NU 1 02/01/2030\n"
         "99213 25 1 02/01/2030\n"
         "\x00\x07 junk\n")


@pytest.fixture
def make_window(qtbot, built, settings_dir, tmp_path, monkeypatch):  # noqa: F811
    db, store = built
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    return lambda: open_window(qtbot, db, ReleaseStore(store, extra=[db]))


@pytest.fixture
def window(make_window):
    return make_window()


def open_dialog(qtbot, window) -> ClaimLinesDialog:
    """Ctrl+Shift+L from the search box: the window opens with the keyboard in its lines box."""
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.findChild(ClaimLinesDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.linesEdit)
    return dialog


def paste(qtbot, dialog, text):
    """Put `text` on the clipboard and press Ctrl+V in the lines box; wait for every line checked."""
    QGuiApplication.clipboard().setText(text)
    dialog.linesEdit.setFocus()
    qtbot.keyClick(dialog.linesEdit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.checking(), timeout=20_000)


def column(dialog, title) -> list[str]:
    model = dialog.model
    return [model.index(row, HEADERS.index(title)).data() for row in range(model.rowCount())]


def choose(qtbot, dialog, letter, box, text):
    """Alt+letter to the box, then Down until it shows `text` (the keys a coder presses)."""
    qtbot.keyClick(dialog, letter, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is box
    start = box.currentIndex()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(box.count()):
        if box.currentText() == text:
            break
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == text, (start, box.currentText())


def test_pasted_lines_get_a_row_each_with_verdict_and_reasons(qtbot, window):
    dialog = open_dialog(qtbot, window)
    assert dialog.stateBox.currentText() == "none chosen" and dialog.settingBox.currentText() == "Practitioner"
    choose(qtbot, dialog, Qt.Key.Key_M, dialog.settingBox, "DME Supplier")
    choose(qtbot, dialog, Qt.Key.Key_S, dialog.stateBox, "Pennsylvania (PA)")
    paste(qtbot, dialog, LINES)
    assert column(dialog, "Line") == ["1", "2", "3", "4", "5"]
    assert column(dialog, "Verdict") == ["✔ ok", "✖ error", "✖ error", "⚠ warning", "✖ error"]
    assert column(dialog, "Code") == ["E0601", "J1650", "E0601", "99213", ""]
    assert column(dialog, "Amount")[0] == "$50.04 ($91.18 rural)"
    reasons = column(dialog, "Reasons")
    assert "PA fee $50.04 non-rural, $91.18 rural (DMEPOS fee schedule, January 2030)" in reasons[0]
    assert "None billable (DME Supplier)" in reasons[1]  # J1650 in the DME supplier setting
    assert "E0601 is not priced with NU: it is priced with RR" in reasons[2]
    assert "99213 is a CPT code, not HCPCS Level II: not checked" in reasons[3]
    assert reasons[4] == "No HCPCS code on the line"
    assert dialog.summaryLabel.text() == ("Checked against January 2030 · state PA · MUEs of DME Supplier\n"
                                          "5 lines: 1 ok, 1 with warnings, 3 with errors")
    assert dialog.reasonsLabel.text().startswith("line 1     ✔ ok")  # the first line is selected
    # The practitioner's MUEs: J1650's 30 a day, E0601 none billable.
    choose(qtbot, dialog, Qt.Key.Key_M, dialog.settingBox, "Practitioner")
    qtbot.waitUntil(lambda: not dialog.checking())
    reasons = column(dialog, "Reasons")
    assert "None billable (Practitioner)" in reasons[0]
    assert "NDC quantity ML 0.4: 0.4 ml ÷ 0.4 ml an item × 4 units an item = 4 units" in reasons[1]
    assert column(dialog, "Verdict")[1] == "✔ ok" and column(dialog, "Amount")[1] == "$5.00"


def test_a_click_or_enter_on_a_line_opens_its_code_and_copies_paste_into_a_spreadsheet(qtbot, window):
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog, LINES)
    view = dialog.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(dialog.model.index(1, 2)).center())
    qtbot.waitUntil(lambda: window.current_code() == "J1650")
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_code() == "E0601")
    qtbot.keyClick(view, Qt.Key.Key_Down)  # 99213: a CPT code opens nothing
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.current_code() == "E0601"
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = clipboard().split("\n")
    assert copied[0] == "\t".join(HEADERS)
    assert [row.split("\t")[:3] for row in copied[1:]] == [["3", "error", "E0601"], ["4", "warning", "99213"]]
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # Copy results: every line
    qtbot.waitUntil(lambda: len(clipboard().split("\n")) == 6)  # the button is pressed, then clicks
    rows = clipboard().split("\n")
    assert rows[1].split("\t")[-1] == "E0601 RR KX x1 02/01/2030"
    assert dialog.summaryLabel.text().endswith("5 checked lines copied, with the column titles")


def test_the_zoom_reaches_the_window_its_codes_rows_and_columns(qtbot, window):
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog, LINES)
    base = dialog.linesEdit.font().pointSizeF()
    window.activateWindow()  # back to the main window, whose View menu zooms
    qtbot.waitUntil(window.isActiveWindow)
    for _ in range(4):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    zoomed = window.pane.searchBox.font().pointSizeF()
    assert zoomed == base + 4
    assert dialog.linesEdit.font().pointSizeF() == zoomed and dialog.reasonsLabel.font().pointSizeF() == zoomed
    code = dialog.model.index(0, HEADERS.index("Code"))
    assert code.data(Qt.ItemDataRole.FontRole).pointSizeF() == zoomed  # the codes too
    view = dialog.view
    assert view.rowHeight(0) >= QFontMetrics(view.font()).height()
    for title, widest in (("Code", "E0601"), ("Amount", "$50.04 ($91.18 rural)")):
        font = code.data(Qt.ItemDataRole.FontRole) if title == "Code" else view.font()
        assert view.columnWidth(HEADERS.index(title)) >= QFontMetrics(font).horizontalAdvance(widest)
    for _ in range(4):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert dialog.linesEdit.font().pointSizeF() == base
    assert code.data(Qt.ItemDataRole.FontRole).pointSizeF() == base


def test_the_zoom_keys_work_in_the_window_itself(qtbot, window):
    dialog = open_dialog(qtbot, window)
    qtbot.waitUntil(dialog.isActiveWindow)
    base = dialog.linesEdit.font().pointSizeF()
    for _ in range(2):
        qtbot.keyClick(dialog.linesEdit, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert dialog.linesEdit.font().pointSizeF() == base + 2 == window.pane.searchBox.font().pointSizeF()
    qtbot.keyClick(dialog.linesEdit, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert dialog.linesEdit.font().pointSizeF() == base
    assert dialog.linesEdit.toPlainText() == ""  # the keys zoomed, they typed nothing


def test_state_and_setting_are_chosen_once_and_remembered(qtbot, make_window):
    window = make_window()
    dialog = open_dialog(qtbot, window)
    choose(qtbot, dialog, Qt.Key.Key_S, dialog.stateBox, "Texas (TX)")
    choose(qtbot, dialog, Qt.Key.Key_M, dialog.settingBox, "Outpatient Hospital")
    assert window.state.payment_state() == "TX"  # the code page prices by it too
    assert dialog.stateBox.findData("") == -1  # a state chosen: "none chosen" is no choice any more
    qtbot.keyClick(dialog.linesEdit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.close()
    again = open_dialog(qtbot, make_window())  # a restart
    assert again.stateBox.currentText() == "Texas (TX)" and again.settingBox.currentText() == "Outpatient Hospital"
    paste(qtbot, again, "E0601 RR 1 02/01/2030\n")
    assert again.summaryLabel.text().startswith("Checked against January 2030 · state TX · MUEs of Outpatient Hospital")
    assert column(again, "Amount") == ["$50.91 ($91.52 rural)"]


def test_typed_lines_are_checked_when_typing_rests_or_at_ctrl_enter(qtbot, window):
    dialog = open_dialog(qtbot, window)
    assert dialog.summaryLabel.text() == "No claim lines to check."
    qtbot.keyClicks(dialog.linesEdit, "E0601 ZZ 1 13/45/2030")
    qtbot.keyClick(dialog.linesEdit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.model.rowCount() == 1 and dialog.linesEdit.toPlainText() == "E0601 ZZ 1 13/45/2030"
    reasons = column(dialog, "Reasons")[0]
    assert "ZZ is not a HCPCS modifier" in reasons and "'13/45/2030' is not a date of the calendar" in reasons


def test_ten_thousand_pasted_lines_are_checked_a_slice_at_a_time(qtbot, window):
    dialog = open_dialog(qtbot, window)
    lines = "".join(f"E0601 RR KX {1 + i % 3} 02/{1 + i % 28:02d}/2030\n" for i in range(9_999)) + "\x1b junk\n"
    QGuiApplication.clipboard().setText(lines)
    qtbot.keyClick(dialog.linesEdit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    assert dialog.model.rowCount() < 10_000 and dialog.summaryLabel.text().startswith("Checking … ")
    qtbot.waitUntil(lambda: not dialog.checking(), timeout=60_000)
    assert dialog.model.rowCount() == 10_000 and dialog.model.rowCount() > SLICE
    assert column(dialog, "Reasons")[-1] == "No HCPCS code on the line"
    assert dialog.model.counts()["error"] >= 1
