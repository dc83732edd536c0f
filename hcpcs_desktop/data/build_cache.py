"""What a build derives from files that do not change, kept between builds in the user's cache folder.

A build reads the same files again and again: CMS's 2019 HCPCS Index and Table of Drugs PDFs
(and the 2019 release beside them, to check their codes), the earlier releases it carries as
history, the Medicare payment files, and the drug dictionary and word list of the installed
packages. What it derives from each (the PDFs' index terms and brand names, a release's records,
a payment file's rows, the dictionary's names for a release's words, the common English words)
is kept here as JSON under a key made of:

- the content of the inputs (their sha256): a file changed, renamed over or replaced is read afresh;
- the version of the code that reads them: the source of the data layer (every module of this
  folder), the versions of the packages it reads with, and Python's version, so that any change
  to a parser, or an upgraded package, reads every input afresh.

Each entry is one file, `KIND-NAME.json`, NAME taken from the inputs alone (a new version of the
code writes over the entry of the same inputs, so the folder does not grow with it): a header
line (the key, the payload's sha256 and length) and the JSON payload. An entry that is damaged,
cut short, of another key, or that does not decode to what its reader expects is passed over,
and the value is derived again and written anew; nothing in the cache is trusted unchecked.
An entry is written beside its place and renamed into it whole, so builds running at once may
write the same entry and a build killed while writing leaves no half entry. A cache that cannot
be read or written (a read-only home, a full disk) costs time, never a build.

The folder (`folder()`: the user's cache folder, `hcpcs-desktop/build`) can be removed at any
time. The standalone executable, which carries no source, keeps no cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import platformdirs

from .errors import ReleaseError
from .locations import APP_NAME
from .safe_files import MIB, read_file

FORMAT = "1"  # of an entry's file: header line, then payload
MAX_ENTRY_BYTES = 256 * MIB  # the largest real entry (a release's records) is about 6 MB
STALE_PARTIAL_SECONDS = 600  # a partial entry this old was left by a build that was killed
# The packages whose versions decide what the readers derive (PDF text, workbook cells, the drug
# dictionary and its fuzzy matching, the word list).
PACKAGES = ("pypdf", "python-calamine", "drug-named-entity-recognition", "wordfreq", "rapidfuzz")

T = TypeVar("T")


def folder() -> Path:
    """Where the entries are kept: the user's cache folder, `hcpcs-desktop/build`."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "build"


def content_key(data: bytes) -> str:
    """The part of a key that stands for an input's content."""
    return hashlib.sha256(data).hexdigest()


def cached(kind: str, inputs: Sequence[str], derive: Callable[[], T],
           encode: Callable[[T], object] = lambda value: value,
           decode: Callable[[object], T] = lambda value: value) -> T:
    """The value derived from `inputs` (strings that stand for their content, see `content_key`):
    from the cache when an entry of this code's version holds it and decodes, else `derive()`,
    kept for the next build. `encode` turns the value into JSON's lists, dicts, strings and
    numbers; `decode` turns them back, raising (KeyError, TypeError, ValueError) on anything else."""
    found = load(kind, inputs)
    if found is not None:
        try:
            return decode(found[0])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            pass  # an entry that is not what its reader expects: derived again below
    value = derive()
    try:
        payload = encode(value)
    except (KeyError, TypeError, ValueError):
        return value  # a value the encoding does not fit: not kept
    store(kind, inputs, payload)
    return value


def load(kind: str, inputs: Sequence[str]) -> tuple[object] | None:
    """(payload,) of the entry for `inputs`, when it is whole and of this code's version; else None."""
    key = _key(kind, inputs)
    if key is None:
        return None
    try:
        data = read_file(_path(kind, inputs), MAX_ENTRY_BYTES)
        header, _, payload = data.partition(b"\n")
        expected = json.loads(header)
        if (expected != {"format": FORMAT, "key": key, "sha256": content_key(payload), "bytes": len(payload)}):
            return None
        return (json.loads(payload),)
    except (ReleaseError, OSError, ValueError, RecursionError):  # missing, unreadable or damaged
        return None


def store(kind: str, inputs: Sequence[str], payload: object) -> None:
    """Keep `payload` (JSON's types) as the entry for `inputs`; a cache that cannot be written is left as it is."""
    key = _key(kind, inputs)
    if key is None:
        return
    path = _path(kind, inputs)
    temp = None
    try:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        header = json.dumps({"format": FORMAT, "key": key, "sha256": content_key(body), "bytes": len(body)})
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_partials(path)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
        with os.fdopen(handle, "wb") as stream:
            stream.write(header.encode() + b"\n" + body)
        os.replace(temp, path)
        temp = None
    except (OSError, TypeError, ValueError, RecursionError):  # no room, no right, or no JSON value
        pass
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


@functools.lru_cache(maxsize=1)
def code_version() -> str | None:
    """What a value derived by this code depends on besides its inputs; None where the source of
    the data layer cannot be read (the standalone executable), which then keeps no cache."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version_info[0]}.{sys.version_info[1]}".encode())
    sources = sorted(Path(__file__).parent.glob("*.py"))
    if not sources:
        return None
    try:
        for source in sources:
            digest.update(f"\0{source.name}\0".encode())
            digest.update(source.read_bytes())
    except OSError:
        return None
    for package in PACKAGES:
        digest.update(f"\0{package} {_package_version(package)}".encode())
    return digest.hexdigest()


def _package_version(package: str) -> str:
    from importlib import metadata  # for a build only: the window has no need of it

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def _key(kind: str, inputs: Sequence[str]) -> str | None:
    version = code_version()
    return None if version is None else hashlib.sha256(f"{version}\0{_name(kind, inputs)}".encode()).hexdigest()


def _name(kind: str, inputs: Sequence[str]) -> str:
    return hashlib.sha256("\0".join([kind, *inputs]).encode()).hexdigest()[:32]


def _path(kind: str, inputs: Sequence[str]) -> Path:
    return folder() / f"{kind.replace(' ', '-')}-{_name(kind, inputs)}.json"


def _remove_stale_partials(path: Path) -> None:
    """Partial entries of `path` that builds killed while writing left behind (a running build's is recent)."""
    for partial in path.parent.glob(f".{path.name}.*.partial"):
        try:
            if time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
                partial.unlink()
        except OSError:
            continue
