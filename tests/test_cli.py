"""The `hcpcs-desktop` command line: build-db, search, show, export and check; `--db` in any
place, one line for whatever fails (Ctrl+C included), and `export -o` never harming a file.

Commands run in-process through `cli.main([...])` with their output captured; one
test runs the real entry point in a subprocess. Every test points
$HCPCS_DESKTOP_DB and $HCPCS_RELEASES at temporary folders, so nothing is read
from or written to the user's own data folder or the real releases.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hcpcs_desktop import cli, session
from hcpcs_desktop.cli import INTERRUPTED, main
from hcpcs_desktop.data.database import load_code, open_database, release_info
from hcpcs_desktop.data.fields import FIELDS
from release_files import NOTES, SAMPLE_RECORDS, duplicate_lines, record, write_layout, write_notes, write_txt

FIELD_KEYS = [f.key for f in FIELDS]
SAMPLE_CODES = sorted(rec["code"] for rec in SAMPLE_RECORDS)
CMS_RELEASES_URL = "https://www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system/quarterly-update"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No default database and no release folder outside this test's temporary folder."""
    releases = tmp_path / "releases"
    releases.mkdir()
    monkeypatch.setenv("HCPCS_RELEASES", str(releases))
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(tmp_path / "default" / "hcpcs.sqlite"))
    return releases


def run(capsys, *args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `hcpcs-desktop ARGS`, run in-process."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error")]


# build-db -----------------------------------------------------------------------------------------


def test_build_db_writes_the_database_named_by_o(capsys, tmp_path, sample_release):
    target = tmp_path / "out" / "hcpcs.sqlite"
    code, out, err = run(capsys, "build-db", sample_release, "-o", target)
    assert code == 0 and out == ""
    info = release_info(open_database(target))
    assert (info["procedures"], info["modifiers"]) == (
        sum(rec["record_id"] == "3" for rec in SAMPLE_RECORDS), sum(rec["record_id"] == "7" for rec in SAMPLE_RECORDS))
    assert "January 2030" in err and "without a description: 0" in err


def test_build_db_takes_layout_and_notes_options(capsys, tmp_path):
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS)
    layout = write_layout(tmp_path / "layout.txt")
    notes = write_notes(tmp_path / "notes.txt")
    target = tmp_path / "hcpcs.sqlite"
    code, _, _ = run(capsys, "build-db", release, "--layout", layout, "--notes", notes, "-o", target)
    assert code == 0
    assert load_code(open_database(target), "S9353")["processing_note"].meaning == NOTES["0088"]


def test_build_db_lists_the_values_it_could_not_decode(capsys, tmp_path):
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS)  # no layout, no notes
    code, _, err = run(capsys, "build-db", release, "-o", tmp_path / "hcpcs.sqlite")
    assert code == 0
    notes = sorted({rec["processing_note"] for rec in SAMPLE_RECORDS} - {""})
    assert f"processing_note: {', '.join(notes)}" in err


def test_build_db_without_output_writes_to_hcpcs_desktop_db(capsys, tmp_path, sample_release, monkeypatch):
    target = tmp_path / "from_env" / "hcpcs.sqlite"
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(target))
    code, _, _ = run(capsys, "build-db", sample_release)
    assert code == 0 and target.is_file()


def test_build_db_without_release_uses_the_newest_under_hcpcs_releases(capsys, tmp_path, isolated):
    older, newer = isolated / "2030-jan", isolated / "2031-apr"
    older.mkdir(), newer.mkdir()
    write_txt(older / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS)
    write_txt(newer / "HCPC2031_APR_ANWEB.txt", SAMPLE_RECORDS[:5])
    write_layout(older / "HCPC2030_recordlayout.txt")
    write_notes(older / "proc_notes_JAN2030.txt")
    target = tmp_path / "hcpcs.sqlite"
    code, _, _ = run(capsys, "build-db", "-o", target)
    assert code == 0
    info = release_info(open_database(target))
    assert info["name"] == "April 2031" and info["procedures"] + info["modifiers"] == 5
    assert info["undecoded"] == 0  # layout and notes were found in the same folder


def test_build_db_on_a_broken_release_exits_1_with_one_error_line(capsys, tmp_path):
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS, lines=duplicate_lines(SAMPLE_RECORDS))
    target = tmp_path / "hcpcs.sqlite"
    code, out, err = run(capsys, "build-db", release, "-o", target)
    assert code == 1 and out == ""
    (line,) = error_lines(err)
    assert release.name in line and "line " in line and "duplicate code" in line
    assert "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize("content", [b"not a release\x00\x01\n", b"S9353" + b" " * 300])
def test_build_db_on_a_file_whose_name_gives_no_date_says_what_is_wrong_with_it(capsys, tmp_path, content):
    release = tmp_path / "download.txt"  # renamed by its user: no release date in the name
    release.write_bytes(content)
    target = tmp_path / "hcpcs.sqlite"
    code, out, err = run(capsys, "build-db", release, "-o", target)
    assert code == 1
    (line,) = error_lines(err)
    assert line.startswith("error: download.txt") and "ValueError" not in line
    assert not target.exists()


def test_build_db_with_no_release_anywhere_says_where_cms_publishes_them(capsys, isolated):
    code, out, err = run(capsys, "build-db")
    assert code == 1 and out == ""
    assert str(isolated) in err
    assert CMS_RELEASES_URL in err
    assert "Traceback" not in err


# search -------------------------------------------------------------------------------------------


def test_search_json_lists_hits_with_their_fields(capsys, sample_db):
    code, out, _ = run(capsys, "search", "insulin", "--json", "--db", sample_db)
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "insulin" and data["total"] == 1
    (hit,) = data["results"]
    assert hit["code"] == "S9353" and hit["short_description"] == "Hit cont insulin diem"
    assert hit["status"] == "active" and hit["kind"] == "procedure"
    assert data["unknown"] == [] and data["corrections"] == [] and data["skipped"] == []


def test_search_json_reports_unknown_codes_of_a_pasted_list(capsys, sample_db):
    code, out, _ = run(capsys, "search", "E0100, Z9999", "--json", "--db", sample_db)
    data = json.loads(out)
    assert code == 0 and [hit["code"] for hit in data["results"]] == ["E0100"] and data["unknown"] == ["Z9999"]


def test_search_json_corrects_a_misspelling_and_says_so(capsys, sample_db):
    code, out, _ = run(capsys, "search", "insulni", "--json", "--db", sample_db)
    data = json.loads(out)
    assert code == 0 and [hit["code"] for hit in data["results"]] == ["S9353"]
    assert data["corrections"] == [{"typed": "insulni", "corrected": "insulin"}]
    assert data["searched_for"] == "insulin"
    assert data["results"][0]["reason"] == "corrected: insulni → insulin"


def test_search_json_names_what_a_pasted_list_skipped(capsys, sample_db):
    code, out, _ = run(capsys, "search", "S9353, 99213, XX999", "--json", "--db", sample_db)
    data = json.loads(out)
    assert [hit["code"] for hit in data["results"]] == ["S9353"]
    assert data["skipped"] == [{"token": "99213", "why": "a CPT code, not HCPCS Level II"},
                               {"token": "XX999", "why": "not a code"}]


def test_search_text_prints_one_line_per_hit_and_the_count_on_stderr(capsys, sample_db):
    code, out, err = run(capsys, "search", "cane", "--db", sample_db)
    assert code == 0
    lines = out.splitlines()
    assert sorted(line.split()[0] for line in lines) == ["E0100", "E0101", "E0105"]
    assert any("Folding cane w/ seat" in line for line in lines)
    assert "3 match" in err


def test_search_text_marks_terminated_codes(capsys, sample_db):
    _, out, _ = run(capsys, "search", "G0001", "--db", sample_db)
    assert "terminated 2012-12-31" in out.splitlines()[0]


def test_search_for_a_modifier_with_a_dash_goes_after_double_dash(capsys, sample_db):
    code, out, _ = run(capsys, "search", "--json", "--db", sample_db, "--", "-GA")
    assert code == 0 and json.loads(out)["results"][0]["code"] == "GA"


@pytest.mark.parametrize("option", ["--section", "--coverage", "--betos"])
@pytest.mark.parametrize("value", ["", "  ", "E\udcff", "\ud800", "E\x00", "x" * 21])
def test_a_filter_value_that_can_be_no_value_is_refused_plainly(capsys, sample_db, option, value):
    with pytest.raises(SystemExit) as done:
        main(["search", "insulin", option, value, "--db", str(sample_db)])
    _, err = capsys.readouterr()
    assert done.value.code == 2 and "Traceback" not in err and "damaged" not in err
    assert err.splitlines()[-1] == (f"hcpcs-desktop search: error: argument {option}: {ascii(value)} is not a value to "
                                    "filter by (a code's first letter or 'modifier', a coverage or a BETOS code)")


def test_search_filters_and_limit(capsys, sample_db):
    _, out, _ = run(capsys, "search", "with", "--json", "--section", "E", "--limit", "2", "--db", sample_db)
    data = json.loads(out)
    assert len(data["results"]) == 2 and data["total"] > 2
    assert all(hit["section"] == "E" for hit in data["results"])
    _, out, _ = run(capsys, "search", "blood", "--json", "--status", "terminated", "--db", sample_db)
    assert [hit["code"] for hit in json.loads(out)["results"]] == ["G0001"]


# show ---------------------------------------------------------------------------------------------


def test_show_json_gives_every_field_with_label_value_meaning_and_help(capsys, sample_db):
    code, out, _ = run(capsys, "show", "s9353", "--json", "--db", sample_db)
    assert code == 0
    data = json.loads(out)
    assert (data["code"], data["kind"], data["status"]) == ("S9353", "procedure", "active")
    assert data["release"] == {"name": "January 2030", "date": "2030-01-01"}
    assert list(data["fields"]) == FIELD_KEYS
    assert all(set(value) == {"label", "value", "meaning", "help"} for value in data["fields"].values())
    page = load_code(open_database(sample_db), "S9353")
    for f in page.fields:
        assert data["fields"][f.key] == {"label": f.label, "value": f.value, "meaning": f.meaning, "help": f.help}
    assert data["fields"]["processing_note"]["meaning"] == NOTES["0088"]


def test_show_text_lists_the_filled_fields_with_their_meanings(capsys, sample_db):
    code, out, _ = run(capsys, "show", "S9353", "--db", sample_db)
    assert code == 0
    page = load_code(open_database(sample_db), "S9353")
    assert out.startswith(f"S9353  Procedure\n{page.long_description}\nShort: {page.short_description}\n")
    assert page["coverage"].display in out and page["pricing_indicator_1"].display in out
    assert page["termination_date"].label not in out  # empty fields are left out
    assert out.endswith("\nSource: CMS HCPCS January 2030.\n")


def test_show_unknown_code_exits_1_with_a_message(capsys, sample_db):
    code, out, err = run(capsys, "show", "Z9999", "--db", sample_db)
    assert code == 1 and out == ""
    (line,) = error_lines(err)
    assert "Z9999" in line and "not a code" in line


# export -------------------------------------------------------------------------------------------


def test_export_csv_has_a_header_of_every_field_and_one_row_per_code(capsys, sample_db):
    code, out, _ = run(capsys, "export", "--format", "csv", "--db", sample_db)
    assert code == 0
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert header == FIELD_KEYS
    assert [row[0] for row in rows] == SAMPLE_CODES
    by_code = {row[0]: dict(zip(header, row)) for row in rows}
    s9353 = load_code(open_database(sample_db), "S9353")
    assert by_code["S9353"] == {f.key: f.value for f in s9353.fields}


def test_export_jsonl_has_one_object_per_code_with_every_field(capsys, sample_db):
    code, out, _ = run(capsys, "export", "--db", sample_db)  # jsonl is the default
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["code"] for row in rows] == SAMPLE_CODES
    assert all(list(row) == FIELD_KEYS for row in rows)
    long = {row["code"]: row["long_description"] for row in rows}
    assert long == {rec["code"]: rec["long_description"] for rec in SAMPLE_RECORDS}


def test_export_to_a_file_with_o(capsys, tmp_path, sample_db):
    target = tmp_path / "codes.jsonl"
    code, out, _ = run(capsys, "export", "--format", "jsonl", "-o", target, "--db", sample_db)
    assert code == 0 and out == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(SAMPLE_RECORDS)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_export_to_a_pipe_is_refused_without_waiting_on_it(tmp_path, sample_db):
    pipe = tmp_path / "codes.jsonl"
    os.mkfifo(pipe)  # opening it would wait for a reader for ever
    done = subprocess.run([sys.executable, "-m", "hcpcs_desktop", "export", "-o", str(pipe), "--db", str(sample_db)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr == (f"error: {pipe} is not a regular file (a pipe), which export "
                                                    "does not write; nothing was written\n")
    assert pipe.is_fifo()


# Which database -----------------------------------------------------------------------------------


def test_commands_read_the_database_named_by_hcpcs_desktop_db(capsys, monkeypatch, sample_db):
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(sample_db))
    code, out, _ = run(capsys, "show", "GA", "--json")
    assert code == 0 and json.loads(out)["code"] == "GA"


def test_db_option_wins_over_hcpcs_desktop_db(capsys, tmp_path, monkeypatch, sample_db):
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(tmp_path / "missing.sqlite"))
    code, out, _ = run(capsys, "search", "insulin", "--json", "--db", sample_db)
    assert code == 0 and json.loads(out)["results"][0]["code"] == "S9353"


def test_missing_database_exits_1_naming_it(capsys, tmp_path, monkeypatch):
    missing = tmp_path / "missing.sqlite"
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(missing))
    code, out, err = run(capsys, "search", "insulin")
    assert code == 1 and out == ""
    (line,) = error_lines(err)
    assert str(missing) in line and "Traceback" not in err


# The real entry point -----------------------------------------------------------------------------


def test_python_m_hcpcs_desktop_runs_the_command(tmp_path, sample_db):
    env = {**os.environ, "HCPCS_DESKTOP_DB": str(sample_db), "HCPCS_RELEASES": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "hcpcs_desktop", "show", "S9353", "--json"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["fields"]["short_description"]["value"] == "Hit cont insulin diem"


def test_python_m_hcpcs_desktop_exits_1_on_an_unknown_code(tmp_path, sample_db):
    env = {**os.environ, "HCPCS_DESKTOP_DB": str(sample_db), "HCPCS_RELEASES": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "hcpcs_desktop", "show", "Z9999"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1 and "Z9999" in done.stderr and "Traceback" not in done.stderr


def test_search_text_groups_skipped_tokens_by_why(capsys, sample_db):
    code, out, err = run(capsys, "search", "S9353, 99213, 99214, XX999", "--db", sample_db)
    assert code == 0 and out.split()[0] == "S9353"
    assert "99213, 99214 are CPT codes, not HCPCS Level II" in err
    assert "XX999 is not a code" in err


# --db before or after the command ------------------------------------------------------------------


@pytest.mark.parametrize("place", ["before", "before with =", "after"])
def test_db_works_before_or_after_the_command(capsys, sample_db, place):
    args = {"before": ["--db", sample_db, "show", "GA", "--json"],
            "before with =": [f"--db={sample_db}", "show", "GA", "--json"],
            "after": ["show", "GA", "--json", "--db", sample_db]}[place]
    code, out, err = run(capsys, *args)
    assert code == 0 and json.loads(out)["code"] == "GA", err


def test_db_after_the_command_wins_over_db_before_it(capsys, tmp_path, sample_db):
    code, out, _ = run(capsys, "--db", tmp_path / "missing.sqlite", "show", "GA", "--json", "--db", sample_db)
    assert code == 0 and json.loads(out)["code"] == "GA"


def test_build_db_writes_to_db_when_no_o_is_given(capsys, tmp_path, sample_release):
    target = tmp_path / "chosen.sqlite"
    code, _, _ = run(capsys, "--db", target, "build-db", sample_release)
    assert code == 0 and release_info(open_database(target))["name"] == "January 2030"


# check --------------------------------------------------------------------------------------------


def test_check_says_which_release_and_that_it_is_sound(capsys, sample_db):
    code, out, err = run(capsys, "check", "--db", sample_db)
    assert code == 0 and err == ""
    assert out.startswith(f"{sample_db}: January 2030, {len(SAMPLE_RECORDS)} codes") and "sound" in out


# export -o FILE -----------------------------------------------------------------------------------


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def test_export_refuses_to_write_over_the_database_being_read(capsys, tmp_path, sample_db):
    db = tmp_path / "hcpcs.sqlite"
    shutil.copy(sample_db, db)
    before = db.read_bytes()
    code, out, err = run(capsys, "export", "-o", db, "--db", db)
    assert code == 1 and out == ""
    (line,) = error_lines(err)
    assert str(db) in line and "the database being read" in line and "nothing was written" in line
    assert db.read_bytes() == before and files_in(tmp_path) == [db]


def test_export_refuses_to_overwrite_any_sqlite_database(capsys, tmp_path, sample_db):
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    code, _, err = run(capsys, "export", "-o", other, "--db", sample_db)
    (line,) = error_lines(err)
    assert code == 1 and str(other) in line and "SQLite database" in line
    assert other.read_bytes() == before


def test_export_refuses_a_folder_or_a_missing_folder(capsys, tmp_path, sample_db):
    for target, says in ((tmp_path, "is a folder"), (tmp_path / "nowhere" / "codes.csv", "does not exist")):
        code, _, err = run(capsys, "export", "-o", target, "--db", sample_db)
        (line,) = error_lines(err)
        assert code == 1 and says in line and "Traceback" not in err


def test_export_replaces_an_earlier_export_whole_and_leaves_no_temporary_file(capsys, tmp_path, sample_db):
    target = tmp_path / "codes.csv"
    target.write_text("an earlier export, longer than the new one will be\n" * 1000, encoding="utf-8")
    code, _, _ = run(capsys, "export", "--format", "csv", "-o", target, "--db", sample_db)
    assert code == 0 and files_in(tmp_path) == [target]
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("code,") and len(rows) == len(SAMPLE_RECORDS) + 1


def test_an_export_that_fails_half_way_leaves_the_earlier_file_as_it_was(capsys, tmp_path, sample_db, monkeypatch):
    target = tmp_path / "codes.jsonl"
    target.write_text("earlier\n", encoding="utf-8")

    def fail_half_way(conn, out, format, payment):
        out.write("half a line")
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(cli, "_write_export", fail_half_way)
    code, out, err = run(capsys, "export", "-o", target, "--db", sample_db)
    (line,) = error_lines(err)
    assert code == 1 and "No space left on device" in line and str(target) in line and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "earlier\n" and files_in(tmp_path) == [target]


# Whatever fails, one line -------------------------------------------------------------------------


def test_an_unexpected_error_in_a_command_is_one_line_naming_the_command(capsys, sample_db, monkeypatch):
    def broken(conn, code):
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(session, "load_code", broken)  # the page is read by the session, as the window reads it
    code, out, err = run(capsys, "show", "GA", "--db", sample_db)
    assert code == 1 and out == "" and "Traceback" not in err
    assert err.strip() == "error: show failed: RuntimeError: something unforeseen"


def test_ctrl_c_in_a_command_is_one_line_and_exit_130(capsys, sample_db, monkeypatch):
    def interrupted(conn, code):
        raise KeyboardInterrupt

    monkeypatch.setattr(session, "load_code", interrupted)
    code, out, err = run(capsys, "show", "GA", "--db", sample_db)
    assert code == INTERRUPTED == 130 and out == "" and err.strip() == "interrupted; nothing was changed"


@pytest.fixture(scope="module")
def large_db(tmp_path_factory) -> Path:
    """A database of 2,000 codes: its export (2.5 MB) outgrows a pipe's buffer."""
    from hcpcs_desktop.data.build import build_database

    folder = tmp_path_factory.mktemp("large")
    records = [record(f"E{n:04d}", f"Walking aid model {n}, adjustable height, rubber tips, any material, each",
                      f"Walking aid {n}") for n in range(2000)]
    db = folder / "hcpcs.sqlite"
    build_database(write_txt(folder / "HCPC2030_JAN_ANWEB.txt", records), db)
    return db


def test_sigint_during_a_real_export_exits_130_with_one_line(tmp_path, large_db):
    env = {**os.environ, "HCPCS_DESKTOP_DB": str(large_db), "HCPCS_RELEASES": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "hcpcs_desktop", "export"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    try:
        assert process.stdout.read(1) == b"{"  # exporting; it blocks once the pipe is full
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert err.decode().strip() == "interrupted; nothing was changed"


@pytest.mark.parametrize("command", ["search", "show"])
def test_search_and_show_start_without_the_build_machinery(tmp_path, sample_db, command):
    env = {**os.environ, "HCPCS_DESKTOP_DB": str(sample_db), "HCPCS_RELEASES": str(tmp_path)}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "hcpcs_desktop", command, "E0100"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "hcpcs_desktop.data.database" in imported  # the measure sees the modules the command needs
    assert not {"sqlite_utils", "dateutil", "click", "hcpcs_desktop.data.build"} & imported


def test_version_prints_the_version_and_opens_no_window(capsys):
    from hcpcs_desktop import __version__

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"hcpcs-desktop {__version__}\n"
