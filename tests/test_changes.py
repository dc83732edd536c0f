"""Comparing two releases, and one code's history across several.

January 2030 is SAMPLE_RECORDS; April 2030 changes one thing of each kind (see APRIL);
July 2030 terminates L1830. The layout and notes decode the changed values.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile

import pytest
from PySide6.QtCore import Qt

from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.changes import (
    KINDS,
    NOT_COMPARED,
    VALUE_FIELDS,
    Change,
    ChangeKind,
    code_history,
    compare,
    counts,
    diff_text,
    filter_changes,
    is_database,
    to_csv,
    to_json,
    word_diff,
)
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.fields import FIELDS_BY_KEY
from release_files import (
    BETOS_TABLE,
    NOTES,
    SAMPLE_RECORDS,
    record,
    truncated_lines,
    write_layout,
    write_notes,
    write_txt,
    write_zip,
)

SAMPLES = {rec["code"]: rec for rec in SAMPLE_RECORDS}


def changed(code: str, **fields: str) -> dict:
    return {**SAMPLES[code], **fields}


APRIL_CHANGES = {
    # added
    "E0102": record("E0102", "Walking cane with a forearm cuff, adjustable height", "Cane w/ forearm cuff",
                    pricing_indicator_1="32", multiple_pricing_indicator="A", coverage="D", betos="D1E",
                    type_of_service_1="P", added_date="20300401", action_code="A"),
    # terminated; and RT is left out of the April release
    "E0105": changed("E0105", termination_date="20300331", action_effective_date="20300401", action_code="D"),
    # reinstated: its termination date removed; or only the action code R
    "G0001": changed("G0001", termination_date="", action_effective_date="20300401", action_code="R"),
    "J0121": changed("J0121", action_effective_date="20300401", action_code="R"),
    # reworded
    "A4355": changed("A4355", long_description="Irrigation tubing set for continuous bladder irrigation "
                                               "through three urinary catheters, per set", action_code="C"),
    "L1830": changed("L1830", short_description="Knee orthosis w/o joints otc", action_code="S"),
    # values
    "A4233": changed("A4233", coverage="C"),
    "E0431": changed("E0431", pricing_indicator_1="32"),
    "G0476": changed("G0476", betos="T1D"),
    "E0100": changed("E0100", type_of_service_1="P", type_of_service_2="R", type_of_service_3=""),
    "G0306": changed("G0306", processing_note="0121"),
    # every other field of the layout
    "G0260": changed("G0260", asc_date="20300401", opps_group="603", anesthesia_base_units="4"),
    "E0101": changed("E0101", cross_reference_1="E0100"),
    "G0511": changed("G0511", lab_certification_1="110"),
    "A4300": changed("A4300", mcm_reference_1="2130.1"),
    "S9353": changed("S9353", statute="1861"),
    "A4630": changed("A4630", added_date="19870101"),
}
APRIL = sorted([*(rec for code, rec in SAMPLES.items() if code not in APRIL_CHANGES and code != "RT"),
                *APRIL_CHANGES.values()], key=lambda rec: rec["code"])
JULY = [{**rec, "termination_date": "20300630", "action_code": "D"} if rec["code"] == "L1830" else rec
        for rec in APRIL]


@pytest.fixture(scope="module")
def dbs(tmp_path_factory) -> dict[str, object]:
    """The January, April and July 2030 databases, each built once."""
    folder = tmp_path_factory.mktemp("changes")
    docs = {"layout": write_layout(folder / "HCPC2030_recordlayout.txt"),
            "notes": write_notes(folder / "proc_notes_JAN2030.txt")}
    built = {}
    for month, records in (("JAN", SAMPLE_RECORDS), ("APR", APRIL), ("JUL", JULY)):
        release = write_txt(folder / f"HCPC2030_{month}_ANWEB.txt", records)
        built[month] = build_database(release, folder / f"{month}.sqlite", **docs).db_path
    return built


@pytest.fixture(scope="module")
def april(dbs) -> list[Change]:
    return compare(dbs["JAN"], dbs["APR"])


def only(changes, code, kind=None) -> Change:
    found = [c for c in changes if c.code == code and (kind is None or c.kind == kind)]
    assert len(found) == 1, found
    return found[0]


# Kinds of change ----------------------------------------------------------------------------------


def test_each_deliberate_difference_is_found_once(april):
    assert counts(april) == {
        "added": 1,
        "terminated": 2,
        "reinstated": 2,
        "long_description": 1,
        "short_description": 1,
        "coverage": 1,
        "pricing": 1,
        "betos": 1,
        "type_of_service": 1,
        "processing_note": 1,
        "asc_group": 1,
        "opps": 1,
        "cross_reference": 1,
        "lab_certification": 1,
        "manual_reference": 1,
        "statute": 1,
        "anesthesia_base_units": 1,
        "added_date": 1,
    }
    assert list(counts(april)) == list(KINDS)


def test_every_field_of_the_layout_is_compared_or_said_why_not():
    compared = {column for _, _, columns in VALUE_FIELDS for column in columns}
    assert compared | set(NOT_COMPARED) == set(FIELDS_BY_KEY)
    assert not compared & set(NOT_COMPARED)
    assert set(NOT_COMPARED) == {"code", "record_id", "long_description", "short_description", "termination_date",
                                 "action_code", "action_effective_date", "sequence_number"}


def test_kinds_are_an_enum_that_reads_as_its_name(april):
    change = only(april, "E0102")
    assert change.kind is ChangeKind.ADDED and change.kind == "added"
    assert {type(c.kind) for c in april} == {ChangeKind}


def test_changes_are_listed_in_code_order(april):
    assert [c.code for c in april] == [
        "A4233", "A4300", "A4355", "A4630", "E0100", "E0101", "E0102", "E0105", "E0431", "G0001",
        "G0260", "G0260", "G0260", "G0306", "G0476", "G0511", "J0121", "L1830", "RT", "S9353",
    ]


def test_a_code_whose_values_changed_in_several_fields_has_one_change_each_in_kind_order(april):
    assert [(c.kind, c.field, c.old, c.new, c.label) for c in april if c.code == "G0260"] == [
        ("asc_group", "asc_date", "2002-01-01", "2030-04-01", "ASC payment group effective date changed"),
        ("opps", "opps_group", "602", "603", "MOG/OPPS payment group changed"),
        ("anesthesia_base_units", "anesthesia_base_units", "3", "4", "Anesthesia base units changed"),
    ]


@pytest.mark.parametrize("code, kind, field, old, new, new_meaning", [
    ("E0101", "cross_reference", "cross_reference", "", "E0100", ""),
    ("G0511", "lab_certification", "lab_certification", "", "110", "Bacteriology"),
    ("A4300", "manual_reference", "mcm_reference", "2130", "2130.1", ""),
    ("S9353", "statute", "statute", "", "1861", ""),
    ("A4630", "added_date", "added_date", "1986-01-01", "1987-01-01", ""),
])
def test_fields_besides_payment_and_classification_are_compared(april, code, kind, field, old, new, new_meaning):
    change = only(april, code)
    assert (change.kind, change.field, change.old, change.new) == (kind, field, old, new)
    assert (change.old_meaning, change.new_meaning) == ("", new_meaning)


def test_a_release_compared_with_itself_has_no_changes(dbs):
    assert compare(dbs["APR"], dbs["APR"]) == []


def test_a_new_code_is_added_with_its_added_date(april):
    assert only(april, "E0102") == Change(
        "E0102", "added", "E", "Cane w/ forearm cuff", "added_date", "", "2030-04-01"
    )


def test_a_termination_date_newly_set_terminates_the_code(april):
    assert only(april, "E0105") == Change(
        "E0105", "terminated", "E", "Quad cane adjust/fixed tips", "termination_date", "", "2030-03-31"
    )


def test_a_code_missing_from_the_newer_release_is_terminated(april):
    assert only(april, "RT") == Change(
        "RT", "terminated", "modifier", "Right side of body", "termination_date", "", "",
        new_meaning="not in the newer release",
    )


def test_a_removed_termination_date_reinstates_the_code(april):
    assert only(april, "G0001") == Change(
        "G0001", "reinstated", "G", "Routine venous blood draw", "termination_date", "2012-12-31", ""
    )


def test_a_new_action_code_r_reinstates_a_code_terminated_and_reactivated_in_between(april, dbs):
    change = only(april, "J0121")
    assert (change.kind, change.field, change.old, change.new) == ("reinstated", "action_code", "N", "R")
    assert (change.old_meaning, change.new_meaning) == ("No maintenance for this code", "Discontinued code reactivated")
    # Still R in July, with the same effective date: not news any more.
    assert [(c.code, c.kind) for c in compare(dbs["APR"], dbs["JUL"])] == [("L1830", "terminated")]


def test_a_reworded_long_description_comes_with_a_word_diff(april):
    change = only(april, "A4355")
    assert (change.kind, change.old, change.new) == (
        "long_description",
        SAMPLES["A4355"]["long_description"],
        "Irrigation tubing set for continuous bladder irrigation through three urinary catheters, per set",
    )
    assert change.diff == (
        ("equal", "Irrigation tubing set for continuous bladder irrigation through"),
        ("delete", "two"),
        ("insert", "three"),
        ("equal", "urinary catheters,"),
        ("delete", "each"),
        ("insert", "per"),
        ("equal", "set"),
    )


def test_a_reworded_short_description_comes_with_a_word_diff(april):
    change = only(april, "L1830")
    assert (change.kind, change.old, change.new) == (
        "short_description", "Knee brace w/o joints otc", "Knee orthosis w/o joints otc"
    )
    assert diff_text(change.diff) == "Knee [-brace-] {+orthosis+} w/o joints otc"


@pytest.mark.parametrize("code, kind, field, old, new, old_meaning, new_meaning", [
    ("A4233", "coverage", "coverage", "D", "C",
     "Special coverage instructions apply", "Contractor decides coverage"),
    ("E0431", "pricing", "pricing_indicator", "33", "32",
     "Oxygen and oxygen equipment", "Low cost or routinely bought equipment"),
    ("G0476", "betos", "betos", "T1H", "T1D", BETOS_TABLE["T1H"], BETOS_TABLE["T1D"]),
    ("G0306", "processing_note", "processing_note", "0002", "0121", NOTES["0002"], NOTES["0121"]),
])
def test_a_changed_value_comes_with_its_meaning_in_each_release(april, code, kind, field, old, new,
                                                                   old_meaning, new_meaning):
    change = only(april, code)
    assert (change.kind, change.field, change.old, change.new) == (kind, field, old, new)
    assert (change.old_meaning, change.new_meaning) == (old_meaning, new_meaning)
    assert change.diff == ()


def test_repeated_types_of_service_are_compared_as_one_list(april):
    change = only(april, "E0100")
    assert (change.kind, change.field, change.old, change.new) == ("type_of_service", "type_of_service",
                                                                   "A, P, R", "P, R")
    assert change.old_meaning.startswith("A = Used durable medical equipment; P = Lump sum purchase")
    assert change.new_meaning.endswith("R = Rental of durable medical equipment")


def test_open_connections_compare_like_paths(april, dbs):
    plain = sqlite3.connect(dbs["JAN"])
    checked = open_database(dbs["APR"])
    try:
        assert compare(plain, checked) == april
    finally:
        plain.close()
        checked.close()


# Word diff ----------------------------------------------------------------------------------------


def test_word_diff_keeps_whole_words_and_marks_what_was_replaced():
    assert word_diff("Hit cont insulin diem", "Hit continuous insulin per diem") == [
        ("equal", "Hit"), ("delete", "cont"), ("insert", "continuous"), ("equal", "insulin"),
        ("insert", "per"), ("equal", "diem"),
    ]


def test_word_diff_of_equal_or_empty_texts():
    assert word_diff("Same words", "Same  words") == [("equal", "Same words")]
    assert word_diff("", "New text") == [("insert", "New text")]


# Counting, filtering, exporting -------------------------------------------------------------------


def test_filters_keep_the_kinds_and_sections_asked_for(april):
    assert [c.code for c in filter_changes(april, kinds=["terminated", "reinstated"])] == [
        "E0105", "G0001", "J0121", "RT"]
    assert [c.code for c in filter_changes(april, sections=["e"])] == ["E0100", "E0101", "E0102", "E0105", "E0431"]
    assert [c.code for c in filter_changes(april, sections=["modifier"])] == ["RT"]
    assert [c.code for c in filter_changes(april, kinds=["added"], sections=["G"])] == []
    assert filter_changes(april) == april


def test_csv_has_one_row_per_change_with_meanings_and_a_plain_text_diff(april):
    rows = list(csv.DictReader(io.StringIO(to_csv(april))))
    assert len(rows) == len(april)
    row = next(r for r in rows if r["code"] == "L1830")
    assert row == {
        "code": "L1830", "kind": "short_description", "section": "L",
        "description": "Knee orthosis w/o joints otc", "field": "short_description",
        "old": "Knee brace w/o joints otc", "old_meaning": "",
        "new": "Knee orthosis w/o joints otc", "new_meaning": "",
        "diff": "Knee [-brace-] {+orthosis+} w/o joints otc",
    }


def test_json_keeps_every_field_and_the_diff_as_pairs(april):
    loaded = json.loads(to_json(april))
    assert [item["code"] for item in loaded] == [c.code for c in april]
    short = next(item for item in loaded if item["code"] == "L1830")
    assert short["diff"] == [["equal", "Knee"], ["delete", "brace"], ["insert", "orthosis"],
                             ["equal", "w/o joints otc"]]
    assert next(item for item in loaded if item["code"] == "A4233")["new_meaning"] == "Contractor decides coverage"


# History of one code ------------------------------------------------------------------------------


def history(dbs, code):
    """(date, kind, text) of `code` across the three releases, given newest first."""
    return [(e.date, e.kind, e.text) for e in code_history([dbs["JUL"], dbs["APR"], dbs["JAN"]], code)]


def test_history_lists_the_added_date_then_each_change_oldest_first(dbs):
    assert history(dbs, "l1830") == [
        ("1982-01-01", "added", "Added 1982-01-01"),
        ("2030-04-01", "short_description",
         "Short description changed between January 2030 and April 2030 "
         "from “Knee brace w/o joints otc” to “Knee orthosis w/o joints otc”"),
        ("2030-06-30", "terminated", "Terminated 2030-06-30"),
    ]


def test_history_of_a_value_change_gives_both_meanings(dbs):
    assert history(dbs, "A4233")[-1] == (
        "2030-04-01", "coverage",
        "Coverage changed between January 2030 and April 2030 from “D” (Special coverage instructions apply) "
        "to “C” (Contractor decides coverage)",
    )


def test_history_of_a_code_terminated_and_reinstated(dbs):
    assert history(dbs, "G0001") == [
        ("1990-01-01", "added", "Added 1990-01-01"),
        ("2012-12-31", "terminated", "Terminated 2012-12-31"),
        ("2030-04-01", "reinstated", "Reinstated between January 2030 and April 2030"),
    ]


def test_history_of_a_code_added_in_a_later_release_or_dropped(dbs):
    assert history(dbs, "E0102") == [("2030-04-01", "added", "Added 2030-04-01")]
    assert history(dbs, "RT") == [
        ("1984-01-01", "added", "Added 1984-01-01"),
        ("2030-04-01", "terminated", "Dropped from the April 2030 release"),
    ]


def test_history_of_an_unknown_code_is_empty(dbs):
    assert history(dbs, "Z9999") == []


def test_history_with_bytes_where_an_earlier_release_has_text_is_damage_said_in_one_line(dbs, tmp_path):
    damaged = tmp_path / "JAN.sqlite"
    damaged.write_bytes(dbs["JAN"].read_bytes())
    with sqlite3.connect(damaged) as conn:
        conn.execute("UPDATE codes SET coverage = X'00ff' WHERE code = 'A4233'")
    with pytest.raises(sqlite3.DatabaseError, match="holds b'"):
        code_history([damaged, dbs["APR"]], "A4233")


def test_history_events_carry_the_change_they_come_from(dbs):
    event = code_history([dbs["JAN"], dbs["APR"]], "L1830")[-1]
    assert event.change == only(compare(dbs["JAN"], dbs["APR"]), "L1830")


# Command line -------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path, dbs, monkeypatch):
    """A store folder holding the January and April databases, and no default database."""
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(tmp_path / "no-default.sqlite"))
    folder = tmp_path / "store"
    folder.mkdir()
    for month, date in (("JAN", "2030-01-01"), ("APR", "2030-04-01")):
        (folder / f"{date}.sqlite").write_bytes(dbs[month].read_bytes())
    return folder


def test_changes_command_prints_counts_then_each_change(store, capsys):
    assert main(["changes", "2030-01-01", "April 2030", "--store", str(store)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "January 2030 -> April 2030: 20 change(s)"
    assert "  Terminated                          2" in out
    assert "  Anesthesia base units changed       1" in out
    assert "L1830 Short description changed           Knee [-brace-] {+orthosis+} w/o joints otc" in out
    assert "A4233 Coverage changed                    D (Special coverage instructions apply) -> " \
           "C (Contractor decides coverage)" in out
    assert "RT    Terminated                          Right side of body (not in the newer release)" in out


def test_changes_command_takes_database_paths_and_filters(store, dbs, capsys):
    args = ["changes", str(dbs["JAN"]), str(dbs["APR"]), "--kind", "added", "--kind", "pricing", "--json"]
    assert main(args) == 0
    assert [(c["code"], c["kind"]) for c in json.loads(capsys.readouterr().out)] == [
        ("E0102", "added"), ("E0431", "pricing")]


def test_changes_command_writes_csv_for_one_section(store, capsys):
    assert main(["changes", "2030-01-01", "2030-04-01", "--csv", "--section", "modifier", "--store", str(store)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["code"], r["kind"], r["new_meaning"]) for r in rows] == [("RT", "terminated", "not in the newer release")]


def test_changes_command_names_the_releases_it_knows_when_one_is_missing(store, capsys):
    assert main(["changes", "2029-01-01", "2030-04-01", "--store", str(store)]) == 1
    assert capsys.readouterr().err == (
        "error: 2029-01-01 is neither a database or release file nor a stored release "
        "(known: 2030-01-01 (January 2030), 2030-04-01 (April 2030)).\n")


@pytest.fixture
def release_files(tmp_path, monkeypatch):
    """The January and April 2030 releases as files, and an empty temporary folder to watch."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    folder = tmp_path / "files"
    folder.mkdir()
    docs = {"layout": write_layout(folder / "HCPC2030_recordlayout.txt"),
            "notes": write_notes(folder / "proc_notes_JAN2030.txt")}
    january = write_txt(folder / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS)
    april_folder = folder / "HCPC2030_APR"
    april_folder.mkdir()
    april_txt = write_txt(april_folder / "HCPC2030_APR_ANWEB.txt", APRIL)
    april_zip = write_zip(folder / "HCPC2030_APR.zip", {"HCPC2030_APR_ANWEB.txt": april_txt,
                                                         "HCPC2030_recordlayout.txt": docs["layout"],
                                                         "proc_notes_APR2030.txt": docs["notes"]})
    return {"JAN": january, "APR folder": april_folder, "APR zip": april_zip, "tmp": tmp_path / "tmp", **docs}


@pytest.mark.parametrize("april_as", ["APR folder", "APR zip"])
def test_changes_command_takes_release_files_and_removes_what_it_built(release_files, store, april, april_as, capsys):
    args = ["changes", str(release_files["JAN"]), str(release_files[april_as]), "--json", "--store", str(store)]
    assert main(args) == 0
    assert [(c["code"], c["kind"], c["old"], c["new"]) for c in json.loads(capsys.readouterr().out)] == [
        (c.code, c.kind, c.old, c.new) for c in april]
    assert list(release_files["tmp"].iterdir()) == []


def test_changes_command_mixes_a_release_file_a_database_and_a_stored_release(release_files, store, dbs, capsys):
    assert main(["changes", "January 2030", str(release_files["APR zip"]), "--store", str(store)]) == 0
    assert capsys.readouterr().out.startswith("January 2030 -> April 2030: 20 change(s)")
    assert main(["changes", str(release_files["APR zip"]), str(dbs["JAN"]), "--store", str(store)]) == 0
    # Backwards, J0121's action code R is not news: one change fewer.
    assert capsys.readouterr().out.startswith("April 2030 -> January 2030: 19 change(s)")


def test_changes_command_refuses_a_broken_release_file_in_one_line(release_files, store, tmp_path, capsys):
    broken = write_txt(tmp_path / "HCPC2030_APR_ANWEB.txt", APRIL, lines=truncated_lines(APRIL))
    assert main(["changes", str(release_files["JAN"]), str(broken), "--store", str(store)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and "HCPC2030_APR_ANWEB.txt" in err and len(err.splitlines()) == 1
    assert list(release_files["tmp"].iterdir()) == []


def test_a_database_is_told_from_a_release_file_by_its_header(dbs, release_files, tmp_path):
    assert is_database(dbs["JAN"])
    assert not is_database(release_files["JAN"]) and not is_database(release_files["APR zip"])
    assert not is_database(release_files["APR folder"]) and not is_database(tmp_path / "missing.sqlite")


# The "What changed" dialog ------------------------------------------------------------------------


@pytest.fixture
def dialog(qtbot, dbs):
    from hcpcs_desktop.data.release_store import StoredRelease
    from hcpcs_desktop.ui.changes_dialog import ChangesDialog

    shown = ChangesDialog([StoredRelease("January 2030", "2030-01-01", dbs["JAN"]),
                           StoredRelease("April 2030", "2030-04-01", dbs["APR"])])
    qtbot.addWidget(shown)
    return shown


def table(dialog, column=0) -> list[str]:
    return [dialog.proxy.index(row, column).data() for row in range(dialog.proxy.rowCount())]


def test_the_dialog_is_a_window_of_its_own_not_modal(dialog):
    assert not dialog.isModal()
    assert dialog.windowFlags() & Qt.WindowType.Window == Qt.WindowType.Window


def test_the_dialog_sorts_by_any_column(dialog, april):
    assert table(dialog) == [c.code for c in april]  # by code, each code's changes in the order of KINDS
    for column in range(dialog.proxy.columnCount()):
        dialog.view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        assert table(dialog, column) == sorted(table(dialog, column), key=str.casefold)
        dialog.view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
        assert table(dialog, column) == sorted(table(dialog, column), key=str.casefold, reverse=True)
    assert len(dialog.visible()) == len(april) and set(dialog.visible()) == set(april)


def test_the_dialog_filters_by_code_with_the_other_filters(dialog):
    dialog.codeFilter.setText("g0")
    assert table(dialog) == ["G0001", "G0260", "G0260", "G0260", "G0306", "G0476", "G0511"]
    dialog.codeFilter.setText("G0260")
    assert [c.kind for c in dialog.visible()] == ["asc_group", "opps", "anesthesia_base_units"]
    assert "3 changes" in dialog.countsLabel.text()
    dialog.kindBox.setCurrentIndex(dialog.kindBox.findData("opps"))
    assert [c.field for c in dialog.visible()] == ["opps_group"]
    dialog.codeFilter.setText("E01")
    assert table(dialog) == [] and dialog.countsLabel.text() == "No changes."
    dialog.codeFilter.clear()
    dialog.kindBox.setCurrentIndex(0)
    assert len(table(dialog)) == 20


def test_copying_takes_the_rows_shown_in_their_order(dialog):
    dialog.codeFilter.setText("E")
    dialog.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    dialog.copy_csv()
    from PySide6.QtGui import QGuiApplication

    rows = list(csv.DictReader(io.StringIO(QGuiApplication.clipboard().text())))
    assert [r["code"] for r in rows] == ["E0431", "E0105", "E0102", "E0101", "E0100"]


def test_choosing_a_code_emits_it_and_keeps_the_dialog_open(qtbot, dialog):
    dialog.show()
    dialog.codeFilter.setText("L1830")
    dialog.view.setCurrentIndex(dialog.proxy.index(0, 2))
    assert "L1830 Short description changed" in dialog.diffView.toPlainText()
    with qtbot.waitSignal(dialog.codeChosen) as chosen:
        dialog.openButton.click()
    assert chosen.args == ["L1830"]
    with qtbot.waitSignal(dialog.codeChosen) as chosen:
        dialog.view.doubleClicked.emit(dialog.proxy.index(0, 4))
    assert chosen.args == ["L1830"] and dialog.isVisible()
