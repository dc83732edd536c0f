"""Checking claim lines against a release, an earlier stored one and payment files the tests write
(every code, fee, limit, NDC and MUE invented), and the `check-lines` command: its text, JSON, CSV
and exit status.

January 2030 holds SAMPLE_RECORDS, two drug codes, E0601, the NOC code J3490, Q4999 (added
2030-04-01) and the modifiers below (JG terminated 2029-12-31); the stored October 2029 release
also has K0999, which January 2030 leaves out.
"""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from drug_records import DRUG_RECORDS
from hcpcs_desktop.claim_checks import SETTINGS, LineChecker, Severity, Verdict, verdict_counts
from hcpcs_desktop.claim_lines import read_lines
from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.release_store import ReleaseStore
from payment_files import write_crosswalk, write_dmepos_xlsx, write_drug_limits, write_mue
from release_files import SAMPLE_RECORDS, record, write_layout, write_notes, write_txt

MODIFIERS = [record(code, f"Made-up modifier {code}", f"Modifier {code}") for code in ("RR", "NU", "UE", "KX", "JZ", "QF")]
MODIFIERS.append(record("JG", "Made-up modifier JG, ended", "Modifier JG", termination_date="20291231"))
RECORDS = sorted([*SAMPLE_RECORDS, *(r for r in DRUG_RECORDS if r["code"] in ("J1200", "J1650")), *MODIFIERS,
                  record("E0601", "Made-up continuous airway pressure device", "Made-up cpap device"),
                  record("J3490", "Unclassified drugs", "Drugs unclassified inj"),
                  record("Q4999", "Made-up skin substitute, per square centimeter", "Made-up skin sub",
                         added_date="20300401")], key=lambda r: r["code"])
OCTOBER = sorted([*(r for r in RECORDS if r["code"] != "Q4999"),
                  record("K0999", "Made-up item dropped in January", "Made-up dropped item")], key=lambda r: r["code"])
FEES = {"AL": (48.1, 88.2), "PA": (50.04, 91.18), "TX": (50.91, 91.52)}
DMEPOS = [("E0601", "RR", "", "D", "CR", 0.0, 0.0, FEES),
          ("E0431", "RR", "", "D", "OX", 0.0, 0.0, {s: (20.0, 40.0) for s in FEES}),
          ("E0431", "RR", "QF", "D", "OX", 0.0, 0.0, {s: (30.0, 50.0) for s in FEES}),
          ("A4233", "", "", "D", "SU", 12.5, 10.63, {s: (11.25, 0.0) for s in FEES}),
          ("E0100", "NU", "", "D", "IN", 25.0, 21.25, {s: (22.0, 24.0) for s in FEES}),
          ("E0100", "UE", "", "D", "IN", 18.0, 15.3, {s: (16.5, 18.0) for s in FEES})]
LIMITS = [("J1650", "10 MG", "1.250", "20.000", "", "", ""), ("J0121", "100 MG", "5.000", "20.000", "", "", "")]
NDCS = [("J1650", "Invented Labs Inc", "12345-0001-10", "Inventoxaparin", "10 MG", "0.4", "10", "4", "40"),
        ("J1200", "Other Invented LLC", "0123-4567-89", "Inventhydramine", "50 MG", "1", "25", "1", "25")]
DME_MUE = [("E0601", "1", "3 Date of Service Edit: Clinical", "Nature of Equipment"),
           ("A4233", "3", "3 Date of Service Edit: Clinical", "Clinical: Data"),
           ("E0431", "1", "2 Date of Service Edit: Policy", "Code Descriptor / CPT Instruction"),
           ("J1650", "0", "3 Date of Service Edit: Clinical", "CMS Policy")]
PRACTITIONER_MUE = [("J1650", "30", "3 Date of Service Edit: Clinical", "Prescribing Information"),
                    ("J1200", "8", "1 Line Edit", "Prescribing Information"),
                    ("E0601", "0", "3 Date of Service Edit: Clinical", "CMS Policy")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(database, store folder): January 2030 with its payment files, and October 2029 stored."""
    folder = tmp_path_factory.mktemp("claims")
    docs = {"layout": write_layout(folder / "layout.txt"), "notes": write_notes(folder / "notes.txt")}
    payment = folder / "payment"
    payment.mkdir()
    write_dmepos_xlsx(payment / "DMEPOS30_JAN.xlsx", rows=DMEPOS)
    write_drug_limits(payment, rows=LIMITS)
    write_drug_limits(payment, effective=("April 1, 2030", "June 30, 2030"),
                      rows=[("J1650", "10 MG", "1.300", "20.000", "", "", "")],
                      name="section 508 version of April 2030 Medicare Part B Payment Limit File 031730.csv")
    write_crosswalk(payment, rows=NDCS)
    write_mue(payment, rows=DME_MUE, date="01-01-2030")
    write_mue(payment, setting="Practitioner Services", rows=PRACTITIONER_MUE, date="01-01-2030")
    db = folder / "hcpcs.sqlite"
    build_database(write_txt(folder / "HCPC2030_JAN_ANWEB.txt", RECORDS), db, **docs, payment=payment)
    store = folder / "store"
    store.mkdir()
    build_database(write_txt(folder / "HCPC2029_OCT_ANWEB.txt", OCTOBER), store / "2029-10-01.sqlite", **docs)
    return db, store


@pytest.fixture(scope="module")
def check(built):
    """check(text, state="PA", setting="dme") -> the results of the lines of `text`."""
    db, store = built
    conn = open_database(db)
    releases = ReleaseStore(store, extra=[db]).releases()

    def run(text, state="PA", setting="dme"):
        return LineChecker(conn, releases, state, SETTINGS[setting]).check_all(read_lines(text).lines)

    return run


def one(check, text, **kwargs):
    [result] = check(text, **kwargs)
    return result


def kinds(result) -> list[str]:
    return [f.kind for f in result.findings]


def said(result, kind) -> str:
    return next(f.text for f in result.findings if f.kind == kind)


def test_a_rental_with_rr_is_priced_with_the_states_fee(check):
    result = one(check, "E0601 RR KX x1 02/01/2030")
    assert result.verdict is Verdict.OK
    assert (result.units, result.date, result.amount.total, result.amount.rural_total) == (1, "2030-02-01", 50.04, 91.18)
    assert said(result, "amount") == "PA fee $50.04 non-rural, $91.18 rural (DMEPOS fee schedule, January 2030)"
    assert result.amount.source == "DMEPOS fee schedule, January 2030"


def test_pricing_modifiers_must_be_a_pair_the_fee_schedule_lists(check):
    purchase = one(check, "E0601 NU 1 02/01/2030")
    assert purchase.verdict is Verdict.ERROR and purchase.amount is None
    assert said(purchase, "not_priced_with") == (
        "E0601 is not priced with NU: it is priced with RR (DMEPOS fee schedule, January 2030)")
    bare = one(check, "E0601 1 02/01/2030")
    assert said(bare, "not_priced_with").startswith("E0601 needs a pricing modifier: it is priced with RR")
    assert one(check, "E0431 RR QF 1 02/01/2030").amount.total == 30.0
    assert one(check, "E0431 RR 1 02/01/2030").amount.total == 20.0
    assert one(check, "A4233 2 02/01/2030").verdict is Verdict.OK  # priced with no modifier
    assert said(one(check, "E0100 RR 1 02/01/2030"), "not_priced_with") == (
        "E0100 is not priced with RR: it is priced with NU; UE (DMEPOS fee schedule, January 2030)")


def test_a_pricing_modifier_after_another_is_a_warning(check):
    result = one(check, "E0601 KX RR 1 02/01/2030")
    assert result.verdict is Verdict.WARNING and "pricing_first" in kinds(result)
    assert result.amount.total == 50.04


def test_units_over_the_mue_of_the_setting_say_its_adjudication_in_words(check):
    assert one(check, "A4233 3 02/01/2030").verdict is Verdict.OK
    over = one(check, "A4233 4 02/01/2030")
    assert over.verdict is Verdict.ERROR
    assert said(over, "over_mue") == ("4 units is over the MUE: 3 a day (DME Supplier); a date-of-service edit "
                                      "(clinical): the units over it that day are denied unless records show the need")
    line_edit = one(check, "J1200 9 02/01/2030", setting="practitioner")
    assert "a line edit: the units over it on this line are denied" in said(line_edit, "over_mue")
    assert said(one(check, "E0601 RR 1 02/01/2030", setting="practitioner"), "none_billable") == (
        "None billable (Practitioner): its MUE in this setting is 0")


def test_a_code_terminated_before_the_date_of_service_names_its_replacements(check):
    result = one(check, "G0001 1 02/01/2030")
    assert result.verdict is Verdict.ERROR
    assert said(result, "terminated") == ("G0001 was not valid on 2030-02-01: terminated 2012-12-31, before that date; "
                                          "replaced by G0306, G0476")


def test_a_code_not_yet_added_dropped_or_unknown(check):
    assert said(one(check, "Q4999 1 02/01/2030"), "not_yet_added") == (
        "Q4999 was not valid on 2030-02-01: added 2030-04-01, after that date")
    assert one(check, "Q4999 1 04/02/2030").verdict is Verdict.OK
    assert said(one(check, "K0999 1 02/01/2030"), "dropped") == (
        "K0999 was not valid on 2030-02-01: dropped from the code set (not in January 2030)")
    assert one(check, "K0999 1 11/01/2029").verdict is Verdict.OK  # the October 2029 release listed it
    assert said(one(check, "E9999 1 02/01/2030"), "unknown_code") == (
        "E9999 is not a HCPCS code of any stored release (October 2029 to January 2030)")


def test_a_cpt_code_is_said_and_not_checked(check):
    result = one(check, "99213 25 1 02/01/2030")
    assert (result.verdict, kinds(result)) == (Verdict.WARNING, ["cpt_code"])
    assert result.findings[0].text == "99213 is a CPT code, not HCPCS Level II: not checked"


def test_modifiers_that_do_not_exist_or_ended_before_the_date(check):
    unknown = one(check, "E0601 RR ZZ 1 02/01/2030")
    assert said(unknown, "unknown_modifier") == "ZZ is not a HCPCS modifier"
    ended = one(check, "E0601 RR JG 1 02/01/2030")
    assert said(ended, "modifier_not_valid") == ("Modifier JG was not valid on 2030-02-01: terminated 2029-12-31, "
                                                  "before that date")
    assert one(check, "E0601 RR JG 1 12/01/2029").verdict is Verdict.OK
    assert said(one(check, "E0601 RR KX JZ QF UE 1 02/01/2030"), "too_many_modifiers") == (
        "5 modifiers: a claim line holds 4")
    assert "repeated_modifier" in kinds(one(check, "E0601 RR RR 1 02/01/2030"))


def test_a_noc_code_needs_a_description(check):
    bare = one(check, "J3490 1 02/01/2030")
    assert bare.verdict is Verdict.ERROR and kinds(bare) == ["noc_undescribed"]
    described = one(check, "J3490 zorbium 5 mg 1 02/01/2030")
    assert described.verdict is Verdict.OK
    assert said(described, "noc") == "J3490 is not otherwise classified (NOC), described as “zorbium 5 mg”"


def test_an_ndc_quantity_gives_billing_units_and_the_amount_is_the_limit_times_units(check):
    volume = one(check, "J1650 JZ 4 02/01/2030 N4 12345000110 ML0.4", setting="practitioner")
    assert volume.verdict is Verdict.OK
    assert (volume.ndc, volume.ndc_units, volume.units, volume.amount.total) == ("12345-0001-10", 4, 4, 5.0)
    assert said(volume, "ndc_units") == "NDC quantity ML 0.4: 0.4 ml ÷ 0.4 ml an item × 4 units an item = 4 units"
    assert said(volume, "amount") == ("4 units × $1.25 = $5.00 allowed (Part B payment limit, "
                                      "January 1, 2030 - March 31, 2030)")
    items = one(check, "J1650 JZ 02/01/2030 N412345000110UN2", setting="practitioner")
    assert (items.units, items.amount.total) == (8, 10.0)
    assert said(items, "units_from_ndc") == "No units given: 8 from the NDC quantity"
    mass = one(check, "J1650 4 02/01/2030 N4 12345000110 ME40", setting="practitioner")
    assert said(mass, "ndc_units") == "NDC quantity ME 40: 40 mg ÷ 10 mg = 4 units"


def test_units_that_disagree_with_the_ndc_quantity(check):
    result = one(check, "J1650 2 02/01/2030 N4 12345000110 UN1", setting="practitioner")
    assert result.verdict is Verdict.WARNING
    assert said(result, "units_differ") == "The line bills 2 units; its NDC quantity makes 4"


def test_an_ndc_of_another_code_or_of_no_crosswalk(check):
    other = one(check, "J1650 4 02/01/2030 N4 00123456789 UN1", setting="practitioner")
    assert said(other, "ndc_other_code") == ("NDC 00123-4567-89 is billed under J1200, not J1650 "
                                             "(ASP NDC-HCPCS crosswalk, January 1, 2030 - March 31, 2030)")
    assert other.verdict is Verdict.ERROR
    unlisted = one(check, "J1650 4 02/01/2030 N4 99999888877 UN1", setting="practitioner")
    assert unlisted.verdict is Verdict.WARNING and "ndc_unlisted" in kinds(unlisted)
    bare = one(check, "J1650 4 02/01/2030 N4 12345000110", setting="practitioner")
    assert "ndc_no_quantity" in kinds(bare)
    shapeless = check("HCPCS,Units,DOS,NDC\nJ1650,4,02/01/2030,123-45\n", setting="practitioner")[0]
    assert said(shapeless, "ndc_bad").startswith("'123-45' is not an NDC")


def test_the_payment_limit_is_the_quarter_of_the_date_of_service(check):
    february = one(check, "J1650 4 02/01/2030", setting="practitioner")
    may = one(check, "J1650 4 05/01/2030", setting="practitioner")
    august = one(check, "J1650 4 08/01/2030", setting="practitioner")
    assert (february.amount.per_unit, may.amount.per_unit, august.amount.per_unit) == (1.25, 1.3, 1.3)
    assert "not_covering" not in kinds(may)
    assert said(august, "not_covering") == ("No file here covers 2030-08-01: the newest, Part B drug payment limit "
                                            "file, April 1, 2030 - June 30, 2030, is used")


def test_bad_input_is_one_finding_of_its_own_line_and_the_others_are_checked(check):
    results = check("E0601 RR 1 13/45/2030\nE0601 RR -2 02/01/2030\n\x00\x01\x02 junk\nE0601 RR 1\n"
                    "E0601 RR 1 02/01/2030 E0431\nA4233 1.5 02/01/2030\nA4233 2 02/28/2030 02/01/2030\n"
                    "E0601 RR KX x1 02/01/2030\n")
    assert [(r.line.number, r.verdict.value) for r in results] == [
        (1, "error"), (2, "error"), (3, "error"), (4, "warning"), (5, "warning"), (6, "warning"), (7, "error"),
        (8, "ok")]
    assert results[0].findings[0].text == "Date of service: '13/45/2030' is not a date of the calendar"
    assert said(results[1], "units_bad") == "Units -2: must be more than 0"
    assert said(results[2], "no_code") == "No HCPCS code on the line"
    assert said(results[3], "no_date") == "No date of service: checked as of the January 2030 release (2030-01-01)"
    assert said(results[4], "unread") == "Not read: E0431"
    assert said(results[5], "units_fraction") == "Units 1.5: Medicare bills whole units (2 rounded up)"
    assert said(results[6], "bad_date") == "The last date of service, 2030-02-01, is before the first, 2030-02-28"
    assert verdict_counts(results) == {"ok": 1, "warning": 3, "error": 4}


def test_without_a_state_the_fee_is_not_given(check):
    result = one(check, "E0601 RR 1 02/01/2030", state="")
    assert result.amount is None and result.verdict is Verdict.OK
    assert said(result, "no_state") == "No state chosen: the DMEPOS fee is given for the state chosen"


def test_lines_alike_give_the_same_result_each_with_its_own_line(check):
    results = check("E0601 RR 1 02/01/2030\nE0601 RR 1 02/01/2030\n")
    assert [r.line.number for r in results] == [1, 2]
    assert results[0].findings == results[1].findings


def test_a_line_checked_in_a_batch_of_lines_on_other_days_is_checked_as_on_its_own(check):
    """Lines of the same fields whose days fall alike share a check: each keeps its own date, and a day
    across a date the check compares with (a payment file's period, a code's added or termination date,
    a release's) is checked anew."""
    lines = ["J1650 4 02/01/2030", "J1650 4 03/30/2030", "J1650 4 04/01/2030", "J1650 4 05/01/2030",
             "Q4999 1 03/30/2030", "Q4999 1 03/31/2030", "Q4999 1 04/01/2030", "Q4999 1 04/02/2030",
             "G0001 1 02/01/2030", "G0001 1 02/02/2030", "K0999 1 11/01/2029", "K0999 1 01/02/2030",
             "A4233 JG 1 12/30/2029", "A4233 JG 1 12/31/2029", "A4233 JG 1 01/02/2030", "99213 1 02/01/2030",
             "99213 1 02/02/2030", "J1650 4 08/01/2030", "J1650 4 08/02/2030"]
    results = check("\n".join(lines), setting="practitioner")
    alone = [one(check, line, setting="practitioner") for line in lines]
    assert [r._replace(line=r.line.text) for r in results] == [r._replace(line=r.line.text) for r in alone]
    assert [r.date for r in results[:4]] == ["2030-02-01", "2030-03-30", "2030-04-01", "2030-05-01"]
    assert [r.amount.per_unit for r in results[:4]] == [1.25, 1.25, 1.3, 1.3]
    assert [r.verdict.value for r in results[4:8]] == ["error", "error", "ok", "ok"]
    assert said(results[5], "not_yet_added").startswith("Q4999 was not valid on 2030-03-31")
    assert said(results[9], "terminated").startswith("G0001 was not valid on 2030-02-02")
    assert [r.verdict.value for r in results[10:15]] == ["ok", "error", "ok", "ok", "error"]
    assert [r.date for r in results[15:17]] == ["", ""]  # a CPT code: not checked
    assert said(results[18], "not_covering").startswith("No file here covers 2030-08-02")


def test_every_finding_of_a_line_has_a_severity_and_the_verdict_is_the_worst(check):
    results = check("E0601 NU KX x1 13/45/2030\nA4233 4 02/01/2030\nJ1650 2 02/01/2030 N4 12345000110 UN1\n")
    for result in results:
        worst = {f.severity for f in result.findings}
        expected = "error" if Severity.ERROR in worst else "warning" if Severity.WARNING in worst else "ok"
        assert result.verdict.value == expected


# ----- the command line

@pytest.fixture
def cli(built, tmp_path, capsys, monkeypatch):
    """cli(text, *args) -> (exit status, stdout, stderr) of `check-lines FILE --db DB --store STORE ...`."""
    db, store = built
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def run(text, *args):
        lines = tmp_path / "lines.txt"
        lines.write_text(text, encoding="utf-8")
        code = main(["check-lines", str(lines), "--db", str(db), "--store", str(store), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


GOOD = "E0601 RR KX x1 02/01/2030\nA4233 2 02/01/2030\n"
BAD = GOOD + "E0601 NU 1 02/01/2030\n"


def test_the_exit_status_is_0_when_every_line_is_clean_and_1_when_one_has_an_error(cli):
    assert cli(GOOD, "--state", "PA", "--setting", "dme")[0] == 0
    assert cli(GOOD + "E0601 RR 1\n", "--state", "PA", "--setting", "dme")[0] == 0  # a warning is no error
    code, out, _ = cli(BAD, "--state", "pa", "--setting", "dme")
    assert code == 1
    assert out.splitlines()[0] == "Checked against January 2030 · state PA · MUEs of DME Supplier"
    assert "line 3     ✖ error    E0601 NU 1 02/01/2030" in out
    assert "      ✖ E0601 is not priced with NU: it is priced with RR (DMEPOS fee schedule, January 2030)" in out
    assert out.splitlines()[-1] == "3 lines: 2 ok, 0 with warnings, 1 with errors"


def test_json_gives_every_line_with_its_findings_and_amount(cli):
    code, out, _ = cli(BAD, "--state", "PA", "--setting", "dme", "--json")
    data = json.loads(out)
    assert code == 1
    assert (data["release"], data["state"], data["setting"], data["counts"]) == (
        "January 2030", "PA", "DME Supplier Services", {"ok": 2, "warning": 0, "error": 1})
    first = data["lines"][0]
    assert (first["line"], first["verdict"], first["code"], first["modifiers"], first["units"], first["date"]) == (
        1, "ok", "E0601", ["RR", "KX"], 1, "2030-02-01")
    assert first["amount"] == {"kind": "dmepos", "per_unit": 50.04, "units": 1, "total": 50.04,
                               "rural_per_unit": 91.18, "rural_total": 91.18,
                               "source": "DMEPOS fee schedule, January 2030"}
    assert data["lines"][2]["findings"] == [{"severity": "error", "kind": "not_priced_with", "text":
                                             "E0601 is not priced with NU: it is priced with RR "
                                             "(DMEPOS fee schedule, January 2030)"}]


def test_csv_has_a_header_and_a_row_a_line_and_the_summary_goes_to_standard_error(cli):
    code, out, err = cli(BAD, "--state", "PA", "--setting", "dme", "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 1
    assert rows[0] == ["Line", "Verdict", "Code", "Modifiers", "Units", "Date of service", "NDC", "Amount",
                       "Reasons", "As pasted"]
    assert rows[1][:8] == ["1", "ok", "E0601", "RR KX", "1", "2030-02-01", "", "$50.04 ($91.18 rural)"]
    assert rows[3][1] == "error" and rows[3][9] == "E0601 NU 1 02/01/2030"
    assert err.strip().splitlines()[-1] == "3 lines: 2 ok, 0 with warnings, 1 with errors"


def test_standard_input_is_read_with_a_dash(built, tmp_path, capsys, monkeypatch):
    db, store = built
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("E0601 RR 1 02/01/2030\n".encode())))
    assert main(["check-lines", "-", "--db", str(db), "--store", str(store), "--json"]) == 1  # practitioner: MUE 0
    assert json.loads(capsys.readouterr().out)["lines"][0]["findings"][0]["kind"] == "none_billable"


def test_a_file_that_is_no_file_of_lines_is_one_message(cli, built, tmp_path, capsys):
    db, store = built
    for name in (str(tmp_path / "missing.txt"), str(tmp_path)):
        assert main(["check-lines", name, "--db", str(db), "--store", str(store)]) == 1
        out, err = capsys.readouterr()
        assert out == "" and len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert main(["check-lines", str(fifo), "--db", str(db), "--store", str(store)]) == 1  # refused, never read
    assert "not a regular file (a pipe)" in capsys.readouterr().err
    assert cli(GOOD, "--state", "Pennsylvania")[0] == 1


def test_binary_junk_in_a_file_is_lines_without_a_code(built, tmp_path, capsys):
    db, store = built
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 8 + b"\nE0601 RR 1 02/01/2030\n")
    assert main(["check-lines", str(junk), "--db", str(db), "--store", str(store), "--setting", "dme",
                 "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["lines"][-1]["verdict"] == "ok"
    assert {f["kind"] for line in data["lines"][:-1] for f in line["findings"]} <= {"no_code", "unread",
                                                                                    "not_checked", "no_date"}
