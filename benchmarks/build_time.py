"""How long building the database takes, on the real CMS release files.

    .venv/bin/python benchmarks/build_time.py [--runs 5] [--json] [--check]

Builds the October 2025 database (HCPC2025_OCT_ANWEB.xlsx with the January 2026
record layout and processing notes, and every vocabulary bridge: the drug dictionary's
brand names and CMS's 2019 HCPCS Index and Table of Drugs PDFs, checked against the 2019
release) into a temporary folder `--runs` times and
prints the median, minimum, p95 and maximum seconds, the time spent in each phase
(taken from the build's own progress messages), the database size, and the goal
(median < 3 s) with PASS/FAIL. Then builds the 2020 release once from its
fixed-width .txt and once from its legacy .xls workbook, for comparison (2020 has
no record layout of its own: the January 2026 one is used, with the 2020 notes).
Each October 2025 run is followed by a build of October 2025 with every Medicare payment
file of the `payment` folder beside the releases folder (DMEPOS, ASP, NDC crosswalk, MUE),
so both see the same machine load; those are held to the same goal, with the plain
build's median as baseline (`--no-payment` skips them). `--default` adds, after each October
2025 run, what a plain `hcpcs-desktop build-db` builds: the newest release found (April 2026,
its text checked against its workbook) with every payment file and the releases of the year
before carried as history (October 2025 and January 2026), and the same release without that
history; the goal (median < 3 s) is checked on it, with the plain October 2025 build of the same
run as baseline and the paired cost of carrying the history.

Every build here uses the user's build cache (README, "The build cache"): from the second on, what
the PDFs, the payment files and the earlier releases give is taken from it; `build_db.py` measures
the command with the cache cold and warm.

The release files are found under $HCPCS_RELEASES (default ../shared/data/hcpcs,
relative to the repository root) and are only read; every database is written
to a temporary folder that is removed afterwards. `--check` exits 1 when a goal
fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from _bench import (
    DRUG_TABLE_2019,
    INDEX_2019,
    build_oct_2025,
    machine,
    oct_2025_inputs,
    print_machine,
    ratio,
    releases_dir,
    require,
    summary,
    verdict,
)

from hcpcs_desktop.data.build import build_database

GOAL_SECONDS = 3.0
RELEASE_2020 = "2020-jan/2020-Alpha-Numeric-HCPCS-File"


def timed_build(build) -> dict:
    """`build(db_path, progress)` once into a fresh temporary folder; wall seconds, phase seconds, size and counts."""
    marks: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-") as folder:
        db_path = Path(folder) / "hcpcs.sqlite"
        started = time.perf_counter()
        report = build(db_path, lambda fraction, message: marks.append((time.perf_counter(), message)))
        seconds = time.perf_counter() - started
        size = db_path.stat().st_size
    phases: dict[str, float] = {}
    for (at, message), (next_at, _) in zip(marks, marks[1:]):
        phases[message.lower()] = next_at - at
    return {
        "seconds": seconds,
        "phases": phases,
        "bytes": size,
        "release": report.release_name,
        "procedures": report.procedures,
        "modifiers": report.modifiers,
        "terminated": report.terminated,
        "undecoded": report.undecoded_count,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="October 2025 builds to time (default 5)")
    parser.add_argument("--no-2020", action="store_true", help="skip the 2020 .txt/.xls comparison builds")
    parser.add_argument("--no-payment", action="store_true", help="skip the builds with the payment files")
    parser.add_argument("--default", action="store_true",
                        help="also time what a plain build-db builds (the newest release, payment files, history)")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal fails")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    inputs = oct_2025_inputs()
    env = machine()
    out = lambda line="": None if args.json else print(line, flush=True)  # noqa: E731

    out(f"build_time: {inputs['release'].name} + {inputs['layout'].name} + {inputs['notes'].name}, {args.runs} runs")
    if not args.json:
        print_machine(env)
    runs, payment_runs, default_runs, unhistoried_runs = [], [], [], []
    folder = None if args.no_payment else payment_folder()
    for number in range(1, args.runs + 1):
        run = timed_build(build_oct_2025)
        runs.append(run)
        out(f"oct2025 run {number}: {run['seconds']:.3f} s")
        if folder:
            run = timed_build(lambda db, progress: build_oct_2025(db, progress, payment=folder))
            payment_runs.append(run)
            out(f"oct2025 + payment run {number}: {run['seconds']:.3f} s")
        if args.default:
            run = timed_build(lambda db, progress: build_default(db, progress, carry=True))
            default_runs.append(run)
            out(f"default (newest + payment + history) run {number}: {run['seconds']:.3f} s")
            run = timed_build(lambda db, progress: build_default(db, progress, carry=False))
            unhistoried_runs.append(run)
            out(f"newest + payment, no history, run {number}: {run['seconds']:.3f} s")

    stats = summary(r["seconds"] for r in runs)
    phase_names = list(dict.fromkeys(name for r in runs for name in r["phases"]))
    phase_medians = {name: summary(r["phases"].get(name, 0.0) for r in runs)["median"] for name in phase_names}
    last = runs[-1]
    passed = stats["median"] < GOAL_SECONDS

    out(f"oct2025 median: {stats['median']:.3f} s")
    out(f"oct2025 min: {stats['min']:.3f} s")
    out(f"oct2025 p95: {stats['p95']:.3f} s")
    out(f"oct2025 max: {stats['max']:.3f} s")
    out(f"oct2025 p95/median: {ratio(stats['p95'], stats['median']):.2f}")
    for name, seconds in phase_medians.items():
        out(f"oct2025 phase '{name}' median: {seconds:.3f} s ({100 * ratio(seconds, stats['median']):.0f}%)")
    out(f"oct2025 database size: {last['bytes']} bytes ({last['bytes'] / 2**20:.2f} MiB)")
    out(f"oct2025 codes: {last['procedures']} procedures, {last['modifiers']} modifiers, "
        f"{last['terminated']} terminated, {last['undecoded']} undecoded values")
    out(f"goal oct2025 median < {GOAL_SECONDS:.0f} s: {verdict(passed)} "
        f"({stats['median']:.3f} s, {ratio(GOAL_SECONDS, stats['median']):.1f}x headroom)")

    comparison = {}
    if not args.no_2020:
        root = releases_dir()
        folder = root / RELEASE_2020
        notes_2020 = require(folder / "proc_notes_2020.txt")
        for label, name in (("2020 txt", "HCPC2020_ANWEB_w_disclaimer.txt"), ("2020 xls", "HCPC2020_ANWEB_w_disclaimer.xls")):
            release = require(folder / name)
            run = timed_build(lambda db, progress: build_database(
                release, db, layout=inputs["layout"], notes=notes_2020, progress=progress))
            run["file"] = name
            comparison[label] = run
            phases = ", ".join(f"{k} {v:.3f}" for k, v in run["phases"].items())
            out(f"{label} build (1 run): {run['seconds']:.3f} s")
            out(f"{label} ratio to oct2025 median: {ratio(run['seconds'], stats['median']):.2f}")
            out(f"{label} phases: {phases}")
            out(f"{label} database size: {run['bytes']} bytes ({run['bytes'] / 2**20:.2f} MiB)")
            out(f"{label} codes: {run['procedures']} procedures, {run['modifiers']} modifiers, "
                f"{run['undecoded']} undecoded values")

    payment = payment_summary(folder, payment_runs, runs, out) if folder else None
    passed = passed and (payment is None or payment["pass"])
    default = default_summary(default_runs, unhistoried_runs, runs, out) if args.default else None
    passed = passed and (default is None or default["pass"])

    if args.json:
        print(json.dumps({
            "payment": payment,
            "default": default,
            "machine": env,
            "oct2025": {
                "inputs": {k: str(v) for k, v in inputs.items()},
                "runs_seconds": [r["seconds"] for r in runs],
                "seconds": stats,
                "phase_median_seconds": phase_medians,
                "database_bytes": last["bytes"],
                "procedures": last["procedures"],
                "modifiers": last["modifiers"],
                "terminated": last["terminated"],
                "undecoded": last["undecoded"],
            },
            "comparison": comparison,
            "goals": {"median_seconds_below": GOAL_SECONDS, "pass": passed},
        }, indent=2))
    return 1 if args.check and not passed else 0


def build_default(db_path: Path, progress, carry: bool):
    """What `hcpcs-desktop build-db` with no argument builds: the newest release found with the
    newest layout and notes it lacks, every bridge, every payment file and (`carry`) the releases of
    the year before as history."""
    from hcpcs_desktop.data.bridges import BridgeSources
    from hcpcs_desktop.data.locations import documents, earlier_releases, newest_release

    root = releases_dir()
    release = newest_release(root)
    sources = BridgeSources(drug_table=require(root / DRUG_TABLE_2019), index=require(root / INDEX_2019),
                            drug_dictionary=True)
    return build_database(release, db_path, **documents(), progress=progress, bridges=sources,
                          payment=payment_folder(), earlier=earlier_releases(release, root) if carry else ())


def default_summary(timed: list[dict], unhistoried: list[dict], plain: list[dict], out) -> dict:
    """The plain build-db's builds: seconds, phases, size, the goal; the October 2025 build of the same
    runs as baseline, and the paired cost of the history (against the same build without it)."""
    stats = summary(r["seconds"] for r in timed)
    baseline = summary(r["seconds"] for r in plain)["median"]
    history = summary(r["seconds"] - u["seconds"] for r, u in zip(timed, unhistoried))
    phases = {name: summary(r["phases"].get(name, 0.0) for r in timed)["median"]
              for name in dict.fromkeys(name for r in timed for name in r["phases"])}
    passed = stats["median"] < GOAL_SECONDS
    last, bare = timed[-1], unhistoried[-1]
    out(f"default release: {last['release']}, {last['procedures']} procedures, {last['modifiers']} modifiers")
    out(f"default median: {stats['median']:.3f} s (p95 {stats['p95']:.3f} s, max {stats['max']:.3f} s)")
    out(f"default against the oct2025 baseline of the same runs ({baseline:.3f} s): "
        f"ratio {ratio(stats['median'], baseline):.2f}")
    out(f"default history paired cost: median {history['median']:+.3f} s, min {history['min']:+.3f} s")
    for name, seconds in phases.items():
        out(f"default phase '{name}' median: {seconds:.3f} s")
    out(f"default database size: {last['bytes']} bytes; without history {bare['bytes']} bytes "
        f"({last['bytes'] - bare['bytes']:+} bytes)")
    out(f"goal default median < {GOAL_SECONDS:.0f} s: {verdict(passed)} ({stats['median']:.3f} s)")
    return {"runs_seconds": [r["seconds"] for r in timed], "seconds": stats, "phase_median_seconds": phases,
            "baseline_median_seconds": baseline, "history_paired_cost_seconds": history,
            "database_bytes": last["bytes"], "database_bytes_without_history": bare["bytes"], "pass": passed}


def payment_folder() -> Path:
    folder = releases_dir().parent / "payment"
    if not folder.is_dir():
        sys.exit(f"error: payment folder not found: {folder} (or run with --no-payment)")
    return folder


def payment_summary(folder: Path, timed: list[dict], plain: list[dict], out) -> dict:
    """The builds with every payment file: seconds, phases, size and the goal; and their cost over
    the plain build run just before each (paired, so a load spike hits both sides of a pair)."""
    stats = summary(r["seconds"] for r in timed)
    baseline = summary(r["seconds"] for r in plain)["median"]
    paired = summary(r["seconds"] - p["seconds"] for r, p in zip(timed, plain))
    phases = {name: summary(r["phases"].get(name, 0.0) for r in timed)["median"]
              for name in dict.fromkeys(name for r in timed for name in r["phases"])}
    passed = stats["median"] < GOAL_SECONDS
    out(f"oct2025 + payment median: {stats['median']:.3f} s (p95 {stats['p95']:.3f} s, max {stats['max']:.3f} s)")
    out(f"oct2025 + payment cost over the plain build: {stats['median'] - baseline:+.3f} s "
        f"(ratio {ratio(stats['median'], baseline):.2f})")
    out(f"oct2025 + payment paired cost: median {paired['median']:+.3f} s, min {paired['min']:+.3f} s")
    for name, seconds in phases.items():
        out(f"oct2025 + payment phase '{name}' median: {seconds:.3f} s")
    out(f"oct2025 + payment database size: {timed[-1]['bytes']} bytes ({timed[-1]['bytes'] / 2**20:.2f} MiB)")
    out(f"goal oct2025 + payment median < {GOAL_SECONDS:.0f} s: {verdict(passed)} ({stats['median']:.3f} s)")
    return {"folder": str(folder), "runs_seconds": [r["seconds"] for r in timed], "seconds": stats,
            "phase_median_seconds": phases, "database_bytes": timed[-1]["bytes"],
            "baseline_median_seconds": baseline, "paired_cost_seconds": paired, "pass": passed}

if __name__ == "__main__":
    sys.exit(main())
