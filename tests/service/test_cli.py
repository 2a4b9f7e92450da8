"""The ``renggang`` command: each group registers the commands it is listed with, and a
command's arguments bring in that command's group alone."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from service.cli import _GROUPS, build_parser


@pytest.mark.parametrize("module", list(_GROUPS))
def test_each_group_registers_the_commands_it_is_listed_with(module: str) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    importlib.import_module(module).register(sub)
    assert tuple(sub.choices) == _GROUPS[module]


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def test_a_command_brings_its_group_alone_and_no_command_brings_them_all() -> None:
    assert _commands(build_parser(["roster", "show", "x"])) == ["roster", "stats"]
    assert _commands(build_parser(["--help"])) == [c for cs in _GROUPS.values() for c in cs]
    assert _commands(build_parser(["no-such-command"])) == _commands(build_parser())


def test_a_roster_command_does_not_import_the_matcher_or_the_http_framework() -> None:
    code = (
        "import sys; from service.cli import build_parser; "
        "build_parser(['roster', 'show', 'x']); "
        "print(sorted(m for m in ('matcher.refer', 'fastapi', 'jieba') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
