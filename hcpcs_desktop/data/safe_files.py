"""Touching files safely: reading a file the project did not write, replacing a file whole, and
the lock beside a file being replaced.

- `read_file`: the one guarded reader of foreign files (releases, payment files, PDFs, the
  coder's JSON files, the store's choice). Only a regular file is read (a FIFO, a device or a
  folder is refused at once, never opened for a blocking read), and never more than a cap.
- `replacing`: a new file written beside the target and renamed over it only when complete, so
  a failure or a kill leaves the old file whole; a symbolic link stays a link (its target is
  replaced) and the file keeps its permissions.
- `lock_beside`: the lock (`.NAME.lock`, through `filelock`, released when a process dies) that
  every writer of a file holds; under it, what killed writers left (`.NAME.*.partial`, and the
  `-journal` SQLite keeps beside a database being written) is removed, as no writer that holds
  the lock is running.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
from pathlib import Path

from .errors import ReleaseError

MIB = 2**20
PARTIAL = ".partial"  # the suffix of a file being written beside its target


def read_file(path: Path, cap: int) -> bytes:
    """The bytes of the regular file at `path`, at most `cap` of them; anything else is a ReleaseError.

    The file is opened without blocking and checked before it is read, so a FIFO, a device
    (/dev/zero) or a folder is refused at once, and a file over the cap is never read.
    """
    path = Path(path)
    fd, size = _open_regular(path)
    if size > cap:
        os.close(fd)
        raise ReleaseError(path.name, f"the file is {size:,} bytes, more than such a file can be "
                                      f"(at most {cap:,}): is it the right file?")
    with os.fdopen(fd, "rb") as stream:
        try:
            # What the size says, then on until the end or the cap (a file may grow, or
            # report no size as /proc files do); never a buffer of the cap's size up front.
            data = stream.read(size)
            while len(data) <= cap and (more := stream.read(min(MIB, cap + 1 - len(data)))):
                data += more
        except OSError as exc:
            raise ReleaseError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > cap:
        raise ReleaseError(path.name, f"the file grew beyond {cap:,} bytes while it was read")
    return data


def read_start(path: Path, count: int) -> bytes:
    """The first `count` bytes of the regular file at `path` (whatever its size); a ReleaseError
    as `read_file` raises for anything else."""
    fd, _ = _open_regular(Path(path))
    with os.fdopen(fd, "rb") as stream:
        try:
            return stream.read(count)
        except OSError as exc:
            raise ReleaseError(str(path), f"cannot read the file ({exc.strerror or exc})") from None


def _open_regular(path: Path) -> tuple[int, int]:
    """(descriptor, size) of the regular file at `path`, opened without blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ReleaseError(str(path), "no such file") from None
    except OSError as exc:
        raise ReleaseError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a pipe" if stat.S_ISFIFO(info.st_mode)
                else "a device or socket")
        raise ReleaseError(str(path), f"not a regular file ({kind})")
    return fd, info.st_size


def real_path(path: Path) -> Path:
    """`path` with its symbolic links followed: the file a write must replace."""
    return Path(os.path.realpath(path))


def partial_beside(path: Path, tag: str = "") -> Path:
    """A new empty file beside `path` (`.NAME.TAGxxxx.partial`), for what will replace it."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{tag}", suffix=PARTIAL, dir=path.parent)
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def replacing(path: Path, new_mode: int | None = None):
    """A binary stream to write the new content of `path` into; renamed over `path` when the block
    ends without an error, else removed. The file keeps its permissions; a new one gets `new_mode`
    (default: what the umask allows). A symbolic link at `path` stays one: its target is replaced."""
    target = real_path(path)
    temp = partial_beside(target)
    try:
        with open(temp, "wb") as stream:
            yield stream
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = new_mode if new_mode is not None else 0o666 & ~_umask()
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def lock_beside(path: Path, timeout: float) -> contextlib.ExitStack:
    """Take the lock of the file at `path` (`.NAME.lock` beside the file its links lead to) and
    remove what killed writers of it left; returns what releases the lock (use it in a `with`).

    Raises before anything is held: `filelock.Timeout` (an OSError) when another writer holds
    the lock longer than `timeout` seconds, OSError when the folder cannot be written."""
    from filelock import FileLock  # loaded by the first write, not with the window

    target = real_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(target.parent / f".{target.name}.lock", timeout=timeout)
    lock.acquire()
    held = contextlib.ExitStack()
    held.callback(lock.release)
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*{PARTIAL}*"):  # with SQLite's -journal, -wal
        with contextlib.suppress(OSError):
            stale.unlink()
    return held
