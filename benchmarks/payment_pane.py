"""Detail pane with the Medicare payment section: a code's page laid out and painted with the section as
the coder first sees it (the line that sums it up), and with its tables, against the same page without
the section (the baseline, measured in the same run).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/payment_pane.py [--db FILE] [--runs N]

Builds the October 2025 database with every Medicare payment file (the `payment` folder beside
the releases folder) into a temporary folder, or opens `--db`. For each code and each run, in the
detail pane as the window has it (560 × 800 pixels, shown): render the section, set the page's HTML,
lay it out and paint the pane; the baseline sets the page's HTML without the section. Reading the
code's payment facts, which the window does once per code for the units line and the section alike,
is timed apart (the cache cold). CPU time of this thread, in milliseconds: median and p95 for J1650
(a drug code with payment limits, MUEs and NDCs) and over every code.

Goal: J1650's page with its section as first shown within 1.3 times the page without it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from _bench import build_oct_2025, machine, print_machine, ratio, releases_dir, summary, verdict

CODES = ("E0601", "J1650", "J2405", "L3000", "A4233", "G0008", "A0021")
GOAL_CODE, GOAL_RATIO = "J1650", 1.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from hcpcs_desktop.code_view import CodeView
    from hcpcs_desktop.data.database import load_code, open_database
    from hcpcs_desktop.data.payment import payment_facts
    from hcpcs_desktop.ui.code_page_html import render
    from hcpcs_desktop.ui.detail_view import DetailView
    from hcpcs_desktop.ui.payment_html import payment_section

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            print("building the October 2025 database with every payment file ...", flush=True)
            db = Path(folder) / "hcpcs.sqlite"
            build_oct_2025(db, payment=releases_dir().parent / "payment")
        conn = open_database(db)
        view = DetailView()
        view.resize(560, 800)
        view.show()
        app.processEvents()
        pages = {code: load_code(conn, code) for code in CODES}
        cases = ("without", "summed up", "tables")
        times = {(case, code): [] for case in cases for code in CODES}
        reading = {code: [] for code in CODES}

        def shown(html: str) -> None:
            view.setHtml(html)
            view.document().size()  # laid out
            view.viewport().repaint()  # and painted

        for run in range(args.runs):
            for code, page in pages.items():
                start = time.thread_time()
                facts = payment_facts(conn, code)
                reading[code].append((time.thread_time() - start) * 1000)
                for case in cases[run % 3:] + cases[:run % 3]:  # each case first in a third of the runs
                    view.clear()  # what each page replaces is the same: nothing
                    start = time.thread_time()
                    section = "" if case == "without" else payment_section(facts, "PA", tables=case == "tables")
                    shown(render(CodeView(page, "October 2025"), payment=section))
                    times[case, code].append((time.thread_time() - start) * 1000)
    print_machine(machine())
    labels = {"without": "page without the payment section (baseline)",
              "summed up": "page with the section summed up in a line, as first shown",
              "tables": "page with the section's tables"}
    medians = {}
    for which, codes in ((GOAL_CODE, (GOAL_CODE,)), (f"all {len(CODES)} codes", CODES)):
        print(f"{which}:")
        for case in cases:
            values = [v for code in codes for v in times[case, code]]
            figures = summary(values)
            medians[which, case] = figures["median"]
            print(f"  {labels[case]}: median {figures['median']:.2f} ms, p95 {figures['p95']:.2f} ms "
                  f"over {len(values)} pages ({ratio(figures['median'], medians[which, 'without']):.2f}×)")
    figures = summary(reading[GOAL_CODE])
    print(f"reading {GOAL_CODE}'s payment facts (once per code, for the page and its units line alike): "
          f"median {figures['median']:.2f} ms, p95 {figures['p95']:.2f} ms")
    got = ratio(medians[GOAL_CODE, "summed up"], medians[GOAL_CODE, "without"])
    print(f"goal: {GOAL_CODE} as first shown within {GOAL_RATIO}× the page without the section: "
          f"{got:.2f}× {verdict(got <= GOAL_RATIO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
