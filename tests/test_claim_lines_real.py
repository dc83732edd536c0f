"""Checking claim lines on the newest real release (April 2026, carrying October 2025 and January
2026) with the real payment files beside the releases folder: DMEPOS fees by modifier and state,
drug payment limits by quarter, the NDC-HCPCS crosswalk and the MUEs of each setting. Skipped when
the files are missing, a failure under CI=true; the database is built once for the module."""

from __future__ import annotations

import json

import pytest

from conftest import real_file
from hcpcs_desktop.claim_checks import SETTINGS, LineChecker, Verdict
from hcpcs_desktop.claim_lines import read_lines
from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.locations import earlier_releases
from hcpcs_desktop.data.release_store import ReleaseStore

NEWEST = "2026-apr/hcpc2026_apr_anweb_0/HCPC2026_APR_ANWEB.txt"


@pytest.fixture(scope="module")
def db(releases_dir, tmp_path_factory):
    release = real_file(releases_dir, NEWEST)
    real_file(releases_dir.parent / "payment", "dmepos/DMEPOS26_JAN.xlsx")
    path = tmp_path_factory.mktemp("claims_real") / "hcpcs.sqlite"
    build_database(release, path, layout=release.with_name("HCPC2026_recordlayout.txt"),
                   notes=release.with_name("proc_notes_APR2026.txt"), payment=releases_dir.parent / "payment",
                   earlier=earlier_releases(release, releases_dir))
    return path


@pytest.fixture(scope="module")
def checkers(db, tmp_path_factory):
    conn = open_database(db)
    releases = ReleaseStore(tmp_path_factory.mktemp("empty_store"), extra=[db]).releases()
    assert [r.name for r in releases] == ["October 2025", "January 2026", "April 2026"]
    return {setting: LineChecker(conn, releases, "PA", SETTINGS[setting]) for setting in SETTINGS}


# (line, setting, verdict, the kinds of finding it has (among others), text a finding says or "")
LINES = [
    ("E0601 RR KX x1 02/01/2026", "dme", "ok", ["amount"],
     "PA fee $50.04 non-rural, $91.18 rural (DMEPOS fee schedule, January 2026)"),
    ("E0601-RR 1 2026-02-01", "dme", "ok", ["amount"], ""),
    ("E0601 NU 1 02/01/2026", "dme", "error", ["not_priced_with"],
     "E0601 is not priced with NU: it is priced with RR (DMEPOS fee schedule, January 2026)"),
    ("E0601 1 02/01/2026", "dme", "error", ["not_priced_with"], "E0601 needs a pricing modifier"),
    ("E0601 KX RR 1 02/01/2026", "dme", "warning", ["pricing_first"], "RR should come first"),
    ("E0601 RR 2 02/01/2026", "dme", "error", ["over_mue"],
     "2 units is over the MUE: 1 a day (DME Supplier); a date-of-service edit (clinical)"),
    ("E0601 RR 1 02/01/2026", "practitioner", "error", ["none_billable"], "None billable (Practitioner)"),
    ("E0431 RR QF 1 02/01/2026", "dme", "ok", ["amount"], "PA fee $48.20 non-rural"),
    ("E0431 RR 2 02/01/2026", "dme", "error", ["over_mue"], "a date-of-service edit (policy)"),
    ("A4253 NU KX 1 02/01/2026 02/28/2026", "dme", "ok", ["amount"], ""),
    ("A4253 KX 1 02/01/2026", "dme", "error", ["not_priced_with"], "A4253 needs a pricing modifier"),
    ("L3000 RT 1 02/01/2026", "dme", "ok", ["amount"], ""),
    ("J1650 JZ 4 02/01/2026 N4 00075062040 ML0.4", "practitioner", "ok", ["ndc_units", "amount"],
     "4 units × $0.533 = $2.13 allowed (Part B payment limit, January 1, 2026 - March 31, 2026)"),
    ("J1650 JZ 02/01/2026 N400075062040UN1", "practitioner", "ok", ["units_from_ndc"],
     "No units given: 4 from the NDC quantity"),
    ("J1650 JZ 4 02/01/2026 N4 00075062040 ME40", "practitioner", "ok", ["ndc_units"], "40 mg ÷ 10 mg = 4 units"),
    ("J1650 JZ 2 02/01/2026 N4 00075062040 UN1", "practitioner", "warning", ["units_differ"],
     "The line bills 2 units; its NDC quantity makes 4"),
    ("J1650 4 02/01/2026 N4 00409000925 UN1", "practitioner", "error", ["ndc_other_code"],
     "NDC 00409-0009-25 is billed under J2405, not J1650"),
    ("J1650 40 02/01/2026", "practitioner", "error", ["over_mue"], "40 units is over the MUE: 30 a day (Practitioner)"),
    ("J1650 4 12/01/2025", "practitioner", "ok", ["amount"], "$0.587"),
    ("J1650 4 08/03/2026", "practitioner", "ok", ["amount"], "July 1, 2026 - September 30, 2026"),
    ("J1650 4 05/01/2026", "practitioner", "ok", ["not_covering"], "No file here covers 2026-05-01"),
    ("J1650 4 02/01/2026", "dme", "error", ["none_billable"], "None billable (DME Supplier)"),
    ("C9303 1 02/01/2026", "outpatient", "error", ["terminated"],
     "C9303 was not valid on 2026-02-01: terminated 2025-06-30, before that date; replaced by J1326"),
    ("C9303 1 06/01/2025", "outpatient", "ok", [], ""),
    ("A2040 1 02/01/2026", "practitioner", "error", ["not_yet_added"], "added 2026-04-01, after that date"),
    ("E0601 RR JG 1 02/01/2026", "dme", "error", ["modifier_not_valid"],
     "Modifier JG was not valid on 2026-02-01: terminated 2024-12-31"),
    ("E0601 RR ZZ 1 02/01/2026", "dme", "error", ["unknown_modifier"], "ZZ is not a HCPCS modifier"),
    ("J3490 1 02/01/2026", "practitioner", "error", ["noc_undescribed"], "J3490 is not otherwise classified (NOC)"),
    ("J3490 semaglutide 0.25 mg 1 02/01/2026", "practitioner", "ok", ["noc"], "described as “semaglutide 0.25 mg”"),
    ("E1399 1 02/01/2026", "dme", "error", ["noc_undescribed"], ""),
    ("99213 25 1 02/01/2026", "practitioner", "warning", ["cpt_code"], "99213 is a CPT code, not HCPCS Level II"),
    ("E9999 1 02/01/2026", "dme", "error", ["unknown_code"],
     "E9999 is not a HCPCS code of any stored release (October 2025 to April 2026)"),
    ("E0601 RR 1 13/45/2026", "dme", "error", ["bad_date"], "'13/45/2026' is not a date of the calendar"),
    ("E0601 RR -2 02/01/2026", "dme", "error", ["units_bad"], "Units -2: must be more than 0"),
    ("E0601 RR 1", "dme", "warning", ["no_date"], "No date of service: checked as of the April 2026 release"),
    ("E0601 RR 1 02/01/2026 E0431", "dme", "warning", ["unread"], "Not read: E0431"),
    ("\x00\x07 junk \x1b", "dme", "error", ["no_code"], "No HCPCS code on the line"),
]


@pytest.mark.parametrize(("line", "setting", "verdict", "found", "text"), LINES, ids=[line[0] for line in LINES])
def test_each_line_gets_its_verdict_and_reasons(checkers, line, setting, verdict, found, text):
    [result] = checkers[setting].check_all(read_lines(line).lines)
    kinds = [f.kind for f in result.findings]
    assert result.verdict.value == verdict, result.findings
    assert set(found) <= set(kinds), result.findings
    assert not text or any(text in f.text for f in result.findings), result.findings


def test_the_lines_exercise_every_verdict_and_what_the_issue_asks_for():
    assert len(LINES) >= 30
    assert {verdict for _, _, verdict, _, _ in LINES} == {v.value for v in Verdict}
    asked = {"not_priced_with", "over_mue", "ndc_units", "amount", "terminated", "unknown_modifier", "noc_undescribed",
             "cpt_code", "bad_date", "units_bad", "no_code", "ndc_other_code"}
    assert asked <= {kind for *_, found, _ in LINES for kind in found}


def test_the_command_line_checks_a_pasted_spreadsheet(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    lines = tmp_path / "lines.csv"
    lines.write_text("HCPCS,Mod 1,Mod 2,Units,DOS,NDC,NDC Qty,NDC Unit,Charges\n"
                     "E0601,RR,KX,1,02/01/2026,,,,$150.00\n"
                     "A4253,NU,,1,02/01/2026,,,,$40.00\n", encoding="utf-8")
    args = ["check-lines", str(lines), "--db", str(db), "--store", str(tmp_path / "store"), "--state", "PA"]
    assert main([*args, "--setting", "dme", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(line["line"], line["verdict"], line["amount"]["total"]) for line in data["lines"]] == [
        (2, "ok", 50.04), (3, "ok", data["lines"][1]["amount"]["total"])]
    assert main([*args, "--setting", "practitioner"]) == 1  # DME items: none billable by a practitioner
    assert "None billable (Practitioner)" in capsys.readouterr().out
