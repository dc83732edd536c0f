"""Tests for the record layout parser: invented layouts in the CMS format, then the real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from hcpcs_desktop.data.errors import ReleaseError
from hcpcs_desktop.data.fields import FIELDS
from hcpcs_desktop.data.layout import Layout, parse_layout
from hcpcs_desktop.data.notes import parse_notes

HELP = " " * 52  # column of help text and technical lines
CODE = " " * 55  # column of "value = description" lines
MORE = " " * 60  # column of a description's wrapped lines
TAB_CODE = "\t" * 6 + " " * 7  # expands to the code column


def field(number: int, name: str, sizes: str, *body: str) -> list[str]:
    """A numbered field block as the layout prints it."""
    return [f"  {number}.".ljust(7) + name, " " * 31 + sizes, "", *body, ""]


HEADER = [
    "",
    "  CMS RIF REPORT",
    "  AS OF: 03/04/2024",
    "",
    "       NAME                   LENGTH   BEG  END          CONTENTS",
    "  " + "-" * 70,
    "  ***  Sample Contractor Record - 2099",
    "                               320      1    320    REC",
    "",
    HELP + "Made-up record used by the tests.",
    "",
]

FIELD_1 = field(
    1, "Sample Procedure Code", " 5      1      5    CHAR",
    HELP + "The first paragraph of made-up help that wraps",
    HELP + "onto a second line.",
    "",
    HELP + "**** NOTE: ****",
    HELP + "A warning that follows the note heading directly.",
    "\t\t\t    A line indented with tabs that continues it.",
    "",
    HELP + "> A bullet that wraps",
    HELP + "onto the next line.",
    HELP + "> Another bullet.",
    "",
    HELP + "DB2      ALIAS : UNDEFINED",
    HELP + "SAS      ALIAS : SAMPLE",
    HELP + "STANDARD ALIAS : SAMPLE_CD",
    HELP + "TITLE    ALIAS : SAMPLE_CD",
    "",
    HELP + "LENGTH         : 5    SIGNED : N",
)
FILLER = [
    "  3.   FILLER                                       CHAR",
    "                                 3      1      3",
    HELP + "DB2      ALIAS : FILLER",
    "",
    HELP + "LENGTH         : 3",
    "",
]
FIELD_6 = field(
    6, "Sample Record Kind", " 1     11     11    CHAR",
    HELP + "Says which kind of line this is.",
    "",
    HELP + "CODES         :",
    CODE + "3 = Opening line of a made-up record",
    CODE + "    which carries more detail",
    CODE + "4 = Follow-on line",
)
FIELD_9 = field(
    9, "Sample Pricing Code", " 2    120    121    CHAR",
    HELP + "Invented pricing help for the tests. A second sentence",
    HELP + "that wraps.",
    "",
    HELP + "REDEFINE   : SAMPLE",
    HELP + "LENGTH         : 2",
    "",
    HELP + "CODES         :",
    CODE + "00 = Not priced alone (e.G., the layout's slip",
    MORE + "is  undone)",
    CODE + "First Heading Without A Value",
    CODE + "-----------------------------",
    CODE + "11 = Priced from a made-up schedule",
    CODE + "Second Heading That Wraps,",
    CODE + "--------------------------",
    CODE + "Onto A Second Line",
    CODE + "------------------",
    TAB_CODE + "12 = Priced on a tab-indented line",
    CODE + "13 = Priced by hand",
    "\t" * 7 + "Heading Indented Deeper By Tabs",
    CODE + "-------------------------------",
    CODE + "14 = Priced after the heading",
    "",
    HELP + "OCCURS MIN: 1 OCCURS MAX: 4",
)
FIELD_14 = field(
    14, "Sample Lab Code", " 3    181    183    CHAR",
    HELP + "Invented lab help.",
    "",
    HELP + "CODES         :",
    CODE + "100 = Parent group",
    CODE + "      110 = Child group one",
    CODE + "      120 = Child group two that",
    CODE + "            wraps",
    CODE + "200 = Another parent",
)
FIELD_16 = field(
    16, "Sample Coverage Code", " 1    230    230    CHAR",
    HELP + "Invented coverage help.",
    "",
    HELP + "CODES         :",
    "",
    CODE + "C = Covered in the sample",
    "\t\t\t       \t\t\t       X = Excluded in the sample",
    "\t\t\t       Y = Oddly indented by tabs",
    CODE + "  ",
)
FIELD_17 = field(
    17, "Sample ASC Group", " 2    231    232    CHAR",
    HELP + "The 'YY' mark says the sample is allowed somewhere.  More detail",
    HELP + "lives elsewhere.",
    "",
    HELP + "LENGTH         : 2",
    "",
    HELP + "EDIT RULES :",
    HELP + "         CODE: YY",
    HELP + "         BLANK = Not allowed",
)
FIELD_18 = field(
    18, "Sample ASC Date", " 8    233    240    NUM",
    HELP + "A made-up date.",
    "",
    HELP + "EDIT RULES :",
    HELP + "         YYYYMMDD",
)
FIELD_19 = field(
    19, "Sample Group Code", " 3    241    243    CHAR",
    HELP + "Invented group help",
    "",
    HELP + "COMMENTS :",
    HELP + "1st digit means one thing",
    HELP + "2nd digit means another",
    HELP + "'1' or '2' are levels",
    HELP + "for a given group",
    "",
    HELP + "CODES         :",
    CODE + "None applies",
    "",
    CODE + "000 = None applies",
    "",
    CODE + "Body Area",
    "",
    CODE + "101 = Small thing",
    CODE + "102 = Bigger thing that",
    CODE + "      wraps once",
)
FIELD_23 = field(
    23, "Sample Category Code", " 3    257    259    CHAR",
    HELP + "Invented category help.",
    "",
    HELP + "CODE TABLE     : SAMPLE_CAT_TB",
)
FIELD_25 = field(
    25, "Sample Service Type", " 1    261    261    CHAR",
    HELP + "Invented service help.",
    "",
    HELP + "CODE TABLE     : SAMPLE_SRVC_TB",
    "",
    HELP + "OCCURS MIN: 1 OCCURS MAX: 5",
)
APPENDIX = [
    "",
    " " * 58 + "*" * 40,
    "",
    "  TABLE OF CODES APPENDIX                                SAMPLE_REC",
    "   ",
    " SAMPLE_CAT_TB                                   Sample Category Table",
    "",
    "   A1A = First category",
    "   A2  = Second category",
    "   A3B = Third category that",
    "         wraps",
    "",
    " SAMPLE_SRVC_TB                                  Sample Service Table",
    "",
    "  1 = Made-up service",
    "  Q = Another service",
    "      (retired long ago)",
    "",
]

FIELD_BLOCKS = [FIELD_1, FILLER, FIELD_6, FIELD_9, FIELD_14, FIELD_16, FIELD_17, FIELD_18,
                FIELD_19, FIELD_23, FIELD_25]


def layout_text(*blocks: list[str], header: list[str] = HEADER, appendix: list[str] = APPENDIX,
                newline: str = "\r\n") -> str:
    lines = [*header, *(line for block in blocks for line in block), *appendix]
    return newline.join(lines) + newline


@pytest.fixture(scope="module")
def sample() -> Layout:
    return parse_layout(layout_text(*FIELD_BLOCKS))


def test_title_and_date(sample):
    assert sample.title == "Sample Contractor Record - 2099"
    assert sample.as_of == "2024-03-04"


def test_help_paragraphs(sample):
    assert sample.help[1] == (
        "The first paragraph of made-up help that wraps onto a second line.\n"
        "**** NOTE: ****\n"
        "A warning that follows the note heading directly."
        " A line indented with tabs that continues it.\n"
        "> A bullet that wraps onto the next line.\n"
        "> Another bullet."
    )
    assert sample.help[9] == "Invented pricing help for the tests. A second sentence that wraps."
    assert sample.help[18] == "A made-up date."


def test_help_leaves_out_technical_lines_and_codes(sample):
    text = "\n".join(sample.help.values())
    for word in ("ALIAS", "LENGTH", "SIGNED", "OCCURS", "REDEFINE", "CODE TABLE", "CODES",
                 "EDIT RULES", "YYYYMMDD", "COMMENTS", " = ", "-----", "****************"):
        assert word not in text
    assert 3 not in sample.help  # a FILLER has no help


def test_comments_keep_one_line_each_unless_continued(sample):
    assert sample.help[19] == (
        "Invented group help\n1st digit means one thing\n2nd digit means another\n"
        "'1' or '2' are levels for a given group"
    )


def test_codes_join_wrapped_descriptions_and_skip_headings(sample):
    assert sample.tables["pricing_indicator"] == {
        "00": "Not priced alone (e.g., the layout's slip is undone)",
        "11": "Priced from a made-up schedule",
        "12": "Priced on a tab-indented line",
        "13": "Priced by hand",
        "14": "Priced after the heading",
    }
    assert sample.tables["record_id"] == {
        "3": "Opening line of a made-up record which carries more detail",
        "4": "Follow-on line",
    }


def test_nested_codes_are_codes_too(sample):
    assert sample.tables["lab_certification"] == {
        "100": "Parent group",
        "110": "Child group one",
        "120": "Child group two that wraps",
        "200": "Another parent",
    }


def test_tab_indented_code_lines(sample):
    assert sample.tables["coverage"] == {
        "C": "Covered in the sample",
        "X": "Excluded in the sample",
        "Y": "Oddly indented by tabs",
    }


def test_edit_rule_code_takes_the_first_sentence_of_help(sample):
    expected = "The 'YY' mark says the sample is allowed somewhere."
    assert sample.tables["asc_group"] == {"YY": expected}


def test_group_headings_are_not_codes(sample):
    assert sample.tables["opps_group"] == {
        "000": "None applies",
        "101": "Small thing",
        "102": "Bigger thing that wraps once",
    }


def test_appendix_tables_decode_the_fields_that_name_them(sample):
    assert sample.tables["betos"] == {
        "A1A": "First category",
        "A2": "Second category",
        "A3B": "Third category that wraps",
    }
    assert sample.tables["type_of_service"] == {
        "1": "Made-up service",
        "Q": "Another service (retired long ago)",
    }


def test_tables_absent_when_the_layout_has_no_codes_for_them(sample):
    assert set(sample.tables) == {
        "record_id", "pricing_indicator", "lab_certification", "coverage", "asc_group",
        "opps_group", "betos", "type_of_service",
    }


def test_line_endings_do_not_matter(sample):
    assert parse_layout(layout_text(*FIELD_BLOCKS, newline="\n")) == sample


def test_no_as_of_line():
    header = [line for line in HEADER if "AS OF" not in line]
    assert parse_layout(layout_text(FIELD_9, header=header)).as_of is None


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "no numbered fields"),
        ("   \r\n\r\n", "no numbered fields"),
        ("Dear reader,\nthis is a letter, not a record layout.\n", "no numbered fields"),
        (layout_text(FIELD_1, FIELD_6), "field 9"),
        (layout_text(FIELD_9, FIELD_9), "field 9 appears twice"),
        (layout_text(FIELD_9, FIELD_23, appendix=[]), "SAMPLE_CAT_TB is not in the appendix"),
        (layout_text(FIELD_9, header=[]), "no record title"),
        (layout_text(FIELD_9, header=["  AS OF: 13/45/2024", *HEADER[4:]]), "invalid date"),
    ],
)
def test_broken_layouts(text, problem):
    with pytest.raises(ReleaseError, match=problem) as raised:
        parse_layout(text, "broken.txt")
    assert raised.value.file == "broken.txt"


# Real CMS files, found through $HCPCS_RELEASES.

LAYOUT_2026 = "2026-jan/HCPC2026_recordlayout.txt"
LAYOUT_2019 = "2019-jan/2019-HCPCS-Record-Layout/HCPCS2019_recordlayout.txt"
TABLES = {f.table for f in FIELDS if f.table} - {"processing_note"}


def read_layout(releases_dir: Path, name: str) -> Layout:
    return parse_layout((releases_dir / name).read_text(encoding="ascii"), name)


@pytest.fixture(scope="module")
def layout_2026(releases_dir) -> Layout:
    return read_layout(releases_dir, LAYOUT_2026)


@pytest.mark.parametrize(
    "name, title, as_of",
    [
        (LAYOUT_2026, "HCPCS Contractor Record - 2026", "2025-11-12"),
        (LAYOUT_2019, "HCPCS Contractor Record - 2019", "2018-10-31"),
    ],
)
def test_real_layouts(releases_dir, name, title, as_of):
    layout = read_layout(releases_dir, name)
    assert (layout.title, layout.as_of) == (title, as_of)
    assert set(layout.tables) == TABLES
    assert all(layout.tables.values())
    assert {f.layout_number for f in FIELDS} <= set(layout.help)


def test_real_layout_decodes_known_values(layout_2026):
    tables = layout_2026.tables
    assert tables["pricing_indicator"]["00"] == (
        "Service not separately priced by part B "
        "(e.g., services not covered, bundled, used by part a only, etc.)"
    )
    assert tables["multiple_pricing_indicator"]["9"].startswith("Not applicable")
    assert tables["coverage"]["I"] == "Not payable by Medicare"
    assert tables["betos"]["Z2"] == "Undefined codes"
    assert tables["type_of_service"]["9"] == "Other medical items or services"
    assert tables["action_code"]["N"] == "No maintenance for this code"
    assert {"110", "900"} <= set(tables["lab_certification"])
    assert "YY" in tables["asc_group"]


def test_real_layout_help(layout_2026):
    assert layout_2026.help[9].startswith(
        "Code used to identify the appropriate methodology for developing unique pricing "
        "amounts under part B."
    )
    for text in layout_2026.help.values():
        assert "\t" not in text and "  " not in text
        assert "ALIAS" not in text and "LENGTH" not in text


def cell(value) -> str:
    """A workbook cell as text: a few cells hold numbers (TOS1 2.0 means "2")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@pytest.fixture(scope="module")
def workbook_columns(releases_dir) -> dict[str, set[str]]:
    """Every xlsx column of the Oct 2025 workbook -> its non-blank values."""
    path = releases_dir / "2025-oct/HCPC2025_OCT_ANWEB.xlsx"
    header, *rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return {name: {cell(row[i]) for row in rows} - {""} for i, name in enumerate(header)}


@pytest.mark.parametrize(
    "field", [f for f in FIELDS if f.table not in (None, "processing_note", "record_id")],
    ids=lambda f: f.key,
)
def test_every_workbook_value_decodes(layout_2026, workbook_columns, field):
    values = workbook_columns[field.xlsx]
    assert values - set(layout_2026.tables[field.table]) == set()


def test_every_workbook_processing_note_exists(releases_dir, workbook_columns):
    notes = parse_notes((releases_dir / "2026-jan/proc_notes_JAN2026.txt").read_text())
    assert workbook_columns["PROCNOTE"]
    assert workbook_columns["PROCNOTE"] - set(notes) == set()
