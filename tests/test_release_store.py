"""The store of releases: one database per release, named by its date, imported in order.

An import builds the release, names it by its release date and refuses, changing
nothing, a release older than the newest one known, the same release twice, or a
broken file.
"""

from __future__ import annotations

import platformdirs
import pytest

from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.errors import ReleaseError
from hcpcs_desktop.data.release_store import ReleaseStore, StoredRelease
from release_files import SAMPLE_RECORDS, truncated_lines, write_layout, write_notes, write_txt


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
    assert stored == StoredRelease("April 2030", "2030-04-01", tmp_path / "2030-04-01.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2030-04-01.sqlite"]


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


def test_an_older_release_is_refused_and_nothing_changes(store_with_april, releases):
    store, before = store_with_april
    with pytest.raises(ReleaseError, match=r"January 2030 \(2030-01-01\) is older than April 2030 "
                                           r"\(2030-04-01\), the newest release stored; nothing was changed"):
        import_(store, releases, "JAN")
    assert folder_state(store.folder) == before


def test_the_same_release_twice_is_refused_and_nothing_changes(store_with_april, releases):
    store, before = store_with_april
    with pytest.raises(ReleaseError, match="April 2030 is already imported .*; nothing was changed"):
        import_(store, releases, "APR")
    assert folder_state(store.folder) == before


def test_a_broken_release_is_refused_and_nothing_changes(store_with_april, tmp_path):
    store, before = store_with_april
    broken = write_txt(tmp_path / "HCPC2030_OCT_ANWEB.txt", SAMPLE_RECORDS, lines=truncated_lines(SAMPLE_RECORDS))
    with pytest.raises(ReleaseError, match="HCPC2030_OCT_ANWEB.txt"):
        store.import_release(broken)
    assert folder_state(store.folder) == before


def test_a_release_older_than_an_extra_database_is_refused(tmp_path, releases, sample_db):
    store = ReleaseStore(tmp_path / "store", extra=[sample_db])  # January 2030
    with pytest.raises(ReleaseError, match="is older than January 2030"):
        store.import_release(write_txt(tmp_path / "HCPC2029_OCT_ANWEB.txt", SAMPLE_RECORDS))
    assert folder_state(tmp_path / "store") == {}


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
    assert main(["import", str(releases["JAN"]), "--store", str(tmp_path / "store")]) == 1
    assert "is older than April 2030" in capsys.readouterr().err
