"""Memory of the window after 200 searches and 50 code pages, against a bare PySide6 window.

    .venv/bin/python benchmarks/window_memory.py [--db FILE] [--runs 3]

Builds the newest release's database (as a plain `build-db` does) into a temporary folder, or
takes `--db`, then starts, `--runs` times each and in turn, two processes on Qt's offscreen
platform, each with an empty home and config folder:

- baseline: a bare PySide6 window: a search box and a tree view of 50 rows beside a text browser
  showing a page of text;
- the window: the app's main window on the database, shown, its idle read-ahead run (the release
  index's worker included), then 200 searches typed into its search box (prefixes of twenty
  coder queries) and 50 code pages (a search, then a row of the list made current).

Each prints its resident set size (VmRSS, read from /proc: Linux) when done; the figures are medians in MiB. Goal: the
window at most 80 MiB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import REPO_ROOT, database_for, machine, print_machine  # noqa: E402

GOAL_MIB = 80
QUERIES = ["insulin pump", "oxygen concentrator", "wheelchair cushion", "lovenox", "E0601", "back brace",
           "catheter", "walker", "j1650", "knee orthosis", "cpap mask", "tens unit", "compression stockings",
           "ostomy pouch", "glucose strips", "nebulizer", "hospital bed", "patient lift", "power wheelchair",
           "foam dressing"]

BARE = """
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QSplitter, QTextBrowser, QTreeView, QVBoxLayout, QWidget
app = QApplication([])
window, splitter, left = QMainWindow(), QSplitter(), QWidget()
layout = QVBoxLayout(left)
layout.addWidget(QLineEdit())
model, view = QStandardItemModel(50, 4), QTreeView()
for row in range(50):
    for column in range(4):
        model.setItem(row, column, QStandardItem(f"E{row:04} cell {column} of a row of results"))
view.setModel(model)
layout.addWidget(view)
splitter.addWidget(left)
page = QTextBrowser()
page.setHtml("<h1>E0601</h1><p>" + "Continuous positive airway pressure device. " * 60 + "</p>")
splitter.addWidget(page)
window.setCentralWidget(splitter)
window.resize(1200, 800)
window.show()
for _ in range(20):
    app.processEvents()
"""

APP = """
from pathlib import Path
from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.ui.app import create_app, open_or_build, start_session
from hcpcs_desktop.ui.main_window import MainWindow
from hcpcs_desktop.ui.user_state import UserState
app = create_app([])
path, conn, problem = open_or_build(Path(DB), None)
state = UserState()
window = MainWindow(start_session(state, path, conn, problem, ReleaseStore(Path(HOME) / "store", extra=[])), state)
window.resize(1200, 800)
window.show()
def spin(times):
    for _ in range(times):
        app.processEvents()
spin(20)
window.session.read_ahead()
if window.session.indexing is not None:
    window.session.indexing.join()
spin(20)
box, view = window.pane.searchBox, window.pane.resultsView
for i in range(200):
    box.setText(QUERIES[i % len(QUERIES)][: 3 + i % 9])
    spin(3)
for i in range(50):
    box.setText(QUERIES[i % len(QUERIES)])
    spin(3)
    view.setCurrentIndex(view.model().index(i % 5, 0))
    spin(3)
spin(20)
"""

REPORT = "print('RSS', int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024)"


def resident(code: str, home: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "data"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code + REPORT], env=env, cwd=REPO_ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"window_memory: a measured process failed:\n{done.stderr[-2000:]}")
    return float(next(line.split()[1] for line in done.stdout.splitlines() if line.startswith("RSS ")))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an already built database (default: build the newest release's)")
    parser.add_argument("--runs", type=int, default=3, help="processes of each kind (default 3)")
    args = parser.parse_args(argv)
    print_machine(machine())
    with tempfile.TemporaryDirectory(prefix="hcpcs-memory-") as folder:
        db = database_for(args.db, folder, announce=True, newest=True).resolve()
        setup = f"DB, HOME, QUERIES = {str(db)!r}, {{home!r}}, {QUERIES!r}\n"
        bare, window = [], []
        for run in range(args.runs):
            for name, code, into in (("bare", BARE, bare), ("window", APP, window)):
                home = Path(folder) / f"{name}-{run}"
                home.mkdir()
                into.append(resident(setup.format(home=str(home)) + code, home))
                print(f"run {run + 1}: {name} {into[-1]:.1f} MiB", flush=True)
    base, app = statistics.median(bare), statistics.median(window)
    print(f"bare PySide6 window: median {base:.1f} MiB")
    print(f"the window after 200 searches and 50 code pages: median {app:.1f} MiB ({app / base:.2f} x the bare window)")
    print(f"goal the window <= {GOAL_MIB} MiB: {'PASS' if app <= GOAL_MIB else 'FAIL'} ({app:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
