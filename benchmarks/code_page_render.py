"""Time to render a code's page in the detail pane, with and without what it says about other codes.

Usage: python benchmarks/code_page_render.py [--db FILE] [--runs N]

For S9353 (referred to by no code) and for the code of the release that most codes refer to,
each run times: reading what the page says about other codes (`Session.related`: the codes
that refer to it, the short descriptions of the codes it names), the HTML (`render`), and the
detail pane laying it out (`QTextBrowser.setHtml`, offscreen). Baseline, in the same run: the
same page rendered without the related codes and the note (the page as it was before it
named other codes). A third case gives a page 300 invented referring codes (no code of
a CMS release has more than a handful), folded after 8 as the pane shows them. Also timed
once: the index of referring codes, read on the first page a release shows.

Goal: the whole page (related + HTML + layout) under 5 ms at p95; the detail pane is drawn
after the frame with the results, so this is never in a keystroke's way.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from _bench import REPO_ROOT, database_for, machine, print_machine, summary, verdict

sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GOAL_P95_MS = 5.0


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="database file (default: October 2025 built into a temporary folder)")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication, QTextBrowser

    from hcpcs_desktop.code_view import CodeView
    from hcpcs_desktop.data import references
    from hcpcs_desktop.data.database import open_database
    from hcpcs_desktop.session import Session
    from hcpcs_desktop.ui.code_page_html import render
    from hcpcs_desktop.user_codes import UserCodes

    app = QApplication.instance() or QApplication([])
    print_machine(machine())
    with tempfile.TemporaryDirectory(prefix="code-page-bench-") as folder:
        db = database_for(args.db, folder, announce=True)
        session = Session(UserCodes(Path(folder) / "codes.json"))
        session.use(open_database(db), db)
        start = time.perf_counter()
        session.related("S9353")
        print(f"index of referring codes, read once per release: {ms(start):.1f} ms")
        counts = {code: len(references.referring_codes(session.conn, code))
                  for code in references.known_codes(session.conn)}
        most = max(counts, key=counts.get)
        session.set_note(most, "Payer X wants KX here")
        view = QTextBrowser()
        view.resize(560, 800)
        failed = False
        # A code that 300 codes refer to (none of the release is): the list is folded after 8.
        many = references.Related([references.Referral(c, "Invented", "active", references.BY_DESCRIPTION)
                                   for c in list(counts)[:300]], {})
        for code, fixed in (("S9353", None), (most, None), (most, many)):
            page = session.page(code)
            timings: dict[str, list[float]] = {"baseline": [], "related": [], "html": [], "layout": [], "whole": []}
            for _ in range(args.runs):
                start = time.perf_counter()
                view.setHtml(render(CodeView(page, "October 2025")))
                timings["baseline"].append(ms(start))
                start = time.perf_counter()
                extras = {"related": fixed or session.related(code), "note": session.notes.get(code)}
                timings["related"].append(ms(start))
                start = time.perf_counter()
                html = render(CodeView(page, "October 2025", **extras))
                timings["html"].append(ms(start))
                start = time.perf_counter()
                view.setHtml(html)
                timings["layout"].append(ms(start))
                timings["whole"].append(timings["related"][-1] + timings["html"][-1] + timings["layout"][-1])
                app.processEvents()
            referring = len(fixed.referrals) if fixed else counts.get(code, 0)
            print(f"\n{code} ({referring} codes refer to it{', invented' if fixed else ''}), {args.runs} runs, ms:")
            for name, values in timings.items():
                s = summary(values)
                print(f"  {name:9} median {s['median']:6.2f}  p95 {s['p95']:6.2f}  max {s['max']:6.2f}")
            whole = summary(timings["whole"])["p95"]
            failed |= whole >= GOAL_P95_MS
            print(f"  whole page p95 {whole:.2f} ms < {GOAL_P95_MS} ms: {verdict(whole < GOAL_P95_MS)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
