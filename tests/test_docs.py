"""The README and the help texts stay true: every command documented, with help and an example."""

from __future__ import annotations

import re

import typer.main
from typer.testing import CliRunner

from tests.conftest import ROOT
from tracker.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict:
    """Every leaf command by its full name, e.g. 'gazetteer lookup'."""
    root = typer.main.get_command(app)
    found: dict = {}

    def walk(group, prefix: str) -> None:
        for name, command in group.commands.items():
            full = f"{prefix}{name}"
            if hasattr(command, "commands"):
                walk(command, full + " ")
            else:
                found[full] = command

    walk(root, "")
    return found


def _fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_readme_starts_with_the_two_commands():
    blocks = _fenced("bash")
    assert "tracker run" in blocks[0]
    assert "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command():
    test_command = _fenced("bash")[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci


def test_core_commands_exist():
    commands = _commands()
    assert "run" in commands


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    runner = CliRunner()
    for name, command in _commands().items():
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        text = " ".join(result.output.split())
        assert "Example" in text, f"tracker {name} --help has no example"
        assert f"tracker {name}" in README, f"tracker {name} is not documented in README.md"
        assert command.help or command.short_help, name


def test_the_check_can_fail():
    # The README check above must notice a command it does not know.
    assert "tracker no-such-command" not in README
