"""Read the CMS PDFs of a build in a process of their own, alongside the rest of the build, unless
the build cache holds what they give (then no process is started).

    python -m hcpcs_desktop.data.pdf_reading '{"index": "...pdf", "drug_table": "...pdf", "pdfs_named": true}'

prints the bridges they hold as JSON, or the one `ReleaseError` that stopped it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .bridges import BridgeSources, Bridges, read_pdfs
from .errors import ReleaseError


class PdfReading:
    """The CMS PDFs of a build being read: `result()` waits for them, `stop()` gives up on them."""

    def __init__(self, sources: BridgeSources):
        self.sources = sources
        self.process: subprocess.Popen | None = None
        self.kept = read_pdfs(sources, kept_only=True)
        if self.kept is not None or getattr(sys, "frozen", False):
            return  # kept: nothing to read; a frozen executable is no Python to run a module with: read when asked
        argument = {key: str(getattr(sources, key)) for key in ("index", "drug_table") if getattr(sources, key)}
        argument["pdfs_named"] = sources.pdfs_named
        try:
            self.process = subprocess.Popen([sys.executable, "-m", __name__, json.dumps(argument)],
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        except OSError:  # no second process to be had: read them when asked
            self.process = None

    def result(self) -> Bridges:
        if self.kept is not None:
            return self.kept
        if self.process is None:
            return read_pdfs(self.sources)
        out, err = self.process.communicate()
        try:
            answer = json.loads(out)
        except ValueError:
            name = self.sources.pdfs()[0][0].name
            raise ReleaseError(name, f"could not be read ({err.decode(errors='replace').strip()[-300:]})") from None
        if "error" in answer:
            raise ReleaseError(*answer["error"])
        return Bridges(**answer)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def main(argument: str) -> int:
    given = json.loads(argument)
    sources = BridgeSources(**{key: Path(value) for key, value in given.items() if key != "pdfs_named"},
                            pdfs_named=given.get("pdfs_named", False))
    try:
        found = read_pdfs(sources)
    except ReleaseError as exc:
        json.dump({"error": [exc.file, exc.problem, exc.where]}, sys.stdout)
        return 1
    except Exception as exc:  # noqa: BLE001 - whatever a damaged file does to a PDF library: one message
        name = sources.pdfs()[0][0].name
        json.dump({"error": [name, f"could not be read ({type(exc).__name__}: {exc})", None]}, sys.stdout)
        return 1
    json.dump(vars(found), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
