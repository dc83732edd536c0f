"""How long refusing a bad input takes, and how much memory, against reading a real release.

    .venv/bin/python benchmarks/refused_input.py [--runs 5] [--json]

Each input is read as `build-db` reads it (`find_release_files`, then `parse_release`)
in a fresh Python process, `--runs` times: the seconds of that call, the peak of Python's
allocations during it (tracemalloc, a second call), and how far the process's peak
resident memory (ru_maxrss) grew during the first call beyond what the imports took,
and the peak resident memory of the process or of the child that reads a workbook.
The baseline is the real October 2025 release (HCPC2025_OCT_ANWEB.xlsx, read whole);
the bad inputs are a 1 GiB text file and a 1 GiB zip (sparse files of zeros), /dev/zero
under a release's name, a FIFO under a release's name, a zip of 40 members of 60 MiB
each (2.4 GiB expanded, 2.5 MB on disk) and a workbook whose sheet expands to 200 MiB.
Each must be refused with one `ReleaseError`; the script prints the message. Inputs
are written to a temporary folder that is removed afterwards.
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
import tracemalloc
from pathlib import Path

from _bench import REPO_ROOT, machine, print_machine, releases_dir, require, summary

sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "tests")]  # this checkout's package and test file writers

BASELINE = "2025-oct/HCPC2025_OCT_ANWEB.xlsx"
GIB = 2**30
MIB = 2**20


def make_inputs(folder: Path) -> dict[str, Path]:
    """The bad inputs, by what they are."""
    from release_files import SAMPLE_RECORDS, txt_bytes, write_raw_zip, write_zeros

    inputs = {
        "1 GiB text file": write_zeros(folder / "HCPC2030_JAN_ANWEB.txt", GIB),
        "1 GiB zip": write_zeros(folder / "2030-Alpha-Numeric-HCPCS-File.zip", GIB),
        "zip of 40 x 60 MiB members": write_raw_zip(
            folder / "2031-Alpha-Numeric-HCPCS-File.zip",
            {"HCPC2031_JAN_ANWEB.txt": txt_bytes(SAMPLE_RECORDS), **{f"Changes_{n}.prn": 60 * MIB for n in range(40)}},
        ),
        "workbook expanding to 200 MiB": write_raw_zip(
            folder / "HCPC2032_JAN_ANWEB.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": 200 * MIB}),
    }
    if Path("/dev/zero").exists():
        (device := folder / "HCPC2033_JAN_ANWEB.txt").symlink_to("/dev/zero")
        inputs["/dev/zero as a release"] = device
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo := folder / "HCPC2034_JAN_ANWEB.txt")
        inputs["FIFO as a release"] = fifo
    return inputs


def child(path: str) -> None:
    """Read the release at `path` once timed, once under tracemalloc; print one JSON line."""
    from hcpcs_desktop.data.errors import ReleaseError
    from hcpcs_desktop.data.records import parse_release
    from hcpcs_desktop.data.release_files import find_release_files

    def read():
        try:
            return f"read {len(parse_release(find_release_files(Path(path)))):,} codes"
        except ReleaseError as exc:
            return f"refused: {exc}"

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = read()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    read()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KiB on Linux
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the forked workbook reader, if any
    print(json.dumps({"seconds": seconds, "peak_bytes": peak, "rss_growth_bytes": (after - before) * scale,
                      "rss_bytes": max(after, reader) * scale, "outcome": outcome}))


def measure(path: Path, runs: int) -> dict:
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                              timeout=120, cwd=REPO_ROOT)
        if done.returncode != 0:
            sys.exit(f"error: reading {path} failed:\n{done.stderr}")
        results.append(json.loads(done.stdout))
    return {
        "outcome": results[0]["outcome"],
        "seconds": summary(r["seconds"] for r in results),
        "peak_mib": summary(r["peak_bytes"] / MIB for r in results),
        "rss_growth_mib": summary(r["rss_growth_bytes"] / MIB for r in results),
        "rss_mib": summary(r["rss_bytes"] / MIB for r in results),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    info = machine()
    baseline = require(releases_dir() / BASELINE)
    figures = {"machine": info, "baseline: October 2025 release read": measure(baseline, args.runs)}
    with tempfile.TemporaryDirectory(prefix="refused-input-") as folder:
        for name, path in make_inputs(Path(folder)).items():
            figures[name] = measure(path, args.runs)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print_machine(info)
    print(f"{args.runs} runs each, a fresh process per run; median (p95)")
    print(f"{'input':34} {'seconds':>18} {'tracemalloc peak MiB':>22} {'RSS growth MiB':>16} {'peak RSS MiB':>14}")
    for name, figure in figures.items():
        if name == "machine":
            continue
        cells = [f"{figure[key]['median']:.4f} ({figure[key]['p95']:.4f})" if key == "seconds"
                 else f"{figure[key]['median']:.1f} ({figure[key]['p95']:.1f})"
                 for key in ("seconds", "peak_mib", "rss_growth_mib", "rss_mib")]
        print(f"{name:34} {cells[0]:>18} {cells[1]:>22} {cells[2]:>16} {cells[3]:>14}")
        print(f"    {figure['outcome']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
