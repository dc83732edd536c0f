"""The coder's small JSON files beside the settings (notes, favorites and recent codes, typed
searches): read with care, changed under a lock, written whole, never written over unread.

- Reading goes through the guarded reader (`safe_files.read_file`): a pipe or a device in the
  file's place is refused at once, never waited on, and a file over MAX_BYTES is never read.
  UTF-8 with or without a byte order mark (Notepad) is read, else Windows-1252 text, and a
  trailing comma left by a hand edit is forgiven. A file that still cannot be read (cut short,
  not JSON, nested too deep, not readable by this user) is set aside as
  `NAME.unreadable-YYYYMMDD-HHMMSS` beside it and reads as empty; the coder is told once
  (`JsonFile.notices`). Something that is not a regular file is neither read nor written.
- A change (`JsonFile.update`) reads, changes and writes under the file's lock
  (`safe_files.lock_beside`), so two windows or processes never lose each other's changes.
- A write goes to a temporary file beside the file and is renamed over it
  (`safe_files.replacing`): a crash mid-write leaves the previous file whole, and a file that
  is a symbolic link (kept with the coder's dotfiles) stays one. A failed write raises `OSError`
  and the caller says so. A text the coder saves (a CSV) is written whole the same way
  (`write_text`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from .data.errors import ReleaseError
from .data.safe_files import MIB, lock_beside, read_file, real_path, replacing
from .wording import set_aside_text, unwritable_text

MAX_BYTES = 64 * MIB  # 16,000 notes of the longest kind
LOCK_SECONDS = 10.0  # how long a change waits for another window's change of the same file
_STRING_OR_TRAILING_COMMA = re.compile(r'("(?:[^"\\]|\\.)*")|,(\s*[}\]])')


class JsonFile:
    """One of the coder's JSON files: an object at its top."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.notices: list[str] = []  # what the coder is still to be told about the file
        self._refused = ""  # why nothing may be written there (it is not a regular file)

    def read(self, locked: bool = False) -> dict:
        """The file's object; {} when there is none, or when it could not be read (then it is set
        aside and a notice says so). `locked`: the caller holds the file's lock."""
        data, problem = _load(self.path)
        if problem is None:
            self._refused = ""
            return data
        target = real_path(self.path)
        try:
            kind = stat.S_IFMT(target.stat().st_mode)
        except OSError:
            kind = stat.S_IFREG
        if kind != stat.S_IFREG:  # a pipe, a device, a folder: neither renamed nor written over
            refused = unwritable_text(self.path.name, problem)
            if refused != self._refused:
                self.notices.append(refused)
            self._refused = refused
            return {}
        self._set_aside(target, problem, locked)
        return {}

    def update(self, change: Callable[[dict], dict]) -> dict:
        """Read the file, apply `change` and write what it returns, under the file's lock; what
        was written. Raises OSError when it could not be saved."""
        with lock_beside(self.path, LOCK_SECONDS):
            data = change(self.read(locked=True))  # damaged since it was last read: set aside here
            if self._refused:
                raise OSError(self._refused)
            with replacing(self.path, new_mode=0o600) as stream:
                stream.write(json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"))
        return data

    def _set_aside(self, target: Path, problem: str, locked: bool) -> None:
        aside = target.with_name(f"{target.name}.unreadable-{dt.datetime.now():%Y%m%d-%H%M%S}")
        try:
            with contextlib.nullcontext() if locked else lock_beside(self.path, LOCK_SECONDS):
                if not locked and _load(self.path)[1] is None:  # another window wrote it meanwhile
                    return
                os.rename(target, aside)
        except FileNotFoundError:  # another window set it aside first
            return
        except OSError as exc:
            self._refused = unwritable_text(self.path.name, f"{problem}; setting it aside failed: "
                                                            f"{exc.strerror or exc}")
            self.notices.append(self._refused)
            return
        self.notices.append(set_aside_text(self.path.name, problem, aside.name))


def _load(path: Path) -> tuple[dict, str | None]:
    """(the object in the file, None), or ({}, what is wrong with it); a missing or empty file
    holds {}."""
    if not os.path.lexists(path):
        return {}, None
    try:
        data = read_file(path, MAX_BYTES)
    except ReleaseError as exc:
        return {}, exc.problem
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return {}, "it is not text"
    if not text.strip():
        return {}, None
    try:
        value = _parse(text)
    except RecursionError:
        return {}, "it is nested too deeply"
    except ValueError as exc:
        return {}, f"it is not JSON: {exc}"
    if not isinstance(value, dict):
        return {}, "it holds no JSON object"
    return value, None


def _parse(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        forgiven = _STRING_OR_TRAILING_COMMA.sub(lambda m: m.group(1) or m.group(2), text)
        if forgiven == text:
            raise
        try:
            return json.loads(forgiven)
        except json.JSONDecodeError:
            return json.loads(text)  # the first error is the one to tell


def write_text(path: Path, text: str) -> None:
    """Write `text` (a file the coder saves, such as a CSV) to `path` whole: through a temporary
    file renamed over it (`safe_files.replacing`), never half a file."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as stream:
        stream.write(text.encode("utf-8"))
