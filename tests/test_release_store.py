"""The store of releases: one database per release, named by its date, imported in any order.

An import builds the release and names it by its release date; it refuses, changing
nothing, the very same data again or a broken file; another file of a stored release
date replaces the earlier one and says so. Imports are locked against each other, and
the store remembers the release the user last chose.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading

import platformdirs
import pytest
from filelock import FileLock

from hcpcs_desktop.cli import main
from hcpcs_desktop.data import build
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import load_code, open_database, release_info
from hcpcs_desktop.data.errors import ReleaseError
from hcpcs_desktop.data.release_store import ReleaseStore, StoreBusy, StoredRelease
from release_files import SAMPLE_RECORDS, record, truncated_lines, write_layout, write_notes, write_txt

from conftest import REPO_ROOT, real_file


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Three release files of SAMPLE_RECORDS (January, April and July 2030), with layout and notes."""
    folder = tmp_path_factory.mktemp("releases")
    return {
        "layout": write_layout(folder / "HCPC2030_recordlayout.txt"),
        "notes": write_notes(folder / "proc_notes_JAN2030.txt"),
        **{month: write_txt(folder / f"HCPC2030_{month}_ANWEB.txt", SAMPLE_RECORDS) for month in ("JAN", "APR", "JUL")},
    }


def store_in(folder) -> ReleaseStore:
    """A store in `folder` that knows no database besides its own."""
    return ReleaseStore(folder, extra=())


def import_(store, releases, month):
    return store.import_release(releases[month], layout=releases["layout"], notes=releases["notes"])


def folder_state(folder) -> dict[str, bytes]:
    """Every file and folder under `folder` (relative names, file bytes), to show that nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in folder.rglob("*")}


# Listing ------------------------------------------------------------------------------------------


def test_an_empty_store_knows_no_release(tmp_path):
    store = store_in(tmp_path / "releases")
    assert store.releases() == []
    assert store.newest() is None


def test_default_folder_is_releases_in_the_user_data_folder():
    assert ReleaseStore().folder == platformdirs.user_data_path("hcpcs-desktop", appauthor=False) / "releases"


def test_import_names_the_database_by_its_release_date(tmp_path, releases):
    store = store_in(tmp_path)
    stored = import_(store, releases, "APR")
    assert stored.release == StoredRelease("April 2030", "2030-04-01", tmp_path / "2030-04-01.sqlite")
    assert (stored.name, stored.path, stored.replaced) == ("April 2030", tmp_path / "2030-04-01.sqlite", None)
    assert stored.release.file_name == "HCPC2030_APR_ANWEB.txt" and len(stored.release.data_sha256) == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "2030-04-01.sqlite"]


def test_releases_are_listed_oldest_first(tmp_path, releases):
    store = store_in(tmp_path)
    for month in ("JAN", "APR", "JUL"):
        import_(store, releases, month)
    assert [(r.name, r.path.name) for r in store.releases()] == [
        ("January 2030", "2030-01-01.sqlite"),
        ("April 2030", "2030-04-01.sqlite"),
        ("July 2030", "2030-07-01.sqlite"),
    ]
    assert store.newest().release_date == "2030-07-01"


def test_dates_come_from_the_databases_not_the_file_names(tmp_path, releases):
    store = store_in(tmp_path)
    import_(store, releases, "APR")
    (tmp_path / "2030-04-01.sqlite").rename(tmp_path / "renamed.sqlite")
    assert [(r.release_date, r.path.name) for r in store.releases()] == [("2030-04-01", "renamed.sqlite")]


def test_extra_databases_join_the_list_in_date_order(tmp_path, releases, sample_db):
    store = ReleaseStore(tmp_path / "store", extra=[sample_db, tmp_path / "missing.sqlite", None])
    import_(store, releases, "APR")
    assert [(r.release_date, r.path) for r in store.releases()] == [
        ("2030-01-01", sample_db),
        ("2030-04-01", tmp_path / "store" / "2030-04-01.sqlite"),
    ]


def test_the_stores_own_copy_of_a_release_comes_before_an_extra_database(tmp_path, releases, sample_db):
    store = ReleaseStore(tmp_path / "store", extra=[sample_db])  # sample_db is January 2030 too
    build_database(releases["JAN"], tmp_path / "store" / "2030-01-01.sqlite")
    assert [r.path for r in store.releases()] == [tmp_path / "store" / "2030-01-01.sqlite"]


def test_a_file_that_is_not_a_release_database_is_skipped(tmp_path, releases):
    store = store_in(tmp_path)
    import_(store, releases, "JAN")
    (tmp_path / "notes.sqlite").write_bytes(b"not a database")
    assert [r.path.name for r in store.releases()] == ["2030-01-01.sqlite"]


def test_a_release_is_found_by_date_or_name(tmp_path, releases):
    store = store_in(tmp_path)
    import_(store, releases, "JAN")
    assert store.find("2030-01-01").name == "January 2030"
    assert store.find("january 2030").release_date == "2030-01-01"
    assert store.find("2030-04-01") is None


def test_import_reports_progress_to_the_end(tmp_path, releases):
    seen = []
    store_in(tmp_path).import_release(releases["JAN"], progress=lambda fraction, message: seen.append(fraction))
    assert seen[0] == 0.0 and seen[-1] == 1.0


# Refusals ---------------------------------------------------------------------------------------


@pytest.fixture
def store_with_april(tmp_path, releases):
    """A store holding April 2030, and its files before the refused import."""
    store = store_in(tmp_path / "store")
    import_(store, releases, "APR")
    return store, folder_state(store.folder)


def test_an_older_release_is_imported_after_a_newer_one(store_with_april, releases):
    store, _ = store_with_april
    stored = import_(store, releases, "JAN")
    assert (stored.name, stored.replaced) == ("January 2030", None)
    assert [r.release_date for r in store.releases()] == ["2030-01-01", "2030-04-01"]


def test_the_very_same_file_twice_is_refused_and_nothing_changes(store_with_april, releases):
    store, before = store_with_april
    with pytest.raises(ReleaseError, match="April 2030 is already imported from the very same data "
                                           r"\(HCPC2030_APR_ANWEB.txt, .*\); nothing was changed"):
        import_(store, releases, "APR")
    assert folder_state(store.folder) == before


def test_a_republication_of_the_same_quarter_replaces_the_earlier_one_and_says_so(store_with_april, tmp_path):
    store, _ = store_with_april
    earlier = store.find("2030-04-01")
    corrected = [rec for rec in SAMPLE_RECORDS if rec["code"] != "S9353"]
    stored = store.import_release(write_txt(tmp_path / "HCPC2030_APR_ANWEB_v2.txt", corrected))
    assert stored.replaced == earlier and stored.replaced.file_name == "HCPC2030_APR_ANWEB.txt"
    assert stored.path == earlier.path
    assert [(r.release_date, r.file_name) for r in store.releases()] == [("2030-04-01", "HCPC2030_APR_ANWEB_v2.txt")]
    assert load_code(open_database(stored.path), "S9353") is None
    assert sorted(p.name for p in store.folder.iterdir()) == [".lock", "2030-04-01.sqlite"]


def test_a_broken_release_is_refused_and_nothing_changes(store_with_april, tmp_path):
    store, before = store_with_april
    broken = write_txt(tmp_path / "HCPC2030_OCT_ANWEB.txt", SAMPLE_RECORDS, lines=truncated_lines(SAMPLE_RECORDS))
    with pytest.raises(ReleaseError, match="HCPC2030_OCT_ANWEB.txt"):
        store.import_release(broken)
    assert folder_state(store.folder) == before


def test_a_release_of_the_date_of_an_extra_database_supersedes_it_without_touching_it(tmp_path, releases,
                                                                                      sample_db):
    store = ReleaseStore(tmp_path / "store", extra=[sample_db])  # January 2030, built from the same data
    before = sample_db.read_bytes()
    fewer = [rec for rec in SAMPLE_RECORDS if rec["code"] != "S9353"]
    stored = store.import_release(write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", fewer))
    assert stored.replaced.path == sample_db and sample_db.read_bytes() == before
    assert [r.path for r in store.releases()] == [tmp_path / "store" / "2030-01-01.sqlite"]


# Command line -------------------------------------------------------------------------------------


@pytest.fixture
def no_user_files(tmp_path, monkeypatch):
    """No default database and no release folder of the user's for the command to find."""
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(tmp_path / "no-default.sqlite"))
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))


def test_import_command_stores_the_release(tmp_path, releases, capsys, no_user_files):
    store = tmp_path / "store"
    args = ["--store", str(store), "--layout", str(releases["layout"]), "--notes", str(releases["notes"])]
    assert main(["import", str(releases["JAN"]), *args]) == 0
    assert f"January 2030 stored as {store / '2030-01-01.sqlite'}" in capsys.readouterr().err
    assert [r.name for r in store_in(store).releases()] == ["January 2030"]


def test_import_command_reports_a_refusal_as_an_error(tmp_path, releases, capsys, no_user_files):
    import_(store_in(tmp_path / "store"), releases, "APR")
    assert main(["import", str(releases["APR"]), "--store", str(tmp_path / "store")]) == 1
    assert "April 2030 is already imported from the very same data" in capsys.readouterr().err


def test_import_command_says_what_it_replaced_and_where_the_layout_came_from(tmp_path, releases, capsys,
                                                                            no_user_files):
    import_(store_in(tmp_path / "store"), releases, "APR")
    odd = record("A9992", "A supply with a made-up classification", "Odd supply", betos="Q9Z")
    v2 = write_txt(tmp_path / "HCPC2030_APR_ANWEB_v2.txt", [*SAMPLE_RECORDS, odd])
    assert main(["import", str(v2), "--store", str(tmp_path / "store")]) == 0
    err = capsys.readouterr().err
    assert "April 2030 was already stored from HCPC2030_APR_ANWEB.txt: this file replaces it." in err
    assert ("The release carries no record layout and processing notes: taken from the stored April 2030 "
            "release.") in err
    assert "Coded values without a description: 1\n  betos: Q9Z\n" in err


def test_build_command_takes_layout_and_notes_from_the_database_it_replaces(tmp_path, releases, capsys,
                                                                           no_user_files, sample_db):
    output = tmp_path / "hcpcs.sqlite"
    output.write_bytes(sample_db.read_bytes())  # January 2030, with layout and notes
    assert main(["build-db", str(releases["JUL"]), "-o", str(output)]) == 0
    err = capsys.readouterr().err
    assert ("The release carries no record layout and processing notes: taken from the stored January 2030 "
            "release.") in err
    assert "Coded values without a description: 0" in err
    assert release_info(open_database(output))["name"] == "July 2030"


# Record layout and processing notes from the store ------------------------------------------------


def test_a_release_without_layout_and_notes_takes_them_from_the_newest_stored_database(tmp_path, releases):
    store = store_in(tmp_path / "store")
    import_(store, releases, "JAN")
    stored = store.import_release(releases["JUL"])  # the data file alone, as in a CMS zip
    assert (stored.report.layout_from, stored.report.notes_from) == ("January 2030", "January 2030")
    assert stored.report.undecoded == {}
    page = load_code(open_database(stored.path), "S9353")
    assert page["pricing_indicator_1"].meaning.startswith("Service not separately priced")
    assert page["coverage"].meaning == "Not payable by Medicare"
    assert page["processing_note"].meaning and page["pricing_indicator_1"].help
    roles = {f["role"]: f["name"] for f in release_info(open_database(stored.path))["source_files"]}
    assert roles == {"data": "HCPC2030_JUL_ANWEB.txt", "layout": "HCPC2030_recordlayout.txt",
                     "notes": "proc_notes_JAN2030.txt"}


def test_a_stored_database_without_layout_is_passed_over(tmp_path, releases, sample_db):
    bare = tmp_path / "bare.sqlite"
    build_database(releases["APR"], bare)
    report = build_database(releases["JUL"], tmp_path / "new.sqlite", documents_from=[bare, sample_db])
    assert (report.layout_from, report.notes_from, report.undecoded) == ("January 2030", "January 2030", {})


def test_a_value_the_reused_layout_does_not_know_is_reported(tmp_path, releases):
    store = store_in(tmp_path / "store")
    import_(store, releases, "JAN")
    odd = record("A9992", "A supply with a made-up classification and note", "Odd supply",
                 betos="Q9Z", processing_note="0999")
    stored = store.import_release(write_txt(tmp_path / "HCPC2030_OCT_ANWEB.txt", [*SAMPLE_RECORDS, odd]))
    assert stored.report.undecoded == {"betos": ["Q9Z"], "processing_note": ["0999"]}
    assert release_info(open_database(stored.path))["undecoded"] == 2


def test_the_real_october_2025_data_file_alone_is_decoded_with_the_stored_layout(tmp_path, releases_dir):
    """A real CMS zip carries no record layout: the layout and notes of a stored release serve."""
    store = store_in(tmp_path / "store")
    store.import_release(real_file(releases_dir, "2020-jan/2020-Alpha-Numeric-HCPCS-File.zip"),
                         layout=real_file(releases_dir, "2026-jan/HCPC2026_recordlayout.txt"),
                         notes=real_file(releases_dir, "2026-jan/proc_notes_JAN2026.txt"))
    stored = store.import_release(real_file(releases_dir, "2025-oct/HCPC2025_OCT_ANWEB.xlsx"))
    assert (stored.report.layout_from, stored.report.notes_from) == ("January 2020", "January 2020")
    assert stored.report.undecoded == {}
    conn = sqlite3.connect(stored.path)
    for column, table in (("pricing_indicator_1", "pricing_indicator"), ("coverage", "coverage")):
        blank = conn.execute(
            f"SELECT count(*) FROM codes c LEFT JOIN code_values v ON v.code_table = ? AND v.value = c.{column} "
            f"WHERE c.{column} != '' AND v.description IS NULL", (table,)).fetchone()[0]
        assert blank == 0, column
    # and an older release still goes in after it
    older = store.import_release(real_file(releases_dir, "2019-jan/2019-Alpha-Numeric-HCPCS-File.zip"))
    assert [r.release_date for r in store.releases()] == ["2019-01-01", "2020-01-01", "2025-10-01"]
    assert (older.report.layout_from, older.report.notes_from) == ("October 2025", None)  # 2019 has its notes


# Locking and leftovers ------------------------------------------------------------------------------


def test_an_import_waits_a_bounded_time_for_another_then_says_the_store_is_busy(tmp_path, releases):
    store = ReleaseStore(tmp_path / "store", extra=(), lock_timeout=0.2)
    import_(store, releases, "JAN")
    running = tmp_path / "store" / ".import-running"  # the scratch folder of the import holding the lock
    running.mkdir()
    before = folder_state(store.folder)
    with FileLock(tmp_path / "store" / ".lock"):
        with pytest.raises(StoreBusy, match="busy: another import into this folder did not finish within 0.2 s"):
            import_(store, releases, "APR")
    assert folder_state(store.folder) == before


def test_scratch_folders_of_killed_imports_are_removed_by_the_next_import(tmp_path, releases):
    store = store_in(tmp_path / "store")
    import_(store, releases, "JAN")
    leftover = tmp_path / "store" / ".import-k1ll3d"
    leftover.mkdir()
    (leftover / "release.sqlite").write_bytes(b"half written")
    import_(store, releases, "APR")
    assert sorted(p.name for p in store.folder.iterdir()) == [".lock", "2030-01-01.sqlite", "2030-04-01.sqlite"]


@pytest.fixture
def paused_import(tmp_path, releases, start_paused):
    """`import` of April 2030 into a store holding January 2030, paused while it reads the release."""
    store = store_in(tmp_path / "store")
    import_(store, releases, "JAN")
    env = {"HCPCS_RELEASES": str(tmp_path / "no-releases"), "HCPCS_DESKTOP_DB": str(tmp_path / "none.sqlite")}
    process = start_paused(["import", str(releases["APR"]), "--store", str(store.folder)], env)
    return process, store


def scratch_folders(store) -> list[str]:
    return [p.name for p in store.folder.glob(".import-*")]


def test_a_terminated_import_removes_its_scratch_folder(paused_import):
    process, store = paused_import
    assert len(scratch_folders(store)) == 1
    process.terminate()
    assert process.wait(timeout=30) == 143 and "Traceback" not in process.stderr.read()
    assert scratch_folders(store) == [] and [r.name for r in store.releases()] == ["January 2030"]


def test_an_interrupted_import_says_so_in_one_line(paused_import):
    process, store = paused_import
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 130
    assert process.stderr.read().splitlines()[-1] == "interrupted; nothing was changed"
    assert scratch_folders(store) == []


def test_the_next_import_waits_for_a_running_one_and_removes_what_a_killed_one_left(paused_import, releases):
    process, store = paused_import
    running = scratch_folders(store)
    with pytest.raises(StoreBusy):
        ReleaseStore(store.folder, extra=(), lock_timeout=0.3).import_release(releases["JUL"])
    assert scratch_folders(store) == running  # the running import's folder is left alone
    process.kill()
    process.wait()
    assert scratch_folders(store) == running  # kill -9 leaves it behind
    assert import_(store, releases, "APR").name == "April 2030"
    assert scratch_folders(store) == []


def test_two_imports_of_one_file_at_once_store_it_once(tmp_path, releases):
    results = []

    def run():
        try:
            results.append(import_(store_in(tmp_path / "store"), releases, "APR"))
        except ReleaseError as exc:
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [r for r in results if isinstance(r, ReleaseError)]
    assert len(results) == 2 and len(refused) == 1
    assert "already imported from the very same data" in str(refused[0])


def test_two_import_commands_at_once_one_stores_the_other_refuses(tmp_path, releases):
    env = {**os.environ, "HCPCS_DESKTOP_DB": str(tmp_path / "none.sqlite"), "HCPCS_RELEASES": str(tmp_path / "none")}
    command = [sys.executable, "-m", "hcpcs_desktop", "import", str(releases["APR"]), "--store", str(tmp_path / "s"),
               "--layout", str(releases["layout"]), "--notes", str(releases["notes"])]
    runs = [subprocess.Popen(command, cwd=REPO_ROOT, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = sorted((run.wait(timeout=120), run.stderr.read()) for run in runs)
    assert [code for code, _ in outcomes] == [0, 1]
    assert "stored as" in outcomes[0][1] and "already imported from the very same data" in outcomes[1][1]
    assert "Traceback" not in outcomes[0][1] + outcomes[1][1]


def test_a_failed_write_leaves_the_store_as_it_was(tmp_path, releases, monkeypatch):
    store = store_in(tmp_path / "store")
    import_(store, releases, "JAN")
    before = folder_state(store.folder)

    def disk_full(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(build, "_write", disk_full)
    with pytest.raises(ReleaseError, match=r"release.sqlite: cannot write the database \(database or disk is "
                                           r"full\); the previous database is unchanged"):
        import_(store, releases, "APR")
    assert folder_state(store.folder) == before


# The release to open ------------------------------------------------------------------------------


def test_imported_releases_are_there_after_a_restart(tmp_path, releases, monkeypatch):
    monkeypatch.delenv("HCPCS_DESKTOP_DB", raising=False)
    import_(store_in(tmp_path / "store"), releases, "APR")
    restarted = store_in(tmp_path / "store")
    assert restarted.to_open().name == "April 2030"
    assert restarted.database_to_open() == tmp_path / "store" / "2030-04-01.sqlite"


def test_the_release_last_chosen_is_opened_else_the_newest(tmp_path, releases, monkeypatch):
    monkeypatch.delenv("HCPCS_DESKTOP_DB", raising=False)
    store = store_in(tmp_path / "store")
    for month in ("JAN", "APR"):
        import_(store, releases, month)
    assert store.chosen() is None and store.to_open().name == "April 2030"
    assert store.remember(tmp_path / "store" / "2030-01-01.sqlite")
    assert json.loads((tmp_path / "store" / "choice.json").read_text()) == {
        "path": str((tmp_path / "store" / "2030-01-01.sqlite").resolve())}
    assert store_in(tmp_path / "store").to_open().name == "January 2030"
    (tmp_path / "store" / "2030-01-01.sqlite").unlink()
    assert store.to_open().name == "April 2030"
    (tmp_path / "store" / "choice.json").write_text("{not json")
    assert store.to_open().name == "April 2030"


def test_the_database_named_by_the_environment_comes_first(tmp_path, releases, monkeypatch, sample_db):
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(sample_db))
    store = store_in(tmp_path / "store")
    import_(store, releases, "APR")
    assert store.database_to_open() == sample_db


def test_with_nothing_stored_the_default_database_path_is_given(tmp_path, monkeypatch):
    monkeypatch.delenv("HCPCS_DESKTOP_DB", raising=False)
    assert store_in(tmp_path / "store").database_to_open().name == "hcpcs.sqlite"
