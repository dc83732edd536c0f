"""Drug codes on October 2025: reading every dose at build time, opening the Table of Drugs,
and a keystroke in its filter and in the units line until the window has repainted.

Usage: PYTHONPATH=. python benchmarks/drug_table_latency.py [--db FILE] [--rounds N]

Baselines, measured in the same run: for reading the doses, one pass of the build's existing
drug-description pattern (`bridges.DRUG_DESCRIPTION`) over the same descriptions; for a
keystroke, the same table (or line) repainted with nothing typed. Offscreen unless
QT_QPA_PLATFORM says otherwise. Goals: a keystroke p95 < 16 ms; reading the doses well
under a tenth of the build (about 3 s).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _bench import database_for, machine, print_machine, summary, verdict  # noqa: E402

FILTERS = ["enoxaparin", "lovenox", "mg iv", "J9", "factor viii", "up to 50"]
DOSES = ["40 mg", "0.04 g", "2 ml", "1,500 iu", "25"]
GOAL_MS = 16.0


def read_doses(db, rounds: int) -> tuple[list[float], list[float]]:
    """(the build's drug_codes rows of every record, the baseline pattern over the same), in ms."""
    from hcpcs_desktop.data.bridges import DRUG_DESCRIPTION, Bridges
    from hcpcs_desktop.data.drug_codes import drug_code_rows

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    records = [dict(r) for r in conn.execute("SELECT code, kind, long_description FROM codes")]
    conn.close()
    reading, baseline = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        drug_code_rows(records, Bridges())
        reading.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        for record in records:
            DRUG_DESCRIPTION.search(record["long_description"])
        baseline.append((time.perf_counter() - started) * 1000)
    return reading, baseline


def window(db, rounds: int) -> dict[str, list[float]]:
    """Open, filter keystroke, units keystroke and the repaint baseline, in ms."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from hcpcs_desktop.data.database import open_database
    from hcpcs_desktop.data.drug_codes import load_drug_codes
    from hcpcs_desktop.ui.drug_table_dialog import DrugTableDialog

    app = QApplication.instance() or QApplication([])
    conn = open_database(db)
    times: dict[str, list[float]] = {"open": [], "filter": [], "units": [], "repaint": []}
    for _ in range(rounds):
        started = time.perf_counter()
        dialog = DrugTableDialog(load_drug_codes(conn), "October 2025")
        dialog.show()
        dialog.view.viewport().repaint()
        app.processEvents()
        times["open"].append((time.perf_counter() - started) * 1000)
        for text in FILTERS:
            dialog.filterEdit.clear()
            for char in text:
                started = time.perf_counter()
                QTest.keyClicks(dialog.filterEdit, char)
                dialog.view.viewport().repaint()
                times["filter"].append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                dialog.view.viewport().repaint()
                times["repaint"].append((time.perf_counter() - started) * 1000)
        dialog.filterEdit.clear()
        dialog.view.selectRow(0)
        for text in DOSES:
            dialog.unitsLine.doseEdit.clear()
            for char in text:
                started = time.perf_counter()
                QTest.keyClicks(dialog.unitsLine.doseEdit, char)
                dialog.unitsLine.repaint()
                times["units"].append((time.perf_counter() - started) * 1000)
        dialog.close()
        dialog.deleteLater()
        app.processEvents()
    return times


def line(label: str, values: list[float]) -> str:
    s = summary(values)
    return f"{label:<34} median {s['median']:7.2f} ms   p95 {s['p95']:7.2f} ms   (n={s['n']})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an October 2025 database (default: build one into a temporary folder)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print_machine(machine())
    with tempfile.TemporaryDirectory() as folder:
        db = database_for(args.db, folder, announce=True)
        reading, baseline = read_doses(db, args.rounds)
        print(line("drug_codes rows (build time)", reading))
        print(line("  baseline: drug pattern pass", baseline))
        times = window(db, args.rounds)
    print(line("open the Table of Drugs", times["open"]))
    print(line("filter keystroke -> repainted", times["filter"]))
    print(line("units keystroke -> repainted", times["units"]))
    print(line("  baseline: table repaint alone", times["repaint"]))
    worst = max(summary(times["filter"])["p95"], summary(times["units"])["p95"])
    print(f"keystroke p95 < {GOAL_MS:.0f} ms: {verdict(worst < GOAL_MS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
