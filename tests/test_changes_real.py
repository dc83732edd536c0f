"""Changes between the real CMS releases: January 2019 -> January 2020 -> October 2025.

The three releases are built once into databases in a temporary folder, with the
newest record layout and processing notes (January 2026). The 2019 -> 2020 changes
are checked against CMS's own account of them: the action code of every record of
the 2020 file, and the transaction report shipped in the 2020 zip (read here at test
time, never copied).
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile

import pytest
from python_calamine import CalamineWorkbook

from conftest import real_file
from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.changes import ChangeKind, code_history, compare, counts

RELEASES = {
    "2019": "2019-jan/2019-Alpha-Numeric-HCPCS-File.zip",
    "2020": "2020-jan/2020-Alpha-Numeric-HCPCS-File.zip",
    "2025": "2025-oct/HCPC2025_OCT_ANWEB.xlsx",
}
TRANSACTION_REPORT = "2020-jan/2020-Alpha-Numeric-HCPCS-File/HCPC2020_TRANS_ALPHA_w_disclaimer.xlsx"
REPORT_ACTIONS = {  # the transaction report's words for the action codes
    "ADD": "A", "Discontinued": "D", "Long Description Change": "C", "Short Description Change": "S",
    "Payment Change": "P", "No Change": "N",
}
# The kind of change our comparison must find for each action of the report; a payment change
# is any change of a field that prices or pays the code.
REPORTED_KINDS = {
    "A": {ChangeKind.ADDED}, "D": {ChangeKind.TERMINATED}, "C": {ChangeKind.LONG_DESCRIPTION},
    "S": {ChangeKind.SHORT_DESCRIPTION},
    "P": {ChangeKind.PRICING, ChangeKind.COVERAGE, ChangeKind.ASC_GROUP, ChangeKind.OPPS,
          ChangeKind.ANESTHESIA_BASE_UNITS, ChangeKind.PROCESSING_NOTE},
}


@pytest.fixture(scope="module")
def dbs(releases_dir, tmp_path_factory) -> dict[str, object]:
    """The database of each release, built into a temporary folder."""
    folder = tmp_path_factory.mktemp("real_releases")
    docs = {"layout": real_file(releases_dir, "2026-jan/HCPC2026_recordlayout.txt"),
            "notes": real_file(releases_dir, "2026-jan/proc_notes_JAN2026.txt")}
    return {year: build_database(real_file(releases_dir, release), folder / f"{year}.sqlite", **docs).db_path
            for year, release in RELEASES.items()}


@pytest.fixture(scope="module")
def changes_2020(dbs):
    return compare(dbs["2019"], dbs["2020"])


@pytest.fixture(scope="module")
def changes_2025(dbs):
    return compare(dbs["2020"], dbs["2025"])


def column(db, name: str) -> dict[str, str]:
    """{code: value of column `name`} of every record in a database."""
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute(f"SELECT code, {name} FROM codes"))
    finally:
        conn.close()


def with_action(db, action: str) -> set[str]:
    return {code for code, value in column(db, "action_code").items() if value == action}


def codes(changes, kind: str) -> set[str]:
    return {c.code for c in changes if c.kind == kind}


@pytest.fixture(scope="module")
def transaction_report(releases_dir) -> dict[str, str]:
    """{code: action code} from the 'Changes by Action Code' sheet of CMS's 2020 transaction report."""
    rows = CalamineWorkbook.from_path(real_file(releases_dir, TRANSACTION_REPORT)).get_sheet_by_name(
        "Changes by Action Code").to_python()
    header = next(i for i, row in enumerate(rows) if row[0] == "HCPC/MOD")
    return {row[0].strip(): REPORT_ACTIONS[row[1]] for row in rows[header + 1:] if row[0]}


# CMS's account of 2019 -> 2020 ------------------------------------------------------------------


def test_the_transaction_report_gives_every_2020_code_its_action_code(dbs, transaction_report):
    assert transaction_report == column(dbs["2020"], "action_code")


# Codes the 2020 file has and the January 2019 file lacks, beyond the 250 with action A:
ADDED_AND_DISCONTINUED_IN_2019 = {  # action D: added in the April or July 2019 update, ended by 2019-12-31
    "C9040", "C9042", "C9043", "C9044", "C9045", "C9048", "C9049", "C9050", "C9051", "C9052", "C9141",
}
ADDED_WITH_ACTION_N = {  # effective 2019 or earlier, absent from the January 2019 file, action N in 2020
    # added by CMS's 2019 corrections file (HCPC2019_Corrections_ALPHA), effective 2019-01-01
    "C1890", "J1095", "J2186", "J2787", "Q5111",
    # "removed in error - add back to file" by the second corrections file (effective 2011-01-01)
    "DA",
    # added date 2019-01-01, yet in neither the January 2019 file nor its two corrections files
    "G2001", "G2002", "G2003", "G2004", "G2005", "G2006", "G2007", "G2008", "G2009", "G2013", "G2014", "G2015",
}


def test_added_codes_are_the_action_a_codes_and_what_2019_added_outside_the_annual_file(dbs, changes_2020):
    action_a = with_action(dbs["2020"], "A")
    assert len(action_a) == 250
    assert codes(changes_2020, "added") == action_a | ADDED_AND_DISCONTINUED_IN_2019 | ADDED_WITH_ACTION_N
    assert counts(changes_2020)["added"] == 250 + 11 + 18 == 279


def test_terminated_codes_are_the_action_d_codes_and_one_correction(dbs, changes_2020):
    # The 99 action D codes: 88 codes of the January 2019 file terminated in 2019, and the 11 codes
    # both added and discontinued within 2019 (counted as added and as terminated). C9034, listed
    # as active in January 2019 and discontinued by the 2019 corrections file (replaced by J1095),
    # has termination date 2018-12-31 and action N in 2020.
    action_d = with_action(dbs["2020"], "D")
    assert len(action_d) == 99
    assert codes(changes_2020, "terminated") == action_d | {"C9034"}
    assert ADDED_AND_DISCONTINUED_IN_2019 <= action_d
    assert column(dbs["2020"], "termination_date")["C9034"] == "2018-12-31"


def test_no_code_was_reinstated_or_dropped_from_2019_to_2020(dbs, changes_2020):
    assert with_action(dbs["2020"], "R") == set()
    assert codes(changes_2020, "reinstated") == set()
    assert [c for c in changes_2020 if c.new_meaning == "not in the newer release"] == []


def test_long_description_changes_are_the_action_c_codes(dbs, changes_2020):
    assert codes(changes_2020, "long_description") == with_action(dbs["2020"], "C")
    assert counts(changes_2020)["long_description"] == 70


def test_short_description_changes_are_the_action_s_codes_and_49_action_c_codes(dbs, changes_2020):
    # A record carries one action code: a code whose long and short descriptions both changed
    # shows C, so CMS counts only 2 short description changes where there are 51.
    short, long = codes(changes_2020, "short_description"), codes(changes_2020, "long_description")
    assert short - long == with_action(dbs["2020"], "S") == {"G8654", "G9946"}
    assert len(short & long) == 49
    assert counts(changes_2020)["short_description"] == 51


def test_every_transaction_of_cms_report_is_found_by_the_comparison(transaction_report, changes_2020):
    # CMS's 431 transactions of 2020 (every action but N): each code is found with its kind of change.
    transactions = {code: action for code, action in transaction_report.items() if action != "N"}
    assert len(transactions) == 431
    found = {(c.code, c.kind) for c in changes_2020}
    missed = {code: action for code, action in transactions.items()
              if not any((code, kind) in found for kind in REPORTED_KINDS[action])}
    assert missed == {}


def test_cms_payment_changes_of_2020_are_asc_group_changes(dbs, changes_2020):
    # The 10 action P codes changed only their ASC payment group or its date.
    action_p = with_action(dbs["2020"], "P")
    assert len(action_p) == 10
    assert {c.code for c in changes_2020 if c.code in action_p} == action_p
    assert {c.kind for c in changes_2020 if c.code in action_p} == {ChangeKind.ASC_GROUP}
    assert only_field(changes_2020, "Q2026", "asc_date") == ("2019-01-01", "2020-01-01")
    assert only_field(changes_2020, "J0800", "asc_group") == ("", "YY")


def test_changes_cms_does_not_report_as_transactions(dbs, changes_2020):
    # Codes with action N whose values differ anyway: C9034 and Q9994 carry the 2019 corrections
    # (C9034 replaced by J1095; Q9994's cross reference to B4105 removed), C9468's cross reference
    # was corrected from J7023 to J7203, J7329 joined the ASC list back-dated to 2019-01-01.
    # Discontinued codes also left the ASC list (C9035 …) or gained a cross reference (C9408 -> A9590).
    assert codes(changes_2020, "cross_reference") == {"C9034", "C9408", "C9468", "Q9994"}
    assert only_field(changes_2020, "C9468", "cross_reference") == ("J7023", "J7203")
    action_n = with_action(dbs["2020"], "N")
    assert codes(changes_2020, "asc_group") & action_n == {"C9034", "J7329"}
    assert codes(changes_2020, "asc_group") - action_n - with_action(dbs["2020"], "P") <= with_action(dbs["2020"], "D")


def test_value_changes_that_cms_reports_as_no_change(dbs, changes_2020):
    # The value changes besides are the 2019 corrections of B4105 and Q9994 (action N in 2020:
    # coverage D -> C, pricing 00 -> 39 and 9 -> A, processing note 0217 removed) and three
    # codes' types of service.
    assert codes(changes_2020, "coverage") == codes(changes_2020, "pricing") == {"B4105", "Q9994"}
    assert codes(changes_2020, "processing_note") == {"B4105", "Q9994"}
    assert codes(changes_2020, "type_of_service") == {"E0210", "E0776", "G9949"}
    assert codes(changes_2020, "betos") == set()


# Known changes, by value ---------------------------------------------------------------------


def only(changes, code, kind):
    [change] = [c for c in changes if c.code == code and c.kind == kind]
    return change


def only_field(changes, code, field):
    [change] = [c for c in changes if c.code == code and c.field == field]
    return change.old, change.new


def test_a_code_added_in_2020(changes_2020):
    change = only(changes_2020, "A4226", "added")
    assert (change.section, change.description, change.new) == ("A", "Weekly supply maint cgs pump", "2020-01-01")


def test_a_code_terminated_at_the_end_of_2019(changes_2020):
    change = only(changes_2020, "G0515", "terminated")
    assert (change.description, change.old, change.new) == ("Cognitive skills development", "", "2019-12-31")


def test_a_short_description_reworded_in_2020(changes_2020):
    change = only(changes_2020, "G8654", "short_description")
    assert (change.old, change.new) == ("Rafscrs hi no scor no surv", "Rafs crs hi no scor no surv")
    assert change.diff == (("delete", "Rafscrs"), ("insert", "Rafs crs"), ("equal", "hi no scor no surv"))


def test_a_long_description_reworded_in_2020(changes_2020):
    change = only(changes_2020, "B4185", "long_description")
    assert change.diff == (("equal", "Parenteral nutrition solution,"), ("delete", "per"),
                           ("insert", "not otherwise specified,"), ("equal", "10 grams lipids"))


def test_a_coverage_correction_with_the_layouts_meanings(changes_2020):
    change = only(changes_2020, "B4105", "coverage")
    assert (change.old, change.old_meaning, change.new, change.new_meaning) == (
        "D", "Special coverage instructions apply", "C", "Carrier judgment")


# January 2020 -> October 2025 --------------------------------------------------------------------


def test_counts_from_2020_to_october_2025(changes_2025):
    assert counts(changes_2025) == {
        "added": 1767, "terminated": 610, "reinstated": 1, "long_description": 327, "short_description": 144,
        "coverage": 23, "pricing": 47, "betos": 24, "type_of_service": 21, "processing_note": 18,
        "asc_group": 278, "opps": 0, "cross_reference": 12, "lab_certification": 2, "manual_reference": 22,
        "statute": 3, "anesthesia_base_units": 0, "added_date": 0,
    }


# Any order ---------------------------------------------------------------------------------------

STATUS_KINDS = {ChangeKind.ADDED, ChangeKind.TERMINATED, ChangeKind.REINSTATED}


def field_changes(changes) -> set[tuple]:
    return {(c.code, c.kind, c.field, c.old, c.new) for c in changes if c.kind not in STATUS_KINDS}


@pytest.mark.parametrize("older, newer", list(itertools.combinations(RELEASES, 2)))
def test_two_releases_compare_field_by_field_in_either_order(dbs, older, newer):
    forward, backward = compare(dbs[older], dbs[newer]), compare(dbs[newer], dbs[older])
    assert field_changes(forward)
    assert field_changes(backward) == {(code, kind, field, new, old)
                                       for code, kind, field, old, new in field_changes(forward)}
    # A code added going forward is dropped going back, and the other way round.
    dropped_back = {c.code for c in backward if c.new_meaning == "not in the newer release"}
    assert codes(forward, "added") == dropped_back
    assert codes(backward, "added") == {c.code for c in forward if c.new_meaning == "not in the newer release"}


def test_codes_added_after_2020_are_the_codes_new_in_october_2025(dbs, changes_2025):
    # Three codes dated no later than the 2020 release are missing from the January 2020 file:
    # C9058 (added 2019-11-15), G2168 and G2169 (added 2020-01-01).
    added_dates = column(dbs["2025"], "added_date")
    later = {code for code, date in added_dates.items() if date > "2020-01-01"}
    assert codes(changes_2025, "added") == later | {"C9058", "G2168", "G2169"}


def test_terminations_from_2020_to_2025_are_the_growth_in_terminated_codes(dbs, changes_2025):
    # No code was dropped and none lost its termination date, so every new termination shows.
    def terminated(db):
        return {code for code, date in column(db, "termination_date").items() if date}

    assert codes(changes_2025, "terminated") == terminated(dbs["2025"]) - terminated(dbs["2020"])
    assert len(terminated(dbs["2025"])) - len(terminated(dbs["2020"])) == 1225 - 615 == 610


def test_october_2025_action_codes_agree_with_the_comparison(dbs, changes_2025):
    # They tell only what the October 2025 update did, so they are a subset of five years' changes.
    assert with_action(dbs["2025"], "A") <= codes(changes_2025, "added")
    assert with_action(dbs["2025"], "D") <= codes(changes_2025, "terminated")
    assert with_action(dbs["2025"], "R") == codes(changes_2025, "reinstated") == {"J0570"}


# History of one code across the three releases --------------------------------------------------


def test_history_of_a_code_across_the_releases(dbs):
    events = code_history(list(dbs.values()), "G8654")
    assert [(e.date, e.kind) for e in events] == [
        ("2011-01-01", "added"), ("2020-01-01", "short_description"), ("2025-10-01", "long_description"),
    ]
    assert events[1].text == ("Short description changed between January 2019 and January 2020 "
                              "from “Rafscrs hi no scor no surv” to “Rafs crs hi no scor no surv”")


def test_history_of_a_code_added_and_ended_between_annual_files(dbs):
    assert [e.text for e in code_history(list(dbs.values()), "C9040")] == ["Added 2019-04-01", "Terminated 2019-09-30"]


# The command on the release files themselves ------------------------------------------------------


def test_changes_command_compares_the_cms_zips_as_downloaded(releases_dir, changes_2020, tmp_path, monkeypatch,
                                                             capsys):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("HCPCS_RELEASES", str(releases_dir))
    old, new = (str(real_file(releases_dir, RELEASES[year])) for year in ("2019", "2020"))
    assert main(["changes", old, new, "--json", "--store", str(tmp_path / "store")]) == 0
    listed = [(c["code"], c["kind"], c["field"], c["old"], c["new"]) for c in json.loads(capsys.readouterr().out)]
    assert listed == [(c.code, c.kind, c.field, c.old, c.new) for c in changes_2020]
    assert list(tmp_path.iterdir()) == []


# October 2025 -> January 2026 -> April 2026, carried inside the April 2026 database ---------------

APRIL_2026 = "2026-apr/hcpc2026_apr_anweb_0.zip"
CARRIED = ["2025-oct/HCPC2025_OCT_ANWEB.xlsx", "2026-jan/january-2026-alpha-numeric-hcpcs-file.zip"]
REPORTS_2026 = {  # CMS's transaction report of each quarter, read here at test time, never copied
    "2026-01-01": "2026-jan/january-2026-alpha-numeric-hcpcs-file/HCPC2026_JAN_ANWEB_Transaction Report_12292025.xlsx",
    "2026-04-01": "2026-apr/hcpc2026_apr_anweb_0/HCPC2026_APR_ANWEB_Transaction Report.xlsx",
}
# The 2026 reports' words (April writes "Discontinue" and "Miscellaneous change", and the bare
# action code "B" for E0467), each with the kinds of change it stands for.
REPORTED_KINDS_2026 = {
    "ADD": {ChangeKind.ADDED}, "Discontinued": {ChangeKind.TERMINATED}, "Discontinue": {ChangeKind.TERMINATED},
    "Long Description Change": {ChangeKind.LONG_DESCRIPTION},
    "Short Description Change": {ChangeKind.SHORT_DESCRIPTION},
    "Payment Change": REPORTED_KINDS["P"], "Coverage Change": {ChangeKind.COVERAGE},
    "B": {ChangeKind.COVERAGE, ChangeKind.LONG_DESCRIPTION},
    "Miscellaneous change": {ChangeKind.BETOS, ChangeKind.TYPE_OF_SERVICE},
}
# Six CDT dental codes the January 2026 report lists as discontinued: neither HCPCS Level II file
# (October 2025 nor January 2026) holds them, so there is no change to find.
DENTAL_IN_JANUARY_REPORT = {"D1352", "D1705", "D1706", "D1707", "D1712", "D9248"}


@pytest.fixture(scope="module")
def april_2026(releases_dir, tmp_path_factory):
    """The April 2026 database carrying October 2025 and January 2026, and its releases by date."""
    from hcpcs_desktop.data.release_store import read_releases

    report = build_database(real_file(releases_dir, APRIL_2026), tmp_path_factory.mktemp("april_2026") / "db.sqlite",
                            earlier=[real_file(releases_dir, path) for path in CARRIED])
    return report, {r.release_date: r for r in read_releases(report.db_path)}


def report_2026(releases_dir, date: str) -> dict[str, str]:
    rows = CalamineWorkbook.from_path(real_file(releases_dir, REPORTS_2026[date])).get_sheet_by_name(
        "Changes by Action Code").to_python()
    assert rows[0][:2] == ["HCPC", "ACTION CD"]
    return {row[0].strip(): row[1] for row in rows[1:] if row[0].strip()}


def test_april_2026_holds_8685_codes_and_383_modifiers_and_carries_two_quarters(april_2026):
    report, releases = april_2026
    assert (report.procedures, report.modifiers) == (8685, 383)
    assert [(r.name, r.carried) for r in releases.values()] == [
        ("April 2026", False), ("October 2025", True), ("January 2026", True)]
    assert sum(report.earlier.values()) < 5000  # differences, not two more copies of 9,000 records


@pytest.mark.parametrize(("older", "newer", "transactions"), [("2025-10-01", "2026-01-01", 621),
                                                               ("2026-01-01", "2026-04-01", 84)])
def test_every_transaction_of_cms_2026_reports_is_found_between_the_carried_quarters(
        releases_dir, april_2026, older, newer, transactions):
    _, releases = april_2026
    changes = compare(releases[older], releases[newer])
    report = report_2026(releases_dir, newer)
    reported = {code: action for code, action in report.items() if action != "No Change"}
    assert len(reported) == transactions
    found = {(c.code, c.kind) for c in changes}
    missed = {code: action for code, action in reported.items()
              if not any((code, kind) in found for kind in REPORTED_KINDS_2026[action])}
    assert missed == ({code: "Discontinued" for code in DENTAL_IN_JANUARY_REPORT} if newer == "2026-01-01" else {})
    # and every code the comparison finds changed is in the report (as a transaction or "No Change")
    assert {c.code for c in changes} <= report.keys()


def test_the_2026_quarters_added_and_terminated_what_cms_says(releases_dir, april_2026):
    _, releases = april_2026
    january, april = compare(releases["2025-10-01"], releases["2026-01-01"]), compare(
        releases["2026-01-01"], releases["2026-04-01"])
    assert (counts(january)["added"], counts(january)["terminated"]) == (160, 95)
    assert (counts(april)["added"], counts(april)["terminated"]) == (62, 6)
    assert codes(april, "terminated") == {"C9145", "C9307", "C9308", "L6000", "L6010", "L6020"}
