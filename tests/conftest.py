"""Shared test fixtures."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

# The window tests run headless unless a display is chosen on purpose.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def user_folders_of_the_session(tmp_path_factory):
    """The user's cache and data folders are folders of the test session's own, never the user's: builds
    keep what they derive there (`build_cache`: the first real build of the session fills it, the later
    ones take from it), and so does the release index; the store of releases found there is the
    session's (a command without --store reads no release of the user's)."""
    folders = {"XDG_CACHE_HOME": tmp_path_factory.mktemp("cache"), "XDG_DATA_HOME": tmp_path_factory.mktemp("data")}
    previous = {name: os.environ.get(name) for name in folders}
    os.environ.update({name: str(folder) for name, folder in folders.items()})
    yield folders
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def releases_dir() -> Path:
    """The folder of real CMS releases: $HCPCS_RELEASES, default ../shared/data/hcpcs.

    A relative path is taken from the repository root. Tests that need it are
    skipped when it is missing, except on CI (CI=true), where they fail.
    """
    path = REPO_ROOT / os.environ.get("HCPCS_RELEASES", "../shared/data/hcpcs")
    if not path.is_dir():
        _missing(f"CMS release folder not found: {path} (set HCPCS_RELEASES)")
    return path.resolve()


def _missing(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def finishes(action, seconds: float = 5.0):
    """Run `action` in a thread; fail (not hang) when it has not returned within `seconds`."""
    outcome: list = []

    def run():
        try:
            outcome.append(("value", action()))
        except BaseException as exc:  # handed to the test below
            outcome.append(("error", exc))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"still running after {seconds} s"
    kind, value = outcome[0]
    if kind == "error":
        raise value
    return value


def real_file(releases_dir: Path, relative: str) -> Path:
    """A file of the real CMS releases; skipped (a failure when CI=true) when it is missing."""
    path = releases_dir / relative
    if not path.is_file():
        _missing(f"{path} not found")
    return path


# Synthetic release shared by the build, search and command-line tests ---------------------------


@pytest.fixture(scope="session")
def sample_release(tmp_path_factory) -> Path:
    """A folder holding a synthetic January 2030 release of SAMPLE_RECORDS, with layout and notes.

    Files: HCPC2030_JAN_ANWEB.txt, HCPC2030_recordlayout.txt, proc_notes_JAN2030.txt.
    Treat it as read-only: several test modules share it.
    """
    from release_files import SAMPLE_RECORDS, write_layout, write_notes, write_txt

    folder = tmp_path_factory.mktemp("sample_release")
    write_txt(folder / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS)
    write_layout(folder / "HCPC2030_recordlayout.txt")
    write_notes(folder / "proc_notes_JAN2030.txt")
    return folder


def october_2025_db(folder: Path, records=None) -> Path:
    """A database in `folder` of an October 2025 release of `records` (default SAMPLE_RECORDS),
    with layout and notes: the release the window and session tests open, a quarter before the
    January 2026 one they import."""
    from hcpcs_desktop.data.build import build_database
    from release_files import SAMPLE_RECORDS, write_layout, write_notes, write_txt

    release = write_txt(folder / "HCPC2025_OCT_ANWEB.txt", SAMPLE_RECORDS if records is None else records)
    db = folder / "hcpcs.sqlite"
    build_database(release, db, layout=write_layout(folder / "layout.txt"), notes=write_notes(folder / "notes.txt"))
    return db


@pytest.fixture(scope="session")
def sample_db(sample_release, tmp_path_factory) -> Path:
    """A database built once from `sample_release` (layout and notes included). Read-only use."""
    from hcpcs_desktop.data.build import build_database

    db = tmp_path_factory.mktemp("sample_db") / "hcpcs.sqlite"
    build_database(
        sample_release / "HCPC2030_JAN_ANWEB.txt",
        db,
        layout=sample_release / "HCPC2030_recordlayout.txt",
        notes=sample_release / "proc_notes_JAN2030.txt",
    )
    return db


# A command paused in the middle of a build, for the tests that kill or interrupt it ----------------

_PAUSED_COMMAND = """
import inspect, sys, time
from hcpcs_desktop.data import build

unpaused = build.build_database

def paused(*args, **kwargs):
    def progress(fraction, message):
        if message == "Parsing records":
            print("paused", flush=True)
            time.sleep(60)
    call = inspect.signature(unpaused).bind(*args, **kwargs)
    call.arguments["progress"] = progress
    return unpaused(*call.args, **call.kwargs)

build.build_database = paused  # before the modules that import it by name
from hcpcs_desktop import cli
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.fixture
def start_paused(tmp_path):
    """start(args, env) runs `hcpcs-desktop ARGS` (this source tree) until its build reads the
    release, and returns the process, paused there; it is killed at the end of the test."""
    started = []

    def start(args: list[str], env: dict[str, str]):
        script = tmp_path / "paused_command.py"
        script.write_text(_PAUSED_COMMAND)
        process = subprocess.Popen([sys.executable, str(script), *args], cwd=REPO_ROOT,
                                   env={**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)},
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(process)
        assert process.stdout.readline() == "paused\n", process.stderr.read()
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


# The window, opened as a user starts it ---------------------------------------------------------


@pytest.fixture
def settings_dir(tmp_path, qapp):
    """Each test starts with empty user settings in its own folder."""
    from PySide6.QtCore import QSettings

    from hcpcs_desktop.ui.app import create_app

    create_app([])
    folder = tmp_path / "config"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


def open_window(qtbot, db: Path, releases):
    """A main window on the database `db` with the store `releases`, shown, active and ready for
    typing in the search box, as a restart would open it."""
    from hcpcs_desktop.ui.app import open_or_build, start_session
    from hcpcs_desktop.ui.main_window import MainWindow
    from hcpcs_desktop.ui.user_state import UserState

    path, conn, problem = open_or_build(db, None)
    state = UserState()
    window = MainWindow(start_session(state, path, conn, problem, releases), state)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.focus_search()
    return window
