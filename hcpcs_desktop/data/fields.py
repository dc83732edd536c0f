"""The fields of the CMS HCPCS record layout, in layout order.

Each field knows where it sits in the fixed-width ANWEB text file (1-based,
inclusive columns), what the workbook calls its column, which numbered field of
the record layout documents it, and which code table decodes its values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One column of the `codes` table."""

    key: str  # column name in the database
    label: str  # what a coder reads
    start: int  # first column in the fixed-width record (1-based)
    end: int  # last column (inclusive)
    xlsx: str  # column header in the CMS workbook
    layout_number: int  # numbered field of the record layout that documents it
    kind: str = "text"  # text | code | date | number
    table: str | None = None  # code table that decodes the value
    group: str = "Description"  # heading the detail page shows it under


def _repeat(count, key, label, start, width, xlsx, number, **extra):
    return [
        Field(
            f"{key}_{i}",
            f"{label} {i}",
            start + (i - 1) * width,
            start + i * width - 1,
            f"{xlsx}{i}",
            number,
            **extra,
        )
        for i in range(1, count + 1)
    ]


PAYMENT = "Payment & coverage"
CLASSIFICATION = "Classification"
REFERENCES = "References"
NOTES = "Processing note"
DATES = "Dates & maintenance"
OUTPATIENT = "Ambulatory surgery & outpatient"

_FIELDS: list[Field] = [
    Field("code", "HCPCS code", 1, 5, "HCPC", 1, group="Description"),
    Field("sequence_number", "Sequence number", 6, 10, "SEQNUM", 5, group=REFERENCES),
    Field("record_id", "Record identification code", 11, 11, "RECID", 6, "code", "record_id", REFERENCES),
    Field("long_description", "Long description", 12, 91, "LONG DESCRIPTION", 7),
    Field("short_description", "Short description", 92, 119, "SHORT DESCRIPTION", 8),
    *_repeat(4, "pricing_indicator", "Pricing indicator", 120, 2, "PRICE", 9,
             kind="code", table="pricing_indicator", group=PAYMENT),
    Field("multiple_pricing_indicator", "Multiple pricing indicator", 128, 128, "MULT_PI", 10,
          "code", "multiple_pricing_indicator", PAYMENT),
    Field("coverage", "Coverage", 230, 230, "COV", 16, "code", "coverage", PAYMENT),
    Field("betos", "BETOS", 257, 259, "BETOS", 23, "code", "betos", CLASSIFICATION),
    *_repeat(5, "type_of_service", "Type of service", 261, 1, "TOS", 25,
             kind="code", table="type_of_service", group=CLASSIFICATION),
    *_repeat(8, "lab_certification", "Lab certification", 181, 3, "LABCERT", 14,
             kind="code", table="lab_certification", group=CLASSIFICATION),
    Field("anesthesia_base_units", "Anesthesia base units", 266, 268, "ANEST_BU", 26, "number",
          group=CLASSIFICATION),
    Field("processing_note", "Processing note", 253, 256, "PROCNOTE", 22, "code",
          "processing_note", NOTES),
    *_repeat(5, "cross_reference", "Cross reference", 205, 5, "XREF", 15, group=REFERENCES),
    *_repeat(3, "cim_reference", "Coverage Issues Manual reference", 129, 6, "CIM", 11,
             group=REFERENCES),
    *_repeat(3, "mcm_reference", "Medicare Carriers Manual reference", 147, 8, "MCM", 12,
             group=REFERENCES),
    Field("statute", "Statute", 171, 180, "STATUTE", 13, group=REFERENCES),
    Field("asc_group", "ASC payment group", 231, 232, "ASC_GRP", 17, "code", "asc_group", OUTPATIENT),
    Field("asc_date", "ASC payment group effective date", 233, 240, "ASC_DT", 18, "date",
          group=OUTPATIENT),
    Field("opps_group", "MOG/OPPS payment group", 241, 243, "OPPS", 19, "code", "opps_group",
          OUTPATIENT),
    Field("opps_policy_indicator", "MOG/OPPS payment policy indicator", 244, 244, "OPPS_PI", 20,
          "code", "opps_policy_indicator", OUTPATIENT),
    Field("opps_date", "MOG/OPPS effective date", 245, 252, "OPPS_DT", 21, "date",
          group=OUTPATIENT),
    Field("added_date", "Code added date", 269, 276, "ADD DT", 27, "date", group=DATES),
    Field("action_effective_date", "Action effective date", 277, 284, "ACT EFF DT", 28, "date",
          group=DATES),
    Field("termination_date", "Termination date", 285, 292, "TERM DT", 29, "date", group=DATES),
    Field("action_code", "Action code", 293, 293, "ACTION CD", 30, "code", "action_code", DATES),
]

# Layout order: the order of the fixed-width record.
FIELDS: list[Field] = sorted(_FIELDS, key=lambda f: (f.start, f.end))
FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}

# Fields that exist only on a record's first line; continuation lines carry the
# code, sequence number, record id and a piece of the long description.
DETAIL_FIELDS = [f for f in FIELDS if f.start >= 92]

# Record ids of the fixed-width file.
PROCEDURE, PROCEDURE_CONTINUATION, MODIFIER, MODIFIER_CONTINUATION = "3", "4", "7", "8"
FIRST_LINE_IDS = {PROCEDURE: "procedure", MODIFIER: "modifier"}
CONTINUATION_OF = {PROCEDURE_CONTINUATION: PROCEDURE, MODIFIER_CONTINUATION: MODIFIER}

RECORD_WIDTH = 320
