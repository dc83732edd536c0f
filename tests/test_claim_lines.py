"""Reading claim lines as coders paste them: free text, delimited lines with and without a header,
NDCs as claims write them, and input that is no claim line at all."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hcpcs_desktop.claim_lines import MAX_LINE_CHARS, MAX_LINES, Column, _by_shape, read_lines


def one(text: str):
    lines = read_lines(text).lines
    assert len(lines) == 1, lines
    return lines[0]


def fields(line) -> tuple:
    return (line.code, line.modifiers, line.units, line.date, line.ndc, line.ndc_unit, line.ndc_quantity)


@pytest.mark.parametrize(("typed", "expected"), [
    ("E0601 RR KX x1 02/01/2026", ("E0601", ("RR", "KX"), "1", "02/01/2026", "", "", "")),
    ("E0601-RR-KX 1 2026-02-01", ("E0601", ("RR", "KX"), "1", "2026-02-01", "", "", "")),
    ("e0601rr x 2 020126", ("E0601", ("RR",), "2", "020126", "", "", "")),
    ("02/01/2026 E0601 NU 1", ("E0601", ("NU",), "1", "02/01/2026", "", "", "")),
    ("J1650 JZ 4 02/01/2026 N4 00075062040 ML0.4", ("J1650", ("JZ",), "4", "02/01/2026", "00075062040", "ML", "0.4")),
    ("J1650 4 02012026 N400075062040ML0.4", ("J1650", (), "4", "02012026", "00075062040", "ML", "0.4")),
    ("J1650 4 units 02/01/2026 NDC 00075-0620-40 UN 1", ("J1650", (), "4", "02/01/2026", "00075-0620-40", "UN", "1")),
    ("A4253 NU 50 02/01/2026", ("A4253", ("NU",), "50", "02/01/2026", "", "", "")),
    ("E0601 -RR 1 02/01/2026", ("E0601", ("RR",), "1", "02/01/2026", "", "", "")),
    ("J1650 -4 02/01/2026", ("J1650", (), "-4", "02/01/2026", "", "", "")),
])
def test_free_text_is_read_by_the_shape_of_each_field(typed, expected):
    assert fields(one(typed)) == expected


def test_a_two_digit_number_or_x1_after_the_code_is_a_modifier_only_when_units_follow():
    assert fields(one("J1650 25 4 02/01/2026"))[:3] == ("J1650", ("25",), "4")
    assert fields(one("J1650 25 02/01/2026"))[:3] == ("J1650", (), "25")
    assert fields(one("G0511 X1 2 02/01/2026"))[:3] == ("G0511", ("X1",), "2")
    assert fields(one("J1650 x4 02/01/2026"))[:3] == ("J1650", (), "4")


def test_a_from_through_line_keeps_both_dates():
    line = one("A4253 NU 2 02/01/2026 02/28/2026")
    assert (line.date, line.through) == ("02/01/2026", "02/28/2026")


def test_words_are_the_description_and_a_stray_token_is_unread():
    line = one("J3490 ozempic 0.25 mg 1 02/01/2026")
    assert (line.code, line.units, line.description, line.unread) == ("J3490", "1", "ozempic 0.25 mg", ())
    line = one("E0601 1 RR 02/01/2026")  # a modifier after the units is no modifier
    assert (line.modifiers, line.unread) == ((), ("RR",))
    assert one("12345 E0601 RR 1").unread == ("12345",)  # a HCPCS code wins over a CPT-shaped number
    assert one("E0601 RR 1 02/01/2026 E0431").unread == ("E0431",)  # one code a line


def test_a_cpt_code_is_read_as_the_code():
    assert fields(one("99213 25 1 02/01/26"))[:3] == ("99213", ("25",), "1")


def test_a_header_row_names_the_columns_and_others_are_passed_over():
    pasted = read_lines("HCPCS,Mod 1,Mod 2,Units,DOS,NDC,NDC Qty,NDC Unit,Charge\n"
                        "E0601,RR,KX,1,02/01/2026,,,,$150.00\n"
                        "J1650,JZ,,4,02/01/2026,00075-0620-40,0.4,ML,$20\n"
                        "\n"
                        "J1650,,,x2,02/01/2026,00075062040,UN1,,\n")
    assert pasted.header[:5] == (Column.CODE, Column.MODIFIER, Column.MODIFIER, Column.UNITS, Column.DATE)
    assert pasted.header[-1] is Column.OTHER
    assert [line.number for line in pasted.lines] == [2, 3, 5]
    assert [fields(line) for line in pasted.lines] == [
        ("E0601", ("RR", "KX"), "1", "02/01/2026", "", "", ""),
        ("J1650", ("JZ",), "4", "02/01/2026", "00075-0620-40", "ML", "0.4"),
        ("J1650", (), "2", "02/01/2026", "00075062040", "UN", "1"),
    ]
    assert pasted.lines[0].description == ""  # the charge column is passed over


def test_tab_separated_lines_with_empty_cells_and_a_description_column():
    pasted = read_lines("Code\tModifiers\tQty\tDate of service\tDescription\n"
                        "J3490\t\t1\t02/01/2026\tSemaglutide 0.25 mg\n"
                        "E0601\tRR KX\t1\t02/01/2026\t\n")
    assert [(l.code, l.modifiers, l.units, l.description) for l in pasted.lines] == [
        ("J3490", (), "1", "Semaglutide 0.25 mg"), ("E0601", ("RR", "KX"), "1", "")]


def test_without_a_header_delimited_lines_are_read_by_shape():
    assert fields(one("E0601\tRR\t\t1\t02/01/2026")) == ("E0601", ("RR",), "1", "02/01/2026", "", "", "")
    assert fields(one("E0601,RR,,1,02/01/2026")) == ("E0601", ("RR",), "1", "02/01/2026", "", "", "")


def test_what_a_header_column_holds_is_kept_as_written_for_the_checks_to_judge():
    line = read_lines("HCPCS,Units,DOS,Modifier\nhello,abc,13/45/2026,RRR\n").lines[0]
    assert (line.code, line.units, line.date, line.modifiers) == ("HELLO", "abc", "13/45/2026", ("RRR",))


@pytest.mark.parametrize("junk", ["\x00\x01\x02\x03", "\ufffd\ufffd\ufffd", "%%%% ^^^", "RR KX"])
def test_binary_junk_and_lines_of_no_code_are_lines_without_a_code(junk):
    line = one(junk)
    assert line.code == ""
    assert "\x00" not in line.text


def test_a_long_line_is_cut_and_says_so():
    line = one("E0601 RR 1 02/01/2026 " + "x" * 5000)
    assert line.cut and len(line.text) <= MAX_LINE_CHARS
    assert line.code == "E0601"


def test_lines_past_the_most_read_are_counted_not_read():
    pasted = read_lines("E0601 RR 1\n" * (MAX_LINES + 3))
    assert len(pasted.lines) == MAX_LINES and pasted.beyond == 3


def test_blank_lines_and_a_header_alone_give_no_lines():
    assert read_lines("\n\n   \n").lines == []
    assert read_lines("HCPCS,Units,DOS\n").lines == []


# The commonest shape is read by one pattern; it must read every line as the token reader does.
CODES = st.sampled_from(["E0601", "j1650", "E0601RR", "E0601-RR-KX", "A4253:NU"])
MODIFIER_TOKENS = st.sampled_from(["RR", "KX", "nu", "X1", "X4", "25", "1D", "N4", "ML", "UN", "F2"])
UNITS_TOKENS = st.sampled_from(["1", "40", "x4", "X 2", "4 units", "2unit", "99999", "123456", "1.5", "-2"])
DATES = st.sampled_from(["02/01/2026", "2/1/26", "2026-02-01", "020126", "02012026", "02-01-2026", "13/45/2026"])
NDCS = st.sampled_from(["N4 00075062040", "N400075062040", "00075062040", "NDC 00409-0009-25", "NDC:0409-0009-25",
                        "N4 00075-0620-40", "0075062040", "N4 123"])
QUANTITIES = st.sampled_from(["ML0.4", "UN1", "UN 2", "ME40", "F2 100", "ml2", "GR0.5", "XX2"])
NOISE = st.sampled_from(["lovenox", "40", "MG", "$20.00", "E0431", "RR", "UNITS", "x"])


@st.composite
def claim_line_tokens(draw) -> str:
    parts = [draw(CODES), *draw(st.lists(MODIFIER_TOKENS, max_size=4))]
    for optional in (UNITS_TOKENS, DATES):
        if draw(st.booleans()):
            parts.append(draw(optional))
    if draw(st.booleans()):
        ndc, quantity = draw(NDCS), draw(st.one_of(st.just(""), QUANTITIES))
        parts.append(ndc + quantity if draw(st.booleans()) else f"{ndc} {quantity}".strip())
    if draw(st.integers(0, 3)) == 0:
        parts.insert(draw(st.integers(0, len(parts))), draw(NOISE))
    return " ".join(parts)


@settings(max_examples=400, deadline=None)
@given(claim_line_tokens())
def test_the_pattern_for_the_commonest_shape_reads_as_the_token_reader_does(text):
    read = read_lines(text).lines[0]
    by_tokens = _by_shape(1, text, text.split(), False)
    assert read == by_tokens
