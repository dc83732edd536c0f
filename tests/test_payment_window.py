"""The Medicare payment section, the units line with the amount allowed, NDC search and the
Table of Drugs in the main window, driven by keys, typing and clicks on rendered links, on a
release and payment files the tests write (every figure invented); then the real files."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import pypdf
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog

from conftest import real_file
from drug_records import DRUG_RECORDS
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.release_store import ReleaseStore
from payment_files import MUE_ROWS, NEWER_DRUG_ROWS, write_crosswalk, write_dmepos_xlsx, write_drug_limits, write_mue
from release_files import SAMPLE_RECORDS, record, write_layout, write_notes, write_txt
from conftest import open_window
from test_window import click_link, detail_text, open_code, shown_codes, type_query, when_shown
from hcpcs_desktop.ui.state_dialog import StateDialog

DRUGS = [r for r in DRUG_RECORDS if r["code"] in ("J1650", "J1200", "J9903", "J9905")]
TRANSPORT = record("A0428", "Made-up ground transport, basic level, one way", "Made-up transport")
LIMITS = [("J1650", "10 MG", "1.250", "20.000", "", "", "invented note"),
          ("J1200", "50 MG", "N/A", "20.000", "", "", "")]
NDCS = [("J1650", "Invented Labs Inc", f"12345-0{i:03d}-10", "Inventoxaparin", "10 MG", "0.4", "10", "4", "40")
        for i in range(7)]
NDCS.append(("J1200", "Other Invented LLC", "0123-4567-89", "Inventhydramine", "50 MG", "1", "25", "1", "25"))


@pytest.fixture(scope="module")
def payment_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("payment_window")
    payment = folder / "payment"
    payment.mkdir()
    write_dmepos_xlsx(payment / "DMEPOS30_JAN.xlsx")
    write_drug_limits(payment, rows=LIMITS)
    write_drug_limits(payment, effective=("April 1, 2030", "June 30, 2030"), rows=[NEWER_DRUG_ROWS[-1]],
                      name="section 508 version of April 2030 Medicare Part B Payment Limit File 031730.csv")
    write_crosswalk(payment, rows=NDCS)
    write_mue(payment, rows=MUE_ROWS + [("J1650", "30", "3 Date of Service Edit: Clinical", "Prescribing Information")])
    write_mue(payment, setting="Practitioner Services",
              rows=[("E0431", "0", "2 Date of Service Edit: Policy", "CMS Policy")])
    db = folder / "hcpcs.sqlite"
    build_database(write_txt(folder / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS + DRUGS + [TRANSPORT]), db,
                   layout=write_layout(folder / "layout.txt"), notes=write_notes(folder / "notes.txt"), payment=payment)
    return db


@pytest.fixture
def make_window(qtbot, tmp_path, settings_dir, monkeypatch, payment_db):
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))

    def make(db=payment_db, tables=True):
        QSettings().setValue("paymentTables", tables)  # shown the tables once, and remembered since
        return open_window(qtbot, db, ReleaseStore(tmp_path / "store", extra=[db]))

    return make


@pytest.fixture
def window(make_window):
    return make_window()


def choose_state(qtbot, window, typed):
    """Click the section's state link, type `typed` in the list it opens and press Enter."""
    shown = []

    def choose(dialog):
        shown.append(dialog.states_shown())
        qtbot.keyClicks(dialog.filterEdit, typed)
        shown.append(dialog.states_shown())
        qtbot.keyClick(dialog.filterEdit, Qt.Key.Key_Return)

    when_shown(StateDialog, choose)
    click_link(qtbot, window.detailView, "payment:state")
    return shown


def fee_lines(text):
    return [line for line in text.splitlines() if line.strip()]


# The section summed up, or its tables ---------------------------------------------------------------


def test_the_section_is_summed_up_in_a_line_until_the_coder_shows_its_tables_for_every_code(qtbot, make_window):
    window = make_window(tables=False)
    window.state.set_payment_state("PA")
    text = open_code(qtbot, window, "J1650")
    assert ("Part B limit $1.250 per 10 MG (January 1, 2030 - March 31, 2030) · MUE 30 a day (DME Supplier) · "
            "7 NDCs · show the tables") in text
    assert "Payment limit" not in text and "12345-0000-10" not in text
    text = open_code(qtbot, window, "E0431")
    assert ("DMEPOS PA non-rural: RR $20.04, UE KF $102.00 · MUE 1 a day (DME Supplier); none billable "
            "(Practitioner) · show the tables") in text
    click_link(qtbot, window.detailView, "payment:tables")
    text = detail_text(qtbot, window)
    assert "Payment limit" not in text and "RR" in fee_lines(text) and "show the tables" not in text
    assert "12345-0000-10" in open_code(qtbot, window, "J1650")  # every code's tables, until folded again
    window.close()
    window = make_window(tables=window.state.payment_tables())  # the next start remembers
    assert "12345-0000-10" in open_code(qtbot, window, "J1650")
    click_link(qtbot, window.detailView, "payment:tables")
    assert "12345-0000-10" not in detail_text(qtbot, window)
    assert window.state.payment_tables() is False
    window.close()


# DMEPOS fees ----------------------------------------------------------------------------------------


def test_dmepos_fees_of_the_state_chosen_once_and_remembered(qtbot, make_window):
    window = make_window()
    text = open_code(qtbot, window, "E0431")
    assert "Medicare payment" in text
    assert "State: none chosen choose your state" in text
    assert "20.04" not in text  # no state chosen: ceiling, floor and period only
    assert choose_state(qtbot, window, "p") == [["AL", "PA", "TX"], ["PA"]]  # by name: Pennsylvania
    text = detail_text(qtbot, window)
    assert "State: PA change" in text
    lines = fee_lines(text)
    rr = lines.index("RR")
    assert lines[rr:rr + 6] == ["RR", "$20.04", "$41.18", "—", "—", "January 2030"]  # 0 ceiling: none
    ue = lines.index("UE KF")
    assert lines[ue:ue + 3] == ["UE KF", "$102.00", "$151.00"]
    assert "DMEPOS fee schedule, January 2030 (DMEPOS30_JAN.xlsx)" in text
    window.close()
    again = make_window()  # a restart: the state is remembered
    assert "$20.04" in open_code(qtbot, again, "E0431")


def test_the_state_is_chosen_by_its_name_or_its_postal_code_from_the_menu_too(qtbot, window):
    open_code(qtbot, window, "E0431")
    labels = []

    def choose(dialog):
        labels.extend(dialog.list.item(row).text() for row in range(dialog.list.count()))
        qtbot.keyClicks(dialog.filterEdit, "tx")
        qtbot.keyClick(dialog.filterEdit, Qt.Key.Key_Return)

    when_shown(StateDialog, choose)
    window.paymentStateAction.trigger()
    assert labels == ["Alabama (AL)", "Pennsylvania (PA)", "Texas (TX)"]
    assert window.state.payment_state() == "TX" and "State: TX change" in detail_text(qtbot, window)

    def cancel(dialog):
        qtbot.keyClicks(dialog.filterEdit, "ala")
        qtbot.keyClick(dialog.filterEdit, Qt.Key.Key_Escape)

    when_shown(StateDialog, cancel)
    window.paymentStateAction.trigger()
    assert window.state.payment_state() == "TX"  # Esc chose nothing


def test_ceiling_floor_not_on_the_schedule_and_no_section(qtbot, window):
    window.state.set_payment_state("TX")
    lines = fee_lines(open_code(qtbot, window, "A4233"))
    row = lines.index("$11.50")
    assert lines[row:row + 4] == ["$11.50", "$12.50", "$12.50", "$10.63"]
    assert "DMEPOS: not on the DMEPOS fee schedule." in open_code(qtbot, window, "E0100")
    assert "Medicare payment" not in open_code(qtbot, window, "G0001")  # no fee schedule kind, no facts
    assert "Medicare payment" not in open_code(qtbot, window, "A0428")  # transport: no DMEPOS kind either


def test_a_state_setting_the_window_cannot_use_is_dropped(qtbot, make_window):
    QSettings().setValue("paymentState", "Pennsylvania")
    window = make_window()
    assert "State: none chosen" in open_code(qtbot, window, "E0431")
    assert QSettings().value("paymentState") is None


def test_mue_per_setting_with_indicator_and_rationale(qtbot, window):
    lines = fee_lines(open_code(qtbot, window, "E0431"))
    row = lines.index("DME Supplier Services")
    assert lines[row:row + 4] == ["DME Supplier Services", "1", "3 Date of Service Edit: Clinical",
                                  "Nature of Equipment"]
    row = lines.index("Practitioner Services")
    assert lines[row:row + 4] == ["Practitioner Services", "0", "2 Date of Service Edit: Policy", "CMS Policy"]


@pytest.mark.parametrize("width", [800, 1000, 1042, 1063, 1180, 1196, 1365, 1400])
def test_the_payment_tables_fit_the_pane_without_a_horizontal_scroll_bar(qtbot, window, width):
    window.state.set_payment_state("PA")
    window.resize(width, 760)
    for code in ("E0431", "J1650"):
        open_code(qtbot, window, code)
        scroll = window.detailView.horizontalScrollBar()
        assert scroll.maximum() == 0 and not scroll.isVisible(), (code, window.detailView.viewport().width())


@pytest.mark.parametrize("zoom", [0, 4])
def test_an_ndc_is_never_broken_across_lines_in_a_narrow_pane(qtbot, window, zoom):
    window.resize(800, 600)
    for _ in range(zoom):
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    open_code(qtbot, window, "J1650")
    whole = {f"12345-0{i:03d}-10" for i in range(5)}
    lines = {}
    block = window.detailView.document().begin()
    while block.isValid():
        if block.text() in whole:
            lines[block.text()] = block.layout().lineCount()
        block = block.next()
    assert lines == dict.fromkeys(whole, 1)


def test_a_page_really_wider_than_the_pane_still_scrolls_sideways(qtbot):
    from hcpcs_desktop.ui.detail_view import DetailView

    view = DetailView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    view.setHtml('<table width="900"><tr><td>a table of figures wider than the pane</td></tr></table>')
    qtbot.waitUntil(lambda: view.horizontalScrollBar().isVisible())
    assert view.horizontalScrollBar().maximum() > 400


# Drug codes ----------------------------------------------------------------------------------------


def test_drug_limit_and_a_folded_list_of_ndcs(qtbot, window):
    text = open_code(qtbot, window, "J1650")
    lines = fee_lines(text)
    row = lines.index("$1.250")
    assert lines[row:row + 5] == ["$1.250", "10 MG", "20%", "invented note", "January 1, 2030 - March 31, 2030"]
    assert "NDCs billed under it (7, January 1, 2030 - March 31, 2030)" in text
    assert "12345-0004-10" in text and "12345-0005-10" not in text
    click_link(qtbot, window.detailView, "payment:ndcs")
    qtbot.waitUntil(lambda: "12345-0006-10" in window.detailView.toPlainText())
    click_link(qtbot, window.detailView, "payment:ndcs")
    qtbot.waitUntil(lambda: "12345-0006-10" not in window.detailView.toPlainText())


# NDC -> code --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["12345-0003-10", "12345-003-10", "12345000310", "1234500310", "NDC 12345-0003-10"])
def test_an_ndc_in_any_form_lists_its_code(qtbot, window, typed):
    type_query(qtbot, window, typed)
    assert shown_codes(window) == ["J1650"]
    assert window.pane.countLabel.text() == (
        "NDC 12345-0003-10 → J1650, 4 units per item (size 0.4), 40 units per package of 10 "
        "(ASP NDC-HCPCS crosswalk, January 1, 2030 - March 31, 2030)")


def test_a_4_4_2_ndc_and_one_no_crosswalk_lists(qtbot, window):
    type_query(qtbot, window, "0123-4567-89")
    assert shown_codes(window) == ["J1200"]
    type_query(qtbot, window, "99999-9999-99")
    assert shown_codes(window) == []
    assert window.pane.countLabel.text() == "NDC 99999-9999-99: no NDC–HCPCS crosswalk in this database lists it"


def test_a_code_priced_by_newer_files_than_the_release_says_so(qtbot, window):
    type_query(qtbot, window, "J0999")
    assert shown_codes(window) == []
    assert window.pane.countLabel.text() == (
        "No match · J0999: priced from April 2030; not in the January 2030 release")
    type_query(qtbot, window, "J1650 J0999 J0998")
    assert window.pane.countLabel.text() == (
        "1 code · not in this release: J0998 · J0999: priced from April 2030; not in the January 2030 release")
    type_query(qtbot, window, "J1650 J0998")
    assert window.pane.countLabel.text() == "1 code · not in this release: J0998"


def test_a_database_without_payment_files_has_no_section(qtbot, make_window, sample_db):
    window = make_window(sample_db)
    text = open_code(qtbot, window, "E0431")
    assert "E0431" in text and "Medicare payment" not in text


# The real files ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_db(releases_dir, tmp_path_factory):
    payment = releases_dir.parent / "payment"
    real_file(payment, "dmepos/DMEPOS26_JAN.xlsx")
    db = tmp_path_factory.mktemp("payment_window_real") / "hcpcs.sqlite"
    build_database(real_file(releases_dir, "2025-oct/HCPC2025_OCT_ANWEB.xlsx"), db,
                   layout=real_file(releases_dir, "2026-jan/HCPC2026_recordlayout.txt"),
                   notes=real_file(releases_dir, "2026-jan/proc_notes_JAN2026.txt"), payment=payment)
    return db


def test_real_e0601_rental_in_pennsylvania(qtbot, make_window, real_db):
    window = make_window(real_db)
    window.state.set_payment_state("PA")
    lines = fee_lines(open_code(qtbot, window, "E0601"))
    row = lines.index("January 2026") - 5
    assert lines[row:row + 6] == ["RR", "$50.04", "$91.18", "—", "—", "January 2026"]


def test_real_j2405_limits_and_ndc(qtbot, make_window, real_db):
    window = make_window(real_db)
    lines = fee_lines(open_code(qtbot, window, "J2405"))
    assert lines[lines.index("$0.093"):][:5] == ["$0.093", "1 MG", "20%", "—", "January 1, 2026 - March 31, 2026"]
    assert lines[lines.index("$0.091"):][:5] == ["$0.091", "1 MG", "20%", "—", "October 1, 2025 - December 31, 2025"]
    type_query(qtbot, window, "00409-0009-25")
    assert shown_codes(window) == ["J2405"]
    assert window.pane.countLabel.text().startswith("NDC 00409-0009-25 → J2405, 4 units per item")


def test_real_j1650_units_and_amount_allowed(qtbot, make_window, real_db):
    window = make_window(real_db)
    open_code(qtbot, window, "J1650")
    qtbot.mouseClick(window.unitsLine.doseEdit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.unitsLine.doseEdit, "40 mg")
    text = window.unitsLine.unitsLabel.text()
    assert text.startswith("40 mg ÷ 10 mg = 4 units × $")
    assert text.endswith(" allowed (Part B payment limit, July 1, 2026 - September 30, 2026)")
    limits = window.unitsLine.limitsLabel
    assert limits.text() == "MUE 30 a day (Outpatient Hospital, Practitioner); none billable (DME Supplier)"
    qtbot.keyClick(window.unitsLine.doseEdit, Qt.Key.Key_Home)
    qtbot.keyClicks(window.unitsLine.doseEdit, "3")  # 340 mg
    assert limits.text() == "⚠ 34 units is over the MUE: 30 a day (Outpatient Hospital, Practitioner)"


def test_a_date_of_service_picks_the_payment_quarter_in_effect_then_and_says_so(qtbot, window):
    open_code(qtbot, window, "J1650")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.serviceDate.edit, "02/15/2030")
    qtbot.keyClick(window.serviceDate.edit, Qt.Key.Key_Return)
    text = " ".join(detail_text(qtbot, window).split())
    assert ("Payment facts for the date of service 2030-02-15: Part B drug payment limit file, January 1, 2030 - "
            "March 31, 2030 (in effect then)") in text
    window.serviceDate.edit.clear()
    qtbot.keyClicks(window.serviceDate.edit, "2031-03-01")
    qtbot.keyClick(window.serviceDate.edit, Qt.Key.Key_Return)
    text = " ".join(detail_text(qtbot, window).split())
    assert "(the newest: no file here covers that date)" in text


def test_the_headings_of_a_payment_table_never_run_together(qtbot, window):
    open_code(qtbot, window, "E0431")
    view = window.detailView
    detail_text(qtbot, window)

    def edge(word, end):  # where `word`, a heading of the fee table, starts or ends on screen
        cursor = view.document().find(word)
        cursor.setPosition(cursor.selectionEnd() if end else cursor.selectionStart())
        return view.cursorRect(cursor).center().x()

    assert edge("Period", end=False) - edge("Floor", end=True) >= 10


def test_the_fee_rows_of_the_modifier_typed_come_first_and_every_states_fees_unfold(qtbot, window):
    open_code(qtbot, window, "E0431")
    choose_state(qtbot, window, "penn")
    lines = fee_lines(detail_text(qtbot, window))
    assert lines.index("RR") < lines.index("UE KF")  # as the fee schedule lists them
    type_query(qtbot, window, "E0431-UE")
    text = detail_text(qtbot, window)
    lines = fee_lines(text)
    assert window.current_code() == "E0431" and "rows with UE first" in text
    assert lines.index("UE KF") < lines.index("RR")
    assert lines[lines.index("UE KF"):lines.index("UE KF") + 3] == ["UE KF", "$102.00", "$151.00"]

    click_link(qtbot, window.detailView, "payment:states")
    text = detail_text(qtbot, window)
    every = fee_lines(text.split("Every state's DMEPOS fees (January 2030)")[1].split("Medically Unlikely")[0])
    assert every[:4] == ["State", "Non-rural", "Rural", "UE KF"]  # the typed modifier's rows only
    assert every[4:13] == ["Alabama (AL)", "$101.00", "$150.00", "Pennsylvania (PA)", "$102.00", "$151.00",
                           "Texas (TX)", "$103.00", "$152.00"]
    assert "RR" not in every
    type_query(qtbot, window, "E0431")  # no modifier typed: every row's states
    assert "Every state's DMEPOS fees" not in detail_text(qtbot, window)  # folded again with the new search
    click_link(qtbot, window.detailView, "payment:states")
    every = fee_lines(detail_text(qtbot, window).split("Every state's DMEPOS fees")[1])
    assert "RR" in every and "UE KF" in every
    click_link(qtbot, window.detailView, "payment:states")
    assert "Every state's DMEPOS fees" not in detail_text(qtbot, window)


def test_real_j1030_suggests_j1010(qtbot, make_window, real_db):
    window = make_window(real_db)
    first_line = open_code(qtbot, window, "J1030").strip().splitlines()[0]
    assert first_line == ("✖ Terminated 2024-03-31 · Suggested, not a CMS cross reference: "
                          "J1010 Inj, methylpred acetate 1 mg")


# A damaged payment table: the problem page and its one line, never an exception in the window ----

PAYMENT_DAMAGES = {
    "a payment table dropped": ("DROP TABLE mue", "the table mue is missing"),
    "a payment column dropped": ("ALTER TABLE drug_limits DROP COLUMN coinsurance",
                                 "table drug_limits has no column coinsurance"),
    "a fee row of the wrong size": ("UPDATE dmepos_fees SET fees = x'00'", "a DMEPOS fee row of 1 bytes for 3 states"),
    "a fee row of the wrong type": ("UPDATE dmepos_fees SET fees = 12", "a DMEPOS fee row of a int for 3 states"),
    "text in a number column": ("UPDATE drug_limits SET payment_limit = 'lots'",
                                "'lots' as a payment limit, where a number belongs"),
    "states that are no JSON": ("UPDATE payment_files SET columns = '[\"AL\"'", "which is no JSON list"),
    "rows of a file not listed": ("UPDATE drug_limits SET file_id = 99", "rows of a payment file it does not list"),
    "a drug name that is no text": ("UPDATE ndc_codes SET drug_name = x'00'", "b'\\x00' as a"),
}
CODE_OF = {"a fee row of the wrong size": "E0431", "a fee row of the wrong type": "E0431",
           "states that are no JSON": "E0431"}


def _damaged(payment_db, tmp_path, name) -> Path:
    import shutil
    import sqlite3

    path = Path(shutil.copy(payment_db, tmp_path / "damaged.sqlite"))
    conn = sqlite3.connect(path)
    conn.execute(PAYMENT_DAMAGES[name][0])
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("name", PAYMENT_DAMAGES)
def test_a_damaged_payment_table_is_one_line_for_show(capsys, payment_db, tmp_path, name):
    from hcpcs_desktop.cli import main

    path = _damaged(payment_db, tmp_path, name)
    code = main(["show", CODE_OF.get(name, "J1650"), "--db", str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith(f"error: {path}") and PAYMENT_DAMAGES[name][1] in line and "build it again" in line


@pytest.mark.parametrize("name", PAYMENT_DAMAGES)
def test_a_damaged_payment_table_shows_the_problem_page_in_the_window(qtbot, make_window, payment_db, tmp_path, name):
    path = _damaged(payment_db, tmp_path, name)
    window = make_window(path)
    if window.session.problem is None:  # what the open check cannot see, a code's page meets
        type_query(qtbot, window, CODE_OF.get(name, "J1650"))
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.problemView)
    text = window.problemView.toPlainText()
    assert str(path) in text and PAYMENT_DAMAGES[name][1] in text



# The printed page and the PDF: everything the screen shows ------------------------------------------


def screen_lines(qtbot, window) -> list[str]:
    """Each line of the code page and of the units line as the coder reads them on the screen, without
    what only a screen has: the words of links (copy, fold, choose a state …) and the hint on hovering."""
    view = window.detailView
    qtbot.waitUntil(lambda: not view.pending)
    text = list(view.toPlainText())
    for start, end, _ in view.links():  # a link's words end a line: what comes after it starts one
        text[start:end] = "\n" * (end - start)
    lines = ["".join(text).replace("\ufffc", " ").replace("\u2028", "\n")]
    if window.unitsLine.isVisible():
        lines += [window.unitsLine.doseEdit.text(), window.unitsLine.unitsLabel.text(),
                  window.unitsLine.limitsLabel.text()]
    said = [" ".join(line.split()).strip(" ·,") for block in lines for line in block.split("\n")]
    return [line for line in said if line and not line.startswith("Source: CMS HCPCS")]


def saved_pdf(qtbot, window, tmp_path, monkeypatch) -> str:
    """The text of the PDF that File → Save as PDF (Ctrl+Shift+P) writes of the code shown."""
    target = tmp_path / "page.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    text = unicodedata.normalize("NFKC", " ".join(page.extract_text() for page in pypdf.PdfReader(target).pages))
    return " ".join(text.split()).replace("( ", "(").replace(" )", ")")  # ligatures and italics as written


def test_the_pdf_carries_everything_the_screen_shows_of_a_drug_code_with_a_dose(qtbot, window, tmp_path,
                                                                                monkeypatch):
    open_code(qtbot, window, "J1650")
    qtbot.mouseClick(window.unitsLine.doseEdit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.unitsLine.doseEdit, "40 mg")
    shown = screen_lines(qtbot, window)
    assert ("40 mg ÷ 10 mg = 4 units × $1.25 = $5.00 allowed (Part B payment limit, January 1, 2030 - March 31, 2030)"
            in shown and "Inventoxaparin" in shown and "invented note" in shown)
    window.pane.searchBox.setFocus()
    printed = saved_pdf(qtbot, window, tmp_path, monkeypatch)
    assert [line for line in shown if line not in printed] == []
    assert printed.index("= 4 units") < printed.index("Payment & coverage")  # under the code's status
    assert "12345-0006-10" in printed  # every NDC: on the screen, 5 of the 7 until unfolded


def test_the_pdf_carries_the_dmepos_fees_of_the_state_chosen(qtbot, window, tmp_path, monkeypatch):
    window.state.set_payment_state("PA")
    open_code(qtbot, window, "E0431")
    shown = screen_lines(qtbot, window)
    assert "$20.04" in shown and "$41.18" in shown
    printed = saved_pdf(qtbot, window, tmp_path, monkeypatch)
    assert [line for line in shown if line not in printed] == []
    assert "DMEPOS fee schedule — State: PA" in printed and "RR $20.04 $41.18" in printed


def test_the_pdf_carries_the_verdict_on_the_date_of_service_of_a_terminated_code(qtbot, window, tmp_path,
                                                                                  monkeypatch):
    open_code(qtbot, window, "G0001")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.serviceDate.edit, "2013-02-15")
    qtbot.keyClick(window.serviceDate.edit, Qt.Key.Key_Return)
    shown = screen_lines(qtbot, window)
    verdict = next(line for line in shown if line.startswith("✖ Not valid on 2013-02-15"))
    window.pane.searchBox.setFocus()
    printed = saved_pdf(qtbot, window, tmp_path, monkeypatch)
    assert [line for line in shown if line not in printed] == []
    assert verdict in printed and "Terminated 2012-12-31" in printed


@pytest.mark.parametrize("code, dose", [("E0601", ""), ("J1650", "40 mg")])
def test_real_pages_print_what_the_screen_shows(qtbot, make_window, real_db, tmp_path, monkeypatch, code, dose):
    window = make_window(real_db)
    window.state.set_payment_state("PA")
    open_code(qtbot, window, code)
    if dose:
        qtbot.mouseClick(window.unitsLine.doseEdit, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(window.unitsLine.doseEdit, dose)
        window.pane.searchBox.setFocus()
    shown = screen_lines(qtbot, window)
    assert "Medicare payment" in shown
    printed = saved_pdf(qtbot, window, tmp_path, monkeypatch)
    assert [line for line in shown if line not in printed] == []


def test_real_j1650_units_line_prices_by_the_quarter_of_the_date_of_service(qtbot, make_window, real_db):
    window = make_window(real_db)
    open_code(qtbot, window, "J1650")
    qtbot.mouseClick(window.unitsLine.doseEdit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.unitsLine.doseEdit, "40 mg")
    assert window.unitsLine.unitsLabel.text().endswith("(Part B payment limit, July 1, 2026 - September 30, 2026)")
    qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.serviceDate.edit, "2025-11-15")
    qtbot.keyClick(window.serviceDate.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.unitsLine.unitsLabel.text().endswith(
        "(Part B payment limit, October 1, 2025 - December 31, 2025)"))
    assert window.unitsLine.doseEdit.text() == "40 mg"  # the dose typed stays
