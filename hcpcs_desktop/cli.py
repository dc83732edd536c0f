"""The `hcpcs-desktop` command: build the database, search, show, export, import and compare
releases, check a database, or open the window.

Whatever goes wrong, a command prints one line saying what failed, never a traceback: a bad
release or database names the file and the problem, Ctrl+C stops it with exit status 130.
The build machinery (and the store, which builds) is imported only by the commands that
build, and the payment, dose and date-of-service modules only by the commands that use them,
so that `search`, `show` and the window start fast.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import signal
import sqlite3
import sys
import threading
from dataclasses import asdict
from pathlib import Path

from .data.changes import KIND_LABELS, KINDS, compare, counts, diff_text, filter_changes, to_csv, to_json
from .data.database import SQLITE_HEADER, DatabaseError, load_code, open_database, reads_database, release_info
from .data.errors import ReleaseError
from .data.fields import FIELDS
from .data.safe_files import read_file, read_start, replacing
from .data.locations import (
    CMS_RELEASES_URL,
    DB_ENV,
    bridge_sources,
    build_target,
    bundled_database,
    default_database,
    documents,
    earlier_releases,
    newest_release,
    releases_root,
)

COMMANDS = ("build-db", "search", "show", "export", "import", "changes", "units", "ndc", "check", "check-lines")
INTERRUPTED = 130  # the shell's status for a program stopped by Ctrl+C (128 + SIGINT)
MAX_FILTER_CHARS = 20  # 'modifier' is the longest filter value


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
    build.add_argument("--payment", type=Path, help="folder of CMS Medicare payment files (DMEPOS, ASP, "
                       "NDC crosswalk, MUE) (default: the 'payment' folder beside the releases folder)")
    _db_option(build)

    search = sub.add_parser("search", help="search codes and descriptions")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--status", choices=["active", "terminated"])
    search.add_argument("--section", type=_filter_value, help="first letter of the code, or 'modifier'")
    search.add_argument("--coverage", type=_filter_value, help="coverage code, e.g. I")
    search.add_argument("--betos", type=_filter_value, help="BETOS code, e.g. Z2")
    search.add_argument("--json", action="store_true", help="print JSON")
    _db_option(search)

    show = sub.add_parser("show", help="every field of one code")
    show.add_argument("code")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.add_argument("--on", metavar="DATE", type=_date_of_service,
                      help="date of service (YYYY-MM-DD, MM/DD/YYYY, MM/DD/YY, MMDDYYYY or MMDDYY): "
                           "was the code valid then, in which release")
    show.add_argument("--state", help="two-letter state whose DMEPOS fees the text shows (JSON has every state)")
    _db_option(show)
    _store_option(show)

    export = sub.add_parser("export", help="every record, every field")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    export.add_argument("--payment", action="store_true", help="add each code's Medicare payment facts "
                        "(a 'payment' object in jsonl, a 'payment' JSON column in csv)")
    _db_option(export)

    import_ = sub.add_parser("import", help="add a CMS release to the store of releases, or a CMS payment "
                             "file to the database")
    import_.add_argument("release", type=Path, help="release .zip, ANWEB .txt/.xlsx/.xls or folder; or a "
                         "DMEPOS, ASP, NDC crosswalk or MUE file")
    import_.add_argument("--layout", type=Path, help="record layout text (default: the newest found)")
    import_.add_argument("--notes", type=Path, help="processing notes text (default: the newest found)")
    import_.add_argument("--drug-table", type=Path, help="CMS Table of Drugs PDF (default: the newest found)")
    import_.add_argument("--index", type=Path, help="CMS HCPCS Index PDF (default: the newest found)")
    _store_option(import_)
    _db_option(import_)

    changes = sub.add_parser("changes", help="what changed from one release to another")
    for name in ("old", "new"):
        changes.add_argument(name, help="database file, release .zip/.txt/.xlsx/.xls or folder, "
                             "or release date or name in the store (e.g. 2019-01-01)")
    output = changes.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV")
    changes.add_argument("--kind", action="append", choices=KINDS, help="only changes of this kind (repeatable)")
    changes.add_argument("--section", action="append", help="first letter of the code, or 'modifier' (repeatable)")
    _store_option(changes)
    _db_option(changes)

    units = sub.add_parser("units", help="units to bill for a dose of a drug code")
    units.add_argument("code", help="a drug code, e.g. J1650")
    units.add_argument("dose", nargs="+", help="the dose given, e.g. 40mg or 40 mg")
    _db_option(units)

    ndc = sub.add_parser("ndc", help="the HCPCS code(s) an NDC bills under, with billing units")
    ndc.add_argument("ndc", help="NDC in any form: 4-4-2, 5-3-2, 5-4-1 or 5-4-2 with dashes, 10 or 11 digits")
    ndc.add_argument("--json", action="store_true", help="print JSON")
    _db_option(ndc)

    check = sub.add_parser("check", help="check a database thoroughly: every page and the search index")
    _db_option(check)

    lines = sub.add_parser("check-lines", help="check claim lines: code, modifiers, units, NDC and date of service "
                           "against CMS's files; exit status 1 when a line has an error")
    lines.add_argument("file", help="a file of claim lines, or - for standard input")
    lines.add_argument("--state", default="", help="two-letter state whose DMEPOS fees price the lines, e.g. PA")
    lines.add_argument("--setting", choices=["dme", "practitioner", "outpatient"], default="practitioner",
                       help="whose MUEs apply: DME supplier, practitioner or outpatient hospital (default: practitioner)")
    output = lines.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV")
    _store_option(lines)
    _db_option(lines)
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
        with _SigtermAsExit():
            return _run_command(args)
    except KeyboardInterrupt:
        print("interrupted; nothing was changed", file=sys.stderr)
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
                "import": _import, "changes": _changes, "units": _units, "ndc": _ndc, "check": _check,
                "check-lines": _check_lines}
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
    from .data.build import build_database  # the build machinery: for building only

    output = args.output or args.db or build_target()
    print(f"Building {output} from {release}", file=sys.stderr)
    bridges = bridge_sources(args.drug_table, args.index, previous=output)
    from .data.release_store import ReleaseStore

    # Layout and notes the release lacks: from the store, the database replaced, the default and bundled ones.
    known = ReleaseStore(extra=[output, *ReleaseStore().extra]).releases()
    stored = [r.path for r in reversed(known) if not r.carried]
    report = build_database(release, output, **documents(args.layout, args.notes), bridges=bridges,
                            documents_from=stored, payment=_payment_folder(args), earlier=earlier_releases(release))
    print(
        f"{report.release_name}: {report.procedures:,} procedures, {report.modifiers:,} modifiers, "
        f"{report.terminated:,} with a termination date; built in {report.seconds:.2f} s.",
        file=sys.stderr,
    )
    for name, rows in report.earlier.items():
        print(f"Carried as history: {name} ({rows:,} differences kept)", file=sys.stderr)
    _print_build_facts(report)
    print("Coder vocabulary: " + ", ".join(f"{count:,} {table.replace('_', ' ')}"
                                           for table, count in report.bridges.items()), file=sys.stderr)
    print(f"Drug codes: {report.drug_codes:,}, dose not read for {len(report.unread_doses)}", file=sys.stderr)
    for unread in report.unread_doses:
        print(f"  {unread.code}: {unread.reason}", file=sys.stderr)
    print(f"Not otherwise classified (NOC) codes: {report.noc_codes:,}, from {report.noc_source}", file=sys.stderr)
    print(f"Corrections CMS published with the release: {report.corrections:,}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _print_payment_report(report.payment, report.release_name)
    return 0


def _payment_folder(args) -> Path | None:
    """--payment, else the 'payment' folder beside the releases folder, if there is one."""
    if args.payment:
        return args.payment
    beside = releases_root().parent / "payment"
    return beside if beside.is_dir() else None


def _print_payment_report(payment: dict, release_name: str) -> None:
    if not payment:
        return
    print(f"Medicare payment files ({payment['cpt_rows_dropped']:,} CPT rows left out):", file=sys.stderr)
    for label, rows in payment["files"].items():
        print(f"  {label}: {rows:,} rows", file=sys.stderr)
    for month, count in payment["priced_not_in_release"].items():
        print(f"  {count:,} codes priced for {month} are not in the {release_name} release", file=sys.stderr)


def _database(args) -> Path:
    return args.db or default_database()


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
    return open_database(_database(args))


def _store(args):
    """The store of releases; a database named by --db is one of its known releases."""
    from .data.release_store import ReleaseStore  # it builds: for the commands that need it

    return ReleaseStore(args.store, extra=[args.db, bundled_database()]) if args.db else ReleaseStore(args.store)


def _search(args) -> int:
    from .search import Filters, SearchEngine
    from .search.messages import result_notes, said_first, skipped_why

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
                "unnamed_words": result.unnamed,
                "matching_only": result.matching_only,
                "not_listed": result.withheld,
                "uncoded_drugs": [{"name": name, "generic": generic} for name, generic in result.uncoded_drugs],
                "cpt_service": result.query.cpt_service._asdict() if result.query.cpt_service else None,
                "units": result.query.units,
                "unknown": result.unknown,
                "skipped": [{"token": token, "why": skipped_why(why)} for token, why in result.skipped],
                "hidden": [{"code": hit.code, "hidden_by": by} for hit, by in result.hidden],
            },
            sys.stdout,
            indent=2,
        )
        print()
        return 0
    first = said_first(result)
    for line in first:
        print(line, file=sys.stderr)
    for hit in result.hits:
        status = f"  [terminated {hit.termination_date}]" if hit.status == "terminated" else ""
        reason = f"  ({hit.reason})" if hit.reason else ""
        print(f"{hit.code:<6}{hit.short_description}{status}{reason}")
    for line in result_notes(result):
        if line not in first:
            print(line, file=sys.stderr)
    return 0


def _filter_value(text: str) -> str:
    """A value of --section, --coverage or --betos: refused plainly when it is empty, longer than any
    such value, or holds what no value holds (a control character, or a byte the terminal's
    encoding could not read, which Python keeps as a lone surrogate)."""
    if not text.strip() or len(text) > MAX_FILTER_CHARS or not text.isprintable():
        raise argparse.ArgumentTypeError(f"{ascii(text)} is not a value to filter by (a code's first letter or "
                                         "'modifier', a coverage or a BETOS code)")
    return text.strip()


def _date_of_service(text: str):
    from .data.validity import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _show(args) -> int:
    """The page of a code as the window shows it (`code_page_text`; `--json`: its facts), assembled by a
    session on the database in use that knows the stored releases; with --on, on that date of service.
    The coder's own notes and lists live beside the window's settings: `show` reads none of them."""
    import tempfile

    from .code_page_text import page_lines, payment_lines
    from .data.release_store import ReleaseStore
    from .session import Session
    from .user_codes import UserCodes

    code, state, path = args.code.strip().upper(), (args.state or "").upper(), _database(args)
    store = ReleaseStore(args.store, extra=[default_database(), bundled_database()])
    try:
        conn = open_database(path)
    except DatabaseError:
        if not args.on:
            raise
        conn = None  # the date of service is read from the stored releases alone
    with tempfile.TemporaryDirectory() as empty:  # the session's own files: none, and never written
        session = Session(UserCodes(Path(empty) / "codes.json"), store)
    if conn is not None:
        session.use(conn, path, searching=False)
    session.service_date = args.on
    facts = None
    if args.on:
        from .data.validity import Reason, validity_on

        releases = session.releases() if session.conn is not None else store.releases(shown=args.db)
        facts = session.validity(code) if session.conn is not None else validity_on(releases, code, args.on)
        if facts is not None and facts.reason is Reason.UNKNOWN_CODE:
            known = ", ".join(r.name for r in releases) or "none"
            print(f"error: {code} is not a code of any stored release (known: {known})", file=sys.stderr)
            return 1
    view = session.code_view(code) if session.conn is not None else None
    payment = view.payment if view is not None else session.payment(code) if session.conn is not None else None
    if conn is not None and session.conn is None:  # a read met a damaged page
        print(f"error: {session.problem}", file=sys.stderr)
        return 1
    if args.on and args.json:
        def release(r):
            return {"name": r.name, "date": r.release_date} if r else None

        json.dump({"code": facts.code, "date": facts.date.isoformat(), "valid": facts.valid,
                   "reason": facts.reason, "added_date": facts.added_date,
                   "termination_date": facts.termination_date, "release": release(facts.release),
                   "in_release": facts.in_release, "dates_from": release(facts.dates_from),
                   "payment": payment.to_json() if payment else None}, sys.stdout, indent=2)
        print()
        return 0
    if view is None and args.on:  # a code of another release: whether it was valid then, and its payment
        from .wording import date_of_service_text

        print("\n".join([date_of_service_text(facts), *payment_lines(payment, state)]))
        return 0
    if view is None and payment is not None and payment.priced and args.json:
        json.dump({"code": payment.code, "payment": payment.to_json()}, sys.stdout, indent=2)
        print()
        return 0
    if view is None:
        note = f" ({payment.release_note})" if payment and payment.release_note else ""
        print(f"error: {args.code!r} is not a code of this release{note}", file=sys.stderr)
        return 1
    if args.json:
        page = view.page
        json.dump(
            {
                "code": page.code,
                "kind": page.kind,
                "status": page.status,
                "noc": page.unclassified,
                "release": {"name": session.release["name"], "date": session.release["release_date"]},
                "fields": {
                    f.key: {"label": f.label, "value": f.value, "meaning": f.meaning, "help": f.help}
                    for f in page.fields
                },
                "payment": view.payment.to_json(),
                "referrals": [asdict(referral) for referral in view.related.referrals],
                "history": view.history,
                "page": page_lines(view, state),
            },
            sys.stdout,
            indent=2,
        )
        print()
        return 0
    print("\n".join(page_lines(view, state)))
    return 0


def _export(args) -> int:
    database = _database(args)
    refused = _export_target_problem(Path(args.output), database) if args.output else None
    if refused:
        print(f"error: {refused}; nothing was written", file=sys.stderr)
        return 1
    conn = _open(args)
    if not args.output:
        _write_export(conn, sys.stdout, args.format, args.payment)
        return 0
    # Written beside the target and renamed into place: an export that fails leaves no half file.
    with replacing(Path(args.output)) as stream:
        out = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        _write_export(conn, out, args.format, args.payment)
        out.detach()  # flushed into `stream`, which `replacing` closes
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
        if read_start(target, len(SQLITE_HEADER)) == SQLITE_HEADER:
            return f"{target} is a SQLite database, which export does not overwrite"
    except ReleaseError as exc:  # a pipe, a device: never waited on, never written over
        if "not a regular file" in exc.problem:
            return f"{target} is {exc.problem}, which export does not write"
    except OSError:
        pass  # unreadable: writing it fails with its own message, or replaces it
    return None


@reads_database
def _write_export(conn, out, format: str, payment: bool) -> None:
    from .data.payment import payment_facts

    keys = [f.key for f in FIELDS]
    rows = conn.execute(f"SELECT {', '.join(keys)} FROM codes ORDER BY code")
    if format == "csv":
        writer = csv.writer(out)
        writer.writerow(keys + ["payment"] * payment)
        writer.writerows([*row, json.dumps(payment_facts(conn, row[0]).to_json())] if payment else row
                         for row in rows)
    else:
        for row in rows:
            record = dict(zip(keys, row))
            if payment:
                record["payment"] = payment_facts(conn, row[0]).to_json()
            out.write(json.dumps(record) + "\n")


def _import(args) -> int:
    from .data.payment_files import imports_as_payment_file

    if imports_as_payment_file(args.release):
        return _import_payment(args)
    store = _store(args)
    print(f"Importing {args.release} into {store.folder}", file=sys.stderr)
    stored = store.import_release(args.release, **documents(args.layout, args.notes),
                                  bridges=bridge_sources(args.drug_table, args.index))
    if stored.replaced:
        print(f"{stored.name} was already stored from {stored.replaced.file_name or stored.replaced.path.name}: "
              f"this file replaces it.", file=sys.stderr)
    _print_build_facts(stored.report)
    print(f"{stored.name} stored as {stored.path}", file=sys.stderr)
    return 0


LABEL_WIDTH = max(len(label) for label in KIND_LABELS.values()) + 2  # the counts of `changes` line up


def _changes(args) -> int:
    from .data.changes import release_databases  # it builds release files: for this command only

    from .data.release_store import StoredRelease, read_release

    with release_databases([args.old, args.new], _store(args).releases(), **documents()) as sources:
        # Every row of both is read: checking every page first costs little more, and names the damaged one.
        releases = [source if isinstance(source, StoredRelease) else read_release(source) for source in sources]
        for release in releases:
            open_database(release.path, thorough=True).close()
        changes = filter_changes(compare(*releases), args.kind, args.section)
        names = [release.name for release in releases]
    if args.json or args.csv:
        sys.stdout.write(to_json(changes) + "\n" if args.json else to_csv(changes))
        return 0
    print(f"{names[0]} -> {names[1]}: {len(changes):,} change(s)")
    for kind, count in counts(changes).items():
        print(f"  {KIND_LABELS[kind]:<{LABEL_WIDTH}}{count:>6,}")
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


def _units(args) -> int:
    """One line: the units to bill and the rule, or why there are none."""
    from .data.billing_units import Units, billing_units, describe
    from .data.drug_codes import load_drug_code

    conn = _open(args)
    code = args.code.strip().upper()
    drug = load_drug_code(conn, code)
    if drug is None:
        known = load_code(conn, code) is not None
        print(f"error: {code} is " + ("not a drug code (not billed by dose)" if known
                                       else "not a code of this release"), file=sys.stderr)
        return 1
    if drug.dose is None:
        print(f"error: {code} gives no dose to bill by ({drug.no_dose})", file=sys.stderr)
        return 1
    result = billing_units(drug.dose, " ".join(args.dose))
    if not isinstance(result, Units):
        print(f"error: {code}: {describe(result)}", file=sys.stderr)
        return 1
    print(f"{code}: {describe(result)}")
    return 0


def _import_payment(args) -> int:
    """A payment file goes into every stored release and the default database (with --db: that one)."""
    store = _store(args)
    default = default_database()
    also = [args.db] if args.db else ([default] if default.is_file() and default != bundled_database() else [])
    own = args.db is None or args.store is not None
    print(f"Adding {args.release} to " + ", ".join([*([f"the releases in {store.folder}"] if own else []),
                                                   *map(str, also)]), file=sys.stderr)
    for release, done in store.import_payment_file(args.release, also=also, own=own):
        replaced = f"; replaces {', '.join(done.replaced)}" if done.replaced else ""
        print(f"{release.name} ({release.path}): {done.label}: {done.rows:,} rows "
              f"({done.cpt_rows_dropped:,} CPT rows left out){replaced}", file=sys.stderr)
        if done.codes_not_in_release:
            print(f"{done.codes_not_in_release:,} codes it prices are not in {release.name}", file=sys.stderr)
    return 0


def _ndc(args) -> int:
    from .data.ndc import NdcError, dashed, ndc_candidates
    from .data.payment import lookup_ndc

    try:
        packages = lookup_ndc(_open(args), args.ndc)
    except NdcError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        searched = [dashed(n) for n in ndc_candidates(args.ndc)]
        json.dump({"ndc": args.ndc, "searched": searched, "packages": [asdict(p) for p in packages]},
                  sys.stdout, indent=2)
        print()
        return 0 if packages else 1
    if not packages:
        print(f"{args.ndc}: no NDC-HCPCS crosswalk in this database lists it", file=sys.stderr)
        return 1
    for p in packages:
        print(f"{p.ndc} -> {p.code}  {p.drug_name} ({p.labeler}): {_number(p.billing_units)} billing units "
              f"of {p.dosage} per item of size {_number(p.package_size)}, {_number(p.package_quantity)} per package: "
              f"{_number(p.billing_units_per_package)} units per package  [{p.source.label}]")
    return 0


def _number(value) -> str:
    return "?" if value is None else f"{value:g}"


def _check(args) -> int:
    path = _database(args)
    conn = open_database(path, thorough=True)
    release = release_info(conn)
    print(f"{path}: {release['name']}, {release['procedures'] + release['modifiers']:,} codes; "
          "every page and the search index are sound")
    return 0


MOST_LINE_BYTES = 64 * 2**20  # a file of claim lines larger than this is refused unread (10,000 lines: 0.5 MB)


def _check_lines(args) -> int:
    """Each claim line of the file with its verdict and findings; exit status 1 when any has an error."""
    from . import claim_wording as say
    from .claim_checks import SETTINGS, LineChecker, verdict_counts
    from .claim_lines import read_lines
    from .data.release_store import ReleaseStore

    text = _claim_text(args.file)
    state = args.state.strip().upper()
    if state and not re.fullmatch(r"[A-Z]{2}", state):
        print(f"error: --state {args.state!r} is not a two-letter state", file=sys.stderr)
        return 1
    conn = _open(args)
    releases = ReleaseStore(args.store, extra=[default_database(), bundled_database()]).releases(shown=args.db)
    checker = LineChecker(conn, releases, state, SETTINGS[args.setting])
    pasted = read_lines(text)
    results = checker.check_all(pasted.lines)
    counts = verdict_counts(results)
    remarks = ([] if checker.has_payment else [say.NO_PAYMENT_FILES]) + (
        [say.beyond(pasted.beyond)] if pasted.beyond else []) + ([] if results else [say.NO_LINES])
    if args.json:
        json.dump({"release": checker.release_name, "state": state or None, "setting": SETTINGS[args.setting],
                   "counts": counts, "remarks": remarks, "lines": [r.to_json() for r in results]},
                  sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(say.HEADERS)
        writer.writerows(say.result_row(r) for r in results)
        for remark in [*remarks, say.summary(counts)]:
            print(remark, file=sys.stderr)
    else:
        print(say.checked_with(checker.release_name, state, SETTINGS[args.setting]))
        for result in results:
            print("\n".join(say.text_lines(result)))
        for remark in [*remarks, say.summary(counts)]:
            print(remark)
    return 1 if counts["error"] else 0


def _claim_text(name: str) -> str:
    """The text of the file `name` (- : standard input), as UTF-8 or else Windows-1252. A file that is no
    regular file or larger than claim lines can be is refused unread (`safe_files.read_file`), with one line."""
    if name == "-":
        data = sys.stdin.buffer.read(MOST_LINE_BYTES + 1)
        if len(data) > MOST_LINE_BYTES:
            raise ReleaseError("standard input", f"more than {MOST_LINE_BYTES:,} bytes: no claim lines")
    else:
        data = read_file(Path(name), MOST_LINE_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
