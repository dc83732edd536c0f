"""Building the SQLite database from a release, and opening it again.

`build_database` reads a release (txt, xlsx or zip), decodes the coded values with
the record layout and processing notes, and writes the database atomically;
`open_database` / `load_code` read one code's page back with meanings and help.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import sqlite3
import subprocess

import pytest

from hcpcs_desktop.data import build, schema
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import DatabaseError, load_code, open_database, release_info
from hcpcs_desktop.data.errors import ReleaseError
from hcpcs_desktop.data.fields import FIELDS
from release_files import (
    BETOS_TABLE,
    NOTES,
    SAMPLE_RECORDS,
    duplicate_lines,
    orphan_continuation_lines,
    record,
    truncated_lines,
    txt_bytes,
    write_layout,
    write_notes,
    write_txt,
    write_undecodable_txt,
    write_xlsx,
    write_zip,
    write_zip_bomb,
    write_zip_slip,
    wrong_width_lines,
)

FIELD_KEYS = [f.key for f in FIELDS]
SAMPLE_CODES = sorted(rec["code"] for rec in SAMPLE_RECORDS)
PROCEDURES = sum(rec["record_id"] == "3" for rec in SAMPLE_RECORDS)
MODIFIERS = sum(rec["record_id"] == "7" for rec in SAMPLE_RECORDS)
TERMINATED = sum(bool(rec["termination_date"]) for rec in SAMPLE_RECORDS)


@pytest.fixture
def docs(tmp_path):
    """The record layout and processing notes texts, in their own folder."""
    folder = tmp_path / "docs"
    folder.mkdir()
    return {"layout": write_layout(folder / "HCPC2030_recordlayout.txt"),
            "notes": write_notes(folder / "proc_notes_JAN2030.txt")}


def write_release(folder, kind: str):
    """A release of SAMPLE_RECORDS as a .txt, an .xlsx, or a zip that also carries layout and notes."""
    folder.mkdir(exist_ok=True)
    if kind == "txt":
        return write_txt(folder / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS)
    if kind == "xlsx":
        return write_xlsx(folder / "HCPC2030_JAN_ANWEB.xlsx", SAMPLE_RECORDS)
    return write_zip(folder / "2030-Alpha-Numeric-HCPCS-File.zip", {
        "HCPC2030_JAN_ANWEB.txt": txt_bytes(SAMPLE_RECORDS),
        "HCPC2030_recordlayout.txt": write_layout(folder / "layout.tmp"),
        "proc_notes_JAN2030.txt": write_notes(folder / "notes.tmp"),
    })


def codes_rows(db) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute("SELECT * FROM codes ORDER BY code")]
    finally:
        conn.close()


def folder_state(folder) -> dict[str, bytes]:
    """Every file in `folder` (names and bytes), to show that nothing changed."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


# Building -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["txt", "xlsx", "zip"])
def test_builds_from_txt_xlsx_and_zip(tmp_path, docs, kind):
    release = write_release(tmp_path / "release", kind)
    extra = {} if kind == "zip" else docs  # the zip carries its own layout and notes
    report = build_database(release, tmp_path / "hcpcs.sqlite", **extra)
    assert (report.procedures, report.modifiers, report.terminated) == (PROCEDURES, MODIFIERS, TERMINATED)
    assert report.undecoded == {} and report.undecoded_count == 0
    assert [row["code"] for row in codes_rows(tmp_path / "hcpcs.sqlite")] == SAMPLE_CODES


def test_txt_and_xlsx_builds_hold_the_same_codes_table(tmp_path, docs):
    from_txt = build_database(write_release(tmp_path / "a", "txt"), tmp_path / "a.sqlite", **docs)
    from_xlsx = build_database(write_release(tmp_path / "b", "xlsx"), tmp_path / "b.sqlite", **docs)
    assert from_txt.db_path != from_xlsx.db_path
    assert codes_rows(tmp_path / "a.sqlite") == codes_rows(tmp_path / "b.sqlite")


def test_codes_table_has_one_row_per_code_and_a_column_per_field(sample_db):
    rows = codes_rows(sample_db)
    assert [row["code"] for row in rows] == SAMPLE_CODES
    assert all(set(FIELD_KEYS) <= set(row) for row in rows)


def test_codes_table_keeps_every_value_as_parsed(sample_db):
    rows = {row["code"]: row for row in codes_rows(sample_db)}
    for rec in SAMPLE_RECORDS:
        row = rows[rec["code"]]
        for f in FIELDS:
            if f.kind == "date":
                assert row[f.key].replace("-", "") == rec[f.key], (rec["code"], f.key)
            else:
                assert row[f.key] == rec[f.key], (rec["code"], f.key)


def test_codes_table_classifies_kind_status_and_section(sample_db):
    rows = {row["code"]: row for row in codes_rows(sample_db)}
    assert (rows["GA"]["kind"], rows["GA"]["section"]) == ("modifier", "modifier")
    assert (rows["S9353"]["kind"], rows["S9353"]["section"], rows["S9353"]["status"]) == ("procedure", "S", "active")
    assert rows["G0001"]["status"] == "terminated"


# Reading a code back ------------------------------------------------------------------------------


def test_coded_value_comes_with_its_meaning_and_the_fields_help(sample_db):
    page = load_code(open_database(sample_db), "S9353")
    pricing = page["pricing_indicator_1"]
    assert pricing.value == "00"
    # The synthetic layout wraps this code's description onto a second line.
    assert pricing.meaning == "Service not separately priced by part B (bundled, not covered, or paid by part A)"
    assert pricing.help == "How part B arrives at a price for the code; up to four methods may apply."
    assert pricing.display == f"00 \u2014 {pricing.meaning}"


def test_codes_of_the_appendix_tables_are_decoded(sample_db):
    page = load_code(open_database(sample_db), "S9353")
    assert (page["betos"].value, page["betos"].meaning) == ("Z2", BETOS_TABLE["Z2"])
    assert page["type_of_service_1"].meaning == "Other medical items or services"
    assert page["coverage"].meaning == "Not payable by Medicare"
    assert page["action_code"].meaning == "No maintenance for this code"


def test_processing_note_is_decoded_with_the_notes_text(sample_db):
    page = load_code(open_database(sample_db), "S9353")
    assert page["processing_note"].value == "0088"
    assert page["processing_note"].meaning == NOTES["0088"]


def test_field_without_a_code_table_displays_its_bare_value(sample_db):
    page = load_code(open_database(sample_db), "S9353")
    short = page["short_description"]
    assert (short.value, short.meaning) == ("Hit cont insulin diem", "")
    assert short.display == short.value
    assert page.short_description == "Hit cont insulin diem"


def test_code_page_lists_every_field_in_layout_order(sample_db):
    page = load_code(open_database(sample_db), "GA")
    assert [f.key for f in page.fields] == FIELD_KEYS
    assert [f.label for f in page.fields] == [f.label for f in FIELDS]
    assert (page.code, page.kind, page.status) == ("GA", "modifier", "active")


def test_code_is_looked_up_ignoring_case_and_blanks(sample_db):
    conn = open_database(sample_db)
    assert load_code(conn, " s9353 ").code == "S9353"
    assert load_code(conn, "ga").code == "GA"


def test_unknown_code_has_no_page(sample_db):
    assert load_code(open_database(sample_db), "Z9999") is None


# The build report ---------------------------------------------------------------------------------


def test_report_counts_procedures_modifiers_and_terminated_codes(sample_db):
    info = release_info(open_database(sample_db))
    assert (info["procedures"], info["modifiers"], info["terminated"]) == (PROCEDURES, MODIFIERS, TERMINATED)
    assert info["undecoded"] == 0


def test_value_missing_from_the_layout_tables_is_reported_undecoded(tmp_path, docs):
    odd = record("A9992", "A supply with a made-up classification and note", "Odd supply",
                 betos="Q9Z", processing_note="0999")
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", [*SAMPLE_RECORDS, odd])
    report = build_database(release, tmp_path / "hcpcs.sqlite", **docs)
    assert report.undecoded == {"betos": ["Q9Z"], "processing_note": ["0999"]}
    assert report.undecoded_count == 2
    assert release_info(open_database(tmp_path / "hcpcs.sqlite"))["undecoded"] == 2
    page = load_code(open_database(tmp_path / "hcpcs.sqlite"), "A9992")
    assert page["betos"].meaning == "" and page["betos"].display == "Q9Z"


def test_without_layout_and_notes_every_coded_value_is_undecoded(tmp_path):
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS)
    report = build_database(release, tmp_path / "hcpcs.sqlite")
    assert report.undecoded["coverage"] == sorted({rec["coverage"] for rec in SAMPLE_RECORDS})
    assert report.undecoded["processing_note"] == sorted({rec["processing_note"] for rec in SAMPLE_RECORDS} - {""})
    assert "record_id" not in report.undecoded  # the record id is the file's own structure
    page = load_code(open_database(tmp_path / "hcpcs.sqlite"), "S9353")
    assert page["coverage"].meaning == "" and page["coverage"].help == ""


# Release and source files -------------------------------------------------------------------------


@pytest.mark.parametrize(("file_name", "name", "date"), [
    ("HCPC2030_JAN_ANWEB.txt", "January 2030", "2030-01-01"),
    ("HCPC2031_OCT_ANWEB.txt", "October 2031", "2031-10-01"),
    ("HCPC2032_ANWEB.txt", "January 2032", "2032-01-01"),  # the annual file names no month
])
def test_release_name_and_date_come_from_the_file_name(tmp_path, file_name, name, date):
    report = build_database(write_txt(tmp_path / file_name, SAMPLE_RECORDS), tmp_path / "hcpcs.sqlite")
    assert (report.release_name, report.release_date) == (name, date)
    info = release_info(open_database(tmp_path / "hcpcs.sqlite"))
    assert (info["name"], info["release_date"]) == (name, date)


def test_file_name_without_a_year_stops_the_build(tmp_path):
    release = write_txt(tmp_path / "ANWEB.txt", SAMPLE_RECORDS)
    with pytest.raises(ReleaseError, match="ANWEB.txt.*year"):
        build_database(release, tmp_path / "hcpcs.sqlite")
    assert not (tmp_path / "hcpcs.sqlite").exists()


def test_source_files_record_the_sha256_of_each_input(tmp_path, docs):
    release = write_release(tmp_path / "release", "txt")
    build_database(release, tmp_path / "hcpcs.sqlite", **docs)
    files = release_info(open_database(tmp_path / "hcpcs.sqlite"))["source_files"]
    expected = [(role, path.name, hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_size)
                for role, path in (("data", release), ("layout", docs["layout"]), ("notes", docs["notes"]))]
    assert [(f["role"], f["name"], f["sha256"], f["bytes"]) for f in files] == expected


def test_source_files_of_a_zip_name_the_zip_and_each_member(tmp_path):
    release = write_release(tmp_path / "release", "zip")
    build_database(release, tmp_path / "hcpcs.sqlite")
    files = {f["role"]: f for f in release_info(open_database(tmp_path / "hcpcs.sqlite"))["source_files"]}
    assert set(files) == {"release", "data", "layout", "notes"}
    assert files["release"]["name"] == release.name
    assert files["release"]["sha256"] == hashlib.sha256(release.read_bytes()).hexdigest()
    assert files["data"]["name"] == "HCPC2030_JAN_ANWEB.txt"
    assert files["data"]["sha256"] == hashlib.sha256(txt_bytes(SAMPLE_RECORDS)).hexdigest()


def test_release_records_the_schema_version_and_the_layout(sample_db):
    conn = open_database(sample_db)
    info = release_info(conn)
    assert info["schema_version"] == schema.VERSION
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert info["layout_title"] == "HCPCS Contractor Record - Test"
    assert info["layout_as_of"] == "2030-01-02"


def test_full_text_index_is_built(sample_db):
    conn = open_database(sample_db)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "codes_fts" in tables
    found = conn.execute(
        "SELECT c.code FROM codes_fts JOIN codes c ON c.rowid = codes_fts.rowid WHERE codes_fts MATCH 'insulin'"
    ).fetchall()
    assert [row[0] for row in found] == ["S9353"]


def test_database_is_opened_read_only(sample_db):
    conn = open_database(sample_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM codes")


# Atomic builds ------------------------------------------------------------------------------------


def broken_txt(records_lines):
    return lambda folder: write_txt(folder / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS, lines=records_lines)


BROKEN_RELEASES = {
    "truncated line": broken_txt(truncated_lines(SAMPLE_RECORDS)),
    "wrong width": broken_txt(wrong_width_lines(SAMPLE_RECORDS)),
    "duplicate code": broken_txt(duplicate_lines(SAMPLE_RECORDS)),
    "orphan continuation": broken_txt(orphan_continuation_lines(SAMPLE_RECORDS)),
    "undecodable byte": lambda folder: write_undecodable_txt(folder / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS),
    "header missing a column": lambda folder: write_xlsx(
        folder / "HCPC2030_JAN_ANWEB.xlsx", SAMPLE_RECORDS, omit_column="ACTION CD"),
    "zip slip": lambda folder: write_zip_slip(folder / "2030-Alpha-Numeric-HCPCS-File.zip"),
    "zip bomb": lambda folder: write_zip_bomb(folder / "2030-Alpha-Numeric-HCPCS-File.zip"),
    "zip without ANWEB file": lambda folder: write_zip(
        folder / "2030-Alpha-Numeric-HCPCS-File.zip", {"README.txt": b"no data\r\n"}),
    "another type": lambda folder: write_zip(folder / "HCPC2030_JAN_ANWEB.pdf", {"x": b"x"}),
    "missing path": lambda folder: folder / "HCPC2030_JAN_ANWEB.txt",
    "empty file": lambda folder: write_txt(folder / "HCPC2030_JAN_ANWEB.txt", [], disclaimer=False, lines=[]),
}


@pytest.mark.parametrize("problem", list(BROKEN_RELEASES))
def test_failed_build_leaves_the_previous_database_and_no_temporary_file(tmp_path, sample_release, problem):
    target = tmp_path / "db" / "hcpcs.sqlite"
    build_database(sample_release, target)
    before = folder_state(target.parent)
    release_folder = tmp_path / "release"
    release_folder.mkdir()
    release = BROKEN_RELEASES[problem](release_folder)
    with pytest.raises(ReleaseError):
        build_database(release, target)
    assert folder_state(target.parent) == before


def test_build_interrupted_while_writing_leaves_the_previous_database(tmp_path, sample_release):
    target = tmp_path / "hcpcs.sqlite"
    build_database(sample_release, target)
    before = folder_state(tmp_path)

    def interrupt(fraction, message):
        if message == "Writing database":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_database(sample_release, target, progress=interrupt)
    assert folder_state(tmp_path) == before


def test_successful_build_leaves_only_the_database_and_its_lock_in_its_folder(tmp_path, sample_release):
    target = tmp_path / "out" / "hcpcs.sqlite"
    build_database(sample_release, target)
    assert sorted(p.name for p in target.parent.iterdir()) == [".hcpcs.sqlite.lock", "hcpcs.sqlite"]
    assert (target.parent / ".hcpcs.sqlite.lock").stat().st_size == 0


def test_building_over_an_existing_database_replaces_it(tmp_path, docs):
    target = tmp_path / "hcpcs.sqlite"
    build_database(write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS), target, **docs)
    fewer = [rec for rec in SAMPLE_RECORDS if rec["code"] != "S9353"]
    report = build_database(write_txt(tmp_path / "HCPC2031_APR_ANWEB.txt", fewer), target, **docs)
    assert report.procedures == PROCEDURES - 1
    conn = open_database(target)
    assert load_code(conn, "S9353") is None
    assert release_info(conn)["name"] == "April 2031"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite" or "partial" in p.name] == ["hcpcs.sqlite"]


def test_progress_is_reported_from_start_to_finish(tmp_path, sample_release):
    seen = []
    build_database(sample_release, tmp_path / "hcpcs.sqlite", progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


# Opening a database -------------------------------------------------------------------------------


def test_opening_a_missing_database_says_there_is_none(tmp_path):
    path = tmp_path / "nowhere.sqlite"
    with pytest.raises(DatabaseError, match="No database at") as caught:
        open_database(path)
    assert str(path) in str(caught.value)


def test_opening_a_file_that_is_not_sqlite_says_it_is_unreadable(tmp_path):
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(DatabaseError, match="not a readable HCPCS database") as caught:
        open_database(path)
    assert str(path) in str(caught.value)


def test_opening_an_sqlite_file_of_another_schema_asks_for_a_rebuild(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE codes (code TEXT)")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError) as caught:
        open_database(path)
    message = str(caught.value)
    assert str(path) in message and "schema version" in message and "build it again" in message
    assert "found version 7" in message


# Faults: an unwritable target, a full disk, an unreadable input, a killed build ---------------------


def _mount_tmpfs(folder, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a file system of its own (root only: a tmpfs), given as (folder, remount(options))."""
    folder = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount_tmpfs(folder, "size=4m"):
        pytest.skip("needs root to mount a tmpfs")

    def remount(options):
        subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)

    yield folder, remount
    subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_folder_is_refused_before_the_release_is_read(tmp_path, sample_release, monkeypatch):
    target = tmp_path / "db" / "hcpcs.sqlite"
    build_database(sample_release, target)
    before = folder_state(target.parent)
    if os.geteuid() == 0:  # root writes through permissions: a read-only file system it is
        if not _mount_tmpfs(target.parent, "ro,size=1m"):
            pytest.skip("needs a read-only file system")
        target = target.parent / "hcpcs.sqlite"
        request_umount = target.parent
    else:
        target.parent.chmod(0o555)
        request_umount = None
    read = []
    monkeypatch.setattr(build, "find_release_files", lambda path: read.append(path))
    try:
        with pytest.raises(ReleaseError, match=r"cannot write in this folder \(.*\); nothing was changed") as caught:
            build_database(sample_release, target)
        assert str(target.parent) in str(caught.value) and "\n" not in str(caught.value)
        assert read == []  # refused before reading anything
    finally:
        if request_umount:
            subprocess.run(["umount", str(request_umount)], check=True)
        else:
            target.parent.chmod(0o755)
    assert folder_state(target.parent) == before


def test_a_full_disk_stops_the_build_with_one_line_and_keeps_the_previous_database(small_disk, sample_release,
                                                                                  tmp_path):
    folder, _ = small_disk
    target = folder / "hcpcs.sqlite"
    build_database(sample_release, target)
    before = folder_state(folder)
    filler = folder / "filler"
    with open(filler, "wb") as out:  # fill the disk but for a few pages
        try:
            out.write(b"\0" * (8 << 20))
        except OSError:
            pass
    (folder / "filler").write_bytes(b"\0" * (filler.stat().st_size - (target.stat().st_size // 2)))
    with pytest.raises(ReleaseError, match=rf"{target}: cannot write the database \(.*(full|space).*\); "
                                           "the previous database is unchanged"):
        build_database(sample_release, target)
    filler.unlink()
    assert folder_state(folder) == before


def test_a_write_error_stops_the_build_with_one_line_and_keeps_the_previous_database(tmp_path, sample_release,
                                                                                    monkeypatch):
    target = tmp_path / "hcpcs.sqlite"
    build_database(sample_release, target)
    before = folder_state(tmp_path)

    def no_space(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(build.os, "replace", no_space)
    with pytest.raises(ReleaseError, match=r"cannot write the database \(No space left on device\); "
                                           "the previous database is unchanged"):
        build_database(sample_release, target)
    assert folder_state(tmp_path) == before


def test_an_unreadable_release_file_is_named_with_the_problem(tmp_path, sample_release):
    target = tmp_path / "hcpcs.sqlite"
    build_database(sample_release, target)
    before = folder_state(tmp_path)
    unreadable = tmp_path / "in" / "HCPC2030_APR_ANWEB.txt"
    unreadable.parent.mkdir()
    unreadable.symlink_to("/proc/self/mem")  # unreadable from its first byte, whoever reads it
    with pytest.raises(ReleaseError, match=r"HCPC2030_APR_ANWEB.txt: cannot read the file \(Input/output error\)"):
        build_database(unreadable, target)
    assert folder_state(tmp_path) == before


def test_an_unreadable_layout_file_is_named_with_the_problem(tmp_path, sample_release):
    layout = tmp_path / "in" / "HCPC2030_recordlayout.txt"
    layout.parent.mkdir()
    layout.symlink_to("/proc/self/mem")  # unreadable from its first byte, whoever reads it
    with pytest.raises(ReleaseError, match=rf"{layout}: cannot read the file \(Input/output error\)"):
        build_database(sample_release / "HCPC2030_JAN_ANWEB.txt", tmp_path / "hcpcs.sqlite", layout=layout)
    assert list(tmp_path.glob("*.partial")) == [] and not (tmp_path / "hcpcs.sqlite").exists()


@pytest.fixture
def paused_build(tmp_path, sample_release, start_paused):
    """Start `build-db` into tmp_path/db/hcpcs.sqlite (over a previous one) and pause it while it parses."""
    target = tmp_path / "db" / "hcpcs.sqlite"
    build_database(sample_release, target)
    env = {"HCPCS_RELEASES": str(tmp_path / "no-releases"), "HCPCS_DESKTOP_DB": str(target)}
    return start_paused(["build-db", str(sample_release), "-o", str(target)], env), target


def partials(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize(("sent", "status", "last_line"), [
    (signal.SIGTERM, 143, None),
    (signal.SIGINT, 130, "interrupted; nothing was changed"),
])
def test_a_terminated_or_interrupted_build_removes_its_partial_file(paused_build, sent, status, last_line):
    process, target = paused_build
    before = target.read_bytes()
    assert len(partials(target.parent)) == 1
    process.send_signal(sent)
    assert process.wait(timeout=30) == status
    err = process.stderr.read()
    assert "Traceback" not in err
    if last_line:
        assert err.splitlines()[-1] == last_line
    assert partials(target.parent) == [] and target.read_bytes() == before


def test_the_next_build_removes_the_partial_file_of_a_killed_one_never_that_of_a_running_one(
        paused_build, sample_release, monkeypatch):
    process, target = paused_build
    running = partials(target.parent)
    monkeypatch.setattr(build, "LOCK_TIMEOUT_SECONDS", 0.2)
    with pytest.raises(ReleaseError, match="another build of this database is still running"):
        build_database(sample_release, target)
    assert partials(target.parent) == running
    process.kill()
    process.wait()
    assert partials(target.parent) == running  # kill -9 leaves it
    build_database(sample_release, target)
    assert partials(target.parent) == []
    assert release_info(open_database(target))["name"] == "January 2030"


def test_a_folder_given_as_the_database_is_refused_before_the_release_is_read(tmp_path, sample_release, monkeypatch):
    read = []
    monkeypatch.setattr(build, "find_release_files", lambda path: read.append(path))
    with pytest.raises(ReleaseError, match=rf"{tmp_path}: is a folder, not a database file; nothing was changed"):
        build_database(sample_release, tmp_path)
    assert read == [] and list(tmp_path.iterdir()) == []


def test_a_file_in_the_way_of_the_target_folder_is_named(tmp_path, sample_release):
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(ReleaseError, match=rf"{tmp_path / 'taken'}: cannot write in this folder \(.*\)"):
        build_database(sample_release, tmp_path / "taken" / "hcpcs.sqlite")
