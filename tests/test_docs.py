"""Every command and option of the CLI is in the README's command list, on its command's
line (as sqlite-utils checks its documentation)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from newsarchive.cli import _parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def documented_line(command: str) -> str:
    lines = [line for line in README.splitlines() if re.match(rf"newsarchive {command}\b", line)]
    assert lines, f"the README has no line `newsarchive {command} ...` in its command list"
    return lines[0]


def options(parser: argparse.ArgumentParser) -> list[str]:
    """Each option's long form (or its only form), help left out."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or not action.option_strings:
            continue
        longs = [o for o in action.option_strings if o.startswith("--")]
        found.append(longs[0] if longs and len(action.option_strings) == 1 else action.option_strings[0])
    return found


@pytest.mark.parametrize("command", sorted(commands()))
def test_every_command_and_option_is_documented(command: str) -> None:
    line = documented_line(command)
    missing = [option for option in options(commands()[command]) if not re.search(rf"{option}\b", line)]
    assert not missing, f"`newsarchive {command}` options missing from the README: {missing}"


def test_global_options_are_documented() -> None:
    for option in options(_parser()):
        assert re.search(rf"`?{option}\b", README), option


def test_the_check_can_fail() -> None:
    assert "--no-such-option" not in documented_line("build")
