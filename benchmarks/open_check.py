"""The cost of checking a database when opening it, on the real October 2025 database.

    .venv/bin/python benchmarks/open_check.py [--db FILE] [--repeat 30] [--warmup 3] [--starts 7]

Builds the October 2025 database (with every vocabulary bridge, as `build-db` does) into a
temporary folder, or takes `--db`, then times, interleaved in each round:

- baseline: a bare read-only connection reading the `release` row, no check at all;
- every open: `open_database(path)` (file header, schema version, tables and columns, the
  release row, a search index that answers);
- thorough: `open_database(path, thorough=True)`, which adds `PRAGMA quick_check` and the
  FTS5 `integrity-check` (on a copy in memory: FTS5 runs it as an INSERT, which a
  read-only connection refuses); and each of those two alone.

For scale it also times `--starts` runs of `hcpcs-desktop show E0100` (a whole command,
interpreter start included), which opens with the every-open check. Prints median and p95
in milliseconds.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _bench import REPO_ROOT, database_for, machine, print_machine, summary  # noqa: E402

from hcpcs_desktop.data.database import open_database, read_only_uri  # noqa: E402


def bare_open(path: Path) -> None:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    conn.execute("SELECT name FROM release").fetchone()
    conn.close()


def quick_check(path: Path) -> None:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    conn.close()


def fts5_integrity_check(path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    data = bytearray(path.read_bytes())
    data[18:20] = b"\x01\x01"
    conn.deserialize(data)
    conn.execute("INSERT INTO codes_fts(codes_fts, rank) VALUES ('integrity-check', 0)")
    conn.close()


def checked_open(path: Path) -> None:
    open_database(path).close()


def thorough_open(path: Path) -> None:
    open_database(path, thorough=True).close()


MEASURES = {
    "baseline: bare open, no check": bare_open,
    "every open: open_database(path)": checked_open,
    "thorough: open_database(path, thorough=True)": thorough_open,
    "  of which PRAGMA quick_check": quick_check,
    "  of which FTS5 integrity-check (copy in memory)": fts5_integrity_check,
}


def command_start(db: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "hcpcs_desktop", "show", "E0100", "--db", str(db)],
                   check=True, capture_output=True, cwd=REPO_ROOT)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="database to open (default: build October 2025)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--starts", type=int, default=7, help="runs of a whole `show` command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="open-check-") as folder:
        db = database_for(args.db, folder, announce=True)
        print(f"database: {db} ({db.stat().st_size / 2**20:.1f} MiB)")
        times: dict[str, list[float]] = {name: [] for name in MEASURES}
        for round_number in range(args.warmup + args.repeat):
            order = list(MEASURES.items())
            if round_number % 2:
                order.reverse()
            for name, measure in order:
                started = time.perf_counter()
                measure(db)
                elapsed = time.perf_counter() - started
                if round_number >= args.warmup:
                    times[name].append(elapsed)
        starts = [command_start(db) for _ in range(args.starts)]
    print_machine(machine())
    print(f"\n{'':50}{'median ms':>10}{'p95 ms':>10}   ({args.repeat} runs)")
    for name, values in times.items():
        figures = summary(values)
        print(f"{name:50}{figures['median'] * 1000:>10.2f}{figures['p95'] * 1000:>10.2f}")
    figures = summary(starts)
    print(f"{'a whole `show` command, for scale':50}{figures['median'] * 1000:>10.1f}{figures['p95'] * 1000:>10.1f}"
          f"   ({args.starts} runs)")
    extra = summary(times["thorough: open_database(path, thorough=True)"])["median"] - \
        summary(times["every open: open_database(path)"])["median"]
    print(f"\nthe thorough check adds {extra * 1000:.1f} ms, {extra / figures['median']:.0%} of a command's start")
    return 0


if __name__ == "__main__":
    sys.exit(main())
