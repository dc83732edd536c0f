"""The billing dose of a drug code's description, on made-up descriptions and on the whole
October 2025 release."""

from __future__ import annotations

import re
import sqlite3
from decimal import Decimal

import pytest
from conftest import real_file

from hcpcs_desktop.data import doses
from hcpcs_desktop.data.bridges import DRUG_TABLE
from hcpcs_desktop.data.doses import Dose, is_drug_code, read_dose
from hcpcs_desktop.data.drug_table import ROUTES


@pytest.mark.parametrize(
    ("description", "amount", "unit", "up_to", "text"),
    [
        ("Injection, enoxaparin sodium, 10 mg", "10", "mg", False, "10 mg"),
        ("Injection, diphenhydramine hcl, up to 50 mg", "50", "mg", True, "up to 50 mg"),
        ("Injection, zorbafenib, per 10 mg", "10", "mg", False, "per 10 mg"),
        ("Injection, quexlin, 1.25 mcg (code may be used for made-up purposes, 5 mg)", "1.25", "mcg", False,
         "1.25 mcg"),
        ("Injection, quexlin, 500 micrograms", "500", "mcg", False, "500 micrograms"),
        ("Injection, quexlin, per 1.5 gm", "1.5", "g", False, "per 1.5 gm"),
        ("Injection, quexlin, per gm", "1", "g", False, "per gm"),
        ("Injection, quexlin, 1 gram", "1", "g", False, "1 gram"),
        ("Injection, gizmo, 0.1 ml", "0.1", "ml", False, "0.1 ml"),
        ("Injection, gizmo, per 0.5 cc", "0.5", "ml", False, "per 0.5 cc"),
        ("Injection, gizmotoxin, 1 unit", "1", "units", False, "1 unit"),
        ("Injection, gizmase, per 1,000 usp units", "1000", "units", False, "per 1,000 usp units"),
        ("Injection, widgeron, 3 million units", "3000000", "units", False, "3 million units"),
        ("Injection, widgerase, 10,000 kiu", "10000", "KIU", False, "10,000 kiu"),
        ("Injection, widgerase, 250,000 i.u. vial", "250000", "IU", False, "250,000 i.u."),
        ("Factor x (made up) per i.u., not otherwise specified", "1", "IU", False, "per i.u."),
        ("Widget complex, per factor viii i.u.", "1", "IU", False, "per factor viii i.u."),
        ("Injection, widget salt, per 2 meq", "2", "mEq", False, "per 2 meq"),
        ("Gizmium gz-1, diagnostic, per study dose, up to 30 millicuries", "1", "dose", False, "per study dose"),
        ("Gizmium gz-2, diagnostic, per 100 microcuries, up to 999 microcuries", "100", "uCi", False,
         "per 100 microcuries"),
        ("Injection, plumbanol, per single use vial", "1", "vial", False, "per single use vial"),
        ("Injection, plumbanol, per therapeutic dose", "1", "dose", False, "per therapeutic dose"),
        ("Injection, gizmogene, per treatment, up to 5x10^15 vector genomes", "1", "treatment", False,
         "per treatment"),
        ("Widgetol vaginal ring 0.1mg, 0.2mg per 24 hours; yearly system, each", "1", "each", False, "each"),
        ("Infusion, widget saline (500 ml = 1 unit)", "500", "ml", False, "500 ml = 1 unit"),
        ("Injection, quexlin, not otherwise specified,10 mg", "10", "mg", False, "10 mg"),
        ("Injection, quexlin, 10 mg, not otherwise specified", "10", "mg", False, "10 mg"),
        ("Quexlin 1 mg, oral, for use as a complete made-up substitute", "1", "mg", False, "1 mg"),
        ("Widgetase, 0.36 mg per 0.25 cc", "0.25", "ml", False, "per 0.25 cc"),
        ("Injection, quexlin, 0.9 mg, provided in 1.1 mg vial", "0.9", "mg", False, "0.9 mg"),
        ("Injection, quexlin, 1mg", "1", "mg", False, "1mg"),
    ],
)
def test_a_description_gives_its_billing_dose(description, amount, unit, up_to, text):
    assert read_dose(description) == Dose(Decimal(amount), unit, up_to, text)


@pytest.mark.parametrize(
    ("description", "reason"),
    [
        ("Unclassified widget drugs", doses.UNSPECIFIED),
        ("Widget drug, oral, not otherwise specified", doses.UNSPECIFIED),
        ("Widget suppository (made up)", doses.NO_DOSE),
        ("Injection, gizmotide 5 mg and frobnase 2 mg", doses.COMBINATION),
        ("Injection, gizmo and frob, 2mg/3mg", doses.COMBINATION),
        ("Gizmo/frob, oral, greater than 6 mg, but less than or equal to 10 mg gizmo", doses.THRESHOLD),
        ("Injection, widget globulin, over 10 cc", doses.THRESHOLD),
        ("Gizmo, oral, less than or equal to 3 mg gizmo", doses.THRESHOLD),
        ("Injection, gizmo extended-release, less than or equal to 7 days of therapy", doses.DURATION),
    ],
)
def test_a_description_without_a_billing_dose_says_why(description, reason):
    assert read_dose(description) == reason


def test_drug_codes_are_j_codes_and_others_with_a_measured_dose():
    assert is_drug_code("J9904", "Unclassified widget drugs", read_dose("Unclassified widget drugs"))
    assert is_drug_code("Q9901", "Injection, quexlin, 1 mg", read_dose("Injection, quexlin, 1 mg"))
    assert is_drug_code("A9901", "x, per millicurie", read_dose("x, per millicurie"))
    assert not is_drug_code("Q0503", "Battery, each", read_dose("Battery, each"))
    assert not is_drug_code("A4206", "Syringe with needle, sterile, 1 cc or less, each",
                            read_dose("Syringe with needle, sterile, 1 cc or less, each"))
    assert not is_drug_code("A4305", "Widget delivery system, flow rate of 50 ml or greater per hour",
                            read_dose("Widget delivery system, flow rate of 50 ml or greater per hour"))
    assert not is_drug_code("E0431", "Oxygen kit, 1 month's supply = 1 unit", read_dose("x"))
    assert not is_drug_code("G9999", "Patient receiving 10 mg daily widgetol", read_dose("10 mg daily"))
    assert is_drug_code("Q9902", "Injection, gizmo, greater than 100 mg", doses.THRESHOLD)
    assert not is_drug_code("C9902", "Brachytherapy source, gizmium, greater than 1.01 mci, per source",
                            doses.THRESHOLD)


# The whole October 2025 release ---------------------------------------------------------------

# A measured amount written anywhere in a description, by a simpler pattern than the reader's own.
STATED_AMOUNT = re.compile(
    r"\d\s*(mg|mcg|micrograms?|milligrams?|grams?|gm|g|ml|cc|units?|iu|i\.u\.|kiu|meq|mci|millicuries?|"
    r"microcuries?)\b", re.IGNORECASE)
STATED_PER = re.compile(r"\bper\b|\beach\b|= 1 unit", re.IGNORECASE)
# Each reason holds only for descriptions of its own pattern.
JUSTIFIED = {
    doses.NO_DOSE: lambda text: not STATED_AMOUNT.search(text) and not STATED_PER.search(text),
    doses.UNSPECIFIED: lambda text: (not STATED_AMOUNT.search(text)
                                     and re.search(r"unclassified|not otherwise|\bnoc\b|\bnos\b", text, re.I)),
    doses.COMBINATION: lambda text: len(STATED_AMOUNT.findall(re.sub(r"\([^()]*\)", "", text))) >= 2
                                    and re.search(r"\band\b|/", text),
    doses.THRESHOLD: lambda text: re.search(r"\b(greater than|over|less than or equal to) \d", text, re.I),
    doses.DURATION: lambda text: re.search(r"\d+ days? of therapy", text, re.I),
}


@pytest.fixture(scope="module")
def october_2025(releases_dir, tmp_path_factory):
    """(database, build report) of the October 2025 release, built in a temporary folder."""
    from hcpcs_desktop.data.bridges import BridgeSources
    from hcpcs_desktop.data.build import build_database

    release = real_file(releases_dir, "2025-oct/HCPC2025_OCT_ANWEB.xlsx")
    drug_table = real_file(releases_dir, "2019-jan/2019-Table-of-Drugs.pdf")
    db = tmp_path_factory.mktemp("oct2025") / "hcpcs.sqlite"
    report = build_database(release, db, bridges=BridgeSources(drug_table=drug_table, pdfs_named=True))
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    yield conn, report
    conn.close()


def test_every_drug_code_of_october_2025_has_its_dose_or_a_justified_reason(october_2025):
    conn, report = october_2025
    descriptions = dict(conn.execute("SELECT code, long_description FROM codes"))
    rows = conn.execute("SELECT * FROM drug_codes").fetchall()
    assert len(rows) == report.drug_codes > 1500
    unread = {u.code: u.reason for u in report.unread_doses}
    assert unread == {r["code"]: r["no_dose"] for r in rows if r["no_dose"]}
    unjustified = [(code, reason) for code, reason in unread.items() if not JUSTIFIED[reason](descriptions[code])]
    assert unjustified == []
    for row in rows:
        if row["amount"] is None:
            continue
        assert Decimal(row["amount"]) > 0
        assert row["dose"].lower() in descriptions[row["code"]].lower()


def test_every_j_code_that_states_one_amount_of_drug_is_read(october_2025):
    conn, _ = october_2025
    missed = [code for code, text, no_dose in conn.execute(
        "SELECT code, long_description, no_dose FROM drug_codes JOIN codes USING (code) WHERE code LIKE 'J%'")
        if no_dose and len(STATED_AMOUNT.findall(text)) == 1 and not JUSTIFIED[doses.THRESHOLD](text)]
    assert missed == []


def test_routes_come_from_the_2019_table_of_drugs_for_the_codes_it_lists(october_2025):
    conn, _ = october_2025
    listed = {code for (code,) in conn.execute("SELECT DISTINCT code FROM index_terms WHERE source = ?",
                                               (DRUG_TABLE,))}
    routes = dict(conn.execute("SELECT code, routes FROM drug_codes WHERE routes != ''"))
    assert set(routes) <= listed
    assert len(routes) > 0.8 * len(listed & {c for (c,) in conn.execute("SELECT code FROM drug_codes")})
    assert all(set(r.split(", ")) <= set(ROUTES) for r in routes.values())


def test_the_two_examples_of_billing_by_dose_are_read(october_2025):
    conn, _ = october_2025
    rows = {r["code"]: r for r in conn.execute("SELECT * FROM drug_codes WHERE code IN ('J1650', 'J1200')")}
    assert (rows["J1650"]["amount"], rows["J1650"]["unit"], rows["J1650"]["up_to"]) == ("10", "mg", 0)
    assert (rows["J1200"]["amount"], rows["J1200"]["unit"], rows["J1200"]["up_to"]) == ("50", "mg", 1)
