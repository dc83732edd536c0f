"""The `hcpcs-desktop` command: build the database, search, show, export, import and compare
releases, check a database, or open the window.

Whatever goes wrong, a command prints one line saying what failed, never a traceback: a bad
release or database names the file and the problem, Ctrl+C stops it with exit status 130.
The build machinery (and the store, which builds) is imported only by the commands that
build, so that `search` and `show` start fast.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from .data.changes import KIND_LABELS, KINDS, compare, counts, diff_text, filter_changes, to_csv, to_json
from .data.database import SQLITE_HEADER, DatabaseError, load_code, open_database, reads_database, release_info
from .data.errors import ReleaseError
from .data.fields import FIELDS
from .data.locations import (
    CMS_RELEASES_URL,
    DB_ENV,
    bridge_sources,
    build_target,
    bundled_database,
    default_database,
    documents,
    newest_release,
    releases_root,
)

COMMANDS = ("build-db", "search", "show", "export", "import", "changes", "check")
INTERRUPTED = 130  # the shell's status for a program stopped by Ctrl+C (128 + SIGINT)


def _db_option(parser):
    parser.add_argument(
        "--db", type=Path, default=None, help=f"database file (default: ${DB_ENV} or {default_database()})"
    )


def command_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hcpcs-desktop", description="CMS HCPCS Level II reference.")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build-db", help="build the database from a CMS release")
    build.add_argument("release", nargs="?", type=Path, help="release .zip, ANWEB .txt/.xlsx/.xls or folder "
                       "(default: the newest under $HCPCS_RELEASES or ../shared/data/hcpcs)")
    build.add_argument("--layout", type=Path, help="record layout text (default: the release's, else the newest found)")
    build.add_argument("--notes", type=Path, help="processing notes text (default: the release's, else the newest found)")
    build.add_argument("--drug-table", type=Path, help="CMS Table of Drugs PDF (default: the newest found)")
    build.add_argument("--index", type=Path, help="CMS HCPCS Index PDF (default: the newest found)")
    build.add_argument("-o", "--output", type=Path, help="database to write (default: --db, else the default database)")
    _db_option(build)

    search = sub.add_parser("search", help="search codes and descriptions")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--status", choices=["active", "terminated"])
    search.add_argument("--section", help="first letter of the code, or 'modifier'")
    search.add_argument("--coverage", help="coverage code, e.g. I")
    search.add_argument("--betos", help="BETOS code, e.g. Z2")
    search.add_argument("--json", action="store_true", help="print JSON")
    _db_option(search)

    show = sub.add_parser("show", help="every field of one code")
    show.add_argument("code")
    show.add_argument("--json", action="store_true", help="print JSON")
    _db_option(show)

    export = sub.add_parser("export", help="every record, every field")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    _db_option(export)

    import_ = sub.add_parser("import", help="add a CMS release to the store of releases")
    import_.add_argument("release", type=Path, help="release .zip, ANWEB .txt/.xlsx/.xls or folder")
    import_.add_argument("--layout", type=Path, help="record layout text (default: the newest found)")
    import_.add_argument("--notes", type=Path, help="processing notes text (default: the newest found)")
    import_.add_argument("--drug-table", type=Path, help="CMS Table of Drugs PDF (default: the newest found)")
    import_.add_argument("--index", type=Path, help="CMS HCPCS Index PDF (default: the newest found)")
    _store_option(import_)
    _db_option(import_)

    changes = sub.add_parser("changes", help="what changed from one release to another")
    for name in ("old", "new"):
        changes.add_argument(name, help="database file, or release date or name in the store (e.g. 2019-01-01)")
    output = changes.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV")
    changes.add_argument("--kind", action="append", choices=KINDS, help="only changes of this kind (repeatable)")
    changes.add_argument("--section", action="append", help="first letter of the code, or 'modifier' (repeatable)")
    _store_option(changes)
    _db_option(changes)

    check = sub.add_parser("check", help="check a database thoroughly: every page and the search index")
    _db_option(check)
    return parser


def _store_option(parser):
    parser.add_argument("--store", type=Path, default=None,
                        help="folder of releases (default: releases in the user data folder)")


def main(argv: list[str] | None = None) -> int:
    argv = _command_first(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
            return _window(argv)
        args = command_parser().parse_args(argv)
        return _run_command(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED


def _command_first(argv: list[str]) -> list[str]:
    """`--db FILE COMMAND ...` as `COMMAND --db FILE ...`: --db goes before or after the command
    (given twice, the one after the command wins)."""
    count = 2 if argv[:1] == ["--db"] else 1 if argv[:1] and argv[0].startswith("--db=") else 0
    if count and len(argv) > count and argv[count] in COMMANDS:
        return [argv[count], *argv[:count], *argv[count + 1:]]
    return argv


def _run_command(args) -> int:
    commands = {"build-db": _build, "search": _search, "show": _show, "export": _export,
                "import": _import, "changes": _changes, "check": _check}
    try:
        return commands[args.command](args)
    except (ReleaseError, DatabaseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except sqlite3.DatabaseError as exc:  # met outside the data layer's own checks
        print(f"error: {args.command}: a database could not be read ({exc}); the file may be damaged",
              file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {args.command} failed: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 — one line, never a traceback
        print(f"error: {args.command} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _window(argv: list[str]) -> int:
    """The window (or `--smoke`); a database that fails while it starts is one line too."""
    try:
        from .ui.app import run  # the window needs Qt; the commands do not

        return run(argv)
    except (DatabaseError, ReleaseError) as exc:
        prefix = "smoke: FAIL" if "--smoke" in argv else "error"
        print(f"{prefix}: {exc}", file=sys.stderr)
        return 1


def _build(args) -> int:
    release = args.release or newest_release()
    if release is None:
        print(
            f"error: no CMS release given and none found under {releases_root()}.\n"
            f"Download the Alpha-Numeric HCPCS file from {CMS_RELEASES_URL}\n"
            "and run: hcpcs-desktop build-db PATH/TO/RELEASE.zip",
            file=sys.stderr,
        )
        return 1
    from .data.build import build_database  # the build machinery: for building only

    output = args.output or args.db or build_target()
    print(f"Building {output} from {release}", file=sys.stderr)
    bridges = bridge_sources(args.drug_table, args.index, previous=output)
    report = build_database(release, output, **documents(args.layout, args.notes), bridges=bridges)
    print(
        f"{report.release_name}: {report.procedures:,} procedures, {report.modifiers:,} modifiers, "
        f"{report.terminated:,} with a termination date; built in {report.seconds:.2f} s.\n"
        f"Coded values without a description: {report.undecoded_count}",
        file=sys.stderr,
    )
    for key, values in report.undecoded.items():
        print(f"  {key}: {', '.join(values)}", file=sys.stderr)
    print("Coder vocabulary: " + ", ".join(f"{count:,} {table.replace('_', ' ')}"
                                           for table, count in report.bridges.items()), file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _database(args) -> Path:
    return args.db or default_database()


def _open(args):
    return open_database(_database(args))


def _store(args):
    """The store of releases; a database named by --db is one of its known releases."""
    from .data.release_store import ReleaseStore  # it builds: for the commands that need it

    return ReleaseStore(args.store, extra=[args.db, bundled_database()]) if args.db else ReleaseStore(args.store)


def _search(args) -> int:
    from .search import Filters, SearchEngine
    from .search.messages import result_notes, skipped_why

    engine = SearchEngine(_open(args))
    filters = Filters(args.status, args.section, args.coverage, args.betos)
    result = engine.search(args.query, filters, limit=args.limit)
    if args.json:
        json.dump(
            {
                "query": args.query,
                "searched_for": result.corrected_text or args.query,
                "total": result.total,
                "results": [h._asdict() for h in result.hits],
                "corrections": [{"typed": typed, "corrected": right} for typed, right in result.corrections],
                "ignored_words": result.ignored,
                "unknown": result.unknown,
                "skipped": [{"token": token, "why": skipped_why(why)} for token, why in result.skipped],
                "hidden": [{"code": hit.code, "hidden_by": by} for hit, by in result.hidden],
            },
            sys.stdout,
            indent=2,
        )
        print()
        return 0
    for hit in result.hits:
        status = f"  [terminated {hit.termination_date}]" if hit.status == "terminated" else ""
        reason = f"  ({hit.reason})" if hit.reason else ""
        print(f"{hit.code:<6}{hit.short_description}{status}{reason}")
    for line in result_notes(result):
        print(line, file=sys.stderr)
    return 0


def _show(args) -> int:
    conn = _open(args)
    page = load_code(conn, args.code)
    if page is None:
        print(f"error: {args.code!r} is not a code of this release", file=sys.stderr)
        return 1
    release = release_info(conn)
    if args.json:
        json.dump(
            {
                "code": page.code,
                "kind": page.kind,
                "status": page.status,
                "release": {"name": release["name"], "date": release["release_date"]},
                "fields": {
                    f.key: {"label": f.label, "value": f.value, "meaning": f.meaning, "help": f.help}
                    for f in page.fields
                },
            },
            sys.stdout,
            indent=2,
        )
        print()
        return 0
    print(f"{page.code}  {page.long_description}\n")
    width = max(len(f.label) for f in page.fields)
    for f in page.fields:
        if f.value:
            print(f"{f.label:<{width}}  {f.display}")
    print(f"\nCMS HCPCS {release['name']}")
    return 0


def _export(args) -> int:
    database = _database(args)
    refused = _export_target_problem(Path(args.output), database) if args.output else None
    if refused:
        print(f"error: {refused}; nothing was written", file=sys.stderr)
        return 1
    conn = _open(args)
    if not args.output:
        _write_export(conn, sys.stdout, args.format)
        return 0
    target = Path(args.output)
    # Written beside the target and renamed into place: an export that fails leaves no half file.
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with open(handle, "w", newline="", encoding="utf-8") as out:
            _write_export(conn, out, args.format)
        os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return 0


def _export_target_problem(target: Path, database: Path) -> str | None:
    """Why the export must not be written to `target` (a folder, the database being read, any
    SQLite database), or None."""
    if target.is_dir():
        return f"{target} is a folder, not a file to write"
    if not target.exists():
        return None if target.parent.is_dir() else f"{target.parent} does not exist"
    try:
        if database.exists() and target.samefile(database):  # by any name, link or alias
            return f"{target} is the database being read"
        with target.open("rb") as file:
            if file.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                return f"{target} is a SQLite database, which export does not overwrite"
    except OSError:
        pass  # unreadable: writing it fails with its own message, or replaces it
    return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@reads_database
def _write_export(conn, out, format: str) -> None:
    keys = [f.key for f in FIELDS]
    rows = conn.execute(f"SELECT {', '.join(keys)} FROM codes ORDER BY code")
    if format == "csv":
        writer = csv.writer(out)
        writer.writerow(keys)
        writer.writerows(rows)
    else:
        for row in rows:
            out.write(json.dumps(dict(zip(keys, row))) + "\n")


def _import(args) -> int:
    store = _store(args)
    print(f"Importing {args.release} into {store.folder}", file=sys.stderr)
    stored = store.import_release(args.release, **documents(args.layout, args.notes),
                                  bridges=bridge_sources(args.drug_table, args.index))
    print(f"{stored.name} stored as {stored.path}", file=sys.stderr)
    return 0


def _release_path(store, key: str) -> Path:
    """A database file named on the command line, or the store's release of that date or name."""
    if Path(key).is_file():
        return Path(key)
    found = store.find(key)
    if found is None:
        known = ", ".join(r.release_date for r in store.releases()) or "none"
        raise DatabaseError(f"{key} is neither a database file nor a release in {store.folder} (known: {known}).")
    return found.path


def _changes(args) -> int:
    store = _store(args)
    old, new = _release_path(store, args.old), _release_path(store, args.new)
    # Every row of both is read: checking every page first costs little more, and names the damaged one.
    before, after = open_database(old, thorough=True), open_database(new, thorough=True)
    changes = filter_changes(compare(before, after), args.kind, args.section)
    if args.json or args.csv:
        sys.stdout.write(to_json(changes) + "\n" if args.json else to_csv(changes))
        return 0
    print(f"{release_info(before)['name']} -> {release_info(after)['name']}: {len(changes):,} change(s)")
    for kind, count in counts(changes).items():
        print(f"  {KIND_LABELS[kind]:<28}{count:>6,}")
    print()
    for change in changes:
        print(f"{change.code:<6}{change.label:<36}{_change_detail(change)}")
    return 0


def _change_detail(change) -> str:
    if change.diff:
        return diff_text(change.diff)
    if change.kind == "added":
        return f"{change.description} (added {change.new})"
    if change.kind == "terminated":
        return f"{change.description} ({change.new_meaning or 'terminated ' + change.new})"
    if change.kind == "reinstated" and change.field == "termination_date":
        return f"{change.description} (termination date {change.old} removed)"
    old = f"{change.old} ({change.old_meaning})" if change.old_meaning else change.old or "(none)"
    new = f"{change.new} ({change.new_meaning})" if change.new_meaning else change.new or "(none)"
    return f"{old} -> {new}"


def _check(args) -> int:
    path = _database(args)
    conn = open_database(path, thorough=True)
    release = release_info(conn)
    print(f"{path}: {release['name']}, {release['procedures'] + release['modifiers']:,} codes; "
          "every page and the search index are sound")
    return 0
