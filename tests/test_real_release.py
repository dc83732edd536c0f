"""The official CMS release files: counts, one code read field by field, and txt/workbook agreement.

These tests read the real releases through the `releases_dir` fixture (skipped when
the folder is missing, a failure under CI=true). Databases are built once per test
session in a temporary folder.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import load_code, open_database, release_info
from hcpcs_desktop.data.fields import FIELDS
from hcpcs_desktop.data.records import RECORD_START, parse_release_data
from hcpcs_desktop.data.release_files import SourceFile
from hcpcs_desktop.search import SearchEngine

OCT_2025 = "2025-oct/HCPC2025_OCT_ANWEB.xlsx"
LAYOUT_2026 = "2026-jan/HCPC2026_recordlayout.txt"
NOTES_2026 = "2026-jan/proc_notes_JAN2026.txt"
ZIP_2020 = "2020-jan/2020-Alpha-Numeric-HCPCS-File.zip"
TXT_2020 = "2020-jan/2020-Alpha-Numeric-HCPCS-File/HCPC2020_ANWEB_w_disclaimer.txt"
XLS_2020 = "2020-jan/2020-Alpha-Numeric-HCPCS-File/HCPC2020_ANWEB_w_disclaimer.xls"
TXT_2019 = "2019-jan/2019-Alpha-Numeric-HCPCS-File/HCPC2019_CONTR_ANWEB.txt"
XLSX_2019 = "2019-jan/2019-Alpha-Numeric-HCPCS-File/HCPC2019_CONTR_ANWEB.xlsx"

FIELD_KEYS = [f.key for f in FIELDS]


@pytest.fixture(scope="session")
def oct_2025(releases_dir, tmp_path_factory):
    """(database, build report) of October 2025 with the January 2026 layout and notes (how long
    a build takes is measured by benchmarks/build_time.py, not asserted here)."""
    db = tmp_path_factory.mktemp("oct_2025") / "hcpcs.sqlite"
    report = build_database(releases_dir / OCT_2025, db, layout=releases_dir / LAYOUT_2026,
                            notes=releases_dir / NOTES_2026)
    return db, report


@pytest.fixture(scope="session")
def jan_2020(releases_dir, tmp_path_factory):
    """(database, build report) of the 2020 release zip as downloaded."""
    db = tmp_path_factory.mktemp("jan_2020") / "hcpcs.sqlite"
    return db, build_database(releases_dir / ZIP_2020, db)


@pytest.fixture(scope="session")
def parsed(releases_dir):
    """Records of a release data file by code (in file order), each file parsed once."""
    cache: dict[str, dict[str, dict]] = {}

    def records(relative: str) -> dict[str, dict]:
        if relative not in cache:
            path = releases_dir / relative
            cache[relative] = {r["code"]: r for r in parse_release_data(SourceFile(path.name, path.read_bytes()))}
        return cache[relative]

    return records


@pytest.fixture(scope="session")
def s9353(oct_2025):
    return load_code(open_database(oct_2025[0]), "S9353")


# October 2025 -------------------------------------------------------------------------------------


def test_oct_2025_counts(oct_2025):
    _, report = oct_2025
    assert (report.release_name, report.release_date) == ("October 2025", "2025-10-01")
    assert (report.procedures, report.modifiers, report.terminated) == (8_463, 383, 1_225)


def test_oct_2025_every_coded_value_is_decoded_by_the_2026_layout_and_notes(oct_2025):
    db, report = oct_2025
    assert report.undecoded == {} and report.undecoded_count == 0
    assert release_info(open_database(db))["undecoded"] == 0


def test_oct_2025_search_for_insulin_finds_s9353(oct_2025):
    result = SearchEngine(open_database(oct_2025[0])).search("insulin")
    assert "S9353" in [hit.code for hit in result.hits]


def test_s9353_short_description(s9353):
    assert s9353.short_description == "Hit cont insulin diem"
    assert (s9353.code, s9353.kind, s9353.status) == ("S9353", "procedure", "active")


@pytest.mark.parametrize(("key", "value", "meaning"), [
    ("pricing_indicator_1", "00",
     "Service not separately priced by part B (e.g., services not covered, bundled, used by part a only, etc.)"),
    ("coverage", "I", "Not payable by Medicare"),
    ("betos", "Z2", "Undefined codes"),
    ("type_of_service_1", "9", "Other medical items or services"),
    ("action_code", "N", "No maintenance for this code"),
])
def test_s9353_coded_values_and_their_meanings(s9353, key, value, meaning):
    assert (s9353[key].value, s9353[key].meaning) == (value, meaning)


def test_s9353_multiple_pricing_indicator(s9353):
    assert s9353["multiple_pricing_indicator"].value == "9"
    assert s9353["multiple_pricing_indicator"].meaning  # described by the layout


def test_s9353_pricing_indicator_help_comes_from_the_layout(s9353):
    assert s9353["pricing_indicator_1"].help.startswith(
        "Code used to identify the appropriate methodology for developing unique pricing amounts under part B.")


def test_s9353_processing_note_has_its_text(s9353):
    note = s9353["processing_note"]
    assert note.value == "0088"
    assert note.meaning.strip()


def test_s9353_added_date_is_iso(s9353):
    assert s9353["added_date"].value == "2002-01-01"


def test_show_s9353_json_gives_the_same_page(oct_2025, s9353, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path))
    assert main(["show", "S9353", "--json", "--db", str(oct_2025[0])]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["release"] == {"name": "October 2025", "date": "2025-10-01"}
    assert list(data["fields"]) == FIELD_KEYS
    for f in s9353.fields:
        assert data["fields"][f.key] == {"label": f.label, "value": f.value, "meaning": f.meaning, "help": f.help}
    assert data["fields"]["short_description"]["value"] == "Hit cont insulin diem"
    assert data["fields"]["processing_note"]["value"] == "0088"


# 2020 zip -----------------------------------------------------------------------------------------


def test_2020_zip_counts(jan_2020):
    _, report = jan_2020
    assert (report.release_name, report.release_date) == ("January 2020", "2020-01-01")
    assert (report.procedures, report.modifiers) == (6_710, 369)


def test_2020_zip_records_the_zip_and_the_text_file_it_read(jan_2020):
    files = {f["role"]: f["name"] for f in release_info(open_database(jan_2020[0]))["source_files"]}
    assert files["release"] == Path(ZIP_2020).name
    assert files["data"] == Path(TXT_2020).name  # the .txt is preferred to the .xls


# The text file and the workbook of one release ----------------------------------------------------
#
# CMS ships each release's records twice, as fixed-width text and as a workbook. They
# agree on every code and every field, with these exceptions (checked exactly below):
#
# (a) both years: 11 long descriptions differ only in whitespace. The text file breaks a
#     long description into 80-column lines; where the workbook joined two of those
#     lines with two spaces instead of one ("including  all"), the text gives one. With
#     whitespace collapsed the two descriptions are equal.
# (b) 2019 only: the workbook leaves ACT EFF DT blank for 115 codes whose text record has
#     an action effective date, and has TOS4 set for 2 codes whose text record leaves it
#     blank. These are differences in CMS's own files, not in reading them.

PAIRS = {"2020": (TXT_2020, XLS_2020), "2019": (TXT_2019, XLSX_2019)}


def differences(text: dict[str, dict], book: dict[str, dict]) -> list[tuple[str, str, str, str]]:
    """(code, field key, text value, workbook value) of every field that differs."""
    return [(code, key, text[code][key], book[code][key])
            for code in text for key in FIELD_KEYS if text[code][key] != book[code][key]]


def text_pieces(path: Path) -> dict[str, list[str]]:
    """Each code's long description pieces as the text file's lines hold them."""
    pieces: dict[str, list[str]] = {}
    for line in path.read_bytes().decode("cp1252").splitlines():
        if RECORD_START.match(line):
            pieces.setdefault(line[:5].strip(), []).append(line[11:91].strip())
    return pieces


def collapsed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("year", PAIRS)
def test_text_and_workbook_hold_the_same_codes_in_the_same_order(parsed, year):
    text, book = (parsed(name) for name in PAIRS[year])
    assert list(text) == list(book)


@pytest.mark.parametrize("year", PAIRS)
def test_eleven_long_descriptions_differ_only_in_whitespace(parsed, year):
    text, book = (parsed(name) for name in PAIRS[year])
    differing = [(code, t, b) for code, key, t, b in differences(text, book) if key == "long_description"]
    assert len(differing) == 11
    assert all(collapsed(t) == collapsed(b) for _, t, b in differing)


@pytest.mark.parametrize("year", PAIRS)
def test_workbook_has_two_spaces_where_the_text_breaks_a_line(parsed, releases_dir, year):
    text_name, book_name = PAIRS[year]
    text, book = parsed(text_name), parsed(book_name)
    pieces = text_pieces(releases_dir / text_name)
    for code, key, t, b in differences(text, book):
        if key != "long_description":
            continue
        lines = pieces[code]
        assert t == " ".join(lines)  # the text joins its lines with one space
        joined = re.fullmatch(r"(\s{1,2})".join(re.escape(line) for line in lines), b)
        assert joined, code  # the workbook joins the same lines with one or two spaces ...
        assert "  " in joined.groups(), code  # ... two at one break at least


def test_2019_workbook_leaves_115_action_effective_dates_blank(parsed):
    text, book = parsed(TXT_2019), parsed(XLSX_2019)
    dates = [(t, b) for _, key, t, b in differences(text, book) if key == "action_effective_date"]
    assert len(dates) == 115
    assert all(t and not b for t, b in dates)  # set in the text, blank in the workbook


def test_2019_workbook_sets_type_of_service_4_for_2_codes_the_text_leaves_blank(parsed):
    text, book = parsed(TXT_2019), parsed(XLSX_2019)
    tos4 = [(t, b) for _, key, t, b in differences(text, book) if key == "type_of_service_4"]
    assert len(tos4) == 2
    assert all(b and not t for t, b in tos4)  # blank in the text, set in the workbook


def test_2020_text_and_workbook_differ_in_nothing_else(parsed):
    text, book = parsed(TXT_2020), parsed(XLS_2020)
    kinds = Counter(key for _, key, _, _ in differences(text, book))
    assert kinds == {"long_description": 11}


def test_2019_text_and_workbook_differ_in_nothing_else(parsed):
    text, book = parsed(TXT_2019), parsed(XLSX_2019)
    kinds = Counter(key for _, key, _, _ in differences(text, book))
    assert kinds == {"long_description": 11, "action_effective_date": 115, "type_of_service_4": 2}


def test_oct_2025_pages_name_the_codes_that_replace_refer_to_and_are_named(oct_2025):
    from hcpcs_desktop.code_view import CodeView
    from hcpcs_desktop.data.references import BY_CROSS_REFERENCE, related
    from hcpcs_desktop.ui.code_page_html import render

    conn = open_database(oct_2025[0])
    def render_page(code):
        return render(CodeView(load_code(conn, code), "October 2025", related=related(conn, code)))

    terminated = render_page("A4466")
    assert "Terminated 2016-12-31</b> · Replaced by" in terminated.split("A4466")[0]  # above the code itself
    assert 'href="code:A4467"' in terminated
    assert [(r.code, r.how) for r in related(conn, "A4467").referrals] == [("A4466", BY_CROSS_REFERENCE)]
    assert 'href="code:E0733"' in render_page("A4541")
    assert 'href="search:H1001-H1004"' in render_page("H1005")
    assert "H1005" in [r.code for r in related(conn, "H1002").referrals]
    assert related(conn, "S9353").referrals == []
