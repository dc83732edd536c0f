"""The reader of CMS's HCPCS Alpha-Numeric Index PDF.

Unit tests run on lines and on PDFs written by `pdf_files` with made-up terms laid out as
CMS lays out the index; the real-data tests read the 2019 index from `releases_dir`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from conftest import finishes, real_file
from pdf_files import pdf_bytes, write_pdf

from hcpcs_desktop.cli import main
from hcpcs_desktop.data.cms_index import IndexEntry, parse_index_lines, read_index
from hcpcs_desktop.data.errors import ReleaseError

SUB = 9  # points CMS indents a sub-term by
WRAP = 18  # ... and a wrapped line

# Two pages of a made-up index, laid out as CMS does: running header, notice, letter headings,
# head terms at the margin, sub-terms indented, a wrapped line, a page that opens with
# sub-terms of the previous page's head term.
PAGES = [
    [
        [(0, "2030 HCPCS Alpha-Numeric Index"), (440, "1")],
        "",
        "Questions about these codes go to whoever pays the claim, not to the",
        "publisher of this index.",
        "",
        "A",
        "",
        "Abacus frame, E9001",
        "Adapter, E9002, E9003",
        (SUB, "bracket, low profile, E9004"),
        (SUB, "clamp, E9010-E9019"),
        "Anchor",
        (SUB, "chain, long, with clasp, steel or brass, E9020, E9021, E9022-"),
        (WRAP, "E9024, E9030"),
        "Armature",
    ],
    [
        [(0, "2030 HCPCS Alpha-Numeric Index"), (440, "2")],
        "",
        (SUB, "coil, E9040"),
        (SUB, "shield, supposity, E9041 - E9043 (for trial use only)"),
        "B",
        "Bolt, see Anchor",
        "Bracket, hinged,E9050",
        "Buffer, soft use E9051",
        "Last Updated October 1, 2029",
    ],
]

EXPECTED = [
    IndexEntry("Abacus frame", "", ("E9001",), ()),
    IndexEntry("Adapter", "", ("E9002", "E9003"), ()),
    IndexEntry("Adapter", "bracket, low profile", ("E9004",), ()),
    IndexEntry("Adapter", "clamp", (), (("E9010", "E9019"),)),
    IndexEntry("Anchor", "chain, long, with clasp, steel or brass", ("E9020", "E9021", "E9030"),
               (("E9022", "E9024"),)),
    IndexEntry("Armature", "coil", ("E9040",), ()),
    IndexEntry("Armature", "shield, supposity", (), (("E9041", "E9043"),)),
    IndexEntry("Bracket, hinged", "", ("E9050",), ()),
    IndexEntry("Buffer, soft use", "", ("E9051",), ()),
]


def as_lines(pages) -> list[str]:
    """The pages' lines as text, with sub-term indents as two spaces per 9 points."""
    lines = []
    for page in pages:
        for line in page:
            if isinstance(line, str):
                lines.append(line)
            elif isinstance(line, tuple):
                lines.append(" " * round(line[0] / 4.5) + line[1])
            else:
                lines.append(" ".join(text for _, text in line))
    return lines


# Text logic -----------------------------------------------------------------------------------


def test_lines_give_head_terms_sub_terms_codes_and_ranges():
    skipped: list[str] = []
    assert parse_index_lines(as_lines(PAGES), skipped) == EXPECTED
    assert skipped == []


def test_page_furniture_notice_and_letter_headings_give_no_entries():
    terms = {entry.term for entry in parse_index_lines(as_lines(PAGES))}
    assert not any("Index" in term or "Questions" in term or "Updated" in term for term in terms)
    assert not {"A", "B"} & terms


def test_wrapped_line_joins_the_one_above():
    lines = [
        "Widget, E9101, E9102-",
        "    E9105, E9110,",
        "    E9111",
        "Wobbler, supplies for home use, all kinds, small and large, (e.g., cups),",
        "    E9120",
    ]
    assert parse_index_lines(lines) == [
        IndexEntry("Widget", "", ("E9101", "E9110", "E9111"), (("E9102", "E9105"),)),
        IndexEntry("Wobbler, supplies for home use, all kinds, small and large, (e.g., cups)", "",
                   ("E9120",), ()),
    ]


def test_code_lines_at_the_margin_still_continue_the_line_above():
    assert parse_index_lines(["Widget, E9101,", "E9102"]) == [IndexEntry("Widget", "", ("E9101", "E9102"), ())]


def test_head_term_with_trailing_comma_gathers_sub_terms():
    lines = ["Solution,", "  rinse, E9201", "  wash, E9202"]
    assert parse_index_lines(lines) == [
        IndexEntry("Solution", "rinse", ("E9201",), ()),
        IndexEntry("Solution", "wash", ("E9202",), ()),
    ]


def test_sub_term_without_codes_prefixes_deeper_ones():
    lines = [
        "Sprocket",
        "  chain, E9301",
        "  wheel",
        "     toothed, E9302",
        "   smooth, E9303",
        "  cog, E9304",
    ]
    assert parse_index_lines(lines) == [
        IndexEntry("Sprocket", "chain", ("E9301",), ()),
        IndexEntry("Sprocket", "wheel, toothed", ("E9302",), ()),
        IndexEntry("Sprocket", "wheel, smooth", ("E9303",), ()),
        IndexEntry("Sprocket", "cog", ("E9304",), ()),
    ]


def test_odd_separators_and_trailing_notes():
    lines = [
        "Gasket, E9401-E9402,E9403",
        "Grommet, E9410 \u2013 E9412",
        "Gusset (DME), E9420-E9430, K Codes",
        "Guard,   rubber,   E9440  ",
    ]
    assert parse_index_lines(lines) == [
        IndexEntry("Gasket", "", ("E9403",), (("E9401", "E9402"),)),
        IndexEntry("Grommet", "", (), (("E9410", "E9412"),)),
        IndexEntry("Gusset (DME)", "", (), (("E9420", "E9430"),)),
        IndexEntry("Guard, rubber", "", ("E9440",), ()),
    ]


def test_sub_terms_after_a_qualified_head_term_come_under_its_first_word():
    lines = ["Strap, leather, E9801, E9802", "  canvas, E9803"]
    assert parse_index_lines(lines) == [
        IndexEntry("Strap, leather", "", ("E9801", "E9802"), ()),
        IndexEntry("Strap", "canvas", ("E9803",), ()),
    ]


def test_cross_references_give_no_entry_and_are_not_reported():
    skipped: list[str] = []
    lines = ["Hinge, see Bracket", "Hasp (see also Latch)", "Holder", "  clip, see Clamp", "  cup, E9501"]
    assert parse_index_lines(lines, skipped) == [IndexEntry("Holder", "cup", ("E9501",), ())]
    assert skipped == []


def test_lines_that_cannot_be_placed_are_reported():
    skipped: list[str] = []
    lines = ["  orphan sub-term, E9601", "Lonely head term", "Knob", "  nothing here", "  handle, E9602"]
    assert parse_index_lines(lines, skipped) == [IndexEntry("Knob", "handle", ("E9602",), ())]
    assert skipped == ["orphan sub-term, E9601", "Lonely head term", "nothing here"]


def test_parsing_lines_does_not_need_pypdf(monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdf", None)  # any import of pypdf now fails
    assert parse_index_lines(["Abacus frame, E9001"]) == [IndexEntry("Abacus frame", "", ("E9001",), ())]


# PDF files ------------------------------------------------------------------------------------


def test_pdf_gives_the_same_entries_as_its_lines(tmp_path):
    skipped: list[str] = []
    assert read_index(write_pdf(tmp_path / "index.pdf", PAGES), skipped) == EXPECTED
    assert skipped == []


def test_leading_spaces_in_the_text_also_indent(tmp_path):
    path = write_pdf(tmp_path / "index.pdf", [["A", "Lever", " arm, E9701", "Lid, E9702"]])
    assert read_index(path) == [IndexEntry("Lever", "arm", ("E9701",), ()), IndexEntry("Lid", "", ("E9702",), ())]


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("notes.pdf", b"Abacus frame, E9001\n", "not a PDF file"),
        ("empty.pdf", b"", "not a PDF file"),
        ("cut.pdf", pdf_bytes(PAGES)[:900], "truncated"),
        ("bad.pdf", b"%PDF-1.4\n" + b"x" * 300 + b"\n%%EOF\n", "damaged"),
        ("prose.pdf", pdf_bytes([["A letter to a friend", "about nothing at all."]]), "no index entries"),
        ("table.pdf", pdf_bytes([[[(0, "Zorbafenib"), (190, "10 mg"), (290, "IV"), (350, "J9990")],
                                  [(0, "Plumbanol"), (190, "5 mg"), (290, "IM"), (350, "J9991")]]]),
         "no index entries"),
    ],
)
def test_broken_or_foreign_files_are_release_errors(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReleaseError) as error:
        read_index(path)
    assert error.value.file == name
    assert problem in error.value.problem


def test_missing_file_is_a_release_error(tmp_path):
    with pytest.raises(ReleaseError, match="absent.pdf: no such file"):
        read_index(tmp_path / "absent.pdf")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_a_device_or_a_huge_file_given_as_a_pdf_is_refused_unread(tmp_path, capsys, sample_release):
    pipe = tmp_path / "index.pdf"
    os.mkfifo(pipe)  # reading it would wait for a writer for ever
    huge = tmp_path / "2019-HCPCS-Index.pdf"
    with huge.open("wb") as file:
        file.truncate(2 * 2**30)  # sparse: no disk is used
    from hcpcs_desktop.data.drug_table import read_drug_table

    for path, problem in [(pipe, "not a regular file (a pipe)"), (Path("/dev/zero"), "not a regular file (a device"),
                          (huge, "the file is 2,147,483,648 bytes, more than such a file can be")]:
        for read in (read_index, read_drug_table):
            with pytest.raises(ReleaseError, match=re.escape(problem)):
                finishes(lambda: read(path))
    for option in ("--index", "--drug-table"):
        code = finishes(lambda: main(["build-db", str(sample_release / "HCPC2030_JAN_ANWEB.txt"), option, str(pipe),
                                      "-o", str(tmp_path / "db.sqlite")]), seconds=60)
        assert code == 1 and "index.pdf: not a regular file (a pipe)" in capsys.readouterr().err


# The real 2019 index ------------------------------------------------------------------------------

INDEX_2019 = "2019-jan/2019-HCPCS-Index.pdf"


@pytest.fixture(scope="module")
def index_2019(releases_dir):
    """(entries, skipped lines) of the real 2019 index."""
    path = real_file(releases_dir, INDEX_2019)
    skipped: list[str] = []
    entries = read_index(path, skipped)
    return entries, skipped


def test_real_index_counts(index_2019):
    entries, skipped = index_2019
    assert 1800 <= len(entries) <= 2000
    assert len(skipped) <= 5
    assert sum(len(e.codes) + 2 * len(e.ranges) for e in entries) >= 2700


def test_real_index_well_known_entries(index_2019):
    entries = index_2019[0]
    assert IndexEntry("Ambulance", "", (), (("A0021", "A0999"),)) in entries
    assert IndexEntry("Ambulance", "air", ("A0430", "A0431", "A0435", "A0436"), ()) in entries
    assert IndexEntry("Adalimumab", "", ("J0135",), ()) in entries
    # a page that opens with sub-terms of the previous page's head term
    assert IndexEntry("Aerosol", "compressor filter", (), (("K0178", "K0179"),)) in entries
    # CMS's typo kept as printed
    assert IndexEntry("Alprostadil, urethral supposity", "", ("J0275",), ()) in entries


def test_real_index_wrapped_lines(index_2019):
    by_term = {(e.term, e.subterm): e for e in index_2019[0]}
    hearing = by_term["Hearing devices", ""]
    assert ("V5221", "V5299") in hearing.ranges and "L8614" in hearing.codes
    assert "Q0181" in by_term["Not otherwise classified drug", ""].codes
