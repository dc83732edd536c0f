"""Read the CMS PDFs of a build in a process of their own, alongside the rest of the build.

    python -m hcpcs_desktop.data.pdf_reading '{"index": "...pdf", "drug_table": "...pdf"}'

prints the index terms and brand names they hold as JSON, or the one `ReleaseError`
that stopped it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .bridges import BridgeSources, Bridges, read_pdfs
from .errors import ReleaseError


def start(sources: BridgeSources) -> Callable[[], Bridges]:
    """Start the reading process; the returned function waits for its result (or raises its error)."""
    paths = {"index": sources.index, "drug_table": sources.drug_table}
    argument = json.dumps({key: str(path) for key, path in paths.items() if path})
    try:
        process = subprocess.Popen([sys.executable, "-m", __name__, argument], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    except OSError:  # no second process to be had: read them when asked
        return lambda: read_pdfs(sources)

    def result() -> Bridges:
        out, err = process.communicate()
        try:
            answer = json.loads(out)
        except ValueError:
            raise ReleaseError(str(sources.index or sources.drug_table),
                               f"the PDFs could not be read ({err.decode(errors='replace').strip()[-300:]})") from None
        if "error" in answer:
            raise ReleaseError(*answer["error"])
        return Bridges(**answer)

    return result


def main(argument: str) -> int:
    paths = {key: Path(value) for key, value in json.loads(argument).items()}
    try:
        found = read_pdfs(BridgeSources(**paths))
    except ReleaseError as exc:
        json.dump({"error": [exc.file, exc.problem, exc.where]}, sys.stdout)
        return 1
    json.dump(vars(found), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
