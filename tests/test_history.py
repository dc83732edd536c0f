"""Earlier quarters carried inside a release's database as differences from it: "What changed", a
code's history and the date of service reach them as they reach releases stored beside, with
nothing imported. The three quarters here are generated; October 2025 and January 2026 carried
inside April 2026 are checked against CMS's transaction reports in test_changes_real."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from conftest import open_window
from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.changes import code_history, compare
from hcpcs_desktop.data.errors import ReleaseError
from hcpcs_desktop.data.release_store import ReleaseStore, read_releases
from hcpcs_desktop.data.validity import validity_on
from hcpcs_desktop.ui.changes_dialog import ChangesDialog
from release_files import SAMPLE_RECORDS, record, write_layout, write_notes, write_txt
from test_window import open_code

BY_CODE = {r["code"]: r for r in SAMPLE_RECORDS}
# Three quarters: October 2030 adds nothing; January 2031 terminates E0101, rewords S9353, reprices
# A4300 and adds E0110; April 2031 adds K0001, reinstates E0101 and drops G0476 from the file.
OCTOBER = SAMPLE_RECORDS
JANUARY = sorted([*(r for r in SAMPLE_RECORDS if r["code"] not in ("E0101", "S9353", "A4300")),
                  {**BY_CODE["E0101"], "termination_date": "20301231", "action_code": "D"},
                  {**BY_CODE["S9353"], "short_description": "Hit cont insulin per diem", "action_code": "S"},
                  {**BY_CODE["A4300"], "pricing_indicator_1": "13", "action_code": "P"},
                  record("E0110", "Forearm crutches, pair, with tips and handgrips", "Crutch forearm pair",
                         added_date="20310101", action_code="A")],
                 key=lambda r: (len(r["code"]) > 2, r["code"]))
APRIL = sorted([*(r for r in JANUARY if r["code"] not in ("E0101", "G0476")),
                {**BY_CODE["E0101"], "action_code": "R"},
                record("K0001", "Standard wheelchair for tests", "Standard wheelchair", added_date="20310401",
                       action_code="A")],
               key=lambda r: (len(r["code"]) > 2, r["code"]))
QUARTERS = {"2030-10-01": ("HCPC2030_OCT_ANWEB.txt", OCTOBER), "2031-01-01": ("HCPC2031_JAN_ANWEB.txt", JANUARY),
            "2031-04-01": ("HCPC2031_APR_ANWEB.txt", APRIL)}


@pytest.fixture(scope="module")
def quarters(tmp_path_factory):
    """{release date: (release file, database of its own)}, and the April database carrying the two
    earlier quarters."""
    folder = tmp_path_factory.mktemp("quarters")
    docs = {"layout": write_layout(folder / "layout.txt"), "notes": write_notes(folder / "notes.txt")}
    files, own = {}, {}
    for date, (name, records) in QUARTERS.items():
        (folder / date).mkdir()
        files[date] = write_txt(folder / date / name, records)
        own[date] = build_database(files[date], folder / f"{date}.sqlite", **docs).db_path
    carrying = build_database(files["2031-04-01"], folder / "carrying.sqlite", **docs,
                              earlier=[files["2030-10-01"], files["2031-01-01"]])
    return folder, files, own, carrying


def carried(quarters):
    return {r.release_date: r for r in read_releases(quarters[3].db_path)}


def test_a_database_carries_its_earlier_quarters_as_differences_only(quarters):
    _, _, _, carrying = quarters
    conn = sqlite3.connect(carrying.db_path)
    january = {(code, field) for code, field in conn.execute(
        "SELECT code, field FROM history_values WHERE release_date = '2031-01-01'")}
    g0476 = {("G0476", key) for key, value in BY_CODE["G0476"].items() if value}  # dropped from April: all of it
    assert january == {("E0101", "termination_date"), ("E0101", "action_code"), ("K0001", "")} | g0476
    assert carrying.earlier == {"October 2030": len(conn.execute("SELECT 1 FROM history_values WHERE release_date "
                                                                 "= '2030-10-01'").fetchall()),
                                "January 2031": len(january)}
    releases = carried(quarters)
    assert [(r.name, r.carried) for r in releases.values()] == [
        ("April 2031", False), ("October 2030", True), ("January 2031", True)]
    assert conn.execute("SELECT count(*) FROM codes").fetchone()[0] == len(APRIL)  # one copy of the codes
    assert conn.execute("SELECT procedures, modifiers, terminated FROM history_releases WHERE release_date = "
                        "'2031-01-01'").fetchone() == (17, 3, 2)


@pytest.mark.parametrize(("older", "newer"), [("2030-10-01", "2031-01-01"), ("2031-01-01", "2031-04-01"),
                                              ("2030-10-01", "2031-04-01"), ("2031-04-01", "2030-10-01")])
def test_what_changed_between_carried_quarters_is_what_their_own_databases_give(quarters, older, newer):
    _, _, own, _ = quarters
    releases = carried(quarters)
    assert compare(releases[older], releases[newer]) == compare(own[older], own[newer])


@pytest.mark.parametrize("code", ["E0101", "S9353", "A4300", "E0110", "G0476", "K0001", "GA"])
def test_a_codes_history_and_its_date_of_service_read_carried_quarters_as_their_own(quarters, code):
    _, _, own, _ = quarters
    releases = list(carried(quarters).values())
    assert code_history(releases, code) == code_history(list(own.values()), code)
    stored = ReleaseStore(quarters[0] / "no-store", extra=list(own.values())).releases()
    for day in ("2030-11-15", "2031-02-01", "2031-05-01"):
        date = dt.date.fromisoformat(day)
        ours, theirs = validity_on(releases, code, date), validity_on(stored, code, date)
        assert (ours.valid, ours.reason, ours.release.name, ours.in_release) == \
            (theirs.valid, theirs.reason, theirs.release.name, theirs.in_release)


def test_a_release_with_a_database_of_its_own_comes_before_the_one_carried(quarters, tmp_path):
    folder, _, own, carrying = quarters
    store = ReleaseStore(tmp_path / "store", extra=[carrying.db_path, own["2031-01-01"]])
    assert [(r.name, r.carried, r.path) for r in store.releases()] == [
        ("October 2030", True, carrying.db_path), ("January 2031", False, own["2031-01-01"]),
        ("April 2031", False, carrying.db_path)]


def test_importing_a_carried_quarter_gives_it_a_database_of_its_own(quarters, tmp_path):
    _, files, _, carrying = quarters
    store = ReleaseStore(tmp_path / "store", extra=[carrying.db_path])
    result = store.import_release(files["2031-01-01"])
    assert result.replaced is None and result.path == tmp_path / "store" / "2031-01-01.sqlite"
    assert [r.carried for r in store.releases()] == [True, False, False]


def test_only_earlier_releases_are_carried(quarters, tmp_path):
    _, files, _, _ = quarters
    with pytest.raises(ReleaseError) as caught:
        build_database(files["2031-01-01"], tmp_path / "x.sqlite", earlier=[files["2031-04-01"]])
    assert "April 2031 is not earlier than the release built" in str(caught.value)
    assert not (tmp_path / "x.sqlite").exists()


def test_build_db_carries_the_releases_of_the_year_before_found_beside(quarters, tmp_path, monkeypatch, capsys):
    folder, _, _, _ = quarters
    (folder / "2030-01-01").mkdir(exist_ok=True)
    write_txt(folder / "2030-01-01" / "HCPC2030_JAN_ANWEB.txt", OCTOBER)  # 15 months before: not carried
    monkeypatch.setenv("HCPCS_RELEASES", str(folder))
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(tmp_path / "default.sqlite"))
    assert main(["build-db", "-o", str(tmp_path / "hcpcs.sqlite")]) == 0
    err = capsys.readouterr().err
    carried_lines = [line for line in err.splitlines() if line.startswith("Carried as history: ")]
    assert [line.split(" (")[0] for line in carried_lines] == ["Carried as history: October 2030",
                                                               "Carried as history: January 2031"]
    assert main(["changes", "2031-01-01", "2031-04-01", "--db", str(tmp_path / "hcpcs.sqlite"),
                 "--store", str(tmp_path / "store")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("January 2031 -> April 2031: ") and "K0001" in out and "E0101 Reinstated" in out


def test_the_window_shows_what_changed_and_a_codes_history_with_only_one_database(qtbot, quarters, tmp_path,
                                                                                   settings_dir, monkeypatch):
    # Opened as `--db FILE` is: a database the store does not know counts as a known release.
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    db = quarters[3].db_path
    window = open_window(qtbot, db, ReleaseStore(tmp_path / "store", extra=[]))
    text = open_code(qtbot, window, "S9353")
    assert "History across releases" in text
    assert "Short description changed between October 2030 and January 2031" in " ".join(text.split())
    window.changesAction.trigger()
    dialog = window.findChild(ChangesDialog)
    assert [dialog.oldBox.itemText(i) for i in range(dialog.oldBox.count())] == [
        "October 2030", "January 2031", "April 2031"]  # each whole in its box
    assert all(box.fontMetrics().horizontalAdvance(box.currentText()) < box.width() - 20  # beside its arrow
               for box in (dialog.oldBox, dialog.newBox))
    assert {(c.code, c.kind) for c in dialog.changes} >= {("K0001", "added"), ("E0101", "reinstated"),
                                                           ("G0476", "terminated")}
    window.releasesMenu.aboutToShow.emit()
    assert [a.text() for a in window.releasesMenu.actions()] == ["April 2031 (2031-04-01)"]
    assert window.releasesMenu.actions()[0].isChecked()
    window.session.service_date = dt.date(2031, 2, 1)  # G0476 is in January 2031, dropped from April
    facts = window.session.validity("G0476")
    assert (facts.valid, facts.release.name, facts.in_release) == (True, "January 2031", True)


def test_show_on_a_date_counts_the_database_given_with_db_and_what_it_carries(quarters, tmp_path, monkeypatch,
                                                                              capsys):
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(tmp_path / "none.sqlite"))
    db = str(quarters[3].db_path)
    assert main(["show", "G0476", "--on", "2031-02-01", "--db", db, "--store", str(tmp_path / "store"),
                 "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert (facts["valid"], facts["release"]["name"], facts["in_release"]) == (True, "January 2031", True)
