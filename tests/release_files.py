"""Small synthetic CMS HCPCS release files, written in the exact CMS formats.

Unit tests use these instead of the real release files. Every text here is
invented: the descriptions, the disclaimers, the record layout's help text and the
processing notes only imitate the structure of the CMS files (columns, encodings,
line endings, header rows, numbering), not their wording. The codes are
plausible HCPCS codes, but what they say about them is made up.

Format facts reproduced (from the 2019, 2020 and 2025 releases):

- ANWEB .txt: cp1252, CRLF, free-text disclaimer lines above the records. A
  record's first line is 320 columns (record id 3, or 7 for a modifier, whose code
  is right-aligned in columns 1-5). The long description is split at word
  boundaries into pieces of at most 79 characters (only the final piece may fill
  all 80 columns), and the blank at each break is dropped, so joining the pieces
  with one space restores the text. Sequence numbers count lines by hundreds:
  00100 on the first line, then 00200, 00300... on continuation lines (record id
  4, or 8 for a modifier), which are padded to 320 columns (2019) or cut to 91
  (2020).
- ANWEB .xlsx: one row per code with the long description joined, 48 columns
  headed as in `fields.py`, every cell text; SEQNUM is 4 digits ('0010'), modifier
  codes are right-aligned ('   GA'), ANEST_BU is '  0'. Optional oddities: the
  header below disclaimer rows, cells holding numbers, a stray RECID 4 row.
"""

from __future__ import annotations

import re
import struct
import textwrap
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

from hcpcs_desktop.data.fields import (
    CONTINUATION_OF,
    FIELDS,
    FIELDS_BY_KEY,
    MODIFIER,
    PROCEDURE,
    RECORD_WIDTH,
)

PIECE_WIDTH = 80  # columns 12-91 of every line
CUT_WIDTH = 91  # the 2020 file cuts continuation lines after the description
CONTINUATION_ID = {first: continuation for continuation, first in CONTINUATION_OF.items()}
RIGHT_ALIGNED = {"code", "anesthesia_base_units"}

# Free text above the records; ’ is 0x92 in cp1252 and not valid UTF-8.
DISCLAIMER = [
    "Test data notice: the codes and descriptions in this file were invented for an importer’s unit tests\t\t\t",
    "",
    "None of the values below states a coverage or payment decision. They only follow the column",
    "positions of the published record layout, so that a reader can be tested without the real files;",
    "any resemblance to a real release is limited to the layout.",
    "",
    "",
]

XLSX_DISCLAIMER = [
    "***Synthetic test workbook",
    "",
    "*Every code and description below was invented for software tests.",
    "",
    "*Nothing in this sheet implies coverage, payment or endorsement of any product.",
    "",
    "",
]

BOMB_SIZE = 200 * 2**20  # what the zip bomb's member expands to


def record(code: str, long: str, short: str, **fields: str) -> dict:
    """A record keyed by the `fields.py` keys; a two-character code is a modifier.

    Procedures default to pricing 00, multiple pricing 9, coverage I, BETOS Z2,
    type of service 9 and 0 anesthesia base units; modifiers, like CMS's, carry
    only coverage C, dates and action code. Dates are YYYYMMDD strings; the action
    effective date defaults to the added date.
    """
    unknown = set(fields) - set(FIELDS_BY_KEY)
    if unknown:
        raise TypeError(f"unknown field(s): {', '.join(sorted(unknown))}")
    modifier = len(code) == 2
    values = {key: "" for key in FIELDS_BY_KEY}
    values.update(
        code=code,
        sequence_number="00100",
        record_id=MODIFIER if modifier else PROCEDURE,
        long_description=long,
        short_description=short,
        coverage="C" if modifier else "I",
        added_date="20020101",
        action_code="N",
    )
    if not modifier:
        values.update(
            pricing_indicator_1="00",
            multiple_pricing_indicator="9",
            betos="Z2",
            type_of_service_1="9",
            anesthesia_base_units="0",
        )
    values.update(fields)
    values["action_effective_date"] = fields.get("action_effective_date", values["added_date"])
    return values


SAMPLE_RECORDS = [
    record("25", "Separate evaluation visit on the same day as a minor procedure, documented on its own",
           "Same day separate visit", added_date="19920101"),
    record("GA", "Signed advance notice on file: the patient was told in writing before the service that "
                 "the payer may deny it, one case at a time",
           "Advance notice on file", added_date="19950101", action_effective_date="20110101"),
    record("RT", "Procedure done on the right side of the body", "Right side of body",
           added_date="19840101", action_effective_date="19970101"),
    record("A4233", "Replacement battery, alkaline, for a blood glucose monitor owned by the patient, each",
           "Alkaline battery glucose mon", pricing_indicator_1="34", multiple_pricing_indicator="A",
           coverage="D", betos="D1A", type_of_service_1="P", added_date="20060101"),
    record("A4300", "Vascular access catheter with an implanted port or reservoir, any site, one catheter",
           "Impl vasc port w/ catheter", pricing_indicator_1="11", multiple_pricing_indicator="A",
           mcm_reference_1="2130", coverage="D", betos="Y1", type_of_service_1="S",
           added_date="19860101", action_effective_date="20020101"),
    record("A4355", "Irrigation tubing set for continuous bladder irrigation through two urinary catheters, "
                    "each set",
           "Irrig set 2 catheters", pricing_indicator_1="37", multiple_pricing_indicator="A",
           coverage="C", betos="D1A", type_of_service_1="P", added_date="19880101"),
    record("A4630", "Replacement batteries for a patient-owned electrical nerve stimulator, per month",
           "Repl batteries nerve stim", pricing_indicator_1="34", multiple_pricing_indicator="A",
           cim_reference_1="60-9", coverage="D", betos="D1E", type_of_service_1="P",
           added_date="19860101", action_effective_date="20030101"),
    record("E0100", "Walking cane of any material, adjustable or fixed height, with rubber tip",
           "Cane adjustable/fixed w/ tip", pricing_indicator_1="32", multiple_pricing_indicator="A",
           cim_reference_1="60-3", cim_reference_2="60-9", mcm_reference_1="2100.1", coverage="D",
           betos="D1E", type_of_service_1="A", type_of_service_2="P", type_of_service_3="R",
           added_date="19860101", action_effective_date="19960101"),
    record("E0101", "Folding walking cane with a built-in seat, adjustable height",
           "Folding cane w/ seat", pricing_indicator_1="32", multiple_pricing_indicator="A",
           coverage="D", betos="D1E", type_of_service_1="A", type_of_service_2="P",
           type_of_service_3="R", added_date="20100101"),
    record("E0105", "Quad or three-prong walking cane, any material, adjustable or fixed height, with tips",
           "Quad cane adjust/fixed tips", pricing_indicator_1="32", multiple_pricing_indicator="A",
           cim_reference_1="60-15", mcm_reference_1="2100.1", coverage="D", betos="D1E",
           type_of_service_1="A", type_of_service_2="P", type_of_service_3="R",
           added_date="19860101", action_effective_date="19960101"),
    record("E0431", "Portable oxygen cylinder kit for use away from home, rented by the month, with regulator, "
                    "flow gauge and tubing",
           "Portable o2 cylinder rental", pricing_indicator_1="33", multiple_pricing_indicator="A",
           cim_reference_1="60-4", statute="1834A", coverage="D", betos="D1C", type_of_service_1="R",
           added_date="19890101", action_effective_date="20010101"),
    record("G0001", "Routine venous blood draw for laboratory testing, one sample",
           "Routine venous blood draw", cross_reference_1="G0306", cross_reference_2="G0476",
           betos="T1A", type_of_service_1="5", added_date="19900101",
           action_effective_date="20130101", termination_date="20121231", action_code="D"),
    record("G0260", "Joint injection of the sacroiliac region under imaging guidance, performed in an "
                    "ambulatory surgical center setting",
           "Si joint inj w/ imaging asc", pricing_indicator_1="13", multiple_pricing_indicator="A",
           coverage="C", asc_group="YY", asc_date="20020101", opps_group="602",
           opps_policy_indicator="1", opps_date="20020101", processing_note="0045", betos="P6B",
           type_of_service_1="2", type_of_service_2="F", anesthesia_base_units="3",
           action_effective_date="20080101", action_code="P"),
    record("G0306", "Complete blood count with automated white cell differential and platelet count, drawn "
                    "in the laboratory",
           "Cbc w/ auto diff & platelets", pricing_indicator_1="21", multiple_pricing_indicator="A",
           lab_certification_1="400", coverage="C", processing_note="0002", betos="T1D",
           type_of_service_1="5"),
    record("G0476", "Detection of infectious agents by nucleic acid amplification, combined viral and "
                    "bacterial respiratory panel, up to twelve targets",
           "Resp nucleic acid panel", pricing_indicator_1="21", multiple_pricing_indicator="A",
           lab_certification_1="110", lab_certification_2="140", coverage="C", betos="T1H",
           type_of_service_1="5", added_date="20160101"),
    record("G0511", "Care coordination for a patient with two or more chronic conditions, at least twenty "
                    "minutes of staff time in a calendar month, including a written plan of care, medication "
                    "review, follow-up calls with the patient or caregiver, and exchange of information with "
                    "other treating practitioners, under the general supervision of the billing practitioner",
           "Chronic care coord 20 min", pricing_indicator_1="11", multiple_pricing_indicator="A",
           coverage="C", betos="M5D", type_of_service_1="1", added_date="20180101", action_code="A"),
    record("J0121", "Injection, broad-spectrum antibiotic of the tetracycline class, per 100 mg",
           "Tetracycline class inj 100mg", pricing_indicator_1="51", multiple_pricing_indicator="A",
           mcm_reference_1="2049", coverage="D", betos="O1E", type_of_service_1="1",
           type_of_service_2="P", added_date="19860101", action_effective_date="20180101"),
    record("L1830", "Knee brace without joints, may include stays, prefabricated and supplied off the shelf",
           "Knee brace w/o joints otc", pricing_indicator_1="38", multiple_pricing_indicator="A",
           coverage="D", betos="D1F", type_of_service_1="P", added_date="19820101",
           action_effective_date="20140101"),
    record("S9353", "Home infusion therapy using a continuous insulin pump, per diem; covers pharmacy "
                    "services, care coordination, planning of nursing oversight, supplies and equipment, "
                    "with the insulin itself and any nurse visits billed under their own codes",
           "Hit cont insulin diem", processing_note="0088"),
]


def split_long_description(text: str) -> list[str]:
    """The 80-column pieces CMS writes: broken at the last blank before column 80."""
    pieces = []
    while len(text) > PIECE_WIDTH:
        cut = text.rfind(" ", 1, PIECE_WIDTH)
        if cut < 0:
            raise ValueError(f"no blank to break {text[:PIECE_WIDTH]!r} at")
        pieces.append(text[:cut])
        text = text[cut + 1 :]
    pieces.append(text)
    return pieces


def _line(values: dict[str, str]) -> str:
    chars = [" "] * RECORD_WIDTH
    for key, value in values.items():
        field = FIELDS_BY_KEY[key]
        width = field.end - field.start + 1
        if len(value) > width:
            raise ValueError(f"{key} {value!r} is wider than {width} columns")
        chars[field.start - 1 : field.end] = value.rjust(width) if key in RIGHT_ALIGNED else value.ljust(width)
    return "".join(chars)


def fixed_width_lines(records, *, cut_continuations: bool = False) -> list[str]:
    """The ANWEB record lines (no disclaimer): a first line, then continuations."""
    lines = []
    for rec in records:
        first, *rest = split_long_description(rec["long_description"])
        lines.append(_line({**rec, "long_description": first}))
        for number, piece in enumerate(rest, start=2):
            line = _line({
                "code": rec["code"],
                "sequence_number": f"{number * 100:05d}",
                "record_id": CONTINUATION_ID[rec["record_id"]],
                "long_description": piece,
            })
            lines.append(line[:CUT_WIDTH] if cut_continuations else line)
    return lines


def txt_bytes(records, *, disclaimer: bool = True, cut_continuations: bool = False, lines=None) -> bytes:
    """An ANWEB .txt file's bytes: cp1252, CRLF; `lines` replaces the records' lines."""
    if lines is None:
        lines = fixed_width_lines(records, cut_continuations=cut_continuations)
    text = [*DISCLAIMER, *lines] if disclaimer else list(lines)
    return ("\r\n".join(text) + "\r\n").encode("cp1252")


def write_txt(path, records, *, disclaimer: bool = True, cut_continuations: bool = False, lines=None) -> Path:
    """Write an ANWEB .txt file (see `txt_bytes`)."""
    path = Path(path)
    path.write_bytes(txt_bytes(records, disclaimer=disclaimer, cut_continuations=cut_continuations, lines=lines))
    return path


def write_undecodable_txt(path, records) -> Path:
    """An ANWEB .txt whose first record holds byte 0x81, which cp1252 leaves undefined."""
    data = bytearray(txt_bytes(records))
    first_record = len(txt_bytes([], lines=[])) + 11  # first character of its long description
    data[first_record] = 0x81
    path = Path(path)
    path.write_bytes(bytes(data))
    return path


def truncated_lines(records, keep: int = 200) -> list[str]:
    """Lines of a file cut off after `keep` characters of the last record's first line."""
    *head, last = records
    return [*fixed_width_lines(head), fixed_width_lines([last])[0][:keep]]


def wrong_width_lines(records, width: int = 150, fill: str = "X") -> list[str]:
    """Lines where the second record's first line is `width` characters long, a wider one filled
    with `fill` (blanks as CMS padded G9871 in January 2026, else text beyond the record)."""
    lines = fixed_width_lines(records)
    index = len(fixed_width_lines(records[:1]))
    lines[index] = lines[index][:width].ljust(width, fill)
    return lines


def packaged_2026_lines(records) -> list[str]:
    """The record lines as CMS's 2026 text files hold them: no disclaimer, the second record's
    first line padded with blanks to 546 characters, and a last line of 296 blanks."""
    return [*wrong_width_lines(records, 546, " "), " " * 296]


def duplicate_lines(records) -> list[str]:
    """Lines where the first record appears twice in a row."""
    return fixed_width_lines([records[0], *records])


def orphan_continuation_lines(records) -> list[str]:
    """Lines where the first procedure with a continuation (4) has lost its first line (3)."""
    lines = fixed_width_lines(records)
    continuation = CONTINUATION_ID[PROCEDURE]
    index = next(i for i, line in enumerate(lines) if line[10] == continuation)
    del lines[index - 1]
    return lines


def _longest(records) -> dict:
    return max(records, key=lambda rec: len(split_long_description(rec["long_description"])))


def _lines_of(records, code: str) -> tuple[list[str], list[int]]:
    """The record lines, and the indexes of the lines of `code`."""
    lines = fixed_width_lines(records)
    return lines, [i for i, line in enumerate(lines) if line[:5].strip() == code]


def missing_continuation_lines(records) -> list[str]:
    """Lines where the longest record has lost its second continuation line (00300)."""
    lines, own = _lines_of(records, _longest(records)["code"])
    del lines[own[2]]
    return lines


def shifted_lines(records, first_line: bool = False) -> list[str]:
    """Lines where one line of the longest record has text beyond its fields: a continuation's
    column 100 (or, with `first_line`, the first line's filler column 300) holds an 'X'."""
    lines, own = _lines_of(records, _longest(records)["code"])
    index, column = (own[0], 300) if first_line else (own[1], 100)
    lines[index] = lines[index][: column - 1] + "X" + lines[index][column:]
    return lines


def renumbered_first_line(records) -> list[str]:
    """Lines where the second record's first line is numbered 00200 instead of 00100."""
    lines = fixed_width_lines(records)
    index = len(fixed_width_lines(records[:1]))
    lines[index] = lines[index][:5] + "00200" + lines[index][10:]
    return lines


def control_character_lines(records, char: str = "\x00", column: int = 30) -> list[str]:
    """Lines where the second record's long description holds `char` at `column`."""
    lines = fixed_width_lines(records)
    index = len(fixed_width_lines(records[:1]))
    lines[index] = lines[index][: column - 1] + char + lines[index][column:]
    return lines


def cut_inside_continuation(records, keep: int = 60, *, cut_continuations: bool = False) -> bytes:
    """An ANWEB .txt whose download stopped `keep` characters into the last record's last
    continuation line: no line break after it."""
    data = txt_bytes(records, cut_continuations=cut_continuations)
    last = data.rstrip(b"\r\n").rfind(b"\r\n") + 2
    if data[last + 10 : last + 11] not in (b"4", b"8"):
        raise ValueError("the last record has no continuation line")
    return data[: last + keep]


def line_ends(data: bytes) -> set[int]:
    """The offsets just after each line break: a file cut there holds whole lines only."""
    return {i + 1 for i, byte in enumerate(data) if byte == 0x0A}


def write_zeros(path, size: int) -> Path:
    """A file of `size` zero bytes that takes no disk space (sparse): an oversized input."""
    path = Path(path)
    with path.open("wb") as stream:
        stream.truncate(size)
    return path


def _xlsx_row(rec: dict) -> dict:
    row = {field.xlsx: rec[field.key] for field in FIELDS}
    row["HCPC"] = rec["code"].rjust(5)
    row["SEQNUM"] = rec["sequence_number"][:4]  # workbooks drop the layout's last digit
    row["ANEST_BU"] = rec["anesthesia_base_units"] and rec["anesthesia_base_units"].rjust(3)
    return row


def write_xlsx(path, records, *, header_row: int = 1, numbers: bool = False,
               stray_continuation: bool = False, omit_column: str | None = None,
               cells: dict[tuple[str, str], str] | None = None) -> Path:
    """Write an ANWEB workbook: one row per code under the CMS headers.

    header_row > 1 puts disclaimer rows above the header; numbers writes the
    digit-only TOS1, ADD DT, ACT EFF DT and TERM DT cells of every second row as
    numbers; stray_continuation moves the last description piece of the first
    multi-line procedure into a RECID 4 row below it; omit_column leaves that
    column out; cells replaces the cell of (code, header), a control character in it
    written as the workbook escapes it ('_x0000_' for NUL).
    """
    headers = [field.xlsx for field in FIELDS if field.xlsx != omit_column]
    book = Workbook()
    sheet = book.active
    sheet.title = "HCPC_ANWEB"
    for index in range(header_row - 1):
        sheet.append([XLSX_DISCLAIMER[index]] if index < len(XLSX_DISCLAIMER) else [])
    sheet.append(headers)
    rows = [_xlsx_row(rec) for rec in records]
    for (code, header), value in (cells or {}).items():
        row = next(row for row in rows if row["HCPC"].strip() == code)
        row[header] = re.sub(r"[\x00-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", value)
    if numbers:
        for row in rows[1::2]:
            for header in ("TOS1", "ADD DT", "ACT EFF DT", "TERM DT"):
                if row[header].isdigit():
                    row[header] = int(row[header])
    if stray_continuation:
        index = next(i for i, rec in enumerate(records)
                     if rec["record_id"] == PROCEDURE and len(split_long_description(rec["long_description"])) > 1)
        pieces = split_long_description(records[index]["long_description"])
        rows[index]["LONG DESCRIPTION"] = " ".join(pieces[:-1])
        stray = {"HCPC": rows[index]["HCPC"], "SEQNUM": "0020", "RECID": CONTINUATION_ID[PROCEDURE],
                 "LONG DESCRIPTION": pieces[-1]}
        rows.insert(index + 1, stray)
    for row in rows:
        sheet.append([None if row.get(header) == "" else row.get(header) for header in headers])
    path = Path(path)
    book.save(path)
    return path


def write_far_cell_xlsx(path, records) -> Path:
    """An ANWEB workbook with one more cell, at the sheet's last address (XFD1048576), as a
    damaged cell address puts it: a reader that fills rows x columns needs terabytes."""
    path = write_xlsx(path, records)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active.cell(row=1_048_576, column=16_384, value="x")
    book.save(path)
    return path


def write_zip(path, members: dict[str, bytes | Path]) -> Path:
    """A deflated zip with the given member names; Path values are read from disk."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data.read_bytes() if isinstance(data, Path) else data)
    return path


def write_zip_slip(path, member: str = "../evil.txt") -> Path:
    """A release zip whose second member's name leaves the folder (or is absolute)."""
    return write_zip(path, {"HCPC_SAMPLE_ANWEB.txt": txt_bytes(SAMPLE_RECORDS), member: b"escaped\r\n"})


def _zeros_stream(size: int) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of `size` zero bytes (a whole number of megabytes), in milliseconds:
    one fully flushed megabyte of zeros repeated, not the time to compress it all."""
    megabyte = bytes(2**20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size // len(megabyte)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(megabyte, crc)
    return block * count + b"\x03\x00", crc  # an empty final block ends the stream


def write_raw_zip(path, members: dict[str, int | bytes]) -> Path:
    """A zip written byte by byte: an int member is that many zero bytes (whole megabytes), so a
    member can claim gigabytes while the zip stays small; a bytes member is deflated as it is."""
    dos_date = (2020 - 1980) << 9 | 1 << 5 | 1
    zeros: dict[int, tuple[bytes, int]] = {}
    body, directory = b"", b""
    for index, (text, content) in enumerate(members.items()):
        name = text.encode("utf-8")
        if isinstance(content, int):
            stream, crc = zeros.setdefault(content, _zeros_stream(content))
            size = content
        else:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            stream, crc, size = compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content)
        entry = (20, 0, zipfile.ZIP_DEFLATED, 0, dos_date, crc, len(stream), size, len(name))
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *entry, 0, 0, 0, 0, 0, len(body)) + name
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", *entry, 0) + name + stream
    count = len(members)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    path = Path(path)
    path.write_bytes(body + directory + end)
    return path


def write_zip_bomb(path) -> Path:
    """A zip of about 200 KB whose one member inflates to BOMB_SIZE bytes of zeros."""
    return write_raw_zip(path, {"HCPC_BOMB_ANWEB.txt": BOMB_SIZE})


# Record layout ---------------------------------------------------------------

TEXT_COLUMN = 52  # where the layout's help text starts
CODE_COLUMN = 55  # where its code lists start
HELP = " " * TEXT_COLUMN


def _indent(line: str, width: int) -> str:
    """Indent to `width` columns; a leading tab asks for tabs, as in CMS's file."""
    if line.startswith("\t"):
        return "\t" * 6 + " " * (width - 48) + line[1:]
    return " " * width + line if line else ""


def _entry(number, name, length, beg, end, kind, *, alias=None, text=(), codes=(), table=None,
           edit=None, occurs=None):
    filler = name == "FILLER"
    lines = [f"{f'  {number}.':<7}{name:<45}{kind}" if filler else f"{f'  {number}.':<7}{name}",
             f"{length:>34}{beg:>7}{end:>7}" + ("" if filler else f"    {kind}")]
    if filler:
        return [*lines, HELP + "DB2      ALIAS : FILLER", "", HELP + f"LENGTH         : {length}", ""]
    lines += ["", *(_indent(line, TEXT_COLUMN) for line in text), ""]
    if alias:
        lines += [HELP + "DB2      ALIAS : UNDEFINED", HELP + f"SAS      ALIAS : {alias}",
                  HELP + f"STANDARD ALIAS : HCPCS_{alias}", ""]
    lines.append(HELP + f"LENGTH         : {length}" + ("    SIGNED : N" if kind == "NUM" else ""))
    if codes:
        lines += ["", HELP + "CODES         :", *(_indent(line, CODE_COLUMN) for line in codes)]
    if table:
        lines += ["", HELP + f"CODE TABLE     : {table}"]
    if edit:
        lines += ["", HELP + "EDIT RULES :", *(HELP + "         " + rule for rule in edit)]
    if occurs:
        lines += ["", HELP + f"OCCURS MIN: {occurs[0]} OCCURS MAX: {occurs[1]}"]
    return [*lines, ""]


DATE_RULE = ("YYYYMMDD",)

LAYOUT_ENTRIES = [
    _entry(1, "HCPCS Code", 5, 1, 5, "CHAR", alias="CD", text=(
        "Five characters naming a procedure, supply or service:",
        "a letter and four digits for the national level II codes",
        "that this test file describes.")),
    _entry(2, "HCPCS Code Redefinition Group", 5, 1, 5, "GRP", text=("REDEFINE   : HCPCS_CD",)),
    _entry(3, "FILLER", 3, 1, 3, "CHAR"),
    _entry(4, "HCPCS Modifier Code", 2, 4, 5, "CHAR", alias="MDFR", text=(
        "A two character modifier tells that a service was changed",
        "by some circumstance without changing its code, such as",
        "the side of the body or a notice given to the patient.",
        "\tThe first three columns stay blank on a modifier record.")),
    _entry(5, "HCPCS Sequence Number", 5, 6, 10, "NUM", alias="SQNC_NUM", text=(
        "Counts the lines of one code in steps of 100.",)),
    _entry(6, "HCPCS Record Identification Code", 1, 11, 11, "CHAR", alias="RIC", text=(
        "Tells which kind of line this is.",), codes=(
        "3 = First line of a procedure record, with",
        "    the detail fields in positions 92-293",
        "4 = Later line of a procedure record: more",
        "    long description, no detail fields",
        "7 = First line of a modifier record, with",
        "    the detail fields in positions 92-293",
        "8 = Later line of a modifier record: more",
        "    long description, no detail fields")),
    _entry(7, "HCPCS Long Description", 80, 12, 91, "CHAR", alias="DESC_TXT", text=(
        "The full wording of the code. Wording longer than one",
        "line carries on in the same columns of the next lines.",
        "\tEach line breaks between two words.")),
    _entry(8, "HCPCS Short Description", 28, 92, 119, "CHAR", alias="SHRTDESC", text=(
        "An abbreviated wording of at most 28 characters.",)),
    _entry(9, "HCPCS Pricing Indicator Code", 2, 120, 121, "CHAR", alias="PRCNGCD", text=(
        "How part B arrives at a price for the code; up to four",
        "methods may apply."), codes=(
        "00 = Service not separately priced by part B",
        "     (bundled, not covered, or paid by part A)",
        "Physician fee schedule",
        "----------------------",
        "11 = Price set from national relative value units",
        "13 = Price set by the contractor",
        "Clinical lab fee schedule",
        "-------------------------",
        "21 = Price limited by a national amount",
        "22 = Price set by the contractor (gap fill)",
        "Medical equipment and supplies",
        "------------------------------",
        "32 = Low cost or routinely bought equipment",
        "33 = Oxygen and oxygen equipment",
        "34 = Supplies for equipment",
        "\t37 = Ostomy and urological supplies",
        "38 = Orthotics and prosthetics",
        "46 = Contractor priced item",
        "Other",
        "-----",
        "51 = Drugs",
        "57 = Other contractor priced service",
        "99 = No value set yet"), occurs=(1, 4)),
    _entry(10, "HCPCS Multiple Pricing Indicator Code", 1, 128, 128, "CHAR", alias="MULTCD", text=(
        "Whether more than one pricing method applies.",), codes=(
        "9 = Does not apply: not priced by part B or",
        "    no value set",
        "A = Does not apply: one pricing method",
        "B = Professional part priced by relative values,",
        "    the rest by the contractor")),
    _entry(11, "HCPCS Coverage Issues Manual Reference Section Number", 6, 129, 134, "CHAR", alias="CIM",
           text=("Section of the coverage manual that discusses the code.",), occurs=(0, 3)),
    _entry(12, "HCPCS Medicare Carriers Manual Reference Section Number", 8, 147, 154, "CHAR", alias="MCM",
           text=("Section of the carriers manual that discusses the code.",), occurs=(0, 3)),
    _entry(13, "HCPCS Statute Number", 10, 171, 180, "CHAR", alias="STATUTE", text=(
        "The statute behind the coverage of the code.",)),
    _entry(14, "HCPCS Lab Certification Code", 3, 181, 183, "CHAR", alias="LABCERT", text=(
        "The laboratory specialty a lab must be certified in to",
        "perform the test; a general group covers its subgroups."), codes=(
        "100 = Microbiology",
        "      110 = Bacteriology",
        "      140 = Virology",
        "300 = Chemistry",
        "      310 = Routine chemistry",
        "400 = Hematology",
        "600 = Pathology"), occurs=(0, 8)),
    _entry(15, "HCPCS Cross Reference Code", 5, 205, 209, "CHAR", alias="XREF", text=(
        "A current code to use instead of this one.",), occurs=(0, 5)),
    _entry(16, "HCPCS Coverage Code", 1, 230, 230, "CHAR", alias="CVRG_CD", text=(
        "Medicare coverage of the code.",), codes=(
        "C = Contractor decides coverage",
        "\tD = Special coverage instructions apply",
        "I = Not payable by Medicare",
        "M = Not covered by Medicare",
        "S = Not covered by Medicare by statute")),
    _entry(17, "HCPCS ASC Payment Group Code", 2, 231, 232, "CHAR", alias="ASCIND", text=(
        "Marks a procedure that an ambulatory surgical center may",
        "perform; the rates are published elsewhere."), edit=(
        "CODE: YY", "BLANK = Not approved for ASC")),
    _entry(18, "HCPCS ASC Payment Group Effective Date", 8, 233, 240, "NUM", alias="ASCGRP", text=(
        "When the ASC payment group took effect.",), edit=DATE_RULE),
    _entry(19, "HCPCS MOG Payment Group Code", 3, 241, 243, "CHAR", alias="MOGGRP", text=(
        "The outpatient payment group of the procedure.",), codes=(
        "000 = No group applies",
        "",
        "Musculoskeletal",
        "",
        "231 = Level I bone and joint procedures",
        "",
        "Nervous system",
        "",
        "602 = Level II nerve injections")),
    _entry(20, "HCPCS MOG Payment Policy Indicator", 1, 244, 244, "CHAR", alias="MOGIND", text=(
        "How a surgical center is paid for the procedure.",), codes=(
        "1 = Covered in a surgical center",
        "2 = Bundled, no separate payment",
        "3 = Left off the surgical center list",
        "9 = Surgical center payment does not apply")),
    _entry(21, "HCPCS MOG Effective Date", 8, 245, 252, "NUM", alias="MOGDTE", text=(
        "When the outpatient payment group took effect.",), edit=DATE_RULE),
    _entry(22, "HCPCS Processing Note Number", 4, 253, 256, "CHAR", alias="PROCNOTE", text=(
        "Number of a processing note in the separate notes file.",)),
    _entry(23, "HCPCS Berenson-Eggers Type Of Service Code", 3, 257, 259, "CHAR", alias="BETOS", text=(
        "A clinically meaningful group the code belongs to.",), table="BETOS_TB"),
    _entry(24, "FILLER", 1, 260, 260, "CHAR"),
    _entry(25, "HCPCS Type Of Service Code", 1, 261, 261, "CHAR", alias="TYPESRVC", text=(
        "The kind of service the code stands for.",), table="CMS_TYPE_SRVC_TB", occurs=(1, 5)),
    _entry(26, "HCPCS Anesthesia Base Unit Quantity", 3, 266, 268, "NUM", alias="BASEUNIT", text=(
        "Base units of an anesthesia service, before time units",
        "are added.")),
    _entry(27, "HCPCS Code Added Date", 8, 269, 276, "NUM", alias="ADD_DT", text=(
        "When the code entered the code set.",), edit=DATE_RULE),
    _entry(28, "HCPCS Action Effective Date", 8, 277, 284, "NUM", alias="EFCTV_DT", text=(
        "When the last action on the code took effect.",), edit=DATE_RULE),
    _entry(29, "HCPCS Termination Date", 8, 285, 292, "NUM", alias="TERM_DT", text=(
        "Last day the code may be billed.",), edit=DATE_RULE),
    _entry(30, "HCPCS Action Code", 1, 293, 293, "CHAR", alias="ACTN_CD", text=(
        "What changed for the code in this release.",), codes=(
        "A = Code added",
        "B = Detail fields and long description changed",
        "C = Long description changed",
        "D = Code discontinued",
        "F = Detail fields changed",
        "N = No maintenance for this code",
        "P = Payment change (pricing, groups or base",
        "    units)",
        "R = Discontinued code reactivated",
        "S = Short description changed",
        "T = Other change (BETOS, type of service)")),
    _entry(31, "FILLER", 27, 294, 320, "CHAR"),
]

BETOS_TABLE = {
    "D1A": "Medical and surgical supplies",
    "D1C": "Oxygen equipment and supplies",
    "D1E": "Other durable medical equipment",
    "D1F": "Prosthetic and orthotic devices",
    "M5D": "Specialist visit - other",
    "O1E": "Other drugs",
    "P6B": "Minor procedures - musculoskeletal",
    "T1A": "Lab tests - routine blood draw",
    "T1D": "Lab tests - blood counts",
    "T1H": "Lab tests - other (non-Medicare fee schedule)",
    "Y1": "Other - Medicare fee schedule",
    "Y2": "Other - non-Medicare fee schedule",
    "Z1": "Local codes",
    "Z2": "Undefined codes",
}

TYPE_OF_SERVICE_TABLE = [
    "  1 = Medical care",
    "  2 = Surgery",
    "  5 = Diagnostic laboratory",
    "  9 = Other medical items or services",
    "  A = Used durable medical equipment",
    "  F = Ambulatory surgical center (facility",
    "      part of a surgical service)",
    "  P = Lump sum purchase of equipment,",
    "      prosthetics or orthotics",
    "  R = Rental of durable medical equipment",
    "  S = Surgical dressings or other supplies",
]


def layout_text() -> str:
    """The record layout: numbered fields, then the BETOS and type of service tables."""
    lines = [
        "", "  CMS RIF REPORT", "  AS OF: 01/02/2030", "", "",
        "       NAME                   LENGTH   BEG  END                                         CONTENTS",
        "  " + "-" * 117,
        "  ***  HCPCS Contractor Record - Test",
        f"{RECORD_WIDTH:>34}{1:>7}{RECORD_WIDTH:>7}    REC",
        "",
        HELP + "Synthetic HCPCS record description, written for tests.",
        "",
    ]
    for entry in LAYOUT_ENTRIES:
        lines += entry
    lines += ["", " " * 58 + "*" * 55, "", "",
              "  TABLE OF CODES APPENDIX                                HCPCS_CTRTR_TEST_REC", "   ", "", "",
              " BETOS_TB" + " " * 51 + "BETOS Table", ""]
    lines += [f"   {code:<3} = {meaning}" for code, meaning in BETOS_TABLE.items()]
    lines += ["", "", " CMS_TYPE_SRVC_TB" + " " * 36 + "CMS Type of Service Table", "", "",
              *TYPE_OF_SERVICE_TABLE, ""]
    return "\r\n".join(lines) + "\r\n"


def write_layout(path) -> Path:
    """Write the record layout text (ASCII, CRLF, a few tab-indented lines)."""
    path = Path(path)
    path.write_bytes(layout_text().encode("ascii"))
    return path


# Processing notes ----------------------------------------------------------

NOTES = {
    "0001": "THIS NOTE WAS WITHDRAWN ON 1/1/97 AND IS KEPT ONLY AS A PLACEHOLDER.",
    "0002": "USE THIS CODE (G0306) ONLY WHEN THE COUNT AND THE DIFFERENTIAL ARE DONE ON THE SAME "
            "SAMPLE; DO NOT ADD A SEPARATE CODE FOR THE PLATELET COUNT.",
    "0045": "SEE THE OUTPATIENT PAYMENT TABLES FOR THE RATE THAT APPLIES TO THIS PROCEDURE (G0260).",
    "0088": "CODES IN THE S SERIES ARE TEMPORARY CODES SET UP FOR PRIVATE INSURERS. MEDICARE "
            "DOES NOT RECOGNIZE THEM AND DOES NOT PAY THEM.",
    "0120": "BILL THE DRUG ITSELF UNDER ITS OWN J CODE.",
    "0121": "SEE THE PAYER'S OWN POLICY FOR THIS ITEM.",
}
TAB_NOTES = {"0120", "0121"}  # written with tabs, as the later notes of CMS's file are
NOTE_WIDTH = 91  # the closing '*' sits in column 92


def _tab_note_line(text: str) -> str:
    """A tab-indented note line, padded with tabs so that '*' lands in column 92."""
    column = 10 + len(text)
    return "\t  " + text + "\t" * (11 - column // 8) + "   *"


def notes_text() -> str:
    """The processing notes: '0088--TEXT ... *' blocks under a title."""
    lines = [" " * 40 + "PROCESSING NOTES", " " + "_" * 132, ""]
    for number, note in NOTES.items():
        first, *rest = textwrap.wrap(note, NOTE_WIDTH - 17)
        texts = [f"{number}--{first}", *(" " * 6 + line for line in rest)]
        if number in TAB_NOTES:
            lines += [*(_tab_note_line(text) for text in texts), ""]
        else:
            lines += [(" " * 10 + text).ljust(NOTE_WIDTH) + "*" for text in texts]
            lines.append(" " * NOTE_WIDTH + "*")
    lines += ["\t ", "", " ", "\t", ""]
    return "\r\n".join(lines) + "\r\n"


def write_notes(path) -> Path:
    """Write the processing notes text (ASCII, CRLF)."""
    path = Path(path)
    path.write_bytes(notes_text().encode("ascii"))
    return path


def write_noc_xlsx(path, rows: list[tuple[str, str, str, str]], *, title: str = "NOC CODES - HCPCS 2030") -> Path:
    """CMS's NOC codes workbook: a title row, a blank row, the header `HCPCS, LONG DESCRIPTION, ADD
    DATE, TERM DATE`, a blank row, then (code, description, added YYYYMMDD, terminated YYYYMMDD or '')
    per row, the dates as numbers as CMS writes them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "NOC_codes_JAN2030"
    sheet.append([None, title])
    sheet.append([])
    sheet.append(["HCPCS", "LONG DESCRIPTION", "ADD DATE", "TERM DATE"])
    sheet.append([])
    for code, description, added, terminated in rows:
        sheet.append([code, description, int(added) if added else None, int(terminated) if terminated else None])
    path = Path(path)
    book.save(path)
    return path


CORRECTIONS_HEADER = ["HCPCS/MOD Code", "Action", "Short Description", "Long Description", "Effective Date", "TOS",
                      "BETOS", "Coverage", "Pricing"]


def write_corrections_xlsx(path, rows: list[list], *, header=None, title_rows: int = 0) -> Path:
    """CMS's corrections workbook: `title_rows` rows above the header (2019 has 3, the title in
    column D), the header (default: 2026's), then `rows` as given (a datetime.date is a date cell,
    a number a number cell, as CMS writes them)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for index in range(title_rows):
        sheet.append([None, None, None, "ALPHA-NUMERIC HCPCS CORRECTIONS (TEST)"] if index == 0 else [])
    sheet.append(header or CORRECTIONS_HEADER)
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    path = Path(path)
    book.save(path)
    return path
