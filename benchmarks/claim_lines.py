"""Checking 10,000 pasted claim lines on the newest release with its payment files and carried quarters.

Usage: PYTHONPATH=. python benchmarks/claim_lines.py [--db FILE] [--rounds N] [--lines N]

The lines are made from the database itself, as a billing office's batch of a month looks: 700
codes, DMEPOS codes with the modifiers their fee schedule prices (and some it does not), drug codes
with an NDC of the crosswalk and its quantity, other codes of the release, terminated codes, CPT
codes, dates of service in February 2026 (a tenth from the months before), and some lines that are
wrong (a negative quantity, a date that is none, junk). Two harder runs follow: the same codes with
dates over three quarters and any units (few lines alike), and a code of its own on every line
(every code's facts read).

Measured in the same run, on the CPU time of the measuring thread (steadier on a shared machine):
the baseline, reading the text and splitting each line into its fields by blanks; reading the
lines (`claim_lines`); reading and checking them with a new checker each round (`claim_checks`,
nothing read before: the releases' dates and the payment facts of every code are read each round).
The window checks in slices of SLICE lines between events: the longest slice is what a keystroke
may wait. Goal: 10,000 lines checked in under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from _bench import machine, payment_folder, print_machine, releases_dir, summary, verdict

GOAL_S = 1.0


def build(folder: Path) -> Path:
    """The newest release as a plain `build-db` builds it: its carried quarters and every payment file."""
    from hcpcs_desktop.data.build import build_database
    from hcpcs_desktop.data.locations import earlier_releases
    from hcpcs_desktop.data.release_files import newest_document_path, newest_release_path

    root = releases_dir()
    release = newest_release_path(root)
    db = folder / "hcpcs.sqlite"
    print(f"building {release.name} with its carried quarters and payment files into a temporary folder ...",
          flush=True)
    build_database(release, db, layout=newest_document_path("layout", root), notes=newest_document_path("notes", root),
                   payment=payment_folder(), earlier=earlier_releases(release, root))
    return db


def claim_lines(conn, count: int, kind: str, seed: int = 21) -> str:
    """`count` claim lines made from the database (see the module's notes): `kind` "month" is a month's
    batch (dates of service in February 2026, a tenth from the months before and one in a hundred the
    month after; each drug code's usual dose most of the time), "spread" the same codes with dates over
    three quarters and any units, "distinct" a code of its own on every line."""
    rng = random.Random(seed)
    procedures = [c for (c,) in conn.execute("SELECT code FROM codes WHERE kind = 'procedure' ORDER BY code")]
    terminated = [c for (c,) in conn.execute("SELECT code FROM codes WHERE status = 'terminated' ORDER BY code")]
    fees: dict[str, list[str]] = {}
    for code, first, second in conn.execute("SELECT code, modifier, modifier2 FROM dmepos_fees ORDER BY rowid"):
        fees.setdefault(code, []).append(" ".join(m for m in (first, second) if m))
    ndcs: dict[str, list[str]] = {}
    for code, ndc in conn.execute("SELECT code, ndc FROM ndc_codes ORDER BY code, ndc"):
        ndcs.setdefault(code, []).append(ndc)
    if kind == "distinct":
        pool = procedures
    else:
        pool = (rng.sample(sorted(fees), 200) + rng.sample(sorted(ndcs), 150) + rng.sample(procedures, 300)
                + rng.sample(terminated, 50))
    february = [f"02/{day:02d}/2026" for day in range(2, 28) if dt.date(2026, 2, day).weekday() < 5]
    earlier = ["10/15/2025", "11/20/2025", "12/01/2025", "01/05/2026", "01/28/2026"]
    spread = ["10/15/2025", "12/01/2025", "01/05/2026", "02/01/2026", "03/31/2026", "04/15/2026", "2026-05-01"]
    usual = {code: (rng.choice(ndcs[code]), rng.choice([1, 2, 4, 10]), rng.choice(["UN1", "UN2", "ML1"]))
             for code in ndcs}
    lines = []
    for i in range(count):
        code = pool[i % len(pool)] if kind == "distinct" else rng.choice(pool)
        if kind == "month":
            chance = rng.random()
            day = rng.choice(february) if chance < 0.89 else rng.choice(earlier) if chance < 0.99 else "03/02/2026"
        else:
            day = rng.choice(spread)
        if rng.random() < 0.02:
            lines.append(rng.choice(["99213 25 1 " + day, f"{code} RR -2 {day}", f"{code} 1 13/45/2026",
                                     "\x00\x07\x1b junk", f"{code} ZZ 1 {day}"]))
        elif code in fees:
            modifiers = rng.choice(fees[code] + ["NU", "KX"])
            lines.append(f"{code} {modifiers} KX {rng.choice(['1', 'x1', '2'])} {day}")
        elif code in ndcs:
            ndc, units, quantity = usual[code]
            if kind != "month" or rng.random() < 0.2:
                ndc, units, quantity = rng.choice(ndcs[code]), rng.randint(1, 40), rng.choice(["UN1", "UN2", "ML1"])
            lines.append(f"{code} JZ {units} {day} N4{ndc} {quantity}")
        else:
            lines.append(f"{code}\t{rng.randint(1, 3)}\t{day}")
    return "\n".join(lines) + "\n"


def measure(conn, releases, text: str, rounds: int) -> dict[str, list[float]]:
    """CPU seconds of the measuring thread: the baseline, reading, reading and checking; the longest slice."""
    from hcpcs_desktop.claim_checks import SETTINGS, LineChecker
    from hcpcs_desktop.claim_lines import read_lines
    from hcpcs_desktop.ui.claim_lines_model import SLICE  # what the window checks between two turns of its loop

    times: dict[str, list[float]] = {"baseline": [], "read": [], "check": [], "slice": []}
    for _ in range(rounds):
        started = time.thread_time()
        [line.split() for line in text.splitlines()]
        times["baseline"].append(time.thread_time() - started)
        started = time.thread_time()
        read_lines(text)
        times["read"].append(time.thread_time() - started)
        started = time.thread_time()
        results = LineChecker(conn, releases, "PA", SETTINGS["dme"]).check_all(read_lines(text).lines)
        times["check"].append(time.thread_time() - started)
        lines = read_lines(text).lines
        checker = LineChecker(conn, releases, "PA", SETTINGS["dme"])
        longest = 0.0
        for start in range(0, len(lines), SLICE):
            started = time.thread_time()
            checker.check_all(lines[start:start + SLICE])
            longest = max(longest, time.thread_time() - started)
        times["slice"].append(longest)
    counts = {v: sum(r.verdict == v for r in results) for v in ("ok", "warning", "error")}
    print(f"  verdicts: {counts}")
    return times


def row(label: str, values: list[float]) -> str:
    s = summary(values)
    return f"  {label:<44} median {s['median'] * 1000:8.1f} ms   p95 {s['p95'] * 1000:8.1f} ms   (n={s['n']})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database built by build-db (default: build the newest release "
                        "into a temporary folder)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    from hcpcs_desktop.data.database import open_database
    from hcpcs_desktop.data.release_store import ReleaseStore

    print_machine(machine())
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or build(Path(folder))
        conn = open_database(db)
        releases = ReleaseStore(Path(folder) / "store", extra=[db]).releases()
        print(f"releases: {', '.join(r.name for r in releases)}")
        for kind, said in (("month", "a month's batch"), ("spread", "the same codes, dates over three quarters, "
                                                                    "any units"),
                           ("distinct", "every line a code of its own")):
            text = claim_lines(conn, args.lines, kind)
            codes = len({line.split()[0] for line in text.splitlines() if line.split()})
            print(f"{args.lines:,} lines, {codes:,} distinct first tokens ({said})")
            times = measure(conn, releases, text, args.rounds)
            print(row("baseline: read and split the lines", times["baseline"]))
            print(row("read the claim lines", times["read"]))
            print(row("read and check them", times["check"]))
            print(row("longest slice the window checks at once", times["slice"]))
            if kind == "month":
                ok = summary(times["check"])["median"] < GOAL_S
    print(f"a batch of {args.lines:,} lines checked in under {GOAL_S:g} s: {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
