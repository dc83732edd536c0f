"""Reading the first sheet of a workbook someone sent (a release's .xlsx or .xls, a payment
file's .xlsx) without letting a damaged one take the program down.

An .xlsx is a zip: what its parts expand to is checked before anything is expanded
(`release_files.check_workbook_size`). Then the sheet is read in a forked child process limited
to WORKBOOK_MEMORY more memory where the system can limit it (Linux): a damaged cell address
(column 43,009 in a 48-column sheet, or a cell at XFD1048576) makes the workbook library
allocate rows x columns at once and abort the whole program when that fails; in a child, that
is one message instead. Forking costs milliseconds; elsewhere (Windows, macOS, where a GUI
process should not fork) the sheet is read in this process.
"""

from __future__ import annotations

import faulthandler
import io
import os
import pickle
from pathlib import Path

from .errors import ReleaseError
from .release_files import SourceFile, check_workbook_size

WORKBOOK_MEMORY = 1024 * 2**20  # October 2025's release workbook takes about 100 MB to read
STATM = Path("/proc/self/statm")  # how large this process is (Linux)


def first_sheet(source: SourceFile, skip_empty_area: bool = True) -> list[list]:
    """The cells of the first sheet of the workbook `source`, or ReleaseError naming it.

    `skip_empty_area`: leave out the empty rows and columns above and left of the first cell."""
    check_workbook_size(source)
    if not hasattr(os, "fork") or not STATM.exists():
        return _read(source, skip_empty_area)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, send the rows or the error, and leave without cleaning up
        os.close(read_end)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # the library's own crash report is not the user's
        faulthandler.disable()  # nor Python's, where it is on
        try:
            _limit_memory()
            answer = ("rows", _read(source, skip_empty_area))
        except ReleaseError as exc:
            answer = ("error", (exc.file, exc.problem, exc.where))
        except BaseException as exc:  # noqa: BLE001 - whatever a damaged file does: one message
            answer = ("error", (source.name, f"not a readable workbook ({type(exc).__name__})", None))
        with os.fdopen(write_end, "wb") as stream:
            stream.write(pickle.dumps(answer))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        payload = stream.read()
    os.waitpid(pid, 0)
    if not payload:
        raise ReleaseError(source.name, "not a readable workbook: reading it failed (it is damaged, or it "
                                        f"would need more than {WORKBOOK_MEMORY // 2**20:,} MiB)")
    kind, value = pickle.loads(payload)
    if kind == "error":
        raise ReleaseError(*value)
    return value


def _read(source: SourceFile, skip_empty_area: bool) -> list[list]:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(source.data)).get_sheet_by_index(0).to_python(
            skip_empty_area=skip_empty_area)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ReleaseError(source.name, f"not a readable workbook ({exc})") from None


def _limit_memory() -> None:
    """Let this process grow by WORKBOOK_MEMORY at most."""
    import resource

    try:
        pages = int(STATM.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    limit = pages * os.sysconf("SC_PAGE_SIZE") + WORKBOOK_MEMORY
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
