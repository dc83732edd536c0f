"""The reader of CMS's Table of Drugs PDF.

Unit tests run on lines and on PDFs written by `pdf_files` with made-up drugs laid out as
CMS lays out the table; the real-data tests read the 2019 table from `releases_dir`.
"""

from __future__ import annotations

import sys

import pytest
from conftest import real_file
from pdf_files import pdf_bytes, write_pdf

from hcpcs_desktop.data.drug_table import BrandReference, DrugEntry, parse_drug_table_lines, read_drug_table
from hcpcs_desktop.data.errors import ReleaseError

UNIT, ROUTE, CODE = 190, 290, 350  # column positions, in points from the margin


def row(name: str, unit: str = "", route: str = "", codes: str = "", indent: float = 0) -> list:
    return [(indent, name), (UNIT, unit), (ROUTE, route), (CODE, codes)]


# Two pages of a made-up table laid out as CMS does: title, route legend, letter headings,
# rows, brand references, a nameless row, a head line with rows under it, wrapped cells.
PAGES = [
    [
        [(150, "2030 Table of Drugs")],
        "",
        "IV - Intravenous administration",
        "SC - Subcutaneous administration",
        "",
        "A",
        "",
        row("Abrafenib", "10 mg", "IV", "J9901"),
        "Acmevir, see Abrafenib",
        "Actolin,  see Brafotide sodium,",
        row("Adrenomab", "per single use vial", "IM, IV", "J9902, J9903"),
        row("", "over 5 vials", "IM", "J9904"),
        row("Albamycin,  concentrated form", "1 mg", "INH", "J9905-J9907"),
        row("Alpha  1- proteinase blocker", "", "OTH", "J9908"),
        [(140, "1")],
    ],
    [
        row("Amrinex (slow form)", "5 mg", "SC", "J9910"),
        row("(fast form)", "5 mg", "SC", "J9911", indent=12),
        "Antiserum",
        row("Brandex", "500 mg", "IV", "J9912", indent=12),
        row("Brandor", "100 mg", "SC", "J9913", indent=12),
        row("Anvirase, IVection (for", "per IU", "IV", "J9914, J9915,"),
        [(12, "trial use)"), (CODE, "J9916")],
        "B",
        "Bexol 20, see Bexarotide",
        "Bicarin, see Bexarotide Bicalex,",
        "see Bexarotide forte",
        [(140, "2")],
    ],
]

EXPECTED_DRUGS = [
    DrugEntry("Abrafenib", "10 mg", ("IV",), ("J9901",)),
    DrugEntry("Adrenomab", "per single use vial", ("IM", "IV"), ("J9902", "J9903")),
    DrugEntry("Adrenomab", "over 5 vials", ("IM",), ("J9904",)),
    DrugEntry("Albamycin, concentrated form", "1 mg", ("INH",), ("J9905", "J9906", "J9907")),
    DrugEntry("Alpha 1-proteinase blocker", "", ("OTH",), ("J9908",)),
    DrugEntry("Amrinex (slow form)", "5 mg", ("SC",), ("J9910",)),
    DrugEntry("Amrinex (fast form)", "5 mg", ("SC",), ("J9911",)),
    DrugEntry("Antiserum, Brandex", "500 mg", ("IV",), ("J9912",)),
    DrugEntry("Antiserum, Brandor", "100 mg", ("SC",), ("J9913",)),
    DrugEntry("Anvirase, IVection (for trial use)", "per IU", ("IV",), ("J9914", "J9915", "J9916")),
]
EXPECTED_BRANDS = [
    BrandReference("Acmevir", "Abrafenib"),
    BrandReference("Actolin", "Brafotide sodium"),
    BrandReference("Bexol 20", "Bexarotide"),
    BrandReference("Bicarin", "Bexarotide"),
    BrandReference("Bicalex", "Bexarotide forte"),
]


def as_lines(pages) -> list[str]:
    """The pages' lines as layout text: five points a character, cells at least two spaces apart."""
    lines = []
    for page in pages:
        for line in page:
            cells = [(0, line)] if isinstance(line, str) else [line] if isinstance(line, tuple) else line
            text = ""
            for x, cell in cells:
                if cell:
                    column = max(round(x / 5), len(text) + 2) if text else round(x / 5)
                    text = text.ljust(column) + cell
            lines.append(text)
    return lines


# Text logic -----------------------------------------------------------------------------------


def test_lines_give_drugs_and_brands():
    skipped: list[str] = []
    table = parse_drug_table_lines(as_lines(PAGES), skipped)
    assert table.drugs == EXPECTED_DRUGS
    assert table.brands == EXPECTED_BRANDS
    assert skipped == []


def test_columns_split_at_the_widest_gap():
    lines = [
        "Zeta  sulfate                 100  mg              J9920",
        "Zinc  solution,  sterile      up to 25 mg   IM, SC, IV   J9921",
        "Zorbatide                     1  mg          ORAL    J9922",
        "Zyloxin, not otherwise classified                   J9923",
        "Zymase 1 mcg IV J9924",
        "Zymogen  2 mg  Oral  J9925",
        "Zythrin   10 mg   epidural   J9926",
    ]
    assert parse_drug_table_lines(lines).drugs == [
        DrugEntry("Zeta sulfate", "100 mg", (), ("J9920",)),
        DrugEntry("Zinc solution, sterile", "up to 25 mg", ("IM", "SC", "IV"), ("J9921",)),
        DrugEntry("Zorbatide", "1 mg", ("ORAL",), ("J9922",)),
        DrugEntry("Zyloxin, not otherwise classified", "", (), ("J9923",)),
        DrugEntry("Zymase", "1 mcg", ("IV",), ("J9924",)),
        DrugEntry("Zymogen", "2 mg", ("ORAL",), ("J9925",)),
        DrugEntry("Zythrin", "10 mg", ("epidural",), ("J9926",)),
    ]


def test_a_word_past_the_codes_starts_the_next_line():
    lines = [
        "Octamab, IVection         1 mg          IM       J9930 25",
        "                          mcg           IV       J9931",
        "Other drugs, oral                                J9932 Other",
        "drugs, liquid                         ORAL       J9933",
    ]
    assert parse_drug_table_lines(lines).drugs == [
        DrugEntry("Octamab, IVection", "1 mg", ("IM",), ("J9930",)),
        DrugEntry("Octamab, IVection", "25 mcg", ("IV",), ("J9931",)),
        DrugEntry("Other drugs, oral", "", (), ("J9932",)),
        DrugEntry("Other drugs, liquid", "", ("ORAL",), ("J9933",)),
    ]


def test_wrapped_cells_and_head_lines():
    lines = [
        "Betazole acetate",
        " & betazole sodium              per 3 mg        IM       J9940",
        "Vitazine, phyto, mena,",
        "   menadiol sodium              per 1 mg        IM       J9941",
        "Gammacin (bovine                per vial        IV       J9942",
        "   purified)",
        "                                instillation",
        "Xeromab, also see Antiserum",
        "   anti-xero globulin, horse    250 mg          IV       J9943",
    ]
    assert parse_drug_table_lines(lines).drugs == [
        DrugEntry("Betazole acetate & betazole sodium", "per 3 mg", ("IM",), ("J9940",)),
        DrugEntry("Vitazine, phyto, mena, menadiol sodium", "per 1 mg", ("IM",), ("J9941",)),
        DrugEntry("Gammacin (bovine purified)", "per vial instillation", ("IV",), ("J9942",)),
        DrugEntry("anti-xero globulin, horse", "250 mg", ("IV",), ("J9943",)),
    ]


def test_references_run_together_are_split():
    lines = [
        "Norvil, see Orphanol citrate Norvex,",
        "see Thiolate maleate",
        "Valgen 10, see Estrol",
        "valerate Valgen 20, see",
        "Estrol valerate",
        "Heplok, see Heparol (lock flush) Hep-",
        "Lok U/P, see Heparol (lock flush)",
        "Nembix Solution,          see Pentanol sodium",
        "Cortix, see Cortinol    ORAL    J9950",
    ]
    skipped: list[str] = []
    assert parse_drug_table_lines(lines, skipped).brands == [
        BrandReference("Norvil", "Orphanol citrate"),
        BrandReference("Norvex", "Thiolate maleate"),
        BrandReference("Valgen 10", "Estrol valerate"),
        BrandReference("Valgen 20", "Estrol valerate"),
        BrandReference("Heplok", "Heparol (lock flush)"),
        BrandReference("Hep-Lok U/P", "Heparol (lock flush)"),
        BrandReference("Nembix Solution", "Pentanol sodium"),
        BrandReference("Cortix", "Cortinol"),
    ]
    assert skipped == ["Cortix, see Cortinol    ORAL    J9950"]  # its codes are not taken


def test_column_titles_page_numbers_and_headings_are_dropped():
    lines = ["Drug Name        Unit Per      Route     Code", "A", "Abrafenib   10 mg   IV   J9901", "  12  "]
    table = parse_drug_table_lines(lines)
    assert table.drugs == [DrugEntry("Abrafenib", "10 mg", ("IV",), ("J9901",))]


def test_lines_that_cannot_be_placed_are_reported():
    skipped: list[str] = []
    lines = ["                          5 mg     IV     J9960", "Lonely head", "Kylemab              19.5 mg"]
    assert parse_drug_table_lines(lines, skipped).drugs == []
    assert skipped == ["5 mg     IV     J9960", "Lonely head", "Kylemab              19.5 mg"]


def test_index_lines_are_not_rows():
    assert parse_drug_table_lines(["Gizmo, padded, E9001", "Widget, E9002"]).drugs == []


def test_parsing_lines_does_not_need_pypdf(monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdf", None)  # any import of pypdf now fails
    assert parse_drug_table_lines(["Abrafenib   10 mg   IV   J9901"]).drugs


# PDF files ------------------------------------------------------------------------------------


def test_pdf_gives_the_same_drugs_and_brands_as_its_lines(tmp_path):
    skipped: list[str] = []
    table = read_drug_table(write_pdf(tmp_path / "drugs.pdf", PAGES), skipped)
    assert table.drugs == EXPECTED_DRUGS
    assert table.brands == EXPECTED_BRANDS
    assert skipped == []


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("drugs.txt", b"Abrafenib   10 mg   IV   J9901\n", "not a PDF file"),
        ("empty.pdf", b"", "not a PDF file"),
        ("cut.pdf", pdf_bytes(PAGES)[:-40], "truncated"),
        ("bad.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n", "damaged"),
        ("prose.pdf", pdf_bytes([["A letter to a friend", "about nothing at all."]]), "no drug rows"),
        ("index.pdf", pdf_bytes([["A", "Gizmo, padded, E9001", "Widget, E9002, E9003"]]), "no drug rows"),
    ],
)
def test_broken_or_foreign_files_are_release_errors(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReleaseError) as error:
        read_drug_table(path)
    assert error.value.file == name
    assert problem in error.value.problem


# The real 2019 Table of Drugs -----------------------------------------------------------------

DRUGS_2019 = "2019-jan/2019-Table-of-Drugs.pdf"


@pytest.fixture(scope="module")
def drugs_2019(releases_dir):
    """(table, skipped lines) of the real 2019 Table of Drugs."""
    path = real_file(releases_dir, DRUGS_2019)
    skipped: list[str] = []
    table = read_drug_table(path, skipped)
    return table, skipped


def test_real_table_counts(drugs_2019):
    table, skipped = drugs_2019
    assert 740 <= len(table.drugs) <= 800
    assert 680 <= len(table.brands) <= 740
    assert len(skipped) <= 6


def test_real_table_well_known_rows(drugs_2019):
    drugs = drugs_2019[0].drugs
    assert DrugEntry("Adalimumab", "20 mg", ("SC",), ("J0135",)) in drugs
    assert DrugEntry("Albuterol, concentrated form", "1 mg", ("INH",), ("J7610", "J7611")) in drugs
    assert DrugEntry("Aldesleukin", "per single use vial", ("IM", "IV"), ("J9015",)) in drugs
    assert DrugEntry("Acetylcysteine, IVection", "100 mg", ("IV",), ("J0132",)) in drugs  # typo kept
    # a row with no name belongs to the drug above it
    assert DrugEntry("Buprenorphine/Naloxone", "<=3 mg", ("ORAL",), ("J0572",)) in drugs
    # a head line and the rows under it
    assert DrugEntry("Immune globulin, Bivigam", "500 mg", ("IV",), ("J1556",)) in drugs


def test_real_table_well_known_brands(drugs_2019):
    brands = drugs_2019[0].brands
    assert BrandReference("Lovenox", "Enoxaparin sodium") in brands
    assert BrandReference("Adriamycin PFS", "Doxorubicin HCl") in brands
    assert not [b for b in brands if " see " in f" {b.brand} {b.generic} ".lower()]
