"""The window as a coder lives in it: copying what is selected, filters that show, the keyboard
habits of dictionary apps, narrow screens, zoom and legibility. Driven by keys and clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from hcpcs_desktop.ui.results_model import CODE, LONG, SHORT, STATUS
from hcpcs_desktop.ui.legible_colors import MIN_CONTRAST, contrast
from hcpcs_desktop.ui.user_state import MAX_ZOOM
from test_window import (  # noqa: F401  (fixtures)
    click_label_link,
    clipboard,
    detail_text,
    make_window,
    sample_db,
    shown_codes,
    store,
    type_query,
    window,
)

CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)


def focused():
    return QApplication.focusWidget()


def select_rows(qtbot, window, query):
    """List `query` and select every row with Ctrl+A in the list."""
    type_query(qtbot, window, query)
    window.pane.resultsView.setFocus()
    qtbot.keyClick(window.pane.resultsView, Qt.Key.Key_A, CTRL)
    return shown_codes(window)


# ----- copying
def test_ctrl_c_in_the_detail_pane_copies_the_selected_text(qtbot, window):
    type_query(qtbot, window, "S9353")
    detail_text(qtbot, window)
    view = window.detailView
    view.setFocus()
    cursor = view.document().find("Home infusion")
    assert not cursor.isNull()
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    assert clipboard() == "Home infusion"
    view.setTextCursor(QTextCursor(view.document()))  # nothing selected: Ctrl+C copies the code
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    assert clipboard() == "S9353"


def test_the_detail_pane_context_menu_copies_the_selection_and_selects_all(qtbot, window):
    type_query(qtbot, window, "S9353")
    detail_text(qtbot, window)
    view = window.detailView
    titles = [a.text().replace("&", "") for a in view.actions() if not a.isSeparator()]
    assert titles[:2] == ["Copy", "Select all"] and "Copy code" in titles
    assert not view.copySelectionAction.isEnabled()
    view.selectAllAction.trigger()
    assert view.copySelectionAction.isEnabled()
    view.copySelectionAction.trigger()
    assert clipboard().startswith("S9353") and "Home infusion therapy" in clipboard()


def test_the_page_copies_as_read_a_field_and_its_value_on_one_line_and_no_box_for_an_icon(qtbot, window):
    type_query(qtbot, window, "S9353")
    detail_text(qtbot, window)
    view = window.detailView
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    lines = clipboard().splitlines()
    assert "\ufffc" not in clipboard()
    assert lines[0] == "S9353 ☆ Procedure"  # the copy icon beside the code leaves nothing
    assert "Pricing indicator 1\t00 — Service not separately priced by part B" in "\n".join(lines)
    assert "BETOS\tZ2 — Undefined codes" in lines


def test_every_copy_action_copies_every_selected_row(qtbot, window):
    codes = select_rows(qtbot, window, "E0100-E0105")
    assert codes == ["E0100", "E0101", "E0105"]
    view = window.pane.resultsView
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL | ALT)
    assert [line.split("\t")[0] for line in clipboard().split("\n")] == codes
    assert clipboard().split("\n")[1] == "E0101\tFolding cane w/ seat"
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL | SHIFT)
    assert [line.split("\t")[0] for line in clipboard().split("\n")] == codes
    window.copyBothAction.trigger()
    assert [line.split(" ")[0] for line in clipboard().split("\n")] == codes
    assert clipboard().split("\n")[1] == "E0101 Folding walking cane with a built-in seat, adjustable height"
    window.copyAllAction.trigger()
    blocks = clipboard().split("\n\n")
    assert [block.split("\n")[0] for block in blocks] == codes
    assert all("Coverage: D" in block for block in blocks)
    assert "3" in window.statusBar().currentMessage()


# ----- filters
def test_active_filters_show_and_one_key_resets_them(qtbot, window):
    bar = window.pane.filterBar
    type_query(qtbot, window, "cane")
    assert "filtered" not in window.pane.countLabel.text()
    assert not bar.sectionBox.font().bold()
    bar.sectionBox.setCurrentIndex(bar.sectionBox.findData("E"))
    qtbot.mouseClick(bar.terminatedBox, Qt.MouseButton.LeftButton)
    assert "filtered: status active, section E — " in window.pane.countLabel.text()
    assert "reset</a> (Ctrl+R)" in window.pane.countLabel.text()
    assert bar.sectionBox.font().bold() and bar.terminatedBox.font().bold() and not bar.betosBox.font().bold()
    window.pane.searchBox.setFocus()
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_R, CTRL)
    assert bar.sectionBox.currentIndex() == 0 and bar.terminatedBox.isChecked()
    assert "filtered" not in window.pane.countLabel.text() and not bar.sectionBox.font().bold()


def test_a_code_typed_exactly_behind_a_filter_is_named_and_the_link_resets(qtbot, window):
    bar = window.pane.filterBar
    bar.sectionBox.setCurrentIndex(bar.sectionBox.findData("A"))
    type_query(qtbot, window, "E0100")
    assert shown_codes(window) == []
    assert "E0100 — hidden by the section filter" in window.pane.countLabel.text()
    click_label_link(qtbot, window.pane.countLabel, "action:reset")
    assert shown_codes(window)[0] == "E0100"


# ----- a long pasted list
def test_a_long_pasted_list_folds_and_never_widens_the_window(qtbot, window):
    width = window.width()
    codes = [f"Z{9000 + i}" for i in range(280)] + ["S9353", "E0100"] * 60
    QApplication.clipboard().setText("\n".join(codes))
    window.pane.searchBox.setFocus()
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_V, CTRL)
    qtbot.wait(10)
    label = window.pane.countLabel
    assert "280 not in this release — " in label.text() and "Z9279" not in label.text()
    assert window.width() == width
    click_label_link(qtbot, label, "show:unknown")
    assert "Z9000, Z9001" in label.text() and "… and 232 more" in label.text()
    qtbot.wait(10)
    assert window.width() == width and label.width() <= window.pane.width()
    assert window.pane.resultsView.height() > label.height()  # the list keeps most of the pane
    click_label_link(qtbot, label, "copy:unknown")
    assert clipboard().split("\n") == [f"Z{9000 + i}" for i in range(280)]
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Escape)
    qtbot.wait(10)
    assert window.width() == width


# ----- narrow screens, HiDPI and zoom
def test_at_800_px_the_search_box_and_the_long_description_keep_their_room(qtbot, window):
    window.resize(800, 600)
    type_query(qtbot, window, "blood")
    qtbot.wait(20)
    pane, header = window.pane, window.pane.resultsView.header()
    assert pane.searchBox.width() >= pane.width() - 4
    assert pane.filterBar.sizeHint().width() <= pane.width() or pane.filterBar.minimumSizeHint().width() <= pane.width()
    assert header.sectionSize(LONG) >= header.sectionSize(SHORT) > 0
    metrics = window.pane.resultsView.fontMetrics()
    # The status takes at most a third of the room: "Terminated" whole, its date cut if need be.
    room = window.pane.resultsView.viewport().width() - header.sectionSize(CODE)
    assert metrics.horizontalAdvance("Terminated") + 8 <= header.sectionSize(STATUS)
    assert header.sectionSize(STATUS) <= max(room // 3, metrics.horizontalAdvance("✖ Terminated …") + 12)


def test_filters_take_a_second_row_rather_than_hide_their_choices_when_narrow_or_zoomed(qtbot, window):
    bar = window.pane.filterBar
    boxes = (bar.sectionBox, bar.coverageBox, bar.betosBox)

    def on_one_row():
        return bar.rows() == 1 and bar.sectionBox.geometry().contains(bar.sectionBox.x(), bar.terminatedBox.y())

    def each_box_shows_its_choice():
        return all(box.width() >= box.fontMetrics().horizontalAdvance(box.currentText()) + 20 for box in boxes)

    window.resize(1180, 760)
    qtbot.waitUntil(on_one_row)
    assert each_box_shows_its_choice()
    window.resize(800, 600)
    for _ in range(MAX_ZOOM):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Equal, CTRL)
    qtbot.waitUntil(lambda: bar.rows() == 2 and bar.betosBox.y() > bar.sectionBox.y())
    qtbot.waitUntil(each_box_shows_its_choice)
    assert bar.terminatedBox.isVisible()
    assert bar.terminatedBox.x() + bar.terminatedBox.width() <= bar.width()
    for _ in range(MAX_ZOOM):  # back to the normal size: one row again
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Minus, CTRL)
    window.resize(1180, 760)
    qtbot.waitUntil(on_one_row)


def test_the_default_size_fits_the_screen(qtbot, window):
    available = window.screen().availableGeometry()
    assert window.frameGeometry().width() <= available.width()
    assert window.height() <= available.height()


def test_column_widths_are_remembered(qtbot, make_window):
    first = make_window()
    first.pane.resultsView.header().resizeSection(SHORT, 70)
    first.close()
    second = make_window()
    assert second.pane.resultsView.header().sectionSize(SHORT) == 70


def test_zoom_reaches_filters_menus_status_bar_and_the_code_column(qtbot, window):
    base = window.pane.filterBar.sectionBox.font().pointSizeF()
    for _ in range(MAX_ZOOM):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Equal, CTRL)
    zoomed = window.pane.resultsView.font().pointSizeF()
    assert zoomed > base
    for widget in (window.pane.filterBar.sectionBox, window.pane.filterBar.terminatedBox, window.statusBar(),
                   window.menuBar(), window.menuBar().findChildren(QMenu)[0]):
        assert widget.font().pointSizeF() == zoomed, widget
    type_query(qtbot, window, "S9353")
    view = window.pane.resultsView
    mono = QFontMetrics(view._fonts_for(view.font())[True, False][0])
    assert view.header().sectionSize(CODE) >= mono.horizontalAdvance("S9353") + 8


def test_zoom_reaches_the_windows_the_main_one_opens_and_they_fit_the_screen(qtbot, window):
    from hcpcs_desktop.ui.note_dialog import NoteDialog
    from test_window import when_shown

    window.resize(800, 600)
    base = window.pane.searchBox.font().pointSizeF()
    for _ in range(4):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Equal, CTRL)
    zoomed = window.pane.searchBox.font().pointSizeF()
    assert zoomed == base + 4
    type_query(qtbot, window, "J0121")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_D, CTRL | SHIFT)  # the Table of Drugs
    drugs = window.payment.drugTable
    qtbot.waitUntil(drugs.isVisible)
    assert drugs.filterEdit.font().pointSizeF() == zoomed
    assert drugs.view.model().index(0, 0).data(Qt.ItemDataRole.FontRole).pointSizeF() == zoomed  # the codes too
    qtbot.keyClick(drugs.filterEdit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not drugs.isVisible())
    sizes = []

    def note(dialog):
        sizes.append(dialog.edit.font().pointSizeF())
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)

    when_shown(NoteDialog, note)
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_N, CTRL | SHIFT)
    assert sizes == [zoomed]
    window.activateWindow()  # as the window manager does when the note closes
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_F1)
    shortcuts = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "shortcutsDialog")
    qtbot.waitUntil(shortcuts.isVisible)
    assert shortcuts.findChild(QWidget, "shortcutsText").font().pointSizeF() == zoomed
    assert window.screen().availableGeometry().contains(shortcuts.frameGeometry())  # its Close button in sight
    shortcuts.close()
    for _ in range(4):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Minus, CTRL)
    assert window.pane.searchBox.font().pointSizeF() == base


def test_copy_links_are_icons_that_never_wrap_when_zoomed(qtbot, window):
    for _ in range(4):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Equal, CTRL)
    type_query(qtbot, window, "S9353")
    text = detail_text(qtbot, window)
    assert "[copy]" not in text and "cop" not in text.lower().replace("copyright", "")
    html = window.detailView.toHtml()
    assert html.count('src="icon:copy"') >= 4
    image = window.detailView.copy_icon()
    assert image.height() / image.devicePixelRatio() == window.detailView.fontMetrics().height()


# ----- keyboard
def test_esc_from_anywhere_returns_to_the_search_box(qtbot, window):
    type_query(qtbot, window, "cane")
    for widget in (window.pane.filterBar.sectionBox, window.pane.filterBar.terminatedBox,
                   window.detailView, window.pane.resultsView):
        widget.setFocus()
        qtbot.waitUntil(lambda: focused() is widget)
        qtbot.keyClick(widget, Qt.Key.Key_Escape)
        assert focused() is window.pane.searchBox, widget
        assert window.pane.searchBox.text() == "cane"


def test_typing_in_the_list_or_the_page_starts_a_new_search(qtbot, window):
    type_query(qtbot, window, "E0100")
    window.pane.resultsView.setFocus()
    qtbot.keyClicks(window.pane.resultsView, "c")  # the first letter replaces E0100 ...
    assert focused() is window.pane.searchBox
    qtbot.keyClicks(focused(), "an")  # ... and the next ones follow it there
    assert window.pane.searchBox.text() == "can"
    window.detailView.setFocus()
    qtbot.keyClicks(window.detailView, "w")
    qtbot.keyClicks(focused(), "alker")
    assert window.pane.searchBox.text() == "walker"


def ringed(pane) -> bool:
    """Whether the pane is seen to have the keyboard: the ring around it is in the highlight colour."""
    frame = pane.parentWidget()
    edge = frame.grab().toImage().pixelColor(0, frame.height() // 2)
    return edge == pane.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)


def test_tab_goes_search_box_results_detail_filters_and_f6_cycles_the_panes(qtbot, window):
    type_query(qtbot, window, "cane")
    box, results, detail = window.pane.searchBox, window.pane.resultsView, window.detailView
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert focused() is results and ringed(results) and not ringed(detail)
    qtbot.keyClick(results, Qt.Key.Key_Tab)
    assert focused() is detail and ringed(detail) and not ringed(results)
    qtbot.keyClick(detail, Qt.Key.Key_Tab)  # the page's links are not on the way
    assert focused() is window.pane.filterBar.sectionBox and not ringed(detail)
    for expected in (box, results, detail, box):
        qtbot.keyClick(focused(), Qt.Key.Key_F6)
        assert focused() is expected
    assert not ringed(results) and not ringed(detail)
    qtbot.keyClick(focused(), Qt.Key.Key_F6, SHIFT)
    assert focused() is detail and ringed(detail)


def test_arrows_go_from_link_to_link_in_the_code_page_and_space_and_ctrl_end_scroll_it(qtbot, window):
    type_query(qtbot, window, "G0001")
    detail = window.detailView
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_F6, SHIFT)
    assert focused() is detail
    detail_text(qtbot, window)
    for _ in range(60):
        qtbot.keyClick(detail, Qt.Key.Key_Right)
        if detail.textCursor().selectedText() == "G0306":
            break
    assert detail.textCursor().selectedText() == "G0306"  # the cross reference's link, selected
    link = detail.textCursor().selectionStart()
    qtbot.keyClick(detail, Qt.Key.Key_Right)
    assert detail.textCursor().selectionStart() > link and detail.textCursor().hasSelection()
    qtbot.keyClick(detail, Qt.Key.Key_Left)
    assert detail.textCursor().selectionStart() == link
    qtbot.keyClick(detail, Qt.Key.Key_Return)  # follows it
    qtbot.waitUntil(lambda: detail.page.code == "G0306")

    window.resize(800, 420)
    detail_text(qtbot, window)
    bar = detail.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > bar.pageStep())
    detail.setFocus()
    qtbot.keyClick(detail, Qt.Key.Key_Space)
    assert bar.value() == bar.pageStep()
    qtbot.keyClick(detail, Qt.Key.Key_End, CTRL)
    assert bar.value() == bar.maximum()
    qtbot.keyClick(detail, Qt.Key.Key_Space, SHIFT)
    assert bar.value() == bar.maximum() - bar.pageStep()
    qtbot.keyClick(detail, Qt.Key.Key_Home, CTRL)
    assert bar.value() == 0 and focused() is detail


def test_down_on_a_filter_box_opens_its_list_instead_of_changing_it(qtbot, window):
    box = window.pane.filterBar.sectionBox
    box.setFocus()
    qtbot.waitUntil(lambda: focused() is box)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentIndex() == 0
    assert box.view().isVisible()
    box.hidePopup()


# ----- legibility
@pytest.mark.parametrize("dark", [False, True])
def test_terminated_rows_meet_4_5_to_1_and_say_terminated(qtbot, window, dark):
    previous = QApplication.palette()
    if dark:
        palette = QPalette()
        for role, color in ((QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#2a2a2a"),
                            (QPalette.ColorRole.Text, "#e8e8e8"), (QPalette.ColorRole.Window, "#202020"),
                            (QPalette.ColorRole.WindowText, "#e8e8e8")):
            palette.setColor(role, color)
        QApplication.setPalette(palette)
    try:
        type_query(qtbot, window, "blood")
        view = window.pane.resultsView
        row = shown_codes(window).index("G0001")
        assert window.pane.model.index(row, STATUS).data().startswith("Terminated")
        muted = view.muted_color()
        text = view.palette().color(QPalette.ColorRole.Text)
        assert muted != text  # still set apart from active rows
        for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
            assert contrast(muted, view.palette().color(role)) >= MIN_CONTRAST
    finally:
        QApplication.setPalette(previous)


def test_row_tooltips_are_wrapped_rich_text(qtbot, window):
    type_query(qtbot, window, "S9353")
    tip = window.pane.model.index(0, LONG).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<table") and 'width="' in tip and "S9353" in tip


def test_the_search_hint_fits_the_box_at_the_default_size(qtbot, window):
    box = window.pane.searchBox
    box.clear()
    room = box.width() - 2 * box.fontMetrics().horizontalAdvance("x") - 24  # frame, margins, clear button
    assert box.fontMetrics().horizontalAdvance(box.placeholderText()) <= room


def test_show_empty_fields_shows_a_dash_for_empty_values(qtbot, window):
    type_query(qtbot, window, "S9353")
    window.showEmptyAction.trigger()
    lines = detail_text(qtbot, window).split("\n")
    for label in ("Statute", "Cross reference 1", "ASC payment group"):
        assert lines[lines.index(label) + 1] == "—", label


# ----- sorting
def test_clicking_a_column_sorts_and_a_third_click_returns_to_relevance(qtbot, window):
    type_query(qtbot, window, "cane")
    relevance = shown_codes(window)
    header = window.pane.resultsView.header()
    point = QPoint(header.sectionViewportPosition(SHORT) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    shorts = [window.pane.model.index(r, SHORT).data() for r in range(len(relevance))]
    assert shorts == sorted(shorts, key=str.casefold)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    shorts = [window.pane.model.index(r, SHORT).data() for r in range(len(relevance))]
    assert shorts == sorted(shorts, key=str.casefold, reverse=True)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert shown_codes(window) == relevance


def click_heading(qtbot, window, column):
    header = window.pane.resultsView.header()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2))


def test_sorting_keeps_the_current_code(qtbot, window):
    type_query(qtbot, window, "cane")
    window.pane.resultsView.select_row(len(shown_codes(window)) - 1)
    current = window.pane.current_code()
    click_heading(qtbot, window, SHORT)
    row = window.pane.resultsView.currentIndex().row()
    assert window.pane.model.code_at(row) == current == window.detailView.page.code


@pytest.fixture
def walkers_window(make_window, tmp_path):
    """A window on a release with 130 walkers: more than one page of results."""
    from hcpcs_desktop.data.build import build_database
    from release_files import record, write_txt

    models = [record(f"E{1000 + n}", f"Walker model {n:03d}, folding", f"Walker {(n * 37) % 130:03d} folding",
                     termination_date="20201231" if n % 5 == 0 else "") for n in range(130)]
    db = tmp_path / "walkers.sqlite"
    build_database(write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", models), db)
    return make_window(db=db)


def test_a_sorted_list_of_many_codes_keeps_the_current_code_and_reads_a_page_at_a_time(qtbot, walkers_window):
    window = walkers_window
    type_query(qtbot, window, "walker")
    assert window.pane.model.rowCount() == 50  # a page; 130 match
    window.pane.resultsView.select_row(3)
    current = window.pane.current_code()
    click_heading(qtbot, window, SHORT)
    row = window.pane.resultsView.currentIndex().row()
    assert window.pane.model.code_at(row) == current == window.detailView.page.code
    shorts = [window.pane.model.hit(r).short_description for r in range(window.pane.model.rowCount())]
    assert shorts == [f"Walker {n:03d} folding" for n in range(len(shorts))]  # in order from the first
    assert len(shorts) < 130  # read as far as the current code, not every match
    type_query(qtbot, window, "walker fold")  # typing on keeps the order, a page at a time
    assert window.pane.model.rowCount() == 50
    assert [window.pane.model.hit(r).short_description for r in range(3)] == [
        "Walker 000 folding", "Walker 001 folding", "Walker 002 folding"]
    window.pane.resultsView.scrollToBottom()  # the next pages come in the same order
    qtbot.waitUntil(lambda: window.pane.model.rowCount() > 50)
    shorts = [window.pane.model.hit(r).short_description for r in range(window.pane.model.rowCount())]
    assert shorts == [f"Walker {n:03d} folding" for n in range(len(shorts))]


def test_scrolling_to_the_end_reads_the_next_page_and_end_goes_to_the_last_match(qtbot, walkers_window):
    window = walkers_window
    type_query(qtbot, window, "walker")
    view, model = window.pane.resultsView, window.pane.model
    assert model.rowCount() == 50
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 100)
    qtbot.wait(50)
    assert model.rowCount() == 100  # one page for one scroll, not every match
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert model.rowCount() == 130 and view.currentIndex().row() == 129


def test_down_and_page_down_from_the_search_box_go_on_past_the_rows_read(qtbot, walkers_window):
    window = walkers_window
    type_query(qtbot, window, "walker")
    for _ in range(55):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Down)
    assert window.pane.resultsView.currentIndex().row() == 55 and window.pane.model.rowCount() == 100
    for _ in range(10):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_PageDown)
    assert window.pane.resultsView.currentIndex().row() == 129  # the last of the 130 matches


def test_end_after_a_failed_read_stops_and_says_so(qtbot, walkers_window, monkeypatch):
    import sqlite3

    window = walkers_window
    type_query(qtbot, window, "walker")

    def damaged(*args):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(window.session.engine, "fetch_more", damaged)
    window.pane.resultsView.setFocus()
    qtbot.keyClick(window.pane.resultsView, Qt.Key.Key_End)  # returns: no read adds a row
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.problemView)
    assert "malformed" in window.problemView.toPlainText()


def test_a_sort_reads_as_far_as_the_current_code_not_the_row_under_the_mouse(qtbot, walkers_window):
    window = walkers_window
    type_query(qtbot, window, "walker")
    from PySide6.QtCore import QPersistentModelIndex

    view = window.pane.resultsView
    view.select_row(3)  # E1004, "Walker 018 folding"
    under_the_mouse = QPersistentModelIndex(window.pane.model.index(5, 0))  # E1007, "Walker 129 folding", as
    click_heading(qtbot, window, SHORT)  # the view keeps it when the mouse passes over the list
    assert view.currentIndex().row() == 18 and window.pane.model.rowCount() == 50
    assert not under_the_mouse.isValid()  # not read: its row is not in the list yet


def test_a_sort_shows_the_list_from_its_top_with_the_current_code_still_selected(qtbot, walkers_window):
    window = walkers_window
    window.resize(900, 500)
    type_query(qtbot, window, "walker")
    view = window.pane.resultsView
    view.select_row(1)  # E1002, "Walker 074 folding"
    current = window.pane.current_code()
    for clicks in range(3):  # sorted, reversed, back to relevance
        click_heading(qtbot, window, SHORT)
        qtbot.wait(50)
        index = view.currentIndex()
        assert window.pane.model.code_at(index.row()) == current == window.detailView.page.code
        assert view.selectionModel().isRowSelected(index.row())
        assert view.verticalScrollBar().value() == 0 and view.indexAt(QPoint(1, 1)).row() == 0, clicks
    assert view.currentIndex().row() == 1


def test_the_open_release_is_kept_out_of_full_garbage_collections(qtbot, window):
    import gc

    assert gc.get_freeze_count() > 0  # a keystroke never waits for a walk over the release's objects
    assert window.session.engine not in gc.get_objects()


def test_what_the_first_code_page_needs_is_read_before_the_first_key(qtbot, make_window, monkeypatch):
    import sys

    from hcpcs_desktop import data
    from hcpcs_desktop.data import references

    monkeypatch.delitem(sys.modules, "hcpcs_desktop.data.changes")  # as in a process that has not read history
    monkeypatch.delattr(data, "changes")
    read = references._referrals.__wrapped__.cache_info().misses
    window = make_window()
    qtbot.waitUntil(lambda: references._referrals.__wrapped__.cache_info().misses == read + 1)  # no key typed
    assert "hcpcs_desktop.data.changes" in sys.modules and window.session._releases is not None
    type_query(qtbot, window, "S9353")
    qtbot.waitUntil(lambda: window.detailView.page is not None and not window.detailView.pending)
    assert references._referrals.__wrapped__.cache_info().misses == read + 1  # the page read none of it again


def test_typing_puts_the_read_ahead_off_until_the_search_box_rests(qtbot, make_window, monkeypatch):
    from PySide6.QtCore import QTimer

    from hcpcs_desktop.session import Session
    from hcpcs_desktop.ui import main_window

    class Timer(QTimer):
        starts = 0

        def start(self, *args):
            Timer.starts += 1
            super().start(*args)

    read = []
    monkeypatch.setattr(Session, "read_ahead", lambda session: read.append(session))
    monkeypatch.setattr(main_window, "QTimer", Timer)
    monkeypatch.setattr(main_window, "READ_AHEAD_MS", 60_000)  # never comes by itself during the test
    window = make_window()
    timer = window._readAhead
    for letter in "walker":
        qtbot.wait(20)
        started = Timer.starts
        qtbot.keyClicks(window.pane.searchBox, letter)
        assert Timer.starts == started + 1 and timer.isActive()  # each key starts the whole wait again
        assert read == []
    timer.start(0)  # the box has rested the whole wait
    qtbot.waitUntil(lambda: len(read) == 1)
    qtbot.keyClicks(window.pane.searchBox, "s")
    assert not timer.isActive() and len(read) == 1  # once read, typing starts no other read


def test_at_the_largest_zoom_the_status_bar_cuts_the_release_line_and_keeps_it_whole_in_its_tooltip(qtbot, window):
    import datetime as dt

    window.resize(800, 600)
    window.session.today = lambda: dt.date(2026, 11, 25)  # an old release: the status bar's note and link too
    window.show_session()
    for _ in range(MAX_ZOOM):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Equal, CTRL)
    bar, label = window.statusBar(), window.releaseLabel
    qtbot.waitUntil(lambda: label.text().endswith("…"))
    for widget in (label, window.staleLabel):  # both in the bar, none cut off at its edge
        assert widget.isVisible() and widget.geometry().right() <= bar.width()
    assert label.toolTip() == label.whole == "October 2025 release (19 codes) · 13 months old"
    assert QFontMetrics(label.font()).horizontalAdvance(label.text()) <= label.width()


def test_ctrl_f_in_the_code_page_finds_in_it_and_ctrl_1_2_3_go_to_its_sections(qtbot, window):
    type_query(qtbot, window, "S9353")
    text = detail_text(qtbot, window)
    count = text.lower().count("code")
    assert count > 2
    view, find = window.detailView, window.pageFind
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    assert find.isVisible() and focused() is find.edit
    qtbot.keyClicks(find.edit, "code")
    assert find.countLabel.text() == f"1 of {count}" and view.textCursor().selectedText().lower() == "code"
    first = view.textCursor().selectionStart()
    qtbot.keyClick(find.edit, Qt.Key.Key_Return)
    assert find.countLabel.text() == f"2 of {count}" and view.textCursor().selectionStart() > first
    qtbot.keyClick(find.edit, Qt.Key.Key_F3)  # the next one, not the search box
    assert find.countLabel.text() == f"3 of {count}" and focused() is find.edit
    qtbot.keyClick(find.edit, Qt.Key.Key_F3, SHIFT)
    qtbot.keyClick(find.edit, Qt.Key.Key_Return, SHIFT)
    assert find.countLabel.text() == f"1 of {count}"
    qtbot.keyClicks(find.edit, "xyzzy")
    assert find.countLabel.text() == "not in this page"
    qtbot.keyClick(find.edit, Qt.Key.Key_Escape)
    assert not find.isVisible() and focused() is view and view.extraSelections() == []
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_F, CTRL)  # elsewhere Ctrl+F is still the search box
    assert focused() is window.pane.searchBox and not find.isVisible()

    window.resize(800, 400)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_1, CTRL)  # the fields, at the top of the pane
    assert 0 < bar.value() < bar.maximum() and focused() is view
    qtbot.keyClick(view, Qt.Key.Key_3, CTRL)  # one release: no history
    assert window.statusBar().currentMessage() == "This code's page has no such section"


def test_a_group_of_fields_folds_and_stays_folded_from_code_to_code(qtbot, window):
    type_query(qtbot, window, "S9353")
    assert "BETOS\nZ2 — Undefined codes" in detail_text(qtbot, window)
    from test_window import click_link

    click_link(qtbot, window.detailView, "fold:group:Classification")
    text = detail_text(qtbot, window)
    assert "▸ Classification" in text and "BETOS" not in text
    type_query(qtbot, window, "E0100")
    text = detail_text(qtbot, window)
    assert "▸ Classification" in text and "BETOS" not in text and "Coverage" in text
    click_link(qtbot, window.detailView, "fold:group:Classification")
    assert "BETOS" in detail_text(qtbot, window)


def test_on_a_narrow_zoomed_window_the_status_column_gives_way_to_the_descriptions(qtbot, window):
    window.resize(800, 600)
    for _ in range(4):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Equal, CTRL)
    type_query(qtbot, window, "G0001")  # terminated: its status is the widest
    view = window.pane.resultsView
    status, metrics = view.header().sectionSize(STATUS), view.fontMetrics()
    assert window.pane.model.index(0, STATUS).data() == "Terminated 2012-12-31"
    assert metrics.horizontalAdvance("Terminated") < status < metrics.horizontalAdvance("Terminated 2012-12-31")
    window.resize(1600, 800)  # with room, the whole status
    qtbot.waitUntil(lambda: view.header().sectionSize(STATUS) > metrics.horizontalAdvance("Terminated 2012-12-31"))
