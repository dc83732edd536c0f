"""Helpers shared by the benchmark scripts: where the CMS releases are, and statistics.

The scripts import this as a sibling module (`python benchmarks/xxx.py` puts this
folder on sys.path). Nothing here writes into the repository.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RELEASES_ENV = "HCPCS_RELEASES"
DEFAULT_RELEASES = "../shared/data/hcpcs"

# The October 2025 build the goals are about.
OCT_2025_RELEASE = "2025-oct/HCPC2025_OCT_ANWEB.xlsx"
OCT_2025_LAYOUT = "2026-jan/HCPC2026_recordlayout.txt"
OCT_2025_NOTES = "2026-jan/proc_notes_JAN2026.txt"
# The vocabulary bridges' build-time sources (CMS's 2019 PDFs; the drug dictionary package).
DRUG_TABLE_2019 = "2019-jan/2019-Table-of-Drugs.pdf"
INDEX_2019 = "2019-jan/2019-HCPCS-Index.pdf"


def releases_dir() -> Path:
    """$HCPCS_RELEASES (a relative path is taken from the repository root), default ../shared/data/hcpcs."""
    path = (REPO_ROOT / os.environ.get(RELEASES_ENV, DEFAULT_RELEASES)).resolve()
    if not path.is_dir():
        sys.exit(f"error: CMS release folder not found: {path} (set {RELEASES_ENV})")
    return path


def require(path: Path) -> Path:
    if not path.is_file():
        sys.exit(f"error: release file not found: {path}")
    return path


def oct_2025_inputs() -> dict[str, Path]:
    root = releases_dir()
    return {
        "release": require(root / OCT_2025_RELEASE),
        "layout": require(root / OCT_2025_LAYOUT),
        "notes": require(root / OCT_2025_NOTES),
    }


def payment_folder() -> Path | None:
    """The Medicare payment files beside the releases folder (as `build-db` finds them), or None."""
    folder = releases_dir().parent / "payment"
    return folder if folder.is_dir() else None


def build_oct_2025(db_path: Path, progress=None, payment: Path | None = None):
    """Build the October 2025 database as `hcpcs-desktop build-db` does: layout, notes and every bridge
    (and the Medicare payment files of the folder `payment`, when given)."""
    from hcpcs_desktop.data.bridges import BridgeSources
    from hcpcs_desktop.data.build import build_database

    root = releases_dir()
    sources = BridgeSources(drug_table=require(root / DRUG_TABLE_2019), index=require(root / INDEX_2019),
                            drug_dictionary=True, word_list=True)
    return build_database(db_path=db_path, **oct_2025_inputs(), progress=progress, bridges=sources, payment=payment)


def build_newest(db_path: Path, progress=None):
    """Build the newest release under the releases folder as `hcpcs-desktop build-db` does without
    arguments: the release's own layout and notes (else the newest found), every bridge, and the
    Medicare payment files beside the releases folder."""
    from hcpcs_desktop.data.bridges import BridgeSources
    from hcpcs_desktop.data.build import build_database
    from hcpcs_desktop.data.release_files import newest_document_path, newest_release_path

    root = releases_dir()
    release = newest_release_path(root)
    if release is None:
        sys.exit(f"error: no CMS release found under {root}")
    sources = BridgeSources(drug_table=require(root / DRUG_TABLE_2019), index=require(root / INDEX_2019),
                            drug_dictionary=True, word_list=True)
    return build_database(release, db_path, layout=newest_document_path("layout", root),
                          notes=newest_document_path("notes", root), progress=progress, bridges=sources,
                          payment=payment_folder())


def database_for(db: Path | None, folder: str, announce: bool, newest: bool = False) -> Path:
    """`db` when given, else the October 2025 database built (with every bridge) into `folder`;
    with `newest`, the newest release found, built by `build_newest`."""
    if db:
        return db
    if announce:
        which = "newest release's" if newest else "October 2025"
        print(f"building the {which} database into a temporary folder ...", flush=True)
    path = Path(folder) / "hcpcs.sqlite"
    (build_newest if newest else build_oct_2025)(path)
    return path


def percentile(values, q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks."""
    data = sorted(values)
    if not data:
        return float("nan")
    if len(data) == 1:
        return data[0]
    position = (len(data) - 1) * q / 100.0
    low = int(position)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


def summary(values) -> dict[str, float]:
    values = list(values)
    return {
        "n": len(values),
        "min": min(values),
        "median": statistics.median(values),
        "p95": percentile(values, 95),
        "max": max(values),
    }


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("inf")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def machine() -> dict:
    """What the figures were measured on (the machine is shared: load matters)."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        load = None
    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": load,
    }


def print_machine(info: dict) -> None:
    print(f"python {info['python']}, sqlite {info['sqlite']}, {info['platform']}, "
          f"{info['cpus']} cpus, load average {info['load_average']}")
