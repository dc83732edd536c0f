"""Code numbers named in descriptions, and the codes that refer to a code."""

from __future__ import annotations

import pytest

from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.references import BY_CROSS_REFERENCE, BY_DESCRIPTION, mentions, referring_codes, related
from release_files import SAMPLE_RECORDS, record, write_txt


@pytest.mark.parametrize("text, found", [
    ("Monthly supplies for use of device coded at e0733", ["E0733"]),
    ("includes h1001-h1004, see also E0100 to E0105", ["H1001-H1004", "E0100-E0105"]),
    ("codes E0100 – E0105", ["E0100-E0105"]),
    ("from A4206-B4150", ["A4206", "B4150"]),  # not a range: two sections
    ("cpt 99358 and 0159T, modifier KX, E01000, XE0100", []),
])
def test_mentions(text, found):
    assert [m.text for m in mentions(text)] == found
    for mention in mentions(text):
        assert text[mention.start:mention.end].upper().startswith(mention.low)


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("references")
    records = [*SAMPLE_RECORDS,
               record("A4541", "Supplies for the cane coded at e0100, not e0100 itself", "Cane supplies"),
               record("H1005", "Package (includes e0100-e0105)", "Package", cross_reference_1="E0100"),
               record("E0999", "Names itself, e0999, and nothing else", "Self")]
    db = folder / "hcpcs.sqlite"
    build_database(write_txt(folder / "HCPC2030_JAN_ANWEB.txt", records), db)
    connection = open_database(db)
    yield connection
    connection.close()


def test_codes_that_refer_by_cross_reference_and_by_description(conn):
    assert [(r.code, r.how) for r in referring_codes(conn, "E0100")] == [
        ("A4541", BY_DESCRIPTION), ("H1005", BY_CROSS_REFERENCE)]
    assert [(r.code, r.how) for r in referring_codes(conn, "E0101")] == [("H1005", BY_DESCRIPTION)]
    terminated = referring_codes(conn, "G0306")
    assert [(r.code, r.status, r.short_description) for r in terminated] == [
        ("G0001", "terminated", "Routine venous blood draw")]
    assert referring_codes(conn, "E0999") == []  # naming itself is no reference
    assert referring_codes(conn, "S9353") == []


def test_related_names_the_codes_a_record_names(conn):
    page = related(conn, "G0001")
    assert page.named == {"G0306": "Cbc w/ auto diff & platelets", "G0476": "Resp nucleic acid panel"}
    assert related(conn, "A4541").named == {"E0100": "Cane adjustable/fixed w/ tip"}
    assert related(conn, "NOPE").named == {}
