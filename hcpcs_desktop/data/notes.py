"""Parse the CMS processing notes file: note number -> note text.

Each note starts with its four-digit number and "--" ("0088--TEXT ..."), wraps onto
indented lines, and has a "*" border down the right-hand side.
"""

from __future__ import annotations

import re

from .errors import ReleaseError

_NOTE = re.compile(r"^\s*(\d{4})--\s*(.*)$")
_BORDER = re.compile(r"(^|\s)\*\s*$")


def parse_notes(text: str, source: str = "processing notes") -> dict[str, str]:
    """Map each note number ("0088") to its text, wrapped lines joined with single spaces."""
    notes: dict[str, list[str]] = {}
    current: list[str] | None = None  # lines before the first note are the page header
    for i, raw in enumerate(text.splitlines(), start=1):
        line = _BORDER.sub("", raw.expandtabs(8)).strip()
        match = _NOTE.match(line)
        if match:
            number = match.group(1)
            if number in notes:
                raise ReleaseError(source, f"processing note {number} appears twice", f"line {i}")
            current = notes[number] = [match.group(2)]
        elif current is not None and line:
            current.append(line)
    if not notes:
        raise ReleaseError(source, 'no processing notes ("0001--...") found')
    return {number: " ".join(" ".join(lines).split()) for number, lines in notes.items()}
