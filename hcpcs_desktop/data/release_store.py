"""Several releases kept side by side: one database per release, named by its release date.

The store is a folder (by default `releases` in the user data folder) of databases
such as `2025-10-01.sqlite`. The bundled database and the user's default database,
when present, are known releases too, so that a comparison can reach them, and so are the
earlier releases a database carries (see `history.py`) when no database of their own holds them.

An import holds the store's lock (`.lock`, through `filelock`), so imports never
interleave. The database the user last chose to look at is remembered in
`choice.json`, so that the next start opens it again (else the newest).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from . import locations
from .database import DatabaseError, open_database, release_info
from .errors import ReleaseError
from .history import earlier_releases
from .release_index import ReleaseIndex
from .safe_files import read_file, replacing

if TYPE_CHECKING:
    from .bridges import BridgeSources
    from .build import BuildReport
    from .payment_tables import PaymentImport

LOCK_NAME = ".lock"  # held while an import changes the store
CHOICE_NAME = "choice.json"  # the database the user last chose to look at
CHOICE_BYTES = 64 * 1024  # what it holds is a path


class StoreBusy(ReleaseError):
    """Another import into the same store did not finish in time."""


@dataclass(frozen=True)
class StoredRelease:
    """A release the store knows: "October 2025", "2025-10-01" and its database."""

    name: str
    release_date: str
    path: Path
    file_name: str = field(default="", compare=False)  # the release file it was built from
    data_sha256: str = field(default="", compare=False)  # of the release's data file
    carried: bool = False  # an earlier release carried inside the database at `path` (see history.py)

    @property
    def where(self) -> str:
        """Where the release is: its database, or "inside" it for a release carried there."""
        return f"inside {self.path}" if self.carried else str(self.path)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the release stored, its build report and the release it replaced.

    `replaced` is the earlier database of the same release date (a re-publication such as
    a `_v2` file or a correction supersedes it); `report.layout_from` / `notes_from` name
    the stored release the layout and notes were taken from when the release had none;
    `report.undecoded` lists the values whose meaning is unknown.
    """

    release: StoredRelease
    report: BuildReport
    replaced: StoredRelease | None = None

    @property
    def name(self) -> str:
        return self.release.name

    @property
    def release_date(self) -> str:
        return self.release.release_date

    @property
    def path(self) -> Path:
        return self.release.path


def default_folder() -> Path:
    """The user's store: `releases` in the user data folder."""
    return platformdirs.user_data_path(locations.APP_NAME, appauthor=False) / "releases"


def read_release(path: Path) -> StoredRelease:
    """The release a database holds, from its `release` and `source_files` tables."""
    return read_releases(path)[0]


def read_releases(path: Path) -> list[StoredRelease]:
    """The release a database holds, then the earlier releases it carries, oldest first."""
    return _as_releases(path, _listing(path))


def _listing(path: Path) -> list[list]:
    """[name, release date, file name, data sha256, carried] of the release a database holds, then
    of the earlier releases it carries, oldest first (what the release index keeps of a database)."""
    conn = open_database(path)
    try:
        info = release_info(conn)
        carried = earlier_releases(conn)
    finally:
        conn.close()
    files = {f["role"]: f for f in info["source_files"]}
    given = files.get("release") or files.get("data") or {}
    return [[info["name"], info["release_date"], given.get("name", ""), files.get("data", {}).get("sha256", ""), False],
            *([r["name"], r["release_date"], r["file_name"], r["data_sha256"], True] for r in carried)]


def _as_releases(path: Path, listing: list[list]) -> list[StoredRelease]:
    return [StoredRelease(name, date, Path(path), file_name, sha256, carried=carried)
            for name, date, file_name, sha256, carried in listing]


class ReleaseStore:
    """The releases in `folder` plus `extra` databases (default: the user's and the bundled one).

    An import waits up to `lock_timeout` seconds for another import into the same folder
    to finish, then gives up with `StoreBusy`. What each database holds is kept in `index`
    (default: the one in the user's cache folder, see `release_index`).
    """

    def __init__(self, folder: Path | None = None, extra: Iterable[Path | None] | None = None,
                 lock_timeout: float = 60.0, index: ReleaseIndex | None = None):
        self.folder = Path(folder) if folder else default_folder()
        self.extra = list(extra) if extra is not None else [locations.default_database(), locations.bundled_database()]
        self.lock_timeout = lock_timeout
        self.index = index or ReleaseIndex()

    def releases(self, shown: Path | None = None) -> list[StoredRelease]:
        """Every known release, oldest first; one per release date: the database `shown` (the one
        a window or command has open, also when it is none of the store's) first, then the store's
        own copy, then the extra databases.

        A file that is not a database of this schema (left by an older version) is skipped. A
        database is read and checked as `read_releases` does, unless the index holds it as it is.
        """
        stored = sorted(p for p in self.folder.glob("*.sqlite") if not p.name.startswith("."))
        paths = [path for path in [*([shown] if shown else []), *stored, *(p for p in self.extra if p)]
                 if Path(path).is_file()]
        found: list[StoredRelease] = []
        for path, listing in self.index.listings(paths, _listing):
            if listing is not None:
                found += _as_releases(path, listing)
        by_date: dict[str, StoredRelease] = {}
        for release in sorted(found, key=lambda r: r.carried):  # a database of its own first
            by_date.setdefault(release.release_date, release)
        return sorted(by_date.values(), key=lambda r: r.release_date)

    def newest(self) -> StoredRelease | None:
        releases = self.releases()
        return releases[-1] if releases else None

    def find(self, key: str) -> StoredRelease | None:
        """The release whose date ("2019-01-01") or name ("January 2019") is `key`."""
        wanted = key.strip().lower()
        return next((r for r in self.releases() if wanted in (r.release_date, r.name.lower())), None)

    # ----- the release to open

    def remember(self, path: Path) -> bool:
        """Remember `path` as the database the user chose to look at (in `choice.json`).

        Written atomically; False when the store folder cannot be written (nothing else
        depends on it).
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with replacing(self.folder / CHOICE_NAME) as out:
                out.write(json.dumps({"path": str(Path(path).resolve())}).encode("utf-8"))
        except OSError:
            return False
        return True

    def chosen(self) -> StoredRelease | None:
        """The database last remembered, while it is still a readable database; else None (a pipe
        or a device in the place of `choice.json` is not waited on)."""
        try:
            path = Path(json.loads(read_file(self.folder / CHOICE_NAME, CHOICE_BYTES))["path"])
            return read_release(path)
        except (ValueError, KeyError, TypeError, RecursionError, DatabaseError):  # a ReleaseError is a ValueError
            return None

    def to_open(self) -> StoredRelease | None:
        """The release to show at start: the one last chosen, else the newest known."""
        return self.chosen() or self.newest()

    def database_to_open(self) -> Path:
        """The database to open when none is named: $HCPCS_DESKTOP_DB when set, else `to_open()`,
        else `locations.default_database()` (which may not exist yet)."""
        if os.environ.get(locations.DB_ENV):
            return locations.default_database()
        release = self.to_open()
        return release.path if release else locations.default_database()

    # ----- importing

    def import_release(self, release: Path, layout: Path | None = None, notes: Path | None = None,
                       progress=None, bridges: BridgeSources | None = None) -> ImportResult:
        """Build `release` into the store as `<release date>.sqlite`, or change nothing.

        Releases may come in any order. The very same data file as a stored release is
        refused; another file of a stored release date (a re-publication) replaces it,
        and the result says so. A release without record layout or processing notes
        takes them from the newest stored database that has them.

        The store is locked for the whole import, so two imports never interleave. The
        release is built into a hidden scratch folder inside the store first and its
        date read back from the build: that is the date `releases()` will read. Then it
        is renamed into place. Scratch folders of imports that were killed are removed
        first. Any problem raises `ReleaseError` and leaves the store's files as they
        were (the store folder itself is created on first use).
        """
        from .bridges import BridgeSources
        from .build import build_database  # the build machinery: loaded only to import

        with self._locked():
            self._remove_leftovers()
            known = self.releases()
            try:
                scratch_folder = tempfile.TemporaryDirectory(prefix=".import-", dir=self.folder)
            except OSError as exc:
                raise ReleaseError(str(self.folder), f"cannot write in this folder ({exc.strerror or exc}); "
                                   "nothing was changed") from None
            with scratch_folder as scratch:
                report = build_database(release, Path(scratch) / "release.sqlite", layout, notes, progress,
                                        bridges or BridgeSources(), documents_from=[r.path for r in reversed(known) if not r.carried])
                replaced = self._check_new(Path(release).name, report, known)
                own = replaced is not None and replaced.path.resolve().parent == self.folder.resolve()
                target = replaced.path if own else self.folder / f"{report.release_date}.sqlite"
                try:
                    os.replace(report.db_path, target)
                except OSError as exc:
                    raise ReleaseError(str(target), f"cannot write the database ({exc.strerror or exc}); "
                                       "nothing was changed") from None
        report.db_path = target
        return ImportResult(read_release(target), report, replaced)

    def import_payment_file(self, path: Path, also: Iterable[Path] = (),
                            own: bool = True) -> list[tuple[StoredRelease, PaymentImport]]:
        """Add a Medicare payment file to every database of the store's folder (unless `own`
        is False) and to the databases `also` names, or change none of them.

        The file is read first (a bad file raises `PaymentFileError` and nothing is written);
        then, under the store's lock, it goes into every database or none
        (`payment_tables.add_payment_file`). Returns each release with what the file did to it.
        """
        from .payment_files import read_payment_file
        from .payment_tables import add_payment_file

        file = read_payment_file(path)
        with self._locked():
            self._remove_leftovers()
            stored = sorted(p for p in self.folder.glob("*.sqlite") if not p.name.startswith(".")) if own else []
            targets = list({Path(p).resolve(): Path(p) for p in [*stored, *also] if Path(p).is_file()}.values())
            if not targets:
                raise ReleaseError(Path(path).name, "there is no stored release to add it to; import a CMS "
                                   "release first; nothing was changed")
            releases = [read_release(db) for db in targets]
            return list(zip(releases, add_payment_file(targets, file, self.lock_timeout)))

    @contextlib.contextmanager
    def _locked(self):
        from filelock import FileLock, Timeout  # for imports only: not loaded to start the window

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = FileLock(self.folder / LOCK_NAME, timeout=self.lock_timeout)
            lock.acquire()
        except Timeout:
            raise StoreBusy(str(self.folder), f"busy: another import into this folder did not finish within "
                            f"{self.lock_timeout:g} s; try again when it has finished; nothing was changed") from None
        except OSError as exc:
            raise ReleaseError(str(self.folder), f"cannot write in this folder ({exc.strerror or exc}); "
                               "nothing was changed") from None
        try:
            yield
        finally:
            lock.release()

    def _remove_leftovers(self) -> None:
        """Scratch folders of imports that were killed (called under the lock: none is running)."""
        for leftover in self.folder.glob(".import-*"):
            shutil.rmtree(leftover, ignore_errors=True)

    @staticmethod
    def _check_new(file_name: str, report: BuildReport, known: list[StoredRelease]) -> StoredRelease | None:
        """The known release of the same date, which `report` replaces, or None.

        The very same data file again (same release date, same sha256) is refused. A release
        carried inside another database is neither: imported, it gets a database of its own.
        """
        earlier = next((r for r in known if r.release_date == report.release_date and not r.carried), None)
        if earlier and earlier.data_sha256 == report.data_sha256:
            raise ReleaseError(file_name, f"{report.release_name} is already imported from the very same data "
                               f"({earlier.file_name or earlier.path.name}, {earlier.path}); nothing was changed")
        return earlier
