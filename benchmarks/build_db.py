"""How long `hcpcs-desktop build-db` with no argument takes, with the build cache cold and warm,
against its floor measured in the same run.

    .venv/bin/python benchmarks/build_db.py [--runs 5] [--json] [--check]

Each run starts the command as a user would (a new process: Python's start, the imports, the
build), building the newest release under $HCPCS_RELEASES (default ../shared/data/hcpcs) with
every payment file beside it and the earlier quarters it carries, into a temporary folder:

- cold: with an empty build cache (a new XDG_CACHE_HOME), as the first build on a machine;
- warm: with the cache the runs before left (one build fills it first, not counted);
- floor: a process that reads the release's workbook (the .xlsx beside the text file) and
  writes its records into a new SQLite database: what any build must do at least.

The runs interleave (floor, cold, warm), so a load spike on the shared machine hits all three.
Prints the median and p95 of the wall seconds and of the CPU seconds (user + system of the
process and its children: the PDFs are read in a process of their own) of each, the ratios to the
floor's median CPU, and the goals: the warm build under 3 s wall and at most 2x the floor's CPU.
`--check` exits 1 when a goal fails. Nothing is written outside the temporary folders.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _bench import REPO_ROOT, machine, print_machine, ratio, releases_dir, summary, verdict

GOAL_SECONDS = 3.0  # issue 19: build-db with no argument, on this machine
GOAL_FLOOR_RATIO = 2.0  # issue 23: at most twice the floor

FLOOR = """
import sqlite3, sys
from pathlib import Path
from hcpcs_desktop.data import history, schema
from hcpcs_desktop.data.records import parse_release_data
from hcpcs_desktop.data.release_files import SourceFile, read_file

workbook = Path(sys.argv[1])
records = parse_release_data(SourceFile(workbook.name, read_file(workbook, 2**25)))
for record in records:
    history.derive(record)
conn = sqlite3.connect(sys.argv[2])
with conn:
    conn.executescript(schema.DDL)
    columns = list(records[0])
    conn.executemany(f"INSERT INTO codes ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                     ([r[c] for c in columns] for r in records))
conn.close()
"""


def timed(command: list[str], env: dict) -> dict:
    """Run `command`; its wall seconds and CPU seconds (user + system, with its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process and those it waited for (the PDFs')
    if done.returncode != 0:
        sys.exit(f"error: {' '.join(command[-2:])} failed ({done.returncode}):\n"
                 f"{done.stderr.decode(errors='replace')[-2000:]}")
    return {"wall": wall, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)}


def workbook_of(release: Path) -> Path:
    """The .xlsx of the release whose data file (or folder) is `release`."""
    folder = release if release.is_dir() else release.parent
    found = sorted(folder.glob("*.xlsx"))
    named = [p for p in found if "anweb" in p.name.lower() and "transaction" not in p.name.lower()]
    if not named:
        sys.exit(f"error: no ANWEB workbook beside {release}")
    return named[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal fails")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    out = (lambda line="": None) if args.json else (lambda line="": print(line, flush=True))

    from hcpcs_desktop.data.locations import newest_release

    root = releases_dir()
    release = newest_release(root)
    if release is None:
        sys.exit(f"error: no CMS release under {root}")
    workbook = workbook_of(release)
    python = sys.executable
    build = [python, "-m", "hcpcs_desktop", "build-db"]
    env = machine()
    out(f"build_db: build-db of {release.name} (cold and warm build cache) against the floor "
        f"(reading {workbook.name} and writing SQLite), {args.runs} runs each")
    if not args.json:
        print_machine(env)

    runs: dict[str, list[dict]] = {"floor": [], "cold": [], "warm": []}
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-") as scratch:
        scratch = Path(scratch)
        base = {**os.environ, "HCPCS_RELEASES": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
        warm = {**base, "XDG_CACHE_HOME": str(scratch / "warm-cache"), "HCPCS_DESKTOP_DB": str(scratch / "warm.sqlite")}
        timed(build, warm)  # fills the warm cache
        for number in range(1, args.runs + 1):
            floor_db = scratch / f"floor-{number}.sqlite"
            runs["floor"].append(timed([python, "-c", FLOOR, str(workbook), str(floor_db)], base))
            cold = {**base, "XDG_CACHE_HOME": str(scratch / f"cold-cache-{number}"),
                    "HCPCS_DESKTOP_DB": str(scratch / f"cold-{number}.sqlite")}
            runs["cold"].append(timed(build, cold))
            runs["warm"].append(timed(build, warm))
            out(f"run {number}: " + ", ".join(f"{name} {r[-1]['wall']:.2f} s wall / {r[-1]['cpu']:.2f} s CPU"
                                              for name, r in runs.items()))

    stats = {name: {"wall": summary(r["wall"] for r in timed_runs), "cpu": summary(r["cpu"] for r in timed_runs)}
             for name, timed_runs in runs.items()}
    floor_cpu = stats["floor"]["cpu"]["median"]
    for name, figures in stats.items():
        out(f"{name}: wall median {figures['wall']['median']:.2f} s, p95 {figures['wall']['p95']:.2f} s; "
            f"CPU median {figures['cpu']['median']:.2f} s, p95 {figures['cpu']['p95']:.2f} s; "
            f"CPU {ratio(figures['cpu']['median'], floor_cpu):.2f}x the floor")
    warm_wall, warm_cpu = stats["warm"]["wall"]["median"], stats["warm"]["cpu"]["median"]
    goals = {
        "warm wall median < 3 s": warm_wall < GOAL_SECONDS,
        "warm CPU median <= 2x the floor": warm_cpu <= GOAL_FLOOR_RATIO * floor_cpu,
    }
    for goal, passed in goals.items():
        out(f"goal {goal}: {verdict(passed)}")
    if args.json:
        print(json.dumps({"machine": env, "release": str(release), "floor_workbook": str(workbook),
                          "runs": runs, "seconds": stats, "goals": goals}, indent=2))
    return 1 if args.check and not all(goals.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
