"""The main window, driven as a coder drives it: typing, keys, clicks and the clipboard."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QGuiApplication, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.ui.app import open_or_build, start_session
from hcpcs_desktop.ui.main_window import MainWindow
from hcpcs_desktop.ui.user_state import UserState
from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.ui.changes_dialog import ChangesDialog, diff_html
from hcpcs_desktop.ui.legible_colors import MIN_CONTRAST, contrast
from hcpcs_desktop.ui.results_model import STATUS
from conftest import october_2025_db, open_window
from release_files import SAMPLE_RECORDS, record, write_txt


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return october_2025_db(tmp_path_factory.mktemp("window"))


@pytest.fixture
def store(tmp_path, sample_db, monkeypatch):
    """An empty store of releases that knows the sample database; no real release folder."""
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    return ReleaseStore(tmp_path / "store", extra=[sample_db])


@pytest.fixture
def make_window(qtbot, sample_db, settings_dir, store):
    """A function that opens a new main window on the sample database, as a restart would."""

    def make(db=sample_db, releases=store):
        window = open_window(qtbot, db, releases)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.pane.searchBox)
        return window

    return make


@pytest.fixture
def window(make_window):
    return make_window()


def type_query(qtbot, window, text):
    window.pane.searchBox.clear()
    qtbot.keyClicks(window.pane.searchBox, text)


def shown_codes(window):
    return [window.pane.model.hit(row).code for row in range(window.pane.model.rowCount())]


def detail_text(qtbot, window):
    """The detail pane's text once it has drawn the code shown."""
    qtbot.waitUntil(lambda: not window.detailView.pending)
    return window.detailView.toPlainText()


def open_code(qtbot, window, code):
    """Type `code` and press Enter: the code is opened (back/forward, recent codes, searches)."""
    type_query(qtbot, window, code)
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detailView.page is not None and window.detailView.page.code == code)
    return detail_text(qtbot, window)


def link_point(qtbot, view, href):
    """Where the view draws its link to `href` (scrolled into sight)."""
    if hasattr(view, "pending"):
        qtbot.waitUntil(lambda: not view.pending)
    block = view.document().begin()
    while block.isValid():
        for piece in block:
            fragment = piece.fragment()
            if fragment.charFormat().anchorHref() == href:
                # The middle of the link's middle character (or image): between two cursor positions.
                cursor = QTextCursor(view.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                view.setTextCursor(cursor)
                view.ensureCursorVisible()
                left = view.cursorRect(cursor)
                cursor.setPosition(cursor.position() + 1)
                right = view.cursorRect(cursor)
                return QPoint((left.center().x() + right.center().x()) // 2, left.center().y())
        block = block.next()
    raise AssertionError(f"no link to {href} in the view")


def click_link(qtbot, view, href):
    """Click the link to `href` where the view draws it, as the coder would."""
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=link_point(qtbot, view, href))


def click_label_link(qtbot, label, href):
    """Click the link to `href` in a rich-text label, found by moving the mouse along its text."""
    assert f'href="{href}"' in label.text()
    hovered = []
    label.linkHovered.connect(hovered.append)
    try:
        for y in range(4, label.height(), 6):
            for x in range(2, label.width(), 5):
                qtbot.mouseMove(label, pos=QPoint(x, y))
                if hovered and hovered[-1] == href:
                    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
                    return
    finally:
        label.linkHovered.disconnect(hovered.append)
    raise AssertionError(f"no link to {href} in the label")


def clipboard():
    return QGuiApplication.clipboard().text()


def when_shown(kind, act):
    """Call `act(dialog)` once a modal dialog of `kind` is open and has the keyboard (it runs inside the
    dialog's own loop)."""

    def look():
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if isinstance(dialog, kind) and focus is not None and focus.window() is dialog:
            try:
                act(dialog)
            except BaseException:
                dialog.done(0)  # a failed step closes the dialog, and the test reports the failure
                raise
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def test_widgets_can_be_found_by_their_names(window):
    for name in ("searchBox", "resultsView", "detailView"):
        widget = window.findChild(QWidget, name)
        assert widget is not None and widget.accessibleName() == name


def test_search_box_has_focus_at_start(window):
    assert QApplication.focusWidget() is window.pane.searchBox


def test_typing_a_word_lists_matching_codes_and_shows_the_top_one(qtbot, window):
    type_query(qtbot, window, "insulin")
    assert "S9353" in shown_codes(window)
    assert window.detailView.page.code == shown_codes(window)[0]
    assert window.pane.countLabel.text().startswith("1 code")


def test_results_update_on_every_keystroke(qtbot, window):
    counts = []
    for letter in "cane":
        qtbot.keyClicks(window.pane.searchBox, letter)
        counts.append(window.pane.model.rowCount())
    assert shown_codes(window) and set(shown_codes(window)) <= {"E0100", "E0101", "E0105"}
    assert counts[0] >= counts[-1]


def test_down_enter_and_the_detail_pane(qtbot, window):
    type_query(qtbot, window, "cane")
    first, second = shown_codes(window)[:2]
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Down)
    assert window.detailView.page.code == second
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Up)
    assert window.detailView.page.code == first
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Return)
    assert window.state.recent[0] == first
    text = detail_text(qtbot, window)
    assert first in text and "Pricing indicator 1" in text and "32 — " in text


def test_detail_pane_decodes_every_coded_field_of_s9353(qtbot, window):
    type_query(qtbot, window, "S9353")
    text = detail_text(qtbot, window)
    assert "Hit cont insulin diem" in text
    assert "00 — Service not separately priced by part B" in text
    assert "I — Not payable by Medicare" in text
    assert "Z2 — Undefined codes" in text
    assert "9 — Other medical items or services" in text
    assert "0088 — " in text
    assert "N — No maintenance for this code" in text
    assert "2002-01-01" in text
    assert "Source: CMS HCPCS October 2025" in text


def test_empty_fields_are_hidden_until_asked_for(qtbot, window):
    type_query(qtbot, window, "S9353")
    assert "Statute" not in detail_text(qtbot, window)
    window.showEmptyAction.trigger()
    assert "Statute" in detail_text(qtbot, window)


def test_field_help_opens_when_its_label_is_clicked(qtbot, window):
    type_query(qtbot, window, "S9353")
    help_text = window.detailView.page["coverage"].help
    assert help_text
    click_link(qtbot, window.detailView, "help:coverage")
    assert help_text.split("\n")[0][:40] in detail_text(qtbot, window)


def test_ctrl_c_copies_the_code_and_ctrl_shift_c_the_long_description(qtbot, window):
    type_query(qtbot, window, "insulin")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard() == "S9353"
    assert "Copied code" in window.statusBar().currentMessage()
    window.pane.resultsView.setFocus()
    qtbot.keyClick(window.pane.resultsView, Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert clipboard() == window.detailView.page.long_description
    assert clipboard().startswith("Home infusion therapy")


def test_ctrl_c_in_the_search_box_copies_selected_text_not_the_code(qtbot, window):
    type_query(qtbot, window, "insulin")
    window.pane.searchBox.setSelection(0, 3)
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard() == "ins"


def test_several_selected_results_copy_as_tab_separated_rows(qtbot, window):
    type_query(qtbot, window, "E0100-E0105")
    window.pane.resultsView.selectAll()
    window.pane.resultsView.setFocus()
    qtbot.keyClick(window.pane.resultsView, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = clipboard().split("\n")
    assert [line.split("\t")[0] for line in lines] == ["E0100", "E0101", "E0105"]
    assert all(len(line.split("\t")) == 3 for line in lines)


def test_context_menu_copies(qtbot, window):
    type_query(qtbot, window, "S9353")
    titles = [a.text().replace("&", "") for a in window.pane.resultsView.actions()]
    assert titles == ["Copy code", "Copy long description", "Copy short description",
                      "Copy code and long description", "Copy all fields", "Copy with source", "Note on code…",
                      "Star / unstar code"]
    assert window.detailView.actions()[-len(titles):] == window.pane.resultsView.actions()
    window.copyBothAction.trigger()
    assert clipboard().startswith("S9353 Home infusion therapy")
    window.copyShortAction.trigger()
    assert clipboard() == "Hit cont insulin diem"
    window.copyAllAction.trigger()
    assert "Coverage: I — Not payable by Medicare" in clipboard().split("\n")


def test_copy_links_beside_fields(qtbot, window):
    type_query(qtbot, window, "S9353")
    click_link(qtbot, window.detailView, "copy:pricing_indicator_1")
    assert clipboard().startswith("Pricing indicator 1: 00 — Service not separately priced")
    click_link(qtbot, window.detailView, "copy:short_description")
    assert clipboard() == "Hit cont insulin diem"


def test_cross_reference_link_opens_that_code_and_back_forward_return(qtbot, window):
    type_query(qtbot, window, "G0001")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Return)
    click_link(qtbot, window.detailView, "code:G0306")
    assert window.detailView.page.code == "G0306"
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.detailView.page.code == "G0001"
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.detailView.page.code == "G0306"
    # the mouse's back and forward buttons, over the page, the list, or elsewhere in the window
    qtbot.mouseClick(window.detailView.viewport(), Qt.MouseButton.BackButton)
    assert window.detailView.page.code == "G0001"
    qtbot.mouseClick(window.pane.resultsView.viewport(), Qt.MouseButton.ForwardButton)
    assert window.detailView.page.code == "G0306"
    qtbot.mouseClick(window.pane.countLabel, Qt.MouseButton.BackButton)
    assert window.detailView.page.code == "G0001"


def test_terminated_codes_are_marked_in_words_and_listed_last(qtbot, window):
    type_query(qtbot, window, "blood")
    codes = shown_codes(window)
    assert codes[-1] == "G0001"
    row = codes.index("G0001")
    assert window.pane.model.index(row, 3).data() == "Terminated 2012-12-31"
    window.pane.resultsView.select_row(row)
    assert "Terminated 2012-12-31" in detail_text(qtbot, window)
    window.pane.filterBar.terminatedBox.setChecked(False)
    qtbot.waitUntil(lambda: "G0001" not in shown_codes(window))


def test_section_filter(qtbot, window):
    type_query(qtbot, window, "w/")
    window.pane.filterBar.sectionBox.setCurrentIndex(window.pane.filterBar.sectionBox.findData("E"))
    qtbot.waitUntil(lambda: shown_codes(window) and all(c.startswith("E") for c in shown_codes(window)))


def test_escape_clears_and_shortcuts_focus_the_search_box(qtbot, window):
    type_query(qtbot, window, "cane")
    window.pane.resultsView.setFocus()
    qtbot.keyClick(window.pane.resultsView, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.pane.searchBox
    assert window.pane.searchBox.selectedText() == "cane"
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Escape)
    assert window.pane.searchBox.text() == ""


def test_star_persists_across_a_restart(qtbot, make_window):
    first = make_window()
    type_query(qtbot, first, "S9353")
    qtbot.keyClick(first.pane.searchBox, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert first.state.favorites == ["S9353"], first.statusBar().currentMessage()
    assert "★" in detail_text(qtbot, first)
    first.close()
    second = make_window()
    assert second.state.favorites == ["S9353"]
    assert "S9353" in shown_codes(second)  # the empty search lists favorites and recent codes
    second.favoritesMenu.aboutToShow.emit()
    assert any("S9353" in a.text() for a in second.favoritesMenu.actions())


def test_splitter_sizes_and_zoom_persist(qtbot, make_window):
    first = make_window()
    first.resize(760, 560)  # within the offscreen screen, so the geometry is restored as it was
    first.splitter.setSizes([520, 220])
    sizes = first.splitter.sizes()
    qtbot.keyClick(first, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    zoomed = first.detailView.font().pointSizeF()
    first.close()
    second = make_window()
    assert second.splitter.sizes() == sizes
    assert second.detailView.font().pointSizeF() == zoomed


@pytest.mark.parametrize("text", ['"', "*", "NEAR(", "AND", "-", "((", "x" * 10_000, "💉 insulin", "\x00", "S9353 OR 1=1"])
def test_hostile_queries_never_break_the_window(qtbot, window, text):
    window.pane.searchBox.setText(text)
    assert window.pane.countLabel.text()


def test_misspelling_shows_the_corrected_results_and_offers_the_typed_words(qtbot, window):
    type_query(qtbot, window, "insulen")
    assert shown_codes(window) == ["S9353"]
    label = window.pane.countLabel.text()
    assert "Showing results for <b>insulin</b>" in label and 'href="exact:insulen"' in label
    click_label_link(qtbot, window.pane.countLabel, "exact:insulen")
    assert window.pane.searchBox.text() == "insulen"
    assert shown_codes(window) == [] and "No code names insulen" in window.pane.countLabel.text()


def test_pasted_list_keeps_order_and_reports_unknown_codes(qtbot, window):
    window.pane.searchBox.setText("S9353\nE0100, Z9999 A4233")
    assert shown_codes(window) == ["S9353", "E0100", "A4233"]
    assert "Z9999" in window.pane.countLabel.text()


def test_missing_database_opens_on_a_page_that_says_what_to_do(qtbot, make_window, tmp_path):
    window = make_window(tmp_path / "nothing.sqlite")
    assert window.pages.currentWidget() is window.problemView
    text = window.problemView.toPlainText()
    assert "nothing.sqlite" in text and "cms.gov" in text and "Import CMS release" in text


def test_corrupt_database_opens_on_the_same_page(qtbot, make_window, tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    window = make_window(bad)
    assert window.pages.currentWidget() is window.problemView
    assert "not a readable HCPCS database" in window.problemView.toPlainText()


def newer_release(tmp_path):
    """January 2026: S9353 reworded, E0101 terminated, a new code added."""
    records = [dict(r) for r in SAMPLE_RECORDS if r["code"] != "A4233"]
    for r in records:
        if r["code"] == "S9353":
            r["short_description"] = "Hit cont insulin per diem"
        if r["code"] == "E0101":
            r["termination_date"], r["action_code"] = "20251231", "D"
    records.append(record("E0110", "Forearm crutches with adjustable height, a pair", "Forearm crutches pair"))
    return write_txt(tmp_path / "HCPC2026_JAN_ANWEB.txt", records)


@pytest.fixture
def refusals(monkeypatch):
    """The warnings the window shows, recorded instead of waiting for a click."""
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    return shown


def test_import_switches_to_the_new_release_and_keeps_the_previous(qtbot, make_window, tmp_path, store):
    window = make_window()
    assert window.releases.import_release_file(newer_release(tmp_path))
    assert window.pages.currentIndex() == 0
    assert window.session.release["name"] == "January 2026"
    assert [r.name for r in store.releases()] == ["October 2025", "January 2026"]
    type_query(qtbot, window, "S9353")
    text = detail_text(qtbot, window)
    assert "History across releases" in text and "Hit cont insulin per diem" in text


def test_the_coder_goes_on_searching_while_a_release_is_imported(qtbot, make_window, tmp_path, monkeypatch):
    import threading

    from hcpcs_desktop.session import Session

    window = make_window()
    gate, seen = threading.Event(), {}
    importing = Session.import_release

    def held(self, *args, **kwargs):  # the import waits until the coder has searched
        gate.wait(30)
        return importing(self, *args, **kwargs)

    def meanwhile():
        try:
            progress = window.releases._progress
            seen["title"] = progress.windowTitle()
            seen["import"] = window.importAction.isEnabled()
            seen["blocked by"] = QApplication.activeModalWidget()
            # It appears without taking the keyboard (a window manager gives a new window the keys).
            seen["takes the keys"] = not progress.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            type_query(qtbot, window, "cane")  # typed into the window behind the progress
            seen["codes"] = shown_codes(window)
        finally:
            gate.set()

    monkeypatch.setattr(Session, "import_release", held)
    QTimer.singleShot(100, meanwhile)
    assert window.releases.import_release_file(newer_release(tmp_path))
    assert seen["blocked by"] is None and seen["takes the keys"] is False  # nothing stands between coder and window
    assert seen["codes"] and seen["codes"][0].startswith("E01")  # searched while importing
    assert seen["title"] == "Importing" and seen["import"] is False  # a second import waits for the first
    assert window.importAction.isEnabled() and window.session.release["name"] == "January 2026"


def test_importing_the_same_file_again_changes_nothing(qtbot, make_window, tmp_path, store, refusals):
    window = make_window()
    assert window.releases.import_release_file(newer_release(tmp_path))
    before = sorted(p.name for p in store.folder.iterdir())
    assert not window.releases.import_release_file(newer_release(tmp_path))
    assert "already imported" in refusals[0]
    assert sorted(p.name for p in store.folder.iterdir()) == before
    assert window.session.release["name"] == "January 2026"


def test_a_broken_release_is_refused_with_its_line(qtbot, make_window, tmp_path, refusals):
    window = make_window()
    broken = tmp_path / "HCPC2026_APR_ANWEB.txt"
    broken.write_bytes(b"S9353001003" + b"x" * 100 + b"\r\n")
    assert not window.releases.import_release_file(broken)
    assert "HCPC2026_APR_ANWEB.txt, line 1" in refusals[0]
    assert window.session.release["name"] == "October 2025"


def test_what_changed_lists_filters_and_copies_the_changes(qtbot, make_window, tmp_path):
    window = make_window()
    window.releases.import_release_file(newer_release(tmp_path))
    window.changesAction.trigger()
    dialog = window.findChild(ChangesDialog)
    assert dialog is not None and dialog.isVisible()
    labels = {(c.code, c.kind) for c in dialog.changes}
    assert {("E0110", "added"), ("E0101", "terminated"), ("A4233", "terminated"),
            ("S9353", "short_description")} <= labels
    assert "Added: 1" in dialog.countsLabel.text()
    dialog.kindBox.setCurrentIndex(dialog.kindBox.findData("short_description"))
    assert [dialog.model.change(r).code for r in range(dialog.model.rowCount())] == ["S9353"]
    assert "<u><b>per</b></u>" in diff_html(dialog.model.change(0))
    assert "Hit cont insulin per diem" in dialog.diffView.toPlainText()
    dialog.copy_csv()
    assert clipboard().splitlines()[1].startswith("S9353,short_description")
    page = window.detailPane
    assert not dialog.frameGeometry().intersects(QRect(page.mapToGlobal(QPoint(0, 0)), page.size()))
    dialog.view.setFocus()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)  # the code opens in the main window, in sight beside
    qtbot.waitUntil(lambda: window.current_code() == "S9353")
    assert dialog.isVisible()


def test_about_names_the_release_and_the_copyright_owners(qtbot, window):
    from hcpcs_desktop.ui.about_dialog import about_html

    text = about_html(window.session.release)
    assert "October 2025" in text and "American Medical Association" in text
    assert "American Dental Association" in text
    assert all(f["sha256"] in text for f in window.session.release["source_files"])


def test_the_window_is_legible_in_a_dark_palette(qtbot, window, tmp_path):
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
    dark.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    dark.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.white)
    dark.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.white)
    previous = QApplication.palette()
    QApplication.setPalette(dark)
    try:
        type_query(qtbot, window, "S9353")
        qtbot.wait(20)
        image = window.detailView.grab().toImage()
        assert image.pixelColor(5, 5).lightness() < 60  # the pane follows the dark palette
        # Qt's own dark blue links are made light: field labels, copy icons, the status bar's link
        base = window.detailView.palette().color(QPalette.ColorRole.Base)
        detail_text(qtbot, window)
        label = next(piece.fragment() for piece in window.detailView.document().findBlock(
            window.detailView.document().find("Pricing indicator 1").selectionStart()))
        assert label.charFormat().anchorHref() == "help:pricing_indicator_1"
        assert contrast(label.charFormat().foreground().color(), base) >= MIN_CONTRAST  # as drawn on the page
        for widget in (window.detailView, window.staleLabel):  # the application's new palette reaches them
            qtbot.waitUntil(lambda: contrast(widget.palette().color(QPalette.ColorRole.Link), base) >= MIN_CONTRAST)
        icon = window.detailView.copy_icon()  # its lines stand out from the background
        drawn = [icon.pixelColor(x, y) for x in range(icon.width()) for y in range(icon.height())]
        assert max(contrast(color, base) for color in drawn if color.alpha() == 255) >= 3
    finally:
        QApplication.setPalette(previous)


def test_database_file_is_left_untouched_by_the_window(qtbot, make_window, sample_db, tmp_path):
    copy = tmp_path / "copy.sqlite"
    shutil.copy(sample_db, copy)
    before = copy.read_bytes()
    window = make_window(copy)
    type_query(qtbot, window, "cane")
    window.close()
    assert copy.read_bytes() == before
    assert open_database(copy) is not None


def test_hovering_a_label_shows_the_layout_help(qtbot, window):
    from PySide6.QtWidgets import QToolTip

    type_query(qtbot, window, "S9353")
    qtbot.mouseMove(window.detailView.viewport(), pos=link_point(qtbot, window.detailView, "help:coverage"))
    first_words = window.detailView.page["coverage"].help.split()[:4]
    assert QToolTip.isVisible() and " ".join(first_words) in QToolTip.text()


def test_coverage_filter_offers_the_release_values_and_narrows_results(qtbot, window):
    box = window.pane.filterBar.coverageBox
    assert box.itemText(box.findData("I")).startswith("I — Not payable by Medicare")
    type_query(qtbot, window, "home")
    unfiltered = shown_codes(window)
    box.setCurrentIndex(box.findData("I"))
    narrowed = shown_codes(window)
    assert narrowed and set(narrowed) < set(unfiltered)
    assert {hit.coverage for hit in window.pane.model.rows} == {"I"}


def test_a_sqlite_without_fts5_is_named_on_the_problem_page(qtbot, make_window, monkeypatch):
    import hcpcs_desktop.data.database as database

    monkeypatch.setattr(database, "missing_fts5", lambda: "This SQLite library (3.0) has no FTS5")
    window = make_window()
    assert window.pages.currentWidget() is window.problemView
    assert "has no FTS5" in window.problemView.toPlainText()


def test_the_problem_page_links_start_an_import(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(tmp_path / "nothing.sqlite")
    release = write_txt(tmp_path / "HCPC2026_JAN_ANWEB.txt", SAMPLE_RECORDS)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(release), ""))
    click_link(qtbot, window.problemView, "action:import")
    assert window.pages.currentIndex() == 0
    assert window.session.release["name"] == "January 2026"


def test_the_releases_menu_switches_back_to_an_earlier_release(qtbot, make_window, tmp_path):
    window = make_window()
    window.releases.import_release_file(newer_release(tmp_path))
    window.releasesMenu.aboutToShow.emit()
    actions = window.releasesMenu.actions()
    assert [a.text() for a in actions] == ["January 2026 (2026-01-01)", "October 2025 (2025-10-01)"]
    assert actions[0].isChecked() and not actions[1].isChecked()
    actions[1].trigger()
    assert window.session.release["name"] == "October 2025"


def test_the_list_fetches_further_matches_as_it_scrolls(qtbot, make_window, tmp_path):
    many = [record(f"E{9000 + i}", f"Widget frame model {i}, each", f"Widget frame {i}") for i in range(250)]
    db = build_database(write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", many), tmp_path / "many.sqlite").db_path
    window = make_window(db)
    type_query(qtbot, window, "widget")
    assert window.pane.model.result.total == 250 and window.pane.model.rowCount() < 250
    assert "250 codes" in window.pane.countLabel.text()
    while window.pane.model.rowCount() < 250:
        rows = window.pane.model.rowCount()
        window.pane.resultsView.scrollToBottom()
        qtbot.waitUntil(lambda: window.pane.model.rowCount() > rows)
    assert len(set(shown_codes(window))) == 250


def test_matched_by_shows_for_a_search_of_words_and_stays_while_they_are_typed(qtbot, window):
    from hcpcs_desktop.ui.results_model import LONG, WHY

    view = window.pane.resultsView
    type_query(qtbot, window, "E0100")
    assert view.isColumnHidden(WHY)  # a code says nothing of why it matched
    type_query(qtbot, window, "ins")
    widths = set()
    for letter in "ulni":  # no column comes and goes, no width changes, from one letter to the next
        qtbot.keyClicks(window.pane.searchBox, letter)
        assert not view.isColumnHidden(WHY)
        widths.add(view.header().sectionSize(LONG))
    assert len(widths) == 1
    index = window.pane.model.index(0, WHY)
    assert window.pane.model.data(index) == "corrected: insulni → insulin"
    assert "Matched: corrected: insulni → insulin" in window.pane.model.data(index, Qt.ItemDataRole.ToolTipRole)


def test_count_line_names_skipped_tokens_and_codes_hidden_by_a_filter(qtbot, window):
    type_query(qtbot, window, "S9353, 99213")
    assert "99213 is a CPT code, not HCPCS Level II" in window.pane.countLabel.text()
    window.pane.filterBar.sectionBox.setCurrentIndex(window.pane.filterBar.sectionBox.findData("E"))
    type_query(qtbot, window, "S9353")
    assert "S9353 — hidden by the section filter" in window.pane.countLabel.text()


def test_a_list_taller_than_a_page_fills_itself_without_scrolling(qtbot, make_window, tmp_path):
    many = [record(f"E{9000 + i}", f"Widget frame model {i}, each", f"Widget frame {i}") for i in range(250)]
    db = build_database(write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", many), tmp_path / "many.sqlite").db_path
    window = make_window(db)
    window.resize(900, 4000)  # room for more rows than a page holds
    type_query(qtbot, window, "widget")
    qtbot.waitUntil(lambda: window.pane.model.rowCount() > 50)


def test_the_detail_pane_says_why_the_code_matched(qtbot, window):
    type_query(qtbot, window, "insulni")
    assert window.detailView.page.code == "S9353"
    assert "Matched by: corrected: insulni → insulin" in detail_text(qtbot, window)
    type_query(qtbot, window, "insulin")
    assert "Matched by" not in detail_text(qtbot, window)


# ----- what went wrong before, each driven as a coder would meet it

def test_a_search_that_finds_nothing_leaves_no_code_to_act_on(qtbot, window):
    type_query(qtbot, window, "insulin")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Return)
    assert window.state.recent == ["S9353"]
    QGuiApplication.clipboard().setText("before")
    type_query(qtbot, window, "zzqqxx")
    assert shown_codes(window) == []
    assert "Hit cont insulin diem" not in detail_text(qtbot, window)
    assert window.detailView.page is None
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard() == "before"
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Return)
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.state.recent == ["S9353"] and window.state.favorites == []


def highlighted_code(window):
    return window.pane.model.hit(window.pane.resultsView.currentIndex().row()).code


def test_back_and_forward_highlight_the_code_the_pane_shows(qtbot, window):
    type_query(qtbot, window, "G0001")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Return)
    click_link(qtbot, window.detailView, "code:G0306")
    assert window.detailView.page.code == "G0306" == highlighted_code(window)
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.detailView.page.code == "G0001" == highlighted_code(window)
    assert "G0001" in detail_text(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.detailView.page.code == "G0306" == highlighted_code(window)


def test_following_a_link_searches_once(qtbot, window, monkeypatch):
    from hcpcs_desktop.search.engine import SearchEngine

    type_query(qtbot, window, "G0001")
    searched = []
    real_search = SearchEngine.search
    monkeypatch.setattr(SearchEngine, "search", lambda self, text, *args, **kwargs:
                        searched.append(text) or real_search(self, text, *args, **kwargs))
    click_link(qtbot, window.detailView, "code:G0306")
    assert searched == ["G0306"]


def test_a_release_damaged_in_the_store_does_not_stop_typing(qtbot, make_window, sample_db, tmp_path):
    october = tmp_path / "october.sqlite"
    shutil.copy(sample_db, october)
    window = make_window(october, ReleaseStore(tmp_path / "own-store", extra=[october]))
    assert window.releases.import_release_file(newer_release(tmp_path))
    october.write_bytes(b"damaged" * 1000)
    type_query(qtbot, window, "S9353")  # an exception in a slot fails the test
    text = detail_text(qtbot, window)
    assert "Hit cont insulin per diem" in text and "History across releases" not in text


def test_an_import_that_cannot_be_opened_says_it_failed(qtbot, make_window, tmp_path, store, refusals):
    window = make_window()
    real_import = store.import_release

    def import_then_damage(*args, **kwargs):
        stored = real_import(*args, **kwargs)
        stored.path.write_bytes(b"damaged" * 1000)
        return stored

    store.import_release = import_then_damage
    assert not window.releases.import_release_file(newer_release(tmp_path))
    assert "Imported" not in window.statusBar().currentMessage()
    assert len(refusals) == 1 and "January 2026 was imported but cannot be opened" in refusals[0]
    assert window.pages.currentWidget() is window.splitter
    assert window.session.release["name"] == "October 2025"


def test_notes_the_window_cannot_read_are_set_aside_and_it_says_so_once(qtbot, make_window):
    notes = make_window().session.notes.path
    notes.write_text("[" * 200_000)  # nested beyond what a reader follows
    window = make_window()
    (aside,) = notes.parent.glob("notes.json.unreadable-*")
    assert window.banner.isVisible() and f"it is kept as {aside.name} beside it" in window.banner.label.text()
    window.session.set_note("S9353", "a new note")
    window.banner.clear()
    window.save(lambda: window.session.set_note("S9353", "again"), "the note")
    assert not window.banner.isVisible() and aside.read_text() == "[" * 200_000


MARKUP = '<img src="file:///etc/hostname"><b>bold</b>'  # a resource Qt would load, were it read as markup


def test_markup_in_the_data_is_shown_as_text_never_read_as_markup(qtbot, make_window, sample_db, tmp_path,
                                                                   monkeypatch):
    import sqlite3

    from hcpcs_desktop.data.changes import Change, ChangeKind
    from hcpcs_desktop.data.drug_codes import DrugCode
    from hcpcs_desktop.ui.changes_model import ChangesModel
    from hcpcs_desktop.ui.drug_table_model import DrugTableModel

    crafted = Path(shutil.copy(sample_db, tmp_path / "crafted.sqlite"))
    conn = sqlite3.connect(crafted)
    conn.execute("UPDATE release SET name = ?", (f"{MARKUP} 2030",))
    conn.execute("UPDATE codes SET code = ? WHERE code = 'E0105'", (MARKUP,))
    conn.commit()
    conn.close()
    window = make_window(crafted)
    label = window.releaseLabel  # the status bar's release line
    assert MARKUP in label.whole and label.textFormat() == Qt.TextFormat.PlainText and "<img" not in label.toolTip()
    type_query(qtbot, window, "cane")
    model = window.pane.model
    qtbot.waitUntil(lambda: model.row_of(MARKUP) >= 0)
    tip = model.data(model.index(model.row_of(MARKUP), 0), Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img src=&quot;file:///etc/hostname&quot;&gt;" in tip
    change = Change(MARKUP, ChangeKind.ADDED, "E", MARKUP, "", "", MARKUP)
    drug = DrugCode(MARKUP, "active", MARKUP, MARKUP, None, MARKUP, MARKUP, MARKUP)
    for rows_model, row in ((ChangesModel(), change), (DrugTableModel(), drug)):
        rows_model.set_rows([row])
        for column in range(rows_model.columnCount()):
            tip = rows_model.data(rows_model.index(0, column), Qt.ItemDataRole.ToolTipRole) or ""
            assert "<img" not in tip, (type(rows_model).__name__, column)
    from hcpcs_desktop.data.payment import NdcPackage, Source
    from hcpcs_desktop.search import SearchResult
    from hcpcs_desktop.search.query import Query, QueryKind
    from hcpcs_desktop.ui.search_pane import count_html

    source = Source("crosswalk.csv", MARKUP, MARKUP, "2030-01-01", None, "0" * 64)
    package = NdcPackage("12345-0678-90", MARKUP, MARKUP, MARKUP, MARKUP, 1.0, 1.0, 1.0, 1.0, source)
    line = count_html(SearchResult(Query(QueryKind.NDC, code="12345067890"), packages=[("12345067890", [package])]),
                      "12345067890")
    assert "<img" not in line and "&lt;img" in line  # the count line over the results
    assert window.detailView.loadResource(1, QUrl("file:///etc/hostname")) is None  # nothing the app did not make
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.text(), box.textFormat())))
    named = tmp_path / f"{MARKUP.replace('/', '_')}.sqlite"
    named.write_text("not a database")
    assert not window.releases.open_database_file(named)
    ((text, text_format),) = shown
    assert str(named) in text and text_format == Qt.TextFormat.PlainText


def test_bad_settings_are_replaced_instead_of_stopping_the_window(qtbot, make_window, settings_dir):
    settings = QSettings()
    for key, value in (("zoom", "huge"), ("geometry", "not a geometry"), ("splitter", 42), ("showEmpty", "maybe")):
        settings.setValue(key, value)
    settings.sync()
    window = make_window()
    assert window.detailView.font().pointSizeF() == window.font().pointSizeF()
    assert not window.showEmptyAction.isChecked()
    settings.sync()
    assert settings.value("zoom") is None and settings.value("showEmpty") is None
    settings.setValue("zoom", 99)
    assert make_window().state.zoom() == 0


def test_two_windows_keep_each_others_favorites(qtbot, make_window):
    first, second = make_window(), make_window()
    first.activateWindow()
    qtbot.waitUntil(first.isActiveWindow)
    type_query(qtbot, first, "S9353")
    qtbot.keyClick(first.pane.searchBox, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    second.activateWindow()
    qtbot.waitUntil(second.isActiveWindow)
    type_query(qtbot, second, "E0100")
    qtbot.keyClick(second.pane.searchBox, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    first.close()
    second.close()
    assert make_window().state.favorites == ["S9353", "E0100"]


def test_a_star_made_in_one_window_is_seen_in_the_other(qtbot, make_window):
    first, second = make_window(), make_window()
    for window in (second, first):
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        type_query(qtbot, window, "S9353")
        assert "☆" in detail_text(qtbot, window)
    qtbot.keyClick(first.pane.searchBox, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "★" in detail_text(qtbot, first)
    second.activateWindow()  # the coder goes back to the other window
    qtbot.waitUntil(second.isActiveWindow)
    assert "★" in detail_text(qtbot, second) and second.state.favorites == ["S9353"]
    second.favoritesMenu.aboutToShow.emit()
    assert [a.text() for a in second.favoritesMenu.actions()] == ["S9353  Hit cont insulin diem"]


def test_a_star_that_cannot_be_saved_says_so(qtbot, window):
    codes_file = window.state.codes.path
    codes_file.unlink(missing_ok=True)
    codes_file.mkdir(parents=True)  # a folder where the file goes: it cannot be written
    type_query(qtbot, window, "S9353")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "Could not save favorites" in window.statusBar().currentMessage()
    assert "☆" in detail_text(qtbot, window)


def test_file_open_of_a_damaged_database_says_so_and_keeps_the_release_shown(qtbot, window, tmp_path,
                                                                             monkeypatch, refusals):
    bad = tmp_path / "damaged.sqlite"
    bad.write_bytes(b"damaged" * 1000)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(bad), ""))
    window.openAction.trigger()
    assert len(refusals) == 1 and "damaged.sqlite" in refusals[0]
    assert window.session.release["name"] == "October 2025"
    type_query(qtbot, window, "insulin")
    assert shown_codes(window) == ["S9353"]


def test_file_open_of_a_database_whose_release_table_is_a_recursive_view_is_refused_at_once(
        qtbot, window, tmp_path, monkeypatch, refusals):
    import sqlite3

    hostile = Path(shutil.copy(window.session.db_path, tmp_path / "hostile.sqlite"))
    conn = sqlite3.connect(hostile)
    conn.execute("ALTER TABLE release RENAME TO release_rows")
    conn.execute("CREATE VIEW release AS WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) "
                 "SELECT * FROM release_rows WHERE (SELECT count(*) FROM forever) > 0")  # read, it never ends
    conn.commit()
    conn.close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(hostile), ""))
    window.openAction.trigger()
    (said,) = refusals
    assert said.startswith(f"{hostile} is not a database HCPCS Desktop built: it holds a view 'release', which "
                           "this app never makes; build it again")
    assert window.session.release["name"] == "October 2025"
    type_query(qtbot, window, "insulin")
    assert shown_codes(window) == ["S9353"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("name", ["notes.json", "codes.json", "searches.json"])
def test_the_window_starts_with_a_pipe_in_the_place_of_a_coders_file_and_says_so(qtbot, make_window, name):
    path = make_window().session.notes.path.with_name(name)
    path.unlink(missing_ok=True)
    os.mkfifo(path)  # reading it would wait for a writer for ever
    window = make_window()
    assert window.banner.isVisible()
    assert (f"Your {name} is left as it is (not a regular file (a pipe)): nothing is read from it or saved to it."
            in window.banner.label.text())
    type_query(qtbot, window, "insulin")
    assert shown_codes(window) == ["S9353"] and path.is_fifo()


def damaged_copy(sample_db, tmp_path, damage: str) -> Path:
    """A copy of the sample database with one SQL statement of damage run on it."""
    import sqlite3

    path = Path(shutil.copy(sample_db, tmp_path / "damaged.sqlite"))
    conn = sqlite3.connect(path)
    conn.execute(damage)
    conn.commit()
    conn.close()
    return path


CODE_ROW_DAMAGES = {  # the damage, what is typed to meet it, what the problem page says
    "a description that is no text": ("UPDATE codes SET long_description = x'00'", "cane",
                                      "a code's row holds b'\\x00' where text belongs"),
    "codes the search index lists and the table lacks": ("DELETE FROM codes WHERE code LIKE 'E01%'", "cane",
                                                          "its search index is damaged"),
    "a dose that is no number": ("UPDATE drug_codes SET amount = 'lots'", "J0121",
                                 "a drug code's dose holds 'lots' where a number belongs"),
    "a dose that is infinite": ("UPDATE drug_codes SET amount = 9e999", "J0121",
                                "a drug code's dose holds 'Inf' where a number belongs"),
}


@pytest.mark.parametrize("name", CODE_ROW_DAMAGES)
def test_a_damaged_code_row_met_by_a_search_is_the_problem_page_never_a_crash(qtbot, make_window, sample_db,
                                                                               tmp_path, capsys, name):
    from hcpcs_desktop.cli import main

    damage, typed, says = CODE_ROW_DAMAGES[name]
    path = damaged_copy(sample_db, tmp_path, damage)
    window = make_window(path)
    type_query(qtbot, window, typed)  # bytes drawn as a description took the window down
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.problemView)
    assert str(path) in window.problemView.toPlainText() and says in window.problemView.toPlainText()
    command = ["search", typed] if typed == "cane" else ["units", typed, "100 mg"]
    assert main([*command, "--db", str(path)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {path} could not be read") and says in line



def _page_damages() -> dict[str, str]:
    """Bytes in each column a code's page reads: every column of the code's row, each text of the
    record layout's fields, and the meanings of coded values and processing notes."""
    import sqlite3

    from hcpcs_desktop.data import schema
    from hcpcs_desktop.data.database import FIELD_TEXT

    conn = sqlite3.connect(":memory:")
    conn.executescript(schema.DDL)
    columns = [name for _, name, *_ in conn.execute("PRAGMA table_info(codes)")]
    conn.close()
    return {
        **{f"codes.{c}": f"UPDATE codes SET {c} = x'00' WHERE code = 'S9353'" for c in columns},
        **{f"fields.{c}": f"UPDATE fields SET {c} = x'00' WHERE key = 'coverage'" for c in FIELD_TEXT},
        "code_values.description": "UPDATE code_values SET description = x'00'",
        "processing_notes.text": "UPDATE processing_notes SET text = x'00'",
        "a field the layout lacks": "DELETE FROM fields WHERE key = 'long_description'",
    }


PAGE_DAMAGES = _page_damages()


@pytest.mark.parametrize("where", PAGE_DAMAGES)
def test_bytes_in_anything_a_code_page_draws_are_the_problem_page_never_an_exception(
        qtbot, make_window, sample_db, tmp_path, capsys, where):
    from hcpcs_desktop.cli import main

    path = damaged_copy(sample_db, tmp_path, PAGE_DAMAGES[where])
    window = make_window(path)
    type_query(qtbot, window, "insulin")  # S9353 first
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Return)  # the page escaped bytes and raised
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.problemView)
    said = window.problemView.toPlainText()
    assert str(path) in said and ("holds b'\\x00' where text belongs" in said
                                  or "its record layout lacks 1 of a code's fields (long_description)" in said)
    assert main(["show", "S9353", "--db", str(path)]) == 1
    (line,) = capsys.readouterr().err.splitlines()  # with the code itself damaged, S9353 is not found
    assert line.startswith(f"error: {path} could not be read") or where == "codes.code"


# What the search reads of its vocabulary (abbreviations, synonyms, product names, the index's words)
SEARCH_WORD_DAMAGES = {
    **{f"abbreviations.{c}": f"UPDATE abbreviations SET {c} = x'00'" for c in ("short", "long", "source")},
    **{f"synonyms.{c}": f"UPDATE synonyms SET {c} = x'00'" for c in ("word", "alternative")},
    **{f"product_names.{c}": f"UPDATE product_names SET {c} = x'00'" for c in ("name", "kind", "code", "maker")},
    "product_kinds.phrase": "UPDATE product_kinds SET phrase = x'00'",
    **{f"vocabulary.{c}": f"UPDATE vocabulary SET {c} = x'00000000' WHERE term = 'insulin'"
       for c in ("term", "documents", "spelled_out")},  # 4 bytes: words of 3 letters or more are read
}


@pytest.mark.parametrize("where", SEARCH_WORD_DAMAGES)
def test_bytes_in_the_search_vocabulary_are_the_problem_page_never_an_exception(
        qtbot, make_window, sample_db, tmp_path, capsys, where):
    from hcpcs_desktop.cli import main

    path = damaged_copy(sample_db, tmp_path, SEARCH_WORD_DAMAGES[where])
    window = make_window(path)
    type_query(qtbot, window, "insulin pump")  # reading the words raised as they were split
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.problemView)
    said = window.problemView.toPlainText()
    assert str(path) in said and "b'\\x00" in said and "belong" in said
    assert main(["search", "insulin pump", "--db", str(path)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {path} could not be read") and "b'\\x00" in line


# ----- releases over time


def restarted_window(qtbot):
    """A new window started as `hcpcs-desktop` starts one: no database named."""
    path, conn, problem = open_or_build(None, None, build=False)
    state = UserState()
    window = MainWindow(start_session(state, path, conn, problem), state)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    """The user's data folder (and so the default store of releases) in a temporary folder."""
    monkeypatch.delenv("HCPCS_DESKTOP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def test_an_imported_release_is_shown_again_after_a_restart(qtbot, make_window, tmp_path, sample_db, user_data,
                                                            monkeypatch):
    window = make_window(releases=ReleaseStore(extra=[sample_db]))
    release = newer_release(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(release), ""))
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.session.release["name"] == "January 2026"
    window.close()
    again = restarted_window(qtbot)
    assert again.pages.currentWidget() is again.splitter
    assert again.session.release["name"] == "January 2026" and "January 2026" in again.windowTitle()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(sample_db), ""))
    again.openAction.trigger()  # File → Open database…
    assert restarted_window(qtbot).session.release["name"] == "October 2025"


def test_an_import_says_where_the_layout_came_from_and_every_meaning_is_shown(qtbot, make_window, tmp_path, store):
    window = make_window()
    records = [dict(r) for r in SAMPLE_RECORDS]
    for r in records:
        if r["code"] == "A4233":
            r["pricing_indicator_1"], r["coverage"] = "39", "Q"  # in no layout
    assert window.releases.import_release_file(write_txt(tmp_path / "HCPC2026_JAN_ANWEB.txt", records))
    assert window.banner.isVisible()
    said = window.banner.label.text()
    assert "Imported January 2026" in said
    assert "The release carries no record layout: those of October 2025 are used." in said
    assert "The release carries no processing notes: those of October 2025 are used." in said
    assert "2 coded values have no meaning in this release&#x27;s record layout" in said
    assert "Pricing indicator 1: 39" in said and "Coverage: Q" in said
    type_query(qtbot, window, "S9353")
    text = detail_text(qtbot, window)
    assert "no meaning" not in text and "no such note" not in text
    page = window.detailView.page
    assert all(f.meaning for f in page.fields if f.kind == "code" and f.value)  # every value decoded
    type_query(qtbot, window, "A4233")
    text = detail_text(qtbot, window)
    assert "39 — no meaning in this release's record layout" in text
    assert "Coverage Q — no meaning in this release's record layout" in text
    click_link(qtbot, window.detailView, "copy:pricing_indicator_1")  # copied as the page says it
    assert clipboard() == "Pricing indicator 1: 39 — no meaning in this release's record layout"
    window.copyAllAction.trigger()
    assert "Coverage: Q — no meaning in this release's record layout" in clipboard().split("\n")
    qtbot.mouseClick(window.banner.closeButton, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()


def test_a_republication_says_which_release_it_replaced(qtbot, make_window, tmp_path, store):
    window = make_window()
    assert window.releases.import_release_file(newer_release(tmp_path))
    (tmp_path / "v2").mkdir()
    records = [dict(r) for r in SAMPLE_RECORDS]
    records[-1]["short_description"] = "Corrected"
    assert window.releases.import_release_file(write_txt(tmp_path / "v2" / "HCPC2026_JAN_ANWEB_v2.txt", records))
    assert "It replaces the January 2026 release stored from HCPC2026_JAN_ANWEB.txt" in window.banner.label.text()
    assert [r.name for r in store.releases()] == ["October 2025", "January 2026"]


def test_an_import_refused_while_the_store_is_busy_keeps_the_release_shown(qtbot, make_window, tmp_path, store,
                                                                            refusals):
    from filelock import FileLock

    window = make_window()
    store.lock_timeout = 0.1
    store.folder.mkdir(parents=True, exist_ok=True)
    with FileLock(store.folder / ".lock"):
        assert not window.releases.import_release_file(newer_release(tmp_path))
    assert len(refusals) == 1 and "busy" in refusals[0]
    assert window.session.release["name"] == "October 2025" and window.pages.currentWidget() is window.splitter


def test_a_payment_file_imported_in_the_window_reaches_every_release(qtbot, make_window, tmp_path, sample_db,
                                                                     refusals, monkeypatch):
    from payment_files import write_mue

    from hcpcs_desktop.data.payment import payment_facts

    october = shutil.copy(sample_db, tmp_path / "october.sqlite")
    window = make_window(october, ReleaseStore(tmp_path / "own-store", extra=[october]))
    assert window.releases.import_release_file(newer_release(tmp_path))
    mue = write_mue(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(mue), ""))
    window.importAction.trigger()
    assert not refusals
    said = window.banner.label.text()
    assert "Medically Unlikely Edits (DME Supplier Services)" in said
    assert "added to January 2026" in said and "added to October 2025" in said
    assert window.session.release["name"] == "January 2026"
    assert payment_facts(window.session.conn, "E0431").mue[0].units == 1
    assert payment_facts(open_database(october), "E0431").mue[0].units == 1


def _far_cell_workbook(folder: Path) -> Path:
    """A DMEPOS workbook of 1.5 KB whose second cell, at XFD1048576, asks a reader for 512 GiB."""
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"], book.active["XFD1048576"] = "HCPCS", "x"
    book.save(folder / "DMEPOS30_JAN.xlsx")
    return folder / "DMEPOS30_JAN.xlsx"


def _cut_crosswalk(folder: Path) -> Path:
    from payment_files import write_crosswalk

    path = write_crosswalk(folder)
    path.write_bytes(path.read_bytes()[:-10])  # cut in the empty columns that end each of CMS's rows
    return path


@pytest.mark.parametrize("write, says", [
    (_cut_crosswalk, "row 13: the file is truncated: it ends inside a row"),
    pytest.param(_far_cell_workbook, "is a damaged or truncated xlsx workbook: not a readable workbook",
                 marks=pytest.mark.skipif(not (hasattr(os, "fork") and Path("/proc/self/statm").exists()),
                                          reason="workbooks are read apart on Linux only")),
])
def test_a_payment_file_cut_short_or_too_big_to_read_changes_no_release_and_the_window_goes_on(
        qtbot, make_window, tmp_path, sample_db, refusals, monkeypatch, write, says):
    october = shutil.copy(sample_db, tmp_path / "october.sqlite")
    window = make_window(october, ReleaseStore(tmp_path / "own-store", extra=[october]))
    assert window.releases.import_release_file(newer_release(tmp_path))
    (tmp_path / "in").mkdir()
    path = write(tmp_path / "in")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.sqlite")}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    window.importAction.trigger()
    (said,) = refusals
    assert said.startswith(path.name) and says in said and said.endswith("nothing was changed.")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.sqlite")} == before
    assert window.session.release["name"] == "January 2026"
    type_query(qtbot, window, "S9353")
    assert "Hit cont insulin per diem" in detail_text(qtbot, window)


def test_a_payment_file_the_open_database_cannot_take_goes_into_no_release(qtbot, make_window, tmp_path, sample_db,
                                                                          refusals, monkeypatch):
    import errno
    import os

    from payment_files import write_mue

    october = shutil.copy(sample_db, tmp_path / "october.sqlite")
    window = make_window(october, ReleaseStore(tmp_path / "own-store", extra=[october]))
    assert window.releases.import_release_file(newer_release(tmp_path))
    assert window.releases.open_database_file(october)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.sqlite")}
    real = os.replace

    def immutable(source, target):  # what renaming over a database marked immutable (chattr +i) does
        if Path(target).name == "october.sqlite":
            raise OSError(errno.EPERM, "Operation not permitted", str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", immutable)
    assert not window.releases.import_release_file(write_mue(tmp_path))
    assert refusals == [f"{october}: cannot add MCR_MUE_DMESupplierServices_Eff_04-01-2030.csv "
                        "(Operation not permitted); nothing was changed"]
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.sqlite")} == before
    assert window.session.release["name"] == "October 2025"


def test_a_newer_release_in_the_store_gets_a_banner_with_a_switch(qtbot, make_window, tmp_path, store):
    store.import_release(newer_release(tmp_path))
    window = make_window()
    qtbot.waitUntil(window.banner.isVisible)
    assert "A newer release is stored: January 2026. This window shows October 2025." in window.banner.label.text()
    click_label_link(qtbot, window.banner.label, "release:switch")
    assert window.session.release["name"] == "January 2026"
    qtbot.waitUntil(lambda: not window.banner.isVisible())
    assert "January 2026 release" in window.releaseLabel.whole


def test_the_release_shown_says_its_age_and_an_old_one_points_to_cms(qtbot, window):
    import datetime as dt

    from hcpcs_desktop.data.locations import CMS_RELEASES_URL

    window.session.today = lambda: dt.date(2025, 12, 5)
    window.show_session()
    assert window.releaseLabel.whole == "October 2025 release (19 codes) · 2 months old"
    assert window.staleLabel.text() == "" and "October 2025 release" in window.windowTitle()
    window.session.today = lambda: dt.date(2026, 11, 25)
    window.show_session()
    assert "13 months old" in window.releaseLabel.whole
    assert "CMS publishes quarterly" in window.staleLabel.text()
    assert f'href="{CMS_RELEASES_URL}"' in window.staleLabel.text()


def test_a_link_to_the_web_without_a_browser_copies_the_address_and_says_so(qtbot, window, monkeypatch):
    import datetime as dt

    from hcpcs_desktop.data.locations import CMS_RELEASES_URL
    from hcpcs_desktop.ui import release_commands

    opened = []

    class NoBrowser:
        @staticmethod
        def openUrl(url):
            opened.append(url.toString())
            return False

    monkeypatch.setattr(release_commands, "QDesktopServices", NoBrowser)
    window.session.today = lambda: dt.date(2026, 11, 25)
    window.show_session()
    QGuiApplication.clipboard().clear()
    click_label_link(qtbot, window.staleLabel, CMS_RELEASES_URL)
    assert opened == [CMS_RELEASES_URL] and clipboard() == CMS_RELEASES_URL
    assert window.statusBar().currentMessage() == f"No web browser could be opened; the address is copied: " \
                                                  f"{CMS_RELEASES_URL}"


def test_a_date_of_service_says_whether_the_code_was_valid_then(qtbot, make_window, tmp_path):
    window = make_window()
    window.releases.import_release_file(newer_release(tmp_path))  # E0101 terminated 2025-12-31
    window.activateWindow()  # as the window manager does when the progress dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    type_query(qtbot, window, "E0101")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.serviceDate.edit

    def enter_date(typed):
        window.serviceDate.edit.clear()
        qtbot.keyClicks(window.serviceDate.edit, typed)
        qtbot.keyClick(window.serviceDate.edit, Qt.Key.Key_Return)

    enter_date("02/01/2026")
    text = detail_text(qtbot, window)
    assert "✖ Not valid on 2026-02-01: terminated 2025-12-31, before that date. " \
           "Release in effect then: January 2026." in text
    model = window.pane.model
    assert model.headerData(STATUS, Qt.Orientation.Horizontal) == "On 2026-02-01"
    assert model.index(0, STATUS).data() == "✖ Terminated 2025-12-31" and model.row(0).greyed  # at a glance
    type_query(qtbot, window, "E0100 E0101")
    assert [model.index(row, STATUS).data() for row in range(2)] == ["✔ Valid", "✖ Terminated 2025-12-31"]
    view = window.pane.resultsView
    assert view.header().sectionSize(STATUS) > view.fontMetrics().horizontalAdvance("✖ Terminated")  # the word whole
    type_query(qtbot, window, "E0101")
    enter_date("2025-11-15")
    text = detail_text(qtbot, window)
    assert "✔ Valid on 2025-11-15 (added 2010-01-01, terminated 2025-12-31). Release in effect then: October 2025 " \
           "(dates as of January 2026)." in text
    enter_date("13/45/2025")
    assert model.headerData(STATUS, Qt.Orientation.Horizontal) == "Status"  # no date: the release's status
    assert model.index(0, STATUS).data() == "Terminated 2025-12-31"
    problem = window.serviceDate.problem
    assert problem.isVisible() and problem.text() == "'13/45/2025' is not a date of the calendar"
    assert "Valid on" not in detail_text(qtbot, window)
    for typed in ("2/1/26", "020126", "02012026"):  # as claims write it
        enter_date(typed)
        assert "✖ Not valid on 2026-02-01: terminated 2025-12-31" in detail_text(qtbot, window)
        assert problem.text() == ""
    window.resize(800, 600)
    enter_date("soon")
    qtbot.waitUntil(lambda: problem.text().startswith("'soon' is not a date; write it as MM/DD/YY"))
    assert problem.toolTip().endswith("MMDDYY, MMDDYYYY or YYYY-MM-DD")  # whole, where the window cuts it
    assert problem.geometry().right() <= window.toolBar.width()  # in sight


def test_the_rows_of_a_search_are_dated_together_each_release_read_once(qtbot, make_window, tmp_path, monkeypatch):
    from hcpcs_desktop.data import validity

    window = make_window()
    window.releases.import_release_file(newer_release(tmp_path))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.serviceDate.edit, "2/1/26")
    qtbot.keyClick(window.serviceDate.edit, Qt.Key.Key_Return)
    opened = []
    monkeypatch.setattr(validity, "open_database", lambda path, **how: opened.append(path) or open_database(path))
    codes = ["A4300", "A4355", "A4630", "E0100", "E0101", "E0105", "E0110", "E0431", "G0001", "J0121", "L1830"]
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    type_query(qtbot, window, " ".join(codes))  # a pasted list, every row on the screen
    window.pane.resultsView.viewport().repaint()
    model = window.pane.model
    files = {release.path for release in window.session.releases()}
    assert len(opened) <= len(files) == 2  # each database once for every row drawn, not once per row and release
    terminated = {"E0101": "✖ Terminated 2025-12-31", "G0001": "✖ Terminated 2012-12-31"}
    assert [model.index(row, STATUS).data() for row in range(model.rowCount())] == \
        [terminated.get(code, "✔ Valid") for code in codes]


def test_about_names_the_database_file_shown(qtbot, window, sample_db):
    from hcpcs_desktop.ui.about_dialog import about_html

    assert f"Database file: {sample_db}" in about_html(window.session.release, window.session.db_path) \
        .replace("<tt>", "").replace("</tt>", "")


def test_the_releases_menu_ticks_a_copy_of_a_stored_release(qtbot, make_window, sample_db, tmp_path, store):
    copy = shutil.copy(sample_db, tmp_path / "copy-of-october.sqlite")
    window = make_window(copy)
    window.releasesMenu.aboutToShow.emit()
    (october,) = window.releasesMenu.actions()
    assert october.text() == "October 2025 (2025-10-01)" and october.isChecked()


def test_a_page_damaged_while_the_window_is_open_shows_the_problem_page(qtbot, make_window, sample_db, tmp_path,
                                                                        monkeypatch):
    import sqlite3

    window = make_window(shutil.copy(sample_db, tmp_path / "october.sqlite"))

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(window.session.engine, "search", damaged)
    type_query(qtbot, window, "insulin")  # an exception in a slot fails the test
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.problemView)
    assert "october.sqlite" in window.problemView.toPlainText() and "malformed" in window.problemView.toPlainText()
    assert window.releaseLabel.whole == "No database"


def test_a_page_damaged_at_start_shows_the_problem_page(qtbot, make_window, monkeypatch):
    import sqlite3

    from hcpcs_desktop.search import SearchEngine

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(SearchEngine, "filter_values", damaged)
    window = make_window()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.problemView)
    assert "malformed" in window.problemView.toPlainText()
    monkeypatch.setattr("hcpcs_desktop.session.release_info", damaged)
    again = make_window()
    assert again.pages.currentWidget() is again.problemView and "malformed" in again.problemView.toPlainText()


def test_ctrl_c_in_the_terminal_closes_the_window_without_a_traceback(sample_db, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d"),
           "XDG_CONFIG_HOME": str(tmp_path / "c"), "HCPCS_RELEASES": str(tmp_path / "none")}
    window = subprocess.Popen([sys.executable, "-m", "hcpcs_desktop", "--db", str(sample_db)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # the window is up and waiting
    window.send_signal(signal.SIGINT)
    out, err = window.communicate(timeout=30)
    assert window.returncode == 0 and "Traceback" not in err and "KeyboardInterrupt" not in err


def test_an_older_real_zip_imported_keeps_the_newer_release_shown_and_every_meaning_is_there(qtbot, make_window,
                                                                                          tmp_path, releases_dir,
                                                                                          user_data):
    from conftest import real_file

    october = real_file(releases_dir, "2025-oct/HCPC2025_OCT_ANWEB.xlsx")
    layout = real_file(releases_dir, "2026-jan/HCPC2026_recordlayout.txt")
    notes = real_file(releases_dir, "2026-jan/proc_notes_JAN2026.txt")
    zip_2020 = real_file(releases_dir, "2020-jan/2020-Alpha-Numeric-HCPCS-File.zip")
    store = ReleaseStore(extra=[])
    stored = store.import_release(october, layout=layout, notes=notes).path
    window = make_window(stored, store)
    assert not window.releases.import_release_file(zip_2020)  # stored, not shown: it is older
    said = window.banner.label.text()
    assert "The release carries no record layout: those of October 2025 are used." in said
    assert "January 2020 is older than the October 2025 release shown, which stays; it is stored as " in said
    assert window.session.release["name"] == "October 2025"
    window.close()
    again = restarted_window(qtbot)
    again.show()
    assert again.session.release["name"] == "October 2025"  # a restart stays on the newest
    again.releasesMenu.aboutToShow.emit()
    next(a for a in again.releasesMenu.actions() if a.text().startswith("January 2020")).trigger()
    assert again.session.release["name"] == "January 2020"
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    type_query(qtbot, again, "E0100")
    detail_text(qtbot, again)
    page = again.detailView.page
    coded = [f for f in page.fields if f.kind == "code" and f.value]
    assert len(coded) >= 6 and all(f.meaning for f in coded)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads through /proc (Linux)")
def test_the_window_paints_on_its_own_thread_without_handing_fills_to_a_pool(tmp_path):
    """A tall fill (a scroll bar, a pane's background) drawn on the window's thread: Qt's hand-off of
    such fills to a pool of threads cost more than the fill on a busy two-core machine."""
    import os
    import subprocess
    import sys

    paint_a_tall_scroll_bar = "\n".join([
        "import os",
        "from PySide6.QtCore import Qt",
        "from PySide6.QtGui import QImage",
        "from PySide6.QtWidgets import QApplication, QScrollBar",
        "from hcpcs_desktop.ui.app import create_app",
        "app = create_app([]) if os.environ['START'] == 'app' else QApplication([])",
        "bar = QScrollBar(Qt.Orientation.Vertical)",
        "bar.resize(16, 900)",
        "threads = len(os.listdir('/proc/self/task'))",
        "bar.render(QImage(16, 900, QImage.Format.Format_ARGB32_Premultiplied))",
        "print(len(os.listdir('/proc/self/task')) - threads)",
    ])
    env = {key: value for key, value in os.environ.items() if key != "QT_NO_GUI_THREADPOOL"}
    started = {}
    for start in ("app", "plain Qt"):
        done = subprocess.run([sys.executable, "-c", paint_a_tall_scroll_bar], capture_output=True, text=True,
                              env={**env, "QT_QPA_PLATFORM": "offscreen", "START": start}, timeout=60)
        assert done.returncode == 0, done.stderr
        started[start] = int(done.stdout.split()[-1])
    assert started["plain Qt"] > 0  # Qt's own default: the pool's threads start
    assert started["app"] == 0
