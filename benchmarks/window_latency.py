"""Keystroke -> results model updated and views painted, and start-up time, on Oct 2025.

Usage: python benchmarks/window_latency.py [--db FILE] [--rounds N] [--starts N]

Types real queries one key at a time into the real main window and times each
keystroke until the results view has repainted, and until the detail pane (which
shows the top result) has too; the baseline, measured in the same run after every
keystroke, is the same two panes repainted with nothing typed. Offscreen unless
QT_QPA_PLATFORM says otherwise: on a real X server (`xvfb-run -a env QT_QPA_PLATFORM=xcb
python benchmarks/window_latency.py`) painting goes through the xcb platform as on a desktop.
Start-up is the wall time of a fresh process from launch to a window ready for
typing (the smoke check: open the database, show the window, search once).
Goals: keystroke p95 < 16 ms.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _bench import build_oct_2025, print_machine, machine, summary, verdict  # noqa: E402

QUERIES = [
    "insulin pump", "S9353", "wheelchair cushion", "E0100-E0105", "hit", "knee orthosis",
    "J1817", "oxygen concentrator", "w/o", "catheters", "-GA", "glucose monitor",
    "lovenox", "back brace", "left side modifier", "oxigen concentrator", "E0601-RR",
]
GOAL_MS = 16.0


def build(folder: Path) -> Path:
    db = folder / "hcpcs.sqlite"
    build_oct_2025(db)
    return db


def keystrokes(db: Path, rounds: int) -> tuple[list[float], list[float], list[float]]:
    """(keystroke -> results view painted, keystroke -> results and detail pane painted, and the
    baseline: the same two panes repainted with no keystroke and no search), in ms."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    from hcpcs_desktop.data.database import open_database
    from hcpcs_desktop.ui.app import create_app
    from hcpcs_desktop.ui.main_window import MainWindow
    from hcpcs_desktop.ui.user_state import UserState

    app = create_app([])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    window = MainWindow(db, UserState(), open_database(db))
    window.show()
    app.processEvents()
    results, both, repaint = [], [], []
    for _ in range(rounds):
        for query in QUERIES:
            window.searchBox.clear()
            app.processEvents()
            for char in query:
                start = time.perf_counter()
                QTest.keyClick(window.searchBox, char)
                window.resultsView.viewport().repaint()
                results.append((time.perf_counter() - start) * 1000)
                window.detailView.viewport().repaint()
                both.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                window.resultsView.viewport().repaint()
                window.detailView.viewport().repaint()
                repaint.append((time.perf_counter() - start) * 1000)
            QTest.keyClick(window.searchBox, Qt.Key.Key_Return)
    window.close()
    return results, both, repaint


def start_times(db: Path, starts: int) -> list[float]:
    env = dict(os.environ, HOME=tempfile.mkdtemp(), XDG_CONFIG_HOME=tempfile.mkdtemp())
    times = []
    for _ in range(starts):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hcpcs_desktop", "--smoke", "--db", str(db)],
                       env=env, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an Oct 2025 database (default: build one in a temp folder)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--starts", type=int, default=7)
    args = parser.parse_args()
    print_machine(machine())
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or build(Path(folder))
        results, both, repaint = (summary(times) for times in keystrokes(db, args.rounds))
        print(f"keystrokes timed: {results['n']} ({len(QUERIES)} queries x {args.rounds} rounds), "
              f"platform {os.environ['QT_QPA_PLATFORM']}")
        for label, keys in (("results model + results view painted", results),
                            ("results and detail pane painted", both),
                            ("baseline: both panes repainted, no keystroke", repaint)):
            print(f"keystroke -> {label} median: {keys['median']:.2f} ms, p95: {keys['p95']:.2f} ms, "
                  f"max: {keys['max']:.2f} ms")
        print(f"goal keystroke -> results view painted p95 < {GOAL_MS:.0f} ms: {verdict(results['p95'] < GOAL_MS)}")
        print(f"goal with the detail pane too: {verdict(both['p95'] < GOAL_MS)}")
        starts = summary(start_times(db, args.starts))
        print(f"start-up to window ready (fresh process, --smoke) median of {starts['n']}: {starts['median']:.0f} ms")
        print(f"start-up min: {starts['min']:.0f} ms, max: {starts['max']:.0f} ms")


if __name__ == "__main__":
    main()
