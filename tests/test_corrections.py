"""What CMS corrected in a release after publishing it: read from the corrections workbook(s) shipped
with the release into the `corrections` table, and shown on a corrected code's page with what
changed and when."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import open_window, real_file
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import load_code, open_database
from hcpcs_desktop.data.errors import ReleaseError
from hcpcs_desktop.data.release_files import find_release_files, is_corrections_name, is_data_name
from hcpcs_desktop.data.release_store import ReleaseStore
from release_files import SAMPLE_RECORDS, txt_bytes, write_corrections_xlsx, write_txt, write_zip
from test_window import open_code

HEADER_2019 = ["CODE", "ACTION", "EFF DATE", "SHORT DESC", "LONG DESC", "TOS ", "BETOS", "COV", "PRICE", "XREF CODE",
               "ASC IND", "ASC DATE", "COMMENTS"]


def corrected_zip(tmp_path):
    book = write_corrections_xlsx(tmp_path / "HCPC2030_JAN_Corrections.xlsx", [
        ["", "", "", "", "", "", "", "", ""],
        ["A4300", "Revise Cov/Price", "", "", dt.date(2030, 1, 1), "", "", "C", 11],
        ["S9353", "Revise Short Desc", "Hit cont insulin per diem", "", dt.date(2030, 1, 1), "", "", "", ""],
        ["G0260", "Add date s/b 1/1/2002", "", "", "", "", "", "", ""],
    ])
    return write_zip(tmp_path / "2030-Alpha-Numeric-HCPCS-File.zip",
                     {"HCPC2030_JAN_ANWEB.txt": txt_bytes(SAMPLE_RECORDS), "HCPC2030_JAN_Corrections.xlsx": book})


def test_corrections_workbooks_are_known_by_name_and_never_taken_for_data():
    for name in ("HCPC2026_APR_Corrections.xlsx", "HCPC2026_JAN_ANWEB_Corrections_01122026.xlsx",
                 "HCPC2019_Corrections_ALPHA_v2.xlsx"):
        assert is_corrections_name(name) and not is_data_name(name)
    assert not is_corrections_name("HCPC2019_Corrections_ALPHA.prn")


def test_each_correction_is_kept_with_its_action_date_values_and_source(tmp_path):
    report = build_database(corrected_zip(tmp_path), tmp_path / "hcpcs.sqlite")
    assert report.corrections == 3
    conn = open_database(report.db_path)
    [correction] = load_code(conn, "A4300").corrections
    assert (correction.release_date, correction.action, correction.effective, correction.details, correction.source) \
        == ("2030-01-01", "Revise Cov/Price", "2030-01-01", {"Coverage": "C", "Pricing": "11"},
            "HCPC2030_JAN_Corrections.xlsx")
    assert load_code(conn, "G0260").corrections[0].effective == ""
    assert load_code(conn, "E0100").corrections == ()


def test_2019s_layout_and_two_workbooks_of_one_release_are_both_read(tmp_path):
    write_txt(tmp_path / "HCPC2030_CONTR_ANWEB.txt", SAMPLE_RECORDS)
    write_corrections_xlsx(tmp_path / "HCPC2030_Corrections_ALPHA.xlsx", header=HEADER_2019, title_rows=3, rows=[
        ["E0100", "Change Cov to C and Price to 39", dt.date(2030, 1, 1), "", "", "", "", "C", "39", "", "", "", ""]])
    write_corrections_xlsx(tmp_path / "HCPC2030_Corrections_ALPHA_v2.xlsx", header=HEADER_2019, title_rows=3, rows=[
        ["25", "Removed in error - add back to file", dt.date(2011, 1, 1), "", "", "", "", "", "", "", "", "", ""],
        ["E0100", "Remove \"YY\" ASC Ind", "01/0/12030", "", "", "", "", "", "", "", "", "", ""]])
    write_corrections_xlsx(tmp_path / "HCPC2029_Corrections_ALPHA.xlsx", header=HEADER_2019, rows=[
        ["E0105", "Discontinue", dt.date(2029, 1, 1), "", "", "", "", "", "", "", "", "", ""]])
    assert [f.name for f in find_release_files(tmp_path).corrections] == [
        "HCPC2030_Corrections_ALPHA.xlsx", "HCPC2030_Corrections_ALPHA_v2.xlsx"]
    conn = open_database(build_database(tmp_path, tmp_path / "out" / "hcpcs.sqlite").db_path)
    assert [(c.action, c.effective, c.details) for c in load_code(conn, "E0100").corrections] == [
        ("Change Cov to C and Price to 39", "2030-01-01", {"COV": "C", "PRICE": "39"}),
        ("Remove \"YY\" ASC Ind", "01/0/12030", {})]
    assert load_code(conn, "25").corrections[0].source == "HCPC2030_Corrections_ALPHA_v2.xlsx"
    assert load_code(conn, "E0105").corrections == ()


def test_a_corrections_workbook_without_its_header_is_refused_with_one_line(tmp_path):
    write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS)
    write_corrections_xlsx(tmp_path / "HCPC2030_JAN_Corrections.xlsx", header=["Code", "What"], rows=[["E0100", "x"]])
    with pytest.raises(ReleaseError) as caught:
        build_database(tmp_path, tmp_path / "out" / "hcpcs.sqlite")
    assert str(caught.value).startswith("HCPC2030_JAN_Corrections.xlsx: no header row with a code and an ACTION column")


def test_a_corrected_codes_page_says_what_cms_corrected_and_when(qtbot, tmp_path, settings_dir, monkeypatch):
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    db = build_database(corrected_zip(tmp_path), tmp_path / "hcpcs.sqlite").db_path
    window = open_window(qtbot, db, ReleaseStore(tmp_path / "store", extra=[db]))
    text = " ".join(open_code(qtbot, window, "A4300").split())
    assert ("Corrected by CMS after publishing: Revise Cov/Price, effective 2030-01-01: Coverage C, Pricing 11 "
            "(January 2030 corrections, HCPC2030_JAN_Corrections.xlsx)") in text
    assert "Corrected by CMS" not in open_code(qtbot, window, "E0100")


@pytest.mark.parametrize(("relative", "code", "action", "details"), [
    ("2026-apr/hcpc2026_apr_anweb_0.zip", "C8007", "Revise Cov/Price", {"Coverage": "C", "Pricing": "11"}),
    ("2026-jan/january-2026-alpha-numeric-hcpcs-file.zip", "J2516", "Revise TOS", {"TOS": "1,P"}),
])
def test_the_real_2026_corrections_are_on_the_corrected_codes(releases_dir, tmp_path, relative, code, action,
                                                               details):
    report = build_database(real_file(releases_dir, relative), tmp_path / "hcpcs.sqlite")
    conn = open_database(report.db_path)
    [correction] = load_code(conn, code).corrections
    assert (correction.action, correction.details) == (action, details)
    assert report.corrections == {"C8007": 5, "J2516": 5}[code]
