"""Every command and option explains itself; every exit code is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from speechcompress import errors
from speechcompress.cli.app import app

README = Path(__file__).resolve().parents[1] / "README.md"
COMMAND: Any = typer.main.get_command(app)
COMMANDS = sorted(COMMAND.commands)


def exit_codes() -> list[tuple[int, str]]:
    """(code, meaning) rows of the table in errors.py's docstring."""
    rows = re.findall(r"^(\d+)\s{2,}(\S.*)$", errors.__doc__ or "", re.MULTILINE)
    return [(int(code), meaning) for code, meaning in rows]


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_the_app_registers_the_browsing_commands() -> None:
    assert {"list", "search", "show", "stats", "info", "cache"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_text(name: str) -> None:
    command = COMMAND.commands[name]
    assert (command.help or "").strip(), f"`scc {name}` has no docstring/help"
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    first_line = command.help.strip().splitlines()[0]
    assert squeeze(first_line) in squeeze(result.stdout)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_and_argument_has_help_text(name: str) -> None:
    for param in COMMAND.commands[name].params:
        if param.name == "help":
            continue
        help_text = (getattr(param, "help", None) or "").strip()
        assert help_text, f"`scc {name}`: {param.name} has no help"


def test_root_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert re.search(rf"\b{re.escape(name)}\b", result.stdout), name


def test_errors_docstring_lists_the_exit_codes_the_classes_use() -> None:
    documented = {code for code, _ in exit_codes()}
    assert len(documented) >= 6
    used = {
        cls.exit_code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.SccError)
    }
    assert used <= documented


def test_root_help_names_every_exit_code() -> None:
    text = squeeze(CliRunner().invoke(app, ["--help"]).stdout)
    epilog = text[text.index("Exit codes") :]
    for code, meaning in exit_codes():
        assert re.search(rf"\b{code} \w", epilog), (code, meaning)


def test_readme_documents_every_exit_code() -> None:
    readme = README.read_text(encoding="utf-8") if README.is_file() else ""
    assert "exit code" in readme.lower(), "README.md must document the exit codes"
    heading = re.search(r"^(#+)[^\n]*exit code[^\n]*$", readme, re.IGNORECASE | re.MULTILINE)
    section = readme
    if heading:
        level = len(heading.group(1))
        rest = readme[heading.end() :]
        end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
        section = rest[: end.start()] if end else rest
    for code, meaning in exit_codes():
        assert re.search(rf"(^|[\s|`*]){code}([\s|`*:.,)-]|$)", section, re.MULTILINE), (
            f"README.md does not document exit code {code} ({meaning})"
        )
