"""Damaged databases: opening one, querying one and every command on one end in one line
naming the file and what is wrong, never a traceback.

Each damaged file is a copy of the database built from the generated sample release, then
damaged the way disks, copies and other programs damage files. `open_database` checks cheaply
on every open and thoroughly (`PRAGMA quick_check`, FTS5 integrity-check) on request; a damaged
page that only a query meets is turned into the same one-line error by the data and search
layers.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hcpcs_desktop.cli import main
from hcpcs_desktop.data import schema
from hcpcs_desktop.data.database import DatabaseError, load_code, open_database, release_info
from hcpcs_desktop.search import SearchEngine
from hcpcs_desktop.wording import age_text


def _sql(*statements: str):
    def damage(path: Path) -> None:
        conn = sqlite3.connect(path)
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()

    return damage


def _zeroed_root_page(table: str):
    """Zero the first page of `table` (its b-tree root), as a failed disk sector would."""

    def damage(path: Path) -> None:
        conn = sqlite3.connect(path)
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
        conn.close()
        data = bytearray(path.read_bytes())
        data[(root - 1) * page_size : root * page_size] = bytes(page_size)
        path.write_bytes(bytes(data))

    return damage


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # an interrupted copy or download


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(9).randbytes(path.stat().st_size))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _not_sqlite(path: Path) -> None:
    path.write_text("code,short_description\nE0100,Cane adjustable/fixed w/ tip\n", encoding="utf-8")


# name -> (how the copy is damaged, what the one line says, whether the cheap check on every open sees it)
DAMAGES = {
    "zeroed page of the codes": (_zeroed_root_page("codes"), "malformed", False),
    "zeroed page of the search index": (_zeroed_root_page("codes_fts_data"), "search index is damaged", True),
    "damaged search index": (
        _sql("UPDATE codes_fts_data SET block = zeroblob(length(block)) WHERE id > 10"), "malformed", False),
    "search index missing": (_sql("DROP TABLE codes_fts"), "search index codes_fts", True),
    "release row missing": (_sql("DELETE FROM release"), "no release row", True),
    "dropped column": (_sql("ALTER TABLE codes DROP COLUMN betos"), "table codes has no column betos", True),
    "newer schema version": (_sql(f"PRAGMA user_version = {schema.VERSION + 1}"), "newer HCPCS Desktop", True),
    "truncated file": (_truncated, "is truncated", True),
    "random bytes": (_random_bytes, "not a SQLite file", True),
    "empty file": (_empty, "is empty", True),
    "not a SQLite file": (_not_sqlite, "not a SQLite file", True),
    "a release date that is no date": (_sql("UPDATE release SET release_date = '2025-13-45'"),
                                       "release row names no release or date", True),
    "release counts that are no numbers": (_sql("UPDATE release SET procedures = 'many'"),
                                           "release row counts codes with what is no count", True),
}
# Commands that never read the part a damage hits give their normal output.
UNTOUCHED = {("damaged search index", "show"), ("damaged search index", "export")}
COMMANDS = ["search", "show", "export", "changes", "check"]


@pytest.fixture(scope="module")
def damaged(sample_db, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("damaged")
    paths = {}
    for number, (name, (damage, _, _)) in enumerate(DAMAGES.items()):
        path = folder / f"damaged-{number}.sqlite"
        shutil.copy(sample_db, path)
        damage(path)
        paths[name] = path
    return paths


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No default database, store, settings or releases outside this test's temporary folder."""
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "releases"))
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(tmp_path / "default" / "hcpcs.sqlite"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def one_line(err: str, path: Path, says: str, prefix: str = "error: ") -> str:
    """The single line of `err`: it starts with `prefix`, names `path` and says `says`."""
    assert "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith(prefix) and str(path) in line and re.search(says, line), line
    return line


# open_database -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DAMAGES)
def test_the_thorough_check_refuses_every_damaged_database_in_one_line(damaged, name):
    path, (_, says, _) = damaged[name], DAMAGES[name]
    with pytest.raises(DatabaseError) as caught:
        open_database(path, thorough=True)
    one_line(f"error: {caught.value}", path, says)


@pytest.mark.parametrize("name", [name for name, (_, _, cheap) in DAMAGES.items() if cheap])
def test_every_open_refuses_what_the_cheap_check_sees(damaged, name):
    path, (_, says, _) = damaged[name], DAMAGES[name]
    with pytest.raises(DatabaseError) as caught:
        open_database(path)
    one_line(f"error: {caught.value}", path, says)


def test_a_sound_database_passes_both_checks(sample_db):
    assert release_info(open_database(sample_db, thorough=True))["name"] == "January 2030"


def test_a_database_missing_a_lookup_table_names_it(sample_db, tmp_path):
    path = tmp_path / "hcpcs.sqlite"
    shutil.copy(sample_db, path)
    _sql("DROP TABLE code_values")(path)
    with pytest.raises(DatabaseError, match="the table code_values is missing"):
        open_database(path)


def test_an_older_schema_version_asks_for_a_rebuild(sample_db, tmp_path):
    path = tmp_path / "hcpcs.sqlite"
    shutil.copy(sample_db, path)
    _sql(f"PRAGMA user_version = {schema.VERSION - 1}")(path)
    with pytest.raises(DatabaseError) as caught:
        open_database(path)
    assert f"found version {schema.VERSION - 1});" in str(caught.value) and "newer" not in str(caught.value)


def test_a_search_index_missing_a_segment_is_found_by_the_fts5_integrity_check(sample_db, tmp_path):
    path = tmp_path / "hcpcs.sqlite"
    shutil.copy(sample_db, path)
    _sql("DELETE FROM codes_fts_data WHERE id = (SELECT max(id) FROM codes_fts_data)")(path)
    open_database(path).close()  # the cheap check does not read the index's segments
    with pytest.raises(DatabaseError, match="malformed"):
        open_database(path, thorough=True)


# Damage met while querying ------------------------------------------------------------------------


def test_a_damaged_page_met_by_the_search_engine_is_a_database_error_naming_the_file(damaged):
    path = damaged["damaged search index"]
    engine = SearchEngine(open_database(path))
    with pytest.raises(DatabaseError) as caught:
        engine.search("cane")
    assert str(path) in str(caught.value) and "could not be read" in str(caught.value)


def test_a_damaged_page_met_by_load_code_or_the_engine_start_names_the_file(damaged):
    path = damaged["zeroed page of the codes"]
    conn = open_database(path)
    for read in (lambda: load_code(conn, "E0100"), lambda: SearchEngine(conn)):
        with pytest.raises(DatabaseError) as caught:
            read()
        assert str(path) in str(caught.value) and "malformed" in str(caught.value)


# Write-ahead-log files ----------------------------------------------------------------------------


def _wal_copy(sample_db: Path, folder: Path) -> Path:
    path = folder / "wal.sqlite"
    shutil.copy(sample_db, path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    conn.close()
    return path


def test_a_wal_mode_database_is_read_without_creating_files_beside_it(sample_db, tmp_path):
    path = _wal_copy(sample_db, tmp_path)
    assert path.read_bytes()[18] == 2 and sorted(tmp_path.iterdir()) == [path]  # WAL mode, nothing beside it
    conn = open_database(path, thorough=True)
    assert SearchEngine(conn).search("cane").total == 3
    assert load_code(conn, "E0100").short_description == "Cane adjustable/fixed w/ tip"
    conn.close()
    assert sorted(tmp_path.iterdir()) == [path]


def test_a_wal_mode_database_with_unsaved_changes_beside_it_is_refused(sample_db, tmp_path):
    path = _wal_copy(sample_db, tmp_path)
    writer = sqlite3.connect(path)  # another program that has written and not yet checkpointed
    writer.execute("UPDATE codes SET short_description = 'changed' WHERE code = 'E0100'")
    writer.commit()
    try:
        with pytest.raises(DatabaseError) as caught:
            open_database(path)
        one_line(f"error: {caught.value}", path, "changes not yet written into it")
    finally:
        writer.close()


# Every command on every damaged database ----------------------------------------------------------


def _command(name: str, path: Path, tmp_path: Path, sample_db: Path) -> list:
    return {
        "search": ["search", "cane", "--db", path],
        "show": ["show", "E0100", "--db", path],
        "export": ["export", "-o", tmp_path / "codes.jsonl", "--db", path],
        "changes": ["changes", sample_db, path, "--store", tmp_path / "store"],
        "check": ["check", "--db", path],
    }[name]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", DAMAGES)
def test_every_command_on_a_damaged_database_ends_in_one_line(capsys, damaged, sample_db, tmp_path, name, command):
    path, (_, says, _) = damaged[name], DAMAGES[name]
    code = main([str(a) for a in _command(command, path, tmp_path, sample_db)])
    out, err = capsys.readouterr()
    if (name, command) in UNTOUCHED:  # the damage is where this command never reads
        sound = _command(command, sample_db, tmp_path, sample_db)
        main([str(tmp_path / "sound.jsonl") if a == tmp_path / "codes.jsonl" else str(a) for a in sound])
        sound_out, _ = capsys.readouterr()
        assert code == 0 and out == sound_out and "Traceback" not in err
        if command == "export":
            assert (tmp_path / "codes.jsonl").read_text() == (tmp_path / "sound.jsonl").read_text()
        return
    assert code == 1 and out == ""
    one_line(err, path, says)
    assert not (tmp_path / "codes.jsonl").exists()  # export wrote nothing
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [path.name]


# Databases the app did not build: what runs on a read is refused before anything is read -------------

FOREVER = "WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever)"
HOSTILE = {
    "a recursive view as the release table": (_sql(
        "ALTER TABLE release RENAME TO release_rows",
        f"CREATE VIEW release AS {FOREVER} SELECT * FROM release_rows WHERE (SELECT count(*) FROM forever) > 0"),
        "holds a view 'release', which this app never makes"),
    "a trigger that never ends": (_sql(
        f"CREATE TRIGGER forever AFTER INSERT ON codes BEGIN SELECT count(*) FROM ({FOREVER} SELECT n FROM forever); END"),
        "holds a trigger 'forever', which this app never makes"),
}


@pytest.fixture(scope="module")
def hostile(sample_db, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for number, (name, (damage, _)) in enumerate(HOSTILE.items()):
        paths[name] = Path(shutil.copy(sample_db, folder / f"hostile-{number}.sqlite"))
        damage(paths[name])
    return paths


@pytest.mark.parametrize("command", [*COMMANDS, "--smoke"])
@pytest.mark.parametrize("name", HOSTILE)
def test_a_database_whose_schema_runs_code_on_a_read_is_refused_at_once(hostile, sample_db, tmp_path, name, command):
    path, says = hostile[name], HOSTILE[name][1]
    args = ["--smoke", "--db", path] if command == "--smoke" else _command(command, path, tmp_path, sample_db)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "hcpcs_desktop", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=60)  # in a process of its own: a read of the view never returned
    assert done.returncode == 1
    one_line(done.stderr, path, f"is not a database HCPCS Desktop built: it {says}; build it again",
             prefix="smoke: FAIL: " if command == "--smoke" else "error: ")


@pytest.mark.parametrize("name", HOSTILE)
def test_a_build_over_a_hostile_database_replaces_it(hostile, sample_release, tmp_path, name):
    path = Path(shutil.copy(hostile[name], tmp_path / "hcpcs.sqlite"))
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "hcpcs_desktop", "build-db", str(sample_release / "HCPC2030_JAN_ANWEB.txt"),
                           "--layout", str(sample_release / "HCPC2030_recordlayout.txt"),
                           "--notes", str(sample_release / "proc_notes_JAN2030.txt"), "-o", str(path)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert release_info(open_database(path))["name"] == "January 2030"


@pytest.fixture
def no_windows_left():
    """The windows `--smoke` makes in this process are gone after the test."""
    yield
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()


@pytest.mark.parametrize("name", DAMAGES)
def test_smoke_on_a_damaged_database_prints_fail_and_exits_1(capsys, damaged, name, no_windows_left):
    path, (_, says, _) = damaged[name], DAMAGES[name]
    code = main(["--smoke", "--db", str(path)])
    _, err = capsys.readouterr()
    assert code == 1
    one_line(err, path, says, prefix="smoke: FAIL: ")


def test_smoke_on_a_sound_database_says_ok(tmp_path, sample_db):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "hcpcs_desktop", "--smoke", "--db", str(sample_db)],
                          capture_output=True, text=True, env=env, timeout=120)
    months = (dt.date.today().year - 2030) * 12 + dt.date.today().month - 1
    assert done.returncode == 0 and f"smoke: OK: January 2030 ({age_text(months)})" in done.stdout, done.stderr
    assert "FAIL" not in done.stderr and "Traceback" not in done.stderr


def test_check_on_a_sound_database_says_so(capsys, sample_db):
    code = main(["check", "--db", str(sample_db)])
    out, _ = capsys.readouterr()
    assert code == 0 and out.startswith(f"{sample_db}: January 2030, {19:,} codes")
