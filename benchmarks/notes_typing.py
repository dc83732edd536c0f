"""What the coder's notes add to a keystroke of a word search, on October 2025.

Usage: PYTHONPATH=. python benchmarks/notes_typing.py [--db FILE] [--rounds N]

Each query of TYPED is typed one key at a time and every prefix searched as the window searches
it (`Session.search`), timed in CPU time of this thread. The same keys are timed with no notes
(the baseline, in the same run), with 2,000 and with 20,000 notes on codes of the release, each
of a dozen words drawn from the release's own vocabulary (invented sentences, none CMS's).
Goal: the notes add no cost that grows with their number (20,000 notes: p95 within 2 ms of the
baseline's).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from _bench import database_for, machine, print_machine, summary, verdict

TYPED = ["insulin pump", "wheelchair cushion", "oxygen concentrator", "walker", "payer wants kx"]
COUNTS = (0, 2_000, 20_000)
GOAL_MS = 2.0


def notes_file(db: Path, count: int, folder: Path) -> Path:
    """A notes.json of `count` notes on codes of the release, of words of its own vocabulary."""
    conn = sqlite3.connect(db)
    codes = [code for (code,) in conn.execute("SELECT code FROM codes ORDER BY code")]
    words = [term for (term,) in conn.execute("SELECT term FROM vocabulary WHERE length(term) > 3 ORDER BY term")]
    conn.close()
    chance = random.Random(count)
    notes = {}
    while len(notes) < count:  # more notes than codes: codes carry one each, the rest are on made-up codes
        code = codes[len(notes)] if len(notes) < len(codes) else f"Z{len(notes):07d}"
        notes[code] = " ".join(chance.choice(words) for _ in range(12)) + " payer wants KX"
    path = folder / f"{count}" / "notes.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"notes": notes}), encoding="utf-8")
    return path


def keystrokes(session, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for text in TYPED:
            for end in range(1, len(text) + 1):
                started = time.thread_time()
                session.search(text[:end])
                times.append((time.thread_time() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a built database (default: build October 2025)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from hcpcs_desktop.data.database import open_database
    from hcpcs_desktop.session import Session
    from hcpcs_desktop.user_codes import UserCodes
    from hcpcs_desktop.user_notes import UserNotes

    print_machine(machine())
    with tempfile.TemporaryDirectory(prefix="notes-typing-") as folder:
        db = database_for(args.db, folder, announce=True)
        results = {}
        for count in COUNTS:
            notes = notes_file(db, count, Path(folder))
            session = Session(UserCodes(notes.with_name("codes.json")), notes=UserNotes(notes))
            session.use(open_database(db), db)
            keystrokes(session, 1)  # the first round reads what later keys reuse
            results[count] = summary(keystrokes(session, args.rounds))
            print(f"{count:>6,} notes: keystroke median {results[count]['median']:6.2f} ms, "
                  f"p95 {results[count]['p95']:6.2f} ms (n={results[count]['n']})", flush=True)
    added = results[COUNTS[-1]]["p95"] - results[0]["p95"]
    print(f"20,000 notes add {added:.2f} ms to the p95 keystroke (goal: under {GOAL_MS:g} ms): "
          f"{verdict(added < GOAL_MS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
