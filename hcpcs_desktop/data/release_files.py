"""Find and read the files of a CMS release: a zip as downloaded, a folder, or one data file.

This module alone knows CMS's file names: which file is a release's ANWEB data (the
`.txt`, `.xlsx` or `.xls` of one release, `_v2`/`_v3` for a re-publication), its record
layout, its processing notes, its NOC codes and corrections workbooks, and which are other
CMS files (transaction report, change listings) that are never read unless asked for by name
(`read_member`). It finds the newest release in a folder for `locations` too.

A release is read into memory as `SourceFile`s (name, bytes, sha256). Only regular files
are opened (a FIFO or a device is refused, never read), each under a size cap, and zip
members are never extracted to disk: their names and sizes are checked before anything
is expanded, so a member that tries to leave the folder or a zip bomb stops the import
with one clear `ReleaseError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ReleaseError
from .safe_files import MIB, read_file

DATA_SUFFIXES = (".txt", ".xlsx", ".xls")  # order of preference
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

# Size caps, set from the real releases of 2019, 2020 and October 2025 with a wide margin:
# the code set grows by a few per cent a year, so a real file ten times larger than today's
# is decades away, while anything beyond the cap is a wrong file (a disk image, a log,
# /dev/zero) that would otherwise be read whole into memory.
MAX_DATA_BYTES = 32 * MIB  # ANWEB files: 3.7 MB at most (2019 .txt; January 2026's is about 5.3 MB)
MAX_DOCUMENT_BYTES = 2 * MIB  # record layouts and processing notes: 62 KB at most
MAX_ZIP_BYTES = 64 * MIB  # release zips: 1.9 MB at most
MAX_ZIP_EXPANSION = 256 * MIB  # every member of a release zip together: 7.9 MB at most (2020)
MAX_WORKBOOK_EXPANSION = 128 * MIB  # an .xlsx is a zip too: October 2025's expands to 16 MB
MAX_COMPRESSION_RATIO = 200  # real members and workbook parts compress 29:1 at most
MAX_ZIP_MEMBERS = 1000  # release zips hold 7 members, workbooks 17 parts at most
MAX_FOLDER_DEPTH = 4  # releases sit at most 3 folders below the releases folder
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, RuntimeError,
              NotImplementedError, ValueError, struct.error)


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
    noc: SourceFile | None = None  # CMS's NOC codes workbook of the same release
    corrections: tuple[SourceFile, ...] = ()  # CMS's corrections workbooks of the same release
    container: SourceFile | None = None  # the zip the files came from
    alternates: tuple[SourceFile, ...] = ()  # the same release in the other formats, to check against `data`


# Names -------------------------------------------------------------------------------------------


def release_identity(file_name: str) -> tuple[str, str]:
    """("October 2025", "2025-10-01") from a CMS file name such as HCPC2025_OCT_ANWEB.xlsx."""
    upper = file_name.upper()
    year = re.search(r"(?:HCPC|^)(20\d\d)", upper) or re.search(r"(20\d\d)", upper)
    if not year:
        raise ReleaseError(file_name, "cannot tell the release year from the file name (expected e.g. HCPC2025_OCT_ANWEB)")
    month = next((i for i, m in enumerate(MONTHS, 1) if re.search(rf"(?<![A-Z]){m}(?![A-Z])", upper)), 1)
    date = dt.date(int(year.group(1)), month, 1)
    return date.strftime("%B %Y"), date.isoformat()


def _base(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name.lower()


def is_transaction_report_name(name: str) -> bool:
    """CMS's list of this release's changes: HCPC2019_Trans_Alpha.xlsx, ..._ANWEB_Transaction Report_....xlsx."""
    return bool(re.search(r"trans(action)?[ _-]*(alpha|report)", _base(name)))


def is_data_name(name: str) -> bool:
    """Whether a file name looks like a release's ANWEB data file (not its transaction report,
    corrections or NOC list, which are named after it)."""
    base = _base(name)
    return ("anweb" in base and base.endswith(DATA_SUFFIXES) and not is_transaction_report_name(base)
            and not re.search(r"correction|noc[ _-]*code", base))


def is_layout_name(name: str) -> bool:
    base = _base(name)
    return "recordlayout" in base.replace("_", "").replace("-", "") and base.endswith(".txt")


def is_notes_name(name: str) -> bool:
    base = _base(name)
    return base.startswith("proc_notes") and base.endswith(".txt")


def is_noc_name(name: str) -> bool:
    """CMS's list of not-otherwise-classified codes: NOC codes_APR2026.xlsx, NOC_Codes_2019.xlsx."""
    base = _base(name)
    return bool(re.search(r"\bnoc[ _-]*codes?\b", base.replace("_", " "))) and base.endswith((".xlsx", ".xls"))


def is_corrections_name(name: str) -> bool:
    """CMS's corrections to a release: HCPC2026_APR_Corrections.xlsx, HCPC2019_Corrections_ALPHA_v2.xlsx."""
    base = _base(name)
    return "correction" in base and base.endswith((".xlsx", ".xls"))


def is_release_name(name: str) -> bool:
    """Whether a file name is one of a release's files: its data, layout, notes, NOC codes,
    corrections or transaction report."""
    return any(test(name) for test in (is_data_name, is_layout_name, is_notes_name, is_noc_name,
                                       is_corrections_name, is_transaction_report_name, is_release_zip_name))


def is_release_zip_name(name: str) -> bool:
    """A zip CMS names as a release: 2020-Alpha-Numeric-HCPCS-File.zip, HCPC2026_JAN_ANWEB_....zip."""
    base = _base(name)
    return base.endswith(".zip") and ("alpha-numeric" in base or "anweb" in base)


def _release_date(name: str) -> str:
    """The release date a file name tells, or "" when it tells none."""
    try:
        return release_identity(name)[1]
    except ReleaseError:
        return ""


def _version(name: str) -> int:
    """A re-publication's number: 2 for HCPC2025_OCT_ANWEB_v2.xlsx, else 1."""
    found = re.search(r"_v(\d+)$", PurePosixPath(_base(name)).stem)
    return int(found.group(1)) if found else 1


def _release_key(name: str) -> tuple[str, int]:
    return _release_date(name), _version(name)


def _preference(name: str) -> int:
    return DATA_SUFFIXES.index(PurePosixPath(_base(name)).suffix)


# Reading files under caps --------------------------------------------------------------------------


def read_text_file(path: Path) -> SourceFile:
    """A layout or notes file named by the user."""
    path = Path(path)
    return SourceFile(path.name, read_file(path, MAX_DOCUMENT_BYTES))


def check_workbook_size(source: SourceFile) -> None:
    """Refuse an .xlsx (a zip of XML parts) that would expand beyond what a workbook reader should hold."""
    if source.suffix != ".xlsx":
        return
    with _open_zip(source.name, source.data, "not a readable workbook") as book:
        infos = book.infolist()
    _check_expansion(source.name, infos, MAX_WORKBOOK_EXPANSION)


def _open_zip(name: str, data: bytes, what: str) -> zipfile.ZipFile:
    """The zip in `data`, once its end record declares no more than MAX_ZIP_MEMBERS members
    (each costs memory as soon as the zip is opened); refused as `what` when unreadable."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if 0 <= end <= len(data) - 22:
        declared = struct.unpack_from("<H", data, end + 10)[0]  # 65,535 marks a zip64 archive
        if declared > MAX_ZIP_MEMBERS:
            raise ReleaseError(name, f"it declares {declared:,} members, more than a release holds "
                                     f"(at most {MAX_ZIP_MEMBERS:,})")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise ReleaseError(name, f"{what} ({exc})") from None


def _check_expansion(name: str, infos: list[zipfile.ZipInfo], cap: int) -> None:
    total = sum(info.file_size for info in infos)
    if total > cap:
        raise ReleaseError(name, f"its parts expand to {total:,} bytes, more than a CMS workbook does "
                                 f"(at most {cap:,}); refusing what looks like a zip bomb")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise ReleaseError(name, f"member expands {ratio:.0f}:1; refusing what looks like a zip bomb",
                               f"member {info.filename!r}")


# Zips ----------------------------------------------------------------------------------------------


class _Zip:
    """A zip read into memory (under MAX_ZIP_BYTES), its names checked; members expand only on request."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.name = self.path.name
        self.bytes = read_file(self.path, MAX_ZIP_BYTES)
        self.archive = _open_zip(self.name, self.bytes, "not a readable zip file")
        infos = self.archive.infolist()
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise ReleaseError(self.name, "member name leaves the folder", f"member {name!r}")
        total = sum(info.file_size for info in infos)
        if total > MAX_ZIP_EXPANSION:
            raise ReleaseError(self.name, f"its members expand to {total:,} bytes in all, more than a release "
                                          f"holds (at most {MAX_ZIP_EXPANSION:,}); refusing what looks like a zip bomb")
        self.members = [info for info in infos if not info.is_dir()]

    def names(self, test: Callable[[str], bool]) -> list[str]:
        return [info.filename for info in self.members if test(info.filename)]

    def read(self, name: str, cap: int) -> SourceFile:
        """One member, by its full name, refused before expanding when it claims too much."""
        info = self.archive.getinfo(name)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > cap or ratio > MAX_COMPRESSION_RATIO:
            raise ReleaseError(self.name, f"member expands to {info.file_size:,} bytes (ratio {ratio:.0f}:1); "
                                          "refusing what looks like a zip bomb", f"member {name!r}")
        try:
            with self.archive.open(info) as stream:
                data = stream.read(cap + 1)
        except ZIP_ERRORS as exc:
            raise ReleaseError(self.name, f"damaged zip ({exc})", f"member {name!r}") from None
        if len(data) > cap:
            raise ReleaseError(self.name, "member is larger than it claims", f"member {name!r}")
        return SourceFile(PurePosixPath(name.replace("\\", "/")).name, data)

    def source(self) -> SourceFile:
        return SourceFile(self.name, self.bytes)


def read_member(path: Path, wanted: str | Callable[[str], bool]) -> SourceFile:
    """One member of the zip at `path`, under the caps a data file has: the member whose base
    name is `wanted` (any case), or the first whose name passes `wanted` (such as
    `is_transaction_report_name`)."""
    archive = _Zip(path)
    test = wanted if callable(wanted) else (lambda name: _base(name) == str(wanted).lower())
    names = archive.names(test)
    if not names:
        held = ", ".join(PurePosixPath(info.filename).name for info in archive.members)
        raise ReleaseError(archive.name, f"no member {'named ' + repr(wanted) if isinstance(wanted, str) else 'of that kind'}"
                                         f" (it holds: {held})")
    return archive.read(names[0], MAX_DATA_BYTES)


def _newest_name(names, key=lambda name: name):
    """The newest (by the release its name tells) of `names`, or None."""
    found = sorted(names, key=lambda n: (_release_date(PurePosixPath(_base(key(n))).name), str(key(n))))
    return found[-1] if found else None


def _one_release(files: list[SourceFile], where: str) -> tuple[SourceFile, tuple[SourceFile, ...]]:
    """The data file to read (the preferred format) and the release's other formats.

    Two files of one format must be the same bytes: two different ANWEB files are refused.
    """
    by_suffix: dict[str, SourceFile] = {}
    for found in files:
        same = by_suffix.setdefault(found.suffix, found)
        if same.data != found.data:
            raise ReleaseError(where, f"holds two different ANWEB data files, {same.name} and {found.name}: "
                                      "keep only the one you mean")
    ordered = sorted(by_suffix.values(), key=lambda f: _preference(f.name))
    return ordered[0], tuple(ordered[1:])


def _from_zip(path: Path) -> ReleaseFiles:
    archive = _Zip(path)
    data = archive.names(is_data_name)
    if not data:
        nested = archive.names(lambda n: n.lower().endswith(".zip"))
        raise ReleaseError(
            archive.name,
            "no ANWEB data file (.txt, .xlsx or .xls) in this zip"
            + (f"; it holds other zips: {', '.join(nested)}" if nested else ""),
        )
    releases = {_release_key(name) for name in data}
    if len(releases) > 1:
        raise ReleaseError(archive.name, "holds ANWEB data files of different releases ("
                                         + ", ".join(PurePosixPath(n).name for n in data)
                                         + "): keep only the one you mean")
    chosen, alternates = _one_release([archive.read(name, MAX_DATA_BYTES) for name in data], archive.name)
    layout = _newest_name(archive.names(is_layout_name))
    notes = _newest_name(archive.names(is_notes_name))
    noc = _same_release(archive.names(is_noc_name), chosen.name)
    corrections = _all_of_release(archive.names(is_corrections_name), chosen.name)
    beside = _beside(path, chosen.name)
    return ReleaseFiles(
        data=chosen,
        layout=archive.read(layout, MAX_DOCUMENT_BYTES) if layout else None,
        notes=archive.read(notes, MAX_DOCUMENT_BYTES) if notes else None,
        noc=archive.read(noc, MAX_DOCUMENT_BYTES) if noc else beside.noc,
        corrections=tuple(archive.read(n, MAX_DOCUMENT_BYTES) for n in corrections) or beside.corrections,
        container=archive.source(),
        alternates=alternates,
    )


def _same_release(names, data_name: str, key=lambda name: name):
    """Of `names`, the one of the release `data_name` is of (its newest re-publication), or None."""
    date = _release_date(data_name)
    same = [n for n in names if _release_date(PurePosixPath(_base(str(key(n)))).name) == date]
    return max(same, key=lambda n: (_version(str(key(n))), str(key(n))), default=None)


def _all_of_release(names, data_name: str, key=lambda name: name) -> list:
    """Of `names`, every one of the release `data_name` is of, in name order (2019's two
    corrections workbooks are two lists, not a re-publication of one)."""
    date = _release_date(data_name)
    return sorted((n for n in names if _release_date(PurePosixPath(_base(str(key(n)))).name) == date),
                  key=lambda n: str(key(n)))


@dataclass(frozen=True)
class _Companions:
    """The NOC codes and corrections workbooks of a release, found beside its data."""

    noc: SourceFile | None = None
    corrections: tuple[SourceFile, ...] = ()


def _companions(paths: list[Path], data_name: str) -> _Companions:
    noc = _same_release((p for p in paths if is_noc_name(p.name)), data_name, key=lambda p: p.name)
    corrections = _all_of_release((p for p in paths if is_corrections_name(p.name)), data_name,
                                  key=lambda p: p.name)
    return _Companions(SourceFile(noc.name, read_file(noc, MAX_DOCUMENT_BYTES)) if noc else None,
                       tuple(SourceFile(p.name, read_file(p, MAX_DOCUMENT_BYTES)) for p in corrections))


def _beside(path: Path, data_name: str) -> _Companions:
    """The companions of the same release in the folder holding `path` (no deeper)."""
    try:
        files = [Path(e.path) for e in os.scandir(Path(path).parent) if e.is_file()]
    except OSError:
        return _Companions()
    return _companions(files, data_name)


# Folders -------------------------------------------------------------------------------------------


def _files_under(folder: Path) -> list[Path]:
    """The regular files in `folder` and its sub-folders (MAX_FOLDER_DEPTH deep, symbolic links
    to folders not followed), in name order; folders that cannot be read are passed over."""
    found: list[Path] = []

    def walk(current: str, depth: int) -> None:
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth < MAX_FOLDER_DEPTH:
                        walk(entry.path, depth + 1)
                elif entry.is_file():
                    found.append(Path(entry.path))
            except OSError:
                continue

    walk(str(folder), 1)
    return found


@dataclass(frozen=True)
class _Found:
    """A release in a folder: a loose data file, or a release zip dated by the data file inside."""

    key: tuple[str, int]  # (release date, version)
    path: Path
    loose: bool


def _releases_in(files: list[Path]) -> tuple[list[_Found], list[str]]:
    """The releases among `files`, and why release zips that could not be listed were passed over."""
    found = [_Found(_release_key(p.name), p, True) for p in files if is_data_name(p.name)]
    skipped = []
    for path in (p for p in files if is_release_zip_name(p.name)):
        try:
            names = _Zip(path).names(is_data_name)
        except ReleaseError as exc:
            skipped.append(str(exc))
            continue
        if names:
            found.append(_Found(max(_release_key(n) for n in names), path, False))
    return found, skipped


def _newest(found: list[_Found]) -> _Found | None:
    # Of one release, the loose files before a zip (as the folder of an unzipped zip holds them).
    return max(found, key=lambda f: (f.key, f.loose), default=None)


def newest_release_path(folder: Path) -> Path | None:
    """The newest release under `folder`: its ANWEB data file, or its zip; None when there is none."""
    if not Path(folder).is_dir():
        return None
    newest = _newest(_releases_in(_files_under(folder))[0])
    return newest.path if newest else None


def release_paths(folder: Path) -> dict[str, Path]:
    """{release date: its data file or zip} of every release under `folder` (for each date the
    newest re-publication, its loose files before its zip, the text before the workbook), oldest
    first."""
    if not Path(folder).is_dir():
        return {}
    found = sorted(_releases_in(_files_under(folder))[0],
                   key=lambda f: (f.key, f.loose, -_preference(f.path.name) if f.loose else 0))
    return dict(sorted({f.key[0]: f.path for f in found}.items()))


def release_date_of(path: Path) -> str:
    """The release date of the release at `path` (a data file, a zip or a folder), from the names
    of its data files; nothing is expanded. Raises ReleaseError when it holds no release."""
    path = Path(path)
    if path.is_dir():
        newest = _newest(_releases_in(_files_under(path))[0])
        if newest is None:
            raise ReleaseError(str(path), "no ANWEB data file or release zip in this folder")
        return newest.key[0]
    names = _Zip(path).names(is_data_name) if path.suffix.lower() == ".zip" else [path.name]
    return max(_release_key(name) for name in names)[0] if names else release_identity(path.name)[1]


def newest_document_path(kind: str, folder: Path) -> Path | None:
    """The newest record layout ("layout") or processing notes ("notes") text under `folder`."""
    if not Path(folder).is_dir():
        return None
    test = is_layout_name if kind == "layout" else is_notes_name
    dated = sorted((_release_date(p.name), p) for p in _files_under(folder) if test(p.name) and _release_date(p.name))
    return dated[-1][1] if dated else None


def _from_folder(path: Path) -> ReleaseFiles:
    try:
        os.scandir(path).close()
    except OSError as exc:
        raise ReleaseError(str(path), f"cannot read the folder ({exc.strerror or exc})") from None
    files = _files_under(path)
    releases, skipped = _releases_in(files)
    newest = _newest(releases)
    if newest is None:
        raise ReleaseError(str(path), "no ANWEB data file or release zip in this folder"
                                      + "".join(f"; passed over {problem}" for problem in skipped))
    if newest.loose:
        same = [f.path for f in releases if f.loose and f.key == newest.key]
        data, alternates = _one_release([SourceFile(p.name, read_file(p, MAX_DATA_BYTES)) for p in same], str(path))
        found = ReleaseFiles(data, alternates=alternates)
    else:
        found = _from_zip(newest.path)
    layout = _newest_name((p for p in files if is_layout_name(p.name)), key=lambda p: p.name)
    notes = _newest_name((p for p in files if is_notes_name(p.name)), key=lambda p: p.name)
    companions = _companions(files, found.data.name) if not (found.noc and found.corrections) else _Companions()
    return ReleaseFiles(
        data=found.data,
        layout=found.layout or (read_text_file(layout) if layout else None),
        notes=found.notes or (read_text_file(notes) if notes else None),
        noc=found.noc or companions.noc,
        corrections=found.corrections or companions.corrections,
        container=found.container,
        alternates=found.alternates,
    )


def find_release_files(path: Path) -> ReleaseFiles:
    """The files of the release at `path` (a zip, a folder or a data file)."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReleaseError(str(path), "no such file or folder") from None
    except OSError as exc:
        raise ReleaseError(str(path), f"cannot read it ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        return _from_folder(path)
    if path.suffix.lower() == ".zip":
        return _from_zip(path)
    if path.suffix.lower() not in DATA_SUFFIXES:
        raise ReleaseError(path.name, "not a release file: expected a .zip, .txt, .xlsx or .xls")
    beside = _beside(path, path.name)
    return ReleaseFiles(SourceFile(path.name, read_file(path, MAX_DATA_BYTES)), noc=beside.noc,
                        corrections=beside.corrections)
