"""Where the database lives and where CMS releases are looked for."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from .errors import ReleaseError
from .release_files import newest_document_path, newest_release_path, release_date_of, release_paths

if TYPE_CHECKING:  # the bridges (and the drug dictionary's matcher) load for a build, not with the window
    from .bridges import BridgeSources

APP_NAME = "hcpcs-desktop"
DB_ENV = "HCPCS_DESKTOP_DB"
RELEASES_ENV = "HCPCS_RELEASES"
DB_NAME = "hcpcs.sqlite"
REPO_ROOT = Path(__file__).resolve().parents[2]
CMS_RELEASES_URL = "https://www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system/quarterly-update"


def bundled_database() -> Path | None:
    """The database shipped inside a frozen executable, if any."""
    bundle = getattr(sys, "_MEIPASS", None)
    path = Path(bundle) / "resources" / DB_NAME if bundle else None
    return path if path and path.is_file() else None


def user_database() -> Path:
    """Where `build-db` writes and the app looks by default: the user's data folder."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / DB_NAME


def build_target() -> Path:
    """Where `build-db` writes by default: $HCPCS_DESKTOP_DB, else the user's data folder."""
    return Path(os.environ[DB_ENV]).expanduser() if os.environ.get(DB_ENV) else user_database()


def default_database() -> Path:
    """$HCPCS_DESKTOP_DB, else the user's built database, else the bundled one."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    user = user_database()
    return user if user.is_file() else (bundled_database() or user)


def releases_root() -> Path:
    """$HCPCS_RELEASES, else ../shared/data/hcpcs beside the working folder or the source tree."""
    if os.environ.get(RELEASES_ENV):
        return Path(os.environ[RELEASES_ENV]).expanduser()
    for base in (Path.cwd(), REPO_ROOT):
        candidate = (base / ".." / "shared" / "data" / "hcpcs").resolve()
        if candidate.is_dir():
            return candidate
    return (Path.cwd() / ".." / "shared" / "data" / "hcpcs").resolve()


def newest_release(root: Path | None = None) -> Path | None:
    """The newest release under `root` (default: the releases folder): its data file or its zip, or None."""
    return newest_release_path(root or releases_root())


def earlier_releases(release: Path, root: Path | None = None) -> list[Path]:
    """The releases under `root` (default: the releases folder) of the year before the release at
    `release`, oldest first: the quarters a build carries as its history (see `history.py`)."""
    try:
        date = release_date_of(release)
    except (ReleaseError, OSError):
        return []  # the build itself says what is wrong with the release
    if not date:  # a file whose name and contents give no release date: nothing to carry
        return []
    year_before = f"{int(date[:4]) - 1}{date[4:]}"
    return [path for found, path in release_paths(root or releases_root()).items() if year_before < found < date]


def newest_document(kind: str, root: Path | None = None) -> Path | None:
    """The newest record layout ("layout") or processing notes ("notes") text under `root`."""
    return newest_document_path(kind, root or releases_root())


def documents(layout: Path | None = None, notes: Path | None = None) -> dict[str, Path | None]:
    """The record layout and processing notes to build with: those given, else the newest found.

    A release that carries its own is read with those instead (see `build_database`).
    """
    return {"layout": layout or newest_document("layout"), "notes": notes or newest_document("notes")}


def newest_pdf(kind: str, root: Path | None = None) -> Path | None:
    """The newest CMS "index" (HCPCS Index) or "drug table" (Table of Drugs) PDF under `root`."""
    root = root or releases_root()
    if not root.is_dir():
        return None
    marks = ("index",) if kind == "index" else ("table-of-drugs", "table of drugs", "tableofdrugs")
    found = [p for p in root.rglob("*") if p.suffix.lower() == ".pdf" and any(m in p.name.lower() for m in marks)]
    return max(found, key=lambda p: (_year(p), p.name)) if found else None


def _year(path: Path) -> str:
    """The year a CMS file's name or folder tells ("2019-HCPCS-Index.pdf"), or ""."""
    years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", f"{path.parent.name} {path.name}")
    return max(years) if years else ""


def bridge_sources(drug_table: Path | None = None, index: Path | None = None,
                   previous: Path | None = None) -> BridgeSources:
    """Where a build takes the vocabulary bridges from: the PDFs given (one that cannot be
    read stops the build), else the newest found under the releases folder (one that cannot
    be read is left out, with a warning); the drug dictionary and word list when installed; and for
    whatever is missing (as in the standalone executable), the database being replaced
    (`previous`) or else the default database."""
    from .bridges import BridgeSources

    previous = previous if previous and previous.is_file() else default_database()
    return BridgeSources(
        drug_table=drug_table or newest_pdf("drug table"),
        index=index or newest_pdf("index"),
        drug_dictionary=True,
        word_list=True,
        previous=previous if previous.is_file() else None,
        pdfs_named=bool(drug_table or index),
    )
