"""A code's page as a coder uses it: what replaced a terminated code, the codes a page names and
the codes that name it, printing and PDF, copying with the source, looking up the clipboard,
personal notes, favorites lists and earlier searches. Driven by keys, clicks on the links
the page draws, menus and the clipboard."""

from __future__ import annotations

import json

import pypdf
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QLabel, QMessageBox

from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.ui import printing
from hcpcs_desktop.ui.note_dialog import NoteDialog
from conftest import october_2025_db, open_window
from release_files import SAMPLE_RECORDS, record
from test_window import click_link, clipboard, detail_text, open_code, shown_codes, type_query, when_shown

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
# Invented records whose descriptions name other codes, as CMS writes them (lower case).
NAMING_RECORDS = [
    record("E0733", "Stimulator of an invented kind for tests, each", "Invented stimulator"),
    record("A4541", "Monthly supplies for use of device coded at e0733", "Monthly supp use with e0733"),
    record("H1005", "Package of invented services (includes e0100-e0105)", "Invented package"),
    *(record(f"K{n:04d}", f"Invented part number {n} for use with e0733", f"Invented part {n}")
      for n in range(1, 13)),
]


# Not-otherwise-classified codes as CMS words them; the release ships no NOC workbook, so its
# descriptions tell (E1399's "miscellaneous" is for CMS's workbook to say).
NOC_RECORDS = [record("J3490", "Unclassified drugs", "Drugs unclassified injection"),
               record("E1399", "Durable medical equipment, miscellaneous", "Durable medical equipment mi")]

# Terminated codes without a cross reference: one moved to another code word for word, one whose drug
# another code bills at another dose (as J1030 and J1010).
SUCCESSOR_RECORDS = [
    record("C9035", "Injection, inventazole lauroxil, 1 mg", "Inj inventazole", termination_date="20231231"),
    record("J1943", "Injection, inventazole lauroxil, 1 mg", "Inj., inventazole, 1 mg"),
    record("J1030", "Injection, methylprednisolone acetate, 40 mg", "Methylprednisolone 40 mg inj",
           termination_date="20240331"),
    record("J1010", "Injection, methylprednisolone acetate, 1 mg", "Inj, methylpred acetate 1 mg", betos="O1E"),
]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return october_2025_db(tmp_path_factory.mktemp("code_page"),
                           SAMPLE_RECORDS + NAMING_RECORDS + NOC_RECORDS + SUCCESSOR_RECORDS)


@pytest.fixture
def make_window(qtbot, sample_db, settings_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    store = ReleaseStore(tmp_path / "store", extra=[sample_db])

    def make():
        return open_window(qtbot, sample_db, store)

    return make


@pytest.fixture
def window(make_window):
    return make_window()


def answer_next_dialog(qtbot, text: str, answered: list):
    """Type `text` into the dialog about to open (a note, or the name of a list) and save it, as the
    coder would: the note's text replaced and Ctrl+Enter, the list's name set and OK."""

    def answer(dialog):
        if isinstance(dialog, NoteDialog):
            answered.append(dialog.findChild(QLabel).text())
            qtbot.keyClick(dialog.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClick(dialog.edit, Qt.Key.Key_Delete)
            qtbot.keyClicks(dialog.edit, text)
            qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
            return
        dialog.setTextValue(text)
        answered.append(dialog.labelText())
        dialog.accept()

    when_shown((NoteDialog, QInputDialog), answer)


def flat(text: str) -> str:
    return " ".join(text.split())


# ----- what other codes a page names, and the codes that name it
def test_a_not_otherwise_classified_code_says_so_under_its_description(qtbot, window):
    text = open_code(qtbot, window, "J3490")
    assert "Not otherwise classified (NOC): for a drug or item that no other code names" in flat(text)
    assert "Not otherwise classified" not in open_code(qtbot, window, "E1399")
    assert "Not otherwise classified" not in open_code(qtbot, window, "S9353")


def test_a_terminated_code_says_so_at_the_top_and_links_its_replacements(qtbot, window):
    text = open_code(qtbot, window, "G0001")
    first_line = text.strip().splitlines()[0]
    assert first_line.startswith("✖ Terminated 2012-12-31 · Replaced by G0306 Cbc w/ auto diff & platelets")
    assert "G0476 Resp nucleic acid panel" in first_line
    click_link(qtbot, window.detailView, "code:G0306")
    qtbot.waitUntil(lambda: window.detailView.page.code == "G0306")
    assert "Terminated" not in detail_text(qtbot, window).strip().splitlines()[0]


def test_a_terminated_code_without_a_cross_reference_suggests_the_active_code_for_the_same_drug(qtbot, window):
    first_line = open_code(qtbot, window, "J1030").strip().splitlines()[0]
    assert first_line == ("✖ Terminated 2024-03-31 · Suggested, not a CMS cross reference: "
                          "J1010 Inj, methylpred acetate 1 mg")
    first_line = open_code(qtbot, window, "C9035").strip().splitlines()[0]
    assert first_line.endswith("Suggested, not a CMS cross reference: J1943 Inj., inventazole, 1 mg")
    click_link(qtbot, window.detailView, "code:J1943")
    qtbot.waitUntil(lambda: window.detailView.page.code == "J1943")
    first_line = open_code(qtbot, window, "G0001").strip().splitlines()[0]
    assert "Suggested" not in first_line and "Replaced by G0306" in first_line  # CMS's own word comes alone


def test_a_coded_value_with_a_letter_o_says_so(qtbot, window):
    text = open_code(qtbot, window, "J1010")
    assert "BETOS\nO1E (letter O) — " in text  # not to be read as 01E
    assert "(letter O)" not in open_code(qtbot, window, "S9353")  # Z2, 00, 0088: no letter O


def test_cross_references_show_their_short_descriptions(qtbot, window):
    text = open_code(qtbot, window, "G0001")
    assert "Cross reference 1\nG0306 Cbc w/ auto diff & platelets" in text


def test_a_code_named_in_a_description_opens_from_its_link(qtbot, window):
    open_code(qtbot, window, "A4541")
    click_link(qtbot, window.detailView, "code:E0733")
    qtbot.waitUntil(lambda: window.detailView.page.code == "E0733")
    window.go_back()
    qtbot.waitUntil(lambda: window.detailView.page.code == "A4541")


def test_a_range_named_in_a_description_searches_the_range(qtbot, window):
    open_code(qtbot, window, "H1005")
    click_link(qtbot, window.detailView, "search:E0100-E0105")
    assert window.pane.searchBox.text() == "E0100-E0105"
    assert shown_codes(window) == ["E0100", "E0101", "E0105"]


def test_a_page_lists_the_codes_that_refer_to_it_folded_when_long(qtbot, window):
    text = open_code(qtbot, window, "G0306")
    assert "Codes that refer to G0306\nG0001 Routine venous blood draw (terminated) — cross reference" in text

    text = open_code(qtbot, window, "E0733")
    assert "Codes that refer to E0733" in text
    assert "A4541 Monthly supp use with e0733 — named in its description" in text
    assert "K0007 Invented part 7" in text and "K0012" not in text  # 14 codes: 8 shown
    click_link(qtbot, window.detailView, "fold:referrals")
    text = detail_text(qtbot, window)
    assert all(f"K{n:04d} Invented part {n}" in text for n in range(1, 13))
    click_link(qtbot, window.detailView, "code:K0012")
    qtbot.waitUntil(lambda: window.detailView.page.code == "K0012")


def test_a_code_in_a_range_lists_the_code_that_names_the_range(qtbot, window):
    assert "H1005 Invented package — named in its description" in open_code(qtbot, window, "E0101")


# ----- printing
def test_save_as_pdf_writes_the_code_page(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "appeal" / "S9353 page"  # no .pdf typed: it is added
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    open_code(qtbot, window, "S9353")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_P, CTRL_SHIFT)
    saved = target.with_name("S9353 page.pdf")
    assert saved.read_bytes().startswith(b"%PDF")
    reader = pypdf.PdfReader(saved)
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "S9353" in text and "Hit cont insulin diem" in text
    assert "Processing note 0088" in text and "Source: CMS HCPCS October 2025" in text
    assert "[copy]" not in text and "Add a note" not in text  # nothing to click on paper
    assert reader.metadata.title == "S9353 Hit cont insulin diem — CMS HCPCS October 2025"
    assert str(saved) in window.statusBar().currentMessage()
    starts = []  # where each run of text starts on the first page, in points from the left
    reader.pages[0].extract_text(visitor_text=lambda text, cm, tm, font, size: starts.append(tm[4] * cm[0] + cm[4])
                                 if text.strip() else None)
    assert min(starts) <= 25 / 25.4 * 72  # one margin of 2 cm (38 mm with the paper's margins: 60 % of the width)


def test_the_selected_rows_print_to_one_pdf_and_export_to_one_csv(qtbot, window, tmp_path, monkeypatch):
    import csv

    proposed = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, title, name, kinds: (
        proposed.append(name) or str(tmp_path / name.rpartition("/")[2].rsplit(".", 1)[0]), ""))
    type_query(qtbot, window, "E0100 E0101 G0001")
    window.pane.resultsView.setFocus()
    qtbot.keyClick(window.pane.resultsView, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.pane.resultsView, Qt.Key.Key_P, CTRL_SHIFT)
    reader = pypdf.PdfReader(tmp_path / "hcpcs-3-codes.pdf")
    tops = [flat(page.extract_text())[:200] for page in reader.pages]  # a page's first words
    begins = [next(i for i, top in enumerate(tops) if code in top) for code in ("E0100", "E0101", "G0001")]
    assert begins == sorted(set(begins))  # each code's page begins a page of its own, in the list's order
    assert reader.metadata.title == "3 codes — CMS HCPCS October 2025"  # each code on a page of its own

    qtbot.keyClick(window.pane.resultsView, Qt.Key.Key_E, CTRL_SHIFT)
    rows = list(csv.reader((tmp_path / "hcpcs-3-codes.csv").open(encoding="utf-8")))
    assert rows[0][:2] == ["HCPCS code", "Sequence number"] and [row[0] for row in rows[1:]] == [
        "E0100", "E0101", "G0001"]
    assert all(len(row) == len(rows[0]) for row in rows)
    assert "I — Not payable by Medicare" in rows[1] or any("—" in cell for cell in rows[1])  # values with meanings


def test_a_favorites_list_prints_and_exports_whole(qtbot, window, tmp_path, monkeypatch):
    import csv

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, title, name, kinds: (
        str(tmp_path / name.rpartition("/")[2]), ""))
    codes = window.session.codes
    for code in ("S9353", "E0100"):
        codes.toggle_favorite(code)
        codes.set_list(code, "Payer X")
    window.favoritesMenu.aboutToShow.emit()
    payer = next(a.menu() for a in window.favoritesMenu.actions() if a.text() == "Payer X")
    actions = {a.text(): a for a in payer.actions()}
    actions["Export the list as CSV…"].trigger()
    rows = list(csv.reader((tmp_path / "Payer X.csv").open(encoding="utf-8")))
    assert [row[0] for row in rows[1:]] == ["S9353", "E0100"]
    actions["Save the list as PDF…"].trigger()
    text = flat(" ".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "Payer X.pdf").pages))
    assert "S9353" in text and "E0100" in text


def test_a_pdf_that_cannot_be_written_says_so_and_leaves_nothing(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "no-such-folder" / "S9353.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    warnings = []
    monkeypatch.setattr("hcpcs_desktop.ui.code_commands.QMessageBox.warning",
                        lambda parent, title, text: warnings.append(text))
    open_code(qtbot, window, "S9353")
    window.savePdfAction.trigger()
    assert warnings and str(target) in warnings[0] and "Nothing was saved" in warnings[0]
    assert not target.parent.exists()


def test_print_sends_the_code_page_to_the_printer_chosen(qtbot, window, tmp_path, monkeypatch):
    printed = tmp_path / "printed.pdf"

    def choose_a_pdf_printer(dialog):
        dialog.printer().setOutputFormat(printing.QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(printed))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(printing.QPrintDialog, "exec", choose_a_pdf_printer)
    open_code(qtbot, window, "G0001")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    text = flat(" ".join(page.extract_text() for page in pypdf.PdfReader(printed).pages))
    assert "Terminated 2012-12-31 · Replaced by G0306" in text


def test_print_preview_draws_the_page(qtbot, window):
    open_code(qtbot, window, "S9353")
    window.printPreviewAction.trigger()
    qtbot.waitUntil(lambda: window.codes._preview.isVisible())
    assert not window.codes._preview.grab().isNull()
    window.codes._preview.close()


# ----- copying and the clipboard
def test_copy_with_source_names_the_release(qtbot, window):
    open_code(qtbot, window, "S9353")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_S, CTRL_SHIFT)
    assert clipboard() == "S9353 — Hit cont insulin diem (CMS HCPCS October 2025)"


def test_look_up_the_clipboard_searches_the_codes_on_it(qtbot, window):
    QApplication.clipboard().setText("  E0100, g0306\nA4541 \n")
    window.pane.resultsView.setFocus()
    qtbot.keyClick(window.pane.resultsView, Qt.Key.Key_V, CTRL_SHIFT)
    assert shown_codes(window) == ["E0100", "G0306", "A4541"]
    assert QApplication.focusWidget() is window.pane.searchBox
    QApplication.clipboard().clear()
    window.lookUpClipboardAction.trigger()
    assert "no text" in window.statusBar().currentMessage()


# ----- the coder's own notes and lists
def test_a_note_is_written_from_the_page_kept_and_found_by_its_words(qtbot, make_window, settings_dir):
    import datetime as dt

    window = make_window()
    window.session.notes.today = lambda: dt.date(2026, 3, 2)
    open_code(qtbot, window, "S9353")
    answered = []
    answer_next_dialog(qtbot, "Payer X wants KX here", answered)
    click_link(qtbot, window.detailView, "note:S9353")
    assert answered and "S9353" in answered[0]
    assert "Your note (written 2026-03-02): Payer X wants KX here" in detail_text(qtbot, window)
    saved = json.loads((settings_dir / "hcpcs-desktop" / "notes.json").read_text())
    assert saved["notes"] == {"S9353": "Payer X wants KX here"} and saved["written"] == {"S9353": "2026-03-02"}

    type_query(qtbot, window, "payer kx")
    assert shown_codes(window)[0] == "S9353"
    assert window.pane.current_hit().reason == "your note: Payer X wants KX here"
    assert "no code has" not in window.pane.countLabel.text()  # the words are in a note
    window.close()

    again = make_window()  # a restart keeps it
    assert "Your note (written 2026-03-02): Payer X wants KX here" in open_code(qtbot, again, "S9353")
    answer_next_dialog(qtbot, "", answered)
    qtbot.keyClick(again.pane.searchBox, Qt.Key.Key_N, CTRL_SHIFT)
    assert "Your note" not in detail_text(qtbot, again)
    type_query(qtbot, again, "payer kx")
    assert "S9353" not in shown_codes(again)


def test_a_note_is_saved_from_the_keyboard_and_esc_asks_before_dropping_it(qtbot, window):
    open_code(qtbot, window, "S9353")
    lines = []

    def write(dialog):
        edit = dialog.edit
        assert QApplication.focusWidget() is edit
        qtbot.keyClicks(edit, "Payer X")
        qtbot.keyClick(edit, Qt.Key.Key_Return)  # Enter starts a new line
        qtbot.keyClicks(edit, "wants KX")
        qtbot.keyClick(edit, Qt.Key.Key_Tab)  # Tab moves on to the buttons, typing no tab
        assert QApplication.focusWidget() is not edit and "\t" not in edit.toPlainText()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        assert QApplication.focusWidget() is edit
        lines.append(edit.toPlainText())
        qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # saves

    when_shown(NoteDialog, write)
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_N, CTRL_SHIFT)
    assert lines == ["Payer X\nwants KX"] and window.session.notes.get("S9353") == "Payer X\nwants KX"
    assert "Payer X wants KX" in flat(detail_text(qtbot, window))

    def alt_s(dialog):  # the Save button's letter
        qtbot.keyClicks(dialog.edit, " on RR")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)

    when_shown(NoteDialog, alt_s)
    window.noteAction.trigger()
    assert window.session.notes.get("S9353") == "Payer X\nwants KX on RR"

    asked = []

    def keep_editing(box):
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc in the question keeps the note open

    def discard(box):
        asked.append(box.text())
        box.button = next(b for b in box.buttons() if b.text() == "&Discard")
        qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)

    def draft(dialog):
        qtbot.keyClicks(dialog.edit, " draft")
        when_shown(QMessageBox, keep_editing)
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
        assert dialog.isVisible() and dialog.edit.toPlainText().endswith(" draft")  # nothing lost
        when_shown(QMessageBox, discard)
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)

    when_shown(NoteDialog, draft)
    window.noteAction.trigger()
    assert len(asked) == 2 and "S9353" in asked[0]
    assert window.session.notes.get("S9353") == "Payer X\nwants KX on RR"  # the draft was dropped when asked

    def unchanged(dialog):
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)  # nothing typed: Esc closes at once

    when_shown(NoteDialog, unchanged)
    window.noteAction.trigger()
    assert len(asked) == 2


def test_favorites_can_be_put_in_named_lists(qtbot, window):
    open_code(qtbot, window, "S9353")
    answered = []
    answer_next_dialog(qtbot, "Payer X", answered)
    window.favoriteListAction.trigger()  # not yet a favorite: it is starred too
    assert window.state.favorites == ["S9353"] and window.session.codes.lists == {"S9353": "Payer X"}
    assert "★ in “Payer X”" in detail_text(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    open_code(qtbot, window, "E0100")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    window.favoritesMenu.aboutToShow.emit()
    entries = {a.text(): a for a in window.favoritesMenu.actions()}
    assert any(text.startswith("E0100") for text in entries)  # in no list
    payer = entries["Payer X"].menu()
    payer.aboutToShow.emit()
    assert [a.text() for a in payer.actions() if not a.isSeparator()] == [
        "S9353  Hit cont insulin diem", "Save the list as PDF…", "Export the list as CSV…"]
    payer.actions()[0].trigger()
    qtbot.waitUntil(lambda: window.detailView.page.code == "S9353")


def test_notes_and_lists_travel_to_a_file_and_back_with_the_day_each_note_was_written(qtbot, window, tmp_path,
                                                                                      monkeypatch):
    import datetime as dt

    shared = tmp_path / "team.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(shared), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(shared), ""))
    notes, codes = window.session.notes, window.session.codes
    notes.today = lambda: dt.date(2026, 3, 2)
    notes.set("S9353", "Payer X wants KX here")
    notes.set("E0100", "Cane: needs a prescription")
    codes.put_in_lists({"E0100": "Walking aids", "E0101": "Walking aids"})
    window.exportNotesAction.trigger()
    data = json.loads(shared.read_text(encoding="utf-8"))
    assert data["notes"]["S9353"] == {"note": "Payer X wants KX here", "written": "2026-03-02"}
    assert data["lists"] == {"Walking aids": ["E0100", "E0101"]}
    assert window.statusBar().currentMessage().startswith("Saved 2 notes and 1 list to")

    # The coder's own notes move on: one written later is kept, one deleted comes back, the list too.
    notes.today = lambda: dt.date(2026, 4, 1)
    notes.set("S9353", "Payer X dropped KX")
    notes.set("E0100", "")
    codes.toggle_favorite("E0101")
    window.importNotesAction.trigger()
    assert notes.get("S9353") == "Payer X dropped KX" and notes.get("E0100") == "Cane: needs a prescription"
    assert notes.written["E0100"] == "2026-03-02"  # the day it was written, not the day it came back
    assert codes.lists == {"E0100": "Walking aids", "E0101": "Walking aids"}
    assert window.statusBar().currentMessage() == ("1 note added; 1 of yours kept (written the same day or later); "
                                                   "2 codes put in favorites lists")
    assert "Your note (written 2026-03-02): Cane: needs a prescription" in open_code(qtbot, window, "E0100")

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    shared.write_text('{"notes": {"S9353": "not ours"}}', encoding="utf-8")  # a file of another kind
    window.importNotesAction.trigger()
    assert "is not a file of notes and lists exported by HCPCS Desktop" in warned[0]
    assert notes.get("S9353") == "Payer X dropped KX"


# ----- earlier searches
def test_up_on_an_empty_box_recalls_the_searches_typed(qtbot, window, settings_dir):
    box = window.pane.searchBox
    for text in ("insu", "insulin", "cane"):
        type_query(qtbot, window, text)
        qtbot.keyClick(box, Qt.Key.Key_Return)
    open_code(qtbot, window, "G0001")
    click_link(qtbot, window.detailView, "code:G0306")  # a link opened: no search typed
    qtbot.waitUntil(lambda: window.detailView.page.code == "G0306")
    assert window.session.searches.searches == ["G0001", "cane", "insulin"]  # "insu" became "insulin"

    box.clear()
    qtbot.keyClick(box, Qt.Key.Key_Up)
    popup = window.pane.recall.popup.popup()
    qtbot.waitUntil(popup.isVisible)
    assert [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())] == [
        "G0001", "cane", "insulin"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert box.text() == "cane" and shown_codes(window)
    saved = json.loads((settings_dir / "hcpcs-desktop" / "searches.json").read_text())
    assert saved["searches"][0] == "cane"


def test_a_search_left_alone_a_moment_is_kept(qtbot, window):
    qtbot.keyClicks(window.pane.searchBox, "walking cane")
    qtbot.waitUntil(lambda: window.session.searches.searches[:1] == ["walking cane"], timeout=4000)
    window.searchesMenu.aboutToShow.emit()
    window.searchesMenu.actions()[0].trigger()
    assert window.pane.searchBox.text() == "walking cane"
