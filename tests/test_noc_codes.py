"""The not-otherwise-classified (NOC) codes of a release: read from CMS's NOC codes workbook when the
release ships one, else from the release's own long descriptions, into the `noc_codes` table, which
says which source was used; `noc_codes(conn)` reads them back."""

from __future__ import annotations

import json

import pytest

from conftest import real_file
from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.errors import ReleaseError
from hcpcs_desktop.data.noc_codes import DESCRIPTIONS, noc_codes, noc_source, read_workbook
from hcpcs_desktop.data.release_files import find_release_files, is_data_name, is_noc_name
from release_files import SAMPLE_RECORDS, record, txt_bytes, write_noc_xlsx, write_txt, write_zip

# Invented records worded as CMS words its NOC codes, and a quality-measure code whose "reason not
# otherwise specified" names no item.
NOC_RECORDS = [
    record("E1399", "Durable medical equipment, miscellaneous", "Durable medical equipment mi", added_date="19900101"),
    record("J3490", "Unclassified drugs", "Drugs unclassified injection", added_date="19900101"),
    record("J7599", "Immunosuppressive drug, not otherwise classified", "Immunosuppressive drug noc",
           added_date="19900101"),
    record("A6549", "Gradient compression garment, not otherwise specified", "G compression garment, nos",
           added_date="20190101"),
    record("G9699", "Inhaled bronchodilator not prescribed, reason not otherwise specified", "Bronchodil not rx",
           added_date="20170101"),
]
RECORDS = sorted(SAMPLE_RECORDS + NOC_RECORDS, key=lambda r: (len(r["code"]) > 2, r["code"]))
WORKBOOK_ROWS = [("E1399", "Durable medical equipment, miscellaneous", "19900101", ""),
                 ("J3490", "Unclassified drugs", "19900101", ""),
                 ("Q0181", "Unspecified oral dosage form, replacement for iv antiemetic", "19970101", "20091231")]


def built(tmp_path, release) -> tuple:
    report = build_database(release, tmp_path / "hcpcs.sqlite")
    conn = open_database(report.db_path)
    return report, conn


def test_the_names_of_cms_noc_workbooks_are_known_and_are_never_data():
    for name in ("NOC codes_APR2026.xlsx", "NOC codes_JAN2026.xlsx", "NOC_Codes_2019.xlsx"):
        assert is_noc_name(name) and not is_data_name(name)
    assert not is_noc_name("HCPC2026_APR_ANWEB.xlsx") and not is_noc_name("NOC_Codes_2019.prn")


def test_a_release_zip_with_a_noc_workbook_fills_the_table_from_it(tmp_path):
    noc = write_noc_xlsx(tmp_path / "NOC codes_JAN2030.xlsx", WORKBOOK_ROWS)
    release = write_zip(tmp_path / "2030-Alpha-Numeric-HCPCS-File.zip",
                        {"HCPC2030_JAN_ANWEB.txt": txt_bytes(RECORDS), "NOC codes_JAN2030.xlsx": noc})
    report, conn = built(tmp_path, release)
    assert noc_codes(conn) == frozenset({"E1399", "J3490", "Q0181"})
    assert (report.noc_codes, report.noc_source) == (3, "NOC codes_JAN2030.xlsx") == (3, noc_source(conn))
    row = conn.execute("SELECT * FROM noc_codes WHERE code = 'Q0181'").fetchone()
    assert (row["added_date"], row["termination_date"]) == ("1997-01-01", "2009-12-31")
    sources = {r["role"]: r["name"] for r in conn.execute("SELECT role, name FROM source_files")}
    assert sources["noc"] == "NOC codes_JAN2030.xlsx"


def test_a_noc_workbook_beside_a_text_file_of_the_same_release_is_read_and_another_releases_is_not(tmp_path):
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    write_noc_xlsx(tmp_path / "NOC codes_JAN2029.xlsx", WORKBOOK_ROWS[:1])
    assert find_release_files(release).noc is None
    write_noc_xlsx(tmp_path / "NOC codes_JAN2030.xlsx", WORKBOOK_ROWS)
    assert find_release_files(release).noc.name == "NOC codes_JAN2030.xlsx"
    assert find_release_files(tmp_path).noc.name == "NOC codes_JAN2030.xlsx"


def test_without_a_workbook_the_noc_codes_are_read_from_the_long_descriptions(tmp_path):
    report, conn = built(tmp_path, write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS))
    # "miscellaneous" (E1399) is for the workbook to say; "reason not otherwise specified" names no item.
    assert noc_codes(conn) == frozenset({"J3490", "J7599", "A6549"})
    assert report.noc_source == noc_source(conn) == DESCRIPTIONS


def test_a_noc_workbook_that_is_not_one_is_refused_with_one_line_and_nothing_is_built(tmp_path):
    write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    write_noc_xlsx(tmp_path / "NOC codes_JAN2030.xlsx", [("J349", "Unclassified drugs", "19900101", "")])
    with pytest.raises(ReleaseError) as caught:
        build_database(tmp_path, tmp_path / "out" / "hcpcs.sqlite")
    assert str(caught.value) == "NOC codes_JAN2030.xlsx, row 5: 'J349' is not a HCPCS code"
    assert not (tmp_path / "out" / "hcpcs.sqlite").exists()


# The real files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("relative", "source", "count"), [
    ("2026-apr/hcpc2026_apr_anweb_0.zip", "NOC codes_APR2026.xlsx", 166),
    ("2026-jan/january-2026-alpha-numeric-hcpcs-file", "NOC codes_JAN2026.xlsx", 166),
    ("2019-jan", "NOC_Codes_2019.xlsx", 139),  # 141 rows: L8608 and L8698 are listed twice
])
def test_the_real_noc_workbooks_are_read(releases_dir, relative, source, count):
    files = find_release_files(releases_dir / relative)
    assert files.noc.name == source
    rows = read_workbook(files.noc)
    assert len(rows) == count and {"J3490", "E1399", "A4649"} <= {r["code"] for r in rows}


def test_october_2025_ships_no_noc_workbook_so_its_descriptions_tell(releases_dir, tmp_path):
    report, conn = built(tmp_path, real_file(releases_dir, "2025-oct/HCPC2025_OCT_ANWEB.xlsx"))
    assert report.noc_source == DESCRIPTIONS
    assert {"J3490", "J7599", "J0799"} <= noc_codes(conn) and "G9699" not in noc_codes(conn)


def test_show_marks_a_noc_code_in_text_and_json(tmp_path, capsys):
    report, conn = built(tmp_path, write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS))
    assert main(["show", "J3490", "--db", str(report.db_path)]) == 0
    assert "Not otherwise classified (NOC)" in capsys.readouterr().out
    for code, noc in (("J3490", True), ("S9353", False)):
        assert main(["show", code, "--json", "--db", str(report.db_path)]) == 0
        assert json.loads(capsys.readouterr().out)["noc"] is noc
