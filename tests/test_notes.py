"""Tests for the processing notes parser: invented notes in the CMS format, then the real files."""

from __future__ import annotations

import pytest

from hcpcs_desktop.data.errors import ReleaseError
from hcpcs_desktop.data.notes import parse_notes

BORDER = 91  # column of the right-hand "*"


def boxed(text: str = "") -> str:
    """A line with the right-hand "*" border."""
    return text.ljust(BORDER - 1) + "*"


NOTES = "\r\n".join([
    " " * 40 + "PROCESSING NOTES",
    " " + "_" * 120,
    "",
    boxed("          0001--A MADE-UP NOTE ON ONE LINE."),
    boxed(),
    boxed("          0002--A MADE-UP NOTE THAT WRAPS  ONTO"),
    boxed("                A SECOND LINE (X1234-X1240)."),
    boxed(),
    "          0003--A NOTE WHOSE FIRST LINE HAS NO BORDER",
    "\t\t  AND WHOSE NEXT LINE IS TAB-INDENTED.\t\t\t\t\t\t   *\t",
    "\t\t\t\t\t\t\t\t\t\t\t   *\t",
    "          0004--Mixed case text with a*star inside.                *    ",
    "",
    "          0010--A NUMBER MAY BE SKIPPED.",
    boxed("                   DEEPER INDENTED CONTINUATION."),
    "",
    "   ",
    "",
])


@pytest.fixture(scope="module")
def notes() -> dict[str, str]:
    return parse_notes(NOTES)


def test_notes_in_file_order(notes):
    assert list(notes) == ["0001", "0002", "0003", "0004", "0010"]


def test_note_text(notes):
    assert notes == {
        "0001": "A MADE-UP NOTE ON ONE LINE.",
        "0002": "A MADE-UP NOTE THAT WRAPS ONTO A SECOND LINE (X1234-X1240).",
        "0003": "A NOTE WHOSE FIRST LINE HAS NO BORDER AND WHOSE NEXT LINE IS TAB-INDENTED.",
        "0004": "Mixed case text with a*star inside.",
        "0010": "A NUMBER MAY BE SKIPPED. DEEPER INDENTED CONTINUATION.",
    }


def test_line_endings_do_not_matter(notes):
    assert parse_notes(NOTES.replace("\r\n", "\n")) == notes


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "no processing notes"),
        ("   \r\n\r\n", "no processing notes"),
        (boxed("  PROCESSING NOTES") + "\n" + boxed("  NO NUMBERS HERE."), "no processing notes"),
        ("0001--ONE.\n0001--AGAIN.\n", "note 0001 appears twice"),
    ],
)
def test_broken_notes(text, problem):
    with pytest.raises(ReleaseError, match=problem) as raised:
        parse_notes(text, "broken.txt")
    assert raised.value.file == "broken.txt"


# Real CMS files, found through $HCPCS_RELEASES.


@pytest.mark.parametrize(
    "name, count",
    [
        ("2026-jan/proc_notes_JAN2026.txt", 234),
        ("2020-jan/2020-Alpha-Numeric-HCPCS-File/proc_notes_2020.txt", 220),
        ("2019-jan/2019-Alpha-Numeric-HCPCS-File/proc_notes_2019.txt", 218),
    ],
)
def test_real_notes(releases_dir, name, count):
    notes = parse_notes((releases_dir / name).read_text(encoding="ascii"), name)
    assert list(notes) == [f"{n:04d}" for n in range(1, count + 1)]
    for text in notes.values():
        assert text and text == text.strip()
        assert not text.endswith("*")
        assert not text.startswith("-") and "\t" not in text and "  " not in text
