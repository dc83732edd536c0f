"""The drug_codes table a build writes, the build's report of doses not read, and the
`units` command, on made-up drug codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from drug_records import DRUG_RECORDS
from release_files import write_txt

from hcpcs_desktop.cli import main
from hcpcs_desktop.data.bridges import DRUG_TABLE, Bridges
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.doses import COMBINATION, UNSPECIFIED, Dose
from hcpcs_desktop.data.drug_codes import drug_name, load_drug_code, load_drug_codes, routes_by_code


@pytest.fixture(scope="module")
def drug_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drugs")
    release = write_txt(folder / "HCPC2030_JAN_ANWEB.txt", DRUG_RECORDS)
    db = folder / "hcpcs.sqlite"
    return db, build_database(release, db)


@pytest.fixture
def drug_db(drug_build):
    return drug_build[0]


def test_the_build_counts_and_lists_the_drug_codes_whose_dose_it_could_not_read(drug_build):
    _, report = drug_build
    assert report.drug_codes == 11  # J codes, and A, C, Q, S codes with an amount of drug
    assert [(u.code, u.reason) for u in report.unread_doses] == [("J9903", COMBINATION), ("J9904", UNSPECIFIED)]


def test_drug_codes_come_active_first_with_drug_name_and_dose(drug_db):
    drugs = load_drug_codes(open_database(drug_db))
    assert [d.code for d in drugs] == ["A9901", "C9901", "J1200", "J1650", "J9901", "J9902", "J9903", "J9904",
                                       "Q9901", "S9901", "J9905"]
    by_code = {d.code: d for d in drugs}
    assert by_code["J1650"].drug == "Enoxaparin sodium"
    assert by_code["J1650"].dose == Dose(Decimal(10), "mg", False, "10 mg")
    assert by_code["J1200"].dose == Dose(Decimal(50), "mg", True, "up to 50 mg")
    assert by_code["J9905"].status == "terminated"
    assert by_code["J9904"].dose is None and by_code["J9904"].no_dose == UNSPECIFIED
    assert load_drug_code(open_database(drug_db), " j1650 ").code == "J1650"
    assert load_drug_code(open_database(drug_db), "A4233") is None


@pytest.mark.parametrize(
    ("description", "dose", "name"),
    [
        ("Injection, enoxaparin sodium, 10 mg", "10 mg", "Enoxaparin sodium"),
        ("Widget dextrose/saline (500 ml = 1 unit)", "500 ml = 1 unit", "Widget dextrose/saline"),
        ("Injection, quexlin (made up), 10 mg", "10 mg", "Quexlin (made up)"),
        ("Widget factor ix (antihemophilic factor, made up) per i.u.", "per i.u.",
         "Widget factor ix (antihemophilic factor, made up)"),
        ("Quexlin 1 mg, oral, made up", "1 mg", "Quexlin"),
        ("Injection, gizmotide 5 mg and frobnase 2 mg", "", "Gizmotide and frobnase"),
        ("Inj, quexlimab-abcd, 10 mg", "10 mg", "Quexlimab-abcd"),
        ("Injection quexlimab, 10 mg", "10 mg", "Quexlimab"),
    ],
)
def test_the_drug_name_is_the_description_s_first_part_dose_aside(description, dose, name):
    assert drug_name(description, dose) == name


def test_routes_come_from_the_table_of_drugs_while_the_code_means_the_same():
    records = [{"code": "J1650", "long_description": "Injection, enoxaparin sodium, 10 mg"},
               {"code": "J9905", "long_description": "Injection, zorbafenib, 10 mg"}]
    bridges = Bridges(index_terms=[
        {"term": "Enoxaparin sodium", "via": "Enoxaparin sodium › 10 mg SC", "code": "J1650",
         "described_as": "Injection, enoxaparin sodium, 10 mg", "source": DRUG_TABLE},
        {"term": "Enoxaparin sodium", "via": "Enoxaparin sodium › 10 mg IM, IV", "code": "J1650",
         "described_as": "Injection, enoxaparin sodium, 10 mg", "source": DRUG_TABLE},
        {"term": "Tirofax", "via": "Tirofax › 5 mg IV", "code": "J9905",
         "described_as": "Injection, tirofax hcl, 5 mg", "source": DRUG_TABLE},
        {"term": "Enoxaparin", "via": "Enoxaparin › SC", "code": "J1650",
         "described_as": "Injection, enoxaparin sodium, 10 mg", "source": "cms index"},
    ])
    assert routes_by_code(bridges, records) == {"J1650": "SC, IM, IV"}


@pytest.mark.parametrize(
    ("args", "out"),
    [
        (["J1650", "40mg"], "J1650: 40 mg ÷ 10 mg = 4 units\n"),
        (["J1650", "40", "mg"], "J1650: 40 mg ÷ 10 mg = 4 units\n"),
        (["j1650", "0.04 g"], "J1650: 0.04 g = 40 mg; 40 mg ÷ 10 mg = 4 units\n"),
        (["J1200", "25 mg"], "J1200: up to 50 mg: 25 mg = 1 unit\n"),
    ],
)
def test_units_prints_the_units_and_the_rule(capsys, drug_db, args, out):
    assert main(["units", *args, "--db", str(drug_db)]) == 0
    assert capsys.readouterr().out == out


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["A4233", "2"], "error: A4233 is not a drug code (not billed by dose)\n"),
        (["XX999", "2"], "error: XX999 is not a code of this release\n"),
        (["J9904", "2 mg"], f"error: J9904 gives no dose to bill by ({UNSPECIFIED})\n"),
        (["J1650", "lots"], "error: J1650: “lots” is not a dose: type an amount and its unit, e.g. 40 mg\n"),
        (["J1650", "2 ml"],
         "error: J1650: ml cannot be converted to mg: the code is billed per 10 mg; give the dose in mcg, mg, g\n"),
    ],
)
def test_units_says_in_one_line_why_there_are_none(capsys, drug_db, args, error):
    assert main(["units", *args, "--db", str(drug_db)]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", error)


def test_build_db_lists_the_drug_codes_whose_dose_it_could_not_read(capsys, tmp_path):
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", DRUG_RECORDS)
    assert main(["build-db", str(release), "-o", str(tmp_path / "out.sqlite")]) == 0
    err = capsys.readouterr().err
    assert f"Drug codes: 11, dose not read for 2\n  J9903: {COMBINATION}\n  J9904: {UNSPECIFIED}\n" in err
