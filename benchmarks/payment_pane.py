"""Detail pane with the Medicare payment section: time to render a code's page with its payment
facts, against the same page without them (the baseline, measured in the same run).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/payment_pane.py [--db FILE] [--runs N]

Builds the October 2025 database with every Medicare payment file (the `payment` folder beside
the releases folder) into a temporary folder, or opens `--db`. For each code, on a cold cache
(facts read from the database) and each run: read the payment facts, render the section, and
set the page's HTML in the detail pane and lay it out; the baseline sets the page's HTML without the section.
Prints median and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from _bench import build_oct_2025, print_machine, machine, releases_dir, summary

CODES = ("E0601", "J1650", "J2405", "L3000", "A4233", "G0008", "A0021")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

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
        pages = {code: load_code(conn, code) for code in CODES}
        with_section, without = [], []
        for _ in range(args.runs):
            for code, page in pages.items():
                start = time.perf_counter()
                view.setHtml(render(page, "October 2025"))
                view.document().size()  # laid out, as before painting
                without.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                section = payment_section(payment_facts(conn, code), "PA")
                view.setHtml(render(page, "October 2025", payment=section))
                view.document().size()
                with_section.append((time.perf_counter() - start) * 1000)
        app.processEvents()
    print_machine(machine())
    for name, values in (("page without the payment section (baseline)", without),
                         ("page with the payment section (facts read, section rendered)", with_section)):
        figures = summary(values)
        print(f"{name}: median {figures['median']:.2f} ms, p95 {figures['p95']:.2f} ms over {len(values)} renders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
