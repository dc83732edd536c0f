"""Search quality: does the engine put the right code near the top for what coders type?

    .venv/bin/python benchmarks/search_quality.py [--db FILE] [--queries FILE] [--json] [--check]

Builds the newest release found under the releases folder (April 2026 today) into a
temporary folder as `hcpcs-desktop build-db` does, with every vocabulary bridge and the
Medicare payment files beside the releases folder (or opens `--db`), then runs every query
of `search_quality_queries.tsv` (beside this script) through
`SearchEngine(conn).search(query, limit=10)` and through a baseline, and looks for the
codes a coder would accept in the top 10 of each.

The query set is written the way coders and billers type into a lookup box, with the
HCPCS Level II codes a coder would accept for each:
lay and coder words that differ from CMS's wording ("back brace", "sugar strips"), drug
brand names ("lovenox", "toradol shot"), queries with extra words ("hcpcs code for
shower chair"), modifiers by what they mean ("rental modifier"), typos ("oxigen
concentrator"), index-style phrases ("dressing, foam"), abbreviations and British
spellings ("w/c cushion", "o2 tank", "morphine sulphate"), and plain CMS words (these
categories were written against October 2025: an expected code terminated since is
reported as a warning). Three more categories, written against April 2026 before the
features that serve them: device and supply product names as DME billers and patients
type them, brand, model or maker and product ("dexcom g7", "dreamstation 2", "mepilex
border", "jobst knee high 20-30"), with every code a product is billed under (a CGM's
receiver and supply allowance); questions written as sentences, as on coder forums and
contractor help desks ("patient sent home with a walker which code", "what modifier goes
on the claim when the patient signed an abn"); and drug names as CMS's January 2026 ASP
NDC-HCPCS crosswalk writes them in its "Drug Name" column, typed in lower case and
sometimes without a strength or hyphen ("vueway", "isovue 370", "humulin r"), each
expecting the code the crosswalk ties it to (a biosimilar's brand its own Q code, never
the reference product's). The file is tab-separated: `category`, `query`, `codes`
(space-separated), `note` (why).

Baseline: one plain SQL scan per query, `SELECT code FROM codes WHERE ... ORDER BY code
LIMIT 10`, where every whitespace-separated word of the query must appear (`LIKE
'%word%'`) in the long description, the short description or the code (no ranking, no
stemming, no abbreviations, no spelling correction).

Rank of a query = 1-based position of the first expected code in the top 10 (none if
absent). Reported per category and overall, for the engine and the baseline: n,
hit@1, hit@5, hit@10 (share of queries ranked at or above) and MRR (mean of 1/rank,
0 when absent). Then every query the engine misses at 5, with what it put first.
Goal: overall engine hit@5 >= 0.90. `--check` exits 1 when it is missed.

Only `SearchEngine(conn).search(text, limit=N).hits[i].code` of the engine is used; a
query on which the engine raises counts as a miss and its error is reported.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

from _bench import database_for, verdict

from hcpcs_desktop.data.database import DatabaseError, open_database
from hcpcs_desktop.search import SearchEngine

TOP = 10
GOAL_HIT_AT_5 = 0.90
QUERIES_FILE = Path(__file__).resolve().with_name("search_quality_queries.tsv")
HEADER = ["category", "query", "codes", "note"]
SYSTEMS = ("engine", "baseline")


def load_queries(path: Path) -> list[dict]:
    """The query set, in file order; stops with a message naming the line on a malformed row."""
    if not path.is_file():
        sys.exit(f"error: query set not found: {path}")
    cases = []
    seen = set()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header[:4]] != HEADER:
            sys.exit(f"error: {path}: line 1 must be the header {' / '.join(HEADER)}")
        for row in reader:
            line = reader.line_num
            if not row or not "".join(row).strip():
                continue
            if len(row) < 3:
                sys.exit(f"error: {path}:{line}: expected at least 3 tab-separated fields, got {len(row)}")
            category, query, codes = (field.strip() for field in row[:3])
            note = row[3].strip() if len(row) > 3 else ""
            expected = codes.upper().split()
            if not category or not query or not expected:
                sys.exit(f"error: {path}:{line}: category, query and codes must not be empty")
            if query in seen:
                sys.exit(f"error: {path}:{line}: duplicate query {query!r}")
            seen.add(query)
            cases.append({"category": category, "query": query, "expected": expected, "note": note})
    if not cases:
        sys.exit(f"error: {path}: no queries")
    return cases


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def baseline_sql(query: str) -> tuple[str, list]:
    """A plain LIKE AND search: every word in the long or short description or the code."""
    words = query.lower().split()
    clause = " AND ".join(
        "(long_description LIKE ? ESCAPE '\\' OR short_description LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\')"
        for _ in words
    ) or "1"
    params = [p for w in words for p in (f"%{_like_escape(w)}%",) * 3]
    return f"SELECT code FROM codes WHERE {clause} ORDER BY code LIMIT {TOP}", params


def rank_of(expected: list[str], returned: list[str]) -> int | None:
    wanted = set(expected)
    for position, code in enumerate(returned[:TOP], 1):
        if code.upper() in wanted:
            return position
    return None


def run(conn, cases: list[dict]) -> None:
    engine = SearchEngine(conn)
    for case in cases:
        query = case["query"]
        try:
            result = engine.search(query, limit=TOP)
            case["engine_top"] = [str(hit.code) for hit in list(result.hits)[:TOP]]
            case["engine_error"] = None
        except Exception as error:  # the engine is a moving target: a crash is a miss, reported
            case["engine_top"] = []
            case["engine_error"] = f"{type(error).__name__}: {error}"
        sql, params = baseline_sql(query)
        case["baseline_top"] = [row[0] for row in conn.execute(sql, params)]
        for system in SYSTEMS:
            case[f"{system}_rank"] = rank_of(case["expected"], case[f"{system}_top"])


def check_expected(conn, cases: list[dict]) -> dict[str, list[str]]:
    """Expected codes the database does not have, or has as terminated (they should not be)."""
    status = dict(conn.execute("SELECT code, status FROM codes"))
    unknown = sorted({c for case in cases for c in case["expected"] if c not in status})
    terminated = sorted({c for case in cases for c in case["expected"] if status.get(c) == "terminated"})
    return {"unknown": unknown, "terminated": terminated}


def metrics(ranks: list[int | None]) -> dict:
    n = len(ranks)
    if n == 0:
        return {"n": 0, "hit@1": 0.0, "hit@5": 0.0, "hit@10": 0.0, "mrr": 0.0}
    return {
        "n": n,
        "hit@1": sum(r is not None and r <= 1 for r in ranks) / n,
        "hit@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "hit@10": sum(r is not None and r <= 10 for r in ranks) / n,
        "mrr": sum(1.0 / r for r in ranks if r is not None) / n,
    }


def summarize(cases: list[dict]) -> tuple[dict, dict]:
    categories = {}
    for case in cases:
        categories.setdefault(case["category"], []).append(case)
    per_category = {
        name: {system: metrics([c[f"{system}_rank"] for c in members]) for system in SYSTEMS}
        for name, members in categories.items()
    }
    overall = {system: metrics([c[f"{system}_rank"] for c in cases]) for system in SYSTEMS}
    return per_category, overall


def short_descriptions(conn, codes) -> dict[str, str]:
    codes = sorted(set(codes))
    if not codes:
        return {}
    marks = ",".join("?" * len(codes))
    try:
        return dict(conn.execute(f"SELECT code, short_description FROM codes WHERE code IN ({marks})", codes))
    except sqlite3.Error:  # only used to label the misses
        return {}


def fmt_expected(codes: list[str], shown: int = 4) -> str:
    head = " ".join(codes[:shown])
    return head if len(codes) <= shown else f"{head} ... ({len(codes)} codes)"


def print_report(cases, per_category, overall, db_info, problems, names, passed) -> None:
    print(f"search_quality: {db_info['path']} ({db_info['release']}, {db_info['codes']} codes), "
          f"{len(cases)} queries from {db_info['queries_file']}, top {TOP}")
    if problems["unknown"]:
        print(f"warning: expected codes not in the database: {' '.join(problems['unknown'])}")
    if problems["terminated"]:
        print(f"warning: expected codes terminated in this release: {' '.join(problems['terminated'])}")
    print()
    width = max(len(name) for name in list(per_category) + ["overall"]) + 2
    print(f"{'':<{width}} {'n':>4}   {'engine':^31}   {'baseline (LIKE)':^31}")
    print(f"{'category':<{width}} {'':>4}   " + "   ".join(
        [f"{'hit@1':>7}{'hit@5':>7}{'hit@10':>8}{'MRR':>7}"] * 2))
    rows = list(per_category.items()) + [("overall", overall)]
    for name, figures in rows:
        cells = "   ".join(
            f"{figures[s]['hit@1']:>7.3f}{figures[s]['hit@5']:>7.3f}{figures[s]['hit@10']:>8.3f}{figures[s]['mrr']:>7.3f}"
            for s in SYSTEMS)
        if name == "overall":
            print("-" * (width + 4 + 3 + 29 * 2 + 3 + 2))
        print(f"{name:<{width}} {figures['engine']['n']:>4}   {cells}")
    print()
    for name, figures in rows:
        for system in SYSTEMS:
            f = figures[system]
            print(f"{name} {system} hit@1: {f['hit@1']:.3f}, hit@5: {f['hit@5']:.3f}, "
                  f"hit@10: {f['hit@10']:.3f}, MRR: {f['mrr']:.3f}")
    print()
    errors = [c for c in cases if c["engine_error"]]
    if errors:
        print(f"engine errors: {len(errors)}")
        for case in errors:
            print(f"  {case['query']!r}: {case['engine_error']}")
        print()
    misses = [c for c in cases if c["engine_rank"] is None or c["engine_rank"] > 5]
    print(f"engine misses at 5: {len(misses)} of {len(cases)}")
    for case in misses:
        first = case["engine_top"][0] if case["engine_top"] else None
        if first:
            came_first = f"{first} {names.get(first, '')!r}".rstrip()
        else:
            came_first = "error" if case["engine_error"] else "nothing"
        where = f"rank {case['engine_rank']}" if case["engine_rank"] else "not in top 10"
        baseline = f"baseline rank {case['baseline_rank']}" if case["baseline_rank"] else "baseline miss"
        print(f"  [{case['category']}] {case['query']!r}: expected {fmt_expected(case['expected'])}; "
              f"{where}; first: {came_first}; {baseline}")
    print()
    engine_hit5 = overall["engine"]["hit@5"]
    print(f"goal engine hit@5 >= {GOAL_HIT_AT_5:.2f}: {verdict(passed)} ({engine_hit5:.3f}; "
          f"baseline {overall['baseline']['hit@5']:.3f})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an already built database (default: build the newest release)")
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE,
                        help=f"the query set (default: {QUERIES_FILE.name} beside this script)")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args(argv)

    cases = load_queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-") as folder:
        db_path = database_for(args.db, folder, announce=not args.json, newest=True)
        try:
            conn = open_database(db_path)
        except DatabaseError as error:
            sys.exit(f"error: {error}")
        try:
            db_info = {
                "path": str(db_path) if args.db else "(temporary) " + db_path.name,
                "release": conn.execute("SELECT name FROM release").fetchone()[0],
                "codes": conn.execute("SELECT count(*) FROM codes").fetchone()[0],
                "queries_file": args.queries.name,
            }
            problems = check_expected(conn, cases)
            run(conn, cases)
            names = short_descriptions(conn, (c["engine_top"][0] for c in cases if c["engine_top"]))
        finally:
            conn.close()

    per_category, overall = summarize(cases)
    passed = overall["engine"]["hit@5"] >= GOAL_HIT_AT_5
    if args.json:
        document = {
            "database": db_info,
            "top": TOP,
            "expected_code_problems": problems,
            "queries": cases,
            "categories": per_category,
            "overall": overall,
            "misses_at_5": [c["query"] for c in cases if c["engine_rank"] is None or c["engine_rank"] > 5],
            "goals": {"engine_hit_at_5_at_least": GOAL_HIT_AT_5, "hit_at_5_pass": passed},
        }
        print(json.dumps(document, indent=2))
    else:
        print_report(cases, per_category, overall, db_info, problems, names, passed)
    return 1 if args.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
