"""A code's history across a store of 8 and of 40 releases, and listing the 40, against opening
each release's file read-only and reading its release row (the floor), measured in the same runs.

Usage: PYTHONPATH=. python benchmarks/store_history.py [--runs N] [--code CODE]

Set-up: an isolated HOME (settings, caches, the stores in temporary folders). The five real
releases under the releases folder (January 2019, January 2020, October 2025, January and April
2026) are built as `import` builds them (their own record layout and notes, else the newest found;
no vocabulary sources), then copied under the 40 quarterly release dates of January 2017 to
October 2026, each quarter a copy of the newest real release not after it (the earliest for the
quarters before 2019), its release row saying its date: a store of ten years of quarters, of the
real size, in which a code changes where the real releases change it. The store of 8 holds every
fifth quarter of them (the newest among them). The newest is the release shown.

Timed, each run (CPU time of the measuring thread, `time.thread_time`):
- history: `Session.history(CODE)` as the code page asks for it, its kept histories forgotten first
  (the releases listed once before, as the window lists them);
- listing: `ReleaseStore.releases()` of the store of 40, as File → Releases and the newer-release
  banner list them after an import;
- floor: each release's file opened read-only (as the app opens it) and its release row read, for
  the same store, in the same run.
Goals (issue 23): history <= 5 ms at 40 releases; listing <= 1.5 x the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from _bench import machine, print_machine, ratio, releases_dir, require, summary, verdict

from hcpcs_desktop.data.release_index import SETTLED_SECONDS, location
from hcpcs_desktop.data.release_store import ReleaseStore

SOURCES = (  # (first quarter it stands for, the real release)
    ("2019-01-01", "2019-jan/2019-Alpha-Numeric-HCPCS-File.zip"),
    ("2020-01-01", "2020-jan/2020-Alpha-Numeric-HCPCS-File.zip"),
    ("2025-10-01", "2025-oct/HCPC2025_OCT_ANWEB.xlsx"),
    ("2026-01-01", "2026-jan/january-2026-alpha-numeric-hcpcs-file.zip"),
    ("2026-04-01", "2026-apr/hcpc2026_apr_anweb_0.zip"),
)
QUARTERS = [dt.date(year, month, 1) for year in range(2017, 2027) for month in (1, 4, 7, 10)]
MONTHS = ["January", "April", "July", "October"]
GOAL_HISTORY_MS, GOAL_LISTING_RATIO = 5.0, 1.5


def isolate_home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="store-history-home-"))
    for name, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                      ("XDG_CACHE_HOME", ".cache")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(home / sub)
    return home


def build_sources(folder: Path) -> list[tuple[str, Path]]:
    """(first quarter, database) of each real release, oldest first."""
    from hcpcs_desktop.data.build import build_database
    from hcpcs_desktop.data.release_files import newest_document_path

    root = releases_dir()
    documents = {"layout": newest_document_path("layout", root), "notes": newest_document_path("notes", root)}
    built = []
    for first, relative in SOURCES:
        target = folder / f"source-{first}.sqlite"
        build_database(require(root / relative), target, **documents)
        built.append((first, target))
    return built


def fill_store(folder: Path, sources: list[tuple[str, Path]], quarters: list[dt.date]) -> Path:
    """A copy of the newest source not after each quarter, under that quarter's date; the newest."""
    folder.mkdir(parents=True, exist_ok=True)
    for quarter in quarters:
        date = quarter.isoformat()
        source = next((path for first, path in reversed(sources) if first <= date), sources[0][1])
        target = folder / f"{date}.sqlite"
        shutil.copy(source, target)
        with sqlite3.connect(target) as conn:
            conn.execute("UPDATE release SET release_date = ?, name = ?",
                         (date, f"{MONTHS[(quarter.month - 1) // 3]} {quarter.year}"))
            conn.execute("DELETE FROM history_values")  # a copy under another date carries no earlier quarter
            conn.execute("DELETE FROM history_releases")
        conn.close()
    return folder / f"{quarters[-1].isoformat()}.sqlite"


def floor(paths: list[Path]) -> None:
    """Each file opened read-only and immutable, as the app opens it, and its release row read."""
    from hcpcs_desktop.data.database import read_only_uri

    for path in paths:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        conn.execute("SELECT * FROM release").fetchone()
        conn.close()


def cpu_ms(action) -> float:
    started = time.thread_time()
    action()
    return (time.thread_time() - started) * 1000


def session_on(home: Path, folder: Path, shown: Path):
    from hcpcs_desktop.session import Session
    from hcpcs_desktop.user_codes import UserCodes

    session = Session(UserCodes(home / f"codes-{folder.name}.json"), store=ReleaseStore(folder, extra=[]))
    problem = session.open(shown)
    assert problem is None, problem
    session.read_ahead()  # as the window does in its first idle moment: the releases listed, their codes indexed
    session.indexing.join()
    return session


def line(label: str, figures: dict, base: dict | None = None) -> str:
    text = f"{label}: median {figures['median']:.2f} ms, p95 {figures['p95']:.2f} ms"
    if base:
        text += f" (floor median {base['median']:.2f} ms, p95 {base['p95']:.2f} ms; " \
                f"{ratio(figures['median'], base['median']):.2f} x the floor)"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--code", default="E0765", help="the code whose history is read (default E0765: seven changes)")
    args = parser.parse_args()
    print_machine(machine())
    home = isolate_home()
    try:
        began = time.perf_counter()
        sources = build_sources(home / "sources")
        stores = {}
        for count, quarters in ((8, QUARTERS[4::5]), (40, QUARTERS)):
            folder = home / f"store-{count}"
            stores[count] = (folder, fill_store(folder, sources, quarters))
        print(f"stores of 8 and 40 releases made in {time.perf_counter() - began:.1f} s")
        # A stored release is a file of some age: one changed less than SETTLED_SECONDS ago is read in full.
        time.sleep(max(0.0, SETTLED_SECONDS + 0.5 - (time.time() - stores[8][1].stat().st_mtime)))
        folder, shown = stores[40]
        store = ReleaseStore(folder, extra=[])
        once = cpu_ms(lambda: store.releases(shown=shown))
        print(f"once: listing 40 releases with none in the release index {once:.1f} ms (CPU)")
        began = time.perf_counter()
        sessions = {count: session_on(home, *stores[count]) for count in stores}
        print(f"once: two sessions opened and the codes of 8 + 40 releases read into the release index "
              f"{time.perf_counter() - began:.1f} s (wall, a worker thread)")
        index = location()
        size = sum(p.stat().st_size for p in (index, index.with_name(index.name + "-wal")) if p.exists())
        print(f"the release index: {size / 2**20:.1f} MiB")
        history = sessions[40].history(args.code)
        assert history == sessions[40].history(args.code)
        print(f"{args.code} at 40 releases: {len(history)} events: " + "; ".join(event[:60] for event in history[:3])
              + (" …" if len(history) > 3 else ""))
        times: dict[str, list[float]] = {}
        for _ in range(args.runs):
            for count, session in sessions.items():
                paths = [release.path for release in session.releases()]
                assert len(paths) == count, f"{len(paths)} releases listed, {count} stored"
                times.setdefault(f"floor {count}", []).append(cpu_ms(lambda: floor(paths)))
                session._histories.clear()  # the history read anew, not the one kept
                times.setdefault(f"history {count}", []).append(cpu_ms(lambda: session.history(args.code)))
            store, shown = sessions[40].store, stores[40][1]
            times.setdefault("listing 40", []).append(cpu_ms(lambda: store.releases(shown=shown)))
        figures = {key: summary(values) for key, values in times.items()}
        print(f"{args.runs} runs, CPU time of the measuring thread:")
        for count in (8, 40):
            print(line(f"history of {args.code}, {count} releases", figures[f"history {count}"],
                       figures[f"floor {count}"]))
        print(line("listing 40 releases", figures["listing 40"], figures["floor 40"]))
        history_40, listing, base = figures["history 40"], figures["listing 40"], figures["floor 40"]
        print(f"goal history at 40 releases <= {GOAL_HISTORY_MS:g} ms (median): "
              f"{verdict(history_40['median'] <= GOAL_HISTORY_MS)} ({history_40['median']:.2f} ms)")
        print(f"goal listing 40 releases <= {GOAL_LISTING_RATIO:g} x the floor (median): "
              f"{verdict(listing['median'] <= GOAL_LISTING_RATIO * base['median'])} "
              f"({ratio(listing['median'], base['median']):.2f} x)")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
