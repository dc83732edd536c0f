"""The README's command lines against the real argument parsers: every command and option
documented, every documented one there; and every module of the code named in its layout.

The usage lines are the indented `hcpcs-desktop ...` lines of the README; a line naming a
command documents that command's options, the line starting with `[CODE]` the window's.
`--db` is documented once, in the table of where the database lives, for every command.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from hcpcs_desktop.cli import COMMANDS, command_parser
from hcpcs_desktop.ui.app import gui_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
USAGE_LINES = [line.split("#")[0].strip() for line in README.splitlines()
               if re.match(r"^ {4}hcpcs-desktop( |$)", line)]
OPTION = re.compile(r"(?<![\w-])(--?[a-z][\w-]*)")
DOCUMENTED_ONCE = {"-h", "--help", "--db"}


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in command_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def options(parser: argparse.ArgumentParser) -> list[list[str]]:
    """Each option of `parser` as its list of spellings (`-o`, `--output`)."""
    return [action.option_strings for action in parser._actions if action.option_strings]


def usage_line(command: str | None) -> str:
    """The README's usage line of `command`, or of the window for None."""
    start = "hcpcs-desktop [" if command is None else f"hcpcs-desktop {command} "
    found = [line for line in USAGE_LINES if line.startswith(start) or line == start.strip()]
    assert len(found) == 1, f"{command or 'the window'} has {len(found)} usage lines in the README"
    return found[0]


def documented_options(line: str) -> set[str]:
    return set(OPTION.findall(line.split(" ", 1)[1] if " " in line else "")) - {"--"}


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_command_has_one_usage_line_naming_each_of_its_options(command):
    line = usage_line(command)
    for spellings in options(subcommands()[command]):
        if not DOCUMENTED_ONCE & set(spellings):
            assert documented_options(line) & set(spellings), f"{command} {spellings[-1]} is not in the README"


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_option_a_usage_line_names_exists(command):
    known = {spelling for spellings in options(subcommands()[command]) for spelling in spellings}
    assert documented_options(usage_line(command)) <= known


def test_every_documented_command_exists():
    named = {line.split()[1] for line in USAGE_LINES if len(line.split()) > 1 and re.match(r"[a-z]", line.split()[1])}
    assert named <= set(subcommands()), f"the README documents {sorted(named - set(subcommands()))}"


def test_the_command_line_runs_every_command_the_parser_has():
    assert set(COMMANDS) == set(subcommands())  # a command missing here would open the window instead


def test_db_is_documented_once_and_every_command_and_the_window_take_it():
    assert "`--db FILE` | on any command" in README
    for command, parser in subcommands().items():
        assert any("--db" in spellings for spellings in options(parser)), f"{command} takes no --db"
    assert any("--db" in spellings for spellings in options(gui_parser()))


def test_every_window_option_is_on_the_window_usage_line_and_every_one_there_exists():
    line = usage_line(None)
    window_options = options(gui_parser())
    for spellings in window_options:
        if not DOCUMENTED_ONCE & set(spellings):
            assert documented_options(line) & set(spellings), f"the window's {spellings[-1]} is not in the README"
    assert documented_options(line) <= {spelling for spellings in window_options for spelling in spellings}


LAYOUT = README.split("## Layout of the code", 1)[1].split("\n## ", 1)[0]
PACKAGE = Path(__file__).resolve().parent.parent / "hcpcs_desktop"


@pytest.mark.parametrize("module", sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                                          if p.stem not in ("__init__", "__main__")))
def test_every_module_is_named_in_the_layout_of_the_code(module):
    named = rf"[`/]{re.escape(Path(module).stem)}(\.py)?`"  # `records`, `user_codes.py`, `hcpcs_desktop/cli.py`
    assert re.search(named, LAYOUT), f"{module} is not in 'Layout of the code'"
