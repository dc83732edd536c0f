"""Small synthetic CMS Medicare payment files, written in the layouts CMS ships them in.

Every value here is invented: fees, payment limits, NDCs, labelers, drug names, MUE values
and the notices only imitate the structure of the CMS files (title rows above the header,
the header's column names, "section 508" csv with CRLF and empty trailing columns, a header
with a line break inside quotes, the CPT rows these files also carry), not their content.

- DMEPOS fee schedule (xlsx, or csv): 6 title rows, `HCPCS, Mod, Mod2, JURIS, CATG, Ceiling,
  Floor`, then `XX (NR)`, `XX (R)` per state, then `Description`. The PEN schedule: 4 title
  rows, `HCPCS, MOD, MOD2`, then `XX(NR)`, `XX(R)` (no space), no ceiling or floor.
- Part B drug payment limit file (csv): title rows with "Effective <date> through <date>",
  then `HCPCS Code, Short Description, HCPCS Code Dosage, Payment Limit, ...`; called
  "ASP Pricing File" before 2026, "Medicare Part B Payment Limit File" since.
- ASP NDC-HCPCS crosswalk (csv): title rows, `_<year>_CODE, Short Description, LABELER NAME,
  NDC2, ...` padded with empty columns.
- MUE (csv, LF): a multi-line quoted notice, then `"HCPCS/\\nCPT Code", <Setting> MUE Values, ...`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

STATES = ("AL", "PA", "TX")
CPT_DESCRIPTOR = "Invented cpt descriptor that must never be stored"

# (code, mod, mod2, juris, catg, ceiling, floor, {state: (non-rural, rural)})
DMEPOS_ROWS = [
    ("A4233", "", "", "D", "SU", 12.5, 10.63, {"AL": (11.0, 12.0), "PA": (11.25, 12.25), "TX": (11.5, 12.5)}),
    ("E0431", "RR", "", "D", "OX", 0.0, 0.0, {"AL": (21.5, 30.1), "PA": (20.04, 41.18), "TX": (22.1, 31.0)}),
    ("E0431", "UE", "KF", "D", "OX", 0.0, 0.0, {"AL": (101.0, 150.0), "PA": (102.0, 151.0), "TX": (103.0, 152.0)}),
    ("L1830", "", "", "D", "OS", 88.4, 75.14, {"AL": (80.0, 0.0), "PA": (81.0, 0.0), "TX": (82.0, 0.0)}),
]
# (code, dosage, payment limit, coinsurance, vaccine awp, vaccine limit, notes)
DRUG_ROWS = [
    ("90999", "1 ML", "10.500", "20.000", "", "", ""),  # a CPT vaccine row
    ("J0121", "1 MG", "0.512", "20.000", "", "", ""),
    ("J0122", "10 MG", "N/A", "20.000", "", "", "invented note\nover two lines"),
]
NEWER_DRUG_ROWS = DRUG_ROWS[1:] + [("J0999", "5 MG", "3.250", "20.000", "", "", "")]  # J0999: not in the release
# (code, labeler, NDC2, drug name, dosage, pkg size, pkg qty, billunits, billunitspkg)
CROSSWALK_ROWS = [
    ("90999", "Invented Vaccines Co", "11111-2222-01", "Vaxname", "1 ML", "1", "1", "1", "1"),
    ("J0121", "Invented Labs Inc", "12345-0678-90", "Drugname", "1 MG", "2", "25", "4", "100"),
    ("J0121", "Other Invented LLC", "01234-0567-08", "Drugname", "1 MG", "20", "1", "40", "40"),
    ("J0122", "Invented Labs Inc", "54321-0012-03", "Otherdrug", "10 MG", "5", "10", "2.5", "25"),
]
# (code, units, adjudication indicator, rationale)
MUE_ROWS = [
    ("0001U", "1", "2 Date of Service Edit: Policy", "Code Descriptor / CPT Instruction"),
    ("99213", "1", "2 Date of Service Edit: Policy", "Code Descriptor / CPT Instruction"),
    ("A4233", "3", "3 Date of Service Edit: Clinical", "Clinical: Data"),
    ("E0431", "1", "3 Date of Service Edit: Clinical", "Nature of Equipment"),
    ("J0121", "64", "3 Date of Service Edit: Clinical", "Prescribing Information"),
]


def _csv(rows, line_end="\r\n") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=line_end).writerows(rows)
    return out.getvalue().encode("cp1252")


def dmepos_rows(month: str, rows=DMEPOS_ROWS, states=STATES, pen=False) -> list[list]:
    if pen:
        width = 3 + 2 * len(states) + 1
        titles = [["Invented parenteral and enteral nutrition fee schedule"], [f"{month} Fee Schedule"], [], []]
        header = ["HCPCS", "MOD", "MOD2", *[f"{s}({k})" for s in states for k in ("NR", "R")], "Description"]
        body = [[code, mod, mod2, *[v for s in states for v in fees[s]], "invented description"]
                for code, mod, mod2, _, _, _, _, fees in rows]
    else:
        width = 7 + 2 * len(states) + 1
        titles = [["Durable Medical Equipment,"], ["Prosthetics, Orthotics, and Supplies"], ["(DMEPOS)"],
                  [f"{month} Fee Schedule"], [], []]
        header = ["HCPCS", "Mod", "Mod2", "JURIS", "CATG", "Ceiling", "Floor",
                  *[f"{s} ({k})" for s in states for k in ("NR", "R")], "Description"]
        body = [[code, mod, mod2, juris, catg, ceiling, floor, *[v for s in states for v in fees[s]],
                 "invented description"]
                for code, mod, mod2, juris, catg, ceiling, floor, fees in rows]
    return [row + [""] * (width - len(row)) for row in titles] + [header] + body


def write_dmepos_xlsx(path: Path, month: str = "January 2030", rows=DMEPOS_ROWS, pen=False) -> Path:
    book = Workbook()
    sheet = book.active
    for row in dmepos_rows(month, rows, pen=pen):
        sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)
    return path


def write_dmepos_csv(path: Path, month: str = "January 2030", rows=DMEPOS_ROWS) -> Path:
    table = dmepos_rows(month, rows)
    table[0][-2] = "*** Non-continental areas ***"  # as CMS's csv has above the last states
    for row in table[7:]:
        row[5:-1] = [f"{v:.2f}" for v in row[5:-1]]
    Path(path).write_bytes(_csv(table))
    return path


def drug_limit_bytes(effective=("January 1, 2030", "March 31, 2030"), rows=DRUG_ROWS) -> bytes:
    width = 12  # the 2026 file has one empty trailing column
    titles = [["Payment Allowance Limits for Medicare Part B Drugs"], [],
              [f"Effective {effective[0]} through {effective[1]}"], [],
              ["Note 1: invented note about the data."], [], []]
    header = ["HCPCS Code", "Short Description", "HCPCS Code Dosage", "Payment Limit", "Co-insurance Percentage",
              "Vaccine AWP%", "Vaccine Limit", "Blood AWP%", "Blood limit", "Clotting Factor", "Notes", ""]
    body = [[code, CPT_DESCRIPTOR if code[0].isdigit() else "invented short", dosage, limit, coins, awp, vlimit,
             "", "", "", notes, ""]
            for code, dosage, limit, coins, awp, vlimit, notes in rows]
    return _csv([row + [""] * (width - len(row)) for row in titles] + [header] + body)


LIMIT_FILE_2030 = "section 508 version of January 2030 Medicare Part B Payment Limit File 121729.csv"


def write_drug_limits(folder: Path, effective=("January 1, 2030", "March 31, 2030"), rows=DRUG_ROWS,
                      name: str = LIMIT_FILE_2030) -> Path:
    path = Path(folder) / name
    path.write_bytes(drug_limit_bytes(effective, rows))
    return path


def write_crosswalk(folder: Path, year: int = 2030, effective=("January 1, 2030", "March 31, 2030"),
                    rows=CROSSWALK_ROWS,
                    name: str = "section 508 version of January 2030 ASP NDC-HCPCS Crosswalk 121729.csv") -> Path:
    width = 40  # CMS's export pads every row with empty columns
    titles = [[f"Invented {year} ASP NDC - HCPCS Crosswalk"], [f"     Effective {effective[0]} through {effective[1]}"],
              [], ["Invented paragraph about what the crosswalk is for."], [], [], [], []]
    header = [f"_{year}_CODE", "Short Description", "LABELER NAME", "NDC2", "Drug Name", "HCPCS dosage",
              "PKG SIZE", "PKG QTY", "BILLUNITS", "BILLUNITSPKG"]
    body = [[code, CPT_DESCRIPTOR if code[0].isdigit() else "invented short", labeler, ndc, drug, dosage,
             size, qty, units, per_package]
            for code, labeler, ndc, drug, dosage, size, qty, units, per_package in rows]
    path = Path(folder) / name
    path.write_bytes(_csv([row + [""] * (width - len(row)) for row in [*titles, header, *body]]))
    return path


def write_mue(folder: Path, setting: str = "DME Supplier Services", rows=MUE_ROWS,
              date: str = "04-01-2030") -> Path:
    notice = "Invented copyright notice line one.\n\nInvented line two.\n\nInvented line three."
    table = [[notice, "", "", ""], ["HCPCS/\nCPT Code", f"{setting} MUE Values", "MUE Adjudication Indicator",
                                    "MUE Rationale"], *[list(r) for r in rows]]
    path = Path(folder) / f"MCR_MUE_{setting.replace(' ', '')}_Eff_{date}.csv"
    path.write_bytes(_csv(table, line_end="\n"))
    return path


def write_payment_folder(folder: Path) -> Path:
    """One file of each kind (January 2030, as the sample release), plus an April 2030 drug file."""
    folder = Path(folder)
    (folder / "dmepos").mkdir(parents=True, exist_ok=True)
    (folder / "asp").mkdir(exist_ok=True)
    (folder / "mue").mkdir(exist_ok=True)
    write_dmepos_xlsx(folder / "dmepos" / "DMEPOS30_JAN.xlsx")
    write_dmepos_csv(folder / "dmepos" / "DMEPOS29_OCT.csv", month="October 2029",
                     rows=[(*DMEPOS_ROWS[1][:7], {s: (v[0] - 1, v[1] - 1) for s, v in DMEPOS_ROWS[1][7].items()})])
    write_drug_limits(folder / "asp")
    write_drug_limits(folder / "asp", effective=("April 1, 2030", "June 30, 2030"), rows=NEWER_DRUG_ROWS,
                      name="section 508 version of April 2030 Medicare Part B Payment Limit File 031730.csv")
    write_crosswalk(folder / "asp")
    write_mue(folder / "mue")
    write_mue(folder / "mue", setting="Practitioner Services",
              rows=[r if r[0] != "E0431" else (r[0], "0", r[2], "CMS Policy") for r in MUE_ROWS])
    return folder


def truncate(path: Path, keep: float = 0.8) -> Path:
    """Cut the file's bytes to the first `keep` share, as an interrupted download does."""
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: int(len(data) * keep)])
    return path
