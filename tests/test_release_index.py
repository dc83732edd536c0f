"""The release index: a listing and a code's history read from it say exactly what they say read from
the databases, across imports, a release removed, replaced or damaged, the database given with --db,
and the releases a database carries; a file changed since it was read is read again, never taken
from the index, and an index that cannot be used costs time, never a listing or a history."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest
from hcpcs_desktop.data import changes, release_index
from hcpcs_desktop.data.changes import code_history
from hcpcs_desktop.data.release_index import ReleaseIndex
from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.session import Session
from hcpcs_desktop.user_codes import UserCodes
from test_history import QUARTERS, quarters  # noqa: F401 (the fixture)

CODES = ["S9353", "E0101", "A4300", "E0110", "G0476", "K0001", "E0100", "Z9999"]


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (in use they are read again until SETTLED_SECONDS old)."""
    monkeypatch.setattr(release_index, "SETTLED_SECONDS", -1.0)


@pytest.fixture
def store(tmp_path, quarters):  # noqa: F811
    """A store of the three quarters, each a database of its own, with an index of its own."""
    folder = tmp_path / "store"
    folder.mkdir()
    _, _, own, _ = quarters
    for date, path in own.items():
        shutil.copy(path, folder / f"{date}.sqlite")
    return ReleaseStore(folder, extra=[], index=ReleaseIndex(tmp_path / "cache" / "releases.sqlite"))


def unindexed(store: ReleaseStore) -> ReleaseStore:
    """The same releases, listed without an index (its place is under a file: it can never be made)."""
    plain = store.folder.parent / "a-file"
    plain.touch()
    return ReleaseStore(store.folder, extra=store.extra, index=ReleaseIndex(plain / "releases.sqlite"))


def histories(releases, index=None) -> dict:
    return {code: code_history(releases, code, listed=True, index=index) for code in CODES}


def read_without_opening(monkeypatch):
    opened = []
    real = changes.open_database
    monkeypatch.setattr(changes, "open_database", lambda path, **checks: opened.append(path) or real(path, **checks))
    return opened


def test_a_history_read_from_the_index_is_the_history_read_from_the_databases(store, settled, monkeypatch):
    releases = store.releases()
    assert store.index.index_codes([r.path for r in releases]) == 3
    before = histories(releases)
    opened = read_without_opening(monkeypatch)
    assert histories(store.releases(), store.index) == before
    assert opened == []  # every release came from the index
    assert any("Terminated 2030-12-31" in e.text for e in before["E0101"])
    assert any("Reinstated" in e.text for e in before["E0101"])


def test_a_listing_from_the_index_is_the_listing_from_the_databases(store, settled, monkeypatch):
    listed = store.releases()
    assert listed == unindexed(store).releases()
    monkeypatch.setattr(release_index, "open_database", None)  # nothing may be opened now
    monkeypatch.setattr("hcpcs_desktop.data.release_store.open_database", None)
    assert store.releases() == listed
    assert [(r.file_name, r.data_sha256) for r in store.releases()] == [(r.file_name, r.data_sha256) for r in listed]


def test_a_release_imported_after_the_index_was_written_is_listed_and_read_from_its_file(store, settled, quarters,
                                                                                         tmp_path, monkeypatch):  # noqa: F811
    (store.folder / "2031-04-01.sqlite").unlink()
    store.index.index_codes([r.path for r in store.releases()])
    _, files, _, _ = quarters
    imported = store.import_release(files["2031-04-01"], layout=None, notes=None).release
    releases = store.releases()
    assert [r.release_date for r in releases] == list(QUARTERS)
    expected = histories(unindexed(store).releases())
    opened = read_without_opening(monkeypatch)
    assert histories(releases, store.index) == expected
    assert set(opened) == {imported.path}  # not in the index yet: read from its file
    store.index.index_codes([r.path for r in releases])
    opened.clear()
    assert histories(releases, store.index) == expected
    assert opened == []


def test_a_release_removed_is_listed_no_more_and_leaves_the_history(store, settled):
    store.index.index_codes([r.path for r in store.releases()])
    (store.folder / "2031-01-01.sqlite").unlink()
    releases = store.releases()
    assert [r.release_date for r in releases] == ["2030-10-01", "2031-04-01"]
    assert histories(releases, store.index) == histories(unindexed(store).releases())


@pytest.mark.parametrize("damage", ["garbage", "same size and times"])
def test_a_release_damaged_since_it_was_indexed_is_never_listed_or_read_from_the_index(store, settled, damage):
    store.index.index_codes([r.path for r in store.releases()])
    damaged = store.folder / "2031-01-01.sqlite"
    if damage == "garbage":
        damaged.write_bytes(b"damaged" * 1000)
    else:  # the header wiped in place, its size and modification time put back as they were
        times = damaged.stat()
        with open(damaged, "r+b") as file:
            file.write(b"\0" * 100)
        os.utime(damaged, ns=(times.st_atime_ns, times.st_mtime_ns))
        assert damaged.stat().st_size == times.st_size
    releases = store.releases()
    assert [r.release_date for r in releases] == ["2030-10-01", "2031-04-01"]
    assert histories(releases, store.index) == histories(unindexed(store).releases())


def test_a_release_replaced_by_another_is_read_again(store, settled, quarters, tmp_path):  # noqa: F811
    """A database the window has open (--db) replaced by another release: the listing and the
    history say the new one."""
    _, _, own, carrying = quarters
    shown = tmp_path / "given.sqlite"
    shutil.copy(own["2030-10-01"], shown)
    (store.folder / "2030-10-01.sqlite").unlink()
    listed = store.releases(shown=shown)
    store.index.index_codes([r.path for r in listed])
    assert [r.path for r in listed][0] == shown
    shutil.copy(carrying.db_path, tmp_path / "new.sqlite")
    os.replace(tmp_path / "new.sqlite", shown)  # April 2031 carrying October 2030 and January 2031
    listed = store.releases(shown=shown)
    assert [(r.release_date, r.path, r.carried) for r in listed] == [
        ("2030-10-01", shown, True), ("2031-01-01", store.folder / "2031-01-01.sqlite", False),
        ("2031-04-01", shown, False)]
    assert listed == unindexed(store).releases(shown=shown)
    store.index.index_codes([r.path for r in listed])
    assert histories(listed, store.index) == histories(listed)


def test_the_releases_a_database_carries_are_read_from_the_index_as_from_the_database(quarters, settled, tmp_path,
                                                                                      monkeypatch):  # noqa: F811
    _, _, _, carrying = quarters
    store = ReleaseStore(tmp_path / "empty", extra=[carrying.db_path], index=ReleaseIndex(tmp_path / "index.sqlite"))
    releases = store.releases()
    assert [r.carried for r in releases] == [True, True, False]
    store.index.index_codes([carrying.db_path])
    before = histories(releases)
    opened = read_without_opening(monkeypatch)
    assert histories(releases, store.index) == before
    assert opened == []


def test_a_file_just_changed_is_read_in_full_until_it_has_settled(store, monkeypatch):
    """A change in the same tick of the file system's clock may leave a file's times as they were."""
    read = []

    def reading(path):
        read.append(path)
        from hcpcs_desktop.data.release_store import _listing
        return _listing(path)

    paths = sorted(store.folder.glob("*.sqlite"))
    store.index.listings(paths, reading)
    store.index.listings(paths, reading)
    assert read == paths * 2  # just written: not settled
    assert store.index.index_codes(paths) == 0
    monkeypatch.setattr(release_index, "SETTLED_SECONDS", -1.0)
    store.index.listings(paths, reading)
    read.clear()
    store.index.listings(paths, reading)
    assert read == []


@pytest.mark.parametrize("index", ["a folder", "garbage"])
def test_an_index_that_cannot_be_used_costs_time_never_a_listing_or_a_history(store, settled, tmp_path, index):
    place = tmp_path / "bad-index"
    if index == "a folder":
        place.mkdir()
    else:
        place.write_bytes(b"not a database" * 100)
    bad = ReleaseStore(store.folder, extra=[], index=ReleaseIndex(place))
    releases = bad.releases()
    assert releases == unindexed(store).releases()
    assert histories(releases, bad.index) == histories(releases)
    # A folder stays in the way; a damaged file is made anew.
    assert bad.index.index_codes([r.path for r in releases]) == (0 if index == "a folder" else 3)
    assert histories(releases, bad.index) == histories(releases)


def test_the_session_reads_a_codes_history_from_the_index_once_its_worker_has_read_the_codes(store, settled,
                                                                                             tmp_path, monkeypatch):
    session = Session(UserCodes(tmp_path / "codes.json"), store=store)
    assert session.open(store.folder / "2031-04-01.sqlite") is None
    expected = session.history("E0101")
    session.forget_releases()
    session.read_ahead()
    session.indexing.join(30)
    opened = read_without_opening(monkeypatch)
    assert session.history("E0101") == expected and opened == []
    with sqlite3.connect(store.folder / "2031-01-01.sqlite") as conn:  # changed since it was indexed
        conn.execute("ALTER TABLE codes RENAME TO old_codes")
    conn.close()
    session._histories.clear()
    left = [store.folder / "2030-10-01.sqlite", store.folder / "2031-04-01.sqlite"]
    assert session.history("E0101") == [event.text for event in code_history(left, "E0101")]
    assert [r.release_date for r in session.releases()] == ["2030-10-01", "2031-04-01"]


def test_a_release_whose_codes_the_index_cannot_keep_exactly_is_read_from_its_file(store, settled, monkeypatch):
    """A value JSON cannot hold (bytes where CMS writes text, in a field a history does not compare)
    is not kept: that release is read from its file, the others from the index."""
    odd = store.folder / "2030-10-01.sqlite"
    with sqlite3.connect(odd) as conn:
        conn.execute("UPDATE codes SET sequence_number = x'00ff' WHERE code = 'S9353'")
    conn.close()
    releases = store.releases()
    assert store.index.index_codes([r.path for r in releases]) == 2  # the other two, after it
    expected = histories(releases)
    opened = read_without_opening(monkeypatch)
    assert histories(releases, store.index) == expected
    assert set(opened) == {odd}
    assert any("Short description changed" in e.text for e in expected["S9353"])
