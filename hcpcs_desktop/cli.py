"""The `hcpcs-desktop` command: build the database, search, show, export, import and compare
releases, or open the window."""

from __future__ import annotations

import argparse
import csv
import json
import signal
import sys
import threading
from pathlib import Path

from .data.build import build_database
from .data.changes import KIND_LABELS, KINDS, compare, counts, diff_text, filter_changes, to_csv, to_json
from .data.database import DatabaseError, load_code, open_database, release_info
from .data.errors import ReleaseError
from .data.fields import FIELDS
from .data.release_store import ReleaseStore, default_folder, read_release
from .data.locations import (
    CMS_RELEASES_URL,
    DB_ENV,
    bridge_sources,
    build_target,
    default_database,
    documents,
    newest_release,
    releases_root,
)
from .search import Filters, SearchEngine
from .search.messages import result_notes, skipped_why

COMMANDS = ("build-db", "search", "show", "export", "import", "changes")


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
    build.add_argument("-o", "--output", type=Path, help="database to write (default: the default database)")

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

    changes = sub.add_parser("changes", help="what changed from one release to another")
    for name in ("old", "new"):
        changes.add_argument(name, help="database file, or release date or name in the store (e.g. 2019-01-01)")
    output = changes.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV")
    changes.add_argument("--kind", action="append", choices=KINDS, help="only changes of this kind (repeatable)")
    changes.add_argument("--section", action="append", help="first letter of the code, or 'modifier' (repeatable)")
    _store_option(changes)
    return parser


def _store_option(parser):
    parser.add_argument("--store", type=Path, default=None, help=f"folder of releases (default: {default_folder()})")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        from .ui.app import run  # the window needs Qt; the commands do not

        return run(argv)
    args = command_parser().parse_args(argv)
    with _SigtermAsExit():
        try:
            commands = {"build-db": _build, "search": _search, "show": _show, "export": _export,
                        "import": _import, "changes": _changes}
            return commands[args.command](args)
        except (ReleaseError, DatabaseError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except BrokenPipeError:
            return 0
        except KeyboardInterrupt:
            print("interrupted; nothing was changed", file=sys.stderr)
            return 130


class _SigtermAsExit:
    """SIGTERM unwinds like an exit (exit status 143), so that half-written files are removed."""

    def __enter__(self):
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._exit)

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)

    @staticmethod
    def _exit(signum, frame):
        raise SystemExit(128 + signum)


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
    output = args.output or build_target()
    print(f"Building {output} from {release}", file=sys.stderr)
    bridges = bridge_sources(args.drug_table, args.index, previous=output)
    # Layout and notes the release lacks: from the store, the database replaced, the default and bundled ones.
    stored = [r.path for r in reversed(ReleaseStore(extra=[output, *ReleaseStore().extra]).releases())]
    report = build_database(release, output, **documents(args.layout, args.notes), bridges=bridges,
                            documents_from=stored)
    print(
        f"{report.release_name}: {report.procedures:,} procedures, {report.modifiers:,} modifiers, "
        f"{report.terminated:,} with a termination date; built in {report.seconds:.2f} s.",
        file=sys.stderr,
    )
    _print_build_facts(report)
    print("Coder vocabulary: " + ", ".join(f"{count:,} {table.replace('_', ' ')}"
                                           for table, count in report.bridges.items()), file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _print_build_facts(report) -> None:
    """Where the layout and notes came from when the release had none, and every value left undecoded."""
    taken = {"record layout": report.layout_from, "processing notes": report.notes_from}
    for source in sorted(set(taken.values()) - {None}):
        what = " and ".join(k for k, v in taken.items() if v == source)
        print(f"The release carries no {what}: taken from the stored {source} release.", file=sys.stderr)
    print(f"Coded values without a description: {report.undecoded_count}", file=sys.stderr)
    for key, values in report.undecoded.items():
        print(f"  {key}: {', '.join(values)}", file=sys.stderr)


def _open(args):
    return open_database(args.db or default_database())


def _search(args) -> int:
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
    conn = _open(args)
    keys = [f.key for f in FIELDS]
    rows = conn.execute(f"SELECT {', '.join(keys)} FROM codes ORDER BY code")
    out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.format == "csv":
            writer = csv.writer(out)
            writer.writerow(keys)
            writer.writerows(rows)
        else:
            for row in rows:
                out.write(json.dumps(dict(zip(keys, row))) + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def _import(args) -> int:
    store = ReleaseStore(args.store)
    print(f"Importing {args.release} into {store.folder}", file=sys.stderr)
    stored = store.import_release(args.release, **documents(args.layout, args.notes),
                                  bridges=bridge_sources(args.drug_table, args.index))
    if stored.replaced:
        print(f"{stored.name} was already stored from {stored.replaced.file_name or stored.replaced.path.name}: "
              f"this file replaces it.", file=sys.stderr)
    _print_build_facts(stored.report)
    print(f"{stored.name} stored as {stored.path}", file=sys.stderr)
    return 0


def _release_path(store: ReleaseStore, key: str) -> Path:
    """A database file named on the command line, or the store's release of that date or name."""
    if Path(key).is_file():
        return Path(key)
    found = store.find(key)
    if found is None:
        known = ", ".join(r.release_date for r in store.releases()) or "none"
        raise DatabaseError(f"{key} is neither a database file nor a release in {store.folder} (known: {known}).")
    return found.path


def _changes(args) -> int:
    store = ReleaseStore(args.store)
    old, new = _release_path(store, args.old), _release_path(store, args.new)
    changes = filter_changes(compare(old, new), args.kind, args.section)
    if args.json or args.csv:
        sys.stdout.write(to_json(changes) + "\n" if args.json else to_csv(changes))
        return 0
    print(f"{read_release(old).name} -> {read_release(new).name}: {len(changes):,} change(s)")
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
