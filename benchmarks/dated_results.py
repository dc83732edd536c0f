"""The results list with a date of service entered (each row says whether its code was valid
then, from every known release), against the same keys with no date, in the real window.

Usage: PYTHONPATH=. python benchmarks/dated_results.py [--db FILE] [--rounds N]

The database is the newest release under the releases folder built as a plain `build-db` builds
it, with the quarters of the year before it carries (April 2026: October 2025 and January 2026,
three known releases), unless --db names one. Each keystroke is timed from the key to the list
painted with its rows (search, the first page read, the view laid out and painted: the Status
column's validity of every row drawn is read while it is painted). Baseline, measured in the same
run: the same keys with no date of service. CPU time of the measuring thread, and wall time.
Offscreen unless QT_QPA_PLATFORM says otherwise. Goal: a keystroke with a date p95 < 2 x the
baseline's p95 + 5 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _bench import database_for, machine, print_machine, summary, verdict  # noqa: E402

# Typed one key at a time: each first letter matches thousands of codes, each code a new row to date.
TYPED = ["insulin pump", "wheelchair cushion", "j1", "injection", "oxygen", "a4", "e0601", "l"]
SERVICE_DATE = dt.date(2026, 2, 1)


def open_window(db: Path):
    from PySide6.QtCore import QSettings

    from hcpcs_desktop.data.release_store import ReleaseStore
    from hcpcs_desktop.ui.app import create_app, open_or_build, start_session
    from hcpcs_desktop.ui.main_window import MainWindow
    from hcpcs_desktop.ui.user_state import UserState

    home = tempfile.mkdtemp(prefix="dated-results-")
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = home
    app = create_app([])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, home)
    path, conn, problem = open_or_build(db, None)
    state = UserState()
    window = MainWindow(start_session(state, path, conn, problem, ReleaseStore(os.path.join(home, "store"),
                                                                               extra=[])), state)
    window.resize(1180, 760)
    window.show()
    app.processEvents()
    return app, window


def typing(app, window, rounds: int) -> tuple[list[float], list[float]]:
    """(CPU ms, wall ms) of each keystroke until the list is painted with its rows."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    box, view, cpu, wall = window.pane.searchBox, window.pane.resultsView, [], []
    for _ in range(rounds):
        for text in TYPED:
            QTest.keyClick(box, Qt.Key.Key_Escape)
            app.processEvents()
            for char in text:
                started, started_cpu = time.perf_counter(), time.thread_time()
                QTest.keyClicks(box, char)
                view.executeDelayedItemsLayout()
                view.viewport().repaint()
                cpu.append((time.thread_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
                app.processEvents()
    return cpu, wall


def line(label: str, figures: dict) -> str:
    return f"{label}: median {figures['median']:.2f} ms, p95 {figures['p95']:.2f} ms, max {figures['max']:.2f} ms"


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database (default: build the newest release as build-db does)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print_machine(machine())
    with tempfile.TemporaryDirectory() as folder:
        db = database_for(args.db, folder, announce=True, newest=True)
        app, window = open_window(db)
        known = ", ".join(release.name for release in window.session.releases())
        print(f"known releases: {known}")
        typing(app, window, 1)  # warm: the first search reads what every later one shares
        cpu, wall = (summary(times) for times in typing(app, window, args.rounds))
        print(line("no date, keystroke to the list painted (CPU)", cpu) + f" ({cpu['n']} keys)")
        print(line("no date, keystroke to the list painted (wall)", wall))
        QTest.keyClicks(window.serviceDate.edit, SERVICE_DATE.isoformat())
        QTest.keyClick(window.serviceDate.edit, Qt.Key.Key_Return)
        app.processEvents()
        assert window.session.service_date == SERVICE_DATE, "the date of service was not taken"
        dated_cpu, dated_wall = (summary(times) for times in typing(app, window, args.rounds))
        print(line(f"date of service {SERVICE_DATE}, keystroke to the list painted (CPU)", dated_cpu))
        print(line(f"date of service {SERVICE_DATE}, keystroke to the list painted (wall)", dated_wall))
        goal = 2 * cpu["p95"] + 5
        print(f"goal with a date p95 < 2 x {cpu['p95']:.2f} + 5 = {goal:.2f} ms (CPU): "
              f"{verdict(dated_cpu['p95'] < goal)} ({dated_cpu['p95']:.2f} ms)")
        window.close()


if __name__ == "__main__":
    main()
