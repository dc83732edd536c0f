"""Build the standalone executable: the database from a CMS release, then PyInstaller with it bundled.

    .venv/bin/python build_spec/build.py [RELEASE] [--onefile]

RELEASE as for `hcpcs-desktop build-db` (default: the newest release under $HCPCS_RELEASES or
../shared/data/hcpcs). Writes build/hcpcs.sqlite, then dist/hcpcs-desktop/ (one folder, the
default) and its download dist/hcpcs-desktop.zip, or dist/onefile/hcpcs-desktop[.exe] (--onefile). Same command on Linux, Windows, macOS
(on Windows: .venv\\Scripts\\python build_spec\\build.py).
"""

from __future__ import annotations

import argparse
import os
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "build" / "hcpcs.sqlite"


def run(*command) -> None:
    print("+", " ".join(map(str, command)), flush=True)
    subprocess.run([str(c) for c in command], cwd=ROOT, check=True)


def size(path: Path) -> int:
    """Apparent size of a file or folder in bytes, as `du -sb` counts it."""
    return sum(p.lstat().st_size for p in [path, *(path.rglob("*") if path.is_dir() else [])])


def write_zip(folder: Path, target: Path) -> None:
    """The download: `folder` zipped under its own name. A symbolic link (PyInstaller links Qt's
    libraries from the top of _internal into PySide6/Qt/lib) is stored as a link, as `zip -y` and
    `unzip` keep it, not as a second copy of the library (which made the zip 72 MiB)."""
    temp = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted([folder, *folder.rglob("*")]):
            name = path.relative_to(folder.parent).as_posix()
            if path.is_symlink():
                info = zipfile.ZipInfo(name)
                info.create_system = 3  # Unix: the mode below is read
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, os.readlink(path))
            elif path.is_dir():
                continue
            else:
                archive.write(path, name)
    os.replace(temp, target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("release", nargs="?", type=Path, help="CMS release file or folder (default: the newest found)")
    parser.add_argument("--onefile", action="store_true", help="one self-extracting file instead of a folder")
    args = parser.parse_args()

    start = time.perf_counter()
    try:
        run(sys.executable, "-m", "hcpcs_desktop", "build-db", *([args.release.resolve()] if args.release else []), "-o", DB)
        run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", ROOT / "dist" / ("onefile" if args.onefile else ""),
            "--workpath", ROOT / "build" / ("pyinstaller-onefile" if args.onefile else "pyinstaller"),
            ROOT / "build_spec" / "hcpcs-desktop.spec", "--", "--db", DB, *(["--onefile"] if args.onefile else []))
    except subprocess.CalledProcessError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    exe = "hcpcs-desktop.exe" if sys.platform == "win32" else "hcpcs-desktop"
    built = ROOT / "dist" / "onefile" / exe if args.onefile else ROOT / "dist" / "hcpcs-desktop"
    print(f"Built {built} in {time.perf_counter() - start:.1f} s: {size(built):,} bytes")
    if not args.onefile:
        download = ROOT / "dist" / "hcpcs-desktop.zip"
        write_zip(built, download)
        print(f"Download {download}: {size(download):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
