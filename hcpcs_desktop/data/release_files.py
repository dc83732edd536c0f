"""Find the files of a CMS release: a zip as downloaded, a folder, or one data file.

A release is read into memory as `SourceFile`s (name, bytes, sha256). Zip members
are never extracted to disk: their names and sizes are checked first, so a member
that tries to leave the folder or a zip bomb stops the import with a clear message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ReleaseError

DATA_SUFFIXES = (".txt", ".xlsx", ".xls")  # order of preference
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # the largest real ANWEB file is under 6 MB
MAX_COMPRESSION_RATIO = 200
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


@dataclass(frozen=True)
class SourceFile:
    """One input file, held in memory."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


@dataclass(frozen=True)
class ReleaseFiles:
    """The data file of a release and, when found, its record layout and notes."""

    data: SourceFile
    layout: SourceFile | None = None
    notes: SourceFile | None = None
    container: SourceFile | None = None  # the zip the files came from


def release_identity(file_name: str) -> tuple[str, str]:
    """("October 2025", "2025-10-01") from a CMS file name such as HCPC2025_OCT_ANWEB.xlsx."""
    upper = file_name.upper()
    year = re.search(r"(?:HCPC|^)(20\d\d)", upper) or re.search(r"(20\d\d)", upper)
    if not year:
        raise ReleaseError(file_name, "cannot tell the release year from the file name (expected e.g. HCPC2025_OCT_ANWEB)")
    month = next((i for i, m in enumerate(MONTHS, 1) if re.search(rf"(?<![A-Z]){m}(?![A-Z])", upper)), 1)
    date = dt.date(int(year.group(1)), month, 1)
    return date.strftime("%B %Y"), date.isoformat()


def is_data_name(name: str) -> bool:
    """Whether a file name looks like a release's ANWEB data file."""
    base = PurePosixPath(name).name.lower()
    return "anweb" in base and base.endswith(DATA_SUFFIXES) and "trans" not in base


def is_layout_name(name: str) -> bool:
    base = PurePosixPath(name).name.lower()
    return "recordlayout" in base.replace("_", "").replace("-", "") and base.endswith(".txt")


def is_notes_name(name: str) -> bool:
    base = PurePosixPath(name).name.lower()
    return base.startswith("proc_notes") and base.endswith(".txt")


def _release_date(name: str) -> str:
    """The release date a file name tells, or "" when it tells none."""
    try:
        return release_identity(name)[1]
    except ReleaseError:
        return ""


def _preference(name: str) -> int:
    return DATA_SUFFIXES.index(PurePosixPath(name).suffix.lower())


def read_zip(path: Path) -> dict[str, bytes]:
    """Every regular member of a zip, checked against path tricks and bombs."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReleaseError(path.name, f"not a readable zip file ({exc})") from None
    members: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise ReleaseError(path.name, "member name leaves the folder", f"member {name!r}")
            if info.is_dir():
                continue
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER_BYTES or ratio > MAX_COMPRESSION_RATIO:
                raise ReleaseError(
                    path.name,
                    f"member expands to {info.file_size:,} bytes (ratio {ratio:.0f}:1); "
                    "refusing what looks like a zip bomb",
                    f"member {name!r}",
                )
            try:
                with archive.open(info) as stream:
                    data = stream.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise ReleaseError(path.name, f"damaged zip ({exc})", f"member {name!r}") from None
            if len(data) > MAX_MEMBER_BYTES:
                raise ReleaseError(path.name, "member is larger than it claims", f"member {name!r}")
            members[name] = data
    return members


def _pick(names, test):
    """The newest (by the release its name tells) of the names that pass `test`, or None."""
    found = sorted((n for n in names if test(n)), key=lambda n: (_release_date(PurePosixPath(n).name), str(n)))
    return found[-1] if found else None


def find_release_files(path: Path) -> ReleaseFiles:
    """The files of the release at `path` (a zip, a folder or a data file)."""
    path = Path(path)
    if not path.exists():
        raise ReleaseError(str(path), "no such file or folder")
    if path.is_dir():
        return _from_folder(path)
    if path.suffix.lower() == ".zip":
        return _from_zip(path)
    if path.suffix.lower() not in DATA_SUFFIXES:
        raise ReleaseError(path.name, "not a release file: expected a .zip, .txt, .xlsx or .xls")
    return ReleaseFiles(SourceFile(path.name, path.read_bytes()))


def _from_zip(path: Path) -> ReleaseFiles:
    members = read_zip(path)
    data = sorted((n for n in members if is_data_name(n)), key=_preference)
    if not data:
        nested = [n for n in members if n.lower().endswith(".zip")]
        raise ReleaseError(
            path.name,
            "no ANWEB data file (.txt, .xlsx or .xls) in this zip"
            + (f"; it holds other zips: {', '.join(nested)}" if nested else ""),
        )

    def member(name):
        return SourceFile(PurePosixPath(name).name, members[name]) if name else None

    return ReleaseFiles(
        data=member(data[0]),
        layout=member(_pick(members, is_layout_name)),
        notes=member(_pick(members, is_notes_name)),
        container=SourceFile(path.name, path.read_bytes()),
    )


def _from_folder(path: Path) -> ReleaseFiles:
    files = [p for p in path.rglob("*") if p.is_file()]
    data = [p for p in files if is_data_name(p.name)]
    if data:
        # The newest release in the folder; of its files, the preferred form (.txt, .xlsx, .xls).
        newest = max(_release_date(p.name) for p in data)
        best = min((p for p in data if _release_date(p.name) == newest), key=lambda p: _preference(p.name))
        found = ReleaseFiles(SourceFile(best.name, best.read_bytes()))
    else:
        zips = sorted(p for p in files if p.suffix.lower() == ".zip" and "alpha-numeric" in p.name.lower())
        if not zips:
            raise ReleaseError(str(path), "no ANWEB data file or release zip in this folder")
        found = _from_zip(zips[-1])
    return ReleaseFiles(
        data=found.data,
        layout=found.layout or _read(_pick(files, lambda p: is_layout_name(p.name))),
        notes=found.notes or _read(_pick(files, lambda p: is_notes_name(p.name))),
        container=found.container,
    )


def _read(path: Path | None) -> SourceFile | None:
    return SourceFile(path.name, path.read_bytes()) if path else None


def read_text_file(path: Path) -> SourceFile:
    """A layout or notes file named by the user."""
    path = Path(path)
    if not path.is_file():
        raise ReleaseError(str(path), "no such file")
    return SourceFile(path.name, path.read_bytes())
