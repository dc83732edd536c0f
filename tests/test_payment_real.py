"""The real CMS Medicare payment files: the facts CMS's files themselves give for a few codes.

The payment files are read from the `payment` folder beside the releases folder (the
`releases_dir` fixture: skipped when missing, a failure under CI=true). One October 2025
database with every payment file is built per module, in a temporary folder.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import real_file
from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.payment import lookup_ndc, payment_facts
from hcpcs_desktop.data.payment_files import read_payment_file
from hcpcs_desktop.data.payment_tables import TABLES

DMEPOS_JAN_2026 = "dmepos/DMEPOS26_JAN.xlsx"
DMEPOS_APR_2025 = "dmepos/DMEPOS25_APR.csv"
MUE_PRACTITIONER = "mue/MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
CPT = re.compile(r"\d{4}[0-9A-Z]")


@pytest.fixture(scope="module")
def payment_dir(releases_dir):
    real_file(releases_dir.parent / "payment", DMEPOS_JAN_2026)
    return releases_dir.parent / "payment"


@pytest.fixture(scope="module")
def built(releases_dir, payment_dir, tmp_path_factory):
    """(database, build report) of October 2025 with every payment file."""
    db = tmp_path_factory.mktemp("payment_real") / "hcpcs.sqlite"
    report = build_database(real_file(releases_dir, "2025-oct/HCPC2025_OCT_ANWEB.xlsx"), db,
                            layout=real_file(releases_dir, "2026-jan/HCPC2026_recordlayout.txt"),
                            notes=real_file(releases_dir, "2026-jan/proc_notes_JAN2026.txt"), payment=payment_dir)
    return db, report


def _fee(facts, modifier, state, period):
    return next(f.fees[state] for f in facts.dmepos if f.modifier == modifier and f.source.period == period)


def test_e0601_rental_in_pennsylvania(built):
    facts = payment_facts(open_database(built[0]), "E0601")
    assert _fee(facts, "RR", "PA", "January 2026") == [50.04, 91.18]
    assert _fee(facts, "RR", "TX", "January 2026") == [50.91, 91.52]
    assert _fee(facts, "RR", "PA", "April 2025") == [48.72, 89.21]


def test_l3000_ceiling_and_floor(built):
    fee = next(f for f in payment_facts(open_database(built[0]), "L3000").dmepos if f.source.period == "January 2026")
    assert (fee.ceiling, fee.floor) == (459.83, 344.87)


def test_j2405_payment_limit_per_1_mg_in_every_quarter(built):
    # July 2026's file is the one a user renamed (cms-july-2026-part-b-payment-limits.csv): known by
    # its title rows and header.
    facts = payment_facts(open_database(built[0]), "J2405")
    assert [(d.source.period_start, d.payment_limit, d.dosage) for d in facts.drug_limits] == [
        ("2026-07-01", 0.088, "1 MG"), ("2026-01-01", 0.093, "1 MG"), ("2025-10-01", 0.091, "1 MG")]
    assert facts.drug_limits[0].source.name == "cms-july-2026-part-b-payment-limits.csv"
    assert facts.dmepos_note == "not on the DMEPOS fee schedule"


@pytest.mark.parametrize(("day", "quarter", "limit"), [("2025-11-03", "2025-10-01", 0.091),
                                                       ("2026-02-15", "2026-01-01", 0.093),
                                                       ("2026-08-01", "2026-07-01", 0.088),
                                                       ("2026-05-01", "2026-07-01", 0.088)])  # none: the newest
def test_a_date_of_service_picks_the_payment_quarter_of_the_real_files(built, day, quarter, limit):
    facts = payment_facts(open_database(built[0]), "J2405").on(day)
    first = facts.drug_limits[0]
    assert (first.source.period_start, first.payment_limit) == (quarter, limit)
    assert (first.source, day != "2026-05-01") in facts.first_sources()


def test_ndc_00409_0009_25_bills_under_j2405_with_4_units(built):
    conn = open_database(built[0])
    for typed in ("00409-0009-25", "00409000925", "0409-0009-25"):
        found = lookup_ndc(conn, typed)
        assert {(p.code, p.billing_units, p.billing_units_per_package) for p in found} == {("J2405", 4, 100)}, typed
    assert len({p.ndc for p in payment_facts(conn, "J2405").ndcs if p.source.period_start == "2026-01-01"}) == 30


def test_mue_of_e0601_per_setting(built):
    facts = payment_facts(open_database(built[0]), "E0601")
    by_setting = {m.setting: (m.units, m.adjudication, m.rationale) for m in facts.mue}
    assert by_setting["DME Supplier Services"] == (1, "3 Date of Service Edit: Clinical", "Nature of Equipment")
    assert by_setting["Practitioner Services"][0] == 0
    assert payment_facts(open_database(built[0]), "J2405").mue[-1].units == 64


def test_rows_kept_and_cpt_rows_dropped(built, payment_dir):
    conn = open_database(built[0])
    kept = {name: rows for name, rows in conn.execute("SELECT name, rows FROM payment_files")}
    assert kept["DMEPOS26_JAN.xlsx"] == 3515 and kept["DMEPOS25_APR.csv"] == 3511
    assert kept["section 508 version of Oct 2025 ASP Pricing File 091725.csv"] == 978
    assert kept["section 508 version of January 2026 Medicare Part B Payment Limit File 121725.csv"] == 844
    assert kept["section 508 version of January 2026 ASP NDC-HCPCS Crosswalk 121725.csv"] == 7098
    assert kept["MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"] == 4592
    for table in TABLES.values():
        assert not any(CPT.fullmatch(code) for (code,) in conn.execute(f"SELECT DISTINCT code FROM {table}")), table


def test_no_cpt_descriptor_of_the_files_gets_into_the_database(built, payment_dir):
    practitioner = read_payment_file(payment_dir / MUE_PRACTITIONER)
    assert practitioner.dropped > 10000
    limits = (payment_dir / "asp").glob("*Pricing File*.csv")
    descriptors = {line.split(",")[1] for path in limits for line in path.read_text("cp1252").splitlines()
                   if CPT.fullmatch(line.split(",")[0])}
    assert len(descriptors) > 20
    dump = "\n".join(open_database(built[0]).iterdump())
    assert not [d for d in descriptors if f"'{d}'" in dump or f'"{d}"' in dump]


def test_codes_priced_in_january_2026_that_october_2025_lacks(built):
    db, report = built
    counts = report.payment["priced_not_in_release"]
    assert counts["January 2026"] > 0 and "October 2025" not in counts
    conn = open_database(db)
    missing = conn.execute(
        "SELECT DISTINCT code FROM drug_limits WHERE code NOT IN (SELECT code FROM codes)").fetchone()[0]
    assert payment_facts(conn, missing).release_note.startswith("priced from ")
    assert payment_facts(conn, missing).release_note.endswith("; not in the October 2025 release")


def test_show_json_carries_every_state(built, capsys):
    assert main(["show", "E0601", "--json", "--db", str(built[0])]) == 0
    payment = json.loads(capsys.readouterr().out)["payment"]
    rental = next(f for f in payment["dmepos"] if f["modifier"] == "RR" and f["source"]["period"] == "January 2026")
    assert len(rental["fees"]) >= 50 and rental["fees"]["PA"] == [50.04, 91.18]
