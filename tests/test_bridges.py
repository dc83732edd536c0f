"""The vocabulary bridges: coder words tied to the codes of a release, kept in the database.

Records and drug names here are invented; the real sources (the drug dictionary and
CMS's 2019 PDFs) are exercised by tests/test_real_release.py.
"""

from __future__ import annotations

import sqlite3

import pytest

from hcpcs_desktop.data.bridges import BridgeSources, Bridges, code_terms, same_meaning
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.errors import ReleaseError
from hcpcs_desktop.search import SearchEngine
from pdf_files import write_pdf
from release_files import record, write_txt

RECORDS = [
    record("J1650", "Injection, examparin sodium, 10 mg", "Inj examparin sodium"),
    record("J2312", "Injection, nalotrexone hydrochloride, not otherwise specified, 0.01 mg", "Inj nalotrexone nos"),
    record("J2310", "Injection, nalotrexone hydrochloride, per 1 mg", "Inj nalotrexone",
           termination_date="20241231"),
    record("G2215", "Take-home supply of nasal nalotrexone, per kit", "Home supply nalotrexone"),
    record("E0130", "Walker, rigid (pickup), adjustable or fixed height", "Walker rigid adjust/fixed ht"),
    record("J3245", "Injection, tildracumab, 1 mg", "Inj tildracumab"),
]
# As the build hands them to the bridges: with kind, section and status.
BUILT = [dict(rec, kind="procedure", section=rec["code"][0], status="terminated" if rec["termination_date"] else "active")
         for rec in RECORDS]

BRAND = {"name": "Examox", "generic": "Examparin sodium", "kind": "brand", "source": "cms drug table"}


def terms_of(rows, code):
    return {(r["term"], r["source"], r["via"]) for r in rows if r["code"] == code}


def test_a_brand_name_is_tied_to_every_drug_code_naming_its_generic():
    rows = code_terms(Bridges(brand_names=[BRAND]), BUILT)
    assert terms_of(rows, "J1650") == {("examox", "brand", "examparin sodium")}


def test_salts_written_differently_do_not_hide_the_generic():
    brand = {"name": "Nalocan", "generic": "Nalotrexone HCl", "kind": "brand", "source": "cms drug table"}
    rows = code_terms(Bridges(brand_names=[brand]), BUILT)
    assert {r["code"] for r in rows} == {"J2312", "J2310"}  # the take-home kit gives no dose: no drug code


def test_a_name_from_the_drug_dictionary_keeps_its_kind():
    name = {"name": "Examix", "generic": "examparin", "kind": "drug name", "source": "drug dictionary"}
    assert terms_of(code_terms(Bridges(brand_names=[name]), BUILT), "J1650") == {("examix", "drug name", "examparin")}


def test_an_index_term_is_tied_only_while_the_code_means_what_it_meant_then():
    index = [
        {"term": "Walker rigid", "via": "Walker › rigid", "code": "E0130", "source": "cms index",
         "described_as": "Walker, rigid (pickup), adjustable or fixed height"},
        {"term": "Tirofiban", "via": "Tirofiban", "code": "J3245", "source": "cms index",
         "described_as": "Injection, tirofiban hydrochloride, 0.25 mg"},
    ]
    rows = code_terms(Bridges(index_terms=index), BUILT)
    assert terms_of(rows, "E0130") == {("Walker rigid", "cms index", "Walker › rigid")}
    assert terms_of(rows, "J3245") == set()  # CMS reused the code for another drug


@pytest.mark.parametrize(("then", "now", "same"), [
    ("Injection, tirofiban hydrochloride, 0.25 mg", "Injection, tildrakizumab, 1 mg", False),
    ("Walker, rigid (pickup), adjustable or fixed height", "Walker, rigid (pickup), adjustable or fixed height", True),
    ("Cane, includes canes of all materials", "Cane, includes canes of all materials, adjustable or fixed, with tip",
     True),
    ("Oxygen concentrator, single delivery port", "Oxygen concentrator, single delivery port, capable of 85 percent",
     True),
    ("", "Anything", False),
])
def test_same_meaning(then, now, same):
    assert same_meaning(then, now) is same


@pytest.fixture(scope="module")
def bridged(tmp_path_factory):
    """A database whose bridge tables hold a brand name and an index term, as a full build would leave them."""
    folder = tmp_path_factory.mktemp("bridged")
    db = build_database(write_txt(folder / "HCPC2030_JAN_ANWEB.txt", RECORDS), folder / "first.sqlite").db_path
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO brand_names VALUES ('Examox', 'Examparin sodium', 'brand', 'cms drug table')")
        conn.execute("INSERT INTO index_terms VALUES ('Walker pickup', 'Walker › pickup', 'E0130', "
                     "'Walker, rigid (pickup), adjustable or fixed height', 'cms index')")
    conn.close()
    return folder, db


def test_a_later_build_without_the_sources_takes_the_bridges_of_the_database_it_replaces(bridged):
    folder, first = bridged
    later = folder / "HCPC2030_APR_ANWEB.txt"
    write_txt(later, RECORDS)
    report = build_database(later, folder / "second.sqlite", bridges=BridgeSources(previous=first))
    assert report.bridges["brand_names"] == 1 and report.bridges["index_terms"] == 1
    engine = SearchEngine(open_database(report.db_path))
    (hit,) = engine.search("examox").hits
    assert (hit.code, hit.reason) == ("J1650", "examox → examparin sodium (brand name)")
    assert engine.search("walker pickup").hits[0].code == "E0130"


def test_a_build_without_sources_or_previous_database_still_has_abbreviations_and_synonyms(bridged):
    folder, first = bridged
    conn = open_database(first)
    assert conn.execute("SELECT count(*) FROM synonyms").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM abbreviations WHERE source = 'reviewed'").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM brand_names").fetchone()[0] == 1  # only what the test put there


def test_a_damaged_previous_database_gives_no_bridges_and_no_error(tmp_path):
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"not a database at all" * 100)
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    report = build_database(release, tmp_path / "out.sqlite", bridges=BridgeSources(previous=damaged))
    assert report.bridges["brand_names"] == 0 and report.bridges["index_terms"] == 0


def test_the_previous_database_is_read_without_writing_beside_it(bridged, tmp_path):
    import shutil

    _, first = bridged
    previous = shutil.copy(first, tmp_path / "previous.sqlite")
    conn = sqlite3.connect(previous)
    conn.execute("PRAGMA journal_mode = WAL")  # as a database copied from elsewhere may be
    conn.close()
    release = write_txt(tmp_path / "HCPC2030_APR_ANWEB.txt", RECORDS)
    report = build_database(release, tmp_path / "out.sqlite", bridges=BridgeSources(previous=previous))
    assert report.bridges["brand_names"] == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("previous")) == ["previous.sqlite"]


# The CMS PDFs, read in a process of their own ---------------------------------------------------


def pdf_folder(tmp_path, index_lines):
    """A folder of an index PDF beside the release of its own year."""
    folder = tmp_path / "2029-jan"
    folder.mkdir()
    write_txt(folder / "HCPC2029_JAN_ANWEB.txt", RECORDS)
    return write_pdf(folder / "2029-HCPCS-Index.pdf", [["Z", *index_lines]])


def test_index_terms_of_a_pdf_are_searchable_and_say_where_they_come_from(tmp_path):
    index = pdf_folder(tmp_path, ["Zimmer frame, E0130", "Tirofiban, J3245"])
    later = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    report = build_database(later, tmp_path / "hcpcs.sqlite", bridges=BridgeSources(index=index))
    assert report.bridges["index_terms"] == 2
    engine = SearchEngine(open_database(report.db_path))
    (hit,) = engine.search("zimmer frame").hits
    assert (hit.code, hit.reason) == ("E0130", "CMS Index: Zimmer frame")


def test_a_damaged_pdf_asked_for_by_name_stops_the_build_with_one_message_and_changes_nothing(tmp_path):
    index = pdf_folder(tmp_path, ["Zimmer frame, E0130"])
    index.write_bytes(index.read_bytes()[:300])
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    target = tmp_path / "hcpcs.sqlite"
    target.write_bytes(b"the previous database")
    with pytest.raises(ReleaseError, match="2029-HCPCS-Index.pdf"):
        build_database(release, target, bridges=BridgeSources(index=index, pdfs_named=True))
    assert target.read_bytes() == b"the previous database"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_damaged_pdf_found_by_looking_is_left_out_with_a_warning_and_its_terms_kept(tmp_path, bridged):
    _, previous = bridged  # holds the index term "Walker pickup" for E0130
    index = pdf_folder(tmp_path, ["Zimmer frame, E0130"])
    index.write_bytes(b"%PDF-1.4 cut short")
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    report = build_database(release, tmp_path / "hcpcs.sqlite", bridges=BridgeSources(index=index, previous=previous))
    (warning,) = report.warnings
    assert "2029-HCPCS-Index.pdf" in warning
    assert report.bridges["index_terms"] == 1
    assert SearchEngine(open_database(report.db_path)).search("walker pickup").hits[0].code == "E0130"


def test_a_pdf_without_its_release_beside_it_says_so(tmp_path):
    (tmp_path / "pdfs").mkdir()
    lone = write_pdf(tmp_path / "pdfs" / "2029-HCPCS-Index.pdf", [["Z", "Zimmer frame, E0130"]])
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    with pytest.raises(ReleaseError, match="needs the release of its own year beside it"):
        build_database(release, tmp_path / "out.sqlite", bridges=BridgeSources(index=lone, pdfs_named=True))


def test_an_index_range_holds_procedure_codes_not_modifiers(tmp_path):
    records = RECORDS + [record("E1", "Upper left, eyelid", "Upper left eyelid")]
    folder = tmp_path / "2029-jan"
    folder.mkdir()
    write_txt(folder / "HCPC2029_JAN_ANWEB.txt", records)
    index = write_pdf(folder / "2029-HCPCS-Index.pdf", [["Z", "Zimmer frames, E0100-E0199"]])
    report = build_database(write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", records), tmp_path / "out.sqlite",
                            bridges=BridgeSources(index=index))
    conn = open_database(report.db_path)
    assert [code for (code,) in conn.execute("SELECT code FROM code_terms")] == ["E0130"]


def test_build_db_without_the_sources_takes_the_bridges_of_the_database_in_use(tmp_path, bridged, monkeypatch):
    """As in the standalone executable: no drug dictionary, no PDF reader, a bundled database."""
    from hcpcs_desktop.cli import main
    from hcpcs_desktop.data import brand_names

    _, in_use = bridged
    monkeypatch.setattr(brand_names, "available", lambda: False)
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(in_use))
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    release = write_txt(tmp_path / "HCPC2030_JUL_ANWEB.txt", RECORDS)
    assert main(["build-db", str(release), "-o", str(tmp_path / "new.sqlite")]) == 0
    (hit,) = SearchEngine(open_database(tmp_path / "new.sqlite")).search("examox").hits
    assert hit.code == "J1650"
