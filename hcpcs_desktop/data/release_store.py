"""Several releases kept side by side: one database per release, named by its release date.

The store is a folder (by default `releases` in the user data folder) of databases
such as `2025-10-01.sqlite`. The bundled database and the user's default database,
when present, are known releases too, so that a comparison can reach them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from . import locations
from .bridges import BridgeSources
from .build import build_database
from .database import DatabaseError, open_database, release_info
from .errors import ReleaseError


@dataclass(frozen=True)
class StoredRelease:
    """A release the store knows: "October 2025", "2025-10-01" and its database."""

    name: str
    release_date: str
    path: Path


def default_folder() -> Path:
    """The user's store: `releases` in the user data folder."""
    return platformdirs.user_data_path(locations.APP_NAME, appauthor=False) / "releases"


def read_release(path: Path) -> StoredRelease:
    """The release a database holds, from its `release` table."""
    conn = open_database(path)
    try:
        info = release_info(conn)
    finally:
        conn.close()
    return StoredRelease(info["name"], info["release_date"], Path(path))


class ReleaseStore:
    """The releases in `folder` plus `extra` databases (default: the user's and the bundled one)."""

    def __init__(self, folder: Path | None = None, extra: Iterable[Path | None] | None = None):
        self.folder = Path(folder) if folder else default_folder()
        self.extra = list(extra) if extra is not None else [locations.default_database(), locations.bundled_database()]

    def releases(self) -> list[StoredRelease]:
        """Every known release, oldest first; one per release date, the store's own copy first.

        A file that is not a database of this schema (left by an older version) is skipped.
        """
        stored = sorted(p for p in self.folder.glob("*.sqlite") if not p.name.startswith("."))
        by_date: dict[str, StoredRelease] = {}
        for path in [*stored, *(p for p in self.extra if p)]:
            if not Path(path).is_file():
                continue
            try:
                release = read_release(path)
            except DatabaseError:
                continue
            by_date.setdefault(release.release_date, release)
        return sorted(by_date.values(), key=lambda r: r.release_date)

    def newest(self) -> StoredRelease | None:
        releases = self.releases()
        return releases[-1] if releases else None

    def find(self, key: str) -> StoredRelease | None:
        """The release whose date ("2019-01-01") or name ("January 2019") is `key`."""
        wanted = key.strip().lower()
        return next((r for r in self.releases() if wanted in (r.release_date, r.name.lower())), None)

    def import_release(self, release: Path, layout: Path | None = None, notes: Path | None = None,
                       progress=None, bridges: BridgeSources = BridgeSources()) -> StoredRelease:
        """Build `release` into the store as `<release date>.sqlite`, or change nothing.

        The release is built into a hidden scratch folder inside the store first and its
        date read back from the built `release` table: that is the date `releases()` will
        read, whichever file of a zip or folder the build took it from, so the check below
        cannot disagree with the store's order. Then it is renamed into place, or refused
        if it is the same release as one already known or older than the newest. A refusal
        costs one build (under a second for a real release); a broken file raises whatever
        `build_database` raises. Either way the scratch folder goes and the store's files are as
        they were (the store folder itself is created on first use).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".import-", dir=self.folder) as scratch:
            report = build_database(release, Path(scratch) / "release.sqlite", layout, notes, progress, bridges)
            self._check_new(Path(release).name, report.release_name, report.release_date)
            target = self.folder / f"{report.release_date}.sqlite"
            os.replace(report.db_path, target)
        return StoredRelease(report.release_name, report.release_date, target)

    def _check_new(self, file_name: str, name: str, date: str) -> None:
        releases = self.releases()
        same = next((r for r in releases if r.release_date == date), None)
        if same:
            raise ReleaseError(file_name, f"{name} is already imported ({same.path}); nothing was changed")
        if releases and date < releases[-1].release_date:
            newest = releases[-1]
            raise ReleaseError(
                file_name,
                f"{name} ({date}) is older than {newest.name} ({newest.release_date}), the newest release "
                f"stored; nothing was changed",
            )
