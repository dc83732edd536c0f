"""Start the window: `hcpcs-desktop [CODE] [--search TEXT] [--db FILE] [--release PATH] [--smoke]`."""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..data.database import DatabaseError, damaged, missing_fts5, open_database
from ..data.locations import bundled_database
from ..session import Session
from ..wording import age_text
from .main_window import MainWindow
from .user_state import UserState


def gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hcpcs-desktop", description="Open the HCPCS Desktop window.",
                                     epilog="Commands: build-db, search, show, export (hcpcs-desktop COMMAND -h).")
    parser.add_argument("code", nargs="?", help="a code (or any search) to open with")
    parser.add_argument("--search", help="text to search for at start")
    parser.add_argument("--db", type=Path, help="database file to open")
    parser.add_argument("--release", type=Path, help="CMS release to build the database from if there is none")
    parser.add_argument("--smoke", action="store_true",
                        help="start offscreen, open the database, search, show the window, exit 0 or print what failed")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def open_or_build(db: Path | None, release: Path | None, build: bool = True) -> tuple[Path, object, str | None]:
    """(database path, connection or None, problem) — building from a release when there is no database.

    With no `db`: $HCPCS_DESKTOP_DB, else the release the user last chose, else the newest stored."""
    path = db or database_to_open()
    if not path.is_file() and db is None and build:
        # The build machinery is imported only when there is something to build.
        from ..data.build import build_database
        from ..data.errors import ReleaseError
        from ..data.locations import bridge_sources, build_target, documents, earlier_releases, newest_release

        release = release or newest_release()
        if release is not None:
            path = build_target()
            try:
                print(f"Building the database from {release}…", file=sys.stderr)
                build_database(release, path, **documents(), bridges=bridge_sources(previous=path),
                               earlier=earlier_releases(release))
            except ReleaseError as exc:
                return path, None, f"The release could not be imported: {exc}"
    try:
        return path, open_database(path), None
    except DatabaseError as exc:
        return path, None, str(exc)


def database_to_open() -> Path:
    from ..data.release_store import ReleaseStore

    return ReleaseStore().database_to_open()


def start_session(state: UserState, path: Path, conn, problem: str | None, store=None) -> Session:
    """A session on `conn` (the database at `path`), or on nothing because of `problem`."""
    session = Session(state.codes, store)
    if conn is not None:
        try:
            session.use(conn, path)
        except (DatabaseError, sqlite3.DatabaseError) as exc:  # a damaged page met reading the release
            conn.close()
            session.fail(str(exc) if isinstance(exc, DatabaseError) else damaged(path, exc), path)
    else:
        session.fail(problem or f"No database at {path}.", path)
    return session


# Qt hands every fill taller than about 96 lines (a scroll bar, a pane's background) to a pool of
# threads and waits for them; on a busy two-core workstation the hand-off costs more than the fill
# (window_latency: keystroke -> frame p95 11.2 ms with the pool, 9.2 ms without). Read by Qt once,
# when it first paints, so it is set before the application exists.
SERIAL_PAINTING = ("QT_NO_GUI_THREADPOOL", "1")


def create_app(argv: list[str]) -> QApplication:
    os.environ.setdefault(*SERIAL_PAINTING)
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName("hcpcs-desktop")
    app.setApplicationName("HCPCS Desktop")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return app


def run(argv: list[str]) -> int:
    args = gui_parser().parse_args(argv)
    if args.smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_app([sys.argv[0]])
    # --smoke checks what the app would open, but builds nothing and keeps the user's settings out of it.
    path, conn, problem = open_or_build(args.db, args.release, build=not args.smoke)
    smoke_settings = tempfile.TemporaryDirectory(prefix="hcpcs-smoke-") if args.smoke else None
    state = UserState(QSettings(f"{smoke_settings.name}/settings.ini", QSettings.Format.IniFormat)
                      if smoke_settings else None)
    window = MainWindow(start_session(state, path, conn, problem), state)
    quit_on_interrupt(app)
    text = args.search or args.code
    if text and conn is not None:
        window.pane.searchBox.setText(text)
    if args.smoke:
        return smoke(window, problem)
    window.show()
    window.focus_search()
    return app.exec()


def quit_on_interrupt(app: QApplication) -> None:
    """Ctrl+C in the terminal closes the window as Quit does. Python runs its signal handlers
    only between Qt's calls into it: a timer gives it that chance a few times a second."""
    signal.signal(signal.SIGINT, lambda *_: QTimer.singleShot(0, app.closeAllWindows))
    app._interrupt_timer = QTimer(app, interval=250)  # held by the app, for its whole life
    app._interrupt_timer.timeout.connect(lambda: None)
    app._interrupt_timer.start()


def smoke(window: MainWindow, problem: str | None) -> int:
    """Check that the app can start (on a thoroughly checked database), search, draw and print;
    print the outcome."""
    fts5_problem = missing_fts5()
    print(f"smoke: SQLite {sqlite3.sqlite_version}, FTS5 {'missing' if fts5_problem else 'available'}")
    bundled = bundled_database()
    db_path = window.session.db_path
    is_bundled = bundled is not None and db_path.resolve() == bundled.resolve()
    print(f"smoke: database {db_path}{' (bundled)' if is_bundled else ''}")
    problem = problem or fts5_problem
    try:
        if not problem:
            open_database(db_path, thorough=True).close()  # every page and the search index
            window.show()
            window.pane.searchBox.setText("insulin")
            QTimer.singleShot(0, QApplication.quit)
            QApplication.exec()
    except DatabaseError as exc:
        problem = str(exc)
    if problem:
        print(f"smoke: FAIL: {problem}", file=sys.stderr)
        return 1
    shown = window.pane.model.rowCount()
    drawn = not window.grab().isNull()
    if shown == 0 or window.detailView.page is None or not drawn:
        print(f"smoke: FAIL: search showed {shown} results, detail page: {window.detailView.page is not None}",
              file=sys.stderr)
        return 1
    try:
        from PySide6.QtPrintSupport import QPrinter  # File → Print… and Print preview… need it

        QPrinter()
    except ImportError as exc:
        print(f"smoke: FAIL: printing is missing ({exc})", file=sys.stderr)
        return 1
    print(f"smoke: OK: {window.session.release['name']} ({age_text(window.session.release_age())}), "
          f"'insulin' -> {window.pane.model.result.total} codes, top {window.detailView.page.code}")
    return 0
