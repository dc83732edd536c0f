"""Read CMS's Medicare payment files as shipped: DMEPOS fee schedules, Part B drug payment
limits, the ASP NDC-HCPCS crosswalk and Medically Unlikely Edits.

Each file is read from its bytes (xlsx, or CMS's "section 508" csv) with its title rows, its
header (found by its column names, wherever it sits) and its effective period. Only HCPCS
Level II rows are kept: the CPT rows these files also carry are dropped here, and no
description column is kept at all (codes are described by the release). A file that is not
what its name says, is truncated or damaged raises PaymentFileError naming the file and the
problem.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import math
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from . import build_cache
from .errors import ReleaseError
from .release_files import MAX_DATA_BYTES, SourceFile, is_release_name
from .safe_files import read_file

KIND_LABELS = {
    "dmepos": "DMEPOS fee schedule",
    "drug_limits": "Part B drug payment limit file",
    "ndc": "ASP NDC-HCPCS crosswalk",
    "mue": "Medically Unlikely Edits",
}
LEVEL_II = re.compile(r"[A-Z]\d{4}")
CPT = re.compile(r"\d{4}[0-9A-Z]")
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_HEADER_ROWS = 40  # the header must be among the first rows


class PaymentFileError(ReleaseError):
    """A payment file that cannot be read: which file, where in it, what is wrong."""


@dataclass
class PaymentFile:
    """One CMS payment file, read: its kind, identity, effective period and Level II rows."""

    kind: str  # a key of KIND_LABELS
    section: str  # "DMEPOS" or "PEN" fee schedule, the MUE setting, else ""
    name: str
    sha256: str
    bytes: int
    period_start: str  # ISO date
    period_end: str | None  # ISO date, or None when the file gives no end
    rows: list[dict] = field(default_factory=list)
    dropped: int = 0  # CPT rows left out
    columns: list[str] = field(default_factory=list)  # DMEPOS: the states, in the order of each row's fees

    @property
    def period(self) -> str:
        """"January 2026", "October 1, 2025 - December 31, 2025" or "from April 1, 2026"."""
        start = dt.date.fromisoformat(self.period_start)
        if self.kind == "dmepos":
            return start.strftime("%B %Y")
        text = f"{start:%B} {start.day}, {start.year}"
        if not self.period_end:
            return f"from {text}"
        end = dt.date.fromisoformat(self.period_end)
        return f"{text} - {end:%B} {end.day}, {end.year}"

    @property
    def label(self) -> str:
        what = f"{self.section} " if self.kind == "dmepos" and self.section == "PEN" else ""
        setting = f" ({self.section})" if self.kind == "mue" else ""
        return f"{what}{KIND_LABELS[self.kind]}{setting}, {self.period}"


def kind_from_name(name: str) -> str | None:
    """The kind of payment file a CMS file name announces, or None."""
    base = Path(name).name.lower()
    if re.match(r"dme(pos|pen)\d\d_", base):
        return "dmepos"
    if "crosswalk" in base and "ndc" in base:
        return "ndc"
    if "asp pricing file" in base or "payment limit file" in base:
        return "drug_limits"
    if base.startswith("mcr_mue_") or re.search(r"\bmue\b", base.replace("_", " ")):
        return "mue"
    return None


def is_payment_file(path: Path) -> bool:
    """Whether `path` is a CMS payment file this project reads: named like one, or, whatever its
    name, a .csv or .xlsx (none of CMS's release files) whose first rows are a payment file's
    title rows and header (the July 2026 payment limits a user saved as
    `cms-july-2026-part-b-payment-limits.csv`)."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        return False
    if kind_from_name(path.name) is not None:
        return True
    if is_release_name(path.name):
        return False
    return kind_of_content(path) is not None


def imports_as_payment_file(path: Path) -> bool:
    """Whether importing `path` adds a payment file (else it imports a release): a payment file,
    or any .csv, which no CMS release ships (reading it then says what it lacks)."""
    return Path(path).suffix.lower() == ".csv" or is_payment_file(path)


def kind_of_content(path: Path) -> str | None:
    """The kind of payment file the first rows of the file at `path` show, or None (also for a
    file that cannot be read: reading it for real says why)."""
    try:
        data = read_file(Path(path), MAX_DATA_BYTES)
        found = _find_header(_table(Path(path).name, data))
    except (ReleaseError, OSError, ValueError):
        return None
    return found[0] if found else None


def find_payment_files(folder: Path) -> list[Path]:
    """The payment files under `folder` (any depth), in name order."""
    return sorted((p for p in Path(folder).rglob("*") if p.is_file() and is_payment_file(p)), key=lambda p: p.name)


def read_payment_file(path: Path) -> PaymentFile:
    """Read one payment file (kept in the build cache under its name and content); PaymentFileError
    when it cannot be."""
    try:  # as a release file is read: a pipe or a device is refused at once, a huge file never read
        data = read_file(Path(path), MAX_DATA_BYTES)  # the largest real payment file is 2.8 MB
    except ReleaseError as exc:
        raise PaymentFileError(exc.file, exc.problem, exc.where) from None
    name = Path(path).name
    return build_cache.cached("payment", [name, build_cache.content_key(data)], lambda: parse_payment_file(name, data),
                              encode=_kept_form, decode=_kept_payment_file)


def _kept_form(file: PaymentFile) -> dict:
    """A payment file for the build cache: its facts, and its rows as lists of values under one list
    of columns, a DMEPOS row's fees as the hex of their doubles (exact, and read far quicker than
    a hundred numbers of JSON)."""
    columns = list(file.rows[0]) if file.rows else []
    if any(list(row) != columns for row in file.rows):
        raise ValueError("rows of different columns")
    facts = {f.name: getattr(file, f.name) for f in dataclasses.fields(file) if f.name != "rows"}
    rows = [[_packed(row[c]) if c == "fees" else row[c] for c in columns] for row in file.rows]
    return {**facts, "row_columns": columns, "rows": rows}


def _kept_payment_file(value) -> PaymentFile:
    """The payment file of a build cache entry (see `_kept_form`); TypeError or ValueError when it
    holds anything else."""
    value = dict(value)
    columns, rows = value.pop("row_columns"), value.pop("rows")
    if not rows or any(len(row) != len(columns) for row in rows):
        raise ValueError("not a payment file's rows")
    fees = columns.index("fees") if "fees" in columns else None
    found = []
    for row in rows:
        row = dict(zip(columns, row))
        if fees is not None:
            row["fees"] = _unpacked(row["fees"])
        found.append(row)
    return PaymentFile(**value, rows=found)


def _packed(fees: list[float]) -> str:
    return struct.pack(f"<{len(fees)}d", *fees).hex()


def _unpacked(text: str) -> list[float]:
    data = bytes.fromhex(text)
    if len(data) % 8:
        raise ValueError("not a row's fees")
    return list(struct.unpack(f"<{len(data) // 8}d", data))


def parse_payment_file(name: str, data: bytes) -> PaymentFile:
    """Read a payment file from its name and bytes."""
    rows = _table(name, data)
    claimed = kind_from_name(name)
    found = _find_header(rows)
    if found is None:
        what = KIND_LABELS[claimed] if claimed else "CMS payment file"
        raise PaymentFileError(name, f"no {what} header row in its first {_HEADER_ROWS} rows; "
                                     "the file is truncated, damaged or not what its name says")
    kind, at = found
    if claimed and kind != claimed:
        raise PaymentFileError(name, f"named like a {KIND_LABELS[claimed]} but holds a {KIND_LABELS[kind]}")
    header = [_words(c) for c in rows[at]]
    titles = " ".join(str(c) for row in rows[:at] for c in row if c)
    reader = _READERS[kind]
    result = PaymentFile(kind=kind, section="", name=name, sha256=hashlib.sha256(data).hexdigest(),
                         bytes=len(data), period_start="", period_end=None)
    reader(result, header, rows[at + 1:], at + 2, titles)
    if not result.rows:
        raise PaymentFileError(name, "no HCPCS Level II rows under the header; the file is empty or truncated")
    return result


# Reading the cells ---------------------------------------------------------------------------------


def _table(name: str, data: bytes) -> list[list]:
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(name, data)
    if suffix == ".csv":
        return _csv_rows(name, data)
    raise PaymentFileError(name, "is neither an .xlsx workbook nor a .csv file")


def _xlsx_rows(name: str, data: bytes) -> list[list]:
    """The cells of the first sheet, read as a release's workbook is (`workbooks.first_sheet`: its
    expansion capped, in a child process limited in memory); numbers stay numbers (taken as they
    are by _Rows.number), text stays text."""
    from .workbooks import first_sheet

    if not data.startswith(b"PK"):
        raise PaymentFileError(name, "is not an xlsx workbook (it does not start as one)")
    try:
        return first_sheet(SourceFile(name, data))
    except ReleaseError as exc:
        raise PaymentFileError(name, f"is a damaged or truncated xlsx workbook: {exc.problem}", exc.where) from None


def _csv_rows(name: str, data: bytes) -> list[list]:
    """The rows of a csv file that ends as CMS's do: with a line break after its last row, outside
    any quoted cell (a file that stops inside a row was cut off)."""
    if b"\x00" in data:
        raise PaymentFileError(name, "holds NUL bytes: it is not a text csv file, or is damaged")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # CMS's csv files are Windows text
    rows: list[list] = []
    try:
        rows.extend(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        if str(exc) != "unexpected end of data":
            raise PaymentFileError(name, f"is not a readable csv file ({exc})", f"row {len(rows) + 1}") from None
        cut = len(rows) + 1  # inside a quoted cell
    else:
        if not text or text.endswith("\n"):
            return rows
        cut = len(rows)
    raise PaymentFileError(name, "the file is truncated: it ends inside a row, with no line break after it "
                                 "(as an interrupted download does)", f"row {cut}")


def _words(cell: str) -> str:
    return " ".join(str(cell).split()).lower()


def _find_header(rows) -> tuple[str, int] | None:
    for at, row in enumerate(rows[:_HEADER_ROWS]):
        cells = {_words(c) for c in row if c}
        if {"hcpcs", "mod", "mod2"} <= cells:
            return "dmepos", at
        if {"hcpcs code", "hcpcs code dosage", "payment limit"} <= cells:
            return "drug_limits", at
        if {"ndc2", "billunits", "billunitspkg"} <= cells:
            return "ndc", at
        if "mue adjudication indicator" in cells and any(c.endswith("mue values") for c in cells):
            return "mue", at
    return None


class _Rows:
    """Data rows under a header: columns by name, numbers checked, CPT rows dropped."""

    def __init__(self, file: PaymentFile, header: list[str], rows, first_line: int):
        self.file, self.header, self.rows, self.first_line = file, header, rows, first_line

    def column(self, *names: str, required: bool = True) -> int | None:
        for name in names:
            if name in self.header:
                return self.header.index(name)
        if required:
            raise PaymentFileError(self.file.name, f"the header has no '{names[0]}' column")
        return None

    def each(self, code_column: int = 0):
        """(line, row) for each Level II data row; CPT rows are counted and skipped."""
        for offset, row in enumerate(self.rows):
            line = self.first_line + offset  # the table's row number (a quoted cell may span lines)
            code = str(row[code_column]).strip() if len(row) > code_column else ""
            if not code and not any(str(c).strip() for c in row):
                continue
            if len(row) != len(self.header):  # CMS's rows are all as wide as the header, empty columns too
                raise PaymentFileError(self.file.name, f"has {len(row)} cells where the header has "
                                                       f"{len(self.header)}: the row is truncated or shifted",
                                       f"row {line}")
            if CPT.fullmatch(code):
                self.file.dropped += 1
                continue
            if not LEVEL_II.fullmatch(code):
                raise PaymentFileError(self.file.name, f"{code!r} is not a HCPCS code", f"row {line}")
            yield line, row

    def number(self, row, column: int | None, line: int, what: str) -> float | None:
        """The number in a cell, None for an empty or N/A one; every number of these files is an
        amount, a count or a percentage: a value below zero, infinite or NaN is refused."""
        if column is None:
            return None
        cell = row[column]
        try:
            value = float(cell)  # the common case, fast: most cells of these files are plain numbers
        except (ValueError, TypeError):
            text = str(cell).strip().replace(",", "").replace("$", "")
            if not text or text.upper() in ("N/A", "NA"):  # CMS writes N/A where no limit applies
                return None
            try:
                value = float(text)
            except ValueError:
                value = math.nan
        if not 0 <= value < math.inf:
            problem = f"{cell!r} in {what} is not a number of zero or more"
            raise PaymentFileError(self.file.name, problem, f"row {line}")
        return value


def _text(row, column: int | None) -> str:
    return " ".join(str(row[column]).split()) if column is not None and column < len(row) else ""


# Periods -------------------------------------------------------------------------------------------


def _month(word: str) -> int:
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(word.lower()[:3]))


def _month_year(text: str) -> str | None:
    found = re.search(rf"\b{_MONTH}\s+(20\d\d)\b", text, re.IGNORECASE)
    return dt.date(int(found.group(2)), _month(found.group(1)), 1).isoformat() if found else None


def _effective(text: str) -> tuple[str, str] | None:
    date = rf"{_MONTH}\s+(\d{{1,2}}),\s*(20\d\d)"
    found = re.search(rf"effective\s+{date}\s+(?:through|to|-)\s+{date}", text, re.IGNORECASE)
    if not found:
        return None
    g = found.groups()
    return (dt.date(int(g[2]), _month(g[0]), int(g[1])).isoformat(),
            dt.date(int(g[5]), _month(g[3]), int(g[4])).isoformat())


def _period(file: PaymentFile, titles: str) -> None:
    if file.kind == "dmepos":
        start = _month_year(re.sub(r"\s+", " ", titles)) or _name_month_year(file.name)
        if not start:
            raise PaymentFileError(file.name, "neither its title rows nor its name tell the month of the fee schedule")
        file.period_start = start
    elif file.kind == "mue":
        found = re.search(r"eff_(\d\d)-(\d\d)-(20\d\d)", file.name, re.IGNORECASE)
        if not found:
            raise PaymentFileError(file.name, "its name does not tell the effective date "
                                              "(expected e.g. _Eff_04-01-2026)")
        month, day, year = map(int, found.groups())
        file.period_start = dt.date(year, month, day).isoformat()
    else:
        found = _effective(titles)
        if not found:
            raise PaymentFileError(file.name, "its title rows do not tell the effective dates "
                                              "(expected 'Effective January 1, 2026 through March 31, 2026')")
        file.period_start, file.period_end = found
        if file.period_end < file.period_start:
            raise PaymentFileError(file.name, f"its title rows give an effective period that ends before it starts "
                                              f"({file.period_start} to {file.period_end})")


def _name_month_year(name: str) -> str | None:
    found = re.search(r"(\d\d)_([a-z]{3})", name.lower())
    if not found or not any(m.startswith(found.group(2)) for m in MONTHS):
        return None
    return dt.date(2000 + int(found.group(1)), _month(found.group(2)), 1).isoformat()


# Each kind -----------------------------------------------------------------------------------------

_STATE = re.compile(r"([a-z]{2}) ?\((nr|r)\)")


def _read_dmepos(file: PaymentFile, header, rows, first_line, titles) -> None:
    _period(file, titles)
    file.section = "PEN" if "enteral" in titles.lower() or file.name.upper().startswith("DMEPEN") else "DMEPOS"
    table = _Rows(file, header, rows, first_line)
    code, mod, mod2 = table.column("hcpcs"), table.column("mod"), table.column("mod2")
    juris, catg = table.column("juris", required=False), table.column("catg", required=False)
    ceiling, floor = table.column("ceiling", required=False), table.column("floor", required=False)
    states: dict[str, dict[str, int]] = {}
    for i, name in enumerate(header):
        found = _STATE.fullmatch(name)
        if found:
            states.setdefault(found.group(1).upper(), {})[found.group(2)] = i
    if not states or any(set(columns) != {"nr", "r"} for columns in states.values()):
        raise PaymentFileError(file.name, "the header lacks the non-rural and rural fee columns of each state "
                                          "('AL (NR)', 'AL (R)', ...)")
    file.columns = list(states)
    fee_columns = [columns[kind] for columns in states.values() for kind in ("nr", "r")]
    fee_names = [f"{state} ({kind})" for state in states for kind in ("NR", "R")]
    for line, row in table.each(code):
        cells = [row[i] for i in fee_columns]
        try:
            fees = list(map(float, cells))  # fast: the fees of a row are plain numbers
        except (ValueError, TypeError):
            fees = []
        if len(fees) != len(cells) or not all(0 <= fee < math.inf for fee in fees):
            fees = [table.number(cells, i, line, name) for i, name in enumerate(fee_names)]
            if None in fees:
                raise PaymentFileError(file.name, f"no fee in {fee_names[fees.index(None)]}", f"row {line}")
        file.rows.append({
            "code": str(row[code]).strip(), "modifier": _text(row, mod), "modifier2": _text(row, mod2),
            "jurisdiction": _text(row, juris), "category": _text(row, catg),
            "ceiling": table.number(row, ceiling, line, "Ceiling"), "floor": table.number(row, floor, line, "Floor"),
            "fees": fees,
        })


def _read_drug_limits(file: PaymentFile, header, rows, first_line, titles) -> None:
    _period(file, titles)
    table = _Rows(file, header, rows, first_line)
    code = table.column("hcpcs code")
    columns = {
        "dosage": table.column("hcpcs code dosage"),
        "payment_limit": table.column("payment limit"),
        "coinsurance": table.column("co-insurance percentage", "coinsurance percentage", required=False),
        "vaccine_awp": table.column("vaccine awp%", required=False),
        "vaccine_limit": table.column("vaccine limit", required=False),
        "blood_awp": table.column("blood awp%", required=False),
        "blood_limit": table.column("blood limit", required=False),
        "clotting_factor": table.column("clotting factor", required=False),
        "notes": table.column("notes", required=False),
    }
    texts = {"dosage", "notes"}
    for line, row in table.each(code):
        record = {"code": str(row[code]).strip()}
        for key, column in columns.items():
            record[key] = _text(row, column) if key in texts else table.number(row, column, line, key.replace("_", " "))
        file.rows.append(record)


def _read_ndc(file: PaymentFile, header, rows, first_line, titles) -> None:
    from .ndc import NdcError, normal_ndc

    _period(file, titles)
    table = _Rows(file, header, rows, first_line)
    code = next((i for i, name in enumerate(header) if re.fullmatch(r"_?(20\d\d)_code", name)), None)
    if code is None:
        raise PaymentFileError(file.name, "the header has no HCPCS code column ('_2026_CODE')")
    ndc = table.column("ndc2")
    labeler, drug = table.column("labeler name", required=False), table.column("drug name", required=False)
    dosage, size, quantity = table.column("hcpcs dosage"), table.column("pkg size"), table.column("pkg qty")
    units, per_package = table.column("billunits"), table.column("billunitspkg")
    for line, row in table.each(code):
        shipped = _text(row, ndc)
        try:
            normal = normal_ndc(shipped)
        except NdcError:  # CMS lists a few devices under a product number that is no NDC
            normal = re.sub(r"\D", "", shipped)
            if not normal:
                problem = f"{shipped!r} in NDC2 is not a product number"
                raise PaymentFileError(file.name, problem, f"row {line}") from None
        file.rows.append({
            "code": str(row[code]).strip(), "ndc": normal, "ndc_shipped": shipped,
            "labeler": _text(row, labeler), "drug_name": _text(row, drug),
            "dosage": _text(row, dosage),
            "package_size": table.number(row, size, line, "PKG SIZE"),
            "package_quantity": table.number(row, quantity, line, "PKG QTY"),
            "billing_units": table.number(row, units, line, "BILLUNITS"),
            "billing_units_per_package": table.number(row, per_package, line, "BILLUNITSPKG"),
        })


def _read_mue(file: PaymentFile, header, rows, first_line, titles) -> None:
    _period(file, titles)
    table = _Rows(file, header, rows, first_line)
    code = table.column("hcpcs/ cpt code", "hcpcs/cpt code", "hcpcs code")
    values = next(i for i, name in enumerate(header) if name.endswith("mue values"))
    words = header[values][: -len(" mue values")].split()
    file.section = " ".join(w.capitalize() if w != "dme" else "DME" for w in words)
    indicator, rationale = table.column("mue adjudication indicator"), table.column("mue rationale")
    for line, row in table.each(code):
        file.rows.append({
            "code": str(row[code]).strip(), "units": table.number(row, values, line, "MUE Values"),
            "adjudication": _text(row, indicator), "rationale": _text(row, rationale),
        })


_READERS = {"dmepos": _read_dmepos, "drug_limits": _read_drug_limits, "ndc": _read_ndc, "mue": _read_mue}
