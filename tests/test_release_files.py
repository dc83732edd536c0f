"""The synthetic release files follow the CMS formats."""

from __future__ import annotations

import re
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from hcpcs_desktop.data.fields import CONTINUATION_OF, FIELDS, FIELDS_BY_KEY, RECORD_WIDTH
from release_files import (
    BOMB_SIZE,
    control_character_lines,
    cut_inside_continuation,
    line_ends,
    missing_continuation_lines,
    renumbered_first_line,
    shifted_lines,
    write_raw_zip,
    write_zeros,
    DISCLAIMER,
    SAMPLE_RECORDS,
    XLSX_DISCLAIMER,
    duplicate_lines,
    fixed_width_lines,
    layout_text,
    notes_text,
    orphan_continuation_lines,
    record,
    split_long_description,
    truncated_lines,
    txt_bytes,
    write_layout,
    write_notes,
    write_txt,
    write_undecodable_txt,
    write_xlsx,
    write_zip,
    write_zip_bomb,
    write_zip_slip,
    wrong_width_lines,
)

BY_CODE = {rec["code"]: rec for rec in SAMPLE_RECORDS}
KEY_OF_HEADER = {field.xlsx: field.key for field in FIELDS}


def lines_by_code(lines):
    grouped: dict[str, list[str]] = {}
    for line in lines:
        grouped.setdefault(line[:5].strip(), []).append(line)
    return grouped


def read_sheet(path):
    return CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()


def test_record_defaults():
    procedure = record("A0001", "Long words", "Short")
    assert procedure["record_id"] == "3" and procedure["sequence_number"] == "00100"
    assert (procedure["pricing_indicator_1"], procedure["multiple_pricing_indicator"], procedure["coverage"],
            procedure["betos"], procedure["type_of_service_1"], procedure["anesthesia_base_units"]) == (
        "00", "9", "I", "Z2", "9", "0")
    assert procedure["added_date"] == procedure["action_effective_date"] == "20020101"
    assert procedure["action_code"] == "N" and procedure["termination_date"] == ""
    assert set(procedure) == set(FIELDS_BY_KEY)
    modifier = record("XY", "Long", "Short", added_date="19990101")
    assert modifier["record_id"] == "7" and modifier["action_effective_date"] == "19990101"
    assert modifier["pricing_indicator_1"] == modifier["anesthesia_base_units"] == ""
    with pytest.raises(TypeError):
        record("A0001", "Long", "Short", pricing="00")


def test_sample_records_cover_the_cases_tests_need():
    codes = [rec["code"] for rec in SAMPLE_RECORDS]
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes, key=lambda code: code.rjust(5))  # CMS order: modifiers first
    assert {"GA", "RT", "25"} <= set(codes)
    assert {code[0] for code in codes if len(code) == 5} >= set("AEGJLS")
    assert [c for c in codes if "E0100" <= c <= "E0105"] == ["E0100", "E0101", "E0105"]
    lines = lines_by_code(fixed_width_lines(SAMPLE_RECORDS))
    assert max(len(group) for group in lines.values()) >= 3
    assert [line[10] for line in lines["GA"]] == ["7", "8"]
    assert any(rec["termination_date"] and rec["action_code"] == "D" for rec in SAMPLE_RECORDS)
    assert any(rec["cross_reference_2"] for rec in SAMPLE_RECORDS)
    assert len({rec["pricing_indicator_1"] for rec in SAMPLE_RECORDS}) >= 5
    assert any(rec["lab_certification_2"] for rec in SAMPLE_RECORDS)
    words = " ".join(rec["long_description"] for rec in SAMPLE_RECORDS)
    for word in ("catheter", "catheters", "battery", "batteries"):
        assert re.search(rf"\b{word}\b", words)
    shorts = " ".join(rec["short_description"] for rec in SAMPLE_RECORDS)
    for abbreviation in ("w/", "w/o", "Hit", "o2"):
        assert re.search(rf"(^|\s){re.escape(abbreviation)}(\s|$)", shorts)
    s9353 = BY_CODE["S9353"]
    assert s9353["short_description"] == "Hit cont insulin diem" and s9353["processing_note"] == "0088"
    assert "home infusion therapy" in s9353["long_description"].lower()
    assert "insulin" in s9353["long_description"]


@pytest.mark.parametrize("cut", [False, True])
def test_first_lines_are_320_columns_continuations_padded_or_cut(cut):
    for line in fixed_width_lines(SAMPLE_RECORDS, cut_continuations=cut):
        if line[10] in CONTINUATION_OF:
            assert len(line) == (91 if cut else RECORD_WIDTH)
            assert line[91:].strip() == ""
        else:
            assert len(line) == RECORD_WIDTH


def test_fields_round_trip_when_sliced():
    for code, lines in lines_by_code(fixed_width_lines(SAMPLE_RECORDS)).items():
        rec = BY_CODE[code]
        first = lines[0]
        for field in FIELDS:
            if field.key != "long_description":
                assert first[field.start - 1 : field.end].strip() == rec[field.key], (code, field.key)
        assert first[:5] == code.rjust(5)
        if rec["anesthesia_base_units"]:
            assert first[265:268] == rec["anesthesia_base_units"].rjust(3)


def test_long_description_pieces_sequence_numbers_and_record_ids():
    for code, lines in lines_by_code(fixed_width_lines(SAMPLE_RECORDS)).items():
        rec = BY_CODE[code]
        pieces = [line[11:91].rstrip() for line in lines]
        assert " ".join(pieces) == rec["long_description"]
        assert all(len(piece) <= 79 for piece in pieces[:-1])
        assert [line[5:10] for line in lines] == [f"{n:03d}00" for n in range(1, len(lines) + 1)]
        continuation = {"3": "4", "7": "8"}[rec["record_id"]]
        assert [line[10] for line in lines] == [rec["record_id"]] + [continuation] * (len(lines) - 1)


def test_split_breaks_at_the_last_blank_and_lets_the_final_piece_fill_80():
    eighty = "word " * 15 + "abcde"
    assert len(eighty) == 80 and split_long_description(eighty) == [eighty]
    longer = "word " * 16 + "x"
    assert split_long_description(longer) == ["word " * 15 + "word", "x"]
    with pytest.raises(ValueError):
        split_long_description("x" * 81)


def test_txt_is_cp1252_with_crlf_and_a_disclaimer(tmp_path):
    path = write_txt(tmp_path / "HCPC_TEST_ANWEB.txt", SAMPLE_RECORDS)
    data = path.read_bytes()
    assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n")
    assert b"\x92" in data.split(b"\r\n", 1)[0]
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    lines = data.decode("cp1252").split("\r\n")[:-1]
    assert lines[: len(DISCLAIMER)] == DISCLAIMER
    assert lines[len(DISCLAIMER) :] == fixed_width_lines(SAMPLE_RECORDS)
    bare = txt_bytes(SAMPLE_RECORDS, disclaimer=False, cut_continuations=True).decode("cp1252")
    assert bare.split("\r\n")[:-1] == fixed_width_lines(SAMPLE_RECORDS, cut_continuations=True)


def test_hand_made_lines_replace_the_records(tmp_path):
    path = write_txt(tmp_path / "x_ANWEB.txt", [], disclaimer=False, lines=["one", "two"])
    assert path.read_bytes() == b"one\r\ntwo\r\n"


def test_broken_variants():
    normal = fixed_width_lines(SAMPLE_RECORDS)
    truncated = truncated_lines(SAMPLE_RECORDS)
    assert len(truncated[-1]) == 200 and truncated[-1][:5] == SAMPLE_RECORDS[-1]["code"]
    assert truncated[:-1] == fixed_width_lines(SAMPLE_RECORDS[:-1])

    wrong = wrong_width_lines(SAMPLE_RECORDS)
    assert [len(line) for line in wrong].count(150) == 1 and len(wrong) == len(normal)

    duplicated = [line[:5] for line in duplicate_lines(SAMPLE_RECORDS) if line[10] in "37"]
    assert duplicated[0] == duplicated[1]

    orphaned = orphan_continuation_lines(SAMPLE_RECORDS)
    assert len(orphaned) == len(normal) - 1
    first_lines = {line[:5] for line in orphaned if line[10] in "37"}
    orphans = [line for line in orphaned if line[10] in CONTINUATION_OF and line[:5] not in first_lines]
    assert orphans and all(line[10] == "4" for line in orphans)


def test_undecodable_byte_sits_in_a_record(tmp_path):
    data = write_undecodable_txt(tmp_path / "bad_ANWEB.txt", SAMPLE_RECORDS).read_bytes()
    lines = data.split(b"\r\n")
    bad = [number for number, line in enumerate(lines) if b"\x81" in line]
    assert bad == [len(DISCLAIMER)]
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp1252")


@pytest.mark.parametrize("header_row", [1, 8, 10])
def test_xlsx_header_row_and_cells(tmp_path, header_row):
    rows = read_sheet(write_xlsx(tmp_path / "HCPC_TEST_ANWEB.xlsx", SAMPLE_RECORDS, header_row=header_row))
    assert rows[header_row - 1] == [field.xlsx for field in FIELDS]
    assert len(rows[header_row - 1]) == 48
    if header_row > 1:
        assert rows[0][0] == XLSX_DISCLAIMER[0]
        assert all(not any(row[1:]) for row in rows[: header_row - 1])
    data = [dict(zip(rows[header_row - 1], row)) for row in rows[header_row:]]
    assert len(data) == len(SAMPLE_RECORDS)
    assert all(isinstance(cell, str) for row in data for cell in row.values())
    for row, rec in zip(data, SAMPLE_RECORDS):
        assert row["HCPC"] == rec["code"].rjust(5)
        assert row["SEQNUM"] == "0010"
        assert row["LONG DESCRIPTION"] == rec["long_description"]
        assert row["ANEST_BU"] == ("" if rec["record_id"] == "7" else rec["anesthesia_base_units"].rjust(3))
        assert row["ADD DT"] == rec["added_date"] and row["TOS1"] == rec["type_of_service_1"]
    by_code = {row["HCPC"]: row for row in data}
    assert by_code["   GA"]["RECID"] == "7" and by_code["   25"]["HCPC"] == "   25"
    assert by_code["S9353"]["ANEST_BU"] == "  0"


def test_xlsx_numbers_stray_continuation_and_missing_column(tmp_path):
    rows = read_sheet(write_xlsx(tmp_path / "n_ANWEB.xlsx", SAMPLE_RECORDS, numbers=True))
    data = [dict(zip(rows[0], row)) for row in rows[1:]]
    numeric = [(header, row["HCPC"].strip(), cell) for row in data for header, cell in row.items()
               if not isinstance(cell, str)]
    assert {"TOS1", "ADD DT"} <= {header for header, _, _ in numeric}
    for header, code, cell in numeric:
        assert cell == float(BY_CODE[code][KEY_OF_HEADER[header]])
    assert any(isinstance(row["ADD DT"], str) for row in data)  # only some rows, as in CMS's workbook

    rows = read_sheet(write_xlsx(tmp_path / "s_ANWEB.xlsx", SAMPLE_RECORDS, stray_continuation=True))
    data = [dict(zip(rows[0], row)) for row in rows[1:]]
    stray = [index for index, row in enumerate(data) if row["RECID"] == "4"]
    assert len(stray) == 1 and len(data) == len(SAMPLE_RECORDS) + 1
    main, extra = data[stray[0] - 1], data[stray[0]]
    assert (extra["HCPC"], extra["SEQNUM"]) == (main["HCPC"], "0020")
    assert not any(value for key, value in extra.items() if key not in ("HCPC", "SEQNUM", "RECID", "LONG DESCRIPTION"))
    assert f"{main['LONG DESCRIPTION']} {extra['LONG DESCRIPTION']}" == BY_CODE[main["HCPC"]]["long_description"]

    rows = read_sheet(write_xlsx(tmp_path / "m_ANWEB.xlsx", SAMPLE_RECORDS, omit_column="PRICE1"))
    assert len(rows[0]) == 47 and "PRICE1" not in rows[0]


def test_zip_members_and_zip_slip(tmp_path):
    source = tmp_path / "notes.txt"
    source.write_bytes(b"abc")
    path = write_zip(tmp_path / "release.zip", {"a/HCPC_ANWEB.txt": b"123", "proc_notes.txt": source})
    with zipfile.ZipFile(path) as archive:
        assert archive.read("a/HCPC_ANWEB.txt") == b"123" and archive.read("proc_notes.txt") == b"abc"
    for member in ("../evil.txt", "/tmp/evil.txt"):
        with zipfile.ZipFile(write_zip_slip(tmp_path / "slip.zip", member)) as archive:
            assert archive.namelist() == ["HCPC_SAMPLE_ANWEB.txt", member]


def test_zip_bomb_is_small_on_disk_and_inflates_to_its_claimed_size(tmp_path):
    path = write_zip_bomb(tmp_path / "bomb.zip")
    assert path.stat().st_size < 300_000
    with zipfile.ZipFile(path) as archive:
        (info,) = archive.infolist()
        assert info.file_size == BOMB_SIZE and info.file_size / info.compress_size > 500
        total = 0
        with archive.open(info) as stream:  # zipfile checks the CRC at the end
            while chunk := stream.read(2**24):
                total += len(chunk)
                assert chunk.count(0) == len(chunk)
        assert total == BOMB_SIZE


def parse_layout(text: str):
    """Numbered fields (with LENGTH/BEG/END and codes) and appendix tables."""
    fields, tables, current = {}, {}, None
    lines = text.split("\r\n")
    for index, raw in enumerate(lines):
        line = raw.expandtabs(8)
        if title := re.match(r"^  (\d+)\.\s+(\S.*?)\s*$", line):
            numbers = lines[index + 1]
            assert re.match(r"^ +\d+ +\d+ +\d+( {4}[A-Z]+)?$", numbers)
            length, beg, end = (int(numbers[a:b]) for a, b in ((0, 34), (34, 41), (41, 48)))
            current = fields[int(title[1])] = {"length": length, "beg": beg, "end": end, "codes": {}, "text": []}
        elif table := re.match(r"^ (\w+_TB) ", line):
            current = tables[table[1]] = {"codes": {}, "text": []}
        elif current is not None:
            current["text"].append(line.strip())
            if code := re.match(r"^\s+([0-9A-Z]{1,3})\s*= (.+)$", line):
                current["codes"][code[1]] = code[2]
    return fields, tables


def test_layout_structure_matches_fields(tmp_path):
    data = write_layout(tmp_path / "HCPC_recordlayout.txt").read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    text = data.decode("ascii")
    assert text == layout_text()
    assert re.search(r"NAME +LENGTH +BEG +END +CONTENTS", text)
    fields, tables = parse_layout(text)
    assert sorted(fields) == list(range(1, 32))
    for field in FIELDS:
        first = min((f for f in FIELDS if f.layout_number == field.layout_number), key=lambda f: f.start)
        entry = fields[field.layout_number]
        assert (entry["beg"], entry["end"]) == (first.start, first.end), field.key
        assert entry["length"] == field.end - field.start + 1
    assert fields[31]["end"] == RECORD_WIDTH and set(tables) == {"BETOS_TB", "CMS_TYPE_SRVC_TB"}
    assert fields[16]["codes"]["I"] == "Not payable by Medicare"
    assert fields[30]["codes"]["N"] == "No maintenance for this code"
    assert fields[9]["codes"]["00"] == "Service not separately priced by part B"
    assert tables["BETOS_TB"]["codes"]["Z2"] == "Undefined codes"
    assert tables["CMS_TYPE_SRVC_TB"]["codes"]["9"] == "Other medical items or services"
    assert "CODE: YY" in fields[17]["text"]
    for number in (27, 28, 29):
        assert "YYYYMMDD" in fields[number]["text"]


def test_layout_documents_every_code_the_samples_use():
    fields, tables = parse_layout(layout_text())
    assert set(fields[6]["codes"]) == {"3", "4", "7", "8"}
    where = {"betos": tables["BETOS_TB"], "type_of_service": tables["CMS_TYPE_SRVC_TB"]}
    for rec in SAMPLE_RECORDS:
        for field in FIELDS:
            value = rec[field.key]
            if field.kind != "code" or not value or field.table in ("processing_note", "asc_group"):
                continue
            codes = where.get(field.table, fields[field.layout_number])["codes"]
            assert value in codes, (rec["code"], field.key, value)
        assert rec["asc_group"] in ("", "YY")


def test_layout_tabs_expand_to_the_text_columns():
    tabbed = [line for line in layout_text().split("\r\n") if "\t" in line]
    assert len(tabbed) >= 3
    for line in tabbed:
        expanded = line.expandtabs(8)
        assert len(expanded) - len(expanded.lstrip()) in (52, 55)


def test_notes_blocks(tmp_path):
    data = write_notes(tmp_path / "proc_notes_TEST.txt").read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    text = data.decode("ascii")
    assert text == notes_text() and "PROCESSING NOTES" in text.split("\r\n")[0]
    numbers = re.findall(r"^\s+(\d{4})--", text, flags=re.MULTILINE)
    assert numbers == sorted(numbers) and len(numbers) >= 4
    assert {rec["processing_note"] for rec in SAMPLE_RECORDS} - {""} <= set(numbers)
    starred = [line.expandtabs(8) for line in text.split("\r\n") if "*" in line]
    assert starred and all(line.rstrip().index("*") == 91 and line.rstrip().endswith("*") for line in starred)
    assert any("\t" in line for line in text.split("\r\n") if "--" in line)


def test_incomplete_and_damaged_variants():
    normal = fixed_width_lines(SAMPLE_RECORDS)
    missing = missing_continuation_lines(SAMPLE_RECORDS)
    assert len(missing) == len(normal) - 1
    assert [line for line in normal if line not in missing][0][5:10] == "00300"

    for first_line, column in ((False, 100), (True, 300)):
        shifted = shifted_lines(SAMPLE_RECORDS, first_line=first_line)
        (changed,) = [line for line, was in zip(shifted, normal) if line != was]
        assert changed[column - 1] == "X" and len(changed) == RECORD_WIDTH
        assert changed[10] in (("3", "7") if first_line else tuple(CONTINUATION_OF))

    renumbered = renumbered_first_line(SAMPLE_RECORDS)
    (changed,) = [line for line, was in zip(renumbered, normal) if line != was]
    assert changed[5:10] == "00200" and changed[10] in "37"

    (changed,) = [line for line, was in zip(control_character_lines(SAMPLE_RECORDS, "\x00", 30), normal) if line != was]
    assert changed.index("\x00") == 29 and len(changed) == RECORD_WIDTH


@pytest.mark.parametrize("cut", [False, True])
def test_cut_inside_continuation_stops_inside_the_last_line(cut):
    whole = txt_bytes(SAMPLE_RECORDS, cut_continuations=cut)
    data = cut_inside_continuation(SAMPLE_RECORDS, 60, cut_continuations=cut)
    assert whole.startswith(data) and not data.endswith(b"\n")
    last = data.split(b"\r\n")[-1]
    assert len(last) == 60 and last[10:11] == b"4" and last[:5] == SAMPLE_RECORDS[-1]["code"].encode()
    assert line_ends(b"ab\r\ncd\r\n") == {4, 8}


def test_zeros_are_sparse_and_a_raw_zip_claims_what_it_is_told(tmp_path):
    path = write_zeros(tmp_path / "big.txt", 2**30)
    assert path.stat().st_size == 2**30 and path.stat().st_blocks * 512 < 2**20
    zipped = write_raw_zip(tmp_path / "raw.zip", {"a.txt": b"hello\r\n", "b.prn": 3 * 2**20})
    assert zipped.stat().st_size < 20_000
    with zipfile.ZipFile(zipped) as archive:
        assert archive.read("a.txt") == b"hello\r\n" and archive.read("b.prn") == bytes(3 * 2**20)
        assert [info.file_size for info in archive.infolist()] == [7, 3 * 2**20]


def test_xlsx_cells_replace_values_and_escape_control_characters(tmp_path):
    path = write_xlsx(tmp_path / "c_ANWEB.xlsx", SAMPLE_RECORDS, cells={("GA", "SEQNUM"): "00A0",
                                                                     ("E0100", "LONG DESCRIPTION"): "Cane\x00 tip"})
    data = {row[0].strip(): dict(zip(read_sheet(path)[0], row)) for row in read_sheet(path)[1:]}
    assert data["GA"]["SEQNUM"] == "00A0" and data["E0100"]["LONG DESCRIPTION"] == "Cane\x00 tip"
