"""The session without a window: opening, switching, searching, importing, history, the coder's codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sqlite3
import threading
from pathlib import Path

import pytest

from hcpcs_desktop import session as session_module
from hcpcs_desktop.claim_lines import read_lines
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.search import Filters
from hcpcs_desktop.search.query import QueryKind
from hcpcs_desktop.session import Session
from hcpcs_desktop.user_codes import UserCodes
from conftest import october_2025_db
from release_files import SAMPLE_RECORDS, record, write_txt


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return october_2025_db(tmp_path_factory.mktemp("session"))


def newer_release(folder):
    records = [dict(r) for r in SAMPLE_RECORDS]
    for r in records:
        if r["code"] == "S9353":
            r["short_description"] = "Hit cont insulin per diem"
    records.append(record("E0110", "Forearm crutches with adjustable height, a pair", "Forearm crutches pair"))
    return write_txt(folder / "HCPC2026_JAN_ANWEB.txt", records)


@pytest.fixture
def session(tmp_path, sample_db, monkeypatch):
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    copy = tmp_path / "october.sqlite"
    shutil.copy(sample_db, copy)
    made = Session(UserCodes(tmp_path / "codes.json"), ReleaseStore(tmp_path / "store", extra=[copy]))
    assert made.open(copy) is None
    return made


def test_a_session_searches_the_open_release(session):
    result = session.search("insulin")
    assert [hit.code for hit in result.hits] == ["S9353"]
    assert session.page("S9353").short_description == "Hit cont insulin diem"
    assert session.page("Z9999") is None
    assert session.release["name"] == "October 2025"


def test_the_read_ahead_reads_the_names_the_search_bridges_so_the_first_search_waits_on_none(session):
    def product_names() -> int:
        return sum(a.source == "product" for alternatives in session.engine.vocabulary.alternatives.values()
                   for a in alternatives)

    assert session.conn.execute("SELECT count(*) FROM product_names").fetchone()[0] > 100
    assert product_names() == 0  # not read when the release is opened
    session.read_ahead()
    assert product_names() > 100


def test_the_read_ahead_loads_the_stemmer_so_the_first_word_typed_waits_on_none(sample_db, tmp_path):
    code = ("import sys; from pathlib import Path; from hcpcs_desktop.session import Session; "
            "from hcpcs_desktop.user_codes import UserCodes; from hcpcs_desktop.data.release_store import ReleaseStore; "
            f"s = Session(UserCodes(Path({str(tmp_path / 'codes.json')!r})), ReleaseStore(Path({str(tmp_path)!r}))); "
            f"s.open(Path({str(sample_db)!r})); before = 'snowballstemmer' in sys.modules; s.read_ahead(); "
            "print(before, 'snowballstemmer' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_a_session_starts_with_the_build_machinery_unloaded(tmp_path):
    code = ("import sys; from hcpcs_desktop.session import Session; "
            "print(sorted(m for m in ('sqlite_utils', 'dateutil', 'click', 'hcpcs_desktop.data.build') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_empty_query_lists_favorites_then_recent_codes(session):
    session.toggle_favorite("E0100")
    session.visited("S9353")
    session.visited("E0100")
    result = session.search("")
    assert result.query.kind == QueryKind.EMPTY
    assert [hit.code for hit in result.hits] == ["E0100", "S9353"]
    session.visited("A0000")  # a code of another release is no news here
    assert not session.search("").unknown
    assert [hit.code for hit in session.search("", Filters(section="S")).hits] == ["S9353"]


def test_a_database_that_cannot_be_opened_leaves_the_open_one(session, tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    problem = session.open(bad)
    assert "bad.sqlite" in problem and "\n" not in problem
    assert session.release["name"] == "October 2025" and session.search("insulin").total == 1


def test_switching_releases_forgets_the_pages_of_the_old_one(session, tmp_path):
    newer = build_database(newer_release(tmp_path), tmp_path / "january.sqlite").db_path
    assert session.page("S9353").short_description == "Hit cont insulin diem"
    assert session.open(newer) is None
    assert session.release["name"] == "January 2026"
    assert session.page("S9353").short_description == "Hit cont insulin per diem"
    assert session.search("crutches").total == 1


def test_import_builds_into_the_store_on_a_worker_and_reports_progress(session, tmp_path):
    reports, done = [], threading.Event()
    outcomes = []
    session.start_import(newer_release(tmp_path), lambda f, m: reports.append((threading.current_thread().name, f)),
                         lambda outcome: (outcomes.append(outcome), done.set()), documents={})
    assert done.wait(60)
    (outcome,) = outcomes
    assert outcome.stored.name == "January 2026" and not outcome.problem
    assert reports and all(name == "import-release" for name, _ in reports)
    assert session.release["name"] == "October 2025"  # opening the new one is the caller's step
    assert [r.name for r in session.store.releases()] == ["October 2025", "January 2026"]


def test_a_broken_release_is_refused_and_nothing_changes(session, tmp_path):
    broken = tmp_path / "HCPC2026_APR_ANWEB.txt"
    broken.write_bytes(b"S9353001003" + b"x" * 100 + b"\r\n")
    outcome = session.import_release(broken, documents={})
    assert outcome.stored is None and "HCPC2026_APR_ANWEB.txt, line 1" in outcome.problem
    assert not list(session.store.folder.glob("*.sqlite"))


def test_history_across_releases_opens_no_connection_to_keep(session, tmp_path, monkeypatch):
    stored = session.import_release(newer_release(tmp_path), documents={}).stored
    assert session.open(stored.path) is None
    opened = []
    real_open = session_module.open_database
    monkeypatch.setattr("hcpcs_desktop.data.changes.open_database",
                        lambda p, **checks: opened.append(p) or real_open(p, **checks))
    history = session.history("S9353")
    assert any("Hit cont insulin per diem" in line for line in history)
    assert len(opened) == 2
    assert session.history("S9353") == history and len(opened) == 2  # read once per code


def test_a_release_damaged_in_the_store_is_left_out_of_history(session, tmp_path):
    stored = session.import_release(newer_release(tmp_path), documents={}).stored
    assert session.open(stored.path) is None
    assert len(session.releases()) == 2
    (tmp_path / "october.sqlite").write_bytes(b"damaged" * 1000)
    assert session.history("S9353") == []
    assert [r.name for r in session.releases()] == ["January 2026"]


def test_a_release_damaged_in_the_store_is_left_out_of_checking_claim_lines(session, tmp_path):
    stored = session.import_release(newer_release(tmp_path), documents={}).stored
    assert session.open(stored.path) is None
    assert len(session.releases()) == 2
    (tmp_path / "october.sqlite").write_bytes(b"damaged" * 1000)
    checker = session.line_checker("PA", "dme")
    assert [r.name for r in checker.releases] == ["January 2026"]
    [result] = checker.check_all(read_lines("E0110 1 02/01/2026\n").lines)
    assert result.line.code == "E0110" and "unknown_code" not in {f.kind for f in result.findings}
    assert session.conn is not None and session.problem is None


@pytest.mark.parametrize("change", [
    "ALTER TABLE codes RENAME TO old_codes",
    "ALTER TABLE codes DROP COLUMN added_date",
    "DELETE FROM release",
    "UPDATE release SET release_date = NULL",
])
def test_a_release_changed_since_it_was_listed_is_left_out_of_history(session, tmp_path, change):
    """History reads do not check again what the listing checked: a release changed since then
    fails when read (in any way), is checked in full, and is left out."""
    stored = session.import_release(newer_release(tmp_path), documents={}).stored
    assert session.open(stored.path) is None
    assert len(session.releases()) == 2
    with sqlite3.connect(tmp_path / "october.sqlite") as conn:
        conn.execute(change)
    conn.close()
    assert session.history("S9353") == []
    assert [r.name for r in session.releases()] == ["January 2026"]


def test_pages_and_histories_are_kept_within_bounds(session, monkeypatch):
    monkeypatch.setattr(session._pages, "size", 3)
    for code in ("S9353", "E0100", "E0101", "E0105", "A4233"):
        session.page(code)
    assert list(session._pages) == ["E0101", "E0105", "A4233"]


def test_two_users_of_the_codes_file_keep_each_others_stars(tmp_path):
    first, second = UserCodes(tmp_path / "codes.json"), UserCodes(tmp_path / "codes.json")
    assert first.toggle_favorite("S9353")
    assert second.toggle_favorite("E0100")
    second.visited("A4233")
    first.visited("E0101")
    again = UserCodes(tmp_path / "codes.json")
    assert again.favorites == ["S9353", "E0100"] and again.recent == ["E0101", "A4233"]
    assert not list(tmp_path.glob(".codes-*"))


def test_an_unwritable_codes_file_raises_and_a_garbled_one_holds_nothing(tmp_path):
    (tmp_path / "codes.json").write_text("{not json", encoding="utf-8")
    codes = UserCodes(tmp_path / "codes.json")
    assert codes.favorites == [] and codes.recent == []
    (tmp_path / "codes.json").write_text(json.dumps({"favorites": [3, "s9353", None], "recent": "x"}))
    assert UserCodes(tmp_path / "codes.json").favorites == ["S9353"]
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "codes.json").mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(OSError):
        UserCodes(blocked / "codes.json").toggle_favorite("S9353")


# ----- releases over time


def test_a_release_switched_to_is_the_one_the_next_start_opens(session, tmp_path):
    stored = session.import_release(newer_release(tmp_path), documents={}).stored
    assert session.switch(stored.path) is None
    assert session.store.database_to_open() == stored.path
    october = next(r for r in session.releases() if r.name == "October 2025")
    assert session.switch(october.path) is None
    assert session.store.database_to_open() == october.path
    assert session.switch(tmp_path / "missing.sqlite") is not None  # refused: nothing remembered
    assert session.store.database_to_open() == october.path


def test_the_newer_release_the_age_and_the_copy_of_a_stored_release(session, tmp_path):
    import datetime as dt

    assert session.newer_release() is None
    session.today = lambda: dt.date(2026, 3, 2)
    assert session.release_age() == 5
    session.today = lambda: dt.date(2025, 10, 30)
    assert session.release_age() == 0
    session.import_release(newer_release(tmp_path), documents={})
    session.open(session.db_path)  # the list of releases is read again
    assert session.newer_release().name == "January 2026"
    copy = shutil.copy(session.db_path, tmp_path / "elsewhere.sqlite")
    session.open(copy)
    assert [session.shows(r) for r in session.releases()] == [True, False]  # the same date and data


def test_the_date_of_service_says_which_release_applied(session, tmp_path):
    import datetime as dt

    from hcpcs_desktop.data.validity import Reason

    records = [dict(r) for r in SAMPLE_RECORDS]
    for r in records:
        if r["code"] == "E0101":
            r["termination_date"], r["action_code"] = "20251231", "D"
    session.import_release(write_txt(tmp_path / "HCPC2026_JAN_ANWEB.txt", records), documents={})
    session.open(session.db_path)
    assert session.validity("E0101") is None  # no date entered
    session.service_date = dt.date(2026, 2, 1)
    facts = session.validity("E0101")
    assert (facts.valid, facts.reason, facts.release.name) == (False, Reason.TERMINATED, "January 2026")
    session.service_date = dt.date(2025, 11, 15)
    facts = session.validity("E0101")
    assert (facts.valid, facts.release.name) == (True, "October 2025")


def test_a_damaged_page_met_while_searching_closes_the_release_and_says_why(session, monkeypatch):
    import sqlite3

    told = []
    session.on_problem = lambda: told.append(session.problem)

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(session.engine, "search", damaged)
    result = session.search("insulin")
    assert result.total == 0 and session.conn is None
    assert len(told) == 1 and "october.sqlite" in told[0] and "malformed" in told[0]
    assert session.page("S9353") is None and session.search("S9353").total == 0


def test_a_payment_file_goes_into_every_stored_release_or_none(session, tmp_path):
    from payment_files import truncate, write_mue

    from hcpcs_desktop.data.database import open_database
    from hcpcs_desktop.data.payment import payment_facts

    stored = session.import_release(newer_release(tmp_path), documents={}).stored
    (tmp_path / "in").mkdir()
    bad = truncate(write_mue(tmp_path / "in"), 0.5)
    before = {p: p.read_bytes() for p in (stored.path, session.db_path)}
    outcome = session.import_release(bad)
    assert bad.name in outcome.problem and not outcome.payment
    assert {p: p.read_bytes() for p in before} == before
    outcome = session.import_release(write_mue(tmp_path))
    assert not outcome.problem
    assert sorted(release.name for release, _ in outcome.payment) == ["January 2026", "October 2025"]
    for path in before:
        assert payment_facts(open_database(path), "E0431").mue[0].units == 1
    left = [p.name for p in stored.path.parent.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock")]
    assert left == []


def _failing_rename(monkeypatch, fails, code=None):
    """os.replace raising `code` (default EBUSY, as for a database held open on Windows) where
    `fails(source, target)`."""
    import errno
    import os

    real = os.replace
    code = errno.EBUSY if code is None else code

    def replace(source, target):
        if fails(Path(source), Path(target)):
            raise OSError(code, os.strerror(code), str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("error", ["EIO", "EBUSY", "EPERM"])  # a failing disk, a file held open, an immutable one
def test_a_payment_file_that_cannot_be_renamed_into_one_database_is_in_none(session, tmp_path, monkeypatch, error):
    import errno
    import os

    from payment_files import write_mue

    stored = session.import_release(newer_release(tmp_path), documents={}).stored
    before = {p: p.read_bytes() for p in (stored.path, session.db_path)}
    _failing_rename(monkeypatch, lambda source, target: target.name == "october.sqlite" and ".payment-" in source.name,
                    getattr(errno, error))
    outcome = session.import_release(write_mue(tmp_path))
    assert not outcome.payment
    assert outcome.problem.startswith(f"{session.db_path}: cannot add MCR_MUE_DMESupplierServices_Eff_04-01-2030.csv "
                                      f"({os.strerror(getattr(errno, error))}); nothing was changed")
    assert {p: p.read_bytes() for p in before} == before  # January 2026 was renamed first, and put back
    assert [p.name for p in tmp_path.rglob(".*") if not p.name.endswith(".lock")] == []


def test_a_database_that_cannot_be_put_back_is_named_as_the_one_that_changed(session, tmp_path, monkeypatch):
    from payment_files import write_mue

    stored = session.import_release(newer_release(tmp_path), documents={}).stored
    _failing_rename(monkeypatch, lambda source, target: target.name == "october.sqlite" or ".kept-" in source.name)
    outcome = session.import_release(write_mue(tmp_path))
    assert outcome.problem == (f"{session.db_path}: cannot add MCR_MUE_DMESupplierServices_Eff_04-01-2030.csv "
                               f"(Device or resource busy); it is in {stored.path} only, which could not be put "
                               "back as it was.")


def test_what_a_killed_payment_import_left_is_removed_by_the_next(session, tmp_path):
    from payment_files import write_mue

    stored = session.import_release(newer_release(tmp_path), documents={}).stored
    left = [stored.path.with_name(f".{stored.path.name}.payment-x1y2.partial"),
            session.db_path.with_name(f".{session.db_path.name}.payment-a1b2.partial"),
            session.db_path.with_name(f".{session.db_path.name}.kept-c3d4.partial"),
            stored.path.with_name(f".{stored.path.name}.payment-e5f6.partial-journal")]  # SQLite's, of a copy
    for path in left:
        path.write_bytes(b"\0" * 4096)  # a copy of ~20 MB in life
    assert not session.import_release(write_mue(tmp_path)).problem
    assert [p.name for p in tmp_path.rglob(".*") if not p.name.endswith(".lock")] == []
